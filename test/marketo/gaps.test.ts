/**
 * Smaller gaps of issue 15: a persistent 601 stops the run once; Retry-After is capped near 60 s; the
 * emulator answers `id` with every lead, as Marketo does, even when `fields` does not name it.
 */
import type { MarketoEmulator } from '../../dev/emulators/marketo';
import { parseRetryAfter, RETRY_AFTER_CAP_MS } from '../../nodes/shared/credentialChecks';
import { runMarketo, startEmulator, tokenCalls } from './setup';

const LEADS = '/rest/v1/leads.json';

describe('Marketo: smaller gaps', () => {
	let emu: MarketoEmulator;
	beforeEach(async () => {
		emu = await startEmulator();
	});
	afterEach(async () => await emu.stop());

	it('a 601 that a fresh token does not cure stops the run once: later batches are not sent, each reported unsent', async () => {
		emu.setFaults({ script: [{ fault: '601', path: LEADS, times: 100 }] });
		const items = Array.from({ length: 900 }, (_, i) => ({ email: `t${i}@example.com` }));
		const run = await runMarketo(
			emu,
			{
				resource: 'lead',
				operation: 'upsert',
				syncAction: 'createOrUpdate',
				lookupField: 'email',
				fields: { mappingMode: 'autoMapInputData', value: null },
			},
			items,
			{ continueOnFail: true },
		);
		expect(run.json).toHaveLength(900);
		// the first call and its one try with a fresh token; nothing more
		expect(emu.requestLog().filter((e) => e.path === LEADS)).toHaveLength(2);
		expect(tokenCalls(emu).length).toBe(2);
		expect(JSON.stringify(run.json[0])).toMatch(/refuses even a fresh access token \(601\)/);
		expect(JSON.stringify(run.json[899])).toMatch(/Not sent/);
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
