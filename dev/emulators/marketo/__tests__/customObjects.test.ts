import { startMarketoEmulator, seedPresets, type MarketoEmulator } from '../index';
import { client, codeOf } from './helpers';

const CO = 'spotMeAttendance_c';
const row = (personId: number, stream: string, extra: Record<string, unknown> = {}) => ({
	personId,
	spotMeUserId: `u${personId}`,
	spotMeWorkspaceStreamId: `ws1-${stream}`,
	...extra,
});

describe('Marketo emulator: custom objects', () => {
	let emu: MarketoEmulator;
	let c: ReturnType<typeof client>;
	beforeEach(async () => {
		emu = await startMarketoEmulator({ seed: seedPresets.spotme() });
		c = client(emu);
	});
	afterEach(() => emu.stop());

	it('lists and describes approved custom object types with dedupe fields, link relationship and fields', async () => {
		const list = await c.get('/rest/v1/customobjects.json');
		expect(list.body.result.map((t: any) => t.name).sort()).toEqual([
			'spotMeAttendance_c',
			'spotMeEventAttendance_c',
		]);
		const only = await c.get('/rest/v1/customobjects.json', { names: CO });
		expect(only.body.result).toHaveLength(1);
		const d = await c.get(`/rest/v1/customobjects/${CO}/describe.json`);
		const t = d.body.result[0];
		expect(t.idField).toBe('marketoGUID');
		expect(t.dedupeFields).toEqual(['personId', 'spotMeUserId', 'spotMeWorkspaceStreamId']);
		expect(t.relationships).toEqual([
			{ field: 'personId', type: 'child', relatedTo: { name: 'lead', field: 'id' } },
		]);
		expect(t.fields.map((f: any) => f.name)).toEqual(
			expect.arrayContaining(['marketoGUID', 'liveWatchTime', 'attended']),
		);
	});

	it('syncs by dedupe fields: creates, then updates the same compound key, results carry seq and marketoGUID', async () => {
		const a = await c.post(`/rest/v1/customobjects/${CO}.json`, {
			action: 'createOrUpdate',
			dedupeBy: 'dedupeFields',
			input: [row(1, 's1', { liveWatchTime: 12.5 }), row(1, 's2')],
		});
		expect(a.body.result).toEqual([
			{ seq: 0, status: 'created', marketoGUID: expect.any(String) },
			{ seq: 1, status: 'created', marketoGUID: expect.any(String) },
		]);
		const b = await c.post(`/rest/v1/customobjects/${CO}.json`, {
			input: [row(1, 's1', { liveWatchTime: 30, attended: true })],
		});
		expect(b.body.result).toEqual([
			{ seq: 0, status: 'updated', marketoGUID: a.body.result[0].marketoGUID },
		]);
		const stored = emu.state.customObjects.get(CO)!;
		expect(stored).toHaveLength(2);
		expect(stored[0]).toMatchObject({ liveWatchTime: 30, attended: true });
	});

	it('skips records missing a dedupe field (1003), with an unknown field (1006), and createOnly duplicates', async () => {
		await c.post(`/rest/v1/customobjects/${CO}.json`, { input: [row(1, 's1')] });
		const r = await c.post(`/rest/v1/customobjects/${CO}.json`, {
			action: 'createOnly',
			input: [
				{ personId: 2, spotMeUserId: 'u2' },
				row(3, 's1', { bogus: 1 }),
				row(1, 's1'),
				row(4, 's1'),
			],
		});
		expect(r.body.result.map((x: any) => x.status)).toEqual([
			'skipped',
			'skipped',
			'skipped',
			'created',
		]);
		expect(r.body.result[0].reasons[0].code).toBe('1003');
		expect(r.body.result[1].reasons[0].code).toBe('1006');
	});

	it('syncs by idField (marketoGUID) for updates only', async () => {
		const a = await c.post(`/rest/v1/customobjects/${CO}.json`, { input: [row(1, 's1')] });
		const guid = a.body.result[0].marketoGUID;
		const u = await c.post(`/rest/v1/customobjects/${CO}.json`, {
			action: 'updateOnly',
			dedupeBy: 'idField',
			input: [
				{ marketoGUID: guid, questionsAsked: 3 },
				{ marketoGUID: 'nope', questionsAsked: 1 },
			],
		});
		expect(u.body.result[0]).toEqual({ seq: 0, status: 'updated', marketoGUID: guid });
		expect(u.body.result[1].reasons[0].code).toBe('1013');
		expect(emu.state.customObjects.get(CO)![0].questionsAsked).toBe(3);
		expect(
			codeOf(
				await c.post(`/rest/v1/customobjects/${CO}.json`, {
					action: 'createOnly',
					dedupeBy: 'idField',
					input: [{ marketoGUID: guid }],
				}),
			),
		).toBe('1003');
	});

	it('queries by a single searchable field, by idField, and by compound key with POST ?_method=GET JSON', async () => {
		const a = await c.post(`/rest/v1/customobjects/${CO}.json`, {
			input: [row(1, 's1'), row(1, 's2'), row(2, 's1')],
		});
		const byLead = await c.get(`/rest/v1/customobjects/${CO}.json`, {
			filterType: 'personId',
			filterValues: '1',
			fields: 'personId,spotMeWorkspaceStreamId',
		});
		expect(byLead.body.result).toEqual([
			{ seq: 0, personId: 1, spotMeWorkspaceStreamId: 'ws1-s1' },
			{ seq: 0, personId: 1, spotMeWorkspaceStreamId: 'ws1-s2' },
		]);
		const byId = await c.get(`/rest/v1/customobjects/${CO}.json`, {
			filterType: 'idField',
			filterValues: a.body.result[2].marketoGUID,
		});
		expect(byId.body.result).toHaveLength(1);
		expect(Object.keys(byId.body.result[0]).sort()).toEqual([
			'createdAt',
			'marketoGUID',
			'personId',
			'seq',
			'spotMeUserId',
			'spotMeWorkspaceStreamId',
			'updatedAt',
		]);
		const compound = await c.call('POST', `/rest/v1/customobjects/${CO}.json`, {
			query: { _method: 'GET' },
			json: {
				filterType: 'dedupeFields',
				fields: ['marketoGUID', 'personId'],
				input: [row(2, 's1'), row(1, 's2'), row(9, 's9')],
				batchSize: 1,
			},
		});
		expect(compound.body.result).toEqual([
			{ seq: 0, marketoGUID: a.body.result[2].marketoGUID, personId: 2 },
		]);
		expect(compound.body.moreResult).toBe(true);
		const next = await c.call('POST', `/rest/v1/customobjects/${CO}.json`, {
			query: { _method: 'GET' },
			json: {
				filterType: 'dedupeFields',
				fields: ['marketoGUID', 'personId'],
				input: [row(2, 's1'), row(1, 's2'), row(9, 's9')],
				batchSize: 1,
				nextPageToken: compound.body.nextPageToken,
			},
		});
		expect(next.body.result).toEqual([
			{ seq: 1, marketoGUID: a.body.result[1].marketoGUID, personId: 1 },
		]);
		// a compound key cannot be sent as comma-separated filterValues
		expect(
			codeOf(
				await c.get(`/rest/v1/customobjects/${CO}.json`, {
					filterType: 'dedupeFields',
					filterValues: '1',
				}),
			),
		).toBe('1003');
	});

	it('deletes by dedupe fields and by idField; unknown keys are skipped with 1013', async () => {
		const a = await c.post(`/rest/v1/customobjects/${CO}.json`, {
			input: [row(1, 's1'), row(2, 's1')],
		});
		const r = await c.post(`/rest/v1/customobjects/${CO}/delete.json`, {
			deleteBy: 'dedupeFields',
			input: [row(1, 's1'), row(7, 's7')],
		});
		expect(r.body.result).toEqual([
			{ seq: 0, marketoGUID: a.body.result[0].marketoGUID, status: 'deleted' },
			{ seq: 1, status: 'skipped', reasons: [{ code: '1013', message: 'Object not found' }] },
		]);
		const r2 = await c.post(`/rest/v1/customobjects/${CO}/delete.json`, {
			deleteBy: 'idField',
			input: [{ marketoGUID: a.body.result[1].marketoGUID }],
		});
		expect(r2.body.result[0].status).toBe('deleted');
		expect(emu.state.customObjects.get(CO)).toHaveLength(0);
	});

	it('schema API: create a type, add fields, link to a lead, approve; data APIs only see the approved version', async () => {
		const created = await c.post('/rest/v1/customobjects/schema.json', {
			apiName: 'badgeScan_c',
			displayName: 'Badge scan',
			pluralName: 'Badge scans',
		});
		expect(created.body.result).toEqual([{ seq: 0, status: 'created', apiName: 'badgeScan_c' }]);
		expect(codeOf(await c.get('/rest/v1/customobjects/badgeScan_c/describe.json'))).toBe('1013');
		expect(codeOf(await c.post('/rest/v1/customobjects/schema/badgeScan_c/approve.json', {}))).toBe(
			'709',
		); // no dedupe field yet
		const fields = await c.post('/rest/v1/customobjects/schema/badgeScan_c/addField.json', {
			input: [
				{
					name: 'leadId',
					displayName: 'Lead',
					dataType: 'link',
					isDedupeField: true,
					relatedTo: { name: 'lead', field: 'id' },
				},
				{ name: 'scanId', displayName: 'Scan', dataType: 'string', isDedupeField: true },
				{ name: 'booth', displayName: 'Booth', dataType: 'string' },
			],
		});
		expect(fields.body.result.map((r: any) => r.status)).toEqual(['created', 'created', 'created']);
		const draft = await c.get('/rest/v1/customobjects/schema/badgeScan_c/describe.json', {
			state: 'draft',
		});
		expect(draft.body.result[0]).toMatchObject({
			state: 'draft',
			version: 'draft',
			dedupeFields: ['leadId', 'scanId'],
		});
		const approved = await c.post('/rest/v1/customobjects/schema/badgeScan_c/approve.json', {});
		expect(approved.body.result[0].status).toBe('approved');
		const d = await c.get('/rest/v1/customobjects/badgeScan_c/describe.json');
		expect(d.body.result[0].relationships).toEqual([
			{ field: 'leadId', type: 'child', relatedTo: { name: 'lead', field: 'id' } },
		]);
		// editing an approved type makes a draft; the data API keeps using the approved version
		await c.post('/rest/v1/customobjects/schema/badgeScan_c/addField.json', {
			input: [{ name: 'hall', displayName: 'Hall', dataType: 'string' }],
		});
		const list = await c.get('/rest/v1/customobjects/schema.json', {
			names: 'badgeScan_c',
			state: 'approvedWithDraft',
		});
		expect(list.body.result[0].state).toBe('approvedWithDraft');
		const w = await c.post('/rest/v1/customobjects/badgeScan_c.json', {
			input: [{ leadId: 1, scanId: 's', hall: 'A' }],
		});
		expect(w.body.result[0].reasons[0].code).toBe('1006');
		await c.post('/rest/v1/customobjects/schema/badgeScan_c/approve.json', {});
		const w2 = await c.post('/rest/v1/customobjects/badgeScan_c.json', {
			input: [{ leadId: 1, scanId: 's', hall: 'A' }],
		});
		expect(w2.body.result[0].status).toBe('created');
		// link / dedupe fields cannot be added after approval
		const late = await c.post('/rest/v1/customobjects/schema/badgeScan_c/addField.json', {
			input: [{ name: 'k', displayName: 'K', dataType: 'string', isDedupeField: true }],
		});
		expect(late.body.result[0].status).toBe('skipped');
	});

	it('rejects more than 300 custom object records with 1003', async () => {
		const input = Array.from({ length: 301 }, (_, i) => row(i, 's'));
		expect(codeOf(await c.post(`/rest/v1/customobjects/${CO}.json`, { input }))).toBe('1003');
	});
});
