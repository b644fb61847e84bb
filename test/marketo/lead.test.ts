import type { MarketoEmulator } from '../../emulators/marketo';
import { callsTo, everything, leadsByEmail, runMarketo, startEmulator, tokenCalls } from './leadMember.setup';

const upsert = (extra: Record<string, unknown> = {}) => ({
	resource: 'lead',
	operation: 'upsert',
	syncAction: 'createOrUpdate',
	lookupField: 'email',
	fields: { mappingMode: 'autoMapInputData', value: null },
	...extra,
});

describe('Marketo node: Lead', () => {
	let emu: MarketoEmulator;
	beforeEach(async () => {
		emu = await startEmulator({
			seed: { leadFields: [{ name: 'spotmeLoginUrl', dataType: 'url', displayName: 'SpotMe Login URL' }] },
		});
	});
	afterEach(async () => await emu.stop());

	it('create or update writes new leads and updates existing ones, each item paired with its input', async () => {
		emu.seed({ leads: [{ email: 'old@example.com', firstName: 'Old' }] });
		const run = await runMarketo(emu, upsert(), [
			{ email: 'new@example.com', firstName: 'New', spotmeLoginUrl: 'https://x.spotme.com/l/1' },
			{ email: 'old@example.com', firstName: 'Renamed' },
		]);
		expect(run.error).toBeUndefined();
		expect(run.json.map((j) => j.status)).toEqual(['created', 'updated']);
		expect(run.paired).toEqual([0, 1]);
		const leads = leadsByEmail(emu);
		expect(leads.get('new@example.com')?.[0]).toMatchObject({ firstName: 'New', spotmeLoginUrl: 'https://x.spotme.com/l/1' });
		expect(leads.get('old@example.com')).toHaveLength(1);
		expect(leads.get('old@example.com')?.[0].firstName).toBe('Renamed');
		expect(run.json[0].id).toBe(leads.get('new@example.com')?.[0].id);
		expect(tokenCalls(emu).length).toBe(1);
		expect(callsTo(emu, '/rest/v1/leads.json')).toBe(1);
		expect(everything(run)).not.toContain(emu.clientSecret);
	});
});

describe('Marketo node: Lead at volume', () => {
	let emu: MarketoEmulator;
	afterEach(async () => await emu.stop());

	const emails = (n: number, prefix = 'lead') =>
		Array.from({ length: n }, (_, i) => ({ email: `${prefix}${i}@example.com`, firstName: `F${i}` }));

	function expectEveryLeadOnce(count: number, prefix = 'lead') {
		const leads = leadsByEmail(emu);
		for (let i = 0; i < count; i++) {
			const found = leads.get(`${prefix}${i}@example.com`);
			if (found?.length !== 1) throw new Error(`${prefix}${i}@example.com is there ${found?.length ?? 0} times`);
		}
		expect(emu.state.leads.size).toBe(count);
	}

	it('1 000 leads upserted in one execution take exactly 4 Marketo calls (plus the token)', async () => {
		emu = await startEmulator();
		const run = await runMarketo(emu, upsert(), emails(1000));
		expect(run.error).toBeUndefined();
		expect(callsTo(emu, '/rest/v1/leads.json')).toBe(4);
		expect(emu.requestLog().filter((e) => e.path.startsWith('/rest')).length).toBe(4);
		expect(tokenCalls(emu).length).toBe(1);
		expect(run.json).toHaveLength(1000);
		expect(run.paired).toEqual(Array.from({ length: 1000 }, (_, i) => i));
		expect(run.json.every((j) => j.status === 'created')).toBe(true);
		expectEveryLeadOnce(1000);
	});

	it('a token that expires in the middle of a 3 000-lead run is refreshed and no record is lost or doubled', async () => {
		// Each call takes 20 ms, so the run is still going when the token is expired after the 4th call.
		emu = await startEmulator({ latencyMs: 20 });
		let expired = false;
		const watcher = setInterval(() => {
			if (!expired && callsTo(emu, '/rest/v1/leads.json') >= 4) {
				emu.expireAllTokens();
				expired = true;
			}
		}, 1);
		const run = await runMarketo(emu, upsert(), emails(3000)).finally(() => clearInterval(watcher));
		expect(expired).toBe(true);
		expect(run.error).toBeUndefined();
		const log = emu.requestLog();
		expect(log.some((e) => e.code === '602' || e.code === '601')).toBe(true);
		expect(tokenCalls(emu).length).toBe(2);
		expect(run.json).toHaveLength(3000);
		expect(run.paired).toEqual(Array.from({ length: 3000 }, (_, i) => i));
		expect(run.json.every((j) => j.status === 'created')).toBe(true);
		expectEveryLeadOnce(3000);
	});

	it('a run with 20 % of calls answered 606 or 615 creates every record once and accounts for every item', async () => {
		emu = await startEmulator({ faults: { error606: 0.1, error615: 0.1, seed: 7 } });
		const run = await runMarketo(emu, upsert(), emails(3000));
		expect(run.error).toBeUndefined();
		const log = emu.requestLog().filter((e) => e.path === '/rest/v1/leads.json');
		expect(log.filter((e) => e.code === '606' || e.code === '615').length).toBeGreaterThan(0);
		expect(log.filter((e) => !e.code).length).toBe(10);
		expect(run.json).toHaveLength(3000);
		expect(run.paired).toEqual(Array.from({ length: 3000 }, (_, i) => i));
		expect(run.json.every((j) => j.status === 'created')).toBe(true);
		expectEveryLeadOnce(3000);
	});
});
