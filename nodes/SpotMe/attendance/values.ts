/**
 * Cell/field value parsing for attendance data. Pure functions: they either return a value or
 * throw an `AttendanceValueError` saying what the value was and how to write it instead, so the
 * node can turn it into an error item that names the column.
 *
 * Why so lenient: the same data reaches us from SpotMe documents (numbers, booleans), from the
 * Backstage report exported to CSV/XLSX and read by n8n's Extract From File node (everything is a
 * string, durations may be "00:12:30", booleans "Yes"/"No"), and from hand-made spreadsheets.
 */

export type DurationUnit = 'minutes' | 'seconds';

export class AttendanceValueError extends Error {
	constructor(
		message: string,
		/** How to fix it, in the user's words. */
		readonly fix: string,
	) {
		super(message);
		this.name = 'AttendanceValueError';
	}
}

/** Cells that mean "no value" in exported reports. */
const EMPTY_MARKERS = new Set(['', '-', '–', '—', 'n/a', 'na', 'null', 'undefined', 'none']);

export function isEmptyValue(value: unknown): boolean {
	if (value === undefined || value === null) return true;
	if (typeof value === 'number') return Number.isNaN(value);
	if (typeof value === 'string') return EMPTY_MARKERS.has(value.trim().toLowerCase());
	return false;
}

function show(value: unknown): string {
	const text = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
	return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Parses "12.5", "12,5", "1,234", "1 234" as numbers; undefined when it is not a plain number. */
export function parsePlainNumber(text: string): number | undefined {
	let t = text.trim().replace(/\s+/g, '');
	if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t))
		t = t.replace(/,/g, ''); // thousands separators
	else if (/^[+-]?\d+,\d+$/.test(t)) t = t.replace(',', '.'); // decimal comma (European exports)
	if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
	return Number(t);
}

const UNIT_SECONDS: Record<string, number> = {
	h: 3600,
	hr: 3600,
	hrs: 3600,
	hour: 3600,
	hours: 3600,
	m: 60,
	min: 60,
	mins: 60,
	minute: 60,
	minutes: 60,
	s: 1,
	sec: 1,
	secs: 1,
	second: 1,
	seconds: 1,
};

function roundMinutes(minutes: number): number {
	// Marketo stores watch time as a float in minutes; three decimals keep whole seconds exact
	// enough (1 s = 0.017 min) without printing 0.30000000000000004.
	return Math.round(minutes * 1000) / 1000;
}

/**
 * A watch-time value in minutes. `plainUnit` says what a bare number means (from the column's
 * unit suffix, or the node's setting). Accepts numbers, "12.5", "HH:MM:SS", "MM:SS",
 * "1h 2m 3s", "12 min", "90 s". Empty values are 0 (reports leave the cell blank for people who
 * did not watch).
 */
export function parseDurationMinutes(value: unknown, plainUnit: DurationUnit = 'minutes'): number {
	if (isEmptyValue(value)) return 0;
	const perUnit = plainUnit === 'seconds' ? 1 / 60 : 1;
	const fix =
		'Write the duration as minutes (12.5), as HH:MM:SS (00:12:30), or with units (12m 30s); ' +
		'if the column holds seconds, say so in Watch Time Unit or in the column name, e.g. "Live watch time (s)"';
	if (typeof value === 'number') {
		if (!Number.isFinite(value) || value < 0) {
			throw new AttendanceValueError(`${show(value)} is not a duration`, fix);
		}
		return roundMinutes(value * perUnit);
	}
	if (typeof value !== 'string')
		throw new AttendanceValueError(`${show(value)} is not a duration`, fix);
	const text = value.trim().toLowerCase();

	const plain = parsePlainNumber(text);
	if (plain !== undefined) {
		if (plain < 0) throw new AttendanceValueError(`${show(value)} is a negative duration`, fix);
		return roundMinutes(plain * perUnit);
	}

	// HH:MM:SS(.sss) or MM:SS: the Backstage analytics exports write durations this way.
	const clock = /^(\d+):([0-5]?\d)(?::([0-5]?\d(?:\.\d+)?))?$/.exec(text);
	if (clock) {
		const [, a, b, c] = clock;
		const seconds =
			c === undefined ? Number(a) * 60 + Number(b) : Number(a) * 3600 + Number(b) * 60 + Number(c);
		return roundMinutes(seconds / 60);
	}

	// "1h 2m 3s", "12 min", "90 s", "1.5 hours"
	const parts = text.match(/(\d+(?:[.,]\d+)?)\s*([a-z]+)/g);
	if (parts && parts.join('').replace(/\s+/g, '') === text.replace(/\s+/g, '')) {
		let seconds = 0;
		for (const part of parts) {
			const [, amount, unit] = /^(\d+(?:[.,]\d+)?)\s*([a-z]+)$/.exec(part) ?? [];
			const factor = UNIT_SECONDS[unit];
			if (factor === undefined)
				throw new AttendanceValueError(`${show(value)} has an unknown unit "${unit}"`, fix);
			seconds += Number(amount.replace(',', '.')) * factor;
		}
		return roundMinutes(seconds / 60);
	}
	throw new AttendanceValueError(`${show(value)} is not a duration`, fix);
}

/** A whole, non-negative count (claps, questions). Empty is 0. */
export function parseCount(value: unknown): number {
	if (isEmptyValue(value)) return 0;
	const fix = 'Write the count as a whole number such as 0, 3 or 1,250';
	const n =
		typeof value === 'number'
			? value
			: typeof value === 'string'
				? parsePlainNumber(value)
				: undefined;
	if (n === undefined || !Number.isInteger(n) || n < 0) {
		throw new AttendanceValueError(`${show(value)} is not a whole number`, fix);
	}
	return n;
}

const TRUE_WORDS = new Set([
	'true',
	'yes',
	'y',
	'1',
	'x',
	'✓',
	'✔',
	'checked',
	'checked in',
	'checked-in',
	'attended',
	'present',
	'on',
]);
const FALSE_WORDS = new Set([
	'false',
	'no',
	'n',
	'0',
	'not checked in',
	'absent',
	'off',
	'not attended',
]);

/** Yes/No, true/false, 1/0, "x" (spreadsheet tick). Empty is `undefined` (= not stated). */
export function parseBoolean(value: unknown): boolean | undefined {
	if (isEmptyValue(value)) return undefined;
	if (typeof value === 'boolean') return value;
	if (value === 1 || value === 0) return value === 1;
	if (typeof value === 'string') {
		const t = value.trim().toLowerCase();
		if (TRUE_WORDS.has(t)) return true;
		if (FALSE_WORDS.has(t)) return false;
	}
	throw new AttendanceValueError(
		`${show(value)} is not a yes/no value`,
		'Write Yes or No (also accepted: true/false, 1/0, x for yes)',
	);
}

/** An identifier or label: strings are trimmed, numbers (Marketo lead ids) kept as text. */
export function parseText(value: unknown): string | undefined {
	if (isEmptyValue(value)) return undefined;
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	throw new AttendanceValueError(`${show(value)} is not text`, 'Give a plain text or number value');
}
