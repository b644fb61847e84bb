/** Tiny Marketo client for the emulator's own tests (fetch, Bearer header, no retries). */
import type { MarketoEmulator } from '../index';

/** `fetch` with `json(): Promise<any>` so assertions need no casts. */
export const fetchAny = globalThis.fetch as unknown as (
	url: string,
	init?: RequestInit,
) => Promise<{ status: number; json(): Promise<any>; text(): Promise<string> }>;

export interface Res {
	status: number;
	body: any;
	text: string;
}

export async function token(emu: MarketoEmulator): Promise<string> {
	const r = await fetch(
		`${emu.identityUrl}/oauth/token?grant_type=client_credentials&client_id=${emu.clientId}&client_secret=${emu.clientSecret}`,
	);
	const b = (await r.json()) as { access_token: string };
	return b.access_token;
}

export function client(emu: MarketoEmulator) {
	let tok: string | undefined;
	async function call(
		method: string,
		path: string,
		opts: {
			json?: unknown;
			form?: Record<string, string>;
			query?: Record<string, string | number>;
			headers?: Record<string, string>;
			noAuth?: boolean;
		} = {},
	): Promise<Res> {
		tok ??= await token(emu);
		const qs = opts.query
			? '?' +
				new URLSearchParams(
					Object.entries(opts.query).map(([k, v]) => [k, String(v)] as [string, string]),
				).toString()
			: '';
		const headers: Record<string, string> = {
			...(opts.noAuth ? {} : { Authorization: `Bearer ${tok}` }),
			...(opts.headers ?? {}),
		};
		let body: string | undefined;
		if (opts.json !== undefined) {
			headers['Content-Type'] = 'application/json';
			body = JSON.stringify(opts.json);
		} else if (opts.form) {
			headers['Content-Type'] = 'application/x-www-form-urlencoded';
			body = new URLSearchParams(opts.form).toString();
		}
		const r = await fetch(`${emu.baseUrl}${path}${qs}`, { method, headers, body });
		const text = await r.text();
		let parsed: any;
		try {
			parsed = JSON.parse(text);
		} catch {
			parsed = undefined;
		}
		return { status: r.status, body: parsed, text };
	}
	return {
		call,
		get: (path: string, query?: Record<string, string | number>) => call('GET', path, { query }),
		post: (path: string, json: unknown, query?: Record<string, string | number>) =>
			call('POST', path, { json, query }),
		form: (path: string, form: Record<string, string>, query?: Record<string, string | number>) =>
			call('POST', path, { form, query }),
		setToken: (t: string | undefined) => (tok = t),
	};
}

export function codeOf(r: Res): string | undefined {
	return r.body?.errors?.[0]?.code;
}
