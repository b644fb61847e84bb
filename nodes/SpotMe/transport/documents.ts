/**
 * SpotMe's global documents (`/workspace/{eid}/global/docs/{type}`): upserts in batches and reads of
 * changes since a cursor.
 *
 * Batches: at most 5 000 documents and 5 MB per call, sent sequentially, each waiting for the answer
 * to the previous one, as SpotMe's API guide asks.
 */
import type { IDataObject } from 'n8n-workflow';

import { spotMeMessage } from './errors';
import { spotMeApiRequest } from './request';
import type { SpotMeContext } from './settings';

/** SpotMe's documented hard limits for one call to the docs endpoint. */
export const MAX_DOCS_PER_CALL = 5000;
/** 5 MB, counted as 5 000 000 bytes to stay under the limit whichever "MB" SpotMe means. */
export const MAX_BYTES_PER_CALL = 5_000_000;

function utf8Length(text: string): number {
	return new TextEncoder().encode(text).length;
}

export interface DocResult {
	_id: string;
	status: 'created' | 'updated' | 'unchanged' | 'error';
	login_url?: string;
	/** Why SpotMe refused this document (or the whole batch). */
	error?: string;
	/** The batch request failed as a whole: the error to throw or report. */
	requestError?: Error;
	[key: string]: unknown;
}

/**
 * Upserts documents (`POST /workspace/{eid}/global/docs/{type}`) in batches of at most
 * `batchSize` (≤ 5 000) documents and 5 MB, sent one after another. Returns one result per
 * input document, in input order.
 */
export async function upsertDocuments(
	this: SpotMeContext,
	workspaceId: string,
	type: string,
	docs: IDataObject[],
	qs: IDataObject = {},
	batchSize = MAX_DOCS_PER_CALL,
	maxBytes = MAX_BYTES_PER_CALL,
): Promise<DocResult[]> {
	const size = Math.max(1, Math.min(batchSize, MAX_DOCS_PER_CALL));
	const results: DocResult[] = new Array(docs.length);
	const batches: number[][] = [];
	let current: number[] = [];
	let currentBytes = 2; // "[" and "]"
	docs.forEach((doc, index) => {
		const bytes = utf8Length(JSON.stringify(doc)) + 1; // + the comma
		if (bytes + 2 > maxBytes) {
			results[index] = {
				_id: String(doc._id ?? ''),
				status: 'error',
				error: `This document is ${bytes} bytes; SpotMe accepts at most 5 MB per call`,
			};
			return;
		}
		if (current.length >= size || currentBytes + bytes > maxBytes) {
			batches.push(current);
			current = [];
			currentBytes = 2;
		}
		current.push(index);
		currentBytes += bytes;
	});
	if (current.length) batches.push(current);

	const path = `/workspace/${encodeURIComponent(workspaceId)}/global/docs/${encodeURIComponent(type)}`;
	for (const batch of batches) {
		const payload = batch.map((i) => docs[i]);
		let answer: unknown;
		try {
			answer = await spotMeApiRequest.call(this, 'POST', path, payload, qs, {
				notFoundMessage: `Workspace ${workspaceId} not found`,
			});
		} catch (error) {
			for (const i of batch) {
				results[i] = {
					_id: String(docs[i]._id ?? ''),
					status: 'error',
					error: (error as Error).message,
					requestError: error as Error,
				};
			}
			continue;
		}
		const list = (Array.isArray(answer) ? answer : [answer]) as IDataObject[];
		const byId = new Map<string, IDataObject>();
		for (const r of list) if (r && r._id !== undefined) byId.set(String(r._id), r);
		batch.forEach((docIndex, position) => {
			// SpotMe answers in request order; fall back to matching by _id if the lengths differ.
			const r =
				(list.length === batch.length ? list[position] : byId.get(String(docs[docIndex]._id))) ??
				{};
			const status = String(r.status ?? (r.error ? 'error' : 'updated')) as DocResult['status'];
			results[docIndex] = {
				...r,
				_id: String(r._id ?? docs[docIndex]._id ?? ''),
				status,
				...(r.error !== undefined ? { error: spotMeMessage(r) ?? String(r.error) } : {}),
			};
		});
	}
	return results;
}

export type SinceFormat = 'iso' | 'epochMs';

/** Normalises a user-given "since" (ISO date, epoch ms or a stored cursor) to what SpotMe gets. */
export function formatSince(value: unknown, format: SinceFormat): string | number {
	if (value === undefined || value === null || value === '')
		return format === 'epochMs' ? 0 : new Date(0).toISOString();
	let ms: number;
	if (typeof value === 'number') ms = value;
	else if (/^\d+$/.test(String(value))) ms = Number(value);
	else ms = Date.parse(String(value));
	if (Number.isNaN(ms)) return String(value);
	return format === 'epochMs' ? ms : new Date(ms).toISOString();
}

/**
 * Reads `POST /workspace/{eid}/global/docs/{type}/changes/since` page after page. The answer's
 * envelope is not published: documents are read from a bare array or `docs`/`results`/`rows`, and
 * the next cursor from `since`/`next_since`/`last_seq`, else the newest document's time.
 */
export async function getChangesSince(
	this: SpotMeContext,
	workspaceId: string,
	type: string,
	since: string | number,
	maxDocs = Infinity,
	itemIndex?: number,
): Promise<{ docs: IDataObject[]; cursor: string | number }> {
	const path = `/workspace/${encodeURIComponent(workspaceId)}/global/docs/${encodeURIComponent(type)}/changes/since`;
	const docs: IDataObject[] = [];
	let cursor: string | number = since;
	for (let page = 0; page < 10_000; page++) {
		const answer = (await spotMeApiRequest.call(this, 'POST', path, { since: cursor }, undefined, {
			itemIndex,
			notFoundMessage: `Workspace ${workspaceId} not found`,
		})) as IDataObject | IDataObject[];
		const pageDocs = (
			Array.isArray(answer)
				? answer
				: ((answer?.docs ?? answer?.results ?? answer?.rows ?? []) as IDataObject[])
		) as IDataObject[];
		docs.push(...pageDocs);
		const next = Array.isArray(answer)
			? undefined
			: (answer?.since ?? answer?.next_since ?? answer?.last_seq);
		let nextCursor: string | number | undefined =
			typeof next === 'string' || typeof next === 'number' ? next : undefined;
		if (nextCursor === undefined && pageDocs.length) {
			const last = pageDocs[pageDocs.length - 1];
			const t = last._modified ?? last.updated_at ?? last.updatedAt;
			if (typeof t === 'string' || typeof t === 'number')
				nextCursor = formatSince(t, typeof cursor === 'number' ? 'epochMs' : 'iso');
		}
		const more = !Array.isArray(answer) && answer?.more === true;
		const advanced = nextCursor !== undefined && nextCursor !== cursor;
		if (nextCursor !== undefined) cursor = nextCursor;
		if (!more || !advanced || docs.length >= maxDocs) break;
	}
	if (docs.length > maxDocs) {
		// Truncated by a limit: the cursor must point at the last document returned, not the page end,
		// or the next run would skip the rest.
		const last = docs[maxDocs - 1];
		const t = last._modified ?? last.updated_at ?? last.updatedAt;
		if (typeof t === 'string' || typeof t === 'number')
			cursor = formatSince(t, typeof since === 'number' ? 'epochMs' : 'iso');
		return { docs: docs.slice(0, maxDocs), cursor };
	}
	return { docs, cursor };
}
