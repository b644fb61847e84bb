/**
 * Attendance › Apply Attendance Criteria through n8n's engine: people read from the SpotMe
 * emulator by the Person operation plus attendance read by Attendance › Get Many, judged with
 * the event end read from the emulator's workspace.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { PACKAGE_NAME, runNode, runWorkflow } from '../../dev/harness/engine';
import type { SpotMeEmulator } from '../../dev/emulators/spotme';
import { spotMeCredentials, standardSeed, startScaledSpotMe } from './emulator-setup';

const webinar = { __rl: true, mode: 'id', value: 'ws-webinar' };
// ws-webinar ends 2026-03-01T16:00:00Z (standardSeed); the grace period defaults to 30 minutes.
const GRACE_NOT_OVER = '2026-03-01T16:29:59.000Z';
const GRACE_OVER = '2026-03-01T16:30:00.000Z';

const seed = {
	...standardSeed,
	people: [
		{
			workspaceId: 'ws-webinar',
			_id: 'p-ada',
			fname: 'Ada',
			lname: 'Lovelace',
			email: 'ada@example.test',
			marketo_lead_id: '1001',
		},
		{
			workspaceId: 'ws-webinar',
			_id: 'p-alan',
			fname: 'Alan',
			lname: 'Turing',
			email: 'alan@example.test',
			marketo_lead_id: '1002',
		},
		{
			workspaceId: 'ws-webinar',
			_id: 'p-grace',
			fname: 'Grace',
			lname: 'Hopper',
			email: 'grace@example.test',
			registration: 'invited' as const,
		},
		{
			workspaceId: 'ws-webinar',
			_id: 'p-linus',
			fname: 'Linus',
			lname: 'T',
			email: 'linus@example.test',
			registration: 'cancelled' as const,
		},
		{
			workspaceId: 'ws-webinar',
			_id: 'p-kat',
			fname: 'Kat',
			lname: 'Johnson',
			email: 'kat@example.test',
		},
		{
			workspaceId: 'ws-webinar',
			_id: 'p-vod',
			fname: 'Val',
			lname: 'Od',
			email: 'val@example.test',
		},
	],
	docs: {
		'ws-webinar': {
			stream_attendance: [
				{ _id: 'a1', fp_owner: 'p-ada', parent_doc_id: 'main', live_watch_time: 30 },
				{ _id: 'a2', fp_owner: 'p-ada', parent_doc_id: 'qa', live_watch_time: 12.5 },
				{ _id: 'a3', fp_owner: 'p-alan', parent_doc_id: 'main', live_watch_time: 0.5 },
				{
					_id: 'a4',
					fp_owner: 'p-vod',
					parent_doc_id: 'main',
					live_watch_time: 0,
					vod_watch_time: 20,
				},
			],
			event_attendance: [{ _id: 'e1', fp_owner: 'p-kat', checked_in: true }],
		},
	},
};

describe('SpotMe node › Attendance › Apply Attendance Criteria', () => {
	let emu: SpotMeEmulator;
	let people: IDataObject[];
	let attendance: IDataObject[];

	beforeAll(async () => (emu = await startScaledSpotMe()));
	afterAll(async () => emu.stop());
	beforeEach(async () => {
		emu.reset();
		emu.seed(seed);
		// What an n8n workflow would merge: people (Person › Get Changes Since) + their attendance.
		const read = async (parameters: INodeParameters) => {
			const { items, error } = await runNode({
				type: 'spotMe',
				parameters,
				...spotMeCredentials(emu),
			});
			expect(error).toBeUndefined();
			return items.map((i) => i.json);
		};
		people = await read({
			resource: 'person',
			operation: 'getChanges',
			workspaceId: webinar,
			returnAll: true,
		});
		attendance = [
			...(await read({
				resource: 'attendance',
				operation: 'getAll',
				workspaceId: webinar,
				returnAll: true,
			})),
			...(await read({
				resource: 'attendance',
				operation: 'getAll',
				workspaceId: webinar,
				level: 'event',
				returnAll: true,
			})),
		];
		expect(people).toHaveLength(6);
		expect(attendance).toHaveLength(5);
	});

	async function judge(
		now: string,
		extra: Record<string, unknown> = {},
		items = [...people, ...attendance],
		continueOnFail = false,
	) {
		const creds = spotMeCredentials(emu);
		const result = await runNode({
			type: 'spotMe',
			parameters: { resource: 'attendance', operation: 'computeStatus', now, ...extra },
			items,
			continueOnFail,
			...creds,
		});
		return result;
	}

	function byPerson(items: Array<{ json: IDataObject }>) {
		return Object.fromEntries(items.map((i) => [i.json.spotMeUserId, i.json]));
	}

	it('judges every person once, rule by rule, reading the event end from the workspace once', async () => {
		const before = emu.requestLog().length;
		const stateBefore = JSON.stringify(emu.state.dump());
		const { items, error } = await judge(GRACE_OVER);
		expect(error).toBeUndefined();
		const r = byPerson(items);
		expect(Object.keys(r)).toEqual(['p-ada', 'p-alan', 'p-grace', 'p-linus', 'p-kat', 'p-vod']);
		expect(r['p-ada']).toMatchObject({
			attendanceStatus: 'Attended',
			attendanceRule: 'liveWatchTime',
			attendanceType: 'virtual',
			liveWatchTime: 42.5,
			streamCount: 2,
			marketoLeadId: '1001',
			spotMeWorkspaceId: 'ws-webinar',
			eventEnd: '2026-03-01T16:00:00.000Z',
		});
		expect(r['p-alan']).toMatchObject({
			attendanceStatus: 'No show',
			attendanceRule: 'noShow',
			liveWatchTime: 0.5,
		});
		expect(r['p-alan'].attendanceReason).toMatch(/watched only 0.5 min live/);
		expect(r['p-grace']).toMatchObject({ attendanceStatus: 'Invited', attendanceRule: 'invited' });
		expect(r['p-linus']).toMatchObject({
			attendanceStatus: 'Cancelled',
			attendanceRule: 'cancelled',
		});
		expect(r['p-kat']).toMatchObject({
			attendanceStatus: 'Attended',
			attendanceRule: 'checkIn',
			attendanceType: 'in-person',
		});
		expect(r['p-vod']).toMatchObject({
			attendanceStatus: 'Attended',
			attendanceRule: 'onDemandWatchTime',
		});
		// Ada's result pairs with her person item and both of her stream records.
		const adaItems = [people.findIndex((p) => p._id === 'p-ada'), 6, 7];
		expect(items[0].pairedItem).toEqual(adaItems.map((item) => ({ item })));
		// People carry no workspace; they belong to the one workspace their attendance names.
		expect(r['p-grace'].spotMeWorkspaceId).toBe('ws-webinar');
		// One read of the workspace for everyone (after GET /me: the fresh credential is verified once),
		// and nothing written to SpotMe.
		expect(
			emu
				.requestLog()
				.slice(before)
				.map((e) => `${e.method} ${e.path}`),
		).toEqual(['GET /me', 'GET /workspace/ws-webinar']);
		expect(JSON.stringify(emu.state.dump())).toBe(stateBefore);
	});

	it('one second before the grace period ends, a registered person without attendance is still Registered', async () => {
		const r = byPerson((await judge(GRACE_NOT_OVER)).items);
		expect(r['p-alan']).toMatchObject({
			attendanceStatus: 'Registered',
			attendanceRule: 'registered',
		});
		expect(r['p-alan'].attendanceReason).toMatch(
			/grace period runs until 2026-03-01T16:30:00.000Z/,
		);
		expect(r['p-ada'].attendanceStatus).toBe('Attended');
	});

	it('thresholds are parameters: N = 45 min live and on-demand switched off', async () => {
		const r = byPerson(
			(await judge(GRACE_OVER, { liveWatchMinutes: 45, onDemandCounts: false })).items,
		);
		expect(r['p-ada']).toMatchObject({ attendanceStatus: 'No show' });
		expect(r['p-vod']).toMatchObject({ attendanceStatus: 'No show' });
		expect(r['p-kat']).toMatchObject({ attendanceStatus: 'Attended' });
		const exactly = byPerson((await judge(GRACE_OVER, { liveWatchMinutes: 42.5 })).items);
		expect(exactly['p-ada']).toMatchObject({
			attendanceStatus: 'Attended',
			attendanceRule: 'liveWatchTime',
		});
	});

	it('a longer grace period and a manual event end are honoured without reading the workspace', async () => {
		const r = byPerson(
			(
				await judge('2026-03-01T17:00:00.000Z', {
					eventEndSource: 'value',
					eventEnd: '2026-03-01T16:00:00.000Z',
					noShowGraceMinutes: 61,
				})
			).items,
		);
		expect(r['p-alan'].attendanceStatus).toBe('Registered');
		expect(emu.requestLog().filter((e) => e.path === '/workspace/ws-webinar')).toHaveLength(0);
	});

	it('outputs only spotMeEventAttendance_c fields plus the lead id when asked', async () => {
		const { items } = await judge(GRACE_OVER, { options: { outputFields: 'customObject' } });
		expect(items[0].json).toEqual({
			marketoLeadId: '1001',
			spotMeUserId: 'p-ada',
			spotMeWorkspaceId: 'ws-webinar',
			attendanceType: 'virtual',
			attendanceStatus: 'Attended',
		});
	});

	it('a person whose workspace cannot be told becomes an error item, the others are judged', async () => {
		const input = [
			{ _id: 'p-nowhere', fp_status: 'active' },
			...attendance,
			{ _id: 'p-summit', spotMeWorkspaceId: 'ws-summit' },
		];
		const { items, error } = await judge(GRACE_OVER, {}, input, true);
		expect(error).toBeUndefined();
		expect(items[0]).toEqual({
			json: expect.objectContaining({
				spotMeUserId: 'p-nowhere',
				error: expect.stringMatching(/has no workspace/),
			}),
			pairedItem: { item: 0 },
		});
		expect(byPerson(items.slice(1))['p-summit']).toMatchObject({
			attendanceStatus: 'Registered',
			eventEnd: '2026-06-01T18:00:00.000Z',
		});
		expect(items.slice(1).every((i) => !i.json.error)).toBe(true);
	});

	it('Options > Workspace ID places people that name none', async () => {
		const { items } = await judge(GRACE_OVER, { options: { workspaceId: 'ws-webinar' } }, people);
		expect(byPerson(items)['p-alan']).toMatchObject({
			spotMeWorkspaceId: 'ws-webinar',
			attendanceStatus: 'No show',
		});
	});

	it('chained after Person › Get Changes Since, it reads the attendance itself: people in, statuses out', async () => {
		const { credentialsHelper, credentials } = spotMeCredentials(emu);
		const result = await runWorkflow(
			{
				nodes: [
					{ name: 'Start', type: 'test.items', parameters: { items: '[{}]' } },
					{
						name: 'Changed people',
						type: `${PACKAGE_NAME}.spotMe`,
						parameters: {
							resource: 'person',
							operation: 'getChanges',
							workspaceId: webinar,
							returnAll: true,
						},
						credentials,
					},
					{
						name: 'Criteria',
						type: `${PACKAGE_NAME}.spotMe`,
						parameters: {
							resource: 'attendance',
							operation: 'computeStatus',
							now: GRACE_OVER,
							options: {
								readAttendance: true,
								workspaceId: 'ws-webinar',
								outputFields: 'customObject',
							},
						},
						credentials,
					},
				],
				connections: {
					Start: { main: [[{ node: 'Changed people', type: 'main' as never, index: 0 }]] },
					'Changed people': { main: [[{ node: 'Criteria', type: 'main' as never, index: 0 }]] },
				},
			},
			credentialsHelper,
		);
		expect(result.error).toBeUndefined();
		const out = result.output('Criteria');
		expect(
			out.map((i) => [i.json.spotMeUserId, i.json.attendanceStatus, i.json.attendanceType]),
		).toEqual([
			['p-ada', 'Attended', 'virtual'],
			['p-alan', 'No show', ''],
			['p-grace', 'Invited', ''],
			['p-linus', 'Cancelled', ''],
			['p-kat', 'Attended', 'in-person'],
			['p-vod', 'Attended', 'virtual'],
		]);
		// Each result pairs with its person item only.
		expect(out.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3, 4, 5].map((item) => ({ item })));
		expect(out[0].json).toEqual({
			marketoLeadId: '1001',
			spotMeUserId: 'p-ada',
			spotMeWorkspaceId: 'ws-webinar',
			attendanceType: 'virtual',
			attendanceStatus: 'Attended',
		});
	});

	it('when reading the attendance fails, each person becomes an error item (Continue on Fail), never a "No show"', async () => {
		const criteria = {
			resource: 'attendance',
			operation: 'computeStatus',
			now: GRACE_OVER,
			options: { readAttendance: true, workspaceId: 'ws-webinar' },
		};
		emu.setFaults([
			{ path: '/event_attendance/changes/since', status: 500, body: { error: 'boom' }, times: -1 },
		]);
		const soft = await runNode({
			type: 'spotMe',
			parameters: criteria,
			items: people,
			continueOnFail: true,
			...spotMeCredentials(emu),
		});
		expect(soft.error).toBeUndefined();
		expect(soft.items).toHaveLength(6);
		expect(soft.items.map((i) => i.pairedItem)).toEqual(
			[0, 1, 2, 3, 4, 5].map((item) => ({ item })),
		);
		expect(soft.items.every((i) => /SpotMe answered 500/.test(String(i.json.error)))).toBe(true);
		expect(soft.items.some((i) => i.json.attendanceStatus !== undefined)).toBe(false);

		const hard = await runNode({
			type: 'spotMe',
			parameters: criteria,
			items: people,
			...spotMeCredentials(emu),
		});
		expect(hard.error?.message).toMatch(/SpotMe answered 500/);
	});

	it('after the event, an attendance source that returns nothing (misnamed document types) stops the node naming the workspace, the types and the settings, instead of making everyone a No show; the option allows it', async () => {
		const criteria = (options: IDataObject, now = GRACE_OVER) => ({
			type: 'spotMe' as const,
			parameters: {
				resource: 'attendance',
				operation: 'computeStatus',
				now,
				options: {
					readAttendance: true,
					workspaceId: 'ws-webinar',
					sessionDocumentType: 'stream_attendence',
					eventDocumentType: 'event_checkins',
					...options,
				},
			},
			items: people,
			...spotMeCredentials(emu),
		});
		const stopped = await runNode(criteria({}));
		expect(stopped.items).toHaveLength(0);
		expect(stopped.error?.message).toBe(
			'No attendance found in SpotMe workspace ws-webinar (document types "stream_attendence" and "event_checkins" returned 0 documents) after the event ended at 2026-03-01T16:00:00.000Z: every registered person would become a No show',
		);
		expect(String(stopped.error?.description)).toMatch(
			/Stream Document Type and Event Document Type.*Allow Empty Attendance/,
		);
		// Continue on Fail does not turn a wrong setting into a run of No shows either: every person
		// becomes an error item saying why (none passed on as if judged).
		const soft = await runNode({ ...criteria({}), continueOnFail: true });
		expect(soft.items).toHaveLength(people.length);
		for (const item of soft.items) {
			expect(String(item.json.error)).toMatch(
				/^No attendance found in SpotMe workspace ws-webinar/,
			);
			expect(item.json.attendanceStatus).toBeUndefined();
		}

		// Before the cut-off nobody becomes a No show, so there is nothing to guard.
		const early = await runNode(criteria({}, GRACE_NOT_OVER));
		expect(early.error).toBeUndefined();
		expect(early.items.map((i) => i.json.attendanceStatus)).not.toContain('No show');

		// Allowed explicitly (nobody attended): judged as usual.
		const allowed = await runNode(criteria({ allowEmptyAttendance: true }));
		expect(allowed.error).toBeUndefined();
		expect(allowed.items.find((i) => i.json.spotMeUserId === 'p-ada')?.json.attendanceStatus).toBe(
			'No show',
		);
	});

	it("with combining off, each attendance document read from SpotMe pairs with its own person's item", async () => {
		const { items, error } = await runNode({
			type: 'spotMe',
			parameters: {
				resource: 'attendance',
				operation: 'computeStatus',
				now: GRACE_OVER,
				options: { readAttendance: true, workspaceId: 'ws-webinar', combine: false },
			},
			items: people,
			...spotMeCredentials(emu),
		});
		expect(error).toBeUndefined();
		const itemOf = new Map(people.map((p, i) => [String(p._id ?? p.spotMeUserId), i]));
		const fromDocs = items.slice(people.length);
		expect(fromDocs.map((i) => i.json.spotMeUserId).sort()).toEqual([
			'p-ada',
			'p-ada',
			'p-alan',
			'p-kat',
			'p-vod',
		]);
		for (const item of fromDocs)
			expect(item.pairedItem).toEqual({ item: itemOf.get(String(item.json.spotMeUserId)) });
	});

	it('an unreadable Now or a negative threshold is refused, naming the parameter', async () => {
		expect((await judge('soon')).error?.message).toBe(
			'Now "soon" is not a date and time (use ISO 8601, e.g. 2026-05-12T18:00:00Z)',
		);
		expect((await judge(GRACE_OVER, { noShowGraceMinutes: -5 })).error?.message).toBe(
			'No-Show Grace Period (Minutes) must be a number of minutes, 0 or more',
		);
	});

	it('with combining off, every item is judged on its own', async () => {
		const { items } = await judge(
			GRACE_OVER,
			{ options: { combine: false } },
			attendance.slice(0, 2),
		);
		expect(
			items.map((i) => [
				i.json.spotMeUserId,
				i.json.liveWatchTime,
				i.json.attendanceStatus,
				i.pairedItem,
			]),
		).toEqual([
			['p-ada', 30, 'Attended', { item: 0 }],
			['p-ada', 12.5, 'Attended', { item: 1 }],
		]);
	});

	it('an item naming no person is refused, naming the field', async () => {
		const { error } = await judge(GRACE_OVER, {}, [{ liveWatchTime: 3 }]);
		expect(error?.message).toMatch(/^Item 0: No "User ID" column/);
	});
});
