/**
 * Which key of a record holds a field. Keys are compared case-, space- and punctuation-insensitively,
 * and a unit in the column name ("Live watch time (s)", "Watch time [min]", "Duration (HH:MM:SS)")
 * decides how a bare number is read.
 */
import { ATTENDANCE_FIELD_SPEC, type AttendanceMappedField } from './fields';
import type { DurationUnit } from './values';

const UNIT_SUFFIX = /[([]\s*([^)\]]*)\s*[)\]]\s*$|\s+in\s+(minutes|mins?|seconds|secs?)\s*$/i;

type SplitName = { base: string; unit?: DurationUnit | 'clock' };

/** Column names already split (records of one source share their keys); bounded. */
const splitCache = new Map<string, Readonly<SplitName>>();

/** "Live watch time (min)" → { base: "livewatchtime", unit: "minutes" }. */
export function splitColumnName(name: string): SplitName {
	return { ...splitCached(name) };
}

function splitCached(name: string): Readonly<SplitName> {
	let hit = splitCache.get(name);
	if (!hit) {
		if (splitCache.size >= 10_000) splitCache.clear();
		hit = splitUncached(name);
		splitCache.set(name, hit);
	}
	return hit;
}

function splitUncached(name: string): SplitName {
	let unit: DurationUnit | 'clock' | undefined;
	let rest = name;
	const m = UNIT_SUFFIX.exec(name);
	if (m) {
		const u = (m[1] ?? m[2] ?? '').trim().toLowerCase().replace(/\s+/g, '');
		if (/^(m|min|mins|minute|minutes)$/.test(u)) unit = 'minutes';
		else if (/^(s|sec|secs|second|seconds)$/.test(u)) unit = 'seconds';
		else if (/^(hh:mm:ss|h:mm:ss|hh:mm|mm:ss)$/.test(u)) unit = 'clock';
		if (unit || u === '') rest = name.slice(0, m.index);
	}
	return { base: rest.toLowerCase().replace(/[^a-z0-9]+/g, ''), unit };
}

export interface ColumnMatch {
	key: string;
	unit?: DurationUnit | 'clock';
}

/**
 * Finds which key of `record` holds `field`. The user's column name is tried first (exactly,
 * then insensitively); the variants only when `tryVariants`.
 */
export function findColumn(
	record: Record<string, unknown>,
	field: AttendanceMappedField,
	columnName: string | undefined,
	tryVariants: boolean,
	ignoreKeys?: string[],
): ColumnMatch | undefined {
	const spec = ATTENDANCE_FIELD_SPEC[field];
	const names = [
		columnName || spec.defaultColumn,
		...(tryVariants ? [spec.defaultColumn, ...spec.variants] : []),
	];
	const keys = Object.keys(record).filter((k) => !ignoreKeys?.includes(k));
	for (const name of names) {
		if (keys.includes(name)) return { key: name, unit: splitCached(name).unit };
	}
	for (const name of names) {
		const wanted = splitCached(name);
		if (!wanted.base) continue;
		const key = keys.find((k) => splitCached(k).base === wanted.base);
		if (key !== undefined) return { key, unit: splitCached(key).unit ?? wanted.unit };
	}
	return undefined;
}

/**
 * Every value of `field` in the record, from the mapped column and all its variants: a person
 * document may state its registration in more than one key (SpotMe's `fp_status` "Cancelled"
 * next to a registration/RSVP status), and the criteria must see all of them.
 */
export function collectFieldValues(
	record: Record<string, unknown>,
	field: AttendanceMappedField,
	columnName?: string,
): string[] {
	const spec = ATTENDANCE_FIELD_SPEC[field];
	const wanted = new Set(
		[columnName, spec.defaultColumn, ...spec.variants]
			.filter(Boolean)
			.map((n) => splitCached(n as string).base),
	);
	const out: string[] = [];
	for (const [key, value] of Object.entries(record)) {
		if (!wanted.has(splitCached(key).base)) continue;
		for (const v of Array.isArray(value) ? value : [value]) {
			if (typeof v === 'string' && v.trim()) out.push(v.trim());
		}
	}
	return out;
}
