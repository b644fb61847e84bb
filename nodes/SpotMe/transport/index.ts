/**
 * The only door from the SpotMe node to the network.
 *
 * - Auth: the `spotMeApi` credential adds `Authorization: Bearer <token>`; the token never enters
 *   an error message, a log or an output item (errors are rebuilt from status + SpotMe's message).
 * - Pace: SpotMe allows 3 requests/s with bursts of 5 per token and answers 429 above that, so
 *   every request takes a token from a local bucket (rate and burst from the credential) and all
 *   requests for one credential + host are sent one after another, never in parallel.
 * - 429 (and 502/503/504): retried with back-off, honouring `Retry-After` (seconds or HTTP date).
 * - Batches: at most 5 000 documents and 5 MB per call, sent sequentially, each waiting for the
 *   answer to the previous one, as SpotMe's API guide asks.
 */
import {
	NodeApiError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { parseRetryAfter } from '../../shared/credentialChecks';

// Shared with the credential's own GET /me check; re-exported for callers of the transport.
export { parseRetryAfter };

export type SpotMeContext = IExecuteFunctions | ILoadOptionsFunctions;

export const CREDENTIAL_TYPE = 'spotMeApi';
export const DEFAULT_BASE_URL = 'https://api.spotme.com/api/v2';
/** SpotMe's documented hard limits for one call to the docs endpoint. */
export const MAX_DOCS_PER_CALL = 5000;
/** 5 MB, counted as 5 000 000 bytes to stay under the limit whichever "MB" SpotMe means. */
export const MAX_BYTES_PER_CALL = 5_000_000;
const MAX_RETRIES = 8;
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const RETRYABLE_NETWORK = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'socket hang up']);
const UNREACHABLE = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ECONNRESET',
]);

interface Lane {
	tokens: number;
	updatedAt: number;
	tail: Promise<void>;
}

/** One lane per credential + host: SpotMe counts requests per Authorization header. */
const lanes = new Map<string, Lane>();

export interface SpotMeSettings {
	baseUrl: string;
	organizationId: string;
	requestsPerSecond: number;
	burst: number;
	laneKey: string;
}

export async function getSpotMeSettings(this: SpotMeContext): Promise<SpotMeSettings> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const baseUrl = String(credentials.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, '');
	const requestsPerSecond =
		Number(credentials.requestsPerSecond) > 0 ? Number(credentials.requestsPerSecond) : 3;
	const burst = Number(credentials.burst) >= 1 ? Math.floor(Number(credentials.burst)) : 5;
	const credentialId = this.getNode().credentials?.[CREDENTIAL_TYPE]?.id ?? '';
	return {
		baseUrl,
		organizationId: String(credentials.organizationId ?? '').trim(),
		requestsPerSecond,
		burst,
		laneKey: `${credentialId}|${baseUrl}`,
	};
}

function laneFor(settings: SpotMeSettings): Lane {
	let lane = lanes.get(settings.laneKey);
	if (!lane) {
		lane = { tokens: settings.burst, updatedAt: Date.now(), tail: Promise.resolve() };
		lanes.set(settings.laneKey, lane);
	}
	return lane;
}

/** Waits until the local token bucket allows one more request. */
async function takeToken(lane: Lane, settings: SpotMeSettings): Promise<void> {
	for (;;) {
		const now = Date.now();
		lane.tokens = Math.min(
			settings.burst,
			lane.tokens + ((now - lane.updatedAt) / 1000) * settings.requestsPerSecond,
		);
		lane.updatedAt = now;
		if (lane.tokens >= 1) {
			lane.tokens -= 1;
			return;
		}
		await sleep(Math.max(1, Math.ceil(((1 - lane.tokens) / settings.requestsPerSecond) * 1000)));
	}
}

/** Runs `fn` after every earlier request of the lane has finished: never two in flight. */
function inSequence<T>(lane: Lane, fn: () => Promise<T>): Promise<T> {
	const run = lane.tail.then(fn, fn);
	lane.tail = run.then(
		() => undefined,
		() => undefined,
	);
	return run;
}

function spotMeMessage(body: unknown): string | undefined {
	if (!body) return undefined;
	if (typeof body === 'string') return body.slice(0, 300);
	const b = body as IDataObject;
	const raw = b.error ?? b.message ?? b.reason;
	if (typeof raw === 'string') return raw;
	if (raw && typeof raw === 'object') {
		const inner = (raw as IDataObject).message;
		if (typeof inner === 'string') return inner;
	}
	return undefined;
}

export interface SpotMeRequestOptions {
	/** Item the request belongs to, for the error. */
	itemIndex?: number;
	/** Message when SpotMe answers 404, e.g. "Person p1 not found in workspace w". */
	notFoundMessage?: string;
	/** Return undefined instead of failing on 404. */
	allowNotFound?: boolean;
}

function apiError(
	ctx: SpotMeContext,
	status: number | undefined,
	message: string,
	description: string | undefined,
	itemIndex: number | undefined,
): NodeApiError {
	// Built from plain strings only, so no request headers (the token) travel with the error.
	const payload: JsonObject = { message, ...(status ? { httpCode: String(status) } : {}) };
	return new NodeApiError(ctx.getNode(), payload, {
		message,
		description,
		...(status ? { httpCode: String(status) } : {}),
		...(itemIndex !== undefined ? { itemIndex } : {}),
	});
}

/**
 * One SpotMe API call (path relative to the API base URL, e.g. `/workspace/{eid}`), paced,
 * sequential and retried on 429. Returns the parsed JSON body.
 */
export async function spotMeApiRequest(
	this: SpotMeContext,
	method: IHttpRequestMethods,
	path: string,
	body?: IDataObject | IDataObject[],
	qs?: IDataObject,
	options: SpotMeRequestOptions = {},
): Promise<unknown> {
	const settings = await getSpotMeSettings.call(this);
	const lane = laneFor(settings);
	const url = `${settings.baseUrl}${path}`;
	const request: IHttpRequestOptions = {
		method,
		url,
		json: true,
		headers: { Accept: 'application/json' },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: 120_000,
	};
	if (body !== undefined) request.body = body;
	if (qs && Object.keys(qs).length) request.qs = qs;

	return await inSequence(lane, async () => {
		let networkRetries = 0;
		for (let attempt = 0; ; attempt++) {
			await takeToken(lane, settings);
			let response: { statusCode: number; headers: IDataObject; body: unknown };
			try {
				response = (await this.helpers.httpRequestWithAuthentication.call(
					this,
					CREDENTIAL_TYPE,
					request,
				)) as typeof response;
			} catch (error) {
				// The credential's preAuthentication (GET /me, once per credential change) failed: n8n wraps
				// its error, which says what /me got. Reported as the same failure of this call would be.
				const fromCredential = (
					error as {
						cause?: { name?: string; httpStatus?: number; networkCode?: string; message?: string };
					}
				).cause;
				if (fromCredential?.name === 'SpotMeCredentialError' && !fromCredential.networkCode) {
					const credStatus = fromCredential.httpStatus;
					if (credStatus === 401) {
						throw apiError(
							this,
							credStatus,
							'SpotMe rejected the API token',
							'Check the SpotMe credential: create a new token in Backstage (profile > API tokens) and paste it without "Bearer".',
							options.itemIndex,
						);
					}
					throw apiError(
						this,
						credStatus,
						fromCredential.message ?? 'The SpotMe credential is not usable',
						'Fix the SpotMe API credential, then run the node again.',
						options.itemIndex,
					);
				}
				const code = String((error as IDataObject).code ?? (error as IDataObject).cause ?? '');
				const causeCode = String(((error as { cause?: IDataObject }).cause?.code as string) ?? '');
				const credCode =
					fromCredential?.name === 'SpotMeCredentialError'
						? (fromCredential.networkCode ?? '')
						: '';
				const errCode =
					[code, causeCode, credCode].find((c) => UNREACHABLE.has(c) || RETRYABLE_NETWORK.has(c)) ??
					'';
				if (
					(RETRYABLE_NETWORK.has(errCode) || /socket hang up/i.test((error as Error).message)) &&
					networkRetries < 2
				) {
					// A dropped connection: upserts by _id are idempotent, so sending again is safe.
					networkRetries++;
					await sleep(Math.ceil(1000 / settings.requestsPerSecond));
					continue;
				}
				throw apiError(
					this,
					undefined,
					// The network code goes in the description: n8n rewrites messages that contain one.
					`Could not reach SpotMe at ${settings.baseUrl}`,
					`Check the API Base URL in the SpotMe credential (default https://api.spotme.com/api/v2) and that this n8n instance can reach it.${errCode ? ` Network error: ${errCode}.` : ''}`,
					options.itemIndex,
				);
			}
			const status = response.statusCode;
			if (status >= 200 && status < 300) return response.body;

			if (RETRYABLE_STATUS.has(status) && attempt < MAX_RETRIES) {
				// 429: SpotMe's 3/s (burst 5) limit per token, maybe shared with another tool. Empty the
				// local bucket and wait as told, or back off exponentially when Retry-After is missing.
				lane.tokens = 0;
				lane.updatedAt = Date.now();
				const told = parseRetryAfter(response.headers?.['retry-after']);
				const backoff = Math.ceil((1000 / settings.requestsPerSecond) * 2 ** attempt);
				await sleep(Math.max(1, Math.min(told ?? backoff, 60_000)));
				continue;
			}
			const said = spotMeMessage(response.body);
			if (status === 404 && options.allowNotFound) return undefined;
			if (status === 401) {
				throw apiError(
					this,
					status,
					'SpotMe rejected the API token',
					'Check the SpotMe credential: create a new token in Backstage (profile > API tokens) and paste it without "Bearer".',
					options.itemIndex,
				);
			}
			if (status === 403) {
				throw apiError(
					this,
					status,
					'The SpotMe token has no access to this resource',
					`${said ?? ''} The token works for the workspaces its owner can access and needs API Developer access.`.trim(),
					options.itemIndex,
				);
			}
			if (status === 404) {
				throw apiError(
					this,
					status,
					options.notFoundMessage ?? `SpotMe found nothing at ${method} ${path}`,
					said,
					options.itemIndex,
				);
			}
			if (status === 413) {
				throw apiError(
					this,
					status,
					'SpotMe refused the request as too large',
					said,
					options.itemIndex,
				);
			}
			if (status === 429) {
				throw apiError(
					this,
					status,
					`SpotMe kept answering 429 (too many requests) after ${MAX_RETRIES} retries`,
					'Another tool may share this token. Lower "Requests per Second" in the SpotMe credential.',
					options.itemIndex,
				);
			}
			throw apiError(
				this,
				status,
				`SpotMe answered ${status} to ${method} ${path}${said ? `: ${said}` : ''}`,
				said,
				options.itemIndex,
			);
		}
	});
}

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
