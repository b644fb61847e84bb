/**
 * Apply Attendance Criteria, step 1: its parameters, read once for all items (the criteria judge
 * people, who may span several items).
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';
import {
	DEFAULT_ATTENDANCE_CRITERIA,
	parseEventTime,
	type AttendanceCriteria,
} from '../../attendance';
import type { DocumentReadPlan } from './documents';

const D = DEFAULT_ATTENDANCE_CRITERIA;

/** The minute thresholds: parameter name → the label the user sees (and error messages name). */
export const MINUTE_THRESHOLDS = {
	liveWatchMinutes: 'Live Minutes to Attend',
	onDemandWatchMinutes: 'On-Demand Minutes to Attend',
	noShowGraceMinutes: 'No-Show Grace Period (Minutes)',
} as const;

export interface ComputeStatusParameters {
	criteria: AttendanceCriteria;
	/** The time to judge at. */
	now: Date;
	/** Event End: read from each person's workspace, or the time given (undefined: unknown). */
	eventEnd: { fromWorkspace: true } | { fromWorkspace: false; end: Date | undefined };
	/** Options > Workspace ID: the workspace of items that name none ('' when not set). */
	fallbackWorkspace: string;
	/** Options > Combine Items per Person. */
	combine: boolean;
	/** Options > Output Fields. */
	outputFields: 'all' | 'customObject';
	/** Options > Only Changed Records. */
	onlyChanged: boolean;
	/** Options > Allow Empty Attendance: judge even when SpotMe returned none. */
	allowEmptyAttendance: boolean;
	/** Options > Read SpotMe Attendance: the document types to read (none when off). */
	readDocumentTypes: Omit<DocumentReadPlan, 'workspaceId'>[];
}

function list(value: unknown, fallback: string[]): string[] {
	if (typeof value !== 'string') return fallback;
	return value
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
}

function readCriteria(this: IExecuteFunctions, options: IDataObject): AttendanceCriteria {
	const minutes = (name: keyof typeof MINUTE_THRESHOLDS, fallback: number): number => {
		const v = this.getNodeParameter(name, 0, fallback) as number;
		if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
			throw new NodeOperationError(
				this.getNode(),
				`${MINUTE_THRESHOLDS[name]} must be a number of minutes, 0 or more`,
				{ description: 'Enter a number such as 1 or 30.' },
			);
		}
		return v;
	};
	const onDemandCounts = this.getNodeParameter('onDemandCounts', 0, D.onDemandCounts) as boolean;
	return {
		liveWatchMinutes: minutes('liveWatchMinutes', D.liveWatchMinutes),
		checkInCounts: this.getNodeParameter('checkInCounts', 0, D.checkInCounts) as boolean,
		onDemandCounts,
		onDemandWatchMinutes: onDemandCounts
			? minutes('onDemandWatchMinutes', D.onDemandWatchMinutes)
			: D.onDemandWatchMinutes,
		attendedFlagCounts: options.attendedFlagCounts === true,
		noShowGraceMinutes: minutes('noShowGraceMinutes', D.noShowGraceMinutes),
		cancelledStatuses: list(options.cancelledStatuses, D.cancelledStatuses),
		invitedStatuses: list(options.invitedStatuses, D.invitedStatuses),
		registeredStatuses: list(options.registeredStatuses, D.registeredStatuses),
	};
}

function readTime(this: IExecuteFunctions, name: string, label: string): Date | undefined {
	const raw = this.getNodeParameter(name, 0, '') as unknown;
	try {
		return parseEventTime(raw, this.getTimezone());
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

function readDocumentTypes(options: IDataObject): ComputeStatusParameters['readDocumentTypes'] {
	if (options.readAttendance !== true) return [];
	return [
		{ level: 'session' as const, type: String(options.sessionDocumentType ?? 'stream_attendance') },
		{ level: 'event' as const, type: String(options.eventDocumentType ?? 'event_attendance') },
	]
		.map((plan) => ({ ...plan, type: plan.type.trim() }))
		.filter((plan) => plan.type);
}

/** Reads the parameters; a parameter that cannot be read stops the node, before any item is judged. */
export function readComputeStatusParameters(this: IExecuteFunctions): ComputeStatusParameters {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const criteria = readCriteria.call(this, options);
	const now = readTime.call(this, 'now', 'Now') ?? new Date();
	const fromWorkspace = this.getNodeParameter('eventEndSource', 0, 'workspace') !== 'value';
	return {
		criteria,
		now,
		eventEnd: fromWorkspace
			? { fromWorkspace }
			: { fromWorkspace, end: readTime.call(this, 'eventEnd', 'Event End Time') },
		// The Workspace picker's value ({ mode, value }), or the plain ID of workflows made before it.
		fallbackWorkspace: String(
			(typeof options.workspaceId === 'object' && options.workspaceId !== null
				? (options.workspaceId as IDataObject).value
				: options.workspaceId) ?? '',
		).trim(),
		combine: options.combine !== false,
		outputFields: options.outputFields === 'customObject' ? 'customObject' : 'all',
		allowEmptyAttendance: options.allowEmptyAttendance === true,
		onlyChanged: options.onlyChanged === true,
		readDocumentTypes: readDocumentTypes(options),
	};
}
