/**
 * The HTTP layer both emulators (Marketo, SpotMe) stand on. Node's `http` only, no framework: the
 * emulators must behave byte-for-byte like the services they imitate, so nothing is implicit.
 *
 * - starting and stopping a server: `startHttpServer` (loopback by default, port 0 = ephemeral)
 * - reading bodies: `readBody` (with a size limit), `parseJson`, `parseQueryString`, `parseMultipart`
 * - answering: `sendJson`, `sendText`, `Reply`; errors: `HttpError` thrown anywhere, `errorReply`
 * - the request log: `RequestLog`
 * - the control API (`/__control/<operation>`): `controlOperation`, `parseControlBody`
 * - fault injection and time: `makeRandom`, `delay`; the standalone CLI: `parseArgs`
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo, Socket } from 'net';

/** What a handler answers: the emulator sends it with `sendJson` (or `sendText` for a string body). */
export interface Reply {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

export interface HttpServerOptions {
	port?: number;
	host?: string;
	/** Handles one request; whatever it throws (or rejects with) goes to `onError`. */
	handle(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
	/** Answers a request whose handler failed (the emulator's own "internal error" shape). */
	onError(res: ServerResponse, error: unknown): void;
}

export interface RunningServer {
	server: Server;
	/** `http://<host>:<port>` (127.0.0.1 when listening on every interface). */
	baseUrl: string;
	port: number;
	/** Ends open connections (keep-alive, hanging answers) and closes the server. */
	stop(): Promise<void>;
}

/** The one way an emulator starts listening. */
export async function startHttpServer(opts: HttpServerOptions): Promise<RunningServer> {
	const sockets = new Set<Socket>();
	const server = createServer((req, res) => {
		let pending: void | Promise<void>;
		try {
			pending = opts.handle(req, res);
		} catch (error) {
			opts.onError(res, error);
			return;
		}
		if (pending) pending.catch((error) => opts.onError(res, error));
	});
	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	const host = opts.host ?? '127.0.0.1';
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port ?? 0, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const { port } = server.address() as AddressInfo;
	return {
		server,
		baseUrl: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
		port,
		stop: () =>
			new Promise<void>((resolve, reject) => {
				for (const s of sockets) s.destroy();
				server.close((err) => (err ? reject(err) : resolve()));
			}),
	};
}

/** An error a handler throws to answer with `status` (and `headers`, e.g. Retry-After). */
export class HttpError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly headers: Record<string, string> = {},
	) {
		super(message);
	}
}

/**
 * What to answer for something a handler threw: an `HttpError` keeps its status and headers,
 * anything else is a 500. `shape` builds the service's error body from status and message.
 */
export function errorReply(
	error: unknown,
	shape: (status: number, message: string) => unknown,
): Required<Reply> {
	if (error instanceof HttpError) {
		return {
			status: error.status,
			body: shape(error.status, error.message),
			headers: { ...error.headers },
		};
	}
	const message = error instanceof Error ? error.message : String(error);
	return { status: 500, body: shape(500, message), headers: {} };
}

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

/**
 * A body parsed as JSON: `ok` false when it is not JSON; an empty body is `{ ok: true, value: undefined }`.
 */
export function parseJson(raw: Buffer): { ok: true; value: unknown } | { ok: false } {
	if (!raw.length) return { ok: true, value: undefined };
	try {
		return { ok: true, value: JSON.parse(raw.toString('utf8')) };
	} catch {
		return { ok: false };
	}
}

/** JSON with Content-Length; `headers` may override the Content-Type (charset) a service sends. */
export function sendJson(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	if (res.headersSent || res.destroyed) return;
	// Encoded once: its length is the Content-Length (no second pass over a large answer).
	const bytes = Buffer.from(body === undefined ? '' : JSON.stringify(body), 'utf8');
	res.writeHead(status, {
		'Content-Type': 'application/json;charset=UTF-8',
		'Content-Length': bytes.length,
		...headers,
	});
	res.end(bytes);
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

/**
 * The operation a control-API path names (`/__control/reset` → `reset`), or undefined when the path
 * is not a control path. Control calls have no auth, no limits, and stay out of the request log.
 */
export function controlOperation(
	path: string,
	prefixes: readonly string[] = ['/__control/'],
): string | undefined {
	const prefix = prefixes.find((p) => path.startsWith(p));
	return prefix === undefined ? undefined : path.slice(prefix.length);
}

/** A control call's JSON body (`{}` when empty), or a 400 reply in the emulator's control shape. */
export function parseControlBody(
	raw: Buffer,
	invalid: Reply,
): { ok: true; data: any } | { ok: false; reply: Reply } {
	const parsed = parseJson(raw);
	if (!parsed.ok) return { ok: false, reply: invalid };
	return { ok: true, data: parsed.value ?? {} };
}

/** An emulator's request log: entries in arrival order, the oldest dropped beyond `max`. */
export class RequestLog<T extends object> {
	private entries: T[] = [];

	constructor(private readonly max = 100000) {}

	/** Records an entry (the caller may still fill it in, e.g. its status once answered). */
	push(entry: T): T {
		this.entries.push(entry);
		if (this.entries.length > this.max) this.entries.splice(0, Math.ceil(this.max / 10));
		return entry;
	}

	/** Copies of the entries, so callers cannot change the log. */
	list(): T[] {
		return this.entries.map((e) => ({ ...e }));
	}

	clear(): void {
		this.entries = [];
	}
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
