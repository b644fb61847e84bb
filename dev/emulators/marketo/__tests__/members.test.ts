import { startMarketoEmulator, seedPresets, type MarketoEmulator } from '../index';
import { client, codeOf } from './helpers';

describe('Marketo emulator: program members', () => {
	let emu: MarketoEmulator;
	let c: ReturnType<typeof client>;
	const P = 1002; // 'SpotMe Summit 2026', channel 'Live Event'
	beforeEach(async () => {
		emu = await startMarketoEmulator({ seed: seedPresets.spotme() });
		c = client(emu);
	});
	afterEach(() => emu.stop());

	const status = (statusName: string, leadIds: number[]) =>
		c.post(`/rest/v1/programs/${P}/members/status.json`, {
			statusName,
			input: leadIds.map((leadId) => ({ leadId })),
		});

	it('creates members with a status and moves them forward along the channel steps', async () => {
		const r = await status('Registered', [3]);
		expect(r.body.result).toEqual([{ seq: 0, status: 'created', leadId: 3 }]);
		const fwd = await status('Attended', [3]);
		expect(fwd.body.result).toEqual([{ seq: 0, status: 'updated', leadId: 3 }]);
		const m = emu.state.members.get(P)!.get(3)!;
		expect(m.statusName).toBe('Attended');
		expect(m.reachedSuccess).toBe(true);
	});

	it('skips a backwards move with 1037 and allows a move to another status of the same step', async () => {
		await status('Attended', [1]);
		const back = await status('Registered', [1, 2]);
		expect(back.body.result).toEqual([
			{
				seq: 0,
				status: 'skipped',
				leadId: 1,
				reasons: [
					{ code: '1037', message: 'Lead skipped because it is already in or past this status' },
				],
			},
			{ seq: 1, status: 'updated', leadId: 2 },
		]);
		expect(emu.state.members.get(P)!.get(1)!.statusName).toBe('Attended');
		const same = await status('Attended On-demand', [1]);
		expect(same.body.result[0].status).toBe('updated');
		expect(emu.state.members.get(P)!.get(1)!.statusName).toBe('Attended On-demand');
	});

	it('fails the call with 1025 for a status that is not in the program channel', async () => {
		const r = await status('Cancelled', [1]);
		expect(codeOf(r)).toBe('1025');
		expect(emu.state.members.get(P)!.get(1)!.statusName).toBe('Registered');
	});

	it('member-data sync writes custom fields of members and skips non-members with 1013', async () => {
		const r = await c.post(`/rest/v1/programs/${P}/members.json`, {
			input: [
				{ leadId: 1, spotme_login_url: 'https://spotme/login/1' },
				{ leadId: 3, spotme_login_url: 'https://spotme/login/3' },
			],
		});
		expect(r.body.result).toEqual([
			{ seq: 0, status: 'updated', leadId: 1 },
			{
				seq: 1,
				status: 'skipped',
				leadId: 3,
				reasons: [{ code: '1013', message: 'Membership not found' }],
			},
		]);
		expect(emu.state.members.get(P)!.get(1)!.spotme_login_url).toBe('https://spotme/login/1');
		const unknown = await c.post(`/rest/v1/programs/${P}/members.json`, {
			input: [{ leadId: 1, nope: 'x' }],
		});
		expect(unknown.body.result[0].reasons[0].code).toBe('1006');
	});

	it('gets members by filter with fields incl. statusName and custom fields, paging with nextPageToken', async () => {
		await c.post(`/rest/v1/programs/${P}/members.json`, {
			input: [{ leadId: 1, spotme_login_url: 'u1' }],
		});
		const def = await c.get(`/rest/v1/programs/${P}/members.json`, {
			filterType: 'leadId',
			filterValues: '1,2',
		});
		expect(Object.keys(def.body.result[0]).sort()).toEqual([
			'acquiredBy',
			'leadId',
			'membershipDate',
			'programId',
			'reachedSuccess',
			'seq',
		]);
		const r = await c.get(`/rest/v1/programs/${P}/members.json`, {
			filterType: 'leadId',
			filterValues: '1,2',
			fields: 'leadId,statusName,spotme_login_url',
			batchSize: 1,
		});
		expect(r.body.result).toEqual([
			{ seq: 0, leadId: 1, statusName: 'Registered', spotme_login_url: 'u1' },
		]);
		expect(r.body.moreResult).toBe(true);
		const r2 = await c.get(`/rest/v1/programs/${P}/members.json`, {
			filterType: 'leadId',
			filterValues: '1,2',
			fields: 'leadId,statusName',
			batchSize: 1,
			nextPageToken: r.body.nextPageToken,
		});
		expect(r2.body.result).toEqual([{ seq: 1, leadId: 2, statusName: 'Invited' }]);
		const byStatus = await c.get(`/rest/v1/programs/${P}/members.json`, {
			filterType: 'statusName',
			filterValues: 'Invited',
			fields: 'leadId',
		});
		expect(byStatus.body.result.map((m: any) => m.leadId)).toEqual([2]);
	});

	it('deletes members; a non-member is skipped', async () => {
		const r = await c.post(`/rest/v1/programs/${P}/members/delete.json`, {
			input: [{ leadId: 1 }, { leadId: 3 }],
		});
		expect(r.body.result[0]).toEqual({ seq: 0, status: 'deleted', leadId: 1 });
		expect(r.body.result[1].status).toBe('skipped');
		expect(emu.state.members.get(P)!.has(1)).toBe(false);
	});

	it('describes program members and manages member schema fields', async () => {
		const d = await c.get('/rest/v1/programs/members/describe.json');
		expect(d.body.result[0]).toMatchObject({
			name: 'API Program Membership',
			dedupeFields: ['leadId', 'programId'],
		});
		const names = d.body.result[0].fields.map((f: any) => f.name);
		expect(names).toEqual(
			expect.arrayContaining(['statusName', 'spotme_login_url', 'reachedSuccess']),
		);
		expect(d.body.result[0].fields.find((f: any) => f.name === 'spotme_login_url').updateable).toBe(
			true,
		);
		const created = await c.post('/rest/v1/programs/members/schema/fields.json', {
			input: [{ name: 'sessionCount', displayName: 'Session count', dataType: 'integer' }],
		});
		expect(created.body.result).toEqual([{ name: 'sessionCount', status: 'created' }]);
		const one = await c.get('/rest/v1/programs/members/schema/fields/sessionCount.json');
		expect(one.body.result[0]).toMatchObject({
			name: 'sessionCount',
			dataType: 'integer',
			isCustom: true,
		});
		const w = await c.post(`/rest/v1/programs/${P}/members.json`, {
			input: [{ leadId: 2, sessionCount: 3 }],
		});
		expect(w.body.result[0].status).toBe('updated');
		// 2 custom fields exist now; the 21st is refused
		const many = Array.from({ length: 19 }, (_, i) => ({
			name: `extra${i}`,
			displayName: `Extra ${i}`,
			dataType: 'string',
		}));
		const r = await c.post('/rest/v1/programs/members/schema/fields.json', { input: many });
		expect(r.body.result.filter((x: any) => x.status === 'created')).toHaveLength(18);
		expect(r.body.result[18].reasons[0].code).toBe('1028');
	});

	it('records a status-change activity (104) for each status change', async () => {
		await status('Attended', [1]);
		const acts = emu.state.activities.filter((a) => a.activityTypeId === 104);
		expect(acts).toHaveLength(1);
		expect(acts[0].attributes).toEqual(
			expect.arrayContaining([
				{ name: 'New Status', value: 'Attended' },
				{ name: 'Old Status', value: 'Registered' },
			]),
		);
	});
});
