/**
 * Any size: 250 000 records through one write and one read in one run, without "Maximum call stack
 * size exceeded" (no `push(...bigArray)` left) and with Get Many linear in the number of items.
 */
import type { MarketoEmulator } from '../../dev/emulators/marketo';
import { runMarketo, startEmulator } from './setup';

const OBJECT = 'scan_c';
const N = 250_000;
/** Get Many's cost is n8n's per-item parameter reading (~0.6 ms an item here); 50 000 show it linear. */
const N_READ = 50_000;

describe('Marketo node: 250 000 records in one run', () => {
	let emu: MarketoEmulator;
	beforeAll(async () => {
		emu = await startEmulator({ validateOpenApi: false });
		emu.seed({
			customObjectTypes: [
				{
					name: OBJECT,
					fields: [
						{ name: 'code', dataType: 'string', isDedupeField: true },
						{ name: 'n', dataType: 'integer' },
					],
				},
			],
		});
	});
	afterAll(async () => await emu.stop());

	it('Custom Object Create or Update writes 250 000 records, each item answered in order', async () => {
		const items = Array.from({ length: N }, (_, i) => ({ code: `k${i}`, n: i }));
		const run = await runMarketo(
			emu,
			{
				resource: 'customObject',
				operation: 'upsert',
				customObjectName: OBJECT,
				syncAction: 'createOrUpdate',
				dedupeBy: 'dedupeFields',
				columns: { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema: [] },
			},
			items,
		);
		expect(run.error).toBeUndefined();
		expect(run.json).toHaveLength(N);
		expect(run.paired[N - 1]).toBe(N - 1);
		expect(emu.state.customObjects.get(OBJECT)).toHaveLength(N);
		const writes = emu.requestLog().filter((e) => e.method === 'POST' && !e.code);
		expect(writes).toHaveLength(Math.ceil(N / 300));
	}, 300_000);

	it('Lead Get Many for 50 000 items (2 000 emails) answers every item in 7 calls of at most 300 values', async () => {
		emu.clearLog();
		emu.seed({ leads: Array.from({ length: 1000 }, (_, i) => ({ email: `g${i}@example.com` })) });
		const items = Array.from({ length: N_READ }, (_, i) => ({ email: `g${i % 2000}@example.com` }));
		const run = await runMarketo(
			emu,
			{
				resource: 'lead',
				operation: 'getAll',
				filterType: 'email',
				filterValues: '={{ $json.email }}',
			},
			items,
		);
		expect(run.error).toBeUndefined();
		// half the emails exist: those items get their lead
		expect(run.json).toHaveLength(N_READ / 2);
		expect(
			emu.requestLog().filter((e) => e.path === '/rest/v1/leads.json' && !e.code),
		).toHaveLength(7);
	}, 300_000);
});
