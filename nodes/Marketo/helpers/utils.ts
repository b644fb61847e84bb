import {
	NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { describeFailures, errorItem } from '../../shared/kit';
import type { BatchItemResult } from '../transport';

/** One n8n item per Marketo record, in input order; a skipped record fails the node or becomes an error item. */
export function itemsFromBatchResults(
	this: IExecuteFunctions,
	results: BatchItemResult[],
	toJson: (r: BatchItemResult) => IDataObject,
	what: string,
): INodeExecutionData[] {
	const out: INodeExecutionData[] = [];
	const refused: Array<{ r: BatchItemResult; message: string }> = [];
	for (const r of results) {
		if (r.success) {
			out.push({ json: toJson(r), pairedItem: { item: r.itemIndex } });
			continue;
		}
		const message = `Marketo ${r.status === 'skipped' ? 'skipped' : 'did not process'} the ${what} of item ${r.itemIndex}${r.code ? ` (${r.code})` : ''}: ${r.message ?? 'no reason given'}`;
		if (!this.continueOnFail()) {
			refused.push({ r, message });
			continue;
		}
		out.push(
			errorItem(message, r.itemIndex, {
				code: r.code ?? null,
				message: r.message ?? null,
				status: r.status ?? 'failed',
				input: r.input,
				...(r.reasons ? { reasons: r.reasons as unknown as IDataObject[] } : {}),
				// a key Marketo holds more than once: which key, and the ids to merge
				...(r.duplicates ? { key: r.duplicates.key, duplicateIds: r.duplicates.ids } : {}),
			}),
		);
	}
	if (refused.length) {
		// Every batch was sent: the error names each refused record and how many were written.
		const [{ r, message }] = refused;
		const written = results.length - refused.length;
		const list = describeFailures(
			refused.map(({ r: x }) => ({
				itemIndex: x.itemIndex,
				key: x.key === undefined ? undefined : String(x.key),
				reason: `${x.code ?? x.status ?? 'failed'}: ${x.message ?? 'no reason given'}`,
			})),
		);
		throw new NodeApiError(
			this.getNode(),
			{ code: r.code ?? null, message: r.message ?? null } as JsonObject,
			{
				message,
				description: `${written} of ${results.length} records were written; Marketo refused ${refused.length}: ${list}. Turn on "Continue on Fail" (Settings > On Error) to get the other items through and this one as an error item`,
				itemIndex: r.itemIndex,
			},
		);
	}
	return out;
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
