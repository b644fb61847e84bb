/**
 * The attendance fields a source may hold, and the names they go by: the column we assume Backstage's
 * report uses (the default of the node's column mapping), and the other names of the same data
 * (report variants, SpotMe snake_case keys, the seed's camelCase names).
 *
 * ASSUMPTIONS (SpotMe publishes neither the report's columns nor the documents' keys; see
 * docs/spotme-routes.md): the default column names below are our best reading of Backstage's
 * export and of SpotMe's document conventions (`fp_owner` = the person a document belongs to,
 * `parent_doc_id` = the session/stream it belongs to, as in SpotMe's session-registration import).
 */
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
export const EVIDENCE_FIELDS: AttendanceMappedField[] = [
	'liveWatchTime',
	'vodWatchTime',
	'attended',
	'checkedIn',
	'attendanceType',
	'attendanceStatus',
];
