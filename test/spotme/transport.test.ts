/**
 * The SpotMe transport's promises, checked through the node and the engine against the emulator:
 * SpotMe-sized sequential batches, 429 recovery with nothing lost, plain errors without secrets.
 */
import { runNode } from '../../dev/harness/engine';
import type { SpotMeEmulator, SpotMeLogEntry } from '../../dev/emulators/spotme';
import {
	personUpsertParams,
	spotMeCredentials,
	standardSeed,
	startScaledSpotMe,
	summitWorkspace,
} from './emulator-setup';

const people = (n: number, extra: (i: number) => Record<string, unknown> = () => ({})) =>
	Array.from({ length: n }, (_, i) => ({
		id: `p${i}`,
		email: `p${i}@example.test`,
		first: 'First',
		last: `Last${i}`,
		...extra(i),
	}));

const posts = (log: SpotMeLogEntry[]) =>
	log.filter((e) => e.route === 'POST /workspace/:eid/global/docs/:type');

/** No request started before the previous one was answered. */
function expectSequential(log: SpotMeLogEntry[]) {
	for (let k = 1; k < log.length; k++)
		expect(log[k].startedAt).toBeGreaterThanOrEqual(log[k - 1].endedAt);
	expect(Math.max(...log.map((e) => e.inFlight))).toBe(1);
}

describe('SpotMe transport', () => {
	let emu: SpotMeEmulator;
	beforeAll(async () => (emu = await startScaledSpotMe({ latencyMs: 5 })));
	afterAll(async () => emu.stop());
	beforeEach(() => {
		emu.reset();
		emu.seed(standardSeed);
	});

	it('12 000 people upserted in one execution take 3 calls of at most 5 000, sent one after another', async () => {
		const { items, error } = await runNode({
			type: 'spotMe',
			parameters: personUpsertParams(),
			items: people(12_000),
			...spotMeCredentials(emu),
		});
		expect(error).toBeUndefined();
		const calls = posts(emu.requestLog());
		expect(calls.map((c) => c.docs)).toEqual([5000, 5000, 2000]);
		expectSequential(emu.requestLog());
		// + one GET /me: a fresh credential is verified once by its preAuthentication.
		expect(emu.callCounts().total).toBe(4);
		expect(emu.callCounts().byRoute['GET /me']).toBe(1);
		expect(emu.state.people('ws-summit')).toHaveLength(12_000);
		expect(items).toHaveLength(12_000);
		expect(items[11_999].json).toMatchObject({ _id: 'p11999', status: 'created' });
		expect(items[11_999].pairedItem).toEqual({ item: 11_999 });
		expect(items.every((i) => typeof i.json.login_url === 'string')).toBe(true);
	});

	it('splits batches by size too: no call carries more than 5 MB', async () => {
		const bio = 'x'.repeat(400_000);
		const { error } = await runNode({
			type: 'spotMe',
			parameters: personUpsertParams({
				customFields: { field: [{ key: 'bio', value: '={{ $json.bio }}' }] },
			}),
			items: people(30, () => ({ bio })),
			...spotMeCredentials(emu),
		});
		expect(error).toBeUndefined();
		const calls = posts(emu.requestLog());
		expect(calls.length).toBeGreaterThanOrEqual(3);
		expect(calls.every((c) => c.bytes <= 5_000_000 && c.status === 200)).toBe(true);
		expect(calls.reduce((n, c) => n + (c.docs ?? 0), 0)).toBe(30);
		expect(emu.state.people('ws-summit')).toHaveLength(30);
	});

	it('a burst that trips 429 recovers with nothing lost', async () => {
		// SpotMe here allows 3 per 100 ms (burst 5); the client is told it may send 100× more,
		// as if another tool shared the token, so SpotMe answers 429s.
		const strict = await startScaledSpotMe({ timeScale: 0.1, seed: standardSeed });
		try {
			const { items, error } = await runNode({
				type: 'spotMe',
				parameters: personUpsertParams({ options: { batchSize: 5 } }),
				items: people(60),
				...spotMeCredentials(strict, { requestsPerSecond: 3000, burst: 500 }),
			});
			expect(error).toBeUndefined();
			expect(strict.callCounts().rateLimited).toBeGreaterThan(0);
			expect(items.map((i) => i.json.status)).toEqual(Array(60).fill('created'));
			expect(
				strict.state
					.people('ws-summit')
					.map((p) => p._id)
					.sort(),
			).toEqual(
				people(60)
					.map((p) => p.id)
					.sort(),
			);
			const accepted = posts(strict.requestLog()).filter((e) => e.status === 200);
			expect(accepted).toHaveLength(12);
			expectSequential(strict.requestLog());
		} finally {
			await strict.stop();
		}
	});

	it('honours Retry-After before sending again', async () => {
		emu.setFaults([
			{ method: 'POST', path: '/global/docs/person', status: 429, retryAfter: 0.25, times: 2 },
		]);
		const { items } = await runNode({
			type: 'spotMe',
			parameters: personUpsertParams(),
			items: people(3),
			...spotMeCredentials(emu),
		});
		expect(items.map((i) => i.json.status)).toEqual(['created', 'created', 'created']);
		const log = posts(emu.requestLog());
		expect(log.map((e) => e.status)).toEqual([429, 429, 200]);
		expect(log[1].startedAt - log[0].endedAt).toBeGreaterThanOrEqual(245);
		expect(log[2].startedAt - log[1].endedAt).toBeGreaterThanOrEqual(245);
	});

	it('a client paced as SpotMe asks trips no 429', async () => {
		emu.seed({
			people: [{ workspaceId: 'ws-summit', _id: 'p1', fname: 'A', lname: 'B', email: 'a@b.test' }],
		});
		const { items } = await runNode({
			type: 'spotMe',
			parameters: {
				resource: 'person',
				operation: 'get',
				workspaceId: summitWorkspace,
				personId: 'p1',
			},
			items: Array.from({ length: 25 }, () => ({})),
			...spotMeCredentials(emu),
		});
		expect(items).toHaveLength(25);
		expect(emu.callCounts().rateLimited).toBe(0);
	});

	it('retries a dropped connection and a 503, then succeeds', async () => {
		emu.setFaults([
			{ method: 'POST', path: '/global/docs/person', drop: true, times: 1 },
			{ method: 'POST', path: '/global/docs/person', status: 503, times: 1 },
		]);
		const { items, error } = await runNode({
			type: 'spotMe',
			parameters: personUpsertParams(),
			items: people(2),
			...spotMeCredentials(emu),
		});
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.status)).toEqual(['created', 'created']);
		expect(emu.state.people('ws-summit')).toHaveLength(2);
	});

	it('a server error fails every item of the batch with SpotMe’s message', async () => {
		emu.setFaults([
			{ method: 'POST', status: 400, body: { error: 'Field "fname" is too long' }, times: 1 },
		]);
		const { items } = await runNode({
			type: 'spotMe',
			parameters: personUpsertParams(),
			items: people(2),
			continueOnFail: true,
			...spotMeCredentials(emu),
		});
		expect(items.map((i) => i.json.error)).toEqual([
			'SpotMe answered 400 to POST /workspace/ws-summit/global/docs/person: Field "fname" is too long',
			'SpotMe answered 400 to POST /workspace/ws-summit/global/docs/person: Field "fname" is too long',
		]);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);

		emu.setFaults([
			{ method: 'POST', status: 400, body: { error: 'Field "fname" is too long' }, times: 1 },
		]);
		const stopped = await runNode({
			type: 'spotMe',
			parameters: personUpsertParams(),
			items: people(2),
			...spotMeCredentials(emu),
		});
		expect(stopped.error?.message).toMatch(/Field "fname" is too long/);
		expect((stopped.error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(0);
	});

	it('a rejected token gives a plain message and the token appears nowhere', async () => {
		const secret = 'secret-token-that-must-not-leak';
		const { items } = await runNode({
			type: 'spotMe',
			parameters: { resource: 'workspace', operation: 'get', workspaceId: summitWorkspace },
			continueOnFail: true,
			...spotMeCredentials(emu, { apiToken: secret }),
		});
		expect(items[0].json.error).toBe('SpotMe rejected the API token');
		expect(JSON.stringify(items)).not.toContain(secret);
		const failed = await runNode({
			type: 'spotMe',
			parameters: { resource: 'workspace', operation: 'get', workspaceId: summitWorkspace },
			...spotMeCredentials(emu, { apiToken: secret }),
		});
		expect(failed.error?.message).toBe('SpotMe rejected the API token');
		expect(JSON.stringify(failed.run.data)).not.toContain(secret);
		expect(JSON.stringify(emu.requestLog())).not.toContain(secret);
	});

	it('an unreachable host gives a plain message naming the base URL', async () => {
		const { items } = await runNode({
			type: 'spotMe',
			parameters: { resource: 'workspace', operation: 'get', workspaceId: summitWorkspace },
			continueOnFail: true,
			...spotMeCredentials(emu, { baseUrl: 'http://127.0.0.1:1/api/v2' }),
		});
		expect(items[0].json.error).toBe('Could not reach SpotMe at http://127.0.0.1:1/api/v2');
		expect(items[0].json.description).toMatch(
			/^Check the API Base URL in the SpotMe credential .* Network error: ECONNREFUSED\.$/,
		);
	});
});

describe('Retry-After parsing', () => {
	const { parseRetryAfter } =
		require('../../nodes/SpotMe/transport') as typeof import('../../nodes/SpotMe/transport');

	it('reads seconds, fractions of seconds and HTTP dates, and ignores what it cannot read', () => {
		expect(parseRetryAfter('2')).toBe(2000);
		expect(parseRetryAfter('0.015')).toBe(15);
		const inFiveSeconds = new Date(Date.now() + 5000).toUTCString();
		expect(parseRetryAfter(inFiveSeconds)).toBeGreaterThan(3000);
		expect(parseRetryAfter(inFiveSeconds)).toBeLessThanOrEqual(5000);
		expect(parseRetryAfter(undefined)).toBeUndefined();
		expect(parseRetryAfter('soon')).toBeUndefined();
	});
});
