import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

const RETURN_ALL: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: false,
	description: 'Whether to return all results or only up to a given limit',
};

const LIMIT: INodeProperties = {
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 50,
	description: 'Max number of results to return',
	displayOptions: { show: { returnAll: [false] } },
};

/**
 * n8n's "Return All" + "Limit" pair, shared by every Get Many of both nodes (same names, so
 * `readLimit` reads them). Person > Get Changes Since returns all by default.
 */
export function returnAllProperties({ returnAllByDefault = false } = {}): INodeProperties[] {
	return [returnAllByDefault ? { ...RETURN_ALL, default: true } : RETURN_ALL, LIMIT];
}

/** How many results item `i` wants: Infinity with Return All, else its Limit. */
export function readLimit(
	this: IExecuteFunctions,
	i: number,
	{ returnAllByDefault = false } = {},
): number {
	const returnAll = this.getNodeParameter('returnAll', i, returnAllByDefault) as boolean;
	return returnAll ? Infinity : (this.getNodeParameter('limit', i, 50) as number);
}
