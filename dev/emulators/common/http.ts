/**
 * Small HTTP helpers shared by the emulators (Marketo, SpotMe). Node's `http` only, no framework:
 * the emulators must behave byte-for-byte like the services they imitate, so nothing is implicit.
 */
import type { IncomingMessage, ServerResponse } from 'http';

export class BodyTooLargeError extends Error {
	constructor(public readonly limit: number) {
		super(`Request body exceeds ${limit} bytes`);
	}
}

/** Reads the whole body, failing fast (without buffering the rest) once `limit` bytes are exceeded. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const declared = Number(req.headers['content-length'] ?? '0');
		if (declared > limit) {
			// Drain so the socket can still carry our answer.
			req.resume();
			reject(new BodyTooLargeError(limit));
			return;
		}
		const chunks: Buffer[] = [];
		let size = 0;
		let failed = false;
		req.on('data', (c: Buffer) => {
			if (failed) return;
			size += c.length;
			if (size > limit) {
				failed = true;
				reject(new BodyTooLargeError(limit));
				return;
			}
			chunks.push(c);
		});
		req.on('end', () => {
			if (!failed) resolve(Buffer.concat(chunks));
		});
		req.on('error', (e) => {
			if (!failed) reject(e);
		});
	});
}

/** Splits `a=1&b=2` into a map of string arrays (repeated keys keep every value). */
export function parseQueryString(qs: string): Record<string, string[]> {
	const out: Record<string, string[]> = {};
	if (!qs) return out;
	for (const [k, v] of new URLSearchParams(qs)) {
		(out[k] ??= []).push(v);
	}
	return out;
}

/** First value of each key (what most handlers want). */
export function firstValues(q: Record<string, string[]>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(q)) out[k] = v[0];
	return out;
}

export function contentTypeOf(req: IncomingMessage): string {
	return String(req.headers['content-type'] ?? '')
		.split(';')[0]
		.trim()
		.toLowerCase();
}

export function sendJson(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	if (res.headersSent || res.destroyed) return;
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/json;charset=UTF-8',
		'Content-Length': Buffer.byteLength(text),
		...headers,
	});
	res.end(text);
}

export function sendText(
	res: ServerResponse,
	status: number,
	text: string,
	contentType = 'text/html',
): void {
	if (res.headersSent || res.destroyed) return;
	res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
	res.end(text);
}

/** Deterministic PRNG (mulberry32) so fault-injection rates are reproducible when seeded. */
export function makeRandom(seed?: number): () => number {
	if (seed === undefined) return Math.random;
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** `unref` lets a process (or jest) exit while a simulated slow/hanging answer is still waiting. */
export function delay(ms: number, unref = false): Promise<void> {
	return new Promise((r) => {
		const t = setTimeout(r, ms);
		if (unref) t.unref();
	});
}

/** Parses `--key value` / `--key=value` / `--flag` CLI arguments. */
export function parseArgs(argv: string[]): Record<string, string | true> {
	const out: Record<string, string | true> = {};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (!a.startsWith('--')) continue;
		const eq = a.indexOf('=');
		if (eq > 0) {
			out[a.slice(2, eq)] = a.slice(eq + 1);
		} else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
			out[a.slice(2)] = argv[++i];
		} else {
			out[a.slice(2)] = true;
		}
	}
	return out;
}

/**
 * Text fields of a multipart/form-data body (files are kept as their text content). Enough for
 * clients that send form fields as multipart instead of urlencoded.
 */
export function parseMultipart(body: Buffer, contentTypeHeader: string): Record<string, string[]> {
	const out: Record<string, string[]> = {};
	const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentTypeHeader);
	if (!m) return out;
	const boundary = `--${m[1] ?? m[2]}`;
	for (const part of body.toString('utf8').split(boundary)) {
		const sep = part.indexOf('\r\n\r\n');
		if (sep < 0) continue;
		const head = part.slice(0, sep);
		const name = /name="([^"]*)"/i.exec(head)?.[1];
		if (!name) continue;
		const value = part.slice(sep + 4).replace(/\r\n$/, '');
		(out[name] ??= []).push(value);
	}
	return out;
}
