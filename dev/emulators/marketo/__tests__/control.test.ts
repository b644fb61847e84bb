import { startMarketoEmulator, seedPresets, type MarketoEmulator } from '../index';
import { client, codeOf, fetchAny as fetch } from './helpers';

const DESCRIBE = '/rest/v1/leads/describe2.json';

describe('Marketo emulator: control API, request log and fault injection', () => {
	let emu: MarketoEmulator;
	beforeEach(async () => {
		emu = await startMarketoEmulator();
	});
	afterEach(() => emu.stop());

	it('logs every call with method, path, status and Marketo code, and counts calls per endpoint', async () => {
		const c = client(emu);
		await c.get(DESCRIBE);
		await c.get(DESCRIBE);
		c.setToken('bad');
		await c.get('/rest/v1/leads/describe.json');
		const log = emu.requestLog();
		expect(log.map((e) => [e.method, e.path, e.status, e.code])).toEqual([
			['GET', '/identity/oauth/token', 200, undefined],
			['GET', DESCRIBE, 200, undefined],
			['GET', DESCRIBE, 200, undefined],
			['GET', '/rest/v1/leads/describe.json', 200, '601'],
		]);
		expect(emu.callCounts()).toEqual({
			'/identity/oauth/token': 1,
			[DESCRIBE]: 2,
			'/rest/v1/leads/describe.json': 1,
		});
	});

	it('offers reset, seed, state, faults, expire-tokens, log and counts over HTTP', async () => {
		const ctl = (op: string, body?: unknown, method = 'POST') =>
			fetch(`${emu.baseUrl}/__control/${op}`, {
				method,
				headers: { 'Content-Type': 'application/json' },
				body: body ? JSON.stringify(body) : undefined,
			}).then((r) => r.json());
		await ctl('seed', { leads: [{ email: 'seeded@x.com' }] });
		const state = await ctl('state', undefined, 'GET');
		expect(state.leads.map((l: any) => l.email)).toEqual(['seeded@x.com']);
		const c = client(emu);
		expect((await c.get(DESCRIBE)).body.success).toBe(true);
		await ctl('expire-tokens');
		expect(codeOf(await c.get(DESCRIBE))).toBe('602');
		await ctl('faults', { script: [{ fault: '606' }] });
		c.setToken(undefined);
		expect(codeOf(await c.get(DESCRIBE))).toBe('606');
		const counts = await ctl('counts', undefined, 'GET');
		expect(counts[DESCRIBE]).toBe(3);
		const log = await ctl('log', undefined, 'GET');
		expect(log.filter((e: any) => e.path === DESCRIBE).map((e: any) => e.code)).toEqual([
			undefined,
			'602',
			'606',
		]);
		await ctl('reset');
		expect((await ctl('state', undefined, 'GET')).leads).toEqual([]);
		await ctl('seed?preset=spotme');
		expect(
			(await ctl('state', undefined, 'GET')).customObjectTypes.map((t: any) => t.name),
		).toContain('spotMeAttendance_c');
		expect(await ctl('counts', undefined, 'GET')).toEqual({});
	});

	it('injects 606, 615 and 604 at the configured rates (reproducibly when seeded)', async () => {
		emu.setFaults({ error606: 0.2, error615: 0.2, error604: 0.2, seed: 42 });
		const c = client(emu);
		const codes: Array<string | undefined> = [];
		for (let i = 0; i < 60; i++) codes.push(codeOf(await c.get(DESCRIBE)));
		for (const code of ['606', '615', '604'])
			expect(codes.filter((x) => x === code).length).toBeGreaterThan(3);
		expect(codes.filter((x) => x === undefined).length).toBeGreaterThan(10);
	});

	it('injects HTTP 5xx answers, slow answers and timeouts (connection dropped without an answer)', async () => {
		const c = client(emu);
		emu.setFaults({ script: [{ fault: 'http5xx' }] });
		expect((await c.get(DESCRIBE)).status).toBe(502);
		emu.setFaults({ slowMs: 200 });
		const t0 = Date.now();
		expect((await c.get(DESCRIBE)).body.success).toBe(true);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
		emu.setFaults({ timeout: 1, timeoutMs: 50 });
		await expect(c.get(DESCRIBE)).rejects.toThrow();
		emu.setFaults({});
		expect((await c.get(DESCRIBE)).body.success).toBe(true);
	});

	it('restricts rate faults to the chosen paths', async () => {
		emu.setFaults({ error606: 1, paths: ['/rest/v1/leads.json'] });
		const c = client(emu);
		expect((await c.get(DESCRIBE)).body.success).toBe(true);
		expect(
			codeOf(await c.get('/rest/v1/leads.json', { filterType: 'email', filterValues: 'a@x.com' })),
		).toBe('606');
	});

	it('makes chosen records fail with a chosen code while the rest of the batch succeeds', async () => {
		emu.setFaults({
			perRecord: [{ match: { email: 'bad@x.com' }, code: '1006', message: "Field 'x' not found" }],
		});
		const c = client(emu);
		const r = await c.post('/rest/v1/leads.json', {
			input: [{ email: 'ok@x.com' }, { email: 'BAD@x.com' }, { email: 'ok2@x.com' }],
		});
		expect(r.body.result).toEqual([
			{ id: expect.any(Number), status: 'created' },
			{ status: 'skipped', reasons: [{ code: '1006', message: "Field 'x' not found" }] },
			{ id: expect.any(Number), status: 'created' },
		]);
		expect([...emu.state.leads.values()].map((l) => l.email)).toEqual(['ok@x.com', 'ok2@x.com']);
	});

	it('chosen per-record failures also apply to program member status/data and custom object records, and stop after `times`', async () => {
		emu.seed(seedPresets.spotme());
		emu.setFaults({
			perRecord: [
				{ kind: 'programMemberStatus', match: { leadId: 3 }, code: '1029', message: 'Busy' },
				{ kind: 'customObject', match: { spotMeUserId: 'u-bad' }, code: '1003', times: 1 },
			],
		});
		const c = client(emu);
		const st = await c.post('/rest/v1/programs/1002/members/status.json', {
			statusName: 'Registered',
			input: [{ leadId: 3 }, { leadId: 2 }],
		});
		expect(st.body.result).toEqual([
			{ seq: 0, leadId: 3, status: 'skipped', reasons: [{ code: '1029', message: 'Busy' }] },
			{ seq: 1, status: 'updated', leadId: 2 },
		]);
		const rec = { personId: 1, spotMeUserId: 'u-bad', spotMeWorkspaceStreamId: 'w' };
		const first = await c.post('/rest/v1/customobjects/spotMeAttendance_c.json', { input: [rec] });
		expect(first.body.result[0].reasons[0].code).toBe('1003');
		const second = await c.post('/rest/v1/customobjects/spotMeAttendance_c.json', { input: [rec] });
		expect(second.body.result[0].status).toBe('created');
	});

	it('ships a SpotMe seed preset with the attendance custom objects and SpotMe fields', async () => {
		emu.seed(seedPresets.spotme());
		expect(emu.state.customObjectTypes.has('spotMeAttendance_c')).toBe(true);
		expect(emu.state.customObjectTypes.has('spotMeEventAttendance_c')).toBe(true);
		expect(emu.state.leadFields.some((f) => f.name === 'spotme_magic_url')).toBe(true);
		expect(emu.state.programMemberFields.some((f) => f.name === 'spotme_login_url')).toBe(true);
		const c = client(emu);
		const d = await c.get('/rest/v1/leads/describe2.json');
		expect(d.body.result[0].fields.map((f: any) => f.name)).toContain('spotme_magic_url');
	});
});
