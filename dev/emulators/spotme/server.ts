/**
 * SpotMe API emulator: a real HTTP server speaking the routes this package uses, with SpotMe's
 * documented limits (3 requests/s with bursts of 5 per Authorization header → 429 + Retry-After;
 * at most 5 000 documents and 5 MB per call), fault injection, and a control API.
 *
 *   const emu = await startSpotMeEmulator({ timeScale: 0.01 });
 *   emu.apiUrl  // http://127.0.0.1:<port>/api/v2  → the credential's "API Base URL"
 *   emu.token   // a valid API token
 *
 * Control API (no auth, never rate limited; `/__control/…` works too, as on the Marketo emulator):
 * POST /_control/reset, POST /_control/seed, GET /_control/state, POST /_control/faults,
 * GET /_control/log, GET /_control/counts.
 *
 * Server, bodies, answers, errors, request log and control paths come from the HTTP layer the
 * Marketo emulator uses too (../common/http.ts); this file holds only what is SpotMe's.
 */
import type { IncomingMessage, ServerResponse } from 'http';
import {
	controlOperation,
	delay,
	errorReply,
	HttpError,
	parseControlBody,
	parseJson,
	readBody,
	RequestLog,
	sendJson,
	startHttpServer,
	type Reply,
} from '../common/http';
import { SpotMeState, type Doc, type SeedData, type UpsertResult } from './state';

export interface SpotMeFault {
	/** HTTP method to match (any when absent). */
	method?: string;
	/** Substring of the path after /api/v2 (e.g. "/global/docs/person"), or "regex:<pattern>". */
	path?: string;
	/** Respond with this status instead of handling the request. */
	status?: number;
	/** Body of the faulty response (default `{ error: 'Injected fault' }`). */
	body?: unknown;
	/** Retry-After header (seconds) to send with the fault. */
	retryAfter?: number;
	/** Destroy the socket without answering (a network error for the client). */
	drop?: boolean;
	/** Wait this long (real ms) before handling the request normally. */
	delayMs?: number;
	/** How many matching requests the fault applies to (default 1; -1 = forever). */
	times?: number;
}

export interface SpotMeEmulatorOptions {
	port?: number;
	host?: string;
	/** Valid API tokens; the first one is `emulator.token`. */
	tokens?: string[];
	/** Multiplies every time window (1 = real time; 0.01 makes SpotMe's 1 s rate window 10 ms). */
	timeScale?: number;
	/** Requests per second and burst per Authorization header; `false` disables the limit. */
	rateLimit?: { perSecond: number; burst: number } | false;
	maxDocsPerCall?: number;
	maxBodyBytes?: number;
	/** How many documents one `changes/since` answer holds at most. */
	changesPageSize?: number;
	/** Real ms every API request takes to answer (makes overlapping requests observable). */
	latencyMs?: number;
	/** Host of the generated magic links: https://<workspace>.<loginHost>/login/<token>. */
	loginHost?: string;
	seed?: SeedData;
}

export interface SpotMeLogEntry {
	seq: number;
	method: string;
	/** Path after /api/v2, with the query string. */
	path: string;
	/** Route pattern, e.g. "POST /workspace/:eid/global/docs/:type". */
	route: string;
	status: number;
	auth: 'valid' | 'invalid' | 'missing';
	bytes: number;
	docs?: number;
	/** The `since` a changes/since request sent, as received (to check its format). */
	since?: unknown;
	startedAt: number;
	endedAt: number;
	/** How many API requests were in flight when this one arrived (itself included). */
	inFlight: number;
}

export interface SpotMeCallCounts {
	total: number;
	byRoute: Record<string, number>;
	rateLimited: number;
	/** The most API requests ever in flight at once (1 = strictly sequential). */
	maxConcurrent: number;
}

export interface SpotMeEmulator {
	baseUrl: string;
	/** baseUrl + '/api/v2': what the credential's API Base URL should be. */
	apiUrl: string;
	token: string;
	state: SpotMeState;
	options: Required<Omit<SpotMeEmulatorOptions, 'seed' | 'port' | 'host'>>;
	reset(): void;
	seed(data: SeedData): void;
	setFaults(faults: SpotMeFault[]): void;
	requestLog(): SpotMeLogEntry[];
	callCounts(): SpotMeCallCounts;
	/** Registration confirmations the API was asked to send (`?send_reg_confirmation=true`). */
	confirmationsSent(): Array<{ workspaceId: string; _id: string }>;
	stop(): Promise<void>;
}

/** SpotMe answers JSON as plain `application/json` (no charset), errors as `{ error, status }`. */
const JSON_TYPE = { 'Content-Type': 'application/json' };
const spotMeError = (status: number, message: string) => ({ error: message, status });
/** Both control prefixes: `/_control/…` (SpotMe's own) and `/__control/…` (as on the Marketo emulator). */
const CONTROL_PREFIXES = ['/_control/', '/__control/'];
const INVALID_JSON = Symbol.for('invalid-json');

interface Bucket {
	tokens: number;
	updatedAt: number;
}

export async function startSpotMeEmulator(
	opts: SpotMeEmulatorOptions = {},
): Promise<SpotMeEmulator> {
	const options = {
		tokens: opts.tokens?.length ? opts.tokens : ['spotme-test-token'],
		timeScale: opts.timeScale ?? 1,
		rateLimit: opts.rateLimit === undefined ? { perSecond: 3, burst: 5 } : opts.rateLimit,
		maxDocsPerCall: opts.maxDocsPerCall ?? 5000,
		maxBodyBytes: opts.maxBodyBytes ?? 5 * 1024 * 1024,
		changesPageSize: opts.changesPageSize ?? 1000,
		latencyMs: opts.latencyMs ?? 0,
		loginHost: opts.loginHost ?? 'spotme.test',
	};
	const state = new SpotMeState(options.loginHost);
	if (opts.seed) state.seed(opts.seed);

	let faults: SpotMeFault[] = [];
	const log = new RequestLog<SpotMeLogEntry>();
	let counts: SpotMeCallCounts = { total: 0, byRoute: {}, rateLimited: 0, maxConcurrent: 0 };
	let confirmations: Array<{ workspaceId: string; _id: string }> = [];
	const buckets = new Map<string, Bucket>();
	let inFlight = 0;
	let seq = 0;

	const windowMs = () => 1000 * options.timeScale;

	/** Token bucket per Authorization header: `burst` capacity, refilled at `perSecond` per (scaled) second. */
	function takeToken(key: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
		const limit = options.rateLimit;
		if (!limit) return { ok: true };
		const now = Date.now();
		const bucket = buckets.get(key) ?? { tokens: limit.burst, updatedAt: now };
		bucket.tokens = Math.min(
			limit.burst,
			bucket.tokens + ((now - bucket.updatedAt) / windowMs()) * limit.perSecond,
		);
		bucket.updatedAt = now;
		buckets.set(key, bucket);
		if (bucket.tokens >= 1) {
			bucket.tokens -= 1;
			return { ok: true };
		}
		const waitMs = ((1 - bucket.tokens) / limit.perSecond) * windowMs();
		return { ok: false, retryAfterSeconds: waitMs / 1000 };
	}

	function formatRetryAfter(seconds: number): string {
		// Real time: whole seconds as HTTP says. Scaled time: a decimal, so tests need not wait a second.
		if (options.timeScale >= 1) return String(Math.max(1, Math.ceil(seconds)));
		return String(Math.max(0.001, Number(seconds.toFixed(3))));
	}

	function takeFault(method: string, path: string): SpotMeFault | undefined {
		for (const fault of faults) {
			if (fault.times === 0) continue;
			if (fault.method && fault.method.toUpperCase() !== method) continue;
			if (fault.path) {
				const matches = fault.path.startsWith('regex:')
					? new RegExp(fault.path.slice(6)).test(path)
					: path.includes(fault.path);
				if (!matches) continue;
			}
			if (fault.times === undefined) fault.times = 1;
			if (fault.times > 0) fault.times -= 1;
			return fault;
		}
		return undefined;
	}

	function send(res: ServerResponse, reply: Reply) {
		sendJson(res, reply.status, reply.body, { ...JSON_TYPE, ...reply.headers });
	}

	function parseSince(raw: unknown): { ms: number; asNumber: boolean } {
		if (raw === undefined || raw === null || raw === '' || raw === 0)
			return { ms: 0, asNumber: typeof raw === 'number' };
		if (typeof raw === 'number' && Number.isFinite(raw)) return { ms: raw, asNumber: true };
		if (typeof raw === 'string' && /^\d+$/.test(raw)) return { ms: Number(raw), asNumber: true };
		if (typeof raw === 'string') {
			const ms = Date.parse(raw);
			if (!Number.isNaN(ms)) return { ms, asNumber: false };
		}
		throw new HttpError(
			400,
			`"since" must be an ISO 8601 date or epoch milliseconds, got ${JSON.stringify(raw)}`,
		);
	}

	function workspaceOr404(eid: string) {
		const ws = state.workspaces.get(eid);
		if (!ws) throw new HttpError(404, `Workspace ${eid} not found`);
		return ws;
	}

	/** The route pattern of a request, for counts and the log (also for refused or faulted requests). */
	function routeOf(method: string, path: string): string {
		if (path === '/me') return `${method} /me`;
		if (/^\/orgs\/[^/]+\/workspaces$/.test(path)) return `${method} /orgs/:orgId/workspaces`;
		if (/^\/workspace\/[^/]+$/.test(path)) return `${method} /workspace/:eid`;
		if (/^\/workspace\/[^/]+\/global\/docs\/[^/]+\/changes\/since$/.test(path)) {
			return `${method} /workspace/:eid/global/docs/:type/changes/since`;
		}
		if (/^\/workspace\/[^/]+\/global\/docs\/[^/]+\/[^/]+$/.test(path))
			return `${method} /workspace/:eid/global/docs/:type/:id`;
		if (/^\/workspace\/[^/]+\/global\/docs\/[^/]+$/.test(path))
			return `${method} /workspace/:eid/global/docs/:type`;
		return `${method} ${path}`;
	}

	/** Handles one authenticated, admitted API request (it names the route in the log entry). */
	function handleApi(
		method: string,
		path: string,
		query: URLSearchParams,
		body: unknown,
		entry: SpotMeLogEntry,
	): Reply {
		let m: RegExpMatchArray | null;
		if (method === 'GET' && path === '/me') {
			entry.route = 'GET /me';
			return {
				status: 200,
				body: {
					id: 'user-1',
					email: 'integration@example.test',
					fname: 'Integration',
					lname: 'User',
					orgs: [...state.orgs.values()],
				},
			};
		}
		if ((m = path.match(/^\/orgs\/([^/]+)\/workspaces$/)) && method === 'GET') {
			entry.route = 'GET /orgs/:orgId/workspaces';
			const orgId = decodeURIComponent(m[1]);
			if (!state.orgs.has(orgId)) throw new HttpError(404, `Organization ${orgId} not found`);
			// A bare JSON array, as the public third-party code reads it.
			return { status: 200, body: [...state.workspaces.values()].filter((w) => w.orgId === orgId) };
		}
		if ((m = path.match(/^\/workspace\/([^/]+)$/)) && method === 'GET') {
			entry.route = 'GET /workspace/:eid';
			return { status: 200, body: workspaceOr404(decodeURIComponent(m[1])) };
		}
		if (
			(m = path.match(/^\/workspace\/([^/]+)\/global\/docs\/([^/]+)\/changes\/since$/)) &&
			method === 'POST'
		) {
			entry.route = 'POST /workspace/:eid/global/docs/:type/changes/since';
			const eid = decodeURIComponent(m[1]);
			const type = decodeURIComponent(m[2]);
			workspaceOr404(eid);
			const input = (body ?? {}) as { since?: unknown; limit?: unknown };
			entry.since = input.since;
			const since = parseSince(input.since);
			const pageSize = Math.max(
				1,
				Math.min(Number(input.limit) || options.changesPageSize, options.changesPageSize),
			);
			const changed = state.changesSince(eid, type, since.ms, pageSize + 1);
			const page = changed.slice(0, pageSize);
			const lastMs = page.length ? (page[page.length - 1]._modified as number) : since.ms;
			entry.docs = page.length;
			// Invented envelope (SpotMe does not publish one): the page, the cursor for the next call, more?
			return {
				status: 200,
				body: {
					docs: page,
					since: since.asNumber ? lastMs : new Date(lastMs).toISOString(),
					more: changed.length > page.length,
				},
			};
		}
		if (
			(m = path.match(/^\/workspace\/([^/]+)\/global\/docs\/([^/]+)\/([^/]+)$/)) &&
			method === 'GET'
		) {
			entry.route = 'GET /workspace/:eid/global/docs/:type/:id';
			const eid = decodeURIComponent(m[1]);
			workspaceOr404(eid);
			const doc = state.getDoc(eid, decodeURIComponent(m[2]), decodeURIComponent(m[3]));
			if (!doc) throw new HttpError(404, `Document ${decodeURIComponent(m[3])} not found`);
			return { status: 200, body: doc };
		}
		if ((m = path.match(/^\/workspace\/([^/]+)\/global\/docs\/([^/]+)$/)) && method === 'POST') {
			entry.route = 'POST /workspace/:eid/global/docs/:type';
			const eid = decodeURIComponent(m[1]);
			const type = decodeURIComponent(m[2]);
			workspaceOr404(eid);
			const many = Array.isArray(body);
			const docs = (many ? body : [body]) as Array<Record<string, unknown>>;
			entry.docs = docs.length;
			if (docs.length > options.maxDocsPerCall) {
				throw new HttpError(
					413,
					`At most ${options.maxDocsPerCall} documents per call, got ${docs.length}`,
				);
			}
			if (docs.some((d) => d === null || typeof d !== 'object' || Array.isArray(d))) {
				throw new HttpError(400, 'Every document must be a JSON object');
			}
			const results: UpsertResult[] = docs.map((d) => state.upsert(eid, type, d));
			if (type === 'person' && query.get('send_reg_confirmation') === 'true') {
				for (const r of results)
					if (r.status === 'created') confirmations.push({ workspaceId: eid, _id: r._id });
			}
			// One result per document, in request order (invented for arrays; a single object gets a single result).
			return { status: 200, body: many ? results : results[0] };
		}
		throw new HttpError(404, `No route ${method} ${path}`);
	}

	const ok: Reply = { status: 200, body: { ok: true } };

	function control(method: string, op: string, body: any): Reply {
		if (method === 'POST' && op === 'reset') {
			emulator.reset();
			return ok;
		}
		if (method === 'POST' && op === 'seed') {
			emulator.seed(body as SeedData);
			return ok;
		}
		if (method === 'GET' && op === 'state') return { status: 200, body: state.dump() };
		if (method === 'POST' && op === 'faults') {
			emulator.setFaults(
				Array.isArray(body)
					? (body as SpotMeFault[])
					: ((body as { faults?: SpotMeFault[] })?.faults ?? []),
			);
			return ok;
		}
		if (method === 'GET' && op === 'log') return { status: 200, body: log.list() };
		if (method === 'GET' && op === 'counts') return { status: 200, body: emulator.callCounts() };
		return { status: 404, body: { error: `No control route ${method} /_control/${op}` } };
	}

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://localhost');
		const method = (req.method ?? 'GET').toUpperCase();
		let raw: Buffer;
		try {
			// No limit while reading: an oversized payload is answered 413 after auth and rate limit.
			raw = await readBody(req, Number.POSITIVE_INFINITY);
		} catch {
			res.destroy();
			return;
		}

		const op = controlOperation(url.pathname, CONTROL_PREFIXES);
		if (op !== undefined) {
			const parsed = parseControlBody(raw, {
				status: 400,
				body: { error: 'control body must be JSON' },
			});
			let reply: Reply;
			try {
				reply = parsed.ok ? control(method, op, parsed.data) : parsed.reply;
			} catch (error) {
				reply = { status: 400, body: { error: (error as Error).message } };
			}
			send(res, reply);
			return;
		}

		const json = parseJson(raw);
		const body: unknown = json.ok ? json.value : INVALID_JSON;

		const path = url.pathname.startsWith('/api/v2')
			? url.pathname.slice('/api/v2'.length) || '/'
			: url.pathname;
		inFlight += 1;
		counts.maxConcurrent = Math.max(counts.maxConcurrent, inFlight);
		counts.total += 1;
		const authHeader = req.headers.authorization;
		const token = authHeader?.match(/^Bearer\s+(.+)$/i)?.[1];
		const entry: SpotMeLogEntry = {
			seq: ++seq,
			method,
			path: url.pathname.slice('/api/v2'.length) + url.search,
			route: routeOf(method, path),
			status: 0,
			auth: !authHeader ? 'missing' : token && options.tokens.includes(token) ? 'valid' : 'invalid',
			bytes: raw.length,
			startedAt: Date.now(),
			endedAt: 0,
			inFlight,
		};
		log.push(entry);

		let reply: Reply = { status: 500, body: undefined, headers: {} };
		let drop = false;
		try {
			if (options.latencyMs > 0) await delay(options.latencyMs);
			if (!url.pathname.startsWith('/api/v2/'))
				throw new HttpError(404, `No route ${method} ${url.pathname}`);
			// SpotMe limits per Authorization header, whatever the token's validity.
			const admitted = takeToken(authHeader ?? '');
			if (!admitted.ok) {
				counts.rateLimited += 1;
				throw new HttpError(429, 'Too many requests: at most 3 per second, bursts of 5', {
					'Retry-After': formatRetryAfter(admitted.retryAfterSeconds),
				});
			}
			if (entry.auth !== 'valid') throw new HttpError(401, 'Invalid or missing API token');
			const fault = takeFault(method, path);
			if (fault?.delayMs) await delay(fault.delayMs);
			if (fault?.drop) {
				drop = true;
			} else if (fault?.status) {
				reply = {
					status: fault.status,
					body: fault.body ?? { error: 'Injected fault', status: fault.status },
					headers:
						fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {},
				};
			} else {
				if (raw.length > options.maxBodyBytes) {
					throw new HttpError(
						413,
						`Payload of ${raw.length} bytes exceeds the ${options.maxBodyBytes}-byte (5 MB) limit`,
					);
				}
				if (body === INVALID_JSON) throw new HttpError(400, 'Body is not valid JSON');
				reply = handleApi(method, path, url.searchParams, body, entry);
			}
		} catch (error) {
			reply = errorReply(error, spotMeError);
		}
		counts.byRoute[entry.route] = (counts.byRoute[entry.route] ?? 0) + 1;
		entry.status = drop ? 0 : reply.status;
		entry.endedAt = Date.now();
		inFlight -= 1;
		if (drop) {
			res.socket?.destroy();
			return;
		}
		send(res, reply);
	}

	const http = await startHttpServer({
		port: opts.port,
		host: opts.host,
		handle,
		onError: (res, error) => send(res, errorReply(error, spotMeError)),
	});
	const baseUrl = http.baseUrl;

	const emulator: SpotMeEmulator = {
		baseUrl,
		apiUrl: `${baseUrl}/api/v2`,
		token: options.tokens[0],
		state,
		options,
		reset() {
			state.reset();
			faults = [];
			log.clear();
			counts = { total: 0, byRoute: {}, rateLimited: 0, maxConcurrent: 0 };
			confirmations = [];
			buckets.clear();
		},
		seed(data: SeedData) {
			state.seed(data);
		},
		setFaults(next: SpotMeFault[]) {
			faults = next.map((f) => ({ ...f }));
		},
		requestLog: () => log.list(),
		callCounts: () => ({ ...counts, byRoute: { ...counts.byRoute } }),
		confirmationsSent: () => [...confirmations],
		stop: () => http.stop(),
	};
	return emulator;
}

export type { Doc, SeedData };
