import { startMarketoEmulator, seedPresets, type MarketoEmulator } from '../index';
import { client } from './helpers';

describe('Marketo emulator: OpenAPI request validation', () => {
	let emu: MarketoEmulator;
	let c: ReturnType<typeof client>;
	beforeEach(async () => {
		emu = await startMarketoEmulator({ seed: seedPresets.spotme() });
		c = client(emu);
	});
	afterEach(() => emu.stop());

	const expect400 = (r: { status: number; body: any }, pattern: RegExp) => {
		expect(r.status).toBe(400);
		expect(r.body.success).toBe(false);
		expect(r.body.errors[0].message).toMatch(pattern);
	};

	it('rejects a path that is not in the API, and a method not defined for a path', async () => {
		expect400(await c.get('/rest/v1/lead.json'), /path '\/rest\/v1\/lead.json' does not exist/);
		expect400(
			await c.get('/rest//v1/leads/describe2.json'),
			/path '\/rest\/\/v1\/leads\/describe2.json' does not exist/,
		);
		expect400(
			await c.get('/rest/v1/leads/delete.json'),
			/method GET is not defined for path '\/rest\/v1\/leads\/delete.json' \(defined: POST\)/,
		);
	});

	it('rejects a missing required query parameter, naming it', async () => {
		expect400(
			await c.get('/rest/v1/leads.json', { filterValues: 'a@x.com' }),
			/missing required query parameter 'filterType'/,
		);
		expect400(
			await c.get('/rest/v1/activities/pagingtoken.json'),
			/missing required query parameter 'sinceDatetime'/,
		);
	});

	it('rejects wrongly typed path, query and array-item parameters and values outside an enum', async () => {
		expect400(await c.get('/rest/v1/lead/abc.json'), /path parameter 'leadId' must be an integer/);
		expect400(
			await c.get('/rest/v1/leads.json', {
				filterType: 'email',
				filterValues: 'a@x.com',
				batchSize: 'ten',
			}),
			/'batchSize' must be an integer/,
		);
		const t = (
			await c.get('/rest/v1/activities/pagingtoken.json', { sinceDatetime: '2026-01-01T00:00:00Z' })
		).body.nextPageToken;
		expect400(
			await c.get('/rest/v1/activities.json', { nextPageToken: t, activityTypeIds: '1,two' }),
			/'activityTypeIds' item must be an integer \(got 'two'\)/,
		);
		expect400(
			await c.get('/rest/asset/v1/folder/13.json', { type: 'Drawer' }),
			/'type' must be one of 'Folder', 'Program'/,
		);
		expect400(
			await c.get('/rest/asset/v1/program/byName.json', { name: 'x', includeTags: 'yes' }),
			/'includeTags' must be true or false/,
		);
	});

	it('rejects a JSON body without a required property or with a value outside an enum', async () => {
		expect400(
			await c.post('/rest/v1/leads.json', { action: 'createOrUpdate', records: [] }),
			/missing required property 'input' \(SyncLeadRequest\)/,
		);
		expect400(
			await c.post('/rest/v1/leads.json', { action: 'upsert', input: [{ email: 'a@x.com' }] }),
			/'action' must be one of 'createOnly', 'updateOnly', 'createOrUpdate', 'createDuplicate'/,
		);
		expect400(
			await c.post('/rest/v1/leads.json', { input: { email: 'a@x.com' } }),
			/'input' must be an array/,
		);
		expect400(
			await c.post('/rest/v1/programs/1002/members/status.json', { input: [{ leadId: 1 }] }),
			/missing required property 'statusName'/,
		);
		expect400(
			await c.post('/rest/v1/programs/1002/members/status.json', {
				statusName: 'Attended',
				input: [{ leadId: 1 }, { id: 2 }],
			}),
			/'input\[1\]' is missing required property 'leadId' \(ProgramMemberStatus\)/,
		);
		expect400(
			await c.post('/rest/v1/leads/delete.json', { input: [{ leadId: 1 }] }),
			/'input\[0\]' is missing required property 'id'/,
		);
		expect(emu.state.leads.size).toBe(3);
		expect(emu.state.members.get(1002)!.get(1)!.statusName).toBe('Registered');
	});

	it('checks form-encoded asset writes: required fields, JSON folder field, and no JSON bodies', async () => {
		expect400(
			await c.form('/rest/asset/v1/program/1001/clone.json', {
				folder: '{"id":13,"type":"Folder"}',
			}),
			/missing required form field 'name'/,
		);
		expect400(
			await c.form('/rest/asset/v1/program/1001/clone.json', { name: 'X', folder: '13' }),
			/form field 'folder' must be JSON/,
		);
		expect400(
			await c.form('/rest/asset/v1/program/1001/clone.json', {
				name: 'X',
				folder: '{"id":13,"type":"Drawer"}',
			}),
			/'folder.type' must be one of 'Folder', 'Program'/,
		);
		expect400(
			await c.form('/rest/asset/v1/folder/1002/tokens.json', {
				name: 'a',
				type: 'link',
				value: 'v',
				folderType: 'Program',
			}),
			/form field 'type' must be one of/,
		);
		expect400(
			await c.post('/rest/asset/v1/program/1001/clone.json', {
				name: 'X',
				folder: { id: 13, type: 'Folder' },
			}),
			/consumes application\/x-www-form-urlencoded/,
		);
		expect(emu.state.programs.size).toBe(2);
	});

	it('accepts what real Marketo accepts: comma-separated lists, POST ?_method=GET forms, JSON compound-key queries, `name` for `Name`', async () => {
		const list = await c.get('/rest/v1/leads.json', {
			filterType: 'id',
			filterValues: '1,2',
			fields: 'email,firstName',
		});
		expect(list.status).toBe(200);
		expect(list.body.result).toHaveLength(2);
		const viaPost = await c.call('POST', '/rest/v1/leads.json', {
			query: { _method: 'GET' },
			form: { filterType: 'email', filterValues: 'ada@example.com,grace@example.com' },
		});
		expect(viaPost.body.result).toHaveLength(2);
		const co = await c.call('POST', '/rest/v1/customobjects/spotMeAttendance_c.json', {
			query: { _method: 'GET' },
			json: {
				filterType: 'dedupeFields',
				input: [{ personId: 1, spotMeUserId: 'u', spotMeWorkspaceStreamId: 'w' }],
			},
		});
		expect(co.status).toBe(200);
		expect(co.body.success).toBe(true);
		const ch = await c.get('/rest/asset/v1/channel/byName.json', { name: 'Webinar' });
		expect(ch.body.result[0].name).toBe('Webinar');
		const byDate = await c.get('/rest/v1/programs/1002/members.json', {
			filterType: 'updatedAt',
			startAt: new Date(Date.now() - 3600e3).toISOString(),
			endAt: new Date(Date.now() + 60e3).toISOString(),
		});
		expect(byDate.body.result).toHaveLength(2);
		const del = await c.call('POST', '/rest/v1/leads/delete.json', { query: { id: '3' } });
		expect(del.body.result).toEqual([{ id: 3, status: 'deleted' }]);
	});

	it('can be switched off for clients that probe undocumented endpoints', async () => {
		const e2 = await startMarketoEmulator({ validateOpenApi: false });
		try {
			const r = await client(e2).get('/rest/v1/lead.json');
			expect(r.status).toBe(200);
			expect(r.body.errors[0].code).toBe('610');
		} finally {
			await e2.stop();
		}
	});
});
