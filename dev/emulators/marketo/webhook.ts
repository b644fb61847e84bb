/**
 * Simulates Marketo's "Call Webhook" flow step, so an n8n webhook trigger can be driven the way
 * Marketo drives it: a Payload Template with `{{lead.*}}` / `{{my.*}}` / `{{system.*}}` tokens,
 * Request Token Encoding (None inserts values raw — quotes and line breaks break JSON templates;
 * JSON escapes them; Form/Url URL-encodes them), custom headers, a 30 s timeout, and response
 * mappings that are applied to the lead only for 2xx JSON answers. Each call writes a
 * "Call Webhook" (110) activity.
 */
import http from 'http';
import https from 'https';
import type { EmulatorApi } from './context';
import type { Lead, MarketoState } from './state';
import { leadField, updateLead } from './handlers/leads';
import { coerceValue } from './values';

export interface WebhookCall {
	url: string;
	method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
	/** Payload Template; tokens like {{lead.Email Address}}, {{lead.Id}}, {{my.spotme_id}}, {{system.dateTime}} */
	template?: string;
	/** Request Token Encoding (default 'none', Marketo's default) */
	requestTokenEncoding?: 'none' | 'json' | 'form';
	headers?: Record<string, string>;
	/** the lead the campaign runs for */
	leadId: number;
	/** program whose My Tokens resolve {{my.*}} */
	programId?: number;
	/** Response mappings: response attribute (dot/[i] path) → lead field (API or display name) */
	responseMappings?: Array<{ attribute: string; field: string }>;
	/** seconds Marketo waits (default 30, scaled by timeScale) */
	timeoutSeconds?: number;
	name?: string;
}

export interface WebhookResult {
	/** HTTP status, or 0 when the call failed or timed out */
	status: number;
	/** the body Marketo sent */
	requestBody: string;
	/** the URL after token substitution */
	url: string;
	responseBody: string;
	/** set when no mapping was applied: 'timeout', a network error, 'HTTP 500', 'invalid JSON' */
	error?: string;
	/** lead fields written from the response mappings */
	updatedFields: Record<string, unknown>;
}

/** A token's value and whether Marketo treats it as a string (quoted automatically in a body). */
interface Token {
	value: string;
	isString: boolean;
}

const NUMERIC_TYPES = new Set(['integer', 'float', 'currency', 'boolean', 'score', 'percent']);

function tokenValue(
	state: MarketoState,
	lead: Lead,
	programId: number | undefined,
	token: string,
): Token | undefined {
	const [scope, ...rest] = token.split('.');
	const name = rest.join('.').trim();
	// {{company.Company Name}}: Marketo's company tokens read the lead's company fields.
	if (scope === 'lead' || scope === 'company') {
		const lower = name.toLowerCase();
		if (lower === 'id') return { value: String(lead.id), isString: false };
		const def =
			state.leadFields.find((f) => f.name.toLowerCase() === lower) ??
			state.leadFields.find((f) => f.displayName.toLowerCase() === lower);
		if (!def) return undefined;
		const v = lead[def.name];
		return {
			value: v === undefined || v === null ? '' : String(v),
			isString: !NUMERIC_TYPES.has(def.dataType),
		};
	}
	const program = programId !== undefined ? state.programs.get(programId) : undefined;
	if (scope === 'program' && program) {
		const lower = name.toLowerCase();
		if (lower === 'id') return { value: String(program.id), isString: false };
		if (lower === 'name') return { value: String(program.name), isString: true };
		return undefined;
	}
	if (scope === 'member') {
		const m = programId !== undefined ? state.members.get(programId)?.get(lead.id) : undefined;
		if (name.toLowerCase() === 'status')
			return { value: String(m?.statusName ?? ''), isString: true };
		return undefined;
	}
	if (scope === 'my') {
		const t = program?.tokens.find((x) => x.name === name);
		return t ? { value: String(t.value), isString: true } : undefined;
	}
	if (scope === 'system') {
		if (name === 'dateTime')
			return { value: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), isString: true };
		if (name === 'date') return { value: new Date().toISOString().slice(0, 10), isString: true };
	}
	return undefined;
}

function encode(value: string, encoding: WebhookCall['requestTokenEncoding']): string {
	if (encoding === 'json') return JSON.stringify(value).slice(1, -1);
	if (encoding === 'form') return encodeURIComponent(value);
	return value;
}

/**
 * Puts token values into a URL, header or Payload Template. In a body (`quoteStrings`) Marketo
 * encloses string tokens in double quotes itself (Adobe: "string type tokens are automatically
 * enclosed in double quotes"), so a template writes `"email": {{lead.Email Address}}`, and a
 * template that adds its own quotes sends `""ana@example.com""`. With Form/Url encoding the body
 * is form fields, where quotes would be part of the value: none are added.
 */
export function renderTemplate(
	state: MarketoState,
	lead: Lead,
	programId: number | undefined,
	template: string,
	encoding: WebhookCall['requestTokenEncoding'],
	quoteStrings = false,
): string {
	// Unknown tokens stay as written, as Marketo leaves them.
	return template.replace(/\{\{\s*([a-zA-Z]+\.[^}]+?)\s*\}\}/g, (whole, token: string) => {
		const v = tokenValue(state, lead, programId, token);
		if (v === undefined) return whole;
		const text = encode(v.value, encoding);
		return quoteStrings && v.isString && encoding !== 'form' ? `"${text}"` : text;
	});
}

/** Reads `a.b[0].c` from a parsed response. */
export function pick(obj: unknown, path: string): unknown {
	let cur: unknown = obj;
	for (const part of path.split('.')) {
		const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
		if (!m) return undefined;
		if (m[1]) cur = (cur as Record<string, unknown> | undefined)?.[m[1]];
		for (const idx of m[2].match(/\d+/g) ?? []) cur = (cur as unknown[] | undefined)?.[Number(idx)];
		if (cur === undefined) return undefined;
	}
	return cur;
}

export async function callWebhook(
	state: MarketoState,
	emu: EmulatorApi,
	call: WebhookCall,
): Promise<WebhookResult> {
	const lead = state.leads.get(call.leadId);
	if (!lead) throw new Error(`webhook: lead ${call.leadId} does not exist`);
	const encoding = call.requestTokenEncoding ?? 'none';
	const method = call.method ?? 'POST';
	const url = renderTemplate(state, lead, call.programId, call.url, 'form');
	const body =
		method === 'GET'
			? ''
			: renderTemplate(state, lead, call.programId, call.template ?? '', encoding, true);
	const headers: Record<string, string> = {};
	for (const [k, v] of Object.entries(call.headers ?? {}))
		headers[k] = renderTemplate(state, lead, call.programId, v, 'none');
	const hasContentType = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
	if (!hasContentType && body)
		headers['Content-Type'] =
			encoding === 'json' ? 'application/json' : 'application/x-www-form-urlencoded';
	headers['Content-Length'] = String(Buffer.byteLength(body));
	headers['User-Agent'] ??= 'Jakarta Commons-HttpClient/3.1';
	const timeoutMs = (call.timeoutSeconds ?? 30) * 1000 * emu.timeScale;

	const result: WebhookResult = {
		status: 0,
		requestBody: body,
		url,
		responseBody: '',
		updatedFields: {},
	};
	await new Promise<void>((resolve) => {
		const target = new URL(url);
		const lib = target.protocol === 'https:' ? https : http;
		const req = lib.request(target, { method, headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => {
				result.status = res.statusCode ?? 0;
				result.responseBody = Buffer.concat(chunks).toString('utf8');
				resolve();
			});
			res.on('error', (e) => {
				result.error = e.message;
				resolve();
			});
		});
		const timer = setTimeout(() => {
			result.error = 'timeout';
			req.destroy();
			resolve();
		}, timeoutMs);
		req.on('error', (e) => {
			result.error ??= e.message;
			resolve();
		});
		req.on('close', () => clearTimeout(timer));
		req.end(body);
	});

	// Response mappings apply only to 2xx answers; other statuses leave the lead untouched.
	if (!result.error && (result.status < 200 || result.status > 299))
		result.error = `HTTP ${result.status}`;
	if (!result.error && call.responseMappings?.length) {
		let parsed: unknown;
		try {
			parsed = JSON.parse(result.responseBody);
		} catch {
			result.error = 'invalid JSON';
		}
		if (parsed !== undefined) {
			const values: Record<string, unknown> = {};
			for (const m of call.responseMappings) {
				const v = pick(parsed, m.attribute);
				if (v === undefined) continue;
				const def =
					leadField(state, m.field) ??
					state.leadFields.find((f) => f.displayName.toLowerCase() === m.field.toLowerCase());
				if (!def || !def.updateable) continue;
				// A value of the wrong type is not written (Marketo needs compatible types).
				const c = coerceValue(v, def.dataType, def.name);
				if ('error' in c) continue;
				values[def.name] = c.value;
			}
			updateLead({ state, emu }, lead, values);
			result.updatedFields = values;
		}
	}
	emu.addActivity({
		leadId: lead.id,
		activityTypeId: 110,
		primaryAttributeValue: call.name ?? 'Webhook',
		attributes: [
			...(result.error ? [{ name: 'Error Type', value: result.error }] : []),
			{ name: 'Response', value: result.responseBody.slice(0, 2000) },
		],
	});
	return result;
}
