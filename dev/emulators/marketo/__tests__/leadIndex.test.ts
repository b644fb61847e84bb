import { startMarketoEmulator, type MarketoEmulator } from '../index';
import { client } from './helpers';

/** The lead indexes must answer exactly what the old full scan answered, after every kind of change. */
describe('Marketo emulator: lead lookups stay right as leads change', () => {
	let emu: MarketoEmulator;
	let c: ReturnType<typeof client>;
	beforeEach(async () => {
		emu = await startMarketoEmulator({
			seed: {
				leadFields: [{ name: 'badgeNumber', dataType: 'integer' }],
				leads: [{ id: 7, email: 'Seed@X.com', badgeNumber: 70 }],
			},
		});
		c = client(emu);
	});
	afterEach(() => emu.stop());

	const sync = (body: unknown) => c.post('/rest/v1/leads.json', body);
	const byFilter = async (filterType: string, values: string) =>
		(
			await c.get(
				`/rest/v1/leads.json?filterType=${filterType}&filterValues=${encodeURIComponent(values)}&fields=id,email`,
			)
		).body.result.map((l: { id: number }) => l.id);

	it('finds a seeded lead by email in any case, and by a custom integer field', async () => {
		expect(await byFilter('email', 'seed@x.COM')).toEqual([7]);
		expect(await byFilter('badgeNumber', '70')).toEqual([7]);
	});

	it('an email changed by an update is found under the new address only', async () => {
		expect(await byFilter('email', 'seed@x.com')).toEqual([7]);
		await sync({
			action: 'updateOnly',
			lookupField: 'id',
			input: [{ id: 7, email: 'moved@x.com' }],
		});
		expect(await byFilter('email', 'seed@x.com')).toEqual([]);
		expect(await byFilter('email', 'MOVED@x.com')).toEqual([7]);
		const again = await sync({ input: [{ email: 'Moved@X.com', firstName: 'M' }] });
		expect(again.body.result).toEqual([{ id: 7, status: 'updated' }]);
		expect(emu.state.leads.size).toBe(1);
	});

	it('a deleted lead is no longer matched, and a new one with its email is created', async () => {
		expect(await byFilter('email', 'seed@x.com')).toEqual([7]);
		await c.post('/rest/v1/leads/delete.json', { input: [{ id: 7 }] });
		expect(await byFilter('email', 'seed@x.com')).toEqual([]);
		const r = await sync({ input: [{ email: 'seed@x.com' }] });
		expect(r.body.result[0].status).toBe('created');
		expect(await byFilter('email', 'SEED@x.com')).toEqual([r.body.result[0].id]);
	});

	it('two leads with one email (createDuplicate) make a lookup ambiguous (1007), listed in id order', async () => {
		await sync({ action: 'createDuplicate', input: [{ email: 'seed@x.com' }] });
		expect(await byFilter('email', 'seed@x.com')).toEqual([7, 8]);
		const r = await sync({ input: [{ email: 'SEED@x.com', firstName: 'X' }] });
		expect(r.body.result[0].reasons[0].code).toBe('1007');
	});

	it('after a reset nothing old is found, and new leads are', async () => {
		expect(await byFilter('email', 'seed@x.com')).toEqual([7]);
		emu.reset();
		await emu.seed({ leads: [{ id: 3, email: 'fresh@x.com' }] });
		expect(await byFilter('email', 'seed@x.com')).toEqual([]);
		expect(await byFilter('email', 'Fresh@x.com')).toEqual([3]);
	});

	it('10 000 leads: a 300-record upsert by email finds every existing lead', async () => {
		const input = Array.from({ length: 300 }, (_, i) => ({ email: `u${i}@x.com` }));
		for (let i = 0; i < 34; i++) {
			const r = await sync({
				input: Array.from({ length: 300 }, (_, j) => ({ email: `u${i * 300 + j}@x.com` })),
			});
			expect(r.body.success).toBe(true);
		}
		const r = await sync({
			input: input.map((x) => ({ email: x.email.toUpperCase(), firstName: 'Again' })),
		});
		expect(r.body.result.every((x: { status: string }) => x.status === 'updated')).toBe(true);
		expect(emu.state.leads.size).toBe(10200 + 1);
	});
});
