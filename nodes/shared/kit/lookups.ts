import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { errorItem, toNodeError } from './errors';

/**
 * One value an item looks up ("the lead with email a@x.com"), with that item's limit. Lookups of many
 * items share calls: one call per item would spend the whole instance's budget on a big input.
 */
export interface LookupEntry {
	itemIndex: number;
	/** The item's maximum number of records. */
	limit: number;
}

export interface CombinedLookup<E extends LookupEntry> {
	/** Distinct keys per call (Marketo: 300 filter values). */
	chunkSize: number;
	/** The key of an entry; entries with the same key share a slot of a call. */
	keyOf: (entry: E) => string;
	/**
	 * Reads the records of one chunk of entries through the transport, page by page: each page goes
	 * to `accept`, which answers whether any entry of the chunk still wants more (to stop paging).
	 */
	fetch: (chunk: E[], accept: (page: IDataObject[]) => boolean) => Promise<void>;
	/** The entries of the chunk that a record answers. */
	owners: (record: IDataObject, chunk: E[]) => E[];
	/** The output json of a record for an entry's item. */
	shape: (record: IDataObject, entry: E) => IDataObject;
}

/**
 * The batch-lookup rule of both nodes: entries are cut into chunks of at most `chunkSize` distinct
 * keys, one chunk's records are read (all pages), and each record goes to every item whose entry it
 * answers, once per item, up to the item's limit, in the order of the item's entries. A chunk whose
 * read fails makes each of its items an error item with Continue on Fail (dropping what they had),
 * and stops the node otherwise. `outputs[i]` collects item i's output items.
 */
export async function runCombinedLookups<E extends LookupEntry>(
	ctx: IExecuteFunctions,
	entries: E[],
	outputs: INodeExecutionData[][],
	lookup: CombinedLookup<E>,
): Promise<void> {
	const counts = new Map<number, number>();
	const seen = new Map<number, Set<IDataObject>>();
	const failed = new Set<number>();
	for (const chunk of chunkByKey(entries, lookup.keyOf, lookup.chunkSize)) {
		const wanting = () => chunk.some((e) => (counts.get(e.itemIndex) ?? 0) < e.limit);
		const accept = (page: IDataObject[]) => {
			const perEntry = new Map<E, IDataObject[]>();
			for (const record of page) {
				for (const owner of lookup.owners(record, chunk)) {
					const list = perEntry.get(owner);
					if (list) list.push(record);
					else perEntry.set(owner, [record]);
				}
			}
			for (const entry of chunk) {
				const i = entry.itemIndex;
				if (failed.has(i)) continue;
				const itemSeen = seen.get(i) ?? new Set<IDataObject>();
				seen.set(i, itemSeen);
				for (const record of perEntry.get(entry) ?? []) {
					const count = counts.get(i) ?? 0;
					if (count >= entry.limit || itemSeen.has(record)) continue;
					itemSeen.add(record);
					counts.set(i, count + 1);
					outputs[i].push({ json: lookup.shape(record, entry), pairedItem: { item: i } });
				}
			}
			return wanting();
		};
		try {
			if (wanting()) await lookup.fetch(chunk, accept);
		} catch (error) {
			const items = [...new Set(chunk.map((e) => e.itemIndex))];
			if (!ctx.continueOnFail()) throw toNodeError(ctx, error, items[0]);
			for (const i of items) {
				failed.add(i);
				outputs[i] = [errorItem(error, i)];
			}
		}
	}
}

/**
 * Chunks of entries with at most `size` distinct keys each; entries sharing a key go in the same
 * chunk wherever they are in the input (50 000 items looking up 2 000 emails make 7 calls, not 167).
 */
function chunkByKey<E>(entries: E[], keyOf: (entry: E) => string, size: number): E[][] {
	const byKey = new Map<string, E[]>();
	for (const entry of entries) {
		const key = keyOf(entry);
		const list = byKey.get(key);
		if (list) list.push(entry);
		else byKey.set(key, [entry]);
	}
	const chunks: E[][] = [];
	let current: E[] = [];
	let keys = 0;
	for (const list of byKey.values()) {
		if (keys >= size) {
			chunks.push(current);
			current = [];
			keys = 0;
		}
		keys++;
		for (const entry of list) current.push(entry);
	}
	if (current.length) chunks.push(current);
	return chunks;
}
