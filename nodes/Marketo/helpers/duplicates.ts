/**
 * No lead held twice, across n8n processes (issue 10).
 *
 * Two createOrUpdate calls for the same new key that overlap in Marketo both create a lead (Adobe
 * documents the race). One process keeps such calls apart (transport/batch.ts locks keys), but in
 * queue mode two workers cannot see each other's locks. So when the credential says several n8n
 * processes share the instance, after the writes the keys the run *created* (and the ones Marketo
 * skipped with 1007, "Multiple lead match lookup criteria") are looked up and a key Marketo now holds
 * more than once is merged into its oldest lead (lowest id, so every process picks the same winner)
 * with Marketo's Merge Leads: one call per key, the winner and all its losers (Marketo takes up to 25
 * losing ids per call; a key is held at most once per process, the rest go in further calls).
 *
 * Cost and limits: a lookup by filter that matches more than 1 000 leads is refused (1003), and with
 * N processes a key may be held N times, so keys are looked up in chunks of at most
 * 1000 / (N + 1) (at most 300, Marketo's filter limit; 200 for 4 workers, so each chunk is one call
 * plus a page per 300 leads it matches); a chunk Marketo still refuses with 1003 is halved. Each
 * chunk is looked up right before its merges, each process starts at another chunk and merges the
 * keys held more than once in an order of its own, 50 at a time, each 50 looked up again first (one
 * call), so a key another process has merged meanwhile is seen held once and costs no merge (two
 * workers repairing the same 300 people spend about 300 merges, not 600). Two processes merging
 * the same key at once both pick the same winner; the second merge's 1004 (a loser already gone)
 * means the other did it: those keys are looked up again together (not one call each) and merged
 * once more if still held twice, up to four rounds apart (with four workers a key can be taken
 * from under a process more than once). A run that only updates, or a single process, spends nothing.
 *
 * Every item of a key that was held more than once reports it: the winner's id, the ids merged into
 * it and who merged them (this execution or another n8n process), or why the repair failed.
 */
import { sleep, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import {
	getMarketoSettings,
	marketoApiRequest,
	marketoErrorCode,
	marketoFilterRequestAllItems,
	type BatchItemResult,
} from '../transport';

/** Marketo merges at most 25 losing leads per call (1080 above, from 2026-03-31). */
const MAX_LOSERS = 25;
/** Marketo's most values per filter lookup, and most leads one lookup may match (else 1003). */
const MAX_FILTER_VALUES = 300;
const MAX_MATCHES = 1000;
/** Keys merged between two fresh lookups when several processes may be merging the same keys. */
const MERGE_GROUP = 50;
/**
 * Rounds of looking up again the keys whose merge another process won part of (1004), and the
 * pause before each (times the round, with jitter): four workers can take turns on one key.
 */
const CONTESTED_ROUNDS = 4;
const CONTESTED_PAUSE_MS = 200;

export interface DuplicateRepair {
	/** The lead every item of the key now points to (0 when the key could not be checked). */
	winner: number;
	/** The ids merged into the winner (by this execution or, see `by`, by another process). */
	merged: number[];
	/** Who merged them. */
	by: 'this execution' | 'another n8n process';
	/** Why the repair failed, if it did (the key may still be held twice). */
	error?: string;
	/** When the merge failed: every id Marketo holds under the key (oldest first), to merge by hand. */
	held?: number[];
}

const keyOf = (value: unknown) => String(value ?? '').toLowerCase();

/** How many keys one lookup may carry when every key may be held once per process, and a spare. */
export function lookupChunkSize(processes: number): number {
	return Math.max(1, Math.min(MAX_FILTER_VALUES, Math.floor(MAX_MATCHES / (processes + 1))));
}

/** Lead ids per key (lower-cased), oldest first; a chunk refused with 1003 is looked up in halves. */
async function leadsByKey(
	this: IExecuteFunctions,
	lookupField: string,
	keys: string[],
	into = new Map<string, number[]>(),
): Promise<Map<string, number[]>> {
	const found = await marketoFilterRequestAllItems
		.call(this, '/v1/leads.json', {
			filterType: lookupField,
			values: keys,
			qs: { fields: ['id', lookupField] },
		})
		.then(
			(leads) => ({ leads }),
			(error: unknown) => {
				if (marketoErrorCode(error) !== '1003' || keys.length < 2) throw error;
				return { tooMany: true as const };
			},
		);
	if ('tooMany' in found) {
		const half = Math.ceil(keys.length / 2);
		await leadsByKey.call(this, lookupField, keys.slice(0, half), into);
		return await leadsByKey.call(this, lookupField, keys.slice(half), into);
	}
	const leads: IDataObject[] = found.leads;
	for (const lead of leads) {
		const key = keyOf(lead[lookupField]);
		into.set(
			key,
			[...(into.get(key) ?? []), Number(lead.id)].sort((a, b) => a - b),
		);
	}
	return into;
}

/** Runs `work` on every entry, at most `parallel` at a time (the transport's throttle paces the calls). */
async function inPool<T>(entries: T[], parallel: number, work: (entry: T) => Promise<void>) {
	let next = 0;
	const lanes = Array.from({ length: Math.min(parallel, entries.length) }, async () => {
		while (next < entries.length) await work(entries[next++]);
	});
	await Promise.all(lanes);
}

async function merge(this: IExecuteFunctions, winner: number, losers: number[]): Promise<void> {
	for (let i = 0; i < losers.length; i += MAX_LOSERS) {
		await marketoApiRequest.call(this, 'POST', `/v1/leads/${winner}/merge.json`, {
			qs: { leadIds: losers.slice(i, i + MAX_LOSERS) },
		});
	}
}

/**
 * Looks up the keys `results` created (or saw skipped with 1007) and merges every key Marketo holds
 * more than once; returns the repair per key (lower-cased), only for keys that were held more than once.
 */
export async function repairDuplicateLeads(
	this: IExecuteFunctions,
	lookupField: string,
	results: BatchItemResult[],
): Promise<Map<string, DuplicateRepair>> {
	const repairs = new Map<string, DuplicateRepair>();
	const toCheck = [
		...new Set(
			results
				.filter(
					(r) =>
						((r.success && r.status === 'created') || r.code === '1007') &&
						r.input[lookupField] !== undefined,
				)
				.map((r) => keyOf(r.input[lookupField])),
		),
	];
	// Nothing created, nothing to check (and a credential that cannot work is not read again).
	if (toCheck.length === 0) return repairs;
	const settings = await getMarketoSettings.call(this);
	// One process keeps overlapping upserts of a key apart itself (batch.ts key locks): only a
	// deployment of several processes (the credential's Processes Sharing This Instance) needs the check.
	const processes = settings.budget.share?.processes ?? 1;
	if (processes < 2) return repairs;
	const skipped = new Set(
		results.filter((r) => r.code === '1007').map((r) => keyOf(r.input[lookupField])),
	);
	const parallel = Math.max(2, settings.budget.maxConcurrent);
	const size = lookupChunkSize(processes);
	const chunks: string[][] = [];
	for (let i = 0; i < toCheck.length; i += size) chunks.push(toCheck.slice(i, i + size));
	// Processes repairing the same keys start at different chunks: what one has merged by the time
	// another looks its chunk up is seen held once, and costs the other no merge.
	const start = Math.floor(Math.random() * chunks.length);
	const seen = new Map<string, number[]>();
	const contested: string[] = [];

	/** The keys `held` shows more than once; a key held once now but not before was merged elsewhere. */
	const classify = (held: Map<string, number[]>, keys: string[]) => {
		const twice: Array<[string, number[]]> = [];
		for (const key of keys) {
			const ids = held.get(key);
			if (!ids) continue;
			const before = seen.get(key);
			if (ids.length > 1) twice.push([key, ids]);
			else if (before && before.length > 1) {
				// Held more than once when first looked up, once now: another process merged it.
				repairs.set(key, {
					winner: ids[0],
					merged: before.filter((id) => id !== ids[0]),
					by: 'another n8n process',
				});
			} else if (skipped.has(key)) {
				// Skipped with 1007 (held twice then), held once by the time of the lookup.
				repairs.set(key, { winner: ids[0], merged: [], by: 'another n8n process' });
			}
			if (!before) seen.set(key, ids);
		}
		return twice;
	};

	/**
	 * Merges the keys held more than once, in a random order of this process's own and a group at a
	 * time; each group after the first is looked up again just before (one call), so keys another
	 * process repairing the same people has merged meanwhile cost no merge call.
	 */
	const mergeAll = async (twice: Array<[string, number[]]>, lastRound: boolean) => {
		for (let i = twice.length - 1; i > 0; i--) {
			const j = Math.floor(Math.random() * (i + 1));
			[twice[i], twice[j]] = [twice[j], twice[i]];
		}
		for (let g = 0; g < twice.length; g += MERGE_GROUP) {
			let group = twice.slice(g, g + MERGE_GROUP);
			if (g > 0) {
				const keys = group.map(([key]) => key);
				const now = await leadsByKey.call(this, lookupField, keys).catch(() => undefined);
				if (now) group = classify(now, keys);
			}
			await inPool(group, parallel, async ([key, [winner, ...losers]]) => {
				try {
					await merge.call(this, winner, losers);
					repairs.set(key, { winner, merged: losers, by: 'this execution' });
				} catch (error) {
					// 1004: another process merged (some of) these leads first; looked up again below.
					if (marketoErrorCode(error) === '1004' && !lastRound) contested.push(key);
					else
						repairs.set(key, {
							winner,
							merged: [],
							by: 'this execution',
							error: (error as Error).message,
							held: [winner, ...losers],
						});
				}
			});
		}
	};

	for (let c = 0; c < chunks.length; c++) {
		const chunk = chunks[(start + c) % chunks.length];
		let held: Map<string, number[]>;
		try {
			held = await leadsByKey.call(this, lookupField, chunk);
		} catch (error) {
			this.logger?.warn(
				`Marketo: could not check ${chunk.length} new leads for duplicates: ${(error as Error).message}`,
			);
			for (const key of chunk)
				repairs.set(key, {
					winner: 0,
					merged: [],
					by: 'this execution',
					error: (error as Error).message,
				});
			continue;
		}
		await mergeAll(classify(held, chunk), false);
	}
	// Keys another process was merging at the same time (its merge took a loser this one meant to
	// merge: 1004): looked up again together, after a pause of this process's own so the processes
	// drift apart, and merged if still held twice; with several workers racing, a few rounds.
	for (let round = 1; contested.length && round <= CONTESTED_ROUNDS; round++) {
		const keys = contested.splice(0);
		await sleep(CONTESTED_PAUSE_MS * round * (0.5 + Math.random()));
		try {
			const held = new Map<string, number[]>();
			for (let i = 0; i < keys.length; i += size)
				await leadsByKey.call(this, lookupField, keys.slice(i, i + size), held);
			await mergeAll(classify(held, keys), round === CONTESTED_ROUNDS);
		} catch (error) {
			for (const key of keys)
				if (!repairs.has(key))
					repairs.set(key, {
						winner: seen.get(key)?.[0] ?? 0,
						merged: [],
						by: 'this execution',
						error: (error as Error).message,
					});
		}
	}
	const merged = [...repairs.values()].filter((r) => !r.error);
	const failed = repairs.size - merged.length;
	if (repairs.size) {
		const here = merged.filter((r) => r.by === 'this execution').length;
		this.logger?.info(
			`Marketo: ${repairs.size} keys were held more than once after concurrent upserts (another n8n process wrote them at the same time): ${here} merged here, ${merged.length - here} merged by another process${failed ? `, ${failed} not repaired` : ''}`,
		);
	}
	return repairs;
}

/** What an item's output says about its key's repair (nothing when its key was held once). */
export function repairFacts(repair: DuplicateRepair | undefined): IDataObject {
	if (!repair) return {};
	if (repair.error && !repair.winner)
		return { duplicateCheck: `not checked for duplicates: ${repair.error}` };
	if (repair.error) {
		const ids = repair.held ?? [repair.winner];
		return {
			duplicateCheck: `held more than once and not merged (${repair.error}); merge the leads in Marketo${repair.held ? ` (ids ${ids.join(', ')})` : ''}`,
			duplicateIds: ids,
		};
	}
	return { id: repair.winner, mergedDuplicates: repair.merged, mergedBy: repair.by };
}

/** A record Marketo skipped with 1007 (its key held twice) whose key is now merged: worth one more send. */
export function retryAfterMerge(
	result: BatchItemResult,
	lookupField: string | undefined,
	repairs: Map<string, DuplicateRepair> | undefined,
): boolean {
	if (!lookupField || !repairs || result.code !== '1007') return false;
	const repair = repairs.get(keyOf(result.input[lookupField]));
	return repair !== undefined && !repair.error;
}
