/**
 * One person's attendance, combined from several records (their live sessions, their check-in,
 * their person document), as the attendance criteria need it.
 */
import { deriveAttendanceType, type NormalisedAttendance } from './model';

export interface PersonRecord {
	record: NormalisedAttendance;
	/** Registration / user statuses found on the record. */
	statuses: string[];
	/** Index of the input item the record came from. */
	itemIndex: number;
}

export interface PersonAttendance {
	spotMeUserId: string;
	spotMeWorkspaceId: string;
	marketoLeadId?: string;
	email?: string;
	/** Minutes, summed over the person's records (their live sessions). */
	liveWatchTime: number;
	/** Minutes, summed. */
	vodWatchTime: number;
	liveClapCount: number;
	vodClapCount: number;
	questionsAsked: number;
	checkedIn: boolean;
	/** True when any record says attended. */
	attended: boolean;
	attendanceType: string;
	statuses: string[];
	/** Sessions the person has a record for (stream ids). */
	streams: string[];
	itemIndexes: number[];
}

function round(n: number): number {
	return Math.round(n * 1000) / 1000;
}

/**
 * Groups records by workspace + person, in order of first appearance. A record that names no
 * workspace (a SpotMe person document does not carry its workspace) joins the same person's
 * group from any workspace, and a later record with a workspace completes it. With `combine`
 * false, every record is its own person (one output per input).
 */
export function combineByPerson(records: PersonRecord[], combine = true): PersonAttendance[] {
	const out: PersonAttendance[] = [];
	/** The groups of each person id, in order of first appearance (what `out` holds, by id). */
	const byUser = new Map<string, PersonAttendance[]>();
	const find = (userId: string, workspaceId: string): PersonAttendance | undefined => {
		if (!combine) return undefined;
		const same = byUser.get(userId) ?? [];
		if (!workspaceId) return same[0];
		return (
			same.find((g) => g.spotMeWorkspaceId === workspaceId) ??
			same.find((g) => !g.spotMeWorkspaceId)
		);
	};
	records.forEach((r) => {
		let p = find(r.record.spotMeUserId, r.record.spotMeWorkspaceId);
		if (!p) {
			p = {
				spotMeUserId: r.record.spotMeUserId,
				spotMeWorkspaceId: r.record.spotMeWorkspaceId,
				liveWatchTime: 0,
				vodWatchTime: 0,
				liveClapCount: 0,
				vodClapCount: 0,
				questionsAsked: 0,
				checkedIn: false,
				attended: false,
				attendanceType: '',
				statuses: [],
				streams: [],
				itemIndexes: [],
			};
			out.push(p);
			const same = byUser.get(p.spotMeUserId);
			if (same) same.push(p);
			else byUser.set(p.spotMeUserId, [p]);
		}
		if (!p.spotMeWorkspaceId && r.record.spotMeWorkspaceId)
			p.spotMeWorkspaceId = r.record.spotMeWorkspaceId;
		const rec = r.record;
		p.liveWatchTime = round(p.liveWatchTime + rec.liveWatchTime);
		p.vodWatchTime = round(p.vodWatchTime + rec.vodWatchTime);
		p.liveClapCount += rec.liveClapCount;
		p.vodClapCount += rec.vodClapCount;
		p.questionsAsked += rec.questionsAsked;
		p.checkedIn ||= rec.checkedIn;
		p.attended ||= rec.attended;
		if (!p.marketoLeadId && rec.marketoLeadId) p.marketoLeadId = rec.marketoLeadId;
		if (!p.email && rec.email) p.email = rec.email;
		if (rec.spotMeStreamId && !p.streams.includes(rec.spotMeStreamId))
			p.streams.push(rec.spotMeStreamId);
		for (const s of r.statuses) if (!p.statuses.includes(s)) p.statuses.push(s);
		if (!p.itemIndexes.includes(r.itemIndex)) {
			p.itemIndexes.push(r.itemIndex);
			p.itemIndexes.sort((a, b) => a - b);
		}
		// A stated type (e.g. "in-person" from an event-level document) wins over one we derive.
		const stated = rec.attendanceType && !isDerived(rec) ? rec.attendanceType : '';
		if (stated) p.attendanceType = stated;
	});
	for (const p of out) {
		if (!p.attendanceType)
			p.attendanceType = deriveAttendanceType(p.checkedIn, p.liveWatchTime, p.vodWatchTime);
	}
	return out;
}

function isDerived(rec: NormalisedAttendance): boolean {
	return (
		rec.attendanceType === deriveAttendanceType(rec.checkedIn, rec.liveWatchTime, rec.vodWatchTime)
	);
}
