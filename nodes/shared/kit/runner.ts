import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { errorItem, toNodeError, type ErrorFacts } from './errors';

/**
 * The per-item runner: `fn` runs for every item; a success becomes its output items (paired with the
 * item), a failure becomes the item's error item with Continue on Fail and stops the node otherwise,
 * with an error that names the item.
 */
export async function forEachItem(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	fn: (itemIndex: number) => Promise<IDataObject | IDataObject[]>,
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const result = await fn(i);
			if (Array.isArray(result)) {
				for (const json of result) out.push({ json, pairedItem: { item: i } });
			} else {
				out.push({ json: result, pairedItem: { item: i } });
			}
		} catch (error) {
			out.push(failItem.call(this, error, i));
		}
	}
	return out;
}

/** Item `itemIndex` failed: its error item with Continue on Fail; otherwise the node stops here. */
export function failItem(
	this: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
	facts?: ErrorFacts,
): INodeExecutionData {
	if (!this.continueOnFail()) throw toNodeError(this, error, itemIndex);
	return errorItem(error, itemIndex, facts);
}

/**
 * For operations that read once for all items (usage, field lists): the failure as one error item per
 * input item with Continue on Fail, so every item is accounted for; otherwise an error naming item 0.
 */
export function failAllItems(
	this: IExecuteFunctions,
	error: unknown,
	items: INodeExecutionData[],
): INodeExecutionData[] {
	if (!this.continueOnFail()) throw toNodeError(this, error, 0);
	return items.map((_, i) => errorItem(error, i));
}

const itemOf = (o: INodeExecutionData) => (o.pairedItem as { item: number } | undefined)?.item ?? 0;

/**
 * Lists of output items (error items made before sending, results of batches) merged back into input
 * order; the sort is stable, so several outputs of one item keep their order.
 */
export function inItemOrder(...lists: INodeExecutionData[][]): INodeExecutionData[] {
	const all: INodeExecutionData[] = [];
	for (const list of lists) for (const item of list) all.push(item);
	return all.sort((a, b) => itemOf(a) - itemOf(b));
}
