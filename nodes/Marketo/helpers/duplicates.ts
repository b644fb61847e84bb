/**
 * No lead held twice, across n8n processes (issue 10).
 *
 * Two createOrUpdate calls for the same new key that overlap in Marketo both create a lead (Adobe
 * documents the race). One process keeps such calls apart (transport/batch.ts locks keys), but in
 * queue mode two workers cannot see each other's locks. So when the credential says several n8n
 * processes share the instance, after the writes the keys the run *created* are looked up (300 per call; a run that only updates spends nothing) and a key Marketo
 * now holds twice is merged into its oldest lead (lowest id, so every process picks the same winner)
 * with Marketo's Merge Leads. The process whose write landed last always sees both leads; two
 * processes repairing the same key at once both pick the same winner, and the second merge's 1004
 * (loser already gone) means the other one did it. Each item of a repaired key reports the winner's
 * id and the merged ids. A write Marketo skipped meanwhile with 1007 ("Multiple lead match lookup
 * criteria": its key was held twice) is looked up too, and sent once more after the merge.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	getMarketoSettings,
	marketoApiRequest,
	marketoErrorCode,
	marketoFilterRequestAllItems,
	type BatchItemResult,
} from '../transport';

/** Marketo merges at most 25 losing leads per call (1080 above, from 2026-03-31). */
const MAX_LOSERS = 25;
const PARALLEL_MERGES = 5;

export interface DuplicateRepair {
	/** The lead every item of the key now points to. */
	winner: number;
	/** The ids merged into it (by this process or, when empty, by another one at the same time). */
	merged: number[];
	/** Why the repair failed, if it did (the key may still be held twice). */
	error?: string;
}

const keyOf = (value: unknown) => String(value ?? '').toLowerCase();

async function leadsByKey(
	this: IExecuteFunctions,
	lookupField: string,
	keys: string[],
): Promise<Map<string, number[]>> {
	const leads = await marketoFilterRequestAllItems.call(this, '/v1/leads.json', {
		filterType: lookupField,
		values: keys,
		qs: { fields: ['id', lookupField] },
	});
	const ids = new Map<string, number[]>();
	for (const lead of leads) {
		const key = keyOf(lead[lookupField]);
		ids.set(
			key,
			[...(ids.get(key) ?? []), Number(lead.id)].sort((a, b) => a - b),
		);
	}
	return ids;
}

async function merge(this: IExecuteFunctions, winner: number, losers: number[]): Promise<void> {
	for (let i = 0; i < losers.length; i += MAX_LOSERS) {
		await marketoApiRequest.call(this, 'POST', `/v1/leads/${winner}/merge.json`, {
			qs: { leadIds: losers.slice(i, i + MAX_LOSERS) },
		});
	}
}

/**
 * Looks up the keys `results` created and merges every key Marketo holds twice; returns the repair
 * per key (lower-cased), only for keys that were held twice.
 */
export async function repairDuplicateLeads(
	this: IExecuteFunctions,
	lookupField: string,
	results: BatchItemResult[],
): Promise<Map<string, DuplicateRepair>> {
	const repairs = new Map<string, DuplicateRepair>();
	// One process keeps overlapping upserts of a key apart itself (batch.ts key locks): only a deployment
	// of several processes (the credential's Processes Sharing This Instance) needs the check.
	const created = [
		...new Set(
			results
				.filter(
					(r) =>
						((r.success && r.status === 'created') || r.code === '1007') &&
						r.input[lookupField] !== undefined,
				)
				.map((r) => String(r.input[lookupField])),
		),
	];
	// Nothing created, nothing to check (and a credential that cannot work is not read again).
	if (created.length === 0) return repairs;
	const settings = await getMarketoSettings.call(this);
	if ((settings.budget.share?.processes ?? 1) < 2) return repairs;
	let held: Map<string, number[]>;
	try {
		held = await leadsByKey.call(this, lookupField, created);
	} catch (error) {
		this.logger?.warn(
			`Marketo: could not check ${created.length} new leads for duplicates: ${(error as Error).message}`,
		);
		for (const key of created)
			repairs.set(keyOf(key), { winner: 0, merged: [], error: (error as Error).message });
		return repairs;
	}
	// A key skipped with 1007 that is held once by now was merged by another process: send it again.
	const skipped = new Set(
		results.filter((r) => r.code === '1007').map((r) => keyOf(r.input[lookupField])),
	);
	for (const [key, ids] of held)
		if (ids.length === 1 && skipped.has(key)) repairs.set(key, { winner: ids[0], merged: [] });
	const twice = [...held].filter(([, ids]) => ids.length > 1);
	// A few merges at a time: the transport's throttle keeps them inside the budget.
	for (let i = 0; i < twice.length; i += PARALLEL_MERGES) {
		await Promise.all(
			twice.slice(i, i + PARALLEL_MERGES).map(async ([key, [winner, ...losers]]) => {
				try {
					await merge.call(this, winner, losers);
					repairs.set(key, { winner, merged: losers });
				} catch (error) {
					// 1004: another process merged these leads first; what is left decides.
					const now =
						marketoErrorCode(error) === '1004'
							? (await leadsByKey.call(this, lookupField, [key])).get(key)
							: undefined;
					if (now && now.length === 1) repairs.set(key, { winner: now[0], merged: [] });
					else repairs.set(key, { winner, merged: [], error: (error as Error).message });
				}
			}),
		);
	}
	if (repairs.size) {
		this.logger?.info(
			`Marketo: ${repairs.size} keys were held twice after concurrent upserts (another n8n process wrote them at the same time) and were merged`,
		);
	}
	return repairs;
}

/** What an item's output says about its key's repair (nothing when its key was held once). */
export function repairFacts(repair: DuplicateRepair | undefined): IDataObject {
	if (!repair) return {};
	if (repair.error && !repair.winner)
		return { duplicateCheck: `not checked for duplicates: ${repair.error}` };
	if (repair.error)
		return {
			duplicateCheck: `held twice and not merged (${repair.error}); merge the leads in Marketo`,
		};
	return { id: repair.winner, mergedDuplicates: repair.merged };
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
