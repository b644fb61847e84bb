/**
 * Checks on a Call Webhook JSON body that JSON.parse does not make: how deep it nests (a Payload
 * Template is a flat list of tokens; thousands of levels only come from an attacker or a broken
 * generator, and crash n8n later), keys written twice (JSON.parse keeps the last silently), and
 * tokens the template put in quotes although Marketo already quotes string tokens (`""John""`).
 */
import { plural } from './jsonRepair';

/** A Marketo template is flat; 32 levels leave room for any hand-made structure. */
export const MAX_DEPTH = 32;

/** The deepest nesting of `{`/`[` outside strings, stopping early once over `limit`. */
export function nestingDepth(text: string, limit = MAX_DEPTH): number {
	let depth = 0;
	let max = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (inString) {
			if (c === '\\') i++;
			else if (c === '"') inString = false;
			continue;
		}
		if (c === '"') inString = true;
		else if (c === '{' || c === '[') {
			depth++;
			if (depth > max) {
				max = depth;
				if (max > limit) return max;
			}
		} else if (c === '}' || c === ']') depth--;
	}
	return max;
}

export interface DuplicateKey {
	/** Where the object is: `fields`, `fields.lead`, … */
	path: string;
	key: string;
	/** Every occurrence holds the same value (the duplicate changes nothing). */
	sameValue: boolean;
}

/**
 * Keys written more than once in the same object of a valid JSON text, with whether their values
 * agree. Reads the raw text, because JSON.parse has already dropped all but the last.
 */
export function duplicateKeys(text: string): DuplicateKey[] {
	const found: DuplicateKey[] = [];
	let i = 0;
	const skipWs = () => {
		while (i < text.length && /\s/.test(text[i])) i++;
	};
	const readString = (): string => {
		const start = i;
		i++;
		while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
		i++;
		return JSON.parse(text.slice(start, i)) as string;
	};
	const readValue = (path: string): string => {
		skipWs();
		const start = i;
		const c = text[i];
		if (c === '{') {
			i++;
			const seen = new Map<string, string[]>();
			skipWs();
			if (text[i] === '}') i++;
			else
				for (;;) {
					skipWs();
					const key = readString();
					skipWs();
					i++; // ':'
					const value = readValue(path ? `${path}.${key}` : key);
					seen.set(key, [...(seen.get(key) ?? []), value]);
					skipWs();
					if (text[i++] === '}') break;
				}
			for (const [key, values] of seen)
				if (values.length > 1)
					found.push({ path, key, sameValue: values.every((v) => v === values[0]) });
		} else if (c === '[') {
			i++;
			skipWs();
			if (text[i] === ']') i++;
			else
				for (let n = 0; ; n++) {
					readValue(`${path}[${n}]`);
					skipWs();
					if (text[i++] === ']') break;
				}
		} else if (c === '"') readString();
		else while (i < text.length && !/[\s,}\]]/.test(text[i])) i++;
		return text.slice(start, i);
	};
	readValue('');
	return found;
}

/**
 * `"firstName": ""John""`: the template wrote `"{{lead.First Name}}"` and Marketo added its own
 * quotes around the string token. The value meant is `John`; the doubled quotes are removed when
 * they open right after `:` (or `[` / `,` in a list) and close right before `,`, `}` or `]`.
 */
export function undoubleQuotedTokens(text: string): { text: string; count: number } {
	let count = 0;
	const out = text
		.replace(/([:[,]\s*)""""(?=\s*[,}\]])/g, (_m, before: string) => {
			count++;
			return `${before}""`;
		})
		.replace(
			/([:[]\s*|,\s*)""(?![\s",}\]:])((?:(?!""\s*[,}\]]).)*?)""(?=\s*[,}\]])/gs,
			(_m, before: string, value: string) => {
				count++;
				return `${before}"${value}"`;
			},
		);
	return { text: out, count };
}

export function doubledQuotesRepair(count: number): string {
	return `removed the extra quotes around ${plural(count, 'token', 'tokens')}: Marketo already puts string tokens in quotes, so write {{lead.First Name}} in the Payload Template, not "{{lead.First Name}}"`;
}
