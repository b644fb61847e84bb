/**
 * SpotMe's global documents (`/workspace/{eid}/global/docs/{type}`): upserts in batches and reads of
 * changes since a cursor.
 *
 * Batches: at most 5 000 documents and 5 MB per call, sent sequentially, each waiting for the answer
 * to the previous one, as SpotMe's API guide asks.
 */
import type { IDataObject } from 'n8n-workflow';

import { jsonBytes, sendInBatches } from '../../shared/kit/batch';
import { spotMeMessage } from './errors';
import { spotMeApiRequest } from './request';
import type { SpotMeContext } from './settings';

/** SpotMe's documented hard limits for one call to the docs endpoint. */
export const MAX_DOCS_PER_CALL = 5000;
/** 5 MB, counted as 5 000 000 bytes to stay under the limit whichever "MB" SpotMe means. */
export const MAX_BYTES_PER_CALL = 5_000_000;

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
 * input document, in input order. (Concurrent webhook executions share these calls through
 * helpers/batchUpsert.ts.)
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
	const path = `/workspace/${encodeURIComponent(workspaceId)}/global/docs/${encodeURIComponent(type)}`;
	const failure = (doc: IDataObject, error: unknown, message: string): DocResult => ({
		_id: String(doc._id ?? ''),
		status: 'error',
		error: message,
		requestError: error as Error,
	});
	return await sendInBatches<IDataObject, DocResult>(docs, {
		size: Math.max(1, Math.min(batchSize, MAX_DOCS_PER_CALL)),
		weigh: (doc) => jsonBytes(doc) + 1, // + the comma
		maxWeight: maxBytes - 2, // "[" and "]"
		oversize: (doc, bytes) => ({
			_id: String(doc._id ?? ''),
			status: 'error',
			error: `This document is ${bytes} bytes; SpotMe accepts at most 5 MB per call`,
		}),
		// A rejected token, a refused permission or a missing workspace fails every later call too.
		isFatal: (error) => FATAL_STATUSES.has(String((error as { httpCode?: unknown }).httpCode)),
		failed: (doc, error) => failure(doc, error, (error as Error).message),
		unsent: (doc, error) => failure(doc, error, `Not sent: ${(error as Error).message}`),
		send: async (batch) => {
			const answer = await spotMeApiRequest.call(this, 'POST', path, batch, qs, {
				notFoundMessage: `Workspace ${workspaceId} not found`,
			});
			return matchAnswers(batch, answer);
		},
	});
}

const FATAL_STATUSES = new Set(['401', '403', '404']);

/** SpotMe answers in request order; if the lengths differ, results are matched by `_id`. */
function matchAnswers(batch: IDataObject[], answer: unknown): DocResult[] {
	const list = (Array.isArray(answer) ? answer : [answer]) as IDataObject[];
	const byId = new Map<string, IDataObject>();
	for (const r of list) if (r && r._id !== undefined) byId.set(String(r._id), r);
	return batch.map((doc, position): DocResult => {
		const r = (list.length === batch.length ? list[position] : byId.get(String(doc._id))) ?? {};
		const status = String(r.status ?? (r.error ? 'error' : 'updated')) as DocResult['status'];
		return {
			...r,
			_id: String(r._id ?? doc._id ?? ''),
			status,
			...(r.error !== undefined ? { error: spotMeMessage(r) ?? String(r.error) } : {}),
		};
	});
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
		for (const doc of pageDocs) docs.push(doc);
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
