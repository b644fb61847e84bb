import { startMarketoEmulator, type MarketoEmulator } from '../index';
import { client, codeOf } from './helpers';

describe('Marketo emulator: leads', () => {
	let emu: MarketoEmulator;
	let c: ReturnType<typeof client>;
	beforeEach(async () => {
		emu = await startMarketoEmulator({
			seed: {
				leadFields: [
					{ name: 'spotme_magic_url', dataType: 'string' },
					{ name: 'badgeNumber', dataType: 'integer' },
				],
			},
		});
		c = client(emu);
	});
	afterEach(() => emu.stop());

	const sync = (body: unknown) => c.post('/rest/v1/leads.json', body);

	it('createOrUpdate creates new leads and updates existing ones, results in input order without seq', async () => {
		const a = await sync({
			action: 'createOrUpdate',
			lookupField: 'email',
			input: [{ email: 'a@x.com', firstName: 'A' }],
		});
		expect(a.body.result).toEqual([{ id: 1, status: 'created' }]);
		const b = await sync({ input: [{ email: 'b@x.com' }, { email: 'A@X.com', firstName: 'Ann' }] });
		expect(b.body.result).toEqual([
			{ id: 2, status: 'created' },
			{ id: 1, status: 'updated' },
		]);
		expect(emu.state.leads.get(1)?.firstName).toBe('Ann');
	});

	it('createOnly skips an existing lead with 1005', async () => {
		await sync({ input: [{ email: 'a@x.com' }] });
		const r = await sync({
			action: 'createOnly',
			input: [{ email: 'a@x.com' }, { email: 'n@x.com' }],
		});
		expect(r.body.result[0]).toEqual({
			status: 'skipped',
			reasons: [{ code: '1005', message: 'Lead already exists' }],
		});
		expect(r.body.result[1].status).toBe('created');
	});

	it('updateOnly skips an unknown lead with 1004 and can update by id', async () => {
		await sync({ input: [{ email: 'a@x.com' }] });
		const r = await sync({ action: 'updateOnly', input: [{ email: 'zz@x.com', firstName: 'Z' }] });
		expect(r.body.result[0].reasons[0].code).toBe('1004');
		expect(emu.state.leads.size).toBe(1);
		const byId = await sync({
			action: 'updateOnly',
			lookupField: 'id',
			input: [{ id: 1, lastName: 'L' }],
		});
		expect(byId.body.result).toEqual([{ id: 1, status: 'updated' }]);
		expect(emu.state.leads.get(1)?.lastName).toBe('L');
	});

	it('skips a record with an unknown field with 1006 and keeps the others', async () => {
		const r = await sync({ input: [{ email: 'a@x.com', notAField: 1 }, { email: 'b@x.com' }] });
		expect(r.body.result[0]).toEqual({
			status: 'skipped',
			reasons: [{ code: '1006', message: "Field 'notAField' not found" }],
		});
		expect(r.body.result[1].status).toBe('created');
	});

	it('skips an update when several leads match the lookup field with 1007', async () => {
		emu.seed({ leads: [{ email: 'dup@x.com' }, { email: 'dup@x.com' }] });
		const r = await sync({ input: [{ email: 'dup@x.com', firstName: 'D' }] });
		expect(r.body.result[0].reasons[0].code).toBe('1007');
	});

	it('createDuplicate creates a second lead with the same email', async () => {
		await sync({ input: [{ email: 'a@x.com' }] });
		const r = await sync({ action: 'createDuplicate', input: [{ email: 'a@x.com' }] });
		expect(r.body.result[0].status).toBe('created');
		expect(emu.state.leads.size).toBe(2);
	});

	it('sync with a custom lookupField dedupes on it; a missing lookup value is skipped with 1003', async () => {
		await sync({ lookupField: 'badgeNumber', input: [{ badgeNumber: 7, email: 'a@x.com' }] });
		const r = await sync({
			lookupField: 'badgeNumber',
			input: [{ badgeNumber: 7, firstName: 'Seven' }, { email: 'nobadge@x.com' }],
		});
		expect(r.body.result[0]).toEqual({ id: 1, status: 'updated' });
		expect(r.body.result[1].reasons[0].code).toBe('1003');
	});

	it('rejects a type mismatch with 1001 and an id sent with createOrUpdate with 1003', async () => {
		const r = await sync({
			input: [
				{ email: 'a@x.com', badgeNumber: 'abc' },
				{ id: 5, email: 'b@x.com' },
			],
		});
		expect(r.body.result[0].reasons[0].code).toBe('1001');
		expect(r.body.result[1].reasons[0].code).toBe('1003');
	});

	it('sync leads demands a JSON body (612 otherwise)', async () => {
		const r = await c.form('/rest/v1/leads.json', { input: 'x' });
		expect(codeOf(r)).toBe('612');
	});

	it('gets a lead by id with default fields or the requested fields (absent values null)', async () => {
		await sync({ input: [{ email: 'a@x.com', firstName: 'A', spotme_magic_url: 'https://m/1' }] });
		const d = await c.get('/rest/v1/lead/1.json');
		expect(Object.keys(d.body.result[0]).sort()).toEqual([
			'createdAt',
			'email',
			'firstName',
			'id',
			'lastName',
			'updatedAt',
		]);
		const f = await c.get('/rest/v1/lead/1.json', { fields: 'email,spotme_magic_url,company' });
		expect(f.body.result).toEqual([
			// Marketo answers id with every lead, named in fields or not
			{ id: 1, email: 'a@x.com', spotme_magic_url: 'https://m/1', company: null },
		]);
		expect((await c.get('/rest/v1/lead/99.json')).body.result).toEqual([]);
		expect(codeOf(await c.get('/rest/v1/lead/1.json', { fields: 'nope' }))).toBe('1006');
	});

	it('gets leads by filter on any searchable field, pages with batchSize / nextPageToken', async () => {
		const input = Array.from({ length: 5 }, (_, i) => ({
			email: `u${i}@x.com`,
			badgeNumber: 100 + i,
		}));
		await sync({ input });
		const r = await c.get('/rest/v1/leads.json', {
			filterType: 'badgeNumber',
			filterValues: '100,102,104',
			fields: 'email,badgeNumber',
			batchSize: 2,
		});
		expect(r.body.result).toEqual([
			{ id: 1, email: 'u0@x.com', badgeNumber: 100 },
			{ id: 3, email: 'u2@x.com', badgeNumber: 102 },
		]);
		expect(r.body.moreResult).toBe(true);
		const r2 = await c.get('/rest/v1/leads.json', {
			filterType: 'badgeNumber',
			filterValues: '100,102,104',
			fields: 'email,badgeNumber',
			batchSize: 2,
			nextPageToken: r.body.nextPageToken,
		});
		expect(r2.body.result).toEqual([{ id: 5, email: 'u4@x.com', badgeNumber: 104 }]);
		expect(r2.body.moreResult).toBeUndefined();
		const none = await c.get('/rest/v1/leads.json', {
			filterType: 'email',
			filterValues: 'nobody@x.com',
		});
		expect(none.body).toMatchObject({ success: true, result: [] });
	});

	it('rejects more than 300 filter values and a non-searchable filterType', async () => {
		const many = Array.from({ length: 301 }, (_, i) => String(i)).join(',');
		expect(
			codeOf(
				await c.call('POST', '/rest/v1/leads.json', {
					query: { _method: 'GET' },
					form: { filterType: 'id', filterValues: many },
				}),
			),
		).toBe('1003');
		expect(
			codeOf(await c.get('/rest/v1/leads.json', { filterType: 'firstName', filterValues: 'A' })),
		).toBe('1011');
	});

	it('fails a filter that matches more than 1,000 leads with 1003', async () => {
		emu.seed({
			leads: Array.from({ length: 1001 }, (_, i) => ({ email: `p${i}@x.com`, badgeNumber: 5 })),
		});
		const r = await c.get('/rest/v1/leads.json', { filterType: 'badgeNumber', filterValues: '5' });
		expect(r.body.errors).toEqual([{ code: '1003', message: 'Too many results match the filter' }]);
	});

	it('deletes leads and reports unknown ids as skipped 1004', async () => {
		await sync({ input: [{ email: 'a@x.com' }, { email: 'b@x.com' }] });
		const r = await c.post('/rest/v1/leads/delete.json', { input: [{ id: 1 }, { id: 42 }] });
		expect(r.body.result).toEqual([
			{ id: 1, status: 'deleted' },
			{ id: 42, status: 'skipped', reasons: [{ code: '1004', message: 'Lead not found' }] },
		]);
		expect([...emu.state.leads.keys()]).toEqual([2]);
	});

	it('describes leads (describe and describe2) including custom fields', async () => {
		const d = await c.get('/rest/v1/leads/describe.json');
		const email = d.body.result.find((f: any) => f.rest?.name === 'email');
		expect(email).toMatchObject({
			displayName: 'Email Address',
			dataType: 'email',
			rest: { name: 'email', readOnly: false },
		});
		const d2 = await c.get('/rest/v1/leads/describe2.json');
		expect(d2.body.result[0].name).toBe('API Lead');
		expect(d2.body.result[0].searchableFields).toContainEqual(['email']);
		expect(d2.body.result[0].searchableFields).toContainEqual(['badgeNumber']);
		expect(d2.body.result[0].fields.find((f: any) => f.name === 'id')).toMatchObject({
			updateable: false,
		});
	});

	it('creates and reads lead schema fields', async () => {
		const r = await c.post('/rest/v1/leads/schema/fields.json', {
			input: [{ name: 'eventRole', displayName: 'Event role', dataType: 'string' }],
		});
		expect(r.body.result).toEqual([{ name: 'eventRole', status: 'created' }]);
		const again = await c.post('/rest/v1/leads/schema/fields.json', {
			input: [{ name: 'eventRole', displayName: 'Event role', dataType: 'string' }],
		});
		expect(again.body.result[0].status).toBe('skipped');
		const one = await c.get('/rest/v1/leads/schema/fields/eventRole.json');
		expect(one.body.result[0]).toMatchObject({
			name: 'eventRole',
			isCustom: true,
			dataType: 'string',
		});
		const all = await c.get('/rest/v1/leads/schema/fields.json');
		expect(all.body.result.map((f: any) => f.name)).toContain('eventRole');
		expect(
			(await sync({ input: [{ email: 'a@x.com', eventRole: 'speaker' }] })).body.result[0].status,
		).toBe('created');
		const upd = await c.post('/rest/v1/leads/schema/fields/eventRole.json', {
			input: [{ displayName: 'Role at the event' }],
		});
		expect(upd.body.result).toEqual([{ name: 'eventRole', status: 'updated' }]);
		expect(
			(await c.get('/rest/v1/leads/schema/fields/eventRole.json')).body.result[0].displayName,
		).toBe('Role at the event');
	});
});

describe('Marketo emulator: the createOrUpdate race Adobe warns about', () => {
	let emu: MarketoEmulator;
	afterEach(() => emu.stop());
	const upsert = (c: ReturnType<typeof client>, action: string, input: unknown[]) =>
		c.post('/rest/v1/leads.json', { action, input });
	const count = (email: string) =>
		[...emu.state.leads.values()].filter((l) => l.email === email).length;

	it('two overlapping createOrUpdate calls for the same new email create two leads', async () => {
		emu = await startMarketoEmulator({ latencyMs: 80 });
		const c = client(emu);
		await c.get('/rest/v1/leads/describe2.json');
		const [a, b] = await Promise.all([
			upsert(c, 'createOrUpdate', [{ email: 'same@x.com' }]),
			upsert(c, 'createOrUpdate', [{ email: 'same@x.com' }]),
		]);
		expect([a.body.result[0].status, b.body.result[0].status]).toEqual(['created', 'created']);
		expect(count('same@x.com')).toBe(2);
	});

	it('calls that do not overlap, createOnly, and records within one call do not duplicate', async () => {
		emu = await startMarketoEmulator({ latencyMs: 80 });
		const c = client(emu);
		await upsert(c, 'createOrUpdate', [{ email: 'seq@x.com' }]);
		await upsert(c, 'createOrUpdate', [{ email: 'seq@x.com', firstName: 'S' }]);
		expect(count('seq@x.com')).toBe(1);
		const [a, b] = await Promise.all([
			upsert(c, 'createOnly', [{ email: 'only@x.com' }]),
			upsert(c, 'createOnly', [{ email: 'only@x.com' }]),
		]);
		expect([a.body.result[0].status, b.body.result[0].status].sort()).toEqual([
			'created',
			'skipped',
		]);
		expect(count('only@x.com')).toBe(1);
		const one = await upsert(c, 'createOrUpdate', [
			{ email: 'twice@x.com', firstName: 'A' },
			{ email: 'twice@x.com', lastName: 'B' },
		]);
		expect(one.body.result.map((r: any) => r.status)).toEqual(['created', 'updated']);
		expect([...emu.state.leads.values()].filter((l) => l.email === 'twice@x.com')).toEqual([
			expect.objectContaining({ firstName: 'A', lastName: 'B' }),
		]);
	});

	it('can be switched off', async () => {
		emu = await startMarketoEmulator({ latencyMs: 80, upsertRace: false });
		const c = client(emu);
		await c.get('/rest/v1/leads/describe2.json');
		await Promise.all([
			upsert(c, 'createOrUpdate', [{ email: 'same@x.com' }]),
			upsert(c, 'createOrUpdate', [{ email: 'same@x.com' }]),
		]);
		expect(count('same@x.com')).toBe(1);
	});
});
