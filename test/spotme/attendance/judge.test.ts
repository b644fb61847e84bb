import {
	DEFAULT_ATTENDANCE_CRITERIA as D,
	judgePerson,
	normaliseAttendanceRecord,
	peopleToJudge,
	READ_FROM_SPOTME,
	recordsOfInputPeople,
	workspacesOfRecords,
	type PersonRecord,
} from '../../../nodes/SpotMe/attendance';

function rec(
	json: Record<string, unknown>,
	itemIndex: number,
	statuses: string[] = [],
): PersonRecord {
	return {
		record: normaliseAttendanceRecord(json, { requireEvidence: false }),
		statuses,
		itemIndex,
	};
}

const END = new Date('2026-05-12T18:00:00Z');
const AFTER_GRACE = new Date('2026-05-12T18:30:00Z');

describe('who is judged', () => {
	it('a person known from a read record pairs with their input items, and nothing passed in changes', () => {
		const input = [
			rec({ spotMeUserId: 'ada', registrationStatus: 'registered' }, 0, ['registered']),
			rec({ spotMeUserId: 'alan', spotMeWorkspaceId: 'w' }, 1),
		];
		const read = recordsOfInputPeople(
			[
				normaliseAttendanceRecord({
					spotMeUserId: 'ada',
					spotMeWorkspaceId: 'w',
					liveWatchTime: 3,
				}),
				normaliseAttendanceRecord({
					spotMeUserId: 'grace',
					spotMeWorkspaceId: 'w',
					liveWatchTime: 9,
				}),
			],
			input,
		);
		expect(read.map((r) => [r.record.spotMeUserId, r.itemIndex])).toEqual([
			['ada', READ_FROM_SPOTME],
		]);
		const records = [...input, ...read];
		const before = JSON.stringify(records);

		const combined = peopleToJudge(records, true);
		expect(combined.map((p) => [p.spotMeUserId, p.spotMeWorkspaceId, p.itemIndexes])).toEqual([
			['ada', 'w', [0]],
			['alan', 'w', [1]],
		]);
		const apart = peopleToJudge(records, false);
		expect(apart.map((p) => [p.spotMeUserId, p.itemIndexes])).toEqual([
			['ada', [0]],
			['alan', [1]],
			['ada', [0]],
		]);
		expect(JSON.stringify(records)).toBe(before);
	});

	it('people of several workspaces keep what they name: no workspace is guessed', () => {
		const people = peopleToJudge(
			[
				rec({ spotMeUserId: 'ada' }, 0),
				rec({ spotMeUserId: 'alan', spotMeWorkspaceId: 'w1' }, 1),
				rec({ spotMeUserId: 'kat', spotMeWorkspaceId: 'w2' }, 2),
			],
			true,
		);
		expect(people.map((p) => p.spotMeWorkspaceId)).toEqual(['', 'w1', 'w2']);
	});

	it('each workspace is read for the first input item naming it; records naming none use the fallback', () => {
		const records = [
			rec({ spotMeUserId: 'ada' }, 0),
			rec({ spotMeUserId: 'alan', spotMeWorkspaceId: 'w2' }, 1),
			rec({ spotMeUserId: 'kat', spotMeWorkspaceId: 'w2' }, 2),
		];
		expect([...workspacesOfRecords(records, 'w1')]).toEqual([
			['w1', 0],
			['w2', 1],
		]);
		expect([...workspacesOfRecords(records, '')]).toEqual([['w2', 1]]);
	});
});

describe('the result of judging one person', () => {
	it('says the status, the rule, the reason and the totals; a type only when Attended', () => {
		const [ada, alan] = peopleToJudge(
			[
				rec(
					{ spotMeUserId: 'ada', spotMeWorkspaceId: 'w', spotMeStreamId: 's1', liveWatchTime: 2 },
					0,
				),
				rec(
					{ spotMeUserId: 'alan', spotMeWorkspaceId: 'w', email: 'a@x.org', checkedIn: 'no' },
					1,
					['registered'],
				),
			],
			true,
		);
		expect(judgePerson(ada, END, AFTER_GRACE, D)).toEqual({
			spotMeUserId: 'ada',
			spotMeWorkspaceId: 'w',
			attendanceType: 'virtual',
			attendanceStatus: 'Attended',
			attendanceRule: 'liveWatchTime',
			attendanceReason: 'Watched 2 min live; 1 min or more counts as attended',
			liveWatchTime: 2,
			vodWatchTime: 0,
			liveClapCount: 0,
			vodClapCount: 0,
			questionsAsked: 0,
			checkedIn: false,
			streamCount: 1,
			registrationStatus: '',
			eventEnd: END.toISOString(),
			judgedAt: AFTER_GRACE.toISOString(),
		});
		expect(judgePerson(alan, undefined, AFTER_GRACE, D)).toMatchObject({
			email: 'a@x.org',
			attendanceType: '',
			attendanceStatus: 'Registered',
			registrationStatus: 'registered',
			eventEnd: null,
		});
		expect(judgePerson(alan, END, AFTER_GRACE, D).attendanceStatus).toBe('No show');
	});
});
