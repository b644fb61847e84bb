/**
 * What both services' credentials and transports need alike: a credential failure recognised by its
 * type, the network failures told in words (one list of codes), Retry-After parsing and the one
 * 401-shaped error. Dependency-free on purpose: credentials import it at run time.
 */

/**
 * Marks a CredentialError. `Symbol.for`, not a private symbol, so the mark survives even if n8n loads
 * the credential file and the node file with separate copies of this module.
 */
const CREDENTIAL_ERROR = Symbol.for('n8n-nodes-marketo-spotme.CredentialError');

/**
 * A credential's own failure, worded for the user as is (no stack, no request, no secret). n8n wraps
 * what preAuthentication throws in a NodeApiError whose `cause` is this error; a transport finds it
 * with `credentialFailureOf` and reads `httpStatus` / `networkCode` to report it as it reports the
 * same failure of any other call.
 */
export class CredentialError extends Error {
	readonly [CREDENTIAL_ERROR] = true;

	/** The HTTP status the credential's own check got (401 rejected token, 404 no API there...). */
	httpStatus?: number;

	/** The network code when the credential's check never got an answer (ECONNREFUSED...). */
	networkCode?: string;

	constructor(
		/** Which credential failed, e.g. 'SpotMeCredentialError': for logs only, never tested for. */
		name: string,
		message: string,
		details: { httpStatus?: number; networkCode?: string } = {},
	) {
		super(message);
		this.name = name;
		if (details.httpStatus !== undefined) this.httpStatus = details.httpStatus;
		if (details.networkCode) this.networkCode = details.networkCode;
	}
}

export function isCredentialError(error: unknown): error is CredentialError {
	return (
		typeof error === 'object' &&
		error !== null &&
		(error as Record<symbol, unknown>)[CREDENTIAL_ERROR] === true
	);
}

/** The credential failure behind an error of `httpRequestWithAuthentication`: itself or its `cause`. */
export function credentialFailureOf(error: unknown): CredentialError | undefined {
	if (isCredentialError(error)) return error;
	const cause = (error as { cause?: unknown } | undefined)?.cause;
	return isCredentialError(cause) ? cause : undefined;
}

/**
 * Shapes a credential's error like HTTP 401, the only failure on which n8n-core runs preAuthentication
 * again (with the current settings) and retries the request once. `authenticate` throws it when the
 * stored token (or verification) was made for other settings: n8n 2.40.7 skips preAuthentication when
 * testing a saved credential, so without it an edited secret would be tested with the old token.
 */
export function asStaleCredential<T extends Error>(error: T): T {
	return Object.assign(error, { response: { status: 401 }, httpCode: '401' });
}

/** The longest wait a Retry-After may ask for: a server asking for an hour must not stall a run. */
export const RETRY_AFTER_CAP_MS = 60_000;

/** Retry-After is seconds or an HTTP date; ms (at most 60 s), or undefined when absent/unreadable. */
export function parseRetryAfter(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const text = String(Array.isArray(value) ? value[0] : value).trim();
	if (/^\d+(\.\d+)?$/.test(text))
		return Math.min(RETRY_AFTER_CAP_MS, Math.ceil(Number(text) * 1000));
	const at = Date.parse(text);
	if (!Number.isNaN(at)) return Math.min(RETRY_AFTER_CAP_MS, Math.max(0, at - Date.now()));
	return undefined;
}

const NOTHING_ANSWERS = 'nothing answers at that address';
const NO_SUCH_HOST = 'the host name does not exist';
const TOO_SLOW = 'it did not answer in time';
const FAILED = 'the connection failed';

/**
 * The network failures both services know, once: what each means in words, and whether sending the
 * same request again may work (a dropped connection, a time-out, a DNS hiccup) or not (nothing
 * listens there, no such host).
 */
const NETWORK_FAILURES: Record<string, { why: string; transient: boolean }> = {
	ECONNREFUSED: { why: NOTHING_ANSWERS, transient: false },
	ENOTFOUND: { why: NO_SUCH_HOST, transient: false },
	EAI_AGAIN: { why: NO_SUCH_HOST, transient: true },
	ETIMEDOUT: { why: TOO_SLOW, transient: true },
	ESOCKETTIMEDOUT: { why: TOO_SLOW, transient: true },
	ECONNABORTED: { why: TOO_SLOW, transient: true },
	ERR_CANCELED_TIMEOUT: { why: TOO_SLOW, transient: true },
	ECONNRESET: { why: FAILED, transient: true },
	EPIPE: { why: FAILED, transient: true },
	EHOSTUNREACH: { why: FAILED, transient: false },
	ENETUNREACH: { why: FAILED, transient: false },
};

/** True for a network code worth another attempt after a pause. */
export function isTransientNetworkCode(code: string | undefined): boolean {
	return code !== undefined && NETWORK_FAILURES[code]?.transient === true;
}

/**
 * The first network code this package knows among `candidates` (the error's code, its cause's...),
 * else ''.
 */
export function knownNetworkCode(...candidates: unknown[]): string {
	const found = candidates.find((c) => typeof c === 'string' && c in NETWORK_FAILURES);
	return typeof found === 'string' ? found : '';
}

/** A request that failed without an answer only because the connection dropped or timed out. */
export function isTransientNetworkFailure(error: unknown, code?: string): boolean {
	return (
		isTransientNetworkCode(code) || /timeout|socket hang up/i.test((error as Error)?.message ?? '')
	);
}

/**
 * Why a request never got an answer, in words, and the network code behind it. In words because n8n
 * rewrites any message that contains a code like ECONNREFUSED into a generic text.
 */
export function unreachableReason(error: unknown): { why: string; code: string } {
	const e = error as { code?: string; cause?: { code?: string } };
	const code = String(e?.code ?? e?.cause?.code ?? '');
	return { why: NETWORK_FAILURES[code]?.why ?? FAILED, code };
}
