/**
 * Parallel batches: a big upsert sends its batches up to the credential's concurrency at once (Marketo
 * allows 10 calls in flight), never more, never two calls carrying the same key at once (Marketo's
 * duplicate race, which the emulator reproduces with a latency), with results in item order.
 */
import type { MarketoEmulator } from '../../dev/emulators/marketo';
import { leadsByEmail, runMarketo, startEmulator } from './setup';
import { LEAD_UPSERT_BY_EMAIL } from '../../dev/harness/parameters';

const LEADS = '/rest/v1/leads.json';

/** The most calls in flight at once, from the emulator's log ([arrival, answer] of each call). */
function mostInFlight(calls: Array<{ at: number; doneAt?: number }>): number {
	const edges: Array<[number, number]> = [];
	for (const c of calls) edges.push([c.at, 1], [c.doneAt ?? c.at, -1]);
	edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	let now = 0;
	let most = 0;
	for (const [, d] of edges) most = Math.max(most, (now += d));
	return most;
}
const LATENCY = 300;

const upsert = LEAD_UPSERT_BY_EMAIL;

describe('Marketo node: parallel batches', () => {
	let emu: MarketoEmulator;
	afterEach(async () => await emu.stop());

	it('3 600 leads go out as 12 calls up to 10 at once, none refused 615, no key in two calls at once, results in item order', async () => {
		emu = await startEmulator({ latencyMs: LATENCY, upsertRace: true });
		const items = Array.from({ length: 3600 }, (_, i) => ({
			// the same person in the first and in the last batch
			email: i === 3599 ? 'same@example.com' : i === 0 ? 'SAME@example.com' : `p${i}@example.com`,
			firstName: `F${i}`,
		}));
		const run = await runMarketo(emu, upsert, items);
		expect(run.error).toBeUndefined();
		expect(run.paired).toEqual(items.map((_, i) => i));
		expect(run.json.map((j) => j.email)).toEqual(items.map((i) => i.email));
		const writes = emu.requestLog().filter((e) => e.path === LEADS);
		expect(writes).toHaveLength(12);
		expect(writes.filter((e) => e.code === '615')).toHaveLength(0);
		// The first call fetches the one token; then ten at once.
		expect(mostInFlight(writes)).toBe(10);
		// The two calls with same@example.com did not overlap: one lead, with the last item's values.
		const same = leadsByEmail(emu).get('same@example.com');
		expect(same).toHaveLength(1);
		expect(same?.[0].firstName).toBe('F3599');
		expect(emu.state.leads.size).toBe(3599);
	});

	it('a fresh credential fetches one token, and the other batches leave once it is there, not after the first answer', async () => {
		emu = await startEmulator({ latencyMs: LATENCY, upsertRace: true });
		const items = Array.from({ length: 1500 }, (_, i) => ({ email: `t${i}@example.com` }));
		const { credentialsFor, tokenCalls } = await import('./setup');
		const creds = credentialsFor(emu);
		const run = await runMarketo(emu, upsert, items, { creds });
		expect(run.error).toBeUndefined();
		expect(emu.state.leads.size).toBe(1500);
		// One token for the five parallel calls, fetched by the first.
		expect(tokenCalls(emu)).toHaveLength(1);
		expect(creds.credentialsHelper.preAuthenticationCalls.get('marketoApi')).toBe(1);
		const writes = emu.requestLog().filter((e) => e.path === LEADS);
		expect(writes).toHaveLength(5);
		// All five were in flight together: the first call's answer did not hold the others back.
		expect(mostInFlight(writes)).toBe(5);
		const firstAnswer = Math.min(...writes.map((w) => w.doneAt ?? Infinity));
		expect(writes.every((w) => w.at < firstAnswer)).toBe(true);
		// A second run with the stored token: no token call, all five at once again.
		emu.clearLog();
		const again = await runMarketo(emu, upsert, items, { creds });
		expect(again.error).toBeUndefined();
		expect(tokenCalls(emu)).toHaveLength(0);
		expect(mostInFlight(emu.requestLog().filter((e) => e.path === LEADS))).toBe(5);
	});

	it('a credential with "Max Concurrent Calls" 3 never has more than 3 calls in flight', async () => {
		emu = await startEmulator({ latencyMs: LATENCY, rateLimit: { maxConcurrent: 3 } });
		const items = Array.from({ length: 1800 }, (_, i) => ({ email: `c${i}@example.com` }));
		const { credentialsFor } = await import('./setup');
		const run = await runMarketo(emu, upsert, items, {
			creds: credentialsFor(emu, { maxConcurrentCalls: 3 }),
		});
		expect(run.error).toBeUndefined();
		const writes = emu.requestLog().filter((e) => e.path === LEADS);
		expect(writes.filter((e) => e.code === '615')).toHaveLength(0);
		expect(mostInFlight(writes)).toBe(3);
		expect(emu.state.leads.size).toBe(1800);
	});
});
