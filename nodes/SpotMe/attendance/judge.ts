/**
 * Judging the people of an input (Attendance > Apply Attendance Criteria): which records belong to
 * whom, who is judged, and the result of each judgement. Pure: the event end is read by the caller,
 * and nothing here changes its arguments; every function returns new objects.
 */
import {
	decideAttendanceStatus,
	type AttendanceCriteria,
	type AttendanceDecision,
	type AttendanceRule,
} from './criteria';
import type { AttendanceStatus, NormalisedAttendance } from './model';
import { combineByPerson, type PersonAttendance, type PersonRecord } from './person';

/** Records read from SpotMe belong to no input item. */
export const READ_FROM_SPOTME = -1;

/** The workspace of a record, or `fallbackWorkspace` when it names none (a SpotMe person document). */
export function workspaceOfRecord(record: PersonRecord, fallbackWorkspace: string): string {
	return record.record.spotMeWorkspaceId || fallbackWorkspace;
}

/** The workspaces the records name, each with the first input item naming it, in input order. */
export function workspacesOfRecords(
	records: PersonRecord[],
	fallbackWorkspace: string,
): Map<string, number> {
	const firstItemOf = new Map<string, number>();
	for (const r of records) {
		const workspaceId = workspaceOfRecord(r, fallbackWorkspace);
		if (workspaceId && !firstItemOf.has(workspaceId)) firstItemOf.set(workspaceId, r.itemIndex);
	}
	return firstItemOf;
}

/** The read records of people the input names, as records of no input item. */
export function recordsOfInputPeople(
	read: NormalisedAttendance[],
	input: PersonRecord[],
): PersonRecord[] {
	const people = new Set(input.map((r) => r.record.spotMeUserId));
	return read
		.filter((record) => people.has(record.spotMeUserId))
		.map((record) => ({ record, statuses: [], itemIndex: READ_FROM_SPOTME }));
}

/**
 * The people to judge: the records combined per person (or, without `combine`, one person per
 * record), each paired with its input items. A person known only from records read from SpotMe pairs
 * with the input items of the same person (only people of the input are read), which matters when
 * combining is off. SpotMe person documents do not carry their workspace: when the people name
 * exactly one workspace (the usual "people + attendance of one event" merge), they belong to it.
 */
export function peopleToJudge(records: PersonRecord[], combine: boolean): PersonAttendance[] {
	const inputItemsOf = new Map<string, number[]>();
	for (const r of records) {
		if (r.itemIndex === READ_FROM_SPOTME) continue;
		const id = r.record.spotMeUserId;
		inputItemsOf.set(id, [...(inputItemsOf.get(id) ?? []), r.itemIndex]);
	}
	const paired = combineByPerson(records, combine).map((p) => {
		const itemIndexes = p.itemIndexes.filter((i) => i !== READ_FROM_SPOTME);
		return {
			...p,
			itemIndexes: itemIndexes.length ? itemIndexes : (inputItemsOf.get(p.spotMeUserId) ?? [0]),
		};
	});
	const workspaces = [...new Set(paired.map((p) => p.spotMeWorkspaceId).filter(Boolean))];
	if (workspaces.length !== 1) return paired;
	return paired.map((p) => ({ ...p, spotMeWorkspaceId: p.spotMeWorkspaceId || workspaces[0] }));
}

/** One person judged: who, the status and why, and the totals it was decided from. */
export interface AttendanceResult {
	spotMeUserId: string;
	spotMeWorkspaceId: string;
	marketoLeadId?: string;
	email?: string;
	/** How the person attended; empty unless Attended. */
	attendanceType: string;
	attendanceStatus: AttendanceStatus;
	attendanceRule: AttendanceRule;
	attendanceReason: string;
	liveWatchTime: number;
	vodWatchTime: number;
	liveClapCount: number;
	vodClapCount: number;
	questionsAsked: number;
	checkedIn: boolean;
	streamCount: number;
	registrationStatus: string;
	/** ISO 8601; null when unknown. */
	eventEnd: string | null;
	/** ISO 8601. */
	judgedAt: string;
}

/** Judges one person at `now`, given the end of their event (undefined: unknown). */
export function judgePerson(
	person: PersonAttendance,
	eventEnd: Date | undefined,
	now: Date,
	criteria: AttendanceCriteria,
): AttendanceResult {
	const decision: AttendanceDecision = decideAttendanceStatus(
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
	return {
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
}
