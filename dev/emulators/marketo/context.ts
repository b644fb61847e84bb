/** Request context and Marketo response envelopes shared by all handlers. */
import type { IncomingMessage, ServerResponse } from 'http';
import { randomBytes } from 'crypto';
import type { Reply } from '../common/http';
import type { MarketoState } from './state';

export interface MarketoError {
	code: string;
	message: string;
}

/** A handler's answer; the same shape the SpotMe emulator uses (see ../common/http.ts). */
export type { Reply } from '../common/http';

export interface Ctx {
	req: IncomingMessage;
	res: ServerResponse;
	/** effective method (POST ...?_method=GET is a GET) */
	method: string;
	rawMethod: string;
	path: string;
	/** query + form-body parameters, every value kept (repeated keys) */
	params: Record<string, string[]>;
	/** JSON body when the request carried one */
	body: any;
	contentType: string;
	rawBody: Buffer;
	state: MarketoState;
	pathParams: Record<string, string>;
	/** the emulator (fault lookups, activity recording, clock) */
	emu: EmulatorApi;
	/**
	 * a lost answer's hold (real ms): a write handler may spend it between looking records up and
	 * writing them (as a slow Marketo call does) and set it to 0; what is left is spent after the write
	 */
	holdMs?: number;
}

/** What handlers may use from the emulator besides the state. */
export interface EmulatorApi {
	recordFault(kind: RecordKind, record: Record<string, unknown>): MarketoError | undefined;
	addActivity(a: {
		leadId: number;
		activityTypeId: number;
		primaryAttributeValueId?: number;
		primaryAttributeValue?: string;
		attributes?: Array<{ name: string; value: unknown }>;
		fields?: Array<{ id: number; name: string; newValue: unknown; oldValue: unknown }>;
		activityDate?: string;
	}): void;
	/** records considered per activities page before `moreResult:true` is returned */
	activityScanSize: number;
	/** real ms every REST call takes (option latencyMs) */
	latencyMs: number;
	/** reproduce Marketo's createOrUpdate race between overlapping calls (needs latencyMs > 0) */
	upsertRace: boolean;
	/** real ms Sync Leads holds a call between its lookup and its write (option upsertHoldMs; default latencyMs) */
	upsertHoldMs?: number;
	/** optional: activity time (s) one page covers at most */
	activityTimeSliceSeconds?: number;
	timeScale: number;
}

export type RecordKind =
	| 'lead'
	| 'programMemberStatus'
	| 'programMemberData'
	| 'customObject'
	| 'any';

export function requestId(): string {
	return `${randomBytes(2).toString('hex')}#${randomBytes(5).toString('hex').slice(0, 11)}`;
}

/** Lead-database envelope. */
export function ok(result: unknown, extra: Record<string, unknown> = {}): Reply {
	return { status: 200, body: { requestId: requestId(), result, success: true, ...extra } };
}

/** Lead-database / asset response-level error: HTTP 200, success:false, string code. */
export function fail(code: string | number, message: string): Reply {
	return {
		status: 200,
		body: { requestId: requestId(), success: false, errors: [{ code: String(code), message }] },
	};
}

export const NO_ASSETS = 'No assets found for the given search criteria.';

/** Asset envelope. An empty result is success:true, no `result`, and the "No assets found" warning. */
export function assetOk(result: unknown[] | undefined, warnings: string[] = []): Reply {
	if (!result || result.length === 0) {
		return {
			status: 200,
			body: {
				success: true,
				errors: [],
				requestId: requestId(),
				warnings: [NO_ASSETS, ...warnings],
			},
		};
	}
	return {
		status: 200,
		body: { success: true, errors: [], requestId: requestId(), warnings, result },
	};
}

export function assetFail(code: string | number, message: string): Reply {
	return {
		status: 200,
		body: {
			success: false,
			errors: [{ code: String(code), message }],
			requestId: requestId(),
			warnings: [],
		},
	};
}

export class ApiError extends Error {
	constructor(
		public readonly code: string,
		message: string,
		public readonly asset = false,
	) {
		super(message);
	}
}

/** First value of a parameter. */
export function param(ctx: Ctx, name: string): string | undefined {
	const v = ctx.params[name];
	return v && v.length ? v[0] : undefined;
}

/** Comma-separated (or repeated) list parameter. */
export function listParam(ctx: Ctx, name: string): string[] | undefined {
	const v = ctx.params[name];
	if (!v || !v.length) return undefined;
	return v
		.flatMap((s) => s.split(','))
		.map((s) => s.trim())
		.filter((s) => s !== '');
}

export function skipped(
	code: string,
	message: string,
): { status: 'skipped'; reasons: MarketoError[] } {
	return { status: 'skipped', reasons: [{ code, message }] };
}

export function encodeToken(obj: unknown): string {
	return base32(JSON.stringify(obj));
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** Marketo paging tokens look like base32 ("GIYDAOBN..."); ours are base32 too, so they need no escaping. */
export function base32(text: string): string {
	const bytes = Buffer.from(text, 'utf8');
	let bits = 0;
	let value = 0;
	let out = '';
	for (const b of bytes) {
		value = (value << 8) | b;
		bits += 8;
		while (bits >= 5) {
			out += B32[(value >>> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0) out += B32[(value << (5 - bits)) & 31];
	// padded like Marketo's tokens ("...XNLJ5BJBSEQ4WQ====")
	while (out.length % 8) out += '=';
	return out;
}

export function unbase32(token: string): string | undefined {
	let bits = 0;
	let value = 0;
	const out: number[] = [];
	for (const ch of token.replace(/=+$/, '')) {
		const i = B32.indexOf(ch);
		if (i < 0) return undefined;
		value = (value << 5) | i;
		bits += 5;
		if (bits >= 8) {
			out.push((value >>> (bits - 8)) & 255);
			bits -= 8;
		}
	}
	return Buffer.from(out).toString('utf8');
}

export function decodeToken<T>(token: string | undefined): T | undefined {
	if (!token) return undefined;
	const text = unbase32(token);
	if (!text) return undefined;
	try {
		return JSON.parse(text) as T;
	} catch {
		return undefined;
	}
}
