/**
 * Smaller gaps of issue 15: a persistent 601 stops the run once; Retry-After is capped near 60 s; the
 * emulator answers `id` with every lead, as Marketo does, even when `fields` does not name it.
 */
import type { MarketoEmulator } from '../../dev/emulators/marketo';
import { parseRetryAfter, RETRY_AFTER_CAP_MS } from '../../nodes/shared/credentialChecks';
import { runMarketo, startEmulator, tokenCalls } from './setup';
import { LEAD_UPSERT_BY_EMAIL } from '../../dev/harness/parameters';

const LEADS = '/rest/v1/leads.json';

describe('Marketo: smaller gaps', () => {
	let emu: MarketoEmulator;
	beforeEach(async () => {
		emu = await startEmulator();
	});
	afterEach(async () => await emu.stop());

	it('a 601 that a fresh token does not cure stops the run once: one fresh token, no call sent twice but the one that fetched it, later batches not sent', async () => {
		emu.setFaults({ script: [{ fault: '601', path: LEADS, times: 100 }] });
		// 15 batches: the first fetches the token, nine more leave with it, five are never sent
		const items = Array.from({ length: 4500 }, (_, i) => ({ email: `t${i}@example.com` }));
		const run = await runMarketo(emu, LEAD_UPSERT_BY_EMAIL, items, { continueOnFail: true });
		expect(run.json).toHaveLength(4500);
		// the calls in flight (at most the credential's 10) and one try with a fresh token; nothing more
		const calls = emu.requestLog().filter((e) => e.path === LEADS);
		expect(calls.length).toBeGreaterThanOrEqual(2);
		expect(calls.length).toBeLessThanOrEqual(11);
		expect(tokenCalls(emu).length).toBe(2);
		expect(JSON.stringify(run.json[0])).toMatch(/refuses even a fresh access token \(601\)/);
		const notSent = run.json.filter((j) => /Not sent/.test(JSON.stringify(j))).length;
		expect(notSent).toBe(4500 - (calls.length - 1) * 300);
		expect(JSON.stringify(run.json[4499])).toMatch(/Not sent/);
	});

	it('Retry-After asking for an hour is waited at most 60 s', () => {
		expect(parseRetryAfter('3600')).toBe(RETRY_AFTER_CAP_MS);
		expect(parseRetryAfter(new Date(Date.now() + 3_600_000).toUTCString())).toBe(60_000);
		expect(parseRetryAfter('5')).toBe(5000);
	});

	it('the emulator answers id with every lead even when fields does not name it', async () => {
		emu.seed({ leads: [{ email: 'id@example.com', firstName: 'I' }] });
		const run = await runMarketo(emu, {
			resource: 'lead',
			operation: 'getAll',
			filterType: 'email',
			filterValues: 'id@example.com',
			options: { fields: ['firstName'] },
		});
		expect(run.error).toBeUndefined();
		expect(run.json[0]).toMatchObject({ id: expect.any(Number), firstName: 'I' });
	});
});
