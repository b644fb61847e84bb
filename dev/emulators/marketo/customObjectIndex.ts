/**
 * Finds a custom object record by its key (dedupe fields or marketoGUID) without scanning every record
 * of the type, so a run of 250 000 records costs the emulator linear time. The index lives beside the
 * record array and follows it: records appended since are indexed on the next lookup; a removal
 * (splice) is noticed because the indexed positions or the last indexed record no longer match, and
 * the index is rebuilt.
 */
type Rec = Record<string, unknown>;

interface Index {
	map: Map<string, number>;
	count: number;
	last: Rec | undefined;
}

const indexes = new WeakMap<Rec[], Map<string, Index>>();

export function findByKey(
	records: Rec[],
	keyFields: string[],
	keyOf: (r: Rec) => string,
	key: string,
): Rec | undefined {
	let byFields = indexes.get(records);
	if (!byFields) indexes.set(records, (byFields = new Map()));
	const sig = keyFields.join('\u0000');
	let index = byFields.get(sig);
	const stale = (i: Index) =>
		records.length < i.count || (i.count > 0 && records[i.count - 1] !== i.last);
	if (!index || stale(index)) {
		index = { map: new Map(), count: 0, last: undefined };
		byFields.set(sig, index);
	}
	for (let i = index.count; i < records.length; i++) {
		const k = keyOf(records[i]);
		if (!index.map.has(k)) index.map.set(k, i);
	}
	index.count = records.length;
	index.last = records[records.length - 1];
	const at = index.map.get(key);
	if (at === undefined) return undefined;
	const hit = records[at];
	if (hit && keyOf(hit) === key) return hit;
	// Positions moved (a record was removed): rebuild once and look again.
	byFields.delete(sig);
	return findByKey(records, keyFields, keyOf, key);
}
