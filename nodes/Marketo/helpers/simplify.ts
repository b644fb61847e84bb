import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

/**
 * n8n's Simplify for the Get Many operations: only the fields that have a value (Marketo lists every
 * requested field, empty ones as null) without Marketo's bookkeeping (`seq`). Off by default, so
 * workflows saved before it came keep their output.
 */
export const simplifyProperty: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	noDataExpression: true,
	default: false,
	description: 'Whether to return a simplified version of the response instead of the raw data',
};

/** Simplifies the records among `items`; error items are left as they are. */
export function simplifyItems(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): INodeExecutionData[] {
	if (!(this.getNodeParameter('simplify', 0, false) as boolean)) return items;
	return items.map((item) => {
		if (item.json.error !== undefined) return item;
		const json = Object.fromEntries(
			Object.entries(item.json).filter(
				([key, value]) => key !== 'seq' && value !== null && value !== '',
			),
		);
		return { ...item, json };
	});
}
