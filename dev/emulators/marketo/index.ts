/**
 * Adobe Marketo Engage REST API emulator: a real HTTP server on loopback with in-memory state,
 * Marketo's limits (606/615/607/1003/413/414), its auth semantics (600/601/602), fault injection,
 * and a control API for tests and benchmarks. See dev/emulators/marketo/README.md.
 */
import type { IncomingMessage, ServerResponse } from 'http';
import { randomUUID } from 'crypto';
import {
	BodyTooLargeError,
	contentTypeOf,
	controlOperation,
	delay,
	makeRandom,
	parseControlBody,
	parseMultipart,
	parseQueryString,
	readBody,
	RequestLog,
	sendJson,
	sendText,
	startHttpServer,
	type RunningServer,
} from '../common/http';
import { createEmptyState, API_USER } from './state';
import type { MarketoState, SeedData, Activity } from './state';
import { Router } from './router';
import { ApiError, assetFail, fail, requestId } from './context';
import type { Ctx, EmulatorApi, MarketoError, RecordKind, Reply } from './context';
import { applySeed } from './seed';
import { registerLeads } from './handlers/leads';
import { registerAll } from './handlers/registry';
import { validateRequest, loadValidator } from './openapi';
import { callWebhook } from './webhook';
import type { WebhookCall, WebhookResult } from './webhook';
import type { OpenApiValidator } from './openapi';

export type { MarketoState, SeedData } from './state';
export type { WebhookCall, WebhookResult } from './webhook';
import { seedPresets } from './presets';
import { checkPermissionConfig, deniedBy } from './permissions';
import type { PermissionConfig } from './permissions';
export type { Permission, PermissionConfig } from './permissions';
export { seedPresets };

/** A per-record failure chosen by a test: records matching `match` are skipped with `code`. */
export interface RecordFault {
	/** which writes it applies to (default 'any') */
	kind?: RecordKind;
	/** every key must equal the record's value (strings compared case-insensitively) */
	match: Record<string, unknown>;
	code: string;
	message?: string;
	/** apply this many times, then stop (default: forever) */
	times?: number;
}

/** A deterministic fault for the next matching call(s). */
export interface ScriptedFault {
	/**
	 * '606' | '615' | '604' | '607' | '601' | '602' | any Marketo code, or 'http5xx' | 'timeout' | 'slow',
	 * or a lost answer: 'dropAfterWrite' (the call is processed, then the connection is dropped without an
	 * answer) | 'delayAfterWrite' (processed, answered only after `timeoutMs`, past the client's time-out)
	 * | 'dropWhileWriting' (a gateway drops the connection at once while Marketo goes on processing the
	 * call for `timeoutMs`: its write lands then)
	 */
	fault: string;
	/** only calls whose path contains this string (default: any REST/bulk call) */
	path?: string;
	/** only calls with this (effective) method, e.g. 'POST' for writes (default: any) */
	method?: string;
	/** how many calls (default 1) */
	times?: number;
}

export interface FaultConfig {
	/** probabilities in [0,1] per REST call */
	error606?: number;
	error615?: number;
	error604?: number;
	http5xx?: number;
	timeout?: number;
	/** probability of a slow answer (delayed by slowMs); if only slowMs is given every call is slow */
	slow?: number;
	slowMs?: number;
	/**
	 * how long a "timeout" call hangs before the socket is destroyed, and how long a 'delayAfterWrite'
	 * answer is held after the write (real ms, default 5000)
	 */
	timeoutMs?: number;
	/**
	 * probability that a write (POST) is processed and its answer then lost: the connection dropped
	 * ('drop', default) or the answer held for `timeoutMs` ('delay'), as `lostAnswerMode` says
	 */
	lostAnswer?: number;
	lostAnswerMode?: 'drop' | 'delay' | 'whileWriting';
	/** processing latency of every REST call (real ms); replaces the `latencyMs` option until reset */
	latencyMs?: number;
	/**
	 * Marketo's duplicate race: overlapping createOrUpdate calls for the same new key both create
	 * (needs a latency); replaces the `upsertRace` option until reset
	 */
	upsertRace?: boolean;
	/** HTTP status used for http5xx faults (default 502) */
	httpStatus?: number;
	/** restrict rate-based faults to paths containing one of these strings */
	paths?: string[];
	/** PRNG seed for reproducible rates */
	seed?: number;
	/** expire every current token now (the next call with one gets 602) */
	forceTokenExpiry?: boolean;
	/**
	 * expire every current token once this many REST calls (counted from setFaults) have been accepted:
	 * a deterministic "token expires mid-run", where a timer would depend on the machine's speed
	 */
	expireTokensAfterCalls?: number;
	perRecord?: RecordFault[];
	script?: ScriptedFault[];
}

export interface MarketoEmulatorOptions {
	port?: number;
	host?: string;
	clientId?: string;
	clientSecret?: string;
	/** more custom services (LaunchPoint clients); each has its own token; `user` is the API-only user */
	extraClients?: Array<{ clientId: string; clientSecret: string; user?: string }>;
	tokenTtlSeconds?: number;
	timeScale?: number;
	rateLimit?: { callsPerWindow?: number; windowSeconds?: number; maxConcurrent?: number };
	dailyQuota?: number;
	faults?: FaultConfig;
	/** constant delay added to every REST call (real ms), to make concurrency observable */
	latencyMs?: number;
	/**
	 * With latencyMs > 0, Sync Leads looks leads up when a call arrives and writes when it completes, so
	 * overlapping createOrUpdate calls for the same new key create duplicates, as Adobe warns (default true).
	 */
	upsertRace?: boolean;
	/**
	 * With the race on, how long Sync Leads holds a call between its lookup and its write (real ms),
	 * instead of latencyMs: a wide race window while every other call stays quick (default latencyMs).
	 */
	upsertHoldMs?: number;
	/** validate requests against Adobe's OpenAPI files (default true) */
	validateOpenApi?: boolean;
	/** raw activities examined per activities page before answering moreResult:true (default 300) */
	activityScanSize?: number;
	/**
	 * activity time (seconds, not scaled) one activities page covers at most: a paging token from long
	 * ago then walks through empty `moreResult:true` pages up to now (default: no slicing)
	 */
	activityTimeSliceSeconds?: number;
	/** initial data */
	seed?: SeedData;
}

export interface LogEntry {
	method: string;
	path: string;
	status: number;
	code?: string;
	at: number;
	/** when the answer was sent (absent for calls never answered): [at, doneAt] is the call in flight */
	doneAt?: number;
}

export interface MarketoEmulator {
	baseUrl: string;
	restUrl: string;
	identityUrl: string;
	clientId: string;
	clientSecret: string;
	state: MarketoState;
	reset(): void;
	seed(data: SeedData): void;
	setFaults(f: FaultConfig): void;
	expireAllTokens(): void;
	/** The API user's role: permissions it lacks get 603 on the endpoints that need them (see permissions.ts). */
	setPermissions(p: PermissionConfig): void;
	requestLog(): LogEntry[];
	callCounts(): Record<string, number>;
	clearLog(): void;
	/** Simulate a "Call Webhook" flow step for a lead (see webhook.ts). */
	callWebhook(call: WebhookCall): Promise<WebhookResult>;
	stop(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
/** 601/602/604/605/608/611 are "not counted against your daily quota, or your rate limit" (Marketo error table). */
const NOT_COUNTED = new Set(['601', '602', '604', '605', '606', '607', '608', '611', '615']);
const MAX_URL = 8 * 1024;

interface TokenInfo {
	clientId: string;
	user: string;
	expiresAt: number;
}

class MarketoEmulatorImpl implements MarketoEmulator, EmulatorApi {
	baseUrl = '';
	restUrl = '';
	identityUrl = '';
	clientId: string;
	clientSecret: string;
	state: MarketoState = createEmptyState();
	timeScale: number;
	activityScanSize: number;
	activityTimeSliceSeconds?: number;
	latencyMs: number;
	upsertRace: boolean;
	upsertHoldMs?: number;

	private http: RunningServer | undefined;
	private tokens = new Map<string, TokenInfo>();
	private currentToken = new Map<string, string>();
	private faults: FaultConfig = {};
	private permissions: PermissionConfig = {};
	private random: () => number = Math.random;
	private readonly log = new RequestLog<LogEntry>();
	private counts: Record<string, number> = {};
	private windowCalls: number[] = [];
	private inFlight = 0;
	private quotaDay = '';
	private quotaUsed = 0;
	/** REST calls accepted since the last setFaults (for expireTokensAfterCalls). */
	private acceptedSinceFaults = 0;
	private readonly router = new Router();
	private readonly startedAt = Date.now();
	private validator: OpenApiValidator | undefined;
	private activitySeq = 0;

	constructor(private readonly opts: MarketoEmulatorOptions) {
		this.clientId = opts.clientId ?? 'emulator-client-id';
		this.clientSecret = opts.clientSecret ?? 'emulator-client-secret';
		this.timeScale = opts.timeScale ?? 1;
		this.activityScanSize = opts.activityScanSize ?? 300;
		this.activityTimeSliceSeconds = opts.activityTimeSliceSeconds;
		this.latencyMs = opts.latencyMs ?? 0;
		this.upsertRace = opts.upsertRace ?? true;
		this.upsertHoldMs = opts.upsertHoldMs;
		if (opts.validateOpenApi !== false) this.validator = loadValidator();
		registerLeads(this.router);
		registerAll(this.router);
		if (opts.faults) this.setFaults(opts.faults);
		if (opts.seed) this.seed(opts.seed);
	}

	async listen(): Promise<void> {
		this.http = await startHttpServer({
			port: this.opts.port,
			host: this.opts.host,
			handle: (req, res) => this.handle(req, res),
			// An emulator bug answers like a Marketo system error.
			onError: (res, e: any) =>
				sendJson(res, 500, {
					requestId: requestId(),
					success: false,
					errors: [{ code: '611', message: `System error: ${e?.message ?? e}` }],
				}),
		});
		this.baseUrl = this.http.baseUrl;
		this.restUrl = `${this.baseUrl}/rest`;
		this.identityUrl = `${this.baseUrl}/identity`;
	}

	// ---- public control API -------------------------------------------------------------------

	reset(): void {
		// Tokens survive a reset (like a real instance whose data was wiped): clients keep their cache.
		// in place, so references to emu.state held by tests stay valid
		Object.assign(this.state, createEmptyState());
		this.faults = {};
		this.latencyMs = this.opts.latencyMs ?? 0;
		this.upsertRace = this.opts.upsertRace ?? true;
		this.permissions = {};
		this.random = Math.random;
		this.log.clear();
		this.counts = {};
		this.windowCalls = [];
		this.quotaUsed = 0;
		this.activitySeq = 0;
	}

	seed(data: SeedData): void {
		applySeed(this.state, data, this);
	}

	setFaults(f: FaultConfig): void {
		this.faults = {
			...f,
			perRecord: f.perRecord?.map((p) => ({ ...p })),
			script: f.script?.map((s) => ({ ...s })),
		};
		this.random = makeRandom(f.seed);
		this.acceptedSinceFaults = 0;
		this.latencyMs = f.latencyMs ?? this.opts.latencyMs ?? 0;
		this.upsertRace = f.upsertRace ?? this.opts.upsertRace ?? true;
		if (f.forceTokenExpiry) this.expireAllTokens();
	}

	setPermissions(p: PermissionConfig): void {
		this.permissions = checkPermissionConfig(p);
	}

	expireAllTokens(): void {
		const now = Date.now();
		for (const info of this.tokens.values()) if (info.expiresAt > now) info.expiresAt = now;
	}

	requestLog(): LogEntry[] {
		return this.log.list();
	}

	callCounts(): Record<string, number> {
		return { ...this.counts };
	}

	clearLog(): void {
		this.log.clear();
		this.counts = {};
	}

	callWebhook(call: WebhookCall): Promise<WebhookResult> {
		return callWebhook(this.state, this, call);
	}

	async stop(): Promise<void> {
		await this.http?.stop().catch(() => undefined);
	}

	// ---- EmulatorApi (used by handlers) ---------------------------------------------------------

	recordFault(kind: RecordKind, record: Record<string, unknown>): MarketoError | undefined {
		for (const rf of this.faults.perRecord ?? []) {
			if (rf.times !== undefined && rf.times <= 0) continue;
			if (rf.kind && rf.kind !== 'any' && rf.kind !== kind) continue;
			const hit = Object.entries(rf.match).every(([k, v]) => {
				const rv = record[k];
				if (typeof v === 'string' && typeof rv === 'string')
					return v.toLowerCase() === rv.toLowerCase();
				return rv === v || String(rv) === String(v);
			});
			if (!hit) continue;
			if (rf.times !== undefined) rf.times--;
			return { code: rf.code, message: rf.message ?? defaultMessage(rf.code) };
		}
		return undefined;
	}

	addActivity(a: Parameters<EmulatorApi['addActivity']>[0]): void {
		const id = this.state.nextActivityId++;
		const ts = a.activityDate ? Date.parse(a.activityDate) : Date.now();
		const act: Activity = {
			id,
			marketoGUID: String(id),
			leadId: a.leadId,
			ts,
			activityDate: new Date(ts).toISOString().replace(/\.\d{3}Z$/, 'Z'),
			activityTypeId: a.activityTypeId,
			primaryAttributeValueId: a.primaryAttributeValueId,
			primaryAttributeValue: a.primaryAttributeValue,
			attributes: a.attributes ?? [],
			fields: a.fields,
			seq: ++this.activitySeq,
		};
		insertActivity(this.state.activities, act);
	}

	// ---- the request pipeline -------------------------------------------------------------------

	private scaledMs(seconds: number): number {
		return seconds * 1000 * this.timeScale;
	}

	private record(entry: LogEntry): void {
		this.log.push(entry);
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const at = Date.now();
		const rawUrl = req.url ?? '/';
		const qIdx = rawUrl.indexOf('?');
		const path = qIdx >= 0 ? rawUrl.slice(0, qIdx) : rawUrl;
		const method = (req.method ?? 'GET').toUpperCase();
		const controlOp = controlOperation(path);
		if (controlOp === undefined) this.counts[path] = (this.counts[path] ?? 0) + 1;
		let logged: LogEntry | undefined;
		const finish = (status: number, body: unknown, headers?: Record<string, string>) => {
			const code = extractCode(body);
			logged = { method, path, status, code, at, doneAt: Date.now() };
			this.record(logged);
			if (code) this.countError(code);
			if (typeof body === 'string') sendText(res, status, body);
			else sendJson(res, status, body, headers);
		};

		// URI limit: Marketo answers 414 at the gateway, before anything else happens.
		if (rawUrl.length > MAX_URL) {
			req.resume();
			return finish(414, '<html><body><h1>414 Request-URI Too Large</h1></body></html>');
		}
		let rawBody: Buffer;
		try {
			rawBody = await readBody(req, MAX_BODY);
		} catch (e) {
			if (e instanceof BodyTooLargeError) {
				return finish(413, '<html><body><h1>413 Request Entity Too Large</h1></body></html>');
			}
			throw e;
		}

		if (controlOp !== undefined) {
			const reply = await this.control(method, controlOp, rawUrl, rawBody);
			// control calls are not part of the Marketo traffic: they stay out of log and counts
			sendJson(res, reply.status, reply.body);
			return;
		}

		const query = parseQueryString(qIdx >= 0 ? rawUrl.slice(qIdx + 1) : '');
		const contentType = contentTypeOf(req);

		if (path === '/identity/oauth/token') {
			const reply = this.identity(method, query, contentType, rawBody);
			return finish(reply.status, reply.body);
		}

		if (!path.startsWith('/rest/') && !path.startsWith('/bulk/')) {
			return finish(404, fail('610', 'Requested resource not found').body);
		}

		// Authentication: only the Authorization header counts (query access_token was removed in 2026).
		const auth = String(req.headers.authorization ?? '');
		const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
		if (!m) {
			return finish(200, fail('600', 'Access token not specified').body);
		}
		const info = this.tokens.get(m[1].trim());
		if (!info) return finish(200, fail('601', 'Access token invalid').body);
		if (info.expiresAt <= Date.now()) return finish(200, fail('602', 'Access token expired').body);

		// Parse the body and the effective method.
		const params: Record<string, string[]> = { ...query };
		let body: any;
		let effMethod = method;
		const override = query['_method']?.[0]?.toUpperCase();
		if (method === 'POST' && override) effMethod = override;
		delete params['_method'];
		if (rawBody.length) {
			if (contentType === 'application/x-www-form-urlencoded') {
				for (const [k, v] of Object.entries(parseQueryString(rawBody.toString('utf8')))) {
					(params[k] ??= []).push(...v);
				}
			} else if (
				contentType === 'application/json' ||
				contentType === 'text/json' ||
				contentType === ''
			) {
				try {
					body = JSON.parse(rawBody.toString('utf8'));
				} catch {
					return finish(200, fail('609', 'Invalid JSON').body);
				}
			} else if (contentType === 'multipart/form-data') {
				for (const [k, v] of Object.entries(
					parseMultipart(rawBody, String(req.headers['content-type'] ?? '')),
				)) {
					(params[k] ??= []).push(...v);
				}
			} else {
				return finish(200, fail('612', 'Invalid Content Type').body);
			}
		}

		// Request validation against Adobe's OpenAPI files: a client bug becomes a 400 naming the mismatch.
		if (this.validator) {
			const problem = validateRequest(this.validator, {
				method: effMethod,
				path,
				params,
				body,
				contentType,
				hasBody: rawBody.length > 0,
			});
			if (problem) {
				return finish(400, {
					requestId: requestId(),
					success: false,
					errors: [{ code: '400', message: `OpenAPI validation: ${problem}` }],
				});
			}
		}

		const matched = this.router.match(effMethod, path);
		if (!matched) {
			return finish(
				200,
				fail(
					'610',
					`Requested resource not found (${effMethod} ${path} is not implemented by the emulator)`,
				).body,
			);
		}
		if ('methodMismatch' in matched) {
			return finish(200, fail('605', `Request method '${effMethod}' not supported`).body);
		}

		// Limits, in Marketo's order: daily quota, rate window, concurrency.
		const now = Date.now();
		this.rollQuotaDay(now);
		const quota = this.opts.dailyQuota ?? 50000;
		if (this.quotaUsed >= quota) {
			return finish(200, fail('607', 'Daily quota reached').body);
		}
		const windowMs = this.scaledMs(this.opts.rateLimit?.windowSeconds ?? 20);
		const perWindow = this.opts.rateLimit?.callsPerWindow ?? 100;
		while (this.windowCalls.length && this.windowCalls[0] <= now - windowMs)
			this.windowCalls.shift();
		if (this.windowCalls.length >= perWindow) {
			return finish(
				200,
				fail(
					'606',
					`Max rate limit '${perWindow}' exceeded with in '${this.opts.rateLimit?.windowSeconds ?? 20}' secs`,
				).body,
			);
		}
		const maxConcurrent = this.opts.rateLimit?.maxConcurrent ?? 10;
		if (this.inFlight >= maxConcurrent) {
			return finish(200, fail('615', 'Concurrent access limit reached').body);
		}

		const fault = this.pickFault(path, effMethod);
		// Injected codes that Marketo does not count against the window/quota (starred in its error table,
		// plus the limit errors themselves) are answered before the call is counted.
		if (fault && NOT_COUNTED.has(fault)) {
			const message =
				fault === '606'
					? `Max rate limit '${perWindow}' exceeded with in '${this.opts.rateLimit?.windowSeconds ?? 20}' secs`
					: defaultMessage(fault);
			return finish(200, fail(fault, message).body);
		}

		// The call is accepted: it counts against the window and the daily quota.
		this.windowCalls.push(now);
		this.quotaUsed++;
		this.countUsage(info.user);
		// This call already passed the token check; the next one with the same token meets 602.
		if (++this.acceptedSinceFaults === this.faults.expireTokensAfterCalls) this.expireAllTokens();
		this.inFlight++;
		try {
			const latency = matched.route.options.ownLatency && this.upsertRace ? 0 : this.latencyMs;
			if (latency > 0) await delay(latency, true);
			if (fault === 'slow') await delay(this.faults.slowMs ?? 2000, true);
			if (fault === 'timeout') {
				// Hang, then drop the connection without an answer (what a gateway timeout looks like to a client).
				await delay(this.faults.timeoutMs ?? 5000, true);
				this.record({ method, path, status: 0, code: 'timeout', at });
				req.socket.destroy();
				return;
			}
			if (fault === 'http5xx') {
				const status = this.faults.httpStatus ?? 502;
				return finish(status, `<html><body><h1>${status} Bad Gateway</h1></body></html>`);
			}
			if (fault && /^\d+$/.test(fault)) return finish(200, fail(fault, defaultMessage(fault)).body);
			const denied = deniedBy(this.permissions, effMethod, path);
			if (denied) return finish(200, fail('603', denied).body);

			const ctx: Ctx = {
				req,
				res,
				method: effMethod,
				rawMethod: method,
				path,
				params,
				body,
				contentType,
				rawBody,
				state: this.state,
				pathParams: matched.params,
				emu: this,
				holdMs:
					fault === 'delayAfterWrite' || fault === 'dropWhileWriting'
						? (this.faults.timeoutMs ?? 5000)
						: 0,
			};
			if (
				matched.route.options.json &&
				effMethod === 'POST' &&
				rawBody.length &&
				contentType !== 'application/json'
			) {
				return finish(200, fail('612', 'Invalid Content Type').body);
			}
			if (fault === 'dropWhileWriting') {
				// The handler has looked its records up (it runs until its first wait); the client is
				// cut off now, the write lands when the hold ends.
				const pending = Promise.resolve(matched.route.handler(ctx)).catch(() => undefined);
				this.record({ method, path, status: 0, code: 'lost', at });
				req.socket.destroy();
				await pending;
				if (ctx.holdMs) await delay(ctx.holdMs, true);
				return;
			}
			let reply: Reply;
			try {
				reply = await matched.route.handler(ctx);
			} catch (e) {
				if (e instanceof ApiError)
					reply = e.asset ? assetFail(e.code, e.message) : fail(e.code, e.message);
				else throw e;
			}
			if (fault === 'dropAfterWrite') {
				// The write happened; the client never learns it (a connection lost after sending).
				this.record({ method, path, status: 0, code: 'lost', at });
				req.socket.destroy();
				return;
			}
			if (fault === 'delayAfterWrite') {
				// The write happened (at the end of the hold, for handlers that spend it while writing, as a
				// slow Marketo call does); the answer comes after the client has given up waiting.
				this.record({ method, path, status: 0, code: 'late', at });
				if (ctx.holdMs) await delay(ctx.holdMs, true);
				sendJson(res, reply.status, reply.body, reply.headers);
				return;
			}
			return finish(reply.status, reply.body, reply.headers);
		} finally {
			this.inFlight--;
		}
	}

	private pickFault(path: string, method: string): string | undefined {
		const script = this.faults.script;
		if (script) {
			const i = script.findIndex(
				(s) =>
					(s.times ?? 1) > 0 &&
					(!s.path || path.includes(s.path)) &&
					(!s.method || s.method.toUpperCase() === method),
			);
			if (i >= 0) {
				const s = script[i];
				s.times = (s.times ?? 1) - 1;
				if (s.times <= 0) script.splice(i, 1);
				return s.fault;
			}
		}
		const f = this.faults;
		if (f.paths && !f.paths.some((p) => path.includes(p))) return undefined;
		const draw = (rate?: number) => rate !== undefined && rate > 0 && this.random() < rate;
		if (draw(f.error606)) return '606';
		if (draw(f.error615)) return '615';
		if (draw(f.error604)) return '604';
		if (draw(f.http5xx)) return 'http5xx';
		if (draw(f.timeout)) return 'timeout';
		if (f.slow !== undefined ? draw(f.slow) : (f.slowMs ?? 0) > 0) return 'slow';
		if (method === 'POST' && draw(f.lostAnswer))
			return f.lostAnswerMode === 'delay'
				? 'delayAfterWrite'
				: f.lostAnswerMode === 'whileWriting'
					? 'dropWhileWriting'
					: 'dropAfterWrite';
		return undefined;
	}

	private dayKey(now: number): string {
		if (this.timeScale === 1) return new Date(now).toISOString().slice(0, 10);
		return `scaled-${Math.floor((now - this.startedAt) / this.scaledMs(86400))}`;
	}

	private rollQuotaDay(now: number): void {
		const key = this.dayKey(now);
		if (key !== this.quotaDay) {
			this.quotaDay = key;
			this.quotaUsed = 0;
		}
	}

	private countUsage(user: string): void {
		const day = new Date().toISOString().slice(0, 10);
		const users = this.state.usage.get(day) ?? new Map<string, number>();
		users.set(user, (users.get(user) ?? 0) + 1);
		this.state.usage.set(day, users);
	}

	private countError(code: string): void {
		const day = new Date().toISOString().slice(0, 10);
		const codes = this.state.errorsByDay.get(day) ?? new Map<string, number>();
		codes.set(code, (codes.get(code) ?? 0) + 1);
		this.state.errorsByDay.set(day, codes);
	}

	private identity(
		method: string,
		query: Record<string, string[]>,
		contentType: string,
		rawBody: Buffer,
	): Reply {
		if (method !== 'GET' && method !== 'POST') {
			return {
				status: 405,
				body: { error: 'invalid_request', error_description: 'Method not allowed' },
			};
		}
		const p: Record<string, string> = {};
		for (const [k, v] of Object.entries(query)) p[k] = v[0];
		if (
			method === 'POST' &&
			contentType === 'application/x-www-form-urlencoded' &&
			rawBody.length
		) {
			for (const [k, v] of Object.entries(parseQueryString(rawBody.toString('utf8'))))
				p[k] ??= v[0];
		}
		if (p.grant_type !== 'client_credentials') {
			return {
				status: 400,
				body: {
					error: 'unsupported_grant_type',
					error_description: `Unsupported grant type: ${p.grant_type ?? ''}`,
				},
			};
		}
		const clients = [
			{ clientId: this.clientId, clientSecret: this.clientSecret, user: API_USER },
			...(this.opts.extraClients ?? []),
		];
		const client = clients.find(
			(x) => x.clientId === p.client_id && x.clientSecret === p.client_secret,
		);
		if (!client) {
			return {
				status: 401,
				body: { error: 'invalid_client', error_description: 'Bad client credentials' },
			};
		}
		const user = client.user ?? API_USER;
		const now = Date.now();
		const ttl = this.scaledMs(this.opts.tokenTtlSeconds ?? 3600);
		let token = this.currentToken.get(p.client_id);
		let info = token ? this.tokens.get(token) : undefined;
		// Marketo returns the same token, with its remaining lifetime, until it has expired.
		if (!token || !info || info.expiresAt <= now) {
			token = `${randomUUID()}:ab`;
			info = { clientId: p.client_id, user, expiresAt: now + ttl };
			this.tokens.set(token, info);
			this.currentToken.set(p.client_id, token);
		}
		const remaining = Math.max(0, Math.floor((info.expiresAt - now) / (1000 * this.timeScale)));
		return {
			status: 200,
			body: { access_token: token, token_type: 'bearer', expires_in: remaining, scope: info.user },
		};
	}

	private async control(
		method: string,
		op: string,
		rawUrl: string,
		rawBody: Buffer,
	): Promise<Reply> {
		const parsed = parseControlBody(rawBody, {
			status: 400,
			body: { ok: false, error: 'control body must be JSON' },
		});
		if (!parsed.ok) return parsed.reply;
		const data = parsed.data;
		switch (op) {
			case 'reset':
				this.reset();
				return { status: 200, body: { ok: true } };
			case 'seed': {
				// POST /__control/seed?preset=spotme seeds a preset (then the body, if any)
				const preset = parseQueryString(rawUrl.split('?')[1] ?? '').preset?.[0];
				if (preset) {
					if (preset !== 'spotme')
						return {
							status: 400,
							body: { ok: false, error: `unknown preset '${preset}' (known: spotme)` },
						};
					this.seed(seedPresets.spotme());
				}
				if (rawBody.length) this.seed(data);
				return { status: 200, body: { ok: true } };
			}
			case 'state':
				return { status: 200, body: dumpState(this.state) };
			case 'faults':
				if (method === 'GET') return { status: 200, body: this.faults };
				this.setFaults(data);
				return { status: 200, body: { ok: true } };
			case 'permissions':
				if (method === 'GET') return { status: 200, body: this.permissions };
				try {
					this.setPermissions(data);
				} catch (e) {
					return { status: 400, body: { ok: false, error: (e as Error).message } };
				}
				return { status: 200, body: { ok: true } };
			case 'expire-tokens':
				this.expireAllTokens();
				return { status: 200, body: { ok: true } };
			case 'log':
				if (method === 'DELETE') {
					this.clearLog();
					return { status: 200, body: { ok: true } };
				}
				return { status: 200, body: this.requestLog() };
			case 'counts':
				return { status: 200, body: this.callCounts() };
			case 'webhook':
				try {
					return { status: 200, body: await this.callWebhook(data) };
				} catch (e) {
					return { status: 400, body: { ok: false, error: e?.message ?? String(e) } };
				}
			default:
				return {
					status: 404,
					body: { ok: false, error: `unknown control operation '${op}' (${rawUrl})` },
				};
		}
	}
}

/** Keeps activities ordered by (time, seq): paging tokens are positions in that order. */
export function insertActivity(list: Activity[], act: Activity): void {
	let i = list.length;
	while (i > 0 && compareActivity(list[i - 1], act) > 0) i--;
	list.splice(i, 0, act);
}

export function compareActivity(
	a: Pick<Activity, 'ts' | 'seq'>,
	b: Pick<Activity, 'ts' | 'seq'>,
): number {
	const d = a.ts - b.ts;
	return d !== 0 ? d : a.seq - b.seq;
}

function extractCode(body: unknown): string | undefined {
	if (body && typeof body === 'object') {
		const b = body as { success?: boolean; errors?: Array<{ code?: unknown }>; error?: string };
		if (b.success === false && b.errors?.length) return String(b.errors[0].code);
		if (typeof b.error === 'string') return b.error;
	}
	return undefined;
}

export function defaultMessage(code: string): string {
	const m: Record<string, string> = {
		'601': 'Access token invalid',
		'602': 'Access token expired',
		'604': 'Request time-out',
		'606': "Max rate limit '100' exceeded with in '20' secs",
		'607': 'Daily quota reached',
		'608': 'API Temporarily Unavailable',
		'611': 'System error',
		'615': 'Concurrent access limit reached',
		'713': 'Transient Error',
		'719': 'Lock wait timeout exception',
		'1001': 'Invalid value',
		'1002': 'Missing value for required parameter',
		'1003': 'Invalid data',
		'1004': 'Lead not found',
		'1005': 'Lead already exists',
		'1006': 'Field not found',
		'1007': 'Multiple lead match lookup criteria',
		'1013': 'Object not found',
		'1025': 'Program status not found',
		'1037': 'Lead skipped because it is already in or past this status',
	};
	return m[code] ?? `Error ${code}`;
}

export function dumpState(s: MarketoState): unknown {
	const mapObj = <V>(m: Map<unknown, V>) =>
		Object.fromEntries([...m.entries()].map(([k, v]) => [String(k), v]));
	return {
		leadFields: s.leadFields,
		leads: [...s.leads.values()],
		lists: [...s.lists.values()],
		channels: s.channels,
		folders: [...s.folders.values()],
		programs: [...s.programs.values()],
		programMemberFields: s.programMemberFields,
		members: Object.fromEntries(
			[...s.members.entries()].map(([pid, m]) => [String(pid), [...m.values()]]),
		),
		customObjectTypes: [...s.customObjectTypes.values()],
		customObjects: mapObj(s.customObjects),
		activities: s.activities,
		activityTypes: s.activityTypes,
		usage: Object.fromEntries([...s.usage.entries()].map(([d, m]) => [d, mapObj(m)])),
	};
}

export async function startMarketoEmulator(
	opts: MarketoEmulatorOptions = {},
): Promise<MarketoEmulator> {
	const emu = new MarketoEmulatorImpl(opts);
	await emu.listen();
	return emu;
}

// re-exported for handler modules and tests
export { fail, requestId };
export type { Ctx };
