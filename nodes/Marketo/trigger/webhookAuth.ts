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

/** A shared secret shorter than this is refused by the credential's test. */
export const MIN_SECRET_LENGTH = 16;

export type ResolvedAuth =
	| { kind: 'secret'; headerName: string; secret: string; legacy: boolean }
	| { kind: 'none' }
	| { kind: 'refuse'; problem: string };

interface AuthContext {
	getNodeParameter(name: string, fallback?: unknown): unknown;
	getCredentials(type: string): Promise<IDataObject>;
}

/**
 * Where the secret comes from. "Marketo Webhook Credential" reads the credential; if none is
 * attached, a secret still typed in the node (workflows made before the credential existed, or
 * JSON without an `authentication` value) is used, as "Shared Secret in a Header (Legacy)" does.
 * "None" needs its confirmation. Never returns a secret-less `secret`: that is a refusal.
 */
export async function resolveAuth(ctx: AuthContext): Promise<ResolvedAuth> {
	const authentication = ctx.getNodeParameter('authentication', 'credential') as string;
	if (authentication === 'none') {
		if (ctx.getNodeParameter('confirmNoAuthentication', false) === true) return { kind: 'none' };
		return {
			kind: 'refuse',
			problem:
				'The Marketo Trigger has Authentication "None" without "Accept Calls From Anyone": choose a Marketo Webhook credential (recommended), or confirm that anyone may call this URL',
		};
	}
	const legacySecret = String(ctx.getNodeParameter('secret', '') ?? '').trim();
	const legacyHeader =
		String(ctx.getNodeParameter('headerName', 'Authorization') ?? '').trim() || 'Authorization';
	if (authentication === 'credential') {
		let credential: IDataObject | undefined;
		try {
			credential = await ctx.getCredentials('marketoWebhookApi');
		} catch {
			credential = undefined;
		}
		const secret = String(credential?.secret ?? '').trim();
		if (secret)
			return {
				kind: 'secret',
				headerName: String(credential?.headerName ?? '').trim() || 'Authorization',
				secret,
				legacy: false,
			};
		if (legacySecret)
			return { kind: 'secret', headerName: legacyHeader, secret: legacySecret, legacy: true };
		return {
			kind: 'refuse',
			problem:
				'The Marketo Trigger has no Marketo Webhook credential with a Shared Secret: create one (and enter the same header and value on the Marketo webhook under Webhook Actions > Set Custom Header)',
		};
	}
	if (legacySecret)
		return { kind: 'secret', headerName: legacyHeader, secret: legacySecret, legacy: true };
	return {
		kind: 'refuse',
		problem:
			'The Marketo Trigger has no Shared Secret: choose Authentication "Marketo Webhook Credential" and create one (the same value goes on the Marketo webhook as a custom header)',
	};
}

/**
 * How long a delivery may be checked against the webhook credential read for an earlier delivery.
 * n8n decrypts a credential for a webhook with a database read and a fresh expression isolate
 * (n8n 2.40's default engine): about a fifth of n8n's work per delivery in a burst. A delivery
 * whose header does not match the remembered secret is checked against a fresh read before it is
 * refused, so a new secret works at once; a replaced secret is still accepted for at most this long.
 */
export const SECRET_REUSE_MS = 30_000;
const MAX_REMEMBERED = 500;

interface RememberedSecret {
	headerName: string;
	secret: string;
	at: number;
}

/** In this process's memory only: never written to static data, logs or items. */
const remembered = new Map<string, RememberedSecret>();

/**
 * The key a remembered secret is kept under: the workflow, the trigger node and the credential's
 * id; undefined (nothing remembered) unless the node authenticates with a credential.
 */
export function secretKey(
	workflowId: string | undefined,
	node: { name: string; credentials?: Record<string, { id: string | null } | undefined> },
	authentication: string,
): string | undefined {
	const id = node.credentials?.marketoWebhookApi?.id;
	if (authentication !== 'credential' || !workflowId || !id) return undefined;
	return JSON.stringify([workflowId, node.name, id]);
}

/** The secret read for an earlier delivery, if read less than SECRET_REUSE_MS ago. */
export function recentSecret(key: string | undefined, now: number): RememberedSecret | undefined {
	if (key === undefined) return undefined;
	const hit = remembered.get(key);
	if (!hit) return undefined;
	if (now - hit.at >= SECRET_REUSE_MS || now < hit.at) {
		remembered.delete(key);
		return undefined;
	}
	return hit;
}

export function rememberSecret(key: string | undefined, auth: ResolvedAuth, now: number): void {
	if (key === undefined) return;
	if (auth.kind !== 'secret' || auth.legacy) {
		remembered.delete(key);
		return;
	}
	if (remembered.size >= MAX_REMEMBERED) remembered.clear();
	remembered.set(key, { headerName: auth.headerName, secret: auth.secret, at: now });
}

/** Forgets every remembered secret (the trigger's deactivation, tests). */
export function forgetSecrets(): void {
	remembered.clear();
}
