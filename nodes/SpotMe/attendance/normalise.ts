/**
 * Turns one attendance record from either source into the normalised shape:
 *  (a) a document from SpotMe's document store (`/workspace/{eid}/global/docs/{type}`), or
 *  (b) a row of the attendance report exported from Backstage (read by Extract From File).
 *
 * Both are "a flat object whose keys name the fields", so one mapping serves both: for every
 * normalised field the user may name the column/key, and we also try the known variants
 * (`fields.ts`), found as `columns.ts` says.
 */
import { findColumn, type ColumnMatch } from './columns';
import {
	ATTENDANCE_FIELD_SPEC,
	ATTENDANCE_FIELD_SPECS,
	EVIDENCE_FIELDS,
	type AttendanceFieldKind,
	type AttendanceMappedField,
} from './fields';
import {
	canonicalAttendanceType,
	deriveAttendanceType,
	workspaceStreamId,
	type NormalisedAttendance,
} from './model';
import {
	AttendanceValueError,
	parseBoolean,
	parseCount,
	parseDurationMinutes,
	parseText,
	type DurationUnit,
} from './values';

export interface NormaliseOptions {
	/** Column/key name per field; missing or empty → the assumed default. */
	columns?: Partial<Record<AttendanceMappedField, string>>;
	/** Also try the known variants of each column name (default true). */
	tryVariants?: boolean;
	/** What a bare number in a watch-time column means when the column name has no unit. */
	watchTimeUnit?: DurationUnit;
	/** Used when the record has no workspace column (a report is exported per workspace). */
	workspaceId?: string;
	/** Minutes of live watch time that make `attended` true when the source does not say (seed: 1). */
	attendedMinutes?: number;
	/** Separator of spotMeWorkspaceStreamId (default "_"). */
	workspaceStreamSeparator?: string;
	/** Keys never read as a field (e.g. a document's own `_id`, which is not the person's). */
	ignoreKeys?: string[];
	/** A person id is required (default true). */
	requireUserId?: boolean;
	/** At least one attendance column (watch time, attended, checked in, status) is required (default true). */
	requireEvidence?: boolean;
}

/** A record that cannot be normalised, naming the column (as found in the record, or as mapped). */
export class AttendanceRecordError extends Error {
	constructor(
		message: string,
		readonly fix: string,
		readonly column?: string,
	) {
		super(message);
		this.name = 'AttendanceRecordError';
	}
}

function columnLabel(field: AttendanceMappedField, options: NormaliseOptions): string {
	return options.columns?.[field] || ATTENDANCE_FIELD_SPEC[field].defaultColumn;
}

/** Parses one value by kind; returns (not throws) a value error so the caller can name the column. */
function parseField(
	kind: AttendanceFieldKind,
	raw: unknown,
	match: ColumnMatch,
	options: NormaliseOptions,
): unknown {
	try {
		switch (kind) {
			case 'duration': {
				const unit =
					match.unit === 'seconds' || match.unit === 'minutes'
						? match.unit
						: (options.watchTimeUnit ?? 'minutes');
				return parseDurationMinutes(raw, unit);
			}
			case 'count':
				return parseCount(raw);
			case 'boolean':
				return parseBoolean(raw);
			default:
				return parseText(raw);
		}
	} catch (e) {
		if (e instanceof AttendanceValueError) return e;
		return new AttendanceValueError(String((e as Error).message ?? e), 'Check the value');
	}
}

/**
 * Which key holds each field (in ATTENDANCE_FIELD_SPECS order). It depends only on the record's
 * keys and the mapping, which the records of one source share: found once per shape (bounded).
 */
const shapes = new Map<string, Array<ColumnMatch | undefined>>();

function columnsOf(
	record: Record<string, unknown>,
	options: NormaliseOptions,
): Array<ColumnMatch | undefined> {
	const tryVariants = options.tryVariants ?? true;
	const shape = `${tryVariants ? 1 : 0}\u0002${(options.ignoreKeys ?? []).join('\u0001')}\u0002${JSON.stringify(options.columns ?? null)}\u0002${Object.keys(record).join('\u0001')}`;
	let matches = shapes.get(shape);
	if (!matches) {
		matches = ATTENDANCE_FIELD_SPECS.map((spec) =>
			findColumn(
				record,
				spec.field,
				options.columns?.[spec.field],
				tryVariants,
				options.ignoreKeys,
			),
		);
		if (shapes.size >= 1000) shapes.clear();
		shapes.set(shape, matches);
	}
	return matches;
}

/**
 * Normalises one record. Throws `AttendanceRecordError` naming the column and the fix when a
 * value cannot be read or a required column is missing; it never silently drops data.
 */
export function normaliseAttendanceRecord(
	record: Record<string, unknown>,
	options: NormaliseOptions = {},
): NormalisedAttendance {
	const found: Partial<Record<AttendanceMappedField, ColumnMatch>> = {};
	const values: Partial<Record<AttendanceMappedField, unknown>> = {};

	const matches = columnsOf(record, options);
	for (let f = 0; f < ATTENDANCE_FIELD_SPECS.length; f++) {
		const spec = ATTENDANCE_FIELD_SPECS[f];
		const match = matches[f];
		if (!match) continue;
		found[spec.field] = match;
		const raw = record[match.key];
		const parsed = parseField(spec.kind, raw, match, options);
		if (parsed instanceof AttendanceValueError) {
			throw new AttendanceRecordError(
				`Column "${match.key}": ${parsed.message}`,
				parsed.fix,
				match.key,
			);
		}
		values[spec.field] = parsed;
	}

	const userId = values.spotMeUserId as string | undefined;
	if (!userId && (options.requireUserId ?? true)) {
		const label = columnLabel('spotMeUserId', options);
		throw new AttendanceRecordError(
			found.spotMeUserId
				? `Column "${found.spotMeUserId.key}" is empty, so the row names no SpotMe person`
				: `No "${label}" column, so the row names no SpotMe person`,
			found.spotMeUserId
				? 'Remove rows without a person, or fill in the SpotMe user ID'
				: `Set Column Names > User ID to the column holding the SpotMe user ID (columns in this row: ${Object.keys(record).slice(0, 12).join(', ')})`,
			found.spotMeUserId?.key ?? label,
		);
	}

	if ((options.requireEvidence ?? true) && !EVIDENCE_FIELDS.some((f) => found[f])) {
		const labels = EVIDENCE_FIELDS.map((f) => `"${columnLabel(f, options)}"`).join(', ');
		throw new AttendanceRecordError(
			`No attendance column found (looked for ${labels})`,
			`Set Column Names to the columns of your report that hold watch time, attendance or check-in (columns in this row: ${Object.keys(record).slice(0, 12).join(', ')})`,
			columnLabel('liveWatchTime', options),
		);
	}

	const workspaceId = (values.spotMeWorkspaceId as string | undefined) ?? options.workspaceId ?? '';
	const streamId = (values.spotMeStreamId as string | undefined) ?? '';
	const liveWatchTime = (values.liveWatchTime as number | undefined) ?? 0;
	const vodWatchTime = (values.vodWatchTime as number | undefined) ?? 0;
	const checkedIn = (values.checkedIn as boolean | undefined) ?? false;
	const attendedStated = values.attended as boolean | undefined;
	// The seed defines Attended as "watched more than one minute live"; when the source does not
	// say, we apply that definition (threshold configurable) so the flag is never just "false".
	const attended = attendedStated ?? liveWatchTime >= (options.attendedMinutes ?? 1);
	const statedType = values.attendanceType as string | undefined;

	const out: NormalisedAttendance = {
		spotMeUserId: userId ?? '',
		spotMeWorkspaceId: workspaceId,
		spotMeWorkspaceStreamId: workspaceStreamId(
			workspaceId,
			streamId,
			options.workspaceStreamSeparator ?? '_',
		),
		spotMeStreamId: streamId,
		spotMeStreamName: (values.spotMeStreamName as string | undefined) ?? '',
		attended,
		liveWatchTime,
		liveClapCount: (values.liveClapCount as number | undefined) ?? 0,
		vodWatchTime,
		vodClapCount: (values.vodClapCount as number | undefined) ?? 0,
		questionsAsked: (values.questionsAsked as number | undefined) ?? 0,
		checkedIn,
		attendanceType: statedType
			? canonicalAttendanceType(statedType)
			: deriveAttendanceType(checkedIn, liveWatchTime, vodWatchTime),
		attendanceStatus: (values.attendanceStatus as string | undefined) ?? '',
	};
	if (values.marketoLeadId !== undefined) out.marketoLeadId = values.marketoLeadId as string;
	if (values.email !== undefined) out.email = values.email as string;
	if (values.registrationStatus !== undefined)
		out.registrationStatus = values.registrationStatus as string;
	return out;
}
