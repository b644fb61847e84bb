/**
 * The attendance model: what SpotMe records, in the shape Marketo stores it.
 *
 * The field names and units are those of the two Marketo custom objects SpotMe's own Marketo
 * module writes (seed 000, "Step 3: Create the custom objects"):
 *  - `spotMeAttendance_c` (live session attendance): dedupe on personId + spotMeUserId +
 *    spotMeWorkspaceStreamId; watch times are floats **in minutes**, counts are integers,
 *    `attended` is "watched more than one minute live".
 *  - `spotMeEventAttendance_c` (event level): personId + spotMeUserId, spotMeWorkspaceId,
 *    attendanceType ("how did the user attend", e.g. "in-person"), attendanceStatus.
 * `personId` is the Marketo lead id the custom object links to; here it is `marketoLeadId`,
 * present when the SpotMe person has one (only those people can be synced to Marketo).
 */

/** Attendance status values, spelled as in the seed's status-mapping table. */
export const ATTENDANCE_STATUSES = [
	'Invited',
	'Registered',
	'Attended',
	'No show',
	'Cancelled',
] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

/** How a person attended. The seed shows "in-person"; the rest follow the same spelling. */
export type AttendanceType = 'in-person' | 'virtual' | 'hybrid' | '';

/** One normalised attendance record: one person in one live stream, or one person at event level. */
export interface NormalisedAttendance {
	spotMeUserId: string;
	spotMeWorkspaceId: string;
	/** Dedupe key of spotMeAttendance_c; empty for event-level records. */
	spotMeWorkspaceStreamId: string;
	/** Empty for event-level records. */
	spotMeStreamId: string;
	spotMeStreamName: string;
	attended: boolean;
	/** Minutes. */
	liveWatchTime: number;
	liveClapCount: number;
	/** Minutes. */
	vodWatchTime: number;
	vodClapCount: number;
	questionsAsked: number;
	/** In-person check-in (session check-in module or onsite check-in). */
	checkedIn: boolean;
	attendanceType: AttendanceType | string;
	/** As stated by the source, if it states one; the Attendance Criteria compute their own. */
	attendanceStatus: string;
	marketoLeadId?: string;
	email?: string;
	/** Registration / user status as the source states it (e.g. SpotMe `fp_status`). */
	registrationStatus?: string;
}

/** The fields of `spotMeAttendance_c`, besides the `personId` link (= marketoLeadId). */
export const SESSION_ATTENDANCE_FIELDS = [
	'spotMeUserId',
	'spotMeWorkspaceStreamId',
	'spotMeWorkspaceId',
	'spotMeStreamId',
	'spotMeStreamName',
	'attended',
	'liveWatchTime',
	'liveClapCount',
	'vodWatchTime',
	'vodClapCount',
	'questionsAsked',
] as const;

/** The fields of `spotMeEventAttendance_c`, besides the `personId` link (= marketoLeadId). */
export const EVENT_ATTENDANCE_FIELDS = [
	'spotMeUserId',
	'spotMeWorkspaceId',
	'attendanceType',
	'attendanceStatus',
] as const;

/**
 * spotMeWorkspaceStreamId: SpotMe does not publish how its module builds this key; we join the
 * two ids with a separator the user can change (default "_"), so a stream id alone, reused across
 * workspaces, never dedupes two different sessions into one custom object record.
 */
export function workspaceStreamId(workspaceId: string, streamId: string, separator = '_'): string {
	if (!workspaceId || !streamId) return '';
	return `${workspaceId}${separator}${streamId}`;
}

/**
 * attendanceType when the source does not state it: checked in on site → "in-person"; watched
 * (live or on demand) → "virtual"; both → "hybrid"; neither → "" (did not attend).
 */
export function deriveAttendanceType(
	checkedIn: boolean,
	liveWatchTime: number,
	vodWatchTime: number,
): AttendanceType {
	const watched = liveWatchTime > 0 || vodWatchTime > 0;
	if (checkedIn && watched) return 'hybrid';
	if (checkedIn) return 'in-person';
	if (watched) return 'virtual';
	return '';
}

/** Canonical spelling of a source's attendance type ("In person", "in_person", "Virtual"...). */
export function canonicalAttendanceType(value: string): string {
	const key = value
		.trim()
		.toLowerCase()
		.replace(/[\s_-]+/g, '');
	if (key === 'inperson' || key === 'onsite' || key === 'physical') return 'in-person';
	if (key === 'virtual' || key === 'online' || key === 'remote') return 'virtual';
	if (key === 'hybrid') return 'hybrid';
	return value.trim();
}

/** Keeps only the fields of one Marketo custom object (plus marketoLeadId for the link). */
export function pickCustomObjectFields(
	record: Record<string, unknown>,
	fields: readonly string[],
): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	if (record.marketoLeadId !== undefined && record.marketoLeadId !== '')
		out.marketoLeadId = record.marketoLeadId;
	for (const f of fields) if (record[f] !== undefined) out[f] = record[f];
	return out;
}
