/**
 * Turns what a Marketo "Call Webhook" flow step sent into fields, repairing the bodies Marketo
 * templates typically break, and refusing the ones whose meaning cannot be recovered.
 *
 * Why a repair exists at all: a Payload Template is plain text with tokens pasted in. Unless the
 * webhook's "Request Token Encoding" is JSON, a token value is inserted as-is, so a company named
 * `The "Best" Co`, a job title with a line break, or a Windows path with a backslash turns a
 * well-formed template into invalid JSON. Marketo also does not set Content-Type to JSON unless the
 * encoding is JSON, so such bodies reach n8n as form-urlencoded (or text) and n8n hands them over
 * unparsed: that is where this module can still recover them. (A body sent WITH
 * `Content-Type: application/json` that is invalid is rejected by n8n itself with 422 before any
 * node runs; no execution starts either way.)
 */
import type { IDataObject } from 'n8n-workflow';

import {
	doubledQuotesRepair,
	duplicateKeys,
	MAX_DEPTH,
	nestingDepth,
	undoubleQuotedTokens,
} from './jsonChecks';
import { plural, repairMarketoJson } from './jsonRepair';

export { repairMarketoJson };

export type BodyFormat = 'json' | 'form' | 'xml' | 'query' | 'empty';

export type ParsedDelivery =
	| { ok: true; format: BodyFormat; fields: IDataObject; repaired: boolean; repairs: string[] }
	| { ok: false; message: string; error?: string };

/** What Marketo sends when the webhook has no Template, or a template with no tokens. */
export const EMPTY_ADVICE =
	"In Marketo, open Admin > Integration > Webhooks, edit this webhook and paste the Template shown in the Marketo Trigger's set-up notice (for GET: put the tokens in the URL, e.g. ?email={{lead.Email Address}}&leadId={{lead.Id}}).";

export const ENCODING_ADVICE =
	'In Marketo, open Admin > Integration > Webhooks, edit this webhook and set "Request Token Encoding" to JSON, so that token values with quotes, apostrophes, backslashes or line breaks (for example O\'Malley "Ace" & Associates) are escaped.';

function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toFields(value: unknown): IDataObject {
	return isPlainObject(value) ? value : { value: value as IDataObject };
}

function parsedJson(
	text: string,
	repairs: string[],
): { ok: true; fields: IDataObject } | { ok: false; message: string } {
	const fields = toFields(JSON.parse(text));
	const duplicates = duplicateKeys(text);
	const conflicting = duplicates.filter((d) => !d.sameValue);
	const name = (d: { path: string; key: string }) => (d.path ? `${d.path}.${d.key}` : d.key);
	if (conflicting.length > 0) {
		return {
			ok: false,
			message: `The Payload Template has ${conflicting.map((d) => `"${name(d)}"`).join(', ')} more than once, with different values; which one is meant cannot be told. In Marketo, open Admin > Integration > Webhooks, edit this webhook's Template and keep each key once.`,
		};
	}
	if (duplicates.length > 0)
		repairs.push(
			`ignored ${duplicates.map((d) => `"${name(d)}"`).join(', ')} written twice with the same value: keep each key once in the Payload Template`,
		);
	return { ok: true, fields };
}

function parseJsonDelivery(raw: string, repair: boolean): ParsedDelivery {
	const depth = nestingDepth(raw);
	if (depth > MAX_DEPTH) {
		return {
			ok: false,
			message: `The body nests more than ${MAX_DEPTH} levels deep; a Marketo Payload Template is a flat list of tokens. Check the webhook's Template in Admin > Integration > Webhooks.`,
		};
	}
	const done = (text: string, repairs: string[]): ParsedDelivery => {
		const result = parsedJson(text, repairs);
		if (!result.ok) return result;
		return {
			ok: true,
			format: 'json',
			fields: result.fields,
			repaired: repairs.length > 0,
			repairs,
		};
	};
	try {
		return done(raw, []);
	} catch (strictError) {
		if (repair) {
			const undoubled = undoubleQuotedTokens(raw);
			const first = undoubled.count > 0 ? [doubledQuotesRepair(undoubled.count)] : [];
			const repaired = repairMarketoJson(undoubled.text);
			const repairs = [...first, ...repaired.repairs];
			if (repairs.length > 0) {
				try {
					return done(repaired.repairs.length > 0 ? repaired.text : undoubled.text, repairs);
				} catch {
					// falls through to the refusal below, which names the original parse error
				}
			}
		}
		return {
			ok: false,
			message: `The body Marketo sent is not valid JSON and cannot be repaired without guessing (${(strictError as Error).message}). ${ENCODING_ADVICE}`,
		};
	}
}

function decodeFormComponent(
	value: string,
	repairs: { percents: number; pluses: number },
	plusIsSpace: boolean,
): string {
	if (!plusIsSpace) repairs.pluses += (value.match(/\+/g) ?? []).length;
	const spaced = plusIsSpace ? value.replace(/\+/g, ' ') : value;
	try {
		return decodeURIComponent(spaced);
	} catch {
		// A literal '%' (e.g. "100%") in a token sent without Form/Url encoding.
		const fixed = spaced.replace(/%(?![0-9a-fA-F]{2})/g, () => {
			repairs.percents++;
			return '%25';
		});
		try {
			return decodeURIComponent(fixed);
		} catch {
			return spaced;
		}
	}
}

/**
 * Parses `a=1&b=2`. A segment without `=` can only come from an `&` inside a token value sent
 * without Form/Url encoding ("O'Malley & Associates"), so it is joined back to the value before it.
 */
export function parseMarketoForm(
	raw: string,
	/** false for a URL's query: Marketo passes URL characters as written, so "+" is a plus. */
	plusIsSpace = true,
): { fields: IDataObject; repairs: string[] } {
	const pairs: Array<[string, string]> = [];
	let joined = 0;
	for (const segment of raw.split('&')) {
		const eq = segment.indexOf('=');
		if (eq === -1) {
			if (pairs.length > 0) {
				pairs[pairs.length - 1][1] += `&${segment}`;
				joined++;
			} else if (segment.trim() !== '') {
				pairs.push([segment, '']);
			}
			continue;
		}
		pairs.push([segment.slice(0, eq), segment.slice(eq + 1)]);
	}
	const percent = { percents: 0, pluses: 0 };
	const fields: IDataObject = {};
	for (const [rawKey, rawValue] of pairs) {
		const key = decodeFormComponent(rawKey, percent, plusIsSpace);
		const value = decodeFormComponent(rawValue, percent, plusIsSpace);
		const existing = fields[key];
		if (existing === undefined) fields[key] = value;
		else if (Array.isArray(existing)) (existing as string[]).push(value);
		else fields[key] = [existing as string, value];
	}
	const repairs: string[] = [];
	if (joined)
		repairs.push(`joined ${plural(joined, 'unencoded "&"', 'unencoded "&"s')} back into values`);
	if (percent.percents)
		repairs.push(`kept ${plural(percent.percents, 'literal "%"', 'literal "%"s')}`);
	if (percent.pluses)
		repairs.push(
			`kept ${plural(percent.pluses, 'raw "+"', 'raw "+"s')} in the URL as written (Marketo sends URL characters as written; a space would arrive as %20): if a value should hold a space there, set Request Token Encoding to Form/Url`,
		);
	return { fields, repairs };
}

/**
 * Parses one delivery. `rawBody` is the body exactly as received; `parsedBody` is what n8n already
 * parsed (used only for XML, which n8n parses and this module does not).
 */
export function parseMarketoDelivery(args: {
	method: string;
	contentType: string | undefined;
	rawBody: string;
	parsedBody: unknown;
	query: IDataObject;
	rawQuery?: string;
	repair?: boolean;
}): ParsedDelivery {
	const parsed = parseAnyDelivery(args);
	if (parsed.ok && Object.keys(parsed.fields).length === 0) {
		return {
			ok: false,
			error: 'empty_delivery',
			message: `The delivery holds no fields (${parsed.format === 'empty' ? 'no body and no query string' : 'an empty template'}), so there is nothing to work with. ${EMPTY_ADVICE}`,
		};
	}
	return parsed;
}

function parseAnyDelivery(args: {
	method: string;
	contentType: string | undefined;
	rawBody: string;
	parsedBody: unknown;
	query: IDataObject;
	/** The query string exactly as received (after "?"), to repair tokens sent unencoded. */
	rawQuery?: string;
	/** Whether to repair broken JSON (default true). */
	repair?: boolean;
}): ParsedDelivery {
	const raw = args.rawBody.replace(/^\uFEFF/, '');
	const trimmed = raw.trim();
	const contentType = (args.contentType ?? '').split(';')[0].trim().toLowerCase();

	if (trimmed === '') {
		// GET (or a POST without template): Marketo put the tokens in the URL's query string. Marketo
		// sends URL characters as written, so a token value with "&" splits a field in two unless
		// the encoding is Form/Url: read the raw query string with the same repair as form bodies.
		if (args.rawQuery) {
			const { fields, repairs } = parseMarketoForm(args.rawQuery, false);
			return { ok: true, format: 'query', fields, repaired: repairs.length > 0, repairs };
		}
		const hasQuery = Object.keys(args.query).length > 0;
		return {
			ok: true,
			format: hasQuery ? 'query' : 'empty',
			fields: { ...args.query },
			repaired: false,
			repairs: [],
		};
	}
	// Sniff rather than trust Content-Type: without JSON token encoding Marketo labels a JSON
	// template as application/x-www-form-urlencoded.
	if (trimmed.startsWith('{') || trimmed.startsWith('['))
		return parseJsonDelivery(trimmed, args.repair !== false);
	if (contentType.endsWith('/xml') || contentType.endsWith('+xml') || trimmed.startsWith('<')) {
		if (isPlainObject(args.parsedBody) && Object.keys(args.parsedBody).length > 0) {
			return { ok: true, format: 'xml', fields: args.parsedBody, repaired: false, repairs: [] };
		}
		return {
			ok: false,
			message:
				'The body Marketo sent looks like XML but could not be read. Use a JSON Payload Template with Request Token Encoding set to JSON.',
		};
	}
	if (trimmed.includes('=')) {
		const { fields, repairs } = parseMarketoForm(trimmed);
		return { ok: true, format: 'form', fields, repaired: repairs.length > 0, repairs };
	}
	return {
		ok: false,
		message: `The body Marketo sent is neither JSON nor form fields (it starts with "${trimmed.slice(0, 20)}"). Use a JSON Payload Template. ${ENCODING_ADVICE}`,
	};
}
