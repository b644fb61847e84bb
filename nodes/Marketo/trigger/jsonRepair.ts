/**
 * Repairs the JSON a Marketo "Call Webhook" template breaks when token values are pasted in
 * unescaped (Request Token Encoding "None"): quotes, backslashes and line breaks inside values.
 * Only unambiguous repairs are made; see webhookBody.ts for when it runs.
 */
export function plural(n: number, one: string, many: string): string {
	return `${n} ${n === 1 ? one : many}`;
}

interface Frame {
	kind: '{' | '[';
	/** Inside an object: the next string is a key. */
	expectKey: boolean;
	/** Inside an object: a ':' was read and its value has not started yet. */
	afterColon: boolean;
}

const VALID_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

function skipWhitespace(text: string, from: number): number {
	let k = from;
	while (k < text.length && /\s/.test(text[k])) k++;
	return k;
}

/**
 * Whether the `"` at `quoteAt` closes the current string. A token value cannot add JSON structure
 * of its own, so a quote only closes a string when what follows is the structure the template
 * itself wrote: `:` after a key; `,` + the next key (itself followed by `:`) or `}` after an object
 * value; `,` or `]` after an array element; the end of the text after a top-level string.
 */
function isClosingQuote(
	text: string,
	quoteAt: number,
	isKey: boolean,
	frame: Frame | undefined,
): boolean {
	const k = skipWhitespace(text, quoteAt + 1);
	const next = text[k];
	if (isKey) return next === ':';
	if (!frame) return k >= text.length;
	if (frame.kind === '[') return next === ',' || next === ']';
	if (next === '}') return true;
	if (next !== ',') return false;
	const m = skipWhitespace(text, k + 1);
	if (text[m] === '}') return true; // trailing comma; JSON.parse decides later
	if (text[m] !== '"') return false;
	const keyEnd = text.indexOf('"', m + 1);
	if (keyEnd === -1) return false;
	return text[skipWhitespace(text, keyEnd + 1)] === ':';
}

/**
 * Repairs the breakages a token inserted without JSON encoding causes: raw line breaks and other
 * control characters, lone backslashes, double quotes inside values, and empty number/boolean
 * tokens (`"score": ,`). Returns the repaired text and what was changed (empty when nothing was).
 */
export function repairMarketoJson(text: string): { text: string; repairs: string[] } {
	let out = '';
	let i = 0;
	const frames: Frame[] = [];
	const count = { quotes: 0, controls: 0, backslashes: 0, empties: 0 };
	const top = () => frames[frames.length - 1];

	while (i < text.length) {
		const c = text[i];
		const frame = top();
		if (c === '"') {
			const isKey = frame?.kind === '{' && frame.expectKey;
			out += '"';
			i++;
			let closed = false;
			while (i < text.length) {
				const ch = text[i];
				if (ch === '\\') {
					const esc = text[i + 1];
					if (esc !== undefined && VALID_ESCAPES.has(esc)) {
						out += ch + esc;
						i += 2;
					} else if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
						out += text.slice(i, i + 6);
						i += 6;
					} else {
						out += '\\\\';
						count.backslashes++;
						i++;
					}
				} else if (ch === '"') {
					if (isClosingQuote(text, i, isKey, frame)) {
						out += '"';
						i++;
						closed = true;
						break;
					}
					out += '\\"';
					count.quotes++;
					i++;
				} else if (ch < ' ') {
					out +=
						ch === '\n'
							? '\\n'
							: ch === '\r'
								? '\\r'
								: ch === '\t'
									? '\\t'
									: `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
					count.controls++;
					i++;
				} else {
					out += ch;
					i++;
				}
			}
			if (!closed) return { text, repairs: [] }; // unterminated: nothing we can say for sure
			if (frame?.kind === '{') {
				if (isKey) frame.expectKey = false;
				else frame.afterColon = false;
			}
			continue;
		}
		if (frame?.kind === '{' && frame.afterColon && (c === ',' || c === '}')) {
			// `"score": ,` — an empty number or boolean token (Marketo inserts nothing for a blank field)
			out += 'null';
			count.empties++;
			frame.afterColon = false;
		}
		if (c === '{' || c === '[') {
			if (frame?.kind === '{') frame.afterColon = false;
			frames.push({ kind: c, expectKey: c === '{', afterColon: false });
		} else if (c === '}' || c === ']') {
			frames.pop();
		} else if (c === ':' && frame?.kind === '{') {
			frame.afterColon = true;
			frame.expectKey = false;
		} else if (c === ',' && frame?.kind === '{') {
			frame.expectKey = true;
			frame.afterColon = false;
		} else if (!/\s/.test(c) && frame?.kind === '{') {
			frame.afterColon = false;
		}
		out += c;
		i++;
	}

	const repairs: string[] = [];
	if (count.quotes)
		repairs.push(`escaped ${plural(count.quotes, 'double quote', 'double quotes')} inside values`);
	if (count.controls)
		repairs.push(
			`escaped ${plural(count.controls, 'line break or control character', 'line breaks or control characters')} inside values`,
		);
	if (count.backslashes)
		repairs.push(`escaped ${plural(count.backslashes, 'lone backslash', 'lone backslashes')}`);
	if (count.empties)
		repairs.push(`set ${plural(count.empties, 'empty token', 'empty tokens')} to null`);
	return { text: out, repairs };
}
