/**
 * Shared-secret check for Marketo webhook deliveries.
 *
 * Marketo cannot sign a webhook; the only authentication it can send is a static custom header
 * (Webhook Actions > Set Custom Header). So the check is: the configured header carries the
 * configured secret (`Bearer <secret>` when the header is Authorization), compared in constant time.
 */
import { createHash, timingSafeEqual } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

type HeaderValue = string | string[] | undefined;

/** The header value Marketo must send for a given header name and secret. */
export function expectedHeaderValue(headerName: string, secret: string): string {
	// Trimmed like the received value: a secret pasted with a stray space must still match.
	const value = secret.trim();
	if (value === '') return '';
	return headerName.trim().toLowerCase() === 'authorization' ? `Bearer ${value}` : value;
}

function digest(value: string): Buffer {
	return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Constant-time comparison. Both sides are hashed first so that neither the secret's length nor
 * the position of the first differing character shows in the timing.
 */
export function secretMatches(received: HeaderValue, expected: string): boolean {
	if (expected === '' || received === undefined) return false;
	const value = Array.isArray(received) ? received[0] : received;
	if (typeof value !== 'string') return false;
	let candidate = value.trim();
	// RFC 7235: the auth scheme is case-insensitive ("bearer x" is as good as "Bearer x").
	if (/^bearer /i.test(candidate) && /^Bearer /.test(expected))
		candidate = `Bearer ${candidate.slice(7).trim()}`;
	return timingSafeEqual(digest(candidate), digest(expected));
}

/**
 * The request headers without the secret: the configured auth header, plus Authorization and
 * Cookie in any case (a Marketo webhook copied from another integration may carry that service's
 * token in Authorization even when this trigger does not check it).
 */
export function headersWithoutSecret(
	headers: IDataObject,
	secretHeaderName: string | undefined,
): IDataObject {
	const drop = new Set(['authorization', 'cookie', 'proxy-authorization']);
	if (secretHeaderName) drop.add(secretHeaderName.trim().toLowerCase());
	const result: IDataObject = {};
	for (const [key, value] of Object.entries(headers)) {
		if (!drop.has(key.toLowerCase())) result[key] = value;
	}
	return result;
}
