/**
 * What a failed call tells about the write it carried. A call refused before Marketo processed it (a
 * refused connection, an unknown host, 429, 606/615) can be sent again as it was. A call whose answer
 * was lost (the connection dropped after sending, our time-out, a 5xx from a gateway, Marketo's own
 * 604 time-out) may have been written: sending the same createOrUpdate again can create the record
 * twice, so such a write is never blindly repeated (see exactlyOnce.ts).
 */

export interface HttpFailure {
	status?: number;
	code?: string;
}

export function describeHttpFailure(error: unknown): HttpFailure {
	const e = error as {
		httpCode?: string;
		code?: string;
		cause?: {
			code?: string;
			status?: number;
			response?: { status?: number };
			cause?: { code?: string };
		};
		response?: { status?: number };
		status?: number;
	};
	const status =
		e?.cause?.response?.status ??
		e?.response?.status ??
		e?.cause?.status ??
		(e?.httpCode && /^\d{3}$/.test(e.httpCode) ? Number(e.httpCode) : undefined);
	const code = e?.cause?.code ?? e?.code ?? e?.cause?.cause?.code;
	return { status, code: typeof code === 'string' ? code : undefined };
}

/** Network failures that happen before a request leaves: nothing was sent, nothing written. */
const NEVER_SENT = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
]);

/**
 * Whether a retry code of the transport (`HTTP 502`, `timeout`, a network code, a Marketo code)
 * leaves it unknown whether Marketo wrote the records.
 */
export function leavesOutcomeUnknown(retryCode: string | undefined): boolean {
	if (!retryCode) return false;
	if (retryCode === 'timeout' || retryCode === '604') return true;
	const http = /^HTTP (\d{3})$/.exec(retryCode);
	if (http) return Number(http[1]) >= 500;
	return /^E[A-Z_]+$/.test(retryCode) && !NEVER_SENT.has(retryCode);
}

/** Errors whose write may have happened, with when the call was sent (ms since the epoch). */
const unknownOutcomes = new WeakMap<object, number>();

/** Marks an error as "the write may have happened", sent at `sentAt`. */
export function markOutcomeUnknown<E extends object>(error: E, sentAt: number): E {
	unknownOutcomes.set(error, sentAt);
	return error;
}

export function isOutcomeUnknown(error: unknown): boolean {
	return typeof error === 'object' && error !== null && unknownOutcomes.has(error);
}

/** When the call behind an unknown outcome was sent. */
export function outcomeSentAt(error: unknown): number {
	return (typeof error === 'object' && error !== null && unknownOutcomes.get(error)) || 0;
}
