/**
 * Turns one attendance record from either source into the normalised shape:
 *  (a) a document from SpotMe's document store (`/workspace/{eid}/global/docs/{type}`), or
 *  (b) a row of the attendance report exported from Backstage (read by Extract From File).
 *
 * Both are "a flat object whose keys name the fields", so one mapping serves both: for every
 * normalised field the user may name the column/key, and we also try the known variants
 * (Backstage column titles, SpotMe snake_case keys, the seed's camelCase names). Keys are
 * compared case-, space- and punctuation-insensitively, and a unit in the column name
 * ("Live watch time (s)", "Watch time [min]", "Duration (HH:MM:SS)") decides how a bare number
 * is read.
 *
 * ASSUMPTIONS (SpotMe publishes neither the report's columns nor the documents' keys; see
 * docs/spotme-routes.md): the default column names below are our best reading of Backstage's
 * export and of SpotMe's document conventions (`fp_owner` = the person a document belongs to,
 * `parent_doc_id` = the session/stream it belongs to, as in SpotMe's session-registration import).
 */
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

export type AttendanceFieldKind = 'text' | 'duration' | 'count' | 'boolean';

export interface AttendanceFieldSpec {
	field: AttendanceMappedField;
	/** The column name we assume Backstage's report uses: the default of the column mapping. */
	defaultColumn: string;
	kind: AttendanceFieldKind;
	/** Other names the same data goes by (report variants, SpotMe keys, the seed's names). */
	variants: string[];
}

export type AttendanceMappedField =
	| 'spotMeUserId'
	| 'spotMeWorkspaceId'
	| 'spotMeStreamId'
	| 'spotMeStreamName'
	| 'attended'
	| 'liveWatchTime'
	| 'liveClapCount'
	| 'vodWatchTime'
	| 'vodClapCount'
	| 'questionsAsked'
	| 'checkedIn'
	| 'attendanceType'
	| 'attendanceStatus'
	| 'marketoLeadId'
	| 'email'
	| 'registrationStatus';

export const ATTENDANCE_FIELD_SPECS: AttendanceFieldSpec[] = [
	{
		field: 'spotMeUserId',
		defaultColumn: 'User ID',
		kind: 'text',
		variants: [
			'spotMeUserId',
			'Participant ID',
			'Person ID',
			'Attendee ID',
			'user_id',
			'person_id',
			'fp_owner',
			'_id',
			'id',
		],
	},
	{
		field: 'spotMeWorkspaceId',
		defaultColumn: 'Workspace ID',
		kind: 'text',
		variants: ['spotMeWorkspaceId', 'workspace_id', 'Event ID', 'EID', 'event_id', 'eid'],
	},
	{
		field: 'spotMeStreamId',
		defaultColumn: 'Stream ID',
		kind: 'text',
		variants: [
			'spotMeStreamId',
			'stream_id',
			'Live stream ID',
			'Session ID',
			'session_id',
			'parent_doc_id',
		],
	},
	{
		field: 'spotMeStreamName',
		defaultColumn: 'Stream name',
		kind: 'text',
		variants: [
			'spotMeStreamName',
			'stream_name',
			'Live stream',
			'Live stream name',
			'Session name',
			'Session',
			'Session title',
			'Stream title',
			'session_name',
			'title',
		],
	},
	{
		field: 'attended',
		defaultColumn: 'Attended',
		kind: 'boolean',
		variants: ['attended', 'Attended live', 'is_attended'],
	},
	{
		field: 'liveWatchTime',
		defaultColumn: 'Live watch time',
		kind: 'duration',
		variants: [
			'liveWatchTime',
			'live_watch_time',
			'Watch time',
			'Live viewing time',
			'Time watched live',
			'Live time watched',
			'Live duration',
			'watch_time',
		],
	},
	{
		field: 'liveClapCount',
		defaultColumn: 'Live clap count',
		kind: 'count',
		variants: ['liveClapCount', 'live_clap_count', 'Live claps', 'Claps', 'clap_count', 'claps'],
	},
	{
		field: 'vodWatchTime',
		defaultColumn: 'On-demand watch time',
		kind: 'duration',
		variants: [
			'vodWatchTime',
			'vod_watch_time',
			'VOD watch time',
			'On demand watch time',
			'Replay watch time',
			'Video on demand watch time',
		],
	},
	{
		field: 'vodClapCount',
		defaultColumn: 'On-demand clap count',
		kind: 'count',
		variants: [
			'vodClapCount',
			'vod_clap_count',
			'On-demand claps',
			'VOD claps',
			'VOD clap count',
			'Replay claps',
		],
	},
	{
		field: 'questionsAsked',
		defaultColumn: 'Questions asked',
		kind: 'count',
		variants: [
			'questionsAsked',
			'questions_asked',
			'Questions',
			'Q&A questions',
			'Number of questions',
		],
	},
	{
		field: 'checkedIn',
		defaultColumn: 'Checked in',
		kind: 'boolean',
		variants: [
			'checkedIn',
			'checked_in',
			'Check-in',
			'Checked-in',
			'Check in status',
			'In-person check-in',
			'is_checked_in',
		],
	},
	{
		field: 'attendanceType',
		defaultColumn: 'Attendance type',
		kind: 'text',
		variants: ['attendanceType', 'attendance_type', 'Participation type', 'Attendance mode'],
	},
	{
		field: 'attendanceStatus',
		defaultColumn: 'Attendance status',
		kind: 'text',
		variants: ['attendanceStatus', 'attendance_status'],
	},
	{
		field: 'marketoLeadId',
		defaultColumn: 'Marketo lead ID',
		kind: 'text',
		variants: ['marketoLeadId', 'marketo_lead_id', 'Lead ID', 'leadId'],
	},
	{
		field: 'email',
		defaultColumn: 'Email',
		kind: 'text',
		variants: ['email', 'E-mail', 'Email address'],
	},
	{
		field: 'registrationStatus',
		defaultColumn: 'Registration status',
		kind: 'text',
		variants: [
			'registrationStatus',
			'registration_status',
			'RSVP status',
			'rsvp_status',
			'User status',
			'fp_status',
			'status',
		],
	},
];

export const ATTENDANCE_FIELD_SPEC = Object.fromEntries(
	ATTENDANCE_FIELD_SPECS.map((s) => [s.field, s]),
) as Record<AttendanceMappedField, AttendanceFieldSpec>;

/** Fields that show whether someone attended; a record must have at least one of them. */
const EVIDENCE_FIELDS: AttendanceMappedField[] = [
	'liveWatchTime',
	'vodWatchTime',
	'attended',
	'checkedIn',
	'attendanceType',
	'attendanceStatus',
];

const UNIT_SUFFIX = /[([]\s*([^)\]]*)\s*[)\]]\s*$|\s+in\s+(minutes|mins?|seconds|secs?)\s*$/i;

/** "Live watch time (min)" → { base: "livewatchtime", unit: "minutes" }. */
export function splitColumnName(name: string): { base: string; unit?: DurationUnit | 'clock' } {
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
		if (keys.includes(name)) return { key: name, unit: splitColumnName(name).unit };
	}
	const split = keys.map((k) => ({ key: k, ...splitColumnName(k) }));
	for (const name of names) {
		const wanted = splitColumnName(name);
		if (!wanted.base) continue;
		const hit = split.find((s) => s.base === wanted.base);
		if (hit) return { key: hit.key, unit: hit.unit ?? wanted.unit };
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
			.map((n) => splitColumnName(n as string).base),
	);
	const out: string[] = [];
	for (const [key, value] of Object.entries(record)) {
		if (!wanted.has(splitColumnName(key).base)) continue;
		for (const v of Array.isArray(value) ? value : [value]) {
			if (typeof v === 'string' && v.trim()) out.push(v.trim());
		}
	}
	return out;
}

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
 * Normalises one record. Throws `AttendanceRecordError` naming the column and the fix when a
 * value cannot be read or a required column is missing; it never silently drops data.
 */
export function normaliseAttendanceRecord(
	record: Record<string, unknown>,
	options: NormaliseOptions = {},
): NormalisedAttendance {
	const tryVariants = options.tryVariants ?? true;
	const found: Partial<Record<AttendanceMappedField, ColumnMatch>> = {};
	const values: Partial<Record<AttendanceMappedField, unknown>> = {};

	for (const spec of ATTENDANCE_FIELD_SPECS) {
		const match = findColumn(
			record,
			spec.field,
			options.columns?.[spec.field],
			tryVariants,
			options.ignoreKeys,
		);
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
