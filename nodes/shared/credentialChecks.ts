/**
 * Pieces both credentials' preAuthentication/authenticate and the SpotMe transport use alike.
 * Dependency-free on purpose: credentials import it at run time.
 */

/** Retry-After is seconds or an HTTP date; ms, or undefined when absent/unreadable. */
export function parseRetryAfter(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const text = String(Array.isArray(value) ? value[0] : value).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
	const at = Date.parse(text);
	if (!Number.isNaN(at)) return Math.max(0, at - Date.now());
	return undefined;
}

/**
 * Why a request never got an answer, in words, and the network code behind it. In words because n8n
 * rewrites any message that contains a code like ECONNREFUSED into a generic text.
 */
export function unreachableReason(error: unknown): { why: string; code: string } {
	const e = error as { code?: string; cause?: { code?: string } };
	const code = String(e?.code ?? e?.cause?.code ?? '');
	const why =
		code === 'ECONNREFUSED'
			? 'nothing answers at that address'
			: code === 'ENOTFOUND' || code === 'EAI_AGAIN'
				? 'the host name does not exist'
				: /TIMEDOUT|ECONNABORTED/.test(code)
					? 'it did not answer in time'
					: 'the connection failed';
	return { why, code };
}

/**
 * Shapes an error from a credential's `authenticate` like HTTP 401: n8n-core then runs preAuthentication
 * again with the current settings and retries the request once. Used when the stored token (or check)
 * was made for other settings: n8n 2.40.7 skips preAuthentication when testing a saved credential.
 */
export function asStaleCredential<T extends Error>(error: T): T {
	return Object.assign(error, { response: { status: 401 }, httpCode: '401' });
}
