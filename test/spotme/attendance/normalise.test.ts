import {
	AttendanceRecordError,
	normaliseAttendanceRecord,
	pickCustomObjectFields,
	SESSION_ATTENDANCE_FIELDS,
	splitColumnName,
} from '../../../nodes/SpotMe/attendance';

describe('Backstage report rows become the spotMeAttendance_c shape', () => {
	it('reads the assumed default columns, with minutes and the workspace from the options', () => {
		const out = normaliseAttendanceRecord(
			{
				'User ID': 'p1',
				'Stream ID': 's1',
				'Stream name': 'Keynote',
				'Live watch time': '12.5',
				'Live clap count': '3',
				'On-demand watch time': '',
				'On-demand clap count': '0',
				'Questions asked': '2',
				'Marketo lead ID': '1001',
			},
			{ workspaceId: 'ws1' },
		);
		expect(out).toEqual({
			spotMeUserId: 'p1',
			spotMeWorkspaceId: 'ws1',
			spotMeWorkspaceStreamId: 'ws1_s1',
			spotMeStreamId: 's1',
			spotMeStreamName: 'Keynote',
			attended: true,
			liveWatchTime: 12.5,
			liveClapCount: 3,
			vodWatchTime: 0,
			vodClapCount: 0,
			questionsAsked: 2,
			checkedIn: false,
			attendanceType: 'virtual',
			attendanceStatus: '',
			marketoLeadId: '1001',
		});
	});

	it('takes the unit from the column name: seconds, minutes, HH:MM:SS', () => {
		const base = { 'User ID': 'p1' };
		expect(normaliseAttendanceRecord({ ...base, 'Live watch time (s)': '90' }).liveWatchTime).toBe(
			1.5,
		);
		expect(
			normaliseAttendanceRecord({ ...base, 'Live watch time (min)': '90' }).liveWatchTime,
		).toBe(90);
		expect(normaliseAttendanceRecord({ ...base, 'Watch time [sec]': 30 }).liveWatchTime).toBe(0.5);
		expect(
			normaliseAttendanceRecord({ ...base, 'Live watch time (HH:MM:SS)': '01:00:30' })
				.liveWatchTime,
		).toBe(60.5);
		expect(
			normaliseAttendanceRecord({ ...base, 'Live watch time': '120' }, { watchTimeUnit: 'seconds' })
				.liveWatchTime,
		).toBe(2);
	});

	it('accepts variant column names in any case and SpotMe snake_case document keys', () => {
		const out = normaliseAttendanceRecord({
			'participant id': 'p2',
			'WORKSPACE ID': 'ws9',
			'Session ID': 'sess',
			'Live Claps': 4,
			'VOD watch time': 3,
			'Q&A questions': 1,
			'Check-in': 'Yes',
		});
		expect(out).toMatchObject({
			spotMeUserId: 'p2',
			spotMeWorkspaceId: 'ws9',
			spotMeStreamId: 'sess',
			liveClapCount: 4,
			vodWatchTime: 3,
			questionsAsked: 1,
			checkedIn: true,
			attended: false,
			attendanceType: 'hybrid',
		});
		const doc = normaliseAttendanceRecord(
			{ _id: 'doc-1', fp_owner: 'p3', parent_doc_id: 'st', live_watch_time: 0.5, attended: false },
			{ ignoreKeys: ['_id'], workspaceId: 'w' },
		);
		expect(doc).toMatchObject({
			spotMeUserId: 'p3',
			spotMeStreamId: 'st',
			liveWatchTime: 0.5,
			attended: false,
		});
	});

	it('uses the column mapping the user set, before any variant', () => {
		const out = normaliseAttendanceRecord(
			{ Attendee: 'p4', Minutes: '7', 'Live watch time': '99' },
			{ columns: { spotMeUserId: 'Attendee', liveWatchTime: 'Minutes' } },
		);
		expect(out.spotMeUserId).toBe('p4');
		expect(out.liveWatchTime).toBe(7);
	});

	it("states attended from the 1-minute rule when the report does not, and keeps the report's own flag", () => {
		expect(normaliseAttendanceRecord({ 'User ID': 'a', 'Live watch time': '1' }).attended).toBe(
			true,
		);
		expect(normaliseAttendanceRecord({ 'User ID': 'a', 'Live watch time': '0.99' }).attended).toBe(
			false,
		);
		expect(
			normaliseAttendanceRecord({ 'User ID': 'a', 'Live watch time': '0.5', Attended: 'Yes' })
				.attended,
		).toBe(true);
		expect(
			normaliseAttendanceRecord({ 'User ID': 'a', 'Live watch time': '4' }, { attendedMinutes: 5 })
				.attended,
		).toBe(false);
	});

	it('spells a stated attendance type canonically', () => {
		expect(
			normaliseAttendanceRecord({ 'User ID': 'a', 'Attendance type': 'In Person' }).attendanceType,
		).toBe('in-person');
		expect(normaliseAttendanceRecord({ 'User ID': 'a', 'Checked in': 'yes' }).attendanceType).toBe(
			'in-person',
		);
	});
});

describe('malformed rows are refused with the column and the fix', () => {
	function refusal(row: Record<string, unknown>, options = {}): AttendanceRecordError {
		try {
			normaliseAttendanceRecord(row, options);
		} catch (e) {
			return e as AttendanceRecordError;
		}
		throw new Error('the row was accepted');
	}

	it('names the column holding an unreadable duration', () => {
		const e = refusal({ 'User ID': 'p', 'Live watch time (min)': 'twelve' });
		expect(e).toBeInstanceOf(AttendanceRecordError);
		expect(e.message).toBe('Column "Live watch time (min)": "twelve" is not a duration');
		expect(e.column).toBe('Live watch time (min)');
		expect(e.fix).toMatch(/HH:MM:SS/);
	});

	it('names the column holding a bad count and a bad yes/no', () => {
		expect(
			refusal({ 'User ID': 'p', 'Live watch time': 1, 'Questions asked': 'lots' }).column,
		).toBe('Questions asked');
		expect(refusal({ 'User ID': 'p', 'Checked in': 'perhaps' }).message).toMatch(
			/Column "Checked in": "perhaps"/,
		);
	});

	it('refuses a row without a person, pointing at the User ID mapping', () => {
		const e = refusal({ Name: 'Ann', 'Live watch time': 3 });
		expect(e.message).toMatch(/No "User ID" column/);
		expect(e.fix).toMatch(/Column Names > User ID/);
		expect(e.fix).toMatch(/Name, Live watch time/);
		expect(refusal({ 'User ID': ' ', 'Live watch time': 3 }).message).toMatch(
			/Column "User ID" is empty/,
		);
	});

	it('refuses a row with no attendance column instead of counting everyone absent', () => {
		const e = refusal({ 'User ID': 'p', 'Minutes viewed': 30 });
		expect(e.message).toMatch(/No attendance column found/);
		expect(e.fix).toMatch(/Minutes viewed/);
	});
});

describe('custom object field sets', () => {
	it('splits unit suffixes off column names', () => {
		expect(splitColumnName('Live watch time (min)')).toEqual({
			base: 'livewatchtime',
			unit: 'minutes',
		});
		expect(splitColumnName('Watch time in seconds')).toEqual({
			base: 'watchtime',
			unit: 'seconds',
		});
		expect(splitColumnName('Questions (Q&A)')).toEqual({ base: 'questionsqa', unit: undefined });
	});

	it('picks only spotMeAttendance_c fields plus the lead link', () => {
		const rec = normaliseAttendanceRecord(
			{ 'User ID': 'p', 'Live watch time': 2, 'Marketo lead ID': 7 },
			{ workspaceId: 'w' },
		);
		const picked = pickCustomObjectFields(rec as never, SESSION_ATTENDANCE_FIELDS);
		expect(Object.keys(picked).sort()).toEqual(
			[...SESSION_ATTENDANCE_FIELDS, 'marketoLeadId'].sort(),
		);
		expect(picked.marketoLeadId).toBe('7');
	});
});
