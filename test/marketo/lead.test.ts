import type { MarketoEmulator } from '../../dev/emulators/marketo';
import { loadOptions } from '../../dev/harness/engine';
import {
	callsTo,
	credentialsFor,
	everything,
	leadsByEmail,
	runMarketo,
	startEmulator,
	tokenCalls,
} from './setup';
import { LEAD_UPSERT_BY_EMAIL } from '../../dev/harness/parameters';

const upsert = (extra: Record<string, unknown> = {}) => ({ ...LEAD_UPSERT_BY_EMAIL, ...extra });

describe('Marketo node: Lead', () => {
	let emu: MarketoEmulator;
	beforeEach(async () => {
		emu = await startEmulator({
			seed: {
				leadFields: [{ name: 'spotmeLoginUrl', dataType: 'url', displayName: 'SpotMe Login URL' }],
			},
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
		expect(leads.get('new@example.com')?.[0]).toMatchObject({
			firstName: 'New',
			spotmeLoginUrl: 'https://x.spotme.com/l/1',
		});
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
		Array.from({ length: n }, (_, i) => ({
			email: `${prefix}${i}@example.com`,
			firstName: `F${i}`,
		}));

	function expectEveryLeadOnce(count: number, prefix = 'lead') {
		const leads = leadsByEmail(emu);
		for (let i = 0; i < count; i++) {
			const found = leads.get(`${prefix}${i}@example.com`);
			if (found?.length !== 1)
				throw new Error(`${prefix}${i}@example.com is there ${found?.length ?? 0} times`);
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
		// Every token expires right after Marketo accepted the 4th call: the calls in flight with it
		// (batches go in parallel) meet a 602, and one of them fetches the one new token.
		emu = await startEmulator({ faults: { expireTokensAfterCalls: 4 } });
		const run = await runMarketo(emu, upsert(), emails(3000));
		expect(run.error).toBeUndefined();
		const log = emu.requestLog();
		expect(log.filter((e) => e.code === '602').length).toBeGreaterThanOrEqual(1);
		expect(log.filter((e) => e.code === '602').length).toBeLessThanOrEqual(10);
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

describe('Marketo node: Lead results and input checks', () => {
	let emu: MarketoEmulator;
	beforeEach(async () => {
		emu = await startEmulator();
		emu.seed({ leads: [{ email: 'taken1@example.com' }, { email: 'taken2@example.com' }] });
	});
	afterEach(async () => await emu.stop());

	const createOnlyItems = [
		{ email: 'a@example.com' },
		{ email: 'taken1@example.com' },
		{ email: 'b@example.com' },
		{ email: 'taken2@example.com' },
		{ email: 'c@example.com' },
	];

	it('with Continue on Fail, leads Marketo skipped come back as error items with their reasons, the rest as successes, in input order', async () => {
		const run = await runMarketo(emu, upsert({ syncAction: 'createOnly' }), createOnlyItems, {
			continueOnFail: true,
		});
		expect(run.error).toBeUndefined();
		expect(run.paired).toEqual([0, 1, 2, 3, 4]);
		expect(run.json.map((j) => j.status)).toEqual([
			'created',
			'skipped',
			'created',
			'skipped',
			'created',
		]);
		expect(run.json[1]).toMatchObject({
			code: '1005',
			message: 'Lead already exists',
			input: { email: 'taken1@example.com' },
			reasons: [{ code: '1005', message: 'Lead already exists' }],
		});
		expect(String(run.json[1].error)).toContain('item 1');
		expect(run.json[0].error).toBeUndefined();
		expect(emu.state.leads.size).toBe(5);
	});

	it("without Continue on Fail, a skipped lead fails the node with a message naming the item and Marketo's reason", async () => {
		const run = await runMarketo(emu, upsert({ syncAction: 'createOnly' }), createOnlyItems);
		expect(run.error?.message).toContain('item 1');
		expect(run.error?.message).toContain('1005');
		expect(run.error?.message).toContain('Lead already exists');
	});

	it('an item without a value for the lookup field is a NodeOperationError naming the field, and with Continue on Fail the others still go through', async () => {
		const items = [
			{ email: 'x@example.com' },
			{ firstName: 'NoEmail' },
			{ email: 'y@example.com' },
		];
		const failed = await runMarketo(emu, upsert(), items);
		expect(failed.error?.message).toContain('lookup field "email"');
		expect(failed.error?.name).toBe('NodeOperationError');
		expect(emu.state.leads.size).toBe(2);

		const run = await runMarketo(emu, upsert(), items, { continueOnFail: true });
		expect(run.paired).toEqual([0, 1, 2]);
		expect(run.json[1].error).toContain('lookup field "email"');
		expect(run.json[0].status).toBe('created');
		expect(run.json[2].status).toBe('created');
		expect(leadsByEmail(emu).get('y@example.com')).toHaveLength(1);
	});

	it('fields mapped with the resource mapper are what is written, updating by a custom lookup field', async () => {
		const run = await runMarketo(
			emu,
			upsert({
				fields: {
					mappingMode: 'defineBelow',
					value: { email: '={{ $json.mail }}', firstName: '={{ $json.first }}', lastName: 'Fixed' },
				},
			}),
			[{ mail: 'mapped@example.com', first: 'Mapped', ignored: 'not sent' }],
		);
		expect(run.error).toBeUndefined();
		const lead = leadsByEmail(emu).get('mapped@example.com')?.[0];
		expect(lead).toMatchObject({ firstName: 'Mapped', lastName: 'Fixed' });
		expect(lead?.ignored).toBeUndefined();
	});

	it('update only by id changes the lead with that id, and an item read from Marketo (with id) can be written back', async () => {
		const id = [...emu.state.leads.values()][0].id;
		const run = await runMarketo(emu, upsert({ syncAction: 'updateOnly', lookupField: 'id' }), [
			{ id, firstName: 'ById', createdAt: '2020-01-01T00:00:00Z' },
		]);
		expect(run.error).toBeUndefined();
		expect(run.json[0]).toMatchObject({ id, status: 'updated' });
		expect(emu.state.leads.get(id)?.firstName).toBe('ById');

		// createOrUpdate must not send `id` (Marketo: 1003), so a lead read back can be upserted by email.
		const again = await runMarketo(emu, upsert(), [
			{ id, email: 'taken1@example.com', lastName: 'Back' },
		]);
		expect(again.error).toBeUndefined();
		expect(again.json[0].status).toBe('updated');
	});
});

describe('Marketo node: Lead reads and deletes', () => {
	let emu: MarketoEmulator;
	let ids: number[];
	beforeEach(async () => {
		emu = await startEmulator({
			seed: { leadFields: [{ name: 'badgeId', dataType: 'string', searchable: true }] },
		});
		emu.seed({
			leads: Array.from({ length: 5 }, (_, i) => ({
				email: `r${i}@example.com`,
				firstName: `R${i}`,
				badgeId: `B${i}`,
			})),
		});
		ids = [...emu.state.leads.values()].map((l) => l.id);
	});
	afterEach(async () => await emu.stop());

	it('get returns the lead by ID with the chosen fields, and by email', async () => {
		const run = await runMarketo(emu, {
			resource: 'lead',
			operation: 'get',
			leadId: { __rl: true, mode: 'id', value: String(ids[2]) },
			fields: ['email', 'badgeId'],
		});
		expect(run.error).toBeUndefined();
		expect(run.json).toEqual([
			expect.objectContaining({ id: ids[2], email: 'r2@example.com', badgeId: 'B2' }),
		]);

		const byEmail = await runMarketo(emu, {
			resource: 'lead',
			operation: 'get',
			leadId: { __rl: true, mode: 'email', value: 'r4@example.com' },
		});
		expect(byEmail.json[0]).toMatchObject({ id: ids[4], firstName: 'R4' });
	});

	it('get of a lead that does not exist fails with a plain message', async () => {
		const run = await runMarketo(emu, {
			resource: 'lead',
			operation: 'get',
			leadId: { __rl: true, mode: 'id', value: '999999' },
		});
		expect(run.error?.message).toContain('no lead with ID 999999');
	});

	it('get many filters on any searchable field with many values, limit and chosen fields', async () => {
		const run = await runMarketo(emu, {
			resource: 'lead',
			operation: 'getAll',
			filterType: 'badgeId',
			filterValues: 'B0, B1,B3,nope',
			fields: ['email', 'badgeId'],
			returnAll: true,
		});
		expect(run.error).toBeUndefined();
		expect(run.json.map((j) => j.badgeId).sort()).toEqual(['B0', 'B1', 'B3']);
		expect(run.paired).toEqual([0, 0, 0]);

		const limited = await runMarketo(
			emu,
			{
				resource: 'lead',
				operation: 'getAll',
				filterType: 'email',
				filterValues: '={{ $json.emails }}',
				returnAll: false,
				limit: 2,
			},
			[{ emails: ['r0@example.com', 'r1@example.com', 'r2@example.com'] }],
		);
		expect(limited.json).toHaveLength(2);
	});

	it('get many with a filter list too long for a URL is sent as POST ?_method=GET and still finds the leads', async () => {
		const values = [
			...Array.from(
				{ length: 296 },
				(_, i) => `someone-with-a-rather-long-address-${i}@nowhere.example.com`,
			),
			'r0@example.com',
			'r3@example.com',
		];
		const run = await runMarketo(emu, {
			resource: 'lead',
			operation: 'getAll',
			filterType: 'email',
			filterValues: values.join(','),
			returnAll: true,
		});
		expect(run.error).toBeUndefined();
		expect(run.json.map((j) => j.email).sort()).toEqual(['r0@example.com', 'r3@example.com']);
		const call = emu.requestLog().find((e) => e.path === '/rest/v1/leads.json');
		expect(call?.method).toBe('POST');
		expect(call?.status).toBe(200);
	});

	it('get many pages through more than 300 matches with nextPageToken', async () => {
		emu.seed({
			leads: Array.from({ length: 650 }, (_, i) => ({
				email: `p${i}@example.com`,
				badgeId: 'PAGED',
			})),
		});
		const run = await runMarketo(emu, {
			resource: 'lead',
			operation: 'getAll',
			filterType: 'badgeId',
			filterValues: 'PAGED',
			returnAll: true,
		});
		expect(run.error).toBeUndefined();
		expect(run.json).toHaveLength(650);
		expect(new Set(run.json.map((j) => j.id)).size).toBe(650);
		expect(callsTo(emu, '/rest/v1/leads.json')).toBe(3);
	});

	it("delete removes the leads by ID; an unknown ID becomes an error item with Marketo's reason", async () => {
		const run = await runMarketo(
			emu,
			{ resource: 'lead', operation: 'delete', leadId: '={{ $json.id }}' },
			[{ id: ids[0] }, { id: 424242 }, { id: ids[1] }],
			{ continueOnFail: true },
		);
		expect(run.paired).toEqual([0, 1, 2]);
		expect(run.json[0]).toMatchObject({ id: ids[0], deleted: true });
		expect(run.json[1]).toMatchObject({ code: '1004' });
		expect(run.json[2]).toMatchObject({ id: ids[1], deleted: true });
		expect(emu.state.leads.has(ids[0])).toBe(false);
		expect(emu.state.leads.has(ids[1])).toBe(false);
		expect(emu.state.leads.size).toBe(3);
		expect(callsTo(emu, '/rest/v1/leads/delete.json')).toBe(1);
	});

	it('get fields lists every lead field with its type and whether it is searchable', async () => {
		const run = await runMarketo(emu, { resource: 'lead', operation: 'getFields' });
		expect(run.error).toBeUndefined();
		const badge = run.json.find((f) => f.name === 'badgeId');
		expect(badge).toMatchObject({ dataType: 'string', searchable: true });
		expect(run.json.find((f) => f.name === 'email')).toMatchObject({ searchable: true });
		expect(run.json.length).toBe(emu.state.leadFields.length);
	});
});

describe('Marketo node: Lead dropdowns from the live API', () => {
	let emu: MarketoEmulator;
	beforeEach(async () => {
		emu = await startEmulator({
			seed: {
				leadFields: [
					{ name: 'badgeId', displayName: 'Badge ID', dataType: 'string', searchable: true },
					{ name: 'score2', displayName: 'Event Score', dataType: 'float' },
				],
			},
		});
	});
	afterEach(async () => await emu.stop());

	async function call(kind: 'loadOptions' | 'resourceMapping', method: string) {
		const { credentialsHelper, credentials } = credentialsFor(emu);
		return await loadOptions({
			type: 'marketo',
			kind: kind as 'loadOptions',
			method,
			parameters: { resource: 'lead', operation: 'upsert' },
			credentials,
			credentialsHelper,
		});
	}

	it('the resource mapper offers the describe2 fields, typed, with email first and searchable fields usable to match', async () => {
		const { fields } = (await call('resourceMapping', 'getLeadMappingColumns')) as {
			fields: Array<{ id: string; type: string; canBeUsedToMatch: boolean; displayName: string }>;
		};
		expect(fields[0].id).toBe('email');
		// The display name alone (n8n cuts a longer mapper label with "…"); unique labels.
		expect(fields.find((f) => f.id === 'badgeId')?.displayName).toBe('Badge ID');
		expect(new Set(fields.map((f) => f.displayName.toLowerCase())).size).toBe(fields.length);
		expect(fields.find((f) => f.id === 'score2')).toMatchObject({
			type: 'number',
			canBeUsedToMatch: false,
		});
		expect(fields.find((f) => f.id === 'badgeId')).toMatchObject({
			type: 'string',
			canBeUsedToMatch: true,
		});
		expect(fields.find((f) => f.id === 'updatedAt')).toBeUndefined();
	});

	it('the lookup and filter dropdowns list only searchable fields; the field picker lists them all', async () => {
		const searchable = (await call('loadOptions', 'getLeadSearchableFields')) as Array<{
			value: string;
		}>;
		expect(searchable.map((o) => o.value)).toEqual(
			expect.arrayContaining(['email', 'badgeId', 'id']),
		);
		expect(searchable.map((o) => o.value)).not.toContain('score2');
		const all = (await call('loadOptions', 'getLeadFields')) as Array<{ value: string }>;
		expect(all.map((o) => o.value)).toEqual(expect.arrayContaining(['email', 'badgeId', 'score2']));
	});
});

describe('Marketo node: Lead Get Many across many items', () => {
	let emu: MarketoEmulator;
	beforeEach(async () => {
		emu = await startEmulator({
			seed: { leadFields: [{ name: 'region', dataType: 'string', searchable: true }] },
		});
		emu.seed({
			leads: Array.from({ length: 500 }, (_, i) => ({
				email: `m${i}@example.com`,
				firstName: `M${i}`,
				region: 'EMEA',
			})),
		});
	});
	afterEach(async () => await emu.stop());

	it('500 items looking up one email each share 2 calls, and each lead comes back paired with its own item', async () => {
		const items = Array.from({ length: 500 }, (_, i) => ({ email: `M${499 - i}@Example.com` }));
		items[7] = { email: 'nobody@example.com' };
		const run = await runMarketo(
			emu,
			{
				resource: 'lead',
				operation: 'getAll',
				filterType: 'email',
				filterValues: '={{ $json.email }}',
				returnAll: false,
				limit: 5,
			},
			items,
		);
		expect(run.error).toBeUndefined();
		expect(callsTo(emu, '/rest/v1/leads.json')).toBe(2);
		expect(run.json).toHaveLength(499);
		const paired = run.paired as number[];
		expect(paired).not.toContain(7);
		run.json.forEach((lead, k) => {
			expect(String(lead.email).toLowerCase()).toBe(String(items[paired[k]].email).toLowerCase());
		});
		expect(paired).toEqual([...paired].sort((a, b) => a - b));
	});

	it('a broad filter with a limit still runs per item and never fetches more than each item asked for', async () => {
		const run = await runMarketo(
			emu,
			{
				resource: 'lead',
				operation: 'getAll',
				filterType: 'region',
				filterValues: 'EMEA',
				returnAll: false,
				limit: 3,
			},
			[{}, {}],
		);
		expect(run.error).toBeUndefined();
		expect(run.paired).toEqual([0, 0, 0, 1, 1, 1]);
		expect(callsTo(emu, '/rest/v1/leads.json')).toBe(2);
	});

	it('with Continue on Fail an item without values is an error item and the others are still found', async () => {
		const run = await runMarketo(
			emu,
			{
				resource: 'lead',
				operation: 'getAll',
				filterType: 'email',
				filterValues: '={{ $json.email }}',
				returnAll: true,
			},
			[{ email: 'm1@example.com' }, { email: '' }, { email: 'm2@example.com' }],
			{ continueOnFail: true },
		);
		expect(run.paired).toEqual([0, 1, 2]);
		expect(run.json[0].email).toBe('m1@example.com');
		expect(String(run.json[1].error)).toContain('has no "Values"');
		expect(run.json[2].email).toBe('m2@example.com');
		expect(callsTo(emu, '/rest/v1/leads.json')).toBe(1);
	});
});
