/**
 * Attendance criteria: which attendanceStatus a person gets, and which rule decided it.
 *
 * SpotMe computes the status "based on the attendance criteria configured in the workspace"
 * (seed 000) but publishes neither the criteria nor a route to read them, so we apply the
 * issue's rules, each threshold a parameter:
 *   1. Attended  live watch time ≥ N minutes (default 1: the seed's "watched more than one
 *                minute live"), or in-person check-in, or on-demand watch time ≥ M minutes
 *                (each of the last two can be switched off)
 *   2. Cancelled the person's status is a cancelled one (SpotMe `fp_status` "Cancelled")
 *   3. Invited   invited and not registered
 *   4. No show   registered, the event has ended and the grace period (default 30 min) is over
 *   5. Registered otherwise
 * Attendance is checked first: if SpotMe recorded someone watching or checking in, that is what
 * happened, whatever their registration says. Boundaries are inclusive: exactly N minutes is
 * Attended, and at exactly end + grace the person is a No show.
 */
import { DateTime } from 'luxon';
import type { AttendanceStatus } from './model';

export type AttendanceRule =
	| 'liveWatchTime'
	| 'checkIn'
	| 'onDemandWatchTime'
	| 'attendedFlag'
	| 'cancelled'
	| 'invited'
	| 'noShow'
	| 'registered';

export interface AttendanceCriteria {
	/** N: minutes of live watch time that count as attended. */
	liveWatchMinutes: number;
	/** Whether an in-person check-in counts as attended. */
	checkInCounts: boolean;
	/** Whether on-demand viewing counts as attended. */
	onDemandCounts: boolean;
	/** M: minutes of on-demand watch time that count as attended. */
	onDemandWatchMinutes: number;
	/** Whether a source's own `attended` flag counts as attended (off: only our thresholds decide). */
	attendedFlagCounts: boolean;
	/** Minutes after the event's end before a registered person without attendance is a No show. */
	noShowGraceMinutes: number;
	/** Person/registration status values meaning cancelled (compared case-insensitively). */
	cancelledStatuses: string[];
	/** Status values meaning invited (and not yet registered). */
	invitedStatuses: string[];
	/** Status values meaning registered; they win over an "invited" value on the same person. */
	registeredStatuses: string[];
}

export const DEFAULT_ATTENDANCE_CRITERIA: AttendanceCriteria = {
	liveWatchMinutes: 1,
	checkInCounts: true,
	onDemandCounts: true,
	onDemandWatchMinutes: 1,
	attendedFlagCounts: false,
	noShowGraceMinutes: 30,
	// SpotMe's user status (fp_status) has Cancelled; "canceled" is the US spelling some exports use.
	cancelledStatuses: ['cancelled', 'canceled'],
	invitedStatuses: ['invited'],
	registeredStatuses: ['registered', 'confirmed', 'accepted', 'attending'],
};

export interface PersonAttendanceFacts {
	/** Minutes, summed over the person's live sessions. */
	liveWatchTime: number;
	/** Minutes, summed over the person's on-demand viewing. */
	vodWatchTime: number;
	checkedIn: boolean;
	/** The source's own attended flag, if it gave one. */
	attended?: boolean;
	/** Registration / user statuses as the sources state them (any spelling or case). */
	statuses: string[];
	/** When the event ended; undefined when unknown (then nobody becomes a No show). */
	eventEnd?: Date;
	now: Date;
}

export interface AttendanceDecision {
	attendanceStatus: AttendanceStatus;
	attendanceRule: AttendanceRule;
	/** One sentence a Marketo admin can read. */
	attendanceReason: string;
}

function fmt(minutes: number): string {
	return `${Math.round(minutes * 1000) / 1000} min`;
}

function normaliseStatus(s: string): string {
	return s
		.trim()
		.toLowerCase()
		.replace(/[\s_-]+/g, ' ');
}

function inList(statuses: string[], list: string[]): string | undefined {
	const wanted = new Set(list.map(normaliseStatus));
	return statuses.find((s) => wanted.has(normaliseStatus(s)));
}

export function decideAttendanceStatus(
	facts: PersonAttendanceFacts,
	criteria: AttendanceCriteria = DEFAULT_ATTENDANCE_CRITERIA,
): AttendanceDecision {
	if (facts.liveWatchTime >= criteria.liveWatchMinutes && facts.liveWatchTime > 0) {
		return {
			attendanceStatus: 'Attended',
			attendanceRule: 'liveWatchTime',
			attendanceReason: `Watched ${fmt(facts.liveWatchTime)} live; ${fmt(criteria.liveWatchMinutes)} or more counts as attended`,
		};
	}
	if (criteria.checkInCounts && facts.checkedIn) {
		return {
			attendanceStatus: 'Attended',
			attendanceRule: 'checkIn',
			attendanceReason: 'Checked in on site',
		};
	}
	if (
		criteria.onDemandCounts &&
		facts.vodWatchTime >= criteria.onDemandWatchMinutes &&
		facts.vodWatchTime > 0
	) {
		return {
			attendanceStatus: 'Attended',
			attendanceRule: 'onDemandWatchTime',
			attendanceReason: `Watched ${fmt(facts.vodWatchTime)} on demand; ${fmt(criteria.onDemandWatchMinutes)} or more counts as attended`,
		};
	}
	if (criteria.attendedFlagCounts && facts.attended === true) {
		return {
			attendanceStatus: 'Attended',
			attendanceRule: 'attendedFlag',
			attendanceReason: 'SpotMe marked the person as attended',
		};
	}

	const cancelled = inList(facts.statuses, criteria.cancelledStatuses);
	if (cancelled !== undefined) {
		return {
			attendanceStatus: 'Cancelled',
			attendanceRule: 'cancelled',
			attendanceReason: `Status is "${cancelled}"`,
		};
	}
	const invited = inList(facts.statuses, criteria.invitedStatuses);
	const registered = inList(facts.statuses, criteria.registeredStatuses);
	if (invited !== undefined && registered === undefined) {
		return {
			attendanceStatus: 'Invited',
			attendanceRule: 'invited',
			attendanceReason: `Status is "${invited}" and the person has not registered`,
		};
	}

	const attendanceSeen =
		facts.liveWatchTime > 0
			? `watched only ${fmt(facts.liveWatchTime)} live (less than ${fmt(criteria.liveWatchMinutes)})`
			: 'no attendance recorded';
	if (!facts.eventEnd) {
		return {
			attendanceStatus: 'Registered',
			attendanceRule: 'registered',
			attendanceReason: `Registered, ${attendanceSeen}; the event's end time is unknown, so no No show yet`,
		};
	}
	const noShowFrom = facts.eventEnd.getTime() + criteria.noShowGraceMinutes * 60_000;
	if (facts.now.getTime() >= noShowFrom) {
		return {
			attendanceStatus: 'No show',
			attendanceRule: 'noShow',
			attendanceReason: `Registered, ${attendanceSeen}; the event ended at ${facts.eventEnd.toISOString()} and the ${criteria.noShowGraceMinutes}-minute grace period is over`,
		};
	}
	return {
		attendanceStatus: 'Registered',
		attendanceRule: 'registered',
		attendanceReason:
			facts.now.getTime() < facts.eventEnd.getTime()
				? `Registered, ${attendanceSeen}; the event has not ended yet`
				: `Registered, ${attendanceSeen}; the grace period runs until ${new Date(noShowFrom).toISOString()}`,
	};
}

/**
 * Reads an event end (or "now") time: a Date, an ISO 8601 string, epoch seconds/milliseconds,
 * or a date without time (then the END of that day, since it is an end time). Strings without
 * an offset are read in `timezone` (the workspace's, e.g. "Europe/Zurich"), else UTC.
 * Returns undefined for an empty value; throws for an unreadable one.
 */
export function parseEventTime(
	value: unknown,
	timezone?: string,
	endOfDay = true,
): Date | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const zone = timezone || 'UTC';
	if (value instanceof Date) {
		if (Number.isNaN(value.getTime())) throw new Error('is not a valid date');
		return value;
	}
	if (DateTime.isDateTime(value)) return (value as DateTime).toJSDate();
	let v: unknown = value;
	if (typeof v === 'string' && /^\d{9,13}$/.test(v.trim())) v = Number(v.trim());
	if (typeof v === 'number') {
		if (!Number.isFinite(v)) throw new Error('is not a valid date');
		// SpotMe/CouchDB-style timestamps may be seconds or milliseconds since 1970.
		return new Date(v < 1e11 ? v * 1000 : v);
	}
	if (typeof v === 'string') {
		const text = v.trim();
		if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
			const day = DateTime.fromISO(text, { zone });
			if (day.isValid) return (endOfDay ? day.endOf('day') : day.startOf('day')).toJSDate();
		}
		const iso = DateTime.fromISO(text, { zone, setZone: true });
		if (iso.isValid) return iso.toJSDate();
		const sql = DateTime.fromSQL(text, { zone });
		if (sql.isValid) return sql.toJSDate();
		const rfc = DateTime.fromRFC2822(text, { zone });
		if (rfc.isValid) return rfc.toJSDate();
	}
	throw new Error('is not a date and time (use ISO 8601, e.g. 2026-05-12T18:00:00Z)');
}
