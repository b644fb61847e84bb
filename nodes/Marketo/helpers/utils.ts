import {
	NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { errorItem } from '../../shared/kit';
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
		const list = refused
			.slice(0, 50)
			.map(
				({ r: x }) =>
					`item ${x.itemIndex}${x.key ? ` [${x.key}]` : ''} (${x.code ?? x.status ?? 'failed'}: ${x.message ?? 'no reason given'})`,
			)
			.join('; ');
		// Past the first 50, every other refused record is still named (index and key), grouped by reason.
		const groups = new Map<string, string[]>();
		for (const { r: x } of refused.slice(50)) {
			const reason = `${x.code ?? x.status ?? 'failed'}: ${x.message ?? 'no reason given'}`;
			const names = groups.get(reason) ?? [];
			if (!names.length) groups.set(reason, names);
			names.push(`${x.itemIndex}${x.key ? ` [${x.key}]` : ''}`);
		}
		const more = groups.size
			? `; and ${refused.length - 50} more: ${[...groups]
					.map(([reason, names]) => `(${reason}) items ${names.join(', ')}`)
					.join('; ')}`
			: '';
		throw new NodeApiError(
			this.getNode(),
			{ code: r.code ?? null, message: r.message ?? null } as JsonObject,
			{
				message,
				description: `${written} of ${results.length} records were written; Marketo refused ${refused.length}: ${list}${more}. Turn on "Continue on Fail" (Settings > On Error) to get the other items through and this one as an error item`,
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
