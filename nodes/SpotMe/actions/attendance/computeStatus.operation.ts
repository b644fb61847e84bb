/**
 * Attendance Criteria: computes each person's attendanceStatus (Invited / Registered / Attended /
 * No show / Cancelled) from their attendance and registration, and says which rule decided.
 * The rules and their order live in nodes/SpotMe/attendance/criteria.ts; here they get their
 * parameters, the event's end time and their input.
 *
 * Input: any mix of attendance records (Get Many, Get Changes Since, Normalize Backstage Report)
 * and people (Person operations); items of the same person are combined, so a registered person
 * without any attendance record is still judged (and becomes a No show after the event).
 */
import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { type Operation } from '../../../shared/kit';
import { keepChanged, onlyChangedOption, recordKey } from '../../helpers/changedOnly';
import { DEFAULT_ATTENDANCE_CRITERIA, judgePerson, peopleToJudge } from '../../attendance';
import { workspaceParameter } from '../../helpers/utils';
import { columnsParameter, watchTimeUnitOption } from './common';
import { guardEmptySource } from './computeStatus.guard';
import { personFailed, resultItem } from './computeStatus.output';
import { MINUTE_THRESHOLDS, readComputeStatusParameters } from './computeStatus.parameters';
import { eventEndReader, readAttendanceOfPeople, readInputRecords } from './computeStatus.read';

const D = DEFAULT_ATTENDANCE_CRITERIA;

const properties: INodeProperties[] = [
	{
		displayName:
			'Each input item is an attendance record (Attendance > Get Many, Get Changes Since, Normalize Backstage Report) or a person (Person operations). Items of the same person are combined into one result.',
		name: 'criteriaNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: MINUTE_THRESHOLDS.liveWatchMinutes,
		name: 'liveWatchMinutes',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 1,
		description:
			"Attended when the person watched at least this many minutes live, summed over the streams (SpotMe's definition: more than one minute)",
	},
	{
		displayName: 'Count In-Person Check-In',
		name: 'checkInCounts',
		type: 'boolean',
		default: true,
		description: 'Whether an in-person check-in makes the person Attended',
	},
	{
		displayName: 'Count On-Demand Viewing',
		name: 'onDemandCounts',
		type: 'boolean',
		default: true,
		description: 'Whether watching the recording (on demand) makes the person Attended',
	},
	{
		displayName: MINUTE_THRESHOLDS.onDemandWatchMinutes,
		name: 'onDemandWatchMinutes',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 1,
		displayOptions: { show: { onDemandCounts: [true] } },
		description:
			'Attended when the person watched at least this many minutes on demand. SpotMe computes on-demand statistics every 6 hours.',
	},
	{
		displayName: MINUTE_THRESHOLDS.noShowGraceMinutes,
		name: 'noShowGraceMinutes',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 30,
		description:
			'A registered person without attendance becomes a No show this many minutes after the event ends',
	},
	{
		displayName: 'Event End',
		name: 'eventEndSource',
		type: 'options',
		options: [
			{
				name: 'From the SpotMe Workspace',
				value: 'workspace',
				description: "Read the end time (and time zone) of each person's workspace from SpotMe",
			},
			{ name: 'Set Manually', value: 'value', description: 'Give the end time below' },
		],
		default: 'workspace',
	},
	{
		displayName: 'Event End Time',
		name: 'eventEnd',
		type: 'dateTime',
		default: '',
		displayOptions: { show: { eventEndSource: ['value'] } },
		description: 'When the event ended. Empty: unknown, so nobody becomes a No show.',
	},
	{
		// Not shown: a marketer has no reason to judge at another moment than the run's. Tests and
		// replays of a past moment set it in the workflow JSON (empty: when the node runs).
		displayName: 'Now',
		name: 'now',
		type: 'hidden',
		default: '',
		description:
			'The time to judge at. Empty: when the node runs. Set it to re-judge a past moment.',
	},
	columnsParameter(
		'Field Names',
		'Which input field holds what. Normalised attendance records and SpotMe person documents (_id, fp_status, registration_status) are read without changes.',
		{},
		[
			'spotMeUserId',
			'spotMeWorkspaceId',
			'liveWatchTime',
			'vodWatchTime',
			'checkedIn',
			'attended',
			'attendanceType',
			'registrationStatus',
			'marketoLeadId',
			'email',
		],
	),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: (
			[
				{
					displayName: 'Allow Empty Attendance',
					name: 'allowEmptyAttendance',
					type: 'boolean',
					default: false,
					description:
						'Whether to judge the people of a workspace whose attendance documents (Read SpotMe Attendance) are all empty after the event ended. Off: the node stops instead of making every registered person a No show, since an empty source is usually a misnamed document type.',
				},
				{
					displayName: 'Cancelled Status Values',
					name: 'cancelledStatuses',
					type: 'string',
					default: D.cancelledStatuses.join(', '),
					description:
						'Comma-separated registration/user status values that mean Cancelled (SpotMe user status "Cancelled")',
				},
				{
					displayName: 'Combine Items per Person',
					name: 'combine',
					type: 'boolean',
					default: true,
					description:
						'Whether to combine the items of one person (their streams, their person record) into one result. Off: one result per item.',
				},
				{
					displayName: 'Count Attended Flag',
					name: 'attendedFlagCounts',
					type: 'boolean',
					default: false,
					description:
						'Whether a record already marked attended by SpotMe makes the person Attended, whatever the thresholds above',
				},
				{
					displayName: 'Invited Status Values',
					name: 'invitedStatuses',
					type: 'string',
					default: D.invitedStatuses.join(', '),
					description: 'Comma-separated status values that mean invited but not registered',
				},
				{
					displayName: 'Output Fields',
					name: 'outputFields',
					type: 'options',
					options: [
						{
							name: 'All',
							value: 'all',
							description: 'Status, rule, reason, totals and what was read',
						},
						{
							name: 'Event Attendance Fields Only',
							value: 'customObject',
							description:
								"Only spotMeEventAttendance_c's fields plus marketoLeadId, ready for a custom object upsert",
						},
					],
					default: 'all',
				},
				{
					displayName: 'Read SpotMe Attendance',
					name: 'readAttendance',
					type: 'boolean',
					default: false,
					description:
						'Whether to read the attendance documents of the input people’s workspace from SpotMe (one listing per workspace and document type), so the input can be just the people. SpotMe person documents do not name their workspace: set Workspace ID below when the input is only people.',
				},
				{
					displayName: 'Stream Document Type',
					name: 'sessionDocumentType',
					type: 'string',
					default: 'stream_attendance',
					description:
						'With Read SpotMe Attendance: the document type holding per-stream attendance. Assumption: SpotMe does not publish it. Empty: do not read.',
				},
				{
					displayName: 'Event Document Type',
					name: 'eventDocumentType',
					type: 'string',
					default: 'event_attendance',
					description:
						'With Read SpotMe Attendance: the document type holding event-level attendance (check-in). Assumption: SpotMe does not publish it. Empty: do not read.',
				},
				{
					displayName: 'Registered Status Values',
					name: 'registeredStatuses',
					type: 'string',
					default: D.registeredStatuses.join(', '),
					description:
						'Comma-separated status values that mean registered (they win over an invited value on the same person). Any other value also counts as registered.',
				},
				watchTimeUnitOption,
				onlyChangedOption,
				{
					...workspaceParameter(
						'Workspace of items that name none (e.g. people read from one workspace)',
					),
					required: false,
				},
			] as INodeProperties[]
		).sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['attendance'], operation: ['computeStatus'] } },
	properties,
);

/**
 * Read parameters → read the items (and, when asked, the attendance documents and event ends) →
 * judge each person (the pure core, `nodes/SpotMe/attendance/judge.ts`) → output items. Items that
 * cannot be read come first, then the people, in the order they first appear.
 */
async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const parameters = readComputeStatusParameters.call(this);
	const input = readInputRecords.call(this, items, parameters.fallbackWorkspace);
	const { records, failed, documentsRead } = parameters.readDocumentTypes.length
		? await readAttendanceOfPeople.call(this, input.records, parameters)
		: { records: input.records, failed: [], documentsRead: undefined };
	const out = [...input.failed, ...failed];

	const eventEndOf = eventEndReader.call(this, parameters.eventEnd);
	const checked = new Set<string>();
	for (const person of peopleToJudge(records, parameters.combine)) {
		let eventEnd: Date | undefined;
		try {
			eventEnd = await eventEndOf(person);
		} catch (error) {
			out.push(personFailed.call(this, error, person));
			continue;
		}
		guardEmptySource.call(this, person, eventEnd, parameters, documentsRead, checked);
		try {
			const result = judgePerson(person, eventEnd, parameters.now, parameters.criteria);
			out.push(resultItem(result, person, parameters.outputFields));
		} catch (error) {
			out.push(personFailed.call(this, error, person));
		}
	}
	return parameters.onlyChanged ? keepChanged(this, out, recordKey) : out;
}

export const computeStatus: Operation = {
	option: {
		name: 'Apply Attendance Criteria',
		value: 'computeStatus',
		action: 'Apply attendance criteria to compute attendance status',
		description:
			"Compute each person's attendance status (Invited, Registered, Attended, No show, Cancelled) and the rule that decided it",
	},
	description,
	execute,
};
