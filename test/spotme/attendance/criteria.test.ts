import {
	decideAttendanceStatus,
	DEFAULT_ATTENDANCE_CRITERIA as D,
	parseEventTime,
	type PersonAttendanceFacts,
} from '../../../nodes/SpotMe/attendance';

const END = new Date('2026-05-12T18:00:00Z');
const minutesAfterEnd = (m: number) => new Date(END.getTime() + m * 60_000);

function facts(over: Partial<PersonAttendanceFacts> = {}): PersonAttendanceFacts {
	return {
		liveWatchTime: 0,
		vodWatchTime: 0,
		checkedIn: false,
		statuses: ['Active'],
		eventEnd: END,
		now: minutesAfterEnd(-60),
		...over,
	};
}

describe('Attended: live watch time ≥ N minutes', () => {
	it('exactly N minutes (default 1) is Attended, and says which rule decided', () => {
		const d = decideAttendanceStatus(facts({ liveWatchTime: 1 }));
		expect(d).toEqual({
			attendanceStatus: 'Attended',
			attendanceRule: 'liveWatchTime',
			attendanceReason: 'Watched 1 min live; 1 min or more counts as attended',
		});
	});
	it('just under N minutes is not Attended', () => {
		expect(decideAttendanceStatus(facts({ liveWatchTime: 0.983 })).attendanceStatus).toBe(
			'Registered',
		);
	});
	it('N is a parameter: 5 minutes makes 4.99 not enough and 5 enough', () => {
		const c = { ...D, liveWatchMinutes: 5 };
		expect(
			decideAttendanceStatus(facts({ liveWatchTime: 4.99, now: minutesAfterEnd(31) }), c)
				.attendanceStatus,
		).toBe('No show');
		expect(decideAttendanceStatus(facts({ liveWatchTime: 5 }), c).attendanceStatus).toBe(
			'Attended',
		);
	});
	it('attendance wins over a cancelled status: what SpotMe recorded is what happened', () => {
		expect(
			decideAttendanceStatus(facts({ liveWatchTime: 3, statuses: ['Cancelled'] })).attendanceStatus,
		).toBe('Attended');
	});
});

describe('Attended: in-person check-in', () => {
	it('a check-in with no watch time is Attended', () => {
		expect(decideAttendanceStatus(facts({ checkedIn: true }))).toMatchObject({
			attendanceStatus: 'Attended',
			attendanceRule: 'checkIn',
		});
	});
	it('does not count when the check-in rule is switched off', () => {
		const d = decideAttendanceStatus(facts({ checkedIn: true, now: minutesAfterEnd(60) }), {
			...D,
			checkInCounts: false,
		});
		expect(d.attendanceStatus).toBe('No show');
	});
});

describe('Attended: on-demand watch time ≥ M minutes', () => {
	it('exactly M minutes on demand is Attended; less is not', () => {
		const c = { ...D, onDemandWatchMinutes: 10 };
		expect(decideAttendanceStatus(facts({ vodWatchTime: 10 }), c)).toMatchObject({
			attendanceStatus: 'Attended',
			attendanceRule: 'onDemandWatchTime',
		});
		expect(decideAttendanceStatus(facts({ vodWatchTime: 9.99 }), c).attendanceStatus).toBe(
			'Registered',
		);
	});
	it('does not count when on-demand viewing is switched off', () => {
		expect(
			decideAttendanceStatus(facts({ vodWatchTime: 50 }), { ...D, onDemandCounts: false })
				.attendanceStatus,
		).toBe('Registered');
	});
	it("SpotMe's own attended flag counts only when allowed", () => {
		expect(decideAttendanceStatus(facts({ attended: true })).attendanceStatus).toBe('Registered');
		expect(
			decideAttendanceStatus(facts({ attended: true }), { ...D, attendedFlagCounts: true }),
		).toMatchObject({
			attendanceStatus: 'Attended',
			attendanceRule: 'attendedFlag',
		});
	});
});

describe('No show: registered, event ended, grace period over', () => {
	it('grace period not yet over (29 min after the end) is still Registered, naming when it ends', () => {
		const d = decideAttendanceStatus(facts({ now: minutesAfterEnd(29) }));
		expect(d.attendanceStatus).toBe('Registered');
		expect(d.attendanceReason).toMatch(/grace period runs until 2026-05-12T18:30:00.000Z/);
	});
	it('exactly at end + grace (30 min) is a No show', () => {
		expect(decideAttendanceStatus(facts({ now: minutesAfterEnd(30) }))).toMatchObject({
			attendanceStatus: 'No show',
			attendanceRule: 'noShow',
		});
	});
	it('one millisecond before end + grace is not yet a No show', () => {
		const now = new Date(END.getTime() + 30 * 60_000 - 1);
		expect(decideAttendanceStatus(facts({ now })).attendanceStatus).toBe('Registered');
	});
	it('the grace period is a parameter (0 = No show as soon as the event ends)', () => {
		expect(
			decideAttendanceStatus(facts({ now: END }), { ...D, noShowGraceMinutes: 0 }).attendanceStatus,
		).toBe('No show');
		expect(
			decideAttendanceStatus(facts({ now: minutesAfterEnd(59) }), { ...D, noShowGraceMinutes: 60 })
				.attendanceStatus,
		).toBe('Registered');
	});
	it('before the event ends it is Registered', () => {
		expect(decideAttendanceStatus(facts({ now: minutesAfterEnd(-1) })).attendanceReason).toMatch(
			/has not ended/,
		);
	});
	it('with no known end time nobody becomes a No show', () => {
		const d = decideAttendanceStatus(facts({ eventEnd: undefined, now: new Date('2030-01-01') }));
		expect(d.attendanceStatus).toBe('Registered');
		expect(d.attendanceReason).toMatch(/end time is unknown/);
	});
	it('a short live visit below N still ends as a No show, and the reason says how long', () => {
		const d = decideAttendanceStatus(facts({ liveWatchTime: 0.5, now: minutesAfterEnd(45) }));
		expect(d.attendanceStatus).toBe('No show');
		expect(d.attendanceReason).toMatch(/watched only 0.5 min live/);
	});
});

describe("Cancelled and Invited come from the person's status", () => {
	it.each(['Cancelled', 'canceled', ' CANCELLED '])(
		'%j is Cancelled, even after the event',
		(s) => {
			expect(
				decideAttendanceStatus(facts({ statuses: ['Active', s], now: minutesAfterEnd(999) })),
			).toMatchObject({
				attendanceStatus: 'Cancelled',
				attendanceRule: 'cancelled',
			});
		},
	);
	it('invited and not registered is Invited, and is never a No show', () => {
		expect(
			decideAttendanceStatus(facts({ statuses: ['invited'], now: minutesAfterEnd(999) })),
		).toMatchObject({
			attendanceStatus: 'Invited',
			attendanceRule: 'invited',
		});
	});
	it('invited and then registered is Registered', () => {
		expect(
			decideAttendanceStatus(facts({ statuses: ['invited', 'registered'] })).attendanceStatus,
		).toBe('Registered');
	});
	it('the status words are parameters', () => {
		const c = { ...D, cancelledStatuses: ['declined'], invitedStatuses: ['pending'] };
		expect(decideAttendanceStatus(facts({ statuses: ['Declined'] }), c).attendanceStatus).toBe(
			'Cancelled',
		);
		expect(decideAttendanceStatus(facts({ statuses: ['Pending'] }), c).attendanceStatus).toBe(
			'Invited',
		);
		expect(decideAttendanceStatus(facts({ statuses: ['Cancelled'] }), c).attendanceStatus).toBe(
			'Registered',
		);
	});
	it('an unknown or empty status counts as registered (a person in the workspace)', () => {
		expect(decideAttendanceStatus(facts({ statuses: [] })).attendanceStatus).toBe('Registered');
		expect(
			decideAttendanceStatus(facts({ statuses: ['Hidden'], now: minutesAfterEnd(31) }))
				.attendanceStatus,
		).toBe('No show');
	});
});

describe('event times', () => {
	it('reads ISO, epoch seconds and milliseconds', () => {
		expect(parseEventTime('2026-05-12T18:00:00Z')).toEqual(END);
		expect(parseEventTime(END.getTime())).toEqual(END);
		expect(parseEventTime(END.getTime() / 1000)).toEqual(END);
		expect(parseEventTime(String(END.getTime()))).toEqual(END);
	});
	it('reads a time without offset in the workspace time zone', () => {
		expect(parseEventTime('2026-05-12T20:00:00', 'Europe/Zurich')).toEqual(END);
		expect(parseEventTime('2026-05-12 18:00:00')).toEqual(END);
	});
	it('reads a bare date as the end of that day', () => {
		expect(parseEventTime('2026-05-12', 'UTC')!.toISOString()).toBe('2026-05-12T23:59:59.999Z');
	});
	it('is undefined when empty and refuses nonsense', () => {
		expect(parseEventTime('')).toBeUndefined();
		expect(() => parseEventTime('next tuesday')).toThrow(/ISO 8601/);
	});
});
