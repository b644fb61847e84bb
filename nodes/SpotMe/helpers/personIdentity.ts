/**
 * Who a person already is in SpotMe. A person who registered in SpotMe first has their own `_id`;
 * upserting `mkto-<lead id>` for the same email would make a second person (two magic links, two
 * attendance records). With "Match Existing Person by Email", the workspace's people are read once
 * per run (changes since the beginning, every page) and an item whose email belongs to a person with
 * another `_id` updates that person instead.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { formatSince, getChangesSince } from '../transport';

export const emailKey = (value: unknown): string =>
	String(value ?? '')
		.trim()
		.toLowerCase();

/** email (lower case) → `_id` of the workspace's people; the first person of an email wins. */
export async function peopleByEmail(
	this: IExecuteFunctions,
	workspaceId: string,
	itemIndex: number,
): Promise<Map<string, string>> {
	const { docs } = await getChangesSince.call(
		this,
		workspaceId,
		'person',
		formatSince(0, 'iso'),
		Infinity,
		itemIndex,
	);
	const index = new Map<string, string>();
	for (const doc of docs as IDataObject[]) {
		const email = emailKey(doc.email);
		if (email && doc._id !== undefined && !index.has(email)) index.set(email, String(doc._id));
	}
	return index;
}

/**
 * Clusters of planned documents that are one person: the same `_id` or the same email (any case).
 * Each cluster is merged into one record, fields in input order (the last value wins, and the `_id`
 * is the last item's), so one call never carries one person twice.
 */
export function mergeSamePerson<D extends IDataObject & { _id: string }>(
	docs: D[],
): Array<{ doc: D; members: number[] }> {
	const parent = docs.map((_, k) => k);
	const find = (k: number): number => (parent[k] === k ? k : (parent[k] = find(parent[k])));
	const firstOf = new Map<string, number>();
	docs.forEach((doc, k) => {
		const keys = [`id:${doc._id}`];
		const email = emailKey(doc.email);
		if (email) keys.push(`email:${email}`);
		for (const key of keys) {
			const seen = firstOf.get(key);
			if (seen === undefined) firstOf.set(key, k);
			else parent[find(k)] = find(seen);
		}
	});
	const clusters = new Map<number, number[]>();
	docs.forEach((_, k) => {
		const root = find(k);
		clusters.set(root, [...(clusters.get(root) ?? []), k]);
	});
	return [...clusters.values()].map((members) => ({
		doc: Object.assign({}, ...members.map((k) => docs[k])) as D,
		members,
	}));
}
