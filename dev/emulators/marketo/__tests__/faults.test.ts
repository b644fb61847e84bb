/**
 * Faults real Marketo shows that a client cannot tell apart from the outside, set through the control
 * API: a write processed whose answer is lost (connection dropped, or answered after the client gave
 * up), per-call processing latency, and the duplicate race of overlapping createOrUpdate calls.
 */
import { startMarketoEmulator, type MarketoEmulator } from '../index';
import { client, fetchAny as fetch, token } from './helpers';

const LEADS = '/rest/v1/leads.json';

describe('Marketo emulator: lost answers, latency and the upsert race (control API)', () => {
	let emu: MarketoEmulator;
	const ctl = (op: string, body: unknown) =>
		fetch(`${emu.baseUrl}/__control/${op}`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(body),
		}).then((r) => r.json());
	const emails = () => [...emu.state.leads.values()].map((l) => l.email);

	beforeEach(async () => {
		emu = await startMarketoEmulator();
	});
	afterEach(() => emu.stop());

	it('dropAfterWrite: the write is stored, then the connection drops without an answer', async () => {
		await ctl('faults', { script: [{ fault: 'dropAfterWrite', path: LEADS }] });
		const c = client(emu);
		await expect(c.post(LEADS, { input: [{ email: 'lost@x.com' }] })).rejects.toThrow();
		expect(emails()).toEqual(['lost@x.com']);
		expect(emu.requestLog().filter((e) => e.path === LEADS)).toMatchObject([
			{ status: 0, code: 'lost' },
		]);
		// only the scripted call: the next one is answered
		const next = await c.post(LEADS, { input: [{ email: 'lost@x.com' }] });
		expect(next.body.result[0].status).toBe('updated');
	});

	it('delayAfterWrite: the write is stored when processing ends, the answer comes only after the client has given up', async () => {
		await ctl('faults', { script: [{ fault: 'delayAfterWrite' }], timeoutMs: 400 });
		const tok = await token(emu);
		const started = Date.now();
		await expect(
			fetch(`${emu.restUrl}/v1/leads.json`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${tok}`, 'Content-Type': 'application/json' },
				body: JSON.stringify({ input: [{ email: 'late@x.com' }] }),
				signal: AbortSignal.timeout(100),
			}),
		).rejects.toThrow();
		expect(Date.now() - started).toBeLessThan(390);
		// still processing when the client gave up: the lead is written when the call ends
		await new Promise((r) => setTimeout(r, 450));
		expect(emails()).toEqual(['late@x.com']);
		expect(emu.requestLog().some((e) => e.code === 'late')).toBe(true);
	});

	it('delayAfterWrite on a createOrUpdate: the write lands when the hold ends, so a re-send meanwhile creates a second lead or custom object record', async () => {
		emu.seed({
			customObjectTypes: [
				{ name: 'note_c', fields: [{ name: 'code', dataType: 'string', isDedupeField: true }] },
			],
		});
		const tok = await token(emu);
		const post = (path: string, body: unknown, signal?: AbortSignal) =>
			fetch(`${emu.restUrl}${path}`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${tok}`, 'Content-Type': 'application/json' },
				body: JSON.stringify(body),
				signal,
			});
		for (const [path, body] of [
			['/v1/leads.json', { action: 'createOrUpdate', input: [{ email: 'twice@x.com' }] }],
			['/v1/customobjects/note_c.json', { action: 'createOrUpdate', input: [{ code: 'n1' }] }],
		] as const) {
			await ctl('faults', { script: [{ fault: 'delayAfterWrite' }], timeoutMs: 400 });
			const lost = post(path, body, AbortSignal.timeout(100)).catch(() => 'lost');
			await new Promise((r) => setTimeout(r, 150));
			// the blind re-send a client makes after its time-out: nothing is there yet, so it creates
			expect((await (await post(path, body)).json()).result[0].status).toBe('created');
			expect(await lost).toBe('lost');
			await new Promise((r) => setTimeout(r, 400));
		}
		expect(emails()).toEqual(['twice@x.com', 'twice@x.com']);
		expect(emu.state.customObjects.get('note_c')?.map((r) => r.code)).toEqual(['n1', 'n1']);
	});

	it('lostAnswer (a rate) loses only writes: reads are answered', async () => {
		await ctl('faults', { lostAnswer: 1, seed: 1 });
		const c = client(emu);
		await expect(c.post(LEADS, { input: [{ email: 'a@x.com' }] })).rejects.toThrow();
		const read = await c.get(LEADS, { filterType: 'email', filterValues: 'a@x.com' });
		expect(read.body.result).toHaveLength(1);
	});

	it('latencyMs: every call takes at least the processing latency, until reset', async () => {
		const c = client(emu);
		await c.get('/rest/v1/leads/describe.json');
		await ctl('faults', { latencyMs: 250 });
		let t = Date.now();
		await c.get('/rest/v1/leads/describe.json');
		expect(Date.now() - t).toBeGreaterThanOrEqual(240);
		emu.reset();
		t = Date.now();
		await c.get('/rest/v1/leads/describe.json');
		expect(Date.now() - t).toBeLessThan(200);
	});

	it('upsertRace: two overlapping createOrUpdate calls for one new email both create; without the race one lead', async () => {
		const c = client(emu);
		await ctl('faults', { latencyMs: 150, upsertRace: true });
		const both = await Promise.all([
			c.post(LEADS, { action: 'createOrUpdate', input: [{ email: 'race@x.com' }] }),
			c.post(LEADS, { action: 'createOrUpdate', input: [{ email: 'race@x.com' }] }),
		]);
		expect(both.map((r) => r.body.result[0].status)).toEqual(['created', 'created']);
		expect(emails()).toEqual(['race@x.com', 'race@x.com']);
		// the next upsert for that email meets Marketo's 1007
		const after = await c.post(LEADS, { input: [{ email: 'race@x.com' }] });
		expect(after.body.result[0].reasons[0].code).toBe('1007');

		emu.reset();
		await ctl('faults', { latencyMs: 150, upsertRace: false });
		await Promise.all([
			c.post(LEADS, { action: 'createOrUpdate', input: [{ email: 'calm@x.com' }] }),
			c.post(LEADS, { action: 'createOrUpdate', input: [{ email: 'calm@x.com' }] }),
		]);
		expect(emails()).toEqual(['calm@x.com']);
	});
});
