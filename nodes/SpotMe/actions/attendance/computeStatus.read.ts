/**
 * Apply Attendance Criteria, step 2: what the judgement needs, read. The input items as person
 * records; with Read SpotMe Attendance, the attendance documents of their workspaces; and the
 * end of each person's event. Whatever cannot be read fails as the error item of the item it belongs
 * to, made here (Continue on Fail), or stops the node.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { failItem } from '../../../shared/kit';
import {
	collectFieldValues,
	normaliseAttendanceRecord,
	parseEventTime,
	recordsOfInputPeople,
	workspaceOfRecord,
	workspacesOfRecords,
	type AttendanceMappedField,
	type NormaliseOptions,
	type NormalisedAttendance,
	type PersonAttendance,
	type PersonRecord,
} from '../../attendance';
import { spotMeApiRequest } from '../../transport';
import { failRecord, readNormaliseOptions } from './common';
import type { ComputeStatusParameters } from './computeStatus.parameters';
import { beginningOfTime, normaliseDocument, readDocuments } from './documents';

export interface ReadRecords {
	records: PersonRecord[];
	/** Error items of what could not be read, in the order it failed. */
	failed: INodeExecutionData[];
	/**
	 * With Read SpotMe Attendance: per workspace read in full, how many attendance documents
	 * each document type returned (the guard against an empty or misnamed source reads it).
	 */
	documentsRead?: Map<string, Map<string, number>>;
}

/** Each input item as a person record: its attendance and its registration statuses. */
export function readInputRecords(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	fallbackWorkspace: string,
): ReadRecords {
	const records: PersonRecord[] = [];
	const failed: INodeExecutionData[] = [];
	// Without expressions in the mapping and options, every item reads the same values: read once.
	const fixed = !hasExpression(
		this.getNode().parameters.columns,
		this.getNode().parameters.options,
	);
	let shared: NormaliseOptions | undefined;
	items.forEach((item, i) => {
		try {
			const options = fixed
				? (shared ??= readNormaliseOptions.call(this, i, fallbackWorkspace))
				: readNormaliseOptions.call(this, i, fallbackWorkspace);
			const record = normaliseAttendanceRecord(item.json, { ...options, requireEvidence: false });
			const columns = options.columns as Partial<Record<AttendanceMappedField, string>>;
			const statuses = collectFieldValues(
				item.json,
				'registrationStatus',
				columns.registrationStatus,
			);
			records.push({ record, statuses, itemIndex: i });
		} catch (error) {
			failed.push(failRecord.call(this, error, i, `Item ${i}`));
		}
	});
	return { records, failed };
}

/** Whether any string in the values is an n8n expression ("=…"). */
function hasExpression(...values: unknown[]): boolean {
	return values.some((v) =>
		typeof v === 'string'
			? v.startsWith('=')
			: v !== null && typeof v === 'object'
				? hasExpression(...Object.values(v))
				: false,
	);
}

/**
 * Option "Read SpotMe Attendance": reads the attendance documents of every workspace the input
 * names (all of them: changes since the beginning) and returns the input's records plus the read
 * records of the input's people. When a workspace cannot be read, judging its people without their
 * attendance would call attendees "No show": their items fail instead, and they are left out.
 */
export async function readAttendanceOfPeople(
	this: IExecuteFunctions,
	input: PersonRecord[],
	parameters: ComputeStatusParameters,
): Promise<ReadRecords> {
	const { fallbackWorkspace, readDocumentTypes } = parameters;
	let records = input;
	const failed: INodeExecutionData[] = [];
	const read: NormalisedAttendance[] = [];
	const documentsRead = new Map<string, Map<string, number>>();
	for (const [workspaceId, itemIndex] of workspacesOfRecords(input, fallbackWorkspace)) {
		const counts = new Map<string, number>();
		const options = readNormaliseOptions.call(this, itemIndex, workspaceId);
		// Kept apart until every type of this workspace was read: a failed read drops them all.
		const readHere: NormalisedAttendance[] = [];
		let complete = true;
		for (const { level, type } of readDocumentTypes) {
			let docs: IDataObject[];
			try {
				const plan = { workspaceId, level, type };
				({ docs } = await readDocuments.call(
					this,
					plan,
					beginningOfTime('iso'),
					Infinity,
					itemIndex,
				));
			} catch (error) {
				const description = `Reading "${type}" documents of workspace ${workspaceId} failed, so the attendance of this person is unknown`;
				const ofWorkspace = (r: PersonRecord) =>
					workspaceOfRecord(r, fallbackWorkspace) === workspaceId;
				for (const r of records.filter(ofWorkspace)) {
					const facts = { spotMeUserId: r.record.spotMeUserId, description };
					failed.push(failItem.call(this, error, r.itemIndex, facts));
				}
				records = records.filter((r) => !ofWorkspace(r));
				complete = false;
				break;
			}
			counts.set(type, docs.length);
			for (const doc of docs) {
				const result = normaliseDocument.call(this, doc, options, type, itemIndex);
				if ('failed' in result) failed.push(result.failed);
				else readHere.push(result.record);
			}
		}
		if (complete) {
			for (const r of readHere) read.push(r);
			documentsRead.set(workspaceId, counts);
		}
	}
	return { records: [...records, ...recordsOfInputPeople(read, input)], failed, documentsRead };
}

/** The end of a person's event: the time given, or their workspace's end (one read per workspace). */
export function eventEndReader(
	this: IExecuteFunctions,
	eventEnd: ComputeStatusParameters['eventEnd'],
): (person: PersonAttendance) => Promise<Date | undefined> {
	const workspaceEnds = new Map<string, Promise<Date | undefined>>();
	return async (person) => {
		if (!eventEnd.fromWorkspace) return eventEnd.end;
		const workspaceId = person.spotMeWorkspaceId;
		const itemIndex = person.itemIndexes[0];
		if (!workspaceId) {
			throw new NodeOperationError(
				this.getNode(),
				`Person "${person.spotMeUserId}" has no workspace, so the event end cannot be read`,
				{
					itemIndex,
					description:
						'The input names several workspaces or none. Map Field Names > Workspace ID, set Options > Workspace ID, or set Event End to "Set Manually".',
				},
			);
		}
		let pending = workspaceEnds.get(workspaceId);
		if (!pending) {
			pending = readWorkspaceEnd.call(this, workspaceId, itemIndex);
			workspaceEnds.set(workspaceId, pending);
		}
		return await pending;
	};
}

async function readWorkspaceEnd(
	this: IExecuteFunctions,
	workspaceId: string,
	itemIndex: number,
): Promise<Date | undefined> {
	const ws = (await spotMeApiRequest.call(
		this,
		'GET',
		`/workspace/${encodeURIComponent(workspaceId)}`,
		undefined,
		undefined,
		{ itemIndex, notFoundMessage: `Workspace ${workspaceId} not found` },
	)) as IDataObject;
	try {
		return parseEventTime(ws?.end, typeof ws?.timezone === 'string' ? ws.timezone : undefined);
	} catch (error) {
		throw new NodeOperationError(
			this.getNode(),
			`Workspace ${workspaceId} has an end time "${String(ws.end)}" that ${(error as Error).message}`,
			{ itemIndex, description: 'Set Event End to "Set Manually" and give the end time.' },
		);
	}
}
