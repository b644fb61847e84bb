import {
	NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { forEachItemWith } from '../../shared/perItem';
import { marketoErrorCode, type BatchItemResult } from '../transport';

/**
 * The error item for item `i` when "Continue on Fail" is on: what happened, Marketo's code and message
 * when there are some, and the input that was sent (never a credential).
 */
export function errorItem(error: unknown, i: number, input?: IDataObject): INodeExecutionData {
	const e = error as { message?: string; description?: string | null; context?: IDataObject };
	const json: IDataObject = { error: e?.message ?? String(error) };
	const code = marketoErrorCode(error);
	if (code !== undefined) {
		json.code = code;
		if (e.context?.marketoMessage !== undefined) json.message = e.context.marketoMessage;
	}
	if (e?.description) json.description = e.description;
	if (input !== undefined) json.input = input;
	return { json, pairedItem: { item: i } };
}

/**
 * For operations that read once for all items (usage, lead fields): the failure, with "Continue on Fail",
 * as one error item per input item, so every item is accounted for; without it, an error naming item 0.
 */
export function errorForAllItems(
	this: IExecuteFunctions,
	error: unknown,
	items: INodeExecutionData[],
): INodeExecutionData[] {
	if (!this.continueOnFail()) throw forItem(error, 0);
	return items.map((_, i) => errorItem(error, i));
}

/** Tags an error with the item it belongs to, so n8n's message names the item ("[item 2]"). */
export function forItem<T>(error: T, i: number): T {
	const e = error as { context?: IDataObject };
	if (e && typeof e === 'object') {
		e.context = e.context ?? {};
		if (e.context.itemIndex === undefined) e.context.itemIndex = i;
	}
	return error;
}

/**
 * Runs `fn` for every item; each item ends as its output items or, with "Continue on Fail", as an error
 * item. Without it, the first failure stops the node with a message that names the item.
 */
export async function forEachItem(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	fn: (i: number) => Promise<IDataObject | IDataObject[]>,
): Promise<INodeExecutionData[]> {
	return await forEachItemWith.call(this, items, fn, {
		toErrorItem: errorItem,
		toNodeError: forItem,
	});
}

/** One n8n item per Marketo record, in input order; a skipped record fails the node or becomes an error item. */
export function itemsFromBatchResults(
	this: IExecuteFunctions,
	results: BatchItemResult[],
	toJson: (r: BatchItemResult) => IDataObject,
	what: string,
): INodeExecutionData[] {
	const out: INodeExecutionData[] = [];
	for (const r of results) {
		if (r.success) {
			out.push({ json: toJson(r), pairedItem: { item: r.itemIndex } });
			continue;
		}
		const message = `Marketo ${r.status === 'skipped' ? 'skipped' : 'did not process'} the ${what} of item ${r.itemIndex}${r.code ? ` (${r.code})` : ''}: ${r.message ?? 'no reason given'}`;
		if (this.continueOnFail()) {
			const json: IDataObject = {
				error: message,
				code: r.code ?? null,
				message: r.message ?? null,
				status: r.status ?? 'failed',
				input: r.input,
			};
			if (r.reasons) json.reasons = r.reasons as unknown as IDataObject[];
			out.push({ json, pairedItem: { item: r.itemIndex } });
			continue;
		}
		throw new NodeApiError(
			this.getNode(),
			{ code: r.code ?? null, message: r.message ?? null } as JsonObject,
			{
				message,
				description:
					'Turn on "Continue on Fail" (Settings > On Error) to get the other items through and this one as an error item',
				itemIndex: r.itemIndex,
			},
		);
	}
	return out;
}

/**
 * Error items for bad input (made before sending) and the items of the batch results, merged back into
 * input order; the sort is stable, so several outputs of one item keep their order.
 */
export function inItemOrder(...lists: INodeExecutionData[][]): INodeExecutionData[] {
	const itemOf = (o: INodeExecutionData) => (o.pairedItem as { item: number }).item ?? 0;
	return lists.flat().sort((a, b) => itemOf(a) - itemOf(b));
}

/** A comma-separated string, an array or a single value → trimmed, non-empty strings. */
export function toList(value: unknown): string[] {
	if (value === undefined || value === null) return [];
	const parts = Array.isArray(value) ? value : String(value).split(',');
	return parts
		.flatMap((v) => (Array.isArray(v) ? v : [v]))
		.map((v) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)).trim())
		.filter((v) => v !== '');
}
