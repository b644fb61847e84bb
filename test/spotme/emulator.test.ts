import axios, { type AxiosInstance } from 'axios';
import { startSpotMeEmulator, type SpotMeEmulator } from '../../dev/emulators/spotme';

describe('SpotMe emulator', () => {
	let emu: SpotMeEmulator;
	let api: AxiosInstance;

	beforeAll(async () => {
		emu = await startSpotMeEmulator({ rateLimit: false });
		api = axios.create({
			baseURL: emu.apiUrl,
			headers: { Authorization: `Bearer ${emu.token}` },
			validateStatus: () => true,
		});
	});
	afterAll(async () => emu.stop());
	beforeEach(() => {
		emu.reset();
		emu.seed({
			orgs: [{ id: 'org-1', name: 'Acme' }],
			workspaces: [
				{ id: 'ws-live', orgId: 'org-1', name: 'Summit', is_test: false, is_active: true },
				{ id: 'ws-test', orgId: 'org-1', name: 'Sandbox', is_test: true, is_active: true },
			],
		});
	});

	it('rejects a request without a valid token with 401', async () => {
		const res = await axios.get(`${emu.apiUrl}/me`, {
			headers: { Authorization: 'Bearer nope' },
			validateStatus: () => true,
		});
		expect(res.status).toBe(401);
		expect(JSON.stringify(res.data)).not.toContain('nope');
	});

	it('lists an organization’s workspaces as a bare array', async () => {
		const res = await api.get('/orgs/org-1/workspaces');
		expect(res.status).toBe(200);
		expect(res.data.map((w: { id: string }) => w.id).sort()).toEqual(['ws-live', 'ws-test']);
	});

	it('upserts people by _id: created with a magic link, then unchanged without one, then updated', async () => {
		const person = { _id: 'p1', fname: 'Ada', lname: 'Lovelace', email: 'ada@example.test' };
		const created = await api.post('/workspace/ws-live/global/docs/person', person);
		expect(created.data).toMatchObject({ _id: 'p1', status: 'created' });
		expect(created.data.login_url).toMatch(/^https:\/\/ws-live\.spotme\.test\/login\/[0-9a-f]+$/);

		const unchanged = await api.post('/workspace/ws-live/global/docs/person', person);
		expect(unchanged.data).toEqual({ _id: 'p1', status: 'unchanged' });

		const updated = await api.post('/workspace/ws-live/global/docs/person', [
			{ ...person, company: 'Analytical' },
		]);
		expect(updated.data).toEqual([
			{ _id: 'p1', status: 'updated', login_url: created.data.login_url },
		]);

		const stored = await api.get('/workspace/ws-live/global/docs/person/p1');
		expect(stored.data).toMatchObject({
			company: 'Analytical',
			login_url: created.data.login_url,
			registration_status: 'registered',
		});
	});

	it('refuses a new person without name and email, per document', async () => {
		const res = await api.post('/workspace/ws-live/global/docs/person', [
			{ _id: 'ok', fname: 'A', lname: 'B', email: 'a@b.test' },
			{ _id: 'bad', marketo_lead_id: 5 },
		]);
		expect(res.data.map((r: { status: string }) => r.status)).toEqual(['created', 'error']);
		expect(emu.state.getDoc('ws-live', 'person', 'bad')).toBeUndefined();
	});

	it('refuses more than 5 000 documents or more than 5 MB in one call', async () => {
		const many = Array.from({ length: 5001 }, (_, i) => ({
			_id: `p${i}`,
			fname: 'A',
			lname: 'B',
			email: `${i}@x.test`,
		}));
		expect((await api.post('/workspace/ws-live/global/docs/person', many)).status).toBe(413);
		const big = [
			{ _id: 'big', fname: 'A', lname: 'B', email: 'a@b.test', bio: 'x'.repeat(5 * 1024 * 1024) },
		];
		expect((await api.post('/workspace/ws-live/global/docs/person', big)).status).toBe(413);
		expect(emu.state.people('ws-live')).toHaveLength(0);
	});

	it('returns changes since a timestamp page by page, with a cursor that neither repeats nor skips', async () => {
		const small = await startSpotMeEmulator({ rateLimit: false, changesPageSize: 2 });
		try {
			small.seed({
				people: Array.from({ length: 5 }, (_, i) => ({
					workspaceId: 'ws',
					_id: `p${i}`,
					fname: 'F',
					lname: `L${i}`,
					email: `${i}@x.test`,
				})),
			});
			const call = (since: unknown) =>
				axios.post(
					`${small.apiUrl}/workspace/ws/global/docs/person/changes/since`,
					{ since },
					{
						headers: { Authorization: `Bearer ${small.token}` },
					},
				);
			const seen: string[] = [];
			let since: unknown = '1970-01-01T00:00:00.000Z';
			for (;;) {
				const { data } = await call(since);
				seen.push(...data.docs.map((d: { _id: string }) => d._id));
				since = data.since;
				if (!data.more) break;
			}
			expect(seen).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
			expect((await call(since)).data.docs).toEqual([]);
			expect(typeof (await call(0)).data.since).toBe('number');
		} finally {
			await small.stop();
		}
	});

	it('seeds invited, registered and cancelled people', async () => {
		emu.seed({
			people: [
				{
					workspaceId: 'ws-live',
					_id: 'i',
					fname: 'I',
					lname: 'I',
					email: 'i@x.test',
					registration: 'invited',
				},
				{
					workspaceId: 'ws-live',
					_id: 'c',
					fname: 'C',
					lname: 'C',
					email: 'c@x.test',
					registration: 'cancelled',
				},
			],
		});
		expect(emu.state.getDoc('ws-live', 'person', 'i')).toMatchObject({
			registration_status: 'invited',
			fp_status: 'active',
		});
		expect(emu.state.getDoc('ws-live', 'person', 'c')).toMatchObject({
			registration_status: 'cancelled',
			fp_status: 'cancelled',
		});
	});

	it('injects faults a given number of times and exposes the control API over HTTP', async () => {
		await axios.post(`${emu.baseUrl}/_control/faults`, [{ path: '/me', status: 503, times: 1 }]);
		expect((await api.get('/me')).status).toBe(503);
		expect((await api.get('/me')).status).toBe(200);
		const counts = (await axios.get(`${emu.baseUrl}/__control/counts`)).data;
		expect(counts.byRoute['GET /me']).toBe(2);
		await axios.post(`${emu.baseUrl}/_control/seed`, {
			workspaces: [{ id: 'ws-new', orgId: 'org-2' }],
		});
		const state = (await axios.get(`${emu.baseUrl}/_control/state`)).data;
		expect(state.workspaces.map((w: { id: string }) => w.id)).toContain('ws-new');
		const log = (await axios.get(`${emu.baseUrl}/_control/log`)).data;
		expect(JSON.stringify(log)).not.toContain(emu.token);
	});
});

describe('SpotMe emulator rate limit', () => {
	// One token refills per second at this scale: a loaded CI machine still sends the 6 calls well inside it.
	it('admits a burst of 5, answers 429 with Retry-After above it, and admits again after the window', async () => {
		const emu = await startSpotMeEmulator({ timeScale: 3 });
		try {
			const get = () =>
				axios.get(`${emu.apiUrl}/me`, {
					headers: { Authorization: `Bearer ${emu.token}` },
					validateStatus: () => true,
				});
			const statuses: number[] = [];
			for (let i = 0; i < 6; i++) statuses.push((await get()).status);
			expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
			const limited = await get();
			expect(limited.status).toBe(429);
			const retryAfter = Number(limited.headers['retry-after']);
			expect(retryAfter).toBeGreaterThan(0);
			await new Promise((r) => setTimeout(r, retryAfter * 1000 + 5));
			expect((await get()).status).toBe(200);
			expect(emu.callCounts().rateLimited).toBe(2);
		} finally {
			await emu.stop();
		}
	});

	it('limits each Authorization header separately', async () => {
		const emu = await startSpotMeEmulator({ tokens: ['a', 'b'], timeScale: 10 });
		try {
			const get = (t: string) =>
				axios.get(`${emu.apiUrl}/me`, {
					headers: { Authorization: `Bearer ${t}` },
					validateStatus: () => true,
				});
			for (let i = 0; i < 5; i++) expect((await get('a')).status).toBe(200);
			expect((await get('a')).status).toBe(429);
			expect((await get('b')).status).toBe(200);
		} finally {
			await emu.stop();
		}
	});
});
