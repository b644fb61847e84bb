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
import {
	getMarketoSettings,
	marketoApiRequest,
	type MarketoContext,
	type MarketoSettings,
} from './request';
import type { MarketoTiming } from './settings';

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
	/**
	 * Marketo's own time-out for the write, in seconds (Adobe's "Timeouts": Sync Leads 90 s, Sync
	 * Custom Objects 120 s): by then Marketo has ended the call, written or not.
	 */
	serverTimeoutS: number;
}

/**
 * How long after sending a write its outcome is settled (real ms): Marketo's own time-out for the
 * write, plus a tenth and 5 s for transit and clocks, so nothing Marketo still writes can land later.
 * It is the write's own time-out too: waiting longer for an answer learns nothing more. Never below
 * 3 s of real time (a time-scaled emulator on a loaded machine may take that long for a big call),
 * never above the transport's time-out for every other call.
 */
export function outcomeKnownAfterMs(rule: ExactlyOnceRule, timing: MarketoTiming): number {
	const bound = (rule.serverTimeoutS * 1000 * 1.1 + 5000) * timing.scale;
	return Math.round(Math.min(timing.timeoutMs, Math.max(3000, bound)));
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
		serverTimeoutS: 90,
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
		serverTimeoutS: 120,
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
	// A write Marketo may still be processing lands at the latest when Marketo's own time-out for it
	// ends (90 s for Sync Leads, not the 300 s of the slowest endpoints): look only then, at once
	// after the write's own time-out.
	const settle = outcomeSentAt(lost) + outcomeKnownAfterMs(rule, settings.timing) - Date.now();
	logger(this)?.warn(
		`Marketo: the answer to a write of ${batch.length} records was lost (${(lost as Error).message}); looking up what Marketo holds in ${Math.max(0, Math.round(settle / 1000))} s (when Marketo's own ${rule.serverTimeoutS} s time-out for the write has passed), before sending anything again`,
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
				duplicates: { key: r.lockKey ?? '', ids },
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

/**
 * Records Marketo skipped because their key is held by several records (Sync Leads' 1007, "Multiple
 * lead match lookup criteria") say which: their keys are looked up (one call per 300 keys, spent only
 * when such records exist) and each result names its key and the ids Marketo holds under it, so the
 * error item (or the error with Continue on Fail off) tells which leads to merge.
 */
export async function nameDuplicates(
	this: MarketoContext,
	rule: ExactlyOnceRule,
	results: BatchItemResult[],
	heldTwice: (result: BatchItemResult) => boolean,
): Promise<void> {
	const skipped = results.filter((r) => !r.success && !r.duplicates && heldTwice(r));
	if (!skipped.length) return;
	let found: string[][];
	try {
		const settings = await getMarketoSettings.call(this);
		found = await rule.lookup.call(
			this,
			skipped.map((r) => ({ itemIndex: r.itemIndex, record: r.input, lockKey: r.key })),
			settings,
		);
	} catch (error) {
		logger(this)?.warn(
			`Marketo: could not look up the ${skipped.length} keys Marketo holds more than once: ${(error as Error).message}`,
		);
		return;
	}
	skipped.forEach((r, i) => {
		const ids = found[i];
		const key = r.key ?? '';
		r.duplicates = { key, ids };
		if (ids.length > 1)
			r.message = `${r.message ?? 'Marketo skipped this record'}: Marketo holds ${ids.length} ${rule.what} ${key} (ids ${ids.join(', ')}); merge them in Marketo, then run again`;
	});
}
