/**
 * The SpotMe node's Attendance resource, run through n8n's engine against the SpotMe emulator.
 */
import type { IDataObject } from 'n8n-workflow';
import { PACKAGE_NAME, runNode, runWorkflow } from '../../dev/harness/engine';
import type { SpotMeEmulator } from '../../dev/emulators/spotme';
import { spotMeCredentials, standardSeed, startScaledSpotMe } from './emulator-setup';

const summit = { __rl: true, mode: 'id', value: 'ws-summit' };

/** Per-stream attendance documents as we assume SpotMe stores them (fp_owner / parent_doc_id). */
const streamDocs = [
	{
		_id: 'att-1',
		fp_owner: 'p-ada',
		parent_doc_id: 'keynote',
		stream_name: 'Keynote',
		live_watch_time: 42.5,
		live_clap_count: 3,
		vod_watch_time: 0,
		vod_clap_count: 0,
		questions_asked: 1,
		marketo_lead_id: 1001,
	},
	{
		_id: 'att-2',
		fp_owner: 'p-alan',
		parent_doc_id: 'keynote',
		stream_name: 'Keynote',
		live_watch_time: 0.5,
		live_clap_count: 0,
		questions_asked: 0,
	},
	{
		_id: 'att-3',
		fp_owner: 'p-ada',
		parent_doc_id: 'panel',
		stream_name: 'Panel',
		live_watch_time: '00:10:30',
		vod_watch_time: 4,
		vod_clap_count: 2,
		marketo_lead_id: 1001,
	},
];

function params(operation: string, extra: Record<string, unknown> = {}) {
	return { resource: 'attendance', operation, workspaceId: summit, ...extra };
}

describe('SpotMe node › Attendance', () => {
	let emu: SpotMeEmulator;
	beforeAll(async () => (emu = await startScaledSpotMe()));
	afterAll(async () => emu.stop());
	beforeEach(() => {
		emu.reset();
		emu.seed({ ...standardSeed, docs: { 'ws-summit': { stream_attendance: streamDocs } } });
	});

	describe('Get Many (document store)', () => {
		it('reads every per-stream attendance document, normalised to spotMeAttendance_c, and writes nothing', async () => {
			const before = JSON.stringify(emu.state.dump().docs);
			const { items, error } = await runNode({
				type: 'spotMe',
				parameters: params('getAll', { returnAll: true }),
				...spotMeCredentials(emu),
			});
			expect(error).toBeUndefined();
			expect(items.map((i) => i.json)).toEqual([
				{
					spotMeUserId: 'p-ada',
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
				expect.objectContaining({ spotMeUserId: 'p-alan', attended: false, liveWatchTime: 0.5 }),
				expect.objectContaining({
					spotMeUserId: 'p-ada',
					spotMeStreamId: 'panel',
					liveWatchTime: 10.5,
					vodWatchTime: 4,
					vodClapCount: 2,
				}),
			]);
			expect(items.every((i) => JSON.stringify(i.pairedItem) === JSON.stringify({ item: 0 }))).toBe(
				true,
			);
			const routes = emu.requestLog().map((e) => `${e.method} ${e.path}`);
			// GET /me: the fresh credential is verified once (its preAuthentication), before the read.
			expect(routes).toEqual([
				'GET /me',
				'POST /workspace/ws-summit/global/docs/stream_attendance/changes/since',
			]);
			expect(JSON.stringify(emu.state.dump().docs)).toBe(before);
		});

		it('honours Limit and the custom object field set', async () => {
			const { items } = await runNode({
				type: 'spotMe',
				parameters: params('getAll', {
					returnAll: false,
					limit: 2,
					options: { outputFields: 'customObject' },
				}),
				...spotMeCredentials(emu),
			});
			expect(items).toHaveLength(2);
			expect(Object.keys(items[0].json).sort()).toEqual(
				[
					'attended',
					'liveClapCount',
					'liveWatchTime',
					'marketoLeadId',
					'questionsAsked',
					'spotMeStreamId',
					'spotMeStreamName',
					'spotMeUserId',
					'spotMeWorkspaceId',
					'spotMeWorkspaceStreamId',
					'vodClapCount',
					'vodWatchTime',
				].sort(),
			);
		});

		it('reads event-level attendance from the document type the user names', async () => {
			emu.seed({
				docs: {
					'ws-summit': {
						checkins_v2: [
							{ _id: 'e1', user_id: 'p-ada', checked_in: true, attendance_type: 'In person' },
							{ _id: 'e2', user_id: 'p-alan', checked_in: 'No' },
						],
					},
				},
			});
			const { items, error } = await runNode({
				type: 'spotMe',
				parameters: params('getAll', {
					level: 'event',
					eventDocumentType: 'checkins_v2',
					returnAll: true,
				}),
				...spotMeCredentials(emu),
			});
			expect(error).toBeUndefined();
			expect(
				items.map((i) => [i.json.spotMeUserId, i.json.checkedIn, i.json.attendanceType]),
			).toEqual([
				['p-ada', true, 'in-person'],
				['p-alan', false, ''],
			]);
			// [0] is GET /me: the fresh credential is verified once before the read.
			expect(emu.requestLog()[1].path).toBe(
				'/workspace/ws-summit/global/docs/checkins_v2/changes/since',
			);
		});

		it('a document it cannot read becomes an error item naming the document and the field', async () => {
			emu.seed({
				docs: {
					'ws-summit': {
						stream_attendance: [{ _id: 'att-bad', fp_owner: 'p-x', live_watch_time: 'lots' }],
					},
				},
			});
			const { items, error } = await runNode({
				type: 'spotMe',
				parameters: params('getAll', { returnAll: true }),
				continueOnFail: true,
				...spotMeCredentials(emu),
			});
			expect(error).toBeUndefined();
			expect(items).toHaveLength(4);
			const bad = items.find((i) => i.json.error);
			expect(bad?.json).toMatchObject({
				documentId: 'att-bad',
				documentType: 'stream_attendance',
				column: 'live_watch_time',
			});
			expect(bad?.json.error).toBe(
				'Document "att-bad" of type "stream_attendance": Column "live_watch_time": "lots" is not a duration',
			);
			expect(bad?.pairedItem).toEqual({ item: 0 });

			const stopped = await runNode({
				type: 'spotMe',
				parameters: params('getAll', { returnAll: true }),
				...spotMeCredentials(emu),
			});
			expect(stopped.error?.message).toMatch(/att-bad.*not a duration/);
		});

		it('429 answers in the middle of reading are waited out and nothing is lost', async () => {
			emu.setFaults([{ path: 'changes/since', status: 429, retryAfter: 0.01, times: 3 }]);
			const { items, error } = await runNode({
				type: 'spotMe',
				parameters: params('getAll', { returnAll: true, options: { addLeadId: true } }),
				...spotMeCredentials(emu),
			});
			expect(error).toBeUndefined();
			expect(items.map((i) => i.json.spotMeUserId)).toEqual(['p-ada', 'p-alan', 'p-ada']);
			expect(emu.requestLog().filter((e) => e.status === 429)).toHaveLength(3);
		});

		it('an unknown workspace is reported as such, as an error item when continuing on fail', async () => {
			const { items } = await runNode({
				type: 'spotMe',
				parameters: params('getAll', { workspaceId: { __rl: true, mode: 'id', value: 'ws-nope' } }),
				continueOnFail: true,
				...spotMeCredentials(emu),
			});
			expect(items).toEqual([
				{
					json: expect.objectContaining({ error: 'Workspace ws-nope not found' }),
					pairedItem: { item: 0 },
				},
			]);
		});
	});

	describe('Marketo lead IDs', () => {
		beforeEach(() =>
			emu.seed({
				people: [
					{
						workspaceId: 'ws-summit',
						_id: 'p-alan',
						fname: 'Alan',
						lname: 'Turing',
						email: 'alan@example.test',
						marketo_lead_id: '2002',
					},
					{
						workspaceId: 'ws-summit',
						_id: 'p-ada',
						fname: 'Ada',
						lname: 'L',
						email: 'ada@example.test',
						marketo_lead_id: '9999',
						crm_id: 'L-1',
					},
				],
			}),
		);

		it('adds each person’s lead ID from their person document, reading the people once', async () => {
			const { items, error } = await runNode({
				type: 'spotMe',
				parameters: params('getAll', { returnAll: true, options: { addLeadId: true } }),
				...spotMeCredentials(emu),
			});
			expect(error).toBeUndefined();
			// Alan's comes from his person; Ada's attendance documents state their own (1001), which wins.
			expect(items.map((i) => [i.json.spotMeUserId, i.json.marketoLeadId])).toEqual([
				['p-ada', '1001'],
				['p-alan', '2002'],
				['p-ada', '1001'],
			]);
			expect(emu.requestLog().map((e) => e.path)).toEqual([
				'/me', // the fresh credential is verified once
				'/workspace/ws-summit/global/docs/stream_attendance/changes/since',
				'/workspace/ws-summit/global/docs/person/changes/since',
			]);
		});

		it('reads the lead ID from another person field, and can leave out people without one', async () => {
			const { items } = await runNode({
				type: 'spotMe',
				parameters: params('normalizeReport', {
					reportWorkspaceId: 'ws-summit',
					options: { addLeadId: true, leadIdField: 'crm_id', onlyWithLeadId: true },
				}),
				items: [
					{ 'User ID': 'p-ada', 'Live watch time': '5' },
					{ 'User ID': 'p-alan', 'Live watch time': '5' },
				],
				...spotMeCredentials(emu),
			});
			expect(items.map((i) => [i.json.spotMeUserId, i.json.marketoLeadId, i.pairedItem])).toEqual([
				['p-ada', 'L-1', { item: 0 }],
			]);
		});
	});

	describe('Get Changes Since', () => {
		const nodeName = 'Attendance changes';
		async function runChanges(staticData: IDataObject, extra: Record<string, unknown> = {}) {
			const { credentialsHelper, credentials } = spotMeCredentials(emu);
			const result = await runWorkflow(
				{
					nodes: [
						{ name: 'Items', type: 'test.items', parameters: { items: '[{}]' } },
						{
							name: nodeName,
							type: `${PACKAGE_NAME}.spotMe`,
							parameters: params('getChanges', extra),
							credentials,
						},
					],
					connections: { Items: { main: [[{ node: nodeName, type: 'main' as never, index: 0 }]] } },
					staticData,
				},
				credentialsHelper,
			);
			expect(result.error).toBeUndefined();
			return result.output(nodeName);
		}

		it('with the position remembered, the next run returns only what changed since', async () => {
			const staticData: IDataObject = {};
			const first = await runChanges(staticData, { options: { keepCursor: true } });
			expect(first.map((i) => i.json.spotMeUserId)).toEqual(['p-ada', 'p-alan', 'p-ada']);
			expect(JSON.stringify(staticData)).toContain('attendanceCursor:ws-summit:stream_attendance');

			const again = await runChanges(staticData, { options: { keepCursor: true } });
			expect(again).toHaveLength(0);

			// Alan watches more of the keynote; a new person watches the panel.
			emu.state.upsert('ws-summit', 'stream_attendance', { _id: 'att-2', live_watch_time: 12 });
			emu.state.upsert('ws-summit', 'stream_attendance', {
				_id: 'att-4',
				fp_owner: 'p-grace',
				parent_doc_id: 'panel',
				live_watch_time: 3,
			});
			const third = await runChanges(staticData, { options: { keepCursor: true } });
			expect(
				third.map((i) => [i.json.spotMeUserId, i.json.liveWatchTime, i.json.attended]),
			).toEqual([
				['p-alan', 12, true],
				['p-grace', 3, true],
			]);
		});

		it('a run stopped by an unreadable document keeps the old position, so the next run reads it again', async () => {
			const staticData: IDataObject = {};
			await runChanges(staticData, { options: { keepCursor: true } });
			const kept = JSON.stringify(staticData);
			emu.state.upsert('ws-summit', 'stream_attendance', {
				_id: 'att-5',
				fp_owner: 'p-x',
				live_watch_time: 4,
			});
			emu.state.upsert('ws-summit', 'stream_attendance', {
				_id: 'att-6',
				fp_owner: 'p-y',
				live_watch_time: 'n/a?',
			});
			const { credentialsHelper, credentials } = spotMeCredentials(emu);
			const failed = await runWorkflow(
				{
					nodes: [
						{ name: 'Items', type: 'test.items', parameters: { items: '[{}]' } },
						{
							name: nodeName,
							type: `${PACKAGE_NAME}.spotMe`,
							parameters: params('getChanges', { options: { keepCursor: true } }),
							credentials,
						},
					],
					connections: { Items: { main: [[{ node: nodeName, type: 'main' as never, index: 0 }]] } },
					staticData,
				},
				credentialsHelper,
			);
			expect(failed.error?.message).toMatch(/att-6/);
			expect(JSON.stringify(staticData)).toBe(kept);
			// Fixed in SpotMe: the next run reads both documents.
			emu.state.upsert('ws-summit', 'stream_attendance', { _id: 'att-6', live_watch_time: 2 });
			const next = await runChanges(staticData, { options: { keepCursor: true } });
			expect(next.map((i) => i.json.spotMeUserId)).toEqual(['p-x', 'p-y']);
		});

		it('without remembering, Since decides, and nothing is stored', async () => {
			const staticData: IDataObject = {};
			const cut = new Date(Date.now() + 5).toISOString();
			await new Promise((r) => setTimeout(r, 10));
			emu.state.upsert('ws-summit', 'stream_attendance', { _id: 'att-1', live_watch_time: 50 });
			const items = await runChanges(staticData, { since: cut });
			expect(items.map((i) => [i.json.spotMeUserId, i.json.liveWatchTime])).toEqual([
				['p-ada', 50],
			]);
			expect(JSON.stringify(staticData)).not.toContain('attendanceCursor');
			const sent = emu.requestLog()[1]; // [0] is GET /me: the fresh credential is verified once
			expect(sent.route).toBe('POST /workspace/:eid/global/docs/:type/changes/since');
		});

		it('refuses a Since that is not a time, naming the parameter', async () => {
			const { error } = await runNode({
				type: 'spotMe',
				parameters: params('getChanges', { since: 'yesterday-ish' }),
				...spotMeCredentials(emu),
			});
			expect(error?.message).toBe('Since "yesterday-ish" is not a date and time');
			expect(emu.callCounts().total).toBe(0);
		});
	});
});
