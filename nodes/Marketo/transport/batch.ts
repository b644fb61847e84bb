import { NodeOperationError, type IDataObject, type IHttpRequestMethods } from 'n8n-workflow';

import { jsonBytes, sendInBatches } from '../../shared/kit/batch';
import { FATAL_MESSAGES, marketoErrorCode, type MarketoErrorDetail } from './errors';
import {
	MAX_RECOVERIES,
	outcomeKnownAfterMs,
	recoverLostAnswer,
	type ExactlyOnceRule,
} from './exactlyOnce';
import { lockKeys } from './keyLocks';
import { logger } from './log';
import { whenTokenReady } from './tokenReady';
import { isOutcomeUnknown } from './outcome';
import type { BatchInputRecord, BatchItemResult } from './batchTypes';
import {
	getMarketoSettings,
	marketoApiRequest,
	type MarketoContext,
	type MarketoSettings,
} from './request';

/** Marketo's Lead-database write endpoints take at most 300 records per call. */
export const MAX_BATCH_SIZE = 300;

/** Marketo refuses a request body over 1 MB (413). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Why a record alone is too big for one call: its size and its largest fields. */
function oversizeMessage(record: IDataObject, weight: number): string {
	const fields = Object.entries(record)
		.map(([name, value]) => ({ name, bytes: jsonBytes(value) }))
		.sort((a, b) => b.bytes - a.bytes)
		.slice(0, 3)
		.map((f) => `${f.name} ${f.bytes} bytes`)
		.join(', ');
	return `This record is ${weight} bytes as JSON, over the 1 MB Marketo accepts in one call (largest fields: ${fields}); shorten those fields`;
}

export type { BatchInputRecord, BatchItemResult } from './batchTypes';

export interface BatchRequestArgs {
	path: string;
	method?: IHttpRequestMethods;
	records: BatchInputRecord[];
	/** Builds the request body around one batch's `input` array. */
	buildBody: (input: IDataObject[]) => IDataObject;
	batchSize?: number;
	/** Namespace for `lockKey` (e.g. `leads:email`); upserts on the same instance + scope + key are serialized. */
	lockScope?: string;
	/**
	 * What to do when a failure no retry can fix (607 quota, 1029, 603, credential or network) stops the run:
	 * `false` throws it; `true` stops sending and returns the results so far plus a failure for each
	 * record not sent, so every item can still be accounted for. Default: the node's Continue on Fail.
	 */
	continueOnFatal?: boolean;
	/**
	 * For upserts: how to find what Marketo holds by the records' keys, so a call whose answer was lost
	 * is never sent blindly again (exactlyOnce.ts: `leadsOnce`, `customObjectsOnce`).
	 */
	exactlyOnce?: ExactlyOnceRule;
}

function reasonsOf(result: IDataObject | undefined): MarketoErrorDetail[] {
	const reasons = result?.reasons;
	if (!Array.isArray(reasons)) return [];
	return reasons.map((r) => ({
		code: String((r as IDataObject).code ?? ''),
		message: String((r as IDataObject).message ?? ''),
	}));
}

/**
 * Sends records in batches of ≤300 and ≤1 MB, up to the credential's concurrency at once, and returns one
 * result per record in input order, each tied to its n8n item. Results are matched by `seq` when Marketo sends it
 * (program members, custom objects) and by position otherwise (leads have no `seq`).
 *
 * A response-level failure of one batch (after the transport's retries) becomes a failure of each record in
 * that batch; quota and permission failures (607, 1029, 603) stop the whole run.
 */
export async function marketoBatchRequest(
	this: MarketoContext,
	args: BatchRequestArgs,
): Promise<BatchItemResult[]> {
	// A credential that cannot work (e.g. a Munchkin ID as the endpoint) means nothing can be sent. With
	// continueOnFatal every record reports it, so no item silently passes through.
	const continueOnFatal =
		args.continueOnFatal ?? ('continueOnFail' in this && this.continueOnFail());
	const settingsOrError = await getMarketoSettings.call(this).catch((error: Error) => error);
	if (settingsOrError instanceof Error) {
		if (!continueOnFatal || args.records.length === 0) {
			throw new NodeOperationError(this.getNode(), settingsOrError, {
				itemIndex: args.records[0]?.itemIndex,
			});
		}
		const message = settingsOrError.message;
		return args.records.map((r) => ({
			itemIndex: r.itemIndex,
			input: r.record,
			success: false,
			message,
		}));
	}
	const settings: MarketoSettings = settingsOrError;
	const fatal = (error: unknown) => {
		const code = marketoErrorCode(error);
		return code === undefined || FATAL_MESSAGES[code] !== undefined;
	};
	const tokenReady = whenTokenReady(settings.instanceKey);
	const results = await sendInBatches<BatchInputRecord, BatchItemResult>(args.records, {
		size: Math.min(MAX_BATCH_SIZE, Math.max(1, args.batchSize ?? MAX_BATCH_SIZE)),
		isFatal: fatal,
		throwFatal: !continueOnFatal,
		// Up to the credential's concurrency (Marketo allows 10 calls in flight per instance); the
		// throttle keeps them inside the 20 s budget and the key locks keep two upserts of one key apart.
		concurrency: settings.budget.maxConcurrent,
		// The first call alone until it has its token: a credential without one fetches one token, not
		// one per parallel call; the others leave as soon as it is there, not a Marketo latency later.
		firstAlone: { until: tokenReady.ready },
		succeeded: (r) => r.success,
		// Marketo answers 413 to a body over 1 MB: batches are cut by bytes too.
		weigh: (r) => jsonBytes(r.record) + 1,
		maxWeight: MAX_BODY_BYTES - jsonBytes(args.buildBody([])),
		oversize: (r, weight) => ({
			itemIndex: r.itemIndex,
			input: r.record,
			success: false,
			status: 'oversize',
			code: '413',
			message: oversizeMessage(r.record, weight),
		}),
		send: async (batch) => await sendBatch.call(this, args, settings, batch),
		failed: (r, error) => {
			const code = marketoErrorCode(error);
			const message = (error as Error).message;
			// A fatal failure is the run's, not the record's: no per-record reasons then.
			const reasons = fatal(error) ? undefined : [{ code: code as string, message }];
			return { itemIndex: r.itemIndex, input: r.record, success: false, code, message, reasons };
		},
		unsent: (r, error) => ({
			itemIndex: r.itemIndex,
			input: r.record,
			success: false,
			status: 'unsent',
			code: marketoErrorCode(error),
			message: `Not sent: ${(error as Error).message}`,
		}),
	}).finally(tokenReady.cancel);
	let skipped = 0;
	for (let i = 0; i < results.length; i++) {
		const key = args.records[i].lockKey;
		if (key !== undefined && key !== '') results[i].key = key;
		if (!results[i].success) skipped++;
	}
	if (skipped) {
		logger(this)?.info(
			`Marketo: ${args.path}: ${skipped} of ${results.length} records not written (each reported on its item)`,
		);
	}
	return results;
}

/** One call of at most 300 records, its keys locked, its results matched back to the records. */
async function sendBatch(
	this: MarketoContext,
	args: BatchRequestArgs,
	settings: MarketoSettings,
	batch: BatchInputRecord[],
): Promise<BatchItemResult[]> {
	const keys = args.lockScope
		? [
				...new Set(
					batch
						.filter((r) => r.lockKey !== undefined && r.lockKey !== '')
						.map(
							(r) => `${settings.instanceKey}|${args.lockScope}|${String(r.lockKey).toLowerCase()}`,
						),
				),
			]
		: [];
	const unlock = keys.length ? await lockKeys(keys) : () => {};
	try {
		return await write.call(this, args, settings, batch, false, 0);
	} finally {
		unlock();
	}
}

/** Sends records once (as updates when `update`); a lost answer of an upsert is recovered, not re-sent. */
async function write(
	this: MarketoContext,
	args: BatchRequestArgs,
	settings: MarketoSettings,
	batch: BatchInputRecord[],
	update: boolean,
	depth: number,
): Promise<BatchItemResult[]> {
	const rule = args.exactlyOnce;
	let body = args.buildBody(batch.map((r) => r.record));
	if (update && rule) body = rule.asUpdate(body) ?? body;
	// A failure other than a lost answer goes up as the transport threw it (a NodeApiError).
	const sent = await marketoApiRequest
		.call(
			this,
			args.method ?? 'POST',
			args.path,
			{
				body,
				itemIndex: batch[0].itemIndex,
				notRepeatable: rule !== undefined,
				// An upsert waits for its answer only as long as Marketo may work on it (Sync Leads: 90 s)
				timeoutMs: rule ? outcomeKnownAfterMs(rule, settings.timing) : undefined,
			},
			settings,
		)
		.then(
			(response) => ({ response }),
			(error: unknown) => {
				if (!rule || !isOutcomeUnknown(error) || depth >= MAX_RECOVERIES) throw error;
				return { lost: error };
			},
		);
	if ('response' in sent) {
		const results = sent.response.result;
		return matchResults(batch, Array.isArray(results) ? results : []);
	}
	// The answer was lost: what Marketo holds decides what is sent again.
	return await recoverLostAnswer.call(
		this,
		rule as ExactlyOnceRule,
		settings,
		batch,
		body,
		sent.lost,
		depth,
		async (records, asUpdate) =>
			await write.call(this, args, settings, records, asUpdate || update, depth + 1),
	);
}

/** Results are matched by `seq` when Marketo sends it (members, custom objects), by position otherwise. */
function matchResults(batch: BatchInputRecord[], results: IDataObject[]): BatchItemResult[] {
	const bySeq = new Map<number, IDataObject>();
	const useSeq = results.length > 0 && results.every((r) => typeof r.seq === 'number');
	results.forEach((r, i) => bySeq.set(useSeq ? (r.seq as number) : i, r));
	return batch.map((r, i): BatchItemResult => {
		const result = bySeq.get(i);
		if (!result) {
			return {
				itemIndex: r.itemIndex,
				input: r.record,
				success: false,
				code: 'missing',
				message: 'Marketo returned no result for this record',
			};
		}
		const status = typeof result.status === 'string' ? result.status : undefined;
		const reasons = reasonsOf(result);
		const failed =
			status === 'skipped' || status === 'failed' || (status === undefined && reasons.length > 0);
		return {
			itemIndex: r.itemIndex,
			input: r.record,
			success: !failed,
			status,
			result,
			code: failed ? reasons[0]?.code : undefined,
			message: failed
				? (reasons[0]?.message ?? `Marketo ${status ?? 'rejected'} this record`)
				: undefined,
			reasons: reasons.length ? reasons : undefined,
		};
	});
}
