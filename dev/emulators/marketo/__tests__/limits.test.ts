import { startMarketoEmulator, type MarketoEmulator } from '../index';
import { client, codeOf, fetchAny as fetch } from './helpers';

const DESCRIBE = '/rest/v1/leads/describe2.json';

describe('Marketo emulator: limits', () => {
	let emu: MarketoEmulator;
	afterEach(() => emu?.stop());

	it('answers the 101st call inside the sliding 20 s window with 606', async () => {
		emu = await startMarketoEmulator();
		const c = client(emu);
		const codes: Array<string | undefined> = [];
		for (let i = 0; i < 101; i++) codes.push(codeOf(await c.get(DESCRIBE)));
		expect(codes.slice(0, 100).every((x) => x === undefined)).toBe(true);
		expect(codes[100]).toBe('606');
	});

	it('accepts calls again once the (time-scaled) window has slid past the old calls', async () => {
		// 20 s window = 4 s: long enough that 100 calls fit in it even on a busy machine.
		emu = await startMarketoEmulator({ timeScale: 0.2, rateLimit: { maxConcurrent: 1000 } });
		const c = client(emu);
		await c.get(DESCRIBE);
		await Promise.all(Array.from({ length: 99 }, () => c.get(DESCRIBE)));
		const blocked = await c.get(DESCRIBE);
		expect(codeOf(blocked)).toBe('606');
		expect(blocked.body.errors[0].message).toMatch(
			/Max rate limit '100' exceeded with in '20' secs/,
		);
		await new Promise((r) => setTimeout(r, 4200));
		expect((await c.get(DESCRIBE)).body.success).toBe(true);
	});

	it('answers with 615 when more than 10 calls are in flight', async () => {
		emu = await startMarketoEmulator({ latencyMs: 400 });
		const c = client(emu);
		await c.get(DESCRIBE); // fetch the token first
		const results = await Promise.all(Array.from({ length: 14 }, () => c.get(DESCRIBE)));
		const codes = results.map(codeOf);
		expect(codes.filter((x) => x === undefined)).toHaveLength(10);
		expect(codes.filter((x) => x === '615')).toHaveLength(4);
	});

	it('answers with 607 once the daily quota is used up', async () => {
		emu = await startMarketoEmulator({ dailyQuota: 3 });
		const c = client(emu);
		const codes = [];
		for (let i = 0; i < 4; i++) codes.push(codeOf(await c.get(DESCRIBE)));
		expect(codes).toEqual([undefined, undefined, undefined, '607']);
	});

	it('does not count identity calls against the rate window', async () => {
		emu = await startMarketoEmulator({ rateLimit: { callsPerWindow: 2 } });
		for (let i = 0; i < 5; i++) {
			await fetch(
				`${emu.identityUrl}/oauth/token?grant_type=client_credentials&client_id=${emu.clientId}&client_secret=${emu.clientSecret}`,
			);
		}
		const c = client(emu);
		expect((await c.get(DESCRIBE)).body.success).toBe(true);
		expect((await c.get(DESCRIBE)).body.success).toBe(true);
		expect(codeOf(await c.get(DESCRIBE))).toBe('606');
	});

	it('rejects more than 300 records with 1003', async () => {
		emu = await startMarketoEmulator();
		const c = client(emu);
		const input = Array.from({ length: 301 }, (_, i) => ({ email: `u${i}@x.com` }));
		const r = await c.post('/rest/v1/leads.json', { action: 'createOrUpdate', input });
		expect(r.status).toBe(200);
		expect(codeOf(r)).toBe('1003');
		expect(emu.state.leads.size).toBe(0);
		const ok = await c.post('/rest/v1/leads.json', {
			action: 'createOrUpdate',
			input: input.slice(0, 300),
		});
		expect(ok.body.result).toHaveLength(300);
	});

	it('answers a body over 1 MB with HTTP 413', async () => {
		emu = await startMarketoEmulator();
		const c = client(emu);
		const big = 'x'.repeat(1024 * 1024);
		const r = await c.post('/rest/v1/leads.json', { input: [{ email: 'a@x.com', address: big }] });
		expect(r.status).toBe(413);
		expect(emu.state.leads.size).toBe(0);
	});

	it('answers a URL over 8 KB with HTTP 414 and accepts the same query as POST ?_method=GET', async () => {
		emu = await startMarketoEmulator();
		const c = client(emu);
		await c.post('/rest/v1/leads.json', { input: [{ email: 'someone@x.com' }] });
		const emails = Array.from({ length: 290 }, (_, i) => `a-rather-long-address-${i}@example.com`);
		emails.push('someone@x.com');
		const r = await c.get('/rest/v1/leads.json', {
			filterType: 'email',
			filterValues: emails.join(','),
		});
		expect(r.status).toBe(414);
		const viaPost = await c.call('POST', '/rest/v1/leads.json', {
			query: { _method: 'GET' },
			form: { filterType: 'email', filterValues: emails.join(',') },
		});
		expect(viaPost.status).toBe(200);
		expect(viaPost.body.result.map((l: any) => l.email)).toEqual(['someone@x.com']);
	});

	it('API errors are HTTP 200 with success:false and string codes', async () => {
		emu = await startMarketoEmulator();
		const c = client(emu);
		c.setToken('bogus');
		const r = await c.get(DESCRIBE);
		expect(r.status).toBe(200);
		expect(r.body).toEqual({
			requestId: expect.any(String),
			success: false,
			errors: [{ code: '601', message: 'Access token invalid' }],
		});
	});
});

describe('Marketo emulator: limits over (scaled) time and counting', () => {
	let emu: MarketoEmulator;
	afterEach(() => emu?.stop());

	it('resets the daily quota when the (scaled) day is over', async () => {
		emu = await startMarketoEmulator({ dailyQuota: 2, timeScale: 0.000005, tokenTtlSeconds: 1e9 }); // a day = 432 ms
		const c = client(emu);
		await c.get(DESCRIBE);
		await c.get(DESCRIBE);
		expect(codeOf(await c.get(DESCRIBE))).toBe('607');
		await new Promise((r) => setTimeout(r, 500));
		expect((await c.get(DESCRIBE)).body.success).toBe(true);
	});

	it('does not count calls rejected with 606, 615, 601/602 or an injected 604 against the window', async () => {
		emu = await startMarketoEmulator({ rateLimit: { callsPerWindow: 3 } });
		const c = client(emu);
		emu.setFaults({ script: [{ fault: '604', times: 2 }, { fault: '615' }] });
		expect(codeOf(await c.get(DESCRIBE))).toBe('604');
		expect(codeOf(await c.get(DESCRIBE))).toBe('604');
		expect(codeOf(await c.get(DESCRIBE))).toBe('615');
		c.setToken('bad');
		expect(codeOf(await c.get(DESCRIBE))).toBe('601');
		c.setToken(undefined);
		for (let i = 0; i < 3; i++) expect((await c.get(DESCRIBE)).body.success).toBe(true);
		expect(codeOf(await c.get(DESCRIBE))).toBe('606');
		expect(codeOf(await c.get(DESCRIBE))).toBe('606');
		const usage = emu.state.usage.get(new Date().toISOString().slice(0, 10))!;
		expect([...usage.values()]).toEqual([3]);
	});

	it('applies faults given at start', async () => {
		emu = await startMarketoEmulator({ faults: { script: [{ fault: '606', path: 'describe2' }] } });
		const c = client(emu);
		expect(codeOf(await c.get(DESCRIBE))).toBe('606');
		expect((await c.get(DESCRIBE)).body.success).toBe(true);
	});
});
