/**
 * The one batch rule for writes of both nodes:
 * - records are cut into batches by count (`size`) and, when `weigh` is given, by bytes
 *   (`maxWeight`, e.g. Marketo's 1 MB body, SpotMe's 5 MB); a record that alone is over the byte
 *   limit is never sent and gets the `oversize` result;
 * - every batch is sent, started in input order, up to `concurrency` at once (default 1), and each
 *   record ends as its own result: a success, or a failure that says why; results come back aligned
 *   with the input records whatever order the answers arrive in;
 * - a call that fails for its batch alone (after the transport's retries) fails that batch's records
 *   and the next batch is sent anyway;
 * - only a failure that makes every later call fail too (`isFatal`: a dead credential, the daily
 *   quota, a denied permission) stops early: no further batch is started, the ones already in flight
 *   end as they answer. Then, with `throwFatal` (Continue on Fail off), the
 *   error is thrown with `recordsWrittenBefore` in its context; otherwise each unsent record gets an
 *   `unsent` result that says it was not sent and why.
 */
export interface BatchRule<T, R> {
	/** Records per call (at least 1). */
	size: number;
	/** Sends one batch and returns one result per record, in the batch's order. */
	send: (batch: T[]) => Promise<R[]>;
	/** The result of a record whose batch call failed (`error`). */
	failed: (record: T, error: unknown) => R;
	/** The result of a record never sent because a fatal failure stopped the run. */
	unsent: (record: T, error: unknown) => R;
	/** Whether `error` makes every later call fail too. */
	isFatal: (error: unknown) => boolean;
	/** Throw a fatal failure instead of reporting unsent records (Continue on Fail off). */
	throwFatal?: boolean;
	/** Counts the successes among results, for `recordsWrittenBefore`. */
	succeeded?: (result: R) => boolean;
	/** A record's size in the request body, in bytes (with its separator). */
	weigh?: (record: T) => number;
	/** The most bytes the records of one call may take (the body limit less the envelope). */
	maxWeight?: number;
	/** The result of a record that alone is over `maxWeight`. */
	oversize?: (record: T, weight: number) => R;
	/** Batches in flight at once (default 1: one after the other). */
	concurrency?: number;
	/**
	 * Send the first batch alone before the others (e.g. so a fresh credential fetches one token): the
	 * others start when it has answered or, with `until`, as soon as that resolves (its token is there).
	 */
	firstAlone?: boolean | { until: Promise<unknown> };
}

/** Cuts record indexes into batches by count and bytes; over-heavy records go to `oversize`. */
export function planBatches<T>(
	records: T[],
	rule: Pick<BatchRule<T, unknown>, 'size' | 'weigh' | 'maxWeight'>,
): { batches: number[][]; oversize: Array<{ index: number; weight: number }> } {
	const size = Math.max(1, Math.floor(rule.size));
	const maxWeight = rule.weigh ? (rule.maxWeight ?? Infinity) : Infinity;
	const batches: number[][] = [];
	const oversize: Array<{ index: number; weight: number }> = [];
	let current: number[] = [];
	let weight = 0;
	for (let index = 0; index < records.length; index++) {
		const w = rule.weigh ? rule.weigh(records[index]) : 0;
		if (w > maxWeight) {
			oversize.push({ index, weight: w });
			continue;
		}
		if (current.length >= size || weight + w > maxWeight) {
			batches.push(current);
			current = [];
			weight = 0;
		}
		current.push(index);
		weight += w;
	}
	if (current.length) batches.push(current);
	return { batches, oversize };
}

export async function sendInBatches<T, R>(records: T[], rule: BatchRule<T, R>): Promise<R[]> {
	const out: R[] = new Array<R>(records.length);
	const { batches, oversize } = planBatches(records, rule);
	for (const { index, weight } of oversize) {
		if (!rule.oversize) throw new Error('A batch rule with `weigh` needs `oversize`');
		out[index] = rule.oversize(records[index], weight);
	}
	let next = 0;
	let fatal: { error: unknown } | undefined;
	const sendOne = async (batch: number[]) => {
		let results: R[];
		try {
			results = await rule.send(batch.map((i) => records[i]));
		} catch (error) {
			const isFatal = rule.isFatal(error);
			if (isFatal) fatal ??= { error };
			// Thrown (Continue on Fail off), a fatal failure is the run's: its batch stays unreported.
			if (isFatal && rule.throwFatal) return;
			for (const i of batch) out[i] = rule.failed(records[i], error);
			return;
		}
		for (let k = 0; k < batch.length; k++) out[batch[k]] = results[k];
	};
	// Each lane takes the next batch when its last one has answered; none starts after a fatal failure.
	const lane = async () => {
		while (!fatal && next < batches.length) await sendOne(batches[next++]);
	};
	const lanes = Math.min(batches.length, Math.max(1, Math.floor(rule.concurrency ?? 1)));
	const running: Array<Promise<void>> = [];
	if (rule.firstAlone && batches.length > 1) {
		// The first batch's lane, then the others once it has answered or its `until` resolved.
		const firstSent = sendOne(batches[next++]);
		running.push(firstSent.then(lane));
		const until = typeof rule.firstAlone === 'object' ? rule.firstAlone.until : undefined;
		await Promise.race(until ? [firstSent, until] : [firstSent]);
	}
	while (running.length < lanes) running.push(lane());
	await Promise.all(running);
	if (fatal) {
		if (rule.throwFatal) throw withWrittenCount(fatal.error, out, rule.succeeded);
		for (let b = next; b < batches.length; b++) {
			for (const i of batches[b]) out[i] = rule.unsent(records[i], fatal.error);
		}
	}
	return out;
}

function withWrittenCount<R>(
	error: unknown,
	results: R[],
	succeeded: ((result: R) => boolean) | undefined,
): unknown {
	if (error && typeof error === 'object') {
		const e = error as { context?: Record<string, unknown> };
		let written = 0;
		for (const r of results) if (r !== undefined && (!succeeded || succeeded(r))) written++;
		e.context = { ...(e.context ?? {}), recordsWrittenBefore: written };
	}
	return error;
}

/** Bytes of a value as JSON in UTF-8 (what it adds to a request body). */
export function jsonBytes(value: unknown): number {
	let bytes = 0;
	const text = JSON.stringify(value) ?? '';
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c < 0x80) bytes += 1;
		else if (c < 0x800) bytes += 2;
		else if (c >= 0xd800 && c <= 0xdbff) {
			bytes += 4;
			i++;
		} else bytes += 3;
	}
	return bytes;
}
