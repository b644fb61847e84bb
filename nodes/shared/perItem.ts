import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

export interface PerItemErrors {
	/** The error item for item `i` when "Continue on Fail" is on (each node has its own shape). */
	toErrorItem: (error: unknown, i: number) => INodeExecutionData;
	/** What to throw otherwise: an error that names item `i`. */
	toNodeError: (error: unknown, i: number) => unknown;
}

/**
 * Runs `fn` for every item; each item ends as its output items (paired with it) or, with "Continue on
 * Fail", as an error item. Without it, the first failure stops the node with an error naming the item.
 */
export async function forEachItemWith(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	fn: (i: number) => Promise<IDataObject | IDataObject[]>,
	errors: PerItemErrors,
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const result = await fn(i);
			for (const json of Array.isArray(result) ? result : [result])
				out.push({ json, pairedItem: { item: i } });
		} catch (error) {
			if (this.continueOnFail()) {
				out.push(errors.toErrorItem(error, i));
				continue;
			}
			throw errors.toNodeError(error, i);
		}
	}
	return out;
}
