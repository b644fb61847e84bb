/**
 * Who a person already is in SpotMe. A person who registered in SpotMe first has their own `_id`;
 * upserting `mkto-<lead id>` for the same email would make a second person (two magic links, two
 * attendance records). With "Match Person by Email", the workspace's people are read once
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

interface EmailIndex {
	/** email (lower case) → `_id`, the first person of an email winning */
	byEmail: Map<string, string>;
	/** `_id` → its email in the index, so a person whose email changed is re-indexed */
	emailOf: Map<string, string>;
	cursor: string | number;
	/** when the index was last read in full (Date.now()) */
	fullReadAt: number;
}

/**
 * The people-by-email index of the workspaces this process writes to from webhook executions, kept
 * current by reading SpotMe's changes since the last read: a burst of deliveries costs one small read
 * per shared write instead of a read of the whole workspace per delivery. Read in full again after
 * `INDEX_FULL_READ_MS` (people deleted in SpotMe are not in the changes), and at most
 * `INDEX_MAX_WORKSPACES` workspaces are kept (the least recently read goes first).
 */
const emailIndexes = new Map<string, EmailIndex>();
export const INDEX_FULL_READ_MS = 10 * 60 * 1000;
const INDEX_MAX_WORKSPACES = 50;

/**
 * email (lower case) → `_id` of the workspace's people as of now: the process's index of the
 * workspace brought up to date with one read of the changes since its last read (the whole
 * workspace on the first read). `laneKey` names the credential and host (see getSpotMeSettings).
 */
export async function currentPeopleByEmail(
	this: IExecuteFunctions,
	laneKey: string,
	workspaceId: string,
): Promise<Map<string, string>> {
	const key = JSON.stringify([laneKey, workspaceId]);
	let index = emailIndexes.get(key);
	if (index && Date.now() - index.fullReadAt > INDEX_FULL_READ_MS) index = undefined;
	const fresh: EmailIndex = index ?? {
		byEmail: new Map(),
		emailOf: new Map(),
		cursor: formatSince(0, 'iso'),
		fullReadAt: Date.now(),
	};
	const { docs, cursor } = await getChangesSince.call(
		this,
		workspaceId,
		'person',
		fresh.cursor,
		Infinity,
	);
	for (const doc of docs as IDataObject[]) {
		if (doc._id === undefined) continue;
		const id = String(doc._id);
		const email = doc._deleted === true ? '' : emailKey(doc.email);
		const before = fresh.emailOf.get(id);
		if (before !== undefined && before !== email) {
			fresh.emailOf.delete(id);
			if (fresh.byEmail.get(before) === id) {
				// Another person of that email (if any) now holds it.
				fresh.byEmail.delete(before);
				for (const [other, otherEmail] of fresh.emailOf)
					if (otherEmail === before) {
						fresh.byEmail.set(before, other);
						break;
					}
			}
		}
		if (!email) continue;
		fresh.emailOf.set(id, email);
		if (!fresh.byEmail.has(email)) fresh.byEmail.set(email, id);
	}
	fresh.cursor = cursor;
	emailIndexes.delete(key);
	emailIndexes.set(key, fresh);
	while (emailIndexes.size > INDEX_MAX_WORKSPACES)
		emailIndexes.delete(emailIndexes.keys().next().value as string);
	return fresh.byEmail;
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
