/**
 * The schema APIs a set-up run uses: lead and program member fields, custom object types in draft
 * and approved versions, their rules (one link field, ≤ 3 dedupe fields, ≥ 1 to approve), name and
 * type validation, and 603 when the API user's role lacks the permission.
 */
import { startMarketoEmulator, type MarketoEmulator } from '../index';
import { client, codeOf } from './helpers';

const reasons = (r: { body: any }) =>
	(r.body.result as any[]).map((x) => (x.status === 'skipped' ? x.reasons[0].code : x.status));

describe('Marketo emulator: schema APIs', () => {
	let emu: MarketoEmulator;
	let c: ReturnType<typeof client>;
	beforeEach(async () => {
		emu = await startMarketoEmulator({});
		c = client(emu);
	});
	afterEach(() => emu.stop());

	it('creates lead fields that then appear in the field list, describe and describe2, and can take values', async () => {
		const created = await c.post('/rest/v1/leads/schema/fields.json', {
			input: [
				{ name: 'spotme_magic_url', displayName: 'SpotMe Magic URL', dataType: 'url' },
				{ name: '1bad', displayName: 'Bad Name', dataType: 'string' },
				{ name: 'dupDisplay', displayName: 'SpotMe Magic URL', dataType: 'string' },
				{ name: 'email', displayName: 'Other Email', dataType: 'email' },
				{ name: 'weird', displayName: 'Weird <b>', dataType: 'string' },
			],
		});
		expect(created.body.success).toBe(true);
		expect(reasons(created)).toEqual(['created', '1003', '1017', '1017', '1003']);
		const list = await c.get('/rest/v1/leads/schema/fields.json', { batchSize: 300 });
		const field = list.body.result.find((f: any) => f.name === 'spotme_magic_url');
		expect(field).toMatchObject({
			displayName: 'SpotMe Magic URL',
			dataType: 'url',
			isCustom: true,
			isApiCreated: true,
		});
		const d2 = await c.get('/rest/v1/leads/describe2.json');
		expect(d2.body.result[0].fields.map((f: any) => f.name)).toContain('spotme_magic_url');
		const d1 = await c.get('/rest/v1/leads/describe.json');
		expect(d1.body.result.some((f: any) => f.rest?.name === 'spotme_magic_url')).toBe(true);
		const sync = await c.post('/rest/v1/leads.json', {
			input: [{ email: 'a@example.com', spotme_magic_url: 'https://x.example/a' }],
		});
		expect(sync.body.result[0].status).toBe('created');
	});

	it('refuses a lead field type Marketo does not create through the API (textarea) and caps program member fields at 20', async () => {
		const text = await c.post('/rest/v1/leads/schema/fields.json', {
			input: [{ name: 'notes', displayName: 'Notes', dataType: 'textarea' }],
		});
		expect(reasons(text)).toEqual(['1003']);
		const input = Array.from({ length: 21 }, (_, n) => ({
			name: `pm${n}`,
			displayName: `PM ${n}`,
			dataType: 'string',
		}));
		const pm = await c.post('/rest/v1/programs/members/schema/fields.json', { input });
		expect(reasons(pm).slice(-2)).toEqual(['created', '1028']);
		const desc = await c.get('/rest/v1/programs/members/describe.json');
		expect(desc.body.result[0].fields.map((f: any) => f.name)).toContain('pm19');
	});

	it('a custom object type is a draft until approved: no records, no data describe; adding fields edits the draft; describe shows both versions', async () => {
		await c.post('/rest/v1/customobjects/schema.json', {
			apiName: 'spotMeEventAttendance_c',
			displayName: 'SpotMe Event attendance',
		});
		expect(
			codeOf(await c.get('/rest/v1/customobjects/spotMeEventAttendance_c/describe.json')),
		).toBe('1013');
		expect(
			codeOf(
				await c.post('/rest/v1/customobjects/spotMeEventAttendance_c.json', {
					input: [{ personId: 1, spotMeUserId: 'u1' }],
				}),
			),
		).toBe('1013');
		const add = await c.post(
			'/rest/v1/customobjects/schema/spotMeEventAttendance_c/addField.json',
			{
				input: [
					{
						name: 'personId',
						displayName: 'Person Id',
						dataType: 'link',
						isDedupeField: true,
						relatedTo: { name: 'lead', field: 'id' },
					},
					{
						name: 'spotMeUserId',
						displayName: 'SpotMe User Id',
						dataType: 'string',
						isDedupeField: true,
					},
				],
			},
		);
		expect(reasons(add)).toEqual(['created', 'created']);
		expect(
			(await c.post('/rest/v1/customobjects/schema/spotMeEventAttendance_c/approve.json', {})).body
				.result[0].status,
		).toBe('approved');
		// A change after approval goes to a new draft; the approved version is unchanged until approved.
		await c.post('/rest/v1/customobjects/schema/spotMeEventAttendance_c/addField.json', {
			input: [{ name: 'attendanceType', displayName: 'Attendance type', dataType: 'string' }],
		});
		const draft = await c.get(
			'/rest/v1/customobjects/schema/spotMeEventAttendance_c/describe.json',
			{
				state: 'draft',
			},
		);
		const approved = await c.get(
			'/rest/v1/customobjects/schema/spotMeEventAttendance_c/describe.json',
			{ state: 'approved' },
		);
		expect(draft.body.result[0]).toMatchObject({ state: 'approvedWithDraft', version: 'draft' });
		expect(draft.body.result[0].fields.map((f: any) => f.name)).toContain('attendanceType');
		expect(approved.body.result[0].fields.map((f: any) => f.name)).not.toContain('attendanceType');
		const data = await c.get('/rest/v1/customobjects/spotMeEventAttendance_c/describe.json');
		expect(data.body.result[0].fields.map((f: any) => f.name)).not.toContain('attendanceType');
		// Discarding the draft keeps the approved version.
		await c.post('/rest/v1/customobjects/schema/spotMeEventAttendance_c/discardDraft.json', {});
		const state = await c.get('/rest/v1/customobjects/schema.json', {
			names: 'spotMeEventAttendance_c',
		});
		expect(state.body.result[0].state).toBe('approved');
		expect(
			codeOf(
				await c.post('/rest/v1/customobjects/schema/spotMeEventAttendance_c/discardDraft.json', {}),
			),
		).toBe('1048');
	});

	it('field rules: one link field, at most three dedupe fields, link needs a real linkable object and field, link type and relatedTo go together, names are API names', async () => {
		await c.post('/rest/v1/customobjects/schema.json', { apiName: 'scan_c', displayName: 'Scan' });
		const add = await c.post('/rest/v1/customobjects/schema/scan_c/addField.json', {
			input: [
				{
					name: 'ghost',
					displayName: 'Ghost',
					dataType: 'link',
					relatedTo: { name: 'nothing_c', field: 'id' },
				},
				{ name: 'noTarget', displayName: 'No target', dataType: 'link' },
				{
					name: 'wrongField',
					displayName: 'Wrong field',
					dataType: 'link',
					relatedTo: { name: 'lead', field: 'lastName' },
				},
				{
					name: 'personId',
					displayName: 'Person',
					dataType: 'link',
					relatedTo: { name: 'lead', field: 'id' },
				},
				{
					name: 'other',
					displayName: 'Other',
					dataType: 'link',
					relatedTo: { name: 'lead', field: 'email' },
				},
				{
					name: 'notLink',
					displayName: 'Not link',
					dataType: 'string',
					relatedTo: { name: 'lead', field: 'id' },
				},
				{ name: 'd1', displayName: 'D1', dataType: 'string', isDedupeField: true },
				{ name: 'd2', displayName: 'D2', dataType: 'string', isDedupeField: true },
				{ name: 'd3', displayName: 'D3', dataType: 'string', isDedupeField: true },
				{ name: 'd4', displayName: 'D4', dataType: 'string', isDedupeField: true },
				{ name: 'bad-name', displayName: 'Bad', dataType: 'string' },
				{ name: 'n', displayName: 'N', dataType: 'picklist' },
				{ name: 'marketoGUID', displayName: 'GUID', dataType: 'string' },
			],
		});
		expect(reasons(add)).toEqual([
			'1013',
			'1003',
			'1013',
			'created',
			'1003',
			'1003',
			'created',
			'created',
			'created',
			'1003',
			'1003',
			'1003',
			'1017',
		]);
		const badType = await c.post('/rest/v1/customobjects/schema.json', {
			apiName: 'has space_c',
			displayName: 'Bad',
		});
		expect(codeOf(badType)).toBe('1003');
	});

	it('approve needs a draft with at least one dedupe field (709); fieldDataTypes and linkableObjects list what addField accepts', async () => {
		await c.post('/rest/v1/customobjects/schema.json', {
			apiName: 'plain_c',
			displayName: 'Plain',
		});
		await c.post('/rest/v1/customobjects/schema/plain_c/addField.json', {
			input: [{ name: 'note', displayName: 'Note', dataType: 'string' }],
		});
		expect(codeOf(await c.post('/rest/v1/customobjects/schema/plain_c/approve.json', {}))).toBe(
			'709',
		);
		const types = await c.get('/rest/v1/customobjects/schema/fieldDataTypes.json');
		expect(types.body.result.map((t: any) => t.dataType)).toEqual(
			expect.arrayContaining(['string', 'boolean', 'integer', 'float', 'link']),
		);
		const linkable = await c.get('/rest/v1/customobjects/schema/linkableObjects.json');
		expect(linkable.body.result[0]).toMatchObject({ name: 'lead' });
		expect(linkable.body.result.map((o: any) => o.name)).not.toContain('plain_c'); // not approved
	});

	it('answers 603 when the role lacks the schema permission, and only for the endpoints that need it', async () => {
		emu.setPermissions({
			deny: ['Read-Write Custom Object Type', 'Read-Write Schema Custom Field'],
		});
		expect(
			codeOf(
				await c.post('/rest/v1/customobjects/schema.json', { apiName: 'x_c', displayName: 'X' }),
			),
		).toBe('603');
		expect(
			codeOf(
				await c.post('/rest/v1/leads/schema/fields.json', {
					input: [{ name: 'f', displayName: 'F', dataType: 'string' }],
				}),
			),
		).toBe('603');
		// Reading still works with the standard-field permission; so do other APIs.
		expect((await c.get('/rest/v1/leads/schema/fields.json')).body.success).toBe(true);
		expect((await c.get('/rest/v1/customobjects/schema.json')).body.success).toBe(true);
		emu.setPermissions({ deny: ['Read-Only Custom Object Type', 'Read-Write Custom Object Type'] });
		expect(codeOf(await c.get('/rest/v1/customobjects/schema.json'))).toBe('603');
		expect(emu.state.customObjectTypes.size).toBe(0);
		expect(emu.state.leadFields.some((f) => f.name === 'f')).toBe(false);
		// Control API
		const r = await fetch(`${emu.baseUrl}/__control/permissions`, {
			method: 'POST',
			body: JSON.stringify({ deny: [] }),
		});
		expect(r.status).toBe(200);
		expect((await c.get('/rest/v1/customobjects/schema.json')).body.success).toBe(true);
		emu.reset();
	});
});
