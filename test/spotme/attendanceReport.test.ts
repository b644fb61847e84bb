/**
 * Attendance › Normalize Backstage Report: report rows (as Extract From File hands them over)
 * become attendance records, through n8n's engine. The operation must not call SpotMe.
 */
import { runNode } from '../../dev/harness/engine';
import type { SpotMeEmulator } from '../../dev/emulators/spotme';
import { spotMeCredentials, startScaledSpotMe } from './emulator-setup';

describe('SpotMe node › Attendance › Normalize Backstage Report', () => {
	let emu: SpotMeEmulator;
	beforeAll(async () => (emu = await startScaledSpotMe()));
	afterAll(async () => emu.stop());
	beforeEach(() => emu.reset());

	const base = {
		resource: 'attendance',
		operation: 'normalizeReport',
		reportWorkspaceId: 'ws-summit',
	};

	it('reads CSV-style rows with the assumed column names, HH:MM:SS and seconds, without calling SpotMe', async () => {
		const { items, error } = await runNode({
			type: 'spotMe',
			parameters: base,
			items: [
				{
					'User ID': 'p1',
					'Stream ID': 'keynote',
					'Stream name': 'Keynote',
					'Live watch time': '00:42:30',
					'Live clap count': '3',
					'Questions asked': '1',
					'Marketo lead ID': '1001',
				},
				{
					'User ID': 'p2',
					'Stream ID': 'keynote',
					'Stream name': 'Keynote',
					'Live watch time (s)': '45',
					Attended: 'No',
				},
				{
					'Participant ID': 'p3',
					'Session ID': 'panel',
					Session: 'Panel',
					'Watch time (min)': '5',
					'VOD watch time': '1:30',
					'Checked in': 'Yes',
				},
			],
			...spotMeCredentials(emu),
		});
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json)).toEqual([
			{
				spotMeUserId: 'p1',
				spotMeWorkspaceId: 'ws-summit',
				spotMeWorkspaceStreamId: 'ws-summit_keynote',
				spotMeStreamId: 'keynote',
				spotMeStreamName: 'Keynote',
				attended: true,
				liveWatchTime: 42.5,
				liveClapCount: 3,
				vodWatchTime: 0,
				vodClapCount: 0,
				questionsAsked: 1,
				checkedIn: false,
				attendanceType: 'virtual',
				attendanceStatus: '',
				marketoLeadId: '1001',
			},
			expect.objectContaining({ spotMeUserId: 'p2', liveWatchTime: 0.75, attended: false }),
			expect.objectContaining({
				spotMeUserId: 'p3',
				spotMeStreamName: 'Panel',
				liveWatchTime: 5,
				vodWatchTime: 1.5,
				checkedIn: true,
				attendanceType: 'hybrid',
			}),
		]);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(emu.callCounts().total).toBe(0);
	});

	it('uses the column names the user maps, and seconds when told', async () => {
		const { items } = await runNode({
			type: 'spotMe',
			parameters: {
				...base,
				columns: {
					spotMeUserId: 'Attendee',
					liveWatchTime: 'Seconds watched',
					spotMeStreamId: 'Room',
				},
				options: { watchTimeUnit: 'seconds', workspaceStreamSeparator: ':', includeRow: true },
			},
			items: [{ Attendee: 'p9', 'Seconds watched': 150, Room: 'r1' }],
			...spotMeCredentials(emu),
		});
		expect(items[0].json).toMatchObject({
			spotMeUserId: 'p9',
			liveWatchTime: 2.5,
			spotMeWorkspaceStreamId: 'ws-summit:r1',
			row: { Attendee: 'p9', 'Seconds watched': 150, Room: 'r1' },
		});
	});

	it('malformed rows become error items naming the row, the column and the fix; good rows still pass', async () => {
		const { items, error } = await runNode({
			type: 'spotMe',
			parameters: base,
			continueOnFail: true,
			items: [
				{ 'User ID': 'p1', 'Live watch time': '12' },
				{ 'User ID': 'p2', 'Live watch time': 'twelve minutes-ish' },
				{ 'User ID': '', 'Live watch time': '3' },
				{ 'User ID': 'p4', 'Questions asked': '2.5', 'Live watch time': '1' },
				{ 'User ID': 'p5', Minutes: '30' },
			],
			...spotMeCredentials(emu),
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(5);
		expect(items.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(items[0].json).toMatchObject({ spotMeUserId: 'p1', liveWatchTime: 12 });
		expect(items[1].json).toMatchObject({
			row: 2,
			column: 'Live watch time',
			error: 'Row 2: Column "Live watch time": "twelve minutes-ish" is not a duration',
		});
		expect(items[1].json.description).toMatch(/HH:MM:SS/);
		expect(items[2].json).toMatchObject({
			row: 3,
			column: 'User ID',
			error: 'Row 3: Column "User ID" is empty, so the row names no SpotMe person',
		});
		expect(items[3].json).toMatchObject({ row: 4, column: 'Questions asked' });
		expect(items[4].json.error).toMatch(/^Row 5: No attendance column found/);
		expect(items[4].json.description).toMatch(/Column Names/);
	});

	it('without continue on fail, a malformed row stops the node and says which', async () => {
		const { error } = await runNode({
			type: 'spotMe',
			parameters: base,
			items: [
				{ 'User ID': 'p1', 'Live watch time': '12' },
				{ 'User ID': 'p2', 'Checked in': 'perhaps' },
			],
			...spotMeCredentials(emu),
		});
		expect(error?.message).toBe('Row 2: Column "Checked in": "perhaps" is not a yes/no value');
	});
});
