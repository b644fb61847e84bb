/**
 * Parameters and helpers the Attendance operations share: the attendance level, the document
 * type names (assumptions), the column/field mapping, the output shape and the failure of a record.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import {
	ATTENDANCE_FIELD_SPECS,
	AttendanceRecordError,
	EVENT_ATTENDANCE_FIELDS,
	pickCustomObjectFields,
	SESSION_ATTENDANCE_FIELDS,
	type AttendanceMappedField,
	type DurationUnit,
	type NormalisedAttendance,
	type NormaliseOptions,
} from '../../attendance';
import { failItem, type ErrorFacts } from '../../../shared/kit';

/**
 * ASSUMPTION: SpotMe documents no attendance route. Its document store answers
 * `/workspace/{eid}/global/docs/{type}`, and SpotMe's Marketo module writes per-stream and
 * event-level attendance, so we read documents of these two types. The names are ours, not
 * SpotMe's: change them to what your workspace API page lists.
 */
export const DEFAULT_SESSION_DOC_TYPE = 'stream_attendance';
export const DEFAULT_EVENT_DOC_TYPE = 'event_attendance';

export type AttendanceLevel = 'session' | 'event';

const FIELD_LABELS: Record<AttendanceMappedField, string> = {
	spotMeUserId: 'User ID',
	spotMeWorkspaceId: 'Workspace ID',
	spotMeStreamId: 'Stream ID',
	spotMeStreamName: 'Stream Name',
	attended: 'Attended',
	liveWatchTime: 'Live Watch Time',
	liveClapCount: 'Live Clap Count',
	vodWatchTime: 'On-Demand Watch Time',
	vodClapCount: 'On-Demand Clap Count',
	questionsAsked: 'Questions Asked',
	checkedIn: 'Checked In',
	attendanceType: 'Attendance Type',
	attendanceStatus: 'Attendance Status',
	marketoLeadId: 'Marketo Lead ID',
	email: 'Email',
	registrationStatus: 'Registration Status',
};

export function levelParameter(): INodeProperties {
	return {
		displayName: 'Attendance Level',
		name: 'level',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Per Live Stream',
				value: 'session',
				description:
					"One record per person and live stream: the shape of Marketo's spotMeAttendance_c custom object",
			},
			{
				name: 'Event Level',
				value: 'event',
				description:
					"One record per person for the whole event: the shape of Marketo's spotMeEventAttendance_c custom object",
			},
		],
		default: 'session',
	};
}

export function documentTypeParameters(): INodeProperties[] {
	return [
		{
			displayName: 'Document Type',
			name: 'sessionDocumentType',
			type: 'string',
			default: DEFAULT_SESSION_DOC_TYPE,
			required: true,
			displayOptions: { show: { level: ['session'] } },
			description:
				'SpotMe document type holding per-stream attendance (read from /workspace/{eid}/global/docs/{type}). Assumption: SpotMe does not publish an attendance route or its document type names; change this to the type your workspace API page (Backstage) lists.',
		},
		{
			displayName: 'Document Type',
			name: 'eventDocumentType',
			type: 'string',
			default: DEFAULT_EVENT_DOC_TYPE,
			required: true,
			displayOptions: { show: { level: ['event'] } },
			description:
				'SpotMe document type holding event-level attendance (read from /workspace/{eid}/global/docs/{type}). Assumption: SpotMe does not publish an attendance route or its document type names; change this to the type your workspace API page (Backstage) lists.',
		},
	];
}

/** The column/field-name mapping: one entry per normalised field, default = the assumed name. */
export function columnsParameter(
	displayName: string,
	description: string,
	defaults: Partial<Record<AttendanceMappedField, string>> = {},
	fields: AttendanceMappedField[] = ATTENDANCE_FIELD_SPECS.map((s) => s.field),
): INodeProperties {
	return {
		displayName,
		name: 'columns',
		type: 'collection',
		placeholder: 'Map a Column',
		default: {},
		description,
		options: ATTENDANCE_FIELD_SPECS.filter((s) => fields.includes(s.field)).map((spec) => ({
			displayName: FIELD_LABELS[spec.field],
			name: spec.field,
			type: 'string' as const,
			default: defaults[spec.field] ?? spec.defaultColumn,
			description: `Name of the column holding ${FIELD_LABELS[spec.field].toLowerCase()} (normalised to ${spec.field}). Also recognised: ${spec.variants.slice(0, 4).join(', ')}.`,
		})),
	};
}

export const watchTimeUnitOption: INodeProperties = {
	displayName: 'Watch Time Unit',
	name: 'watchTimeUnit',
	type: 'options',
	options: [
		{ name: 'Minutes', value: 'minutes' },
		{ name: 'Seconds', value: 'seconds' },
	],
	default: 'minutes',
	description:
		'What a bare number in a watch-time column means. A unit in the column name ("Live watch time (s)") wins, and HH:MM:SS values are always read as durations. Output is always minutes, as Marketo expects.',
};

export const attendedMinutesOption: INodeProperties = {
	displayName: 'Live Minutes to Attend',
	name: 'attendedMinutes',
	type: 'number',
	typeOptions: { minValue: 0, numberPrecision: 2 },
	default: 1,
	description:
		'When the source has no attended flag: minutes of live watch time from which "attended" is true. SpotMe\'s Marketo module defines attended as watching more than one minute live.',
};

export const separatorOption: INodeProperties = {
	displayName: 'Stream ID Separator',
	name: 'workspaceStreamSeparator',
	type: 'string',
	default: '_',
	description:
		'The dedupe key of spotMeAttendance_c (spotMeWorkspaceStreamId) is the workspace ID, this separator and the stream ID. SpotMe does not publish its own format.',
};

export const outputFieldsOption: INodeProperties = {
	displayName: 'Output Fields',
	name: 'outputFields',
	type: 'options',
	options: [
		{
			name: 'All Normalised Fields',
			value: 'all',
			description:
				'Every normalised field, including checkedIn, email and registrationStatus when known',
		},
		{
			name: 'Custom Object Fields Only',
			value: 'customObject',
			description:
				'Only the fields of the Marketo custom object of the chosen level, plus marketoLeadId, ready for a custom object upsert',
		},
	],
	default: 'all',
};

export function toOutput(
	record: NormalisedAttendance | IDataObject,
	level: AttendanceLevel,
	outputFields: string,
): IDataObject {
	if (outputFields !== 'customObject') return { ...record } as IDataObject;
	return pickCustomObjectFields(
		record as Record<string, unknown>,
		level === 'event' ? EVENT_ATTENDANCE_FIELDS : SESSION_ATTENDANCE_FIELDS,
	) as IDataObject;
}

/** Reads the mapping and options parameters into normaliser options. */
export function readNormaliseOptions(
	this: IExecuteFunctions,
	itemIndex: number,
	workspaceId: string,
): NormaliseOptions {
	const columns = this.getNodeParameter('columns', itemIndex, {}) as Partial<
		Record<AttendanceMappedField, string>
	>;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return {
		columns,
		tryVariants: options.tryVariants !== false,
		watchTimeUnit: (options.watchTimeUnit as DurationUnit | undefined) ?? 'minutes',
		workspaceId,
		attendedMinutes: typeof options.attendedMinutes === 'number' ? options.attendedMinutes : 1,
		workspaceStreamSeparator:
			typeof options.workspaceStreamSeparator === 'string' ? options.workspaceStreamSeparator : '_',
	};
}

/**
 * Item `itemIndex` failed while its record (`where`: "Row 2", "Document "x" of type "y"") was read.
 * A record the normaliser refused fails with words naming `where`, the column and the fix, and its
 * column among the facts; with Continue on Fail the result is the item's error item, otherwise the
 * node stops here.
 */
export function failRecord(
	this: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
	where: string,
	facts: ErrorFacts = {},
): INodeExecutionData {
	if (!(error instanceof AttendanceRecordError))
		return failItem.call(this, error, itemIndex, facts);
	const refused = new NodeOperationError(this.getNode(), `${where}: ${error.message}`, {
		itemIndex,
		description: error.fix,
	});
	return failItem.call(this, refused, itemIndex, { ...facts, column: error.column });
}
