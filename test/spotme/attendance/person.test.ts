import {
	combineByPerson,
	normaliseAttendanceRecord,
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

describe('one person from several records', () => {
	it('sums watch time over streams, ors check-in, unions statuses, keeps the first lead id', () => {
		const [ada, alan] = combineByPerson([
			rec(
				{ spotMeUserId: 'ada', spotMeWorkspaceId: 'w', spotMeStreamId: 's1', liveWatchTime: 0.6 },
				0,
			),
			rec({ spotMeUserId: 'alan', spotMeWorkspaceId: 'w', liveWatchTime: 2 }, 1),
			rec(
				{
					spotMeUserId: 'ada',
					spotMeWorkspaceId: 'w',
					spotMeStreamId: 's2',
					liveWatchTime: 0.4,
					marketoLeadId: 7,
				},
				2,
			),
			rec({ _id: 'ada', checked_in: 'yes' }, 3, ['active']),
		]);
		expect(ada).toMatchObject({
			spotMeUserId: 'ada',
			spotMeWorkspaceId: 'w',
			liveWatchTime: 1,
			checkedIn: true,
			marketoLeadId: '7',
			statuses: ['active'],
			streams: ['s1', 's2'],
			itemIndexes: [0, 2, 3],
			attendanceType: 'hybrid',
		});
		expect(alan.itemIndexes).toEqual([1]);
	});

	it('keeps the same person in two workspaces apart', () => {
		const groups = combineByPerson([
			rec({ spotMeUserId: 'ada', spotMeWorkspaceId: 'w1', liveWatchTime: 1 }, 0),
			rec({ spotMeUserId: 'ada', spotMeWorkspaceId: 'w2', liveWatchTime: 1 }, 1),
		]);
		expect(groups.map((g) => g.spotMeWorkspaceId)).toEqual(['w1', 'w2']);
	});

	it('a person document without workspace is completed by a later record that has one', () => {
		const [ada] = combineByPerson([
			rec({ _id: 'ada', registration_status: 'registered' }, 0, ['registered']),
			rec({ spotMeUserId: 'ada', spotMeWorkspaceId: 'w', liveWatchTime: 3 }, 1),
		]);
		expect(ada).toMatchObject({ spotMeWorkspaceId: 'w', liveWatchTime: 3, itemIndexes: [0, 1] });
	});

	it('with combining off, every record stands alone', () => {
		expect(
			combineByPerson(
				[
					rec({ spotMeUserId: 'ada', liveWatchTime: 1 }, 0),
					rec({ spotMeUserId: 'ada', liveWatchTime: 1 }, 1),
				],
				false,
			),
		).toHaveLength(2);
	});
});
