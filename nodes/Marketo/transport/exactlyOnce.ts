/**
 * Exactly-once upserts. When the answer to a createOrUpdate is lost (see outcome.ts), sending the same
 * call again may create every new record a second time: Marketo may have written it, or may still be
 * writing it. Instead the transport waits a moment, looks up by the records' keys what Marketo holds
 * (one lookup call per 300 keys), and sends again only what is missing; a record that now exists is
 * sent as an update (`updateOnly`), which can never create. A key Marketo holds twice (another
 * integration raced us) is reported with its ids, never written blindly.
 */
import { sleep, type IDataObject } from 'n8n-workflow';

import type { BatchInputRecord, BatchItemResult } from './batchTypes';
import { logger } from './log';
import { outcomeSentAt } from './outcome';
import { marketoApiRequest, type MarketoContext, type MarketoSettings } from './request';

export interface ExactlyOnceRule {
	/** What a key names, for messages: "leads with email", "spotMeAttendance_c records with". */
	what: string;
	/** For each record, the ids Marketo holds under its key (none, one, or several). */
	lookup: (
		this: MarketoContext,
		records: BatchInputRecord[],
		settings: MarketoSettings,
	) => Promise<string[][]>;
	/** The body that updates (never creates) these records; undefined when a found record is done (createOnly). */
	asUpdate: (body: IDataObject) => IDataObject | undefined;
}

const LOOKUP_CHUNK = 300;
/** Lost answers in a row for one batch before its records are reported as unknown. */
export const MAX_RECOVERIES = 3;

function chunks<T>(list: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
	return out;
}

/** Leads keyed by the lookup field (email compared case-insensitively, as Marketo does). */
export function leadsOnce(lookupField: string): ExactlyOnceRule {
	const keyOf = (value: unknown) => String(value ?? '').toLowerCase();
	return {
		what: `leads with ${lookupField}`,
		asUpdate: (body) => {
			if (body.action === 'createOnly') return undefined;
			const update: IDataObject = { ...body, action: 'updateOnly' };
			delete update.partitionName;
			return update;
		},
		async lookup(records, settings) {
			const ids = new Map<string, string[]>();
			const keys = [...new Set(records.map((r) => String(r.record[lookupField] ?? '')))];
			for (const part of chunks(keys, LOOKUP_CHUNK)) {
				let nextPageToken: string | undefined;
				do {
					const response = await marketoApiRequest.call(
						this,
						'GET',
						'/v1/leads.json',
						{
							qs: {
								filterType: lookupField,
								filterValues: part,
								fields: ['id', lookupField],
								nextPageToken,
							},
						},
						settings,
					);
					for (const lead of response.result ?? []) {
						const key = keyOf(lead[lookupField]);
						const list = ids.get(key) ?? [];
						list.push(String(lead.id));
						ids.set(key, list);
					}
					nextPageToken = response.moreResult ? response.nextPageToken : undefined;
				} while (nextPageToken);
			}
			return records.map((r) => ids.get(keyOf(r.record[lookupField])) ?? []);
		},
	};
}

/** Custom object records keyed by the type's dedupe fields. */
export function customObjectsOnce(name: string, dedupeFields: string[]): ExactlyOnceRule {
	const keyOf = (r: IDataObject) => JSON.stringify(dedupeFields.map((f) => String(r[f] ?? '')));
	return {
		what: `${name} records with ${dedupeFields.join(' + ')}`,
		asUpdate: (body) =>
			body.action === 'createOnly' ? undefined : { ...body, action: 'updateOnly' },
		async lookup(records, settings) {
			const ids = new Map<string, string[]>();
			const unique = new Map<string, IDataObject>();
			for (const r of records) {
				const key: IDataObject = {};
				for (const f of dedupeFields) key[f] = r.record[f];
				unique.set(keyOf(key), key);
			}
			for (const part of chunks([...unique.values()], LOOKUP_CHUNK)) {
				let nextPageToken: string | undefined;
				do {
					const body: IDataObject = {
						filterType: 'dedupeFields',
						fields: ['marketoGUID', ...dedupeFields],
						input: part,
					};
					if (nextPageToken) body.nextPageToken = nextPageToken;
					const response = await marketoApiRequest.call(
						this,
						'POST',
						`/v1/customobjects/${name}.json`,
						{ qs: { _method: 'GET' }, body },
						settings,
					);
					for (const rec of response.result ?? []) {
						const key = keyOf(rec);
						const list = ids.get(key) ?? [];
						list.push(String(rec.marketoGUID));
						ids.set(key, list);
					}
					nextPageToken = response.moreResult ? response.nextPageToken : undefined;
				} while (nextPageToken);
			}
			return records.map((r) => ids.get(keyOf(r.record)) ?? []);
		},
	};
}

/**
 * After a lost answer: what Marketo holds decides what is sent again. `resend(records, update)` sends
 * the given records once more (as updates when `update`), itself recovering from a lost answer.
 */
export async function recoverLostAnswer(
	this: MarketoContext,
	rule: ExactlyOnceRule,
	settings: MarketoSettings,
	batch: BatchInputRecord[],
	body: IDataObject,
	lost: unknown,
	depth: number,
	resend: (records: BatchInputRecord[], update: boolean) => Promise<BatchItemResult[]>,
): Promise<BatchItemResult[]> {
	// A write Marketo may still be processing lands at the latest when Marketo's own time-out ends,
	// which the transport's time-out is set above: look only then (at once after our time-out).
	const settle = outcomeSentAt(lost) + settings.timing.timeoutMs - Date.now();
	logger(this)?.warn(
		`Marketo: the answer to a write of ${batch.length} records was lost (${(lost as Error).message}); looking up what Marketo holds before sending again`,
	);
	await sleep(Math.max(1, Math.round(settings.timing.baseDelayMs * 2 ** depth), settle));
	const found = await rule.lookup.call(this, batch, settings);
	const results = new Array<BatchItemResult>(batch.length);
	const existing: number[] = [];
	const missing: number[] = [];
	const update = rule.asUpdate(body);
	for (let i = 0; i < batch.length; i++) {
		const ids = found[i];
		const r = batch[i];
		if (ids.length > 1) {
			results[i] = {
				itemIndex: r.itemIndex,
				input: r.record,
				success: false,
				status: 'duplicate',
				code: 'duplicate',
				message: `Marketo holds ${ids.length} ${rule.what} ${r.lockKey ?? ''} (ids ${ids.join(', ')}); merge them in Marketo, then run again`,
				result: { duplicateIds: ids, key: r.lockKey ?? null },
			};
		} else if (ids.length === 1 && !update) {
			// createOnly: the lost call created it.
			results[i] = {
				itemIndex: r.itemIndex,
				input: r.record,
				success: true,
				status: 'created',
				result: { id: ids[0], marketoGUID: ids[0], status: 'created' },
			};
		} else (ids.length === 1 ? existing : missing).push(i);
	}
	for (const [list, asUpdate] of [
		[existing, true],
		[missing, false],
	] as const) {
		if (!list.length) continue;
		const sent = await resend(
			list.map((i) => batch[i]),
			asUpdate,
		);
		list.forEach((i, k) => (results[i] = sent[k]));
	}
	return results;
}
