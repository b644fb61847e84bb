/**
 * Attendance Criteria: computes each person's attendanceStatus (Invited / Registered / Attended /
 * No show / Cancelled) from their attendance and registration, and says which rule decided.
 * The rules and their order live in nodes/shared/attendance/criteria.ts; here they get their
 * parameters, the event's end time and their input.
 *
 * Input: any mix of attendance records (Get Many, Get Changes Since, Normalize Backstage Report)
 * and people (Person operations); items of the same person are combined, so a registered person
 * without any attendance record is still judged (and becomes a No show after the event).
 */
import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type IPairedItemData,
} from 'n8n-workflow';
import {
	collectFieldValues,
	combineByPerson,
	decideAttendanceStatus,
	DEFAULT_ATTENDANCE_CRITERIA,
	normaliseAttendanceRecord,
	parseEventTime,
	pickCustomObjectFields,
	EVENT_ATTENDANCE_FIELDS,
	type AttendanceCriteria,
	type AttendanceMappedField,
	type PersonAttendance,
	type PersonRecord,
} from '../../../shared/attendance';
import type { SpotMeOperation } from '../../helpers/interfaces';
import { formatSince, getChangesSince, spotMeApiRequest } from '../../transport';
import {
	asNodeError,
	columnsParameter,
	readNormaliseOptions,
	recordError,
	recordErrorItem,
	watchTimeUnitOption,
} from './common';

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
		displayName: 'Live Watch Time to Attend (Minutes)',
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
		displayName: 'On-Demand Watch Time to Attend (Minutes)',
		name: 'onDemandWatchMinutes',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 1,
		displayOptions: { show: { onDemandCounts: [true] } },
		description:
			'Attended when the person watched at least this many minutes on demand. SpotMe computes on-demand statistics every 6 hours.',
	},
	{
		displayName: 'No-Show Grace Period (Minutes)',
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
		displayName: 'Now',
		name: 'now',
		type: 'dateTime',
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
					displayName: 'Count SpotMe Attended Flag',
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
					displayName: 'Read Attendance From SpotMe',
					name: 'readAttendance',
					type: 'boolean',
					default: false,
					description:
						'Whether to read the attendance documents of the input people’s workspace from SpotMe (one listing per workspace and document type), so the input can be just the people. SpotMe person documents do not name their workspace: set Workspace ID below when the input is only people.',
				},
				{
					displayName: 'Per-Stream Attendance Document Type',
					name: 'sessionDocumentType',
					type: 'string',
					default: 'stream_attendance',
					description:
						'With Read Attendance From SpotMe: the document type holding per-stream attendance. Assumption: SpotMe does not publish it. Empty: do not read.',
				},
				{
					displayName: 'Event Attendance Document Type',
					name: 'eventDocumentType',
					type: 'string',
					default: 'event_attendance',
					description:
						'With Read Attendance From SpotMe: the document type holding event-level attendance (check-in). Assumption: SpotMe does not publish it. Empty: do not read.',
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
				{
					displayName: 'Workspace ID',
					name: 'workspaceId',
					type: 'string',
					default: '',
					description: 'Workspace of items that name none (e.g. people read from one workspace)',
				},
			] as INodeProperties[]
		).sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['attendance'], operation: ['computeStatus'] } },
	properties,
);

function list(value: unknown, fallback: string[]): string[] {
	if (typeof value !== 'string') return fallback;
	return value
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
}

function readCriteria(this: IExecuteFunctions): AttendanceCriteria {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const number = (name: string, fallback: number): number => {
		const v = this.getNodeParameter(name, 0, fallback) as number;
		if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
			const label = properties.find((p) => p.name === name)?.displayName ?? name;
			throw new NodeOperationError(
				this.getNode(),
				`${label} must be a number of minutes, 0 or more`,
				{
					description: 'Enter a number such as 1 or 30.',
				},
			);
		}
		return v;
	};
	const onDemandCounts = this.getNodeParameter('onDemandCounts', 0, D.onDemandCounts) as boolean;
	return {
		liveWatchMinutes: number('liveWatchMinutes', D.liveWatchMinutes),
		checkInCounts: this.getNodeParameter('checkInCounts', 0, D.checkInCounts) as boolean,
		onDemandCounts,
		onDemandWatchMinutes: onDemandCounts
			? number('onDemandWatchMinutes', D.onDemandWatchMinutes)
			: D.onDemandWatchMinutes,
		attendedFlagCounts: options.attendedFlagCounts === true,
		noShowGraceMinutes: number('noShowGraceMinutes', D.noShowGraceMinutes),
		cancelledStatuses: list(options.cancelledStatuses, D.cancelledStatuses),
		invitedStatuses: list(options.invitedStatuses, D.invitedStatuses),
		registeredStatuses: list(options.registeredStatuses, D.registeredStatuses),
	};
}

function readTime(
	this: IExecuteFunctions,
	name: string,
	label: string,
	timezone?: string,
): Date | undefined {
	const raw = this.getNodeParameter(name, 0, '') as unknown;
	try {
		return parseEventTime(raw, timezone ?? this.getTimezone());
	} catch (error) {
		throw new NodeOperationError(
			this.getNode(),
			`${label} "${String(raw)}" ${(error as Error).message}`,
			{
				description: `Enter ${label} as a date and time, e.g. 2026-05-12T18:00:00Z, or leave it empty.`,
			},
		);
	}
}

/**
 * Option "Read Attendance From SpotMe": reads the attendance documents of every workspace the
 * input names (all of them, since changes/since from the beginning) and adds the records of the
 * input's people. Returns error items for documents it cannot read (continue on fail).
 */
async function readAttendanceDocuments(
	this: IExecuteFunctions,
	records: PersonRecord[],
	fallbackWorkspace: string,
	options: IDataObject,
): Promise<INodeExecutionData[]> {
	const errors: INodeExecutionData[] = [];
	const people = new Set(records.map((r) => r.record.spotMeUserId));
	const firstItemOf = new Map<string, number>();
	for (const r of records) {
		const ws = r.record.spotMeWorkspaceId || fallbackWorkspace;
		if (ws && !firstItemOf.has(ws)) firstItemOf.set(ws, r.itemIndex);
	}
	const types = [
		options.sessionDocumentType ?? 'stream_attendance',
		options.eventDocumentType ?? 'event_attendance',
	]
		.map((t) => String(t).trim())
		.filter(Boolean);
	const read: PersonRecord[] = [];
	for (const [workspaceId, itemIndex] of firstItemOf) {
		const normaliseOptions = readNormaliseOptions.call(this, itemIndex, workspaceId);
		// Kept apart until every type of this workspace was read: a failed read drops them all.
		const readHere: PersonRecord[] = [];
		let complete = true;
		for (const type of types) {
			let docs: IDataObject[];
			try {
				({ docs } = await getChangesSince.call(
					this,
					workspaceId,
					type,
					formatSince(0, 'iso'),
					Infinity,
					itemIndex,
				));
			} catch (error) {
				if (!this.continueOnFail()) throw asNodeError(this, error as Error, itemIndex);
				// Judging these people without their attendance would call attendees "No show": their
				// items become error items instead, and they are left out of the judgement.
				const failed = records.filter(
					(r) => (r.record.spotMeWorkspaceId || fallbackWorkspace) === workspaceId,
				);
				for (const r of failed) {
					errors.push({
						json: {
							spotMeUserId: r.record.spotMeUserId,
							error: (error as Error).message,
							errorDescription: `Reading "${type}" documents of workspace ${workspaceId} failed, so the attendance of this person is unknown`,
						},
						pairedItem: { item: r.itemIndex },
					});
				}
				const failedSet = new Set(failed);
				records.splice(0, records.length, ...records.filter((r) => !failedSet.has(r)));
				complete = false;
				break;
			}
			for (const doc of docs) {
				try {
					const record = normaliseAttendanceRecord(doc, {
						...normaliseOptions,
						ignoreKeys: ['_id', '_rev'],
					});
					if (people.has(record.spotMeUserId))
						readHere.push({ record, statuses: [], itemIndex: -1 });
				} catch (error) {
					const documentId = String(doc._id ?? '');
					const err = recordError.call(
						this,
						error,
						itemIndex,
						`Document "${documentId}" of type "${type}"`,
					);
					if (!this.continueOnFail()) throw err;
					errors.push(recordErrorItem(err, itemIndex, { documentId, documentType: type }));
				}
			}
		}
		if (complete) read.push(...readHere);
	}
	records.push(...read);
	return errors;
}

function paired(indexes: number[]): IPairedItemData | IPairedItemData[] {
	return indexes.length === 1 ? { item: indexes[0] } : indexes.map((item) => ({ item }));
}

async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const criteria = readCriteria.call(this);
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const now = readTime.call(this, 'now', 'Now') ?? new Date();
	const endSource = this.getNodeParameter('eventEndSource', 0, 'workspace') as string;
	const manualEnd =
		endSource === 'value' ? readTime.call(this, 'eventEnd', 'Event End Time') : undefined;
	const fallbackWorkspace = String(options.workspaceId ?? '').trim();

	const out: INodeExecutionData[] = [];
	const records: PersonRecord[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const normaliseOptions = readNormaliseOptions.call(this, i, fallbackWorkspace);
			const record = normaliseAttendanceRecord(items[i].json, {
				...normaliseOptions,
				requireEvidence: false,
			});
			const columns = normaliseOptions.columns as Partial<Record<AttendanceMappedField, string>>;
			const statuses = collectFieldValues(
				items[i].json,
				'registrationStatus',
				columns.registrationStatus,
			);
			records.push({ record, statuses, itemIndex: i });
		} catch (error) {
			const err = recordError.call(this, error, i, `Item ${i}`);
			if (!this.continueOnFail()) throw err;
			out.push(recordErrorItem(err, i));
		}
	}

	// One GET per workspace, not per person.
	const workspaceEnds = new Map<string, Promise<Date | undefined>>();
	const endOf = async (person: PersonAttendance): Promise<Date | undefined> => {
		if (endSource === 'value') return manualEnd;
		const workspaceId = person.spotMeWorkspaceId;
		if (!workspaceId) {
			throw new NodeOperationError(
				this.getNode(),
				`Person "${person.spotMeUserId}" has no workspace, so the event end cannot be read`,
				{
					itemIndex: person.itemIndexes[0],
					description:
						'The input names several workspaces or none. Map Field Names > Workspace ID, set Options > Workspace ID, or set Event End to "Set Manually".',
				},
			);
		}
		let pending = workspaceEnds.get(workspaceId);
		if (!pending) {
			pending = (async () => {
				const ws = (await spotMeApiRequest.call(
					this,
					'GET',
					`/workspace/${encodeURIComponent(workspaceId)}`,
					undefined,
					undefined,
					{
						itemIndex: person.itemIndexes[0],
						notFoundMessage: `Workspace ${workspaceId} not found`,
					},
				)) as IDataObject;
				try {
					return parseEventTime(
						ws?.end,
						typeof ws?.timezone === 'string' ? ws.timezone : undefined,
					);
				} catch (error) {
					throw new NodeOperationError(
						this.getNode(),
						`Workspace ${workspaceId} has an end time "${String(ws.end)}" that ${(error as Error).message}`,
						{
							itemIndex: person.itemIndexes[0],
							description: 'Set Event End to "Set Manually" and give the end time.',
						},
					);
				}
			})();
			workspaceEnds.set(workspaceId, pending);
		}
		return await pending;
	};

	if (options.readAttendance === true) {
		out.push(...(await readAttendanceDocuments.call(this, records, fallbackWorkspace, options)));
	}

	const combine = options.combine !== false;
	const persons = combineByPerson(records, combine);
	// Records read from SpotMe belong to no input item (index -1): they pair with the input items of the
	// same person (only people of the input are read), which matters when combining is off.
	const inputItemsOf = new Map<string, number[]>();
	for (const r of records) {
		if (r.itemIndex < 0) continue;
		inputItemsOf.set(r.record.spotMeUserId, [
			...(inputItemsOf.get(r.record.spotMeUserId) ?? []),
			r.itemIndex,
		]);
	}
	for (const p of persons) {
		p.itemIndexes = p.itemIndexes.filter((i) => i >= 0);
		if (!p.itemIndexes.length) p.itemIndexes = inputItemsOf.get(p.spotMeUserId) ?? [0];
	}
	// SpotMe person documents do not carry their workspace. When the input speaks of exactly one
	// workspace (the usual "people + attendance of one event" merge), they belong to it.
	const workspaces = [...new Set(persons.map((p) => p.spotMeWorkspaceId).filter(Boolean))];
	if (workspaces.length === 1) for (const p of persons) p.spotMeWorkspaceId ||= workspaces[0];
	for (const person of persons) {
		try {
			const eventEnd = await endOf(person);
			const decision = decideAttendanceStatus(
				{
					liveWatchTime: person.liveWatchTime,
					vodWatchTime: person.vodWatchTime,
					checkedIn: person.checkedIn,
					attended: person.attended,
					statuses: person.statuses,
					eventEnd,
					now,
				},
				criteria,
			);
			const full: IDataObject = {
				spotMeUserId: person.spotMeUserId,
				spotMeWorkspaceId: person.spotMeWorkspaceId,
				...(person.marketoLeadId ? { marketoLeadId: person.marketoLeadId } : {}),
				...(person.email ? { email: person.email } : {}),
				attendanceType: decision.attendanceStatus === 'Attended' ? person.attendanceType : '',
				attendanceStatus: decision.attendanceStatus,
				attendanceRule: decision.attendanceRule,
				attendanceReason: decision.attendanceReason,
				liveWatchTime: person.liveWatchTime,
				vodWatchTime: person.vodWatchTime,
				liveClapCount: person.liveClapCount,
				vodClapCount: person.vodClapCount,
				questionsAsked: person.questionsAsked,
				checkedIn: person.checkedIn,
				streamCount: person.streams.length,
				registrationStatus: person.statuses.join(', '),
				eventEnd: eventEnd ? eventEnd.toISOString() : null,
				judgedAt: now.toISOString(),
			};
			const json =
				options.outputFields === 'customObject'
					? (pickCustomObjectFields(full, EVENT_ATTENDANCE_FIELDS) as IDataObject)
					: full;
			out.push({ json, pairedItem: paired(person.itemIndexes) });
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this, error, person.itemIndexes[0]);
			const d = (error as { description?: unknown }).description;
			out.push({
				json: {
					spotMeUserId: person.spotMeUserId,
					error: (error as Error).message,
					...(typeof d === 'string' && d ? { errorDescription: d } : {}),
				},
				pairedItem: paired(person.itemIndexes),
			});
		}
	}
	return out;
}

export const computeStatus: SpotMeOperation = {
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
