/**
 * Custom Object resource through n8n's engine against the Marketo emulator. The SpotMe preset
 * defines spotMeAttendance_c (compound dedupe key personId + spotMeUserId + spotMeWorkspaceStreamId)
 * and spotMeEventAttendance_c (personId + spotMeUserId).
 */
import type { MarketoEmulator } from '../../dev/emulators/marketo';
import { seedPresets } from '../../dev/emulators/marketo';
import { marketoDropdown, runMarketo, startEmulator } from './setup';

const SESSION = 'spotMeAttendance_c';
const EVENT = 'spotMeEventAttendance_c';

function attendance(n: number, extra: Record<string, unknown> = {}) {
	return {
		personId: 100 + n,
		spotMeUserId: `user-${n}`,
		spotMeWorkspaceStreamId: `ws-1:stream-${n % 3}`,
		spotMeWorkspaceId: 'ws-1',
		attended: n % 2 === 0,
		liveWatchTime: n * 1.5,
		...extra,
	};
}

/** Create or Update with "Map Automatically": every input item is one record. */
const upsertAuto = (extra: Record<string, unknown> = {}) => ({
	resource: 'customObject',
	operation: 'upsert',
	customObjectName: SESSION,
	syncAction: 'createOrUpdate',
	dedupeBy: 'dedupeFields',
	columns: { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema: [] },
	...extra,
});

describe('Marketo Custom Object', () => {
	let emu: MarketoEmulator;
	const records = (name = SESSION) => emu.state.customObjects.get(name) ?? [];

	beforeAll(async () => {
		emu = await startEmulator();
	});
	afterAll(async () => {
		await emu.stop();
	});
	beforeEach(() => {
		emu.reset();
		emu.seed(seedPresets.spotme({ withSampleData: false }));
	});

	describe('Create or Update', () => {
		it('creates each record once, and updates it (not duplicates it) when run again', async () => {
			const input = [attendance(1), attendance(2), attendance(3)];
			const first = await runMarketo(emu, upsertAuto(), input);
			expect(first.error).toBeUndefined();
			expect(first.json.map((r) => r.status)).toEqual(['created', 'created', 'created']);
			expect(first.paired).toEqual([0, 1, 2]);
			expect(records()).toHaveLength(3);
			const guids = first.json.map((r) => r.marketoGUID);
			expect(new Set(guids).size).toBe(3);

			const second = await runMarketo(
				emu,
				upsertAuto(),
				input.map((r) => ({ ...r, liveWatchTime: 42 })),
			);
			expect(second.json.map((r) => r.status)).toEqual(['updated', 'updated', 'updated']);
			expect(second.json.map((r) => r.marketoGUID)).toEqual(guids);
			expect(records()).toHaveLength(3);
			expect(records().every((r) => r.liveWatchTime === 42)).toBe(true);
		});

		it('sends 650 items as three calls of at most 300 and maps every result back to its item in order', async () => {
			const input = Array.from({ length: 650 }, (_, n) => attendance(n));
			emu.clearLog();
			const out = await runMarketo(emu, upsertAuto(), input);
			expect(out.error).toBeUndefined();
			expect(out.json).toHaveLength(650);
			expect(out.paired).toEqual(input.map((_, n) => n));
			expect(out.json.map((r) => r.spotMeUserId)).toEqual(input.map((r) => r.spotMeUserId));
			const writes = emu
				.requestLog()
				.filter((r) => r.method === 'POST' && r.path.endsWith(`/customobjects/${SESSION}.json`));
			expect(writes).toHaveLength(3);
			expect(records()).toHaveLength(650);
		});

		it('a 606/615 storm during a 650-record upsert loses no record and duplicates none', async () => {
			emu.setFaults({ error606: 0.3, error615: 0.2, seed: 7, paths: ['/customobjects/'] });
			try {
				const input = Array.from({ length: 650 }, (_, n) => attendance(n));
				const out = await runMarketo(emu, upsertAuto(), input);
				expect(out.error).toBeUndefined();
				expect(out.json.filter((r) => r.status === 'created')).toHaveLength(650);
			} finally {
				emu.setFaults({});
			}
			expect(emu.requestLog().some((r) => r.code === '606' || r.code === '615')).toBe(true);
			expect(records()).toHaveLength(650);
			expect(new Set(records().map((r) => r.spotMeUserId)).size).toBe(650);
		});

		it('maps the fields defined below (resource mapper) and leaves unset fields alone', async () => {
			const out = await runMarketo(
				emu,
				{
					...upsertAuto(),
					customObjectName: EVENT,
					columns: {
						mappingMode: 'defineBelow',
						value: {
							personId: '={{ $json.leadId }}',
							spotMeUserId: '={{ $json.user }}',
							attendanceStatus: 'Attended',
							attendanceType: null,
						},
						matchingColumns: [],
						schema: [],
					},
				},
				[{ leadId: 7, user: 'u-7' }],
			);
			expect(out.error).toBeUndefined();
			expect(records(EVENT)).toEqual([
				expect.objectContaining({ personId: 7, spotMeUserId: 'u-7', attendanceStatus: 'Attended' }),
			]);
			expect(records(EVENT)[0].attendanceType ?? null).toBeNull();
		});

		it('a record missing a dedupe field is bad input on its own item; Continue on Fail lets the others through', async () => {
			const input = [attendance(1), { personId: 5, spotMeUserId: 'user-5' }, attendance(3)];
			const failed = await runMarketo(emu, upsertAuto(), input);
			expect(failed.error?.message).toMatch(/lacks "spotMeWorkspaceStreamId"/);
			expect(records()).toHaveLength(0);

			const cont = await runMarketo(emu, upsertAuto(), input, { continueOnFail: true });
			expect(cont.error).toBeUndefined();
			expect(cont.paired).toEqual([0, 1, 2]);
			expect(cont.json[1].error).toMatch(/spotMeWorkspaceStreamId/);
			expect(cont.json[1].input).toEqual({ personId: 5, spotMeUserId: 'user-5' });
			expect(cont.json[0].status).toBe('created');
			expect(cont.json[2].status).toBe('created');
			expect(records()).toHaveLength(2);
		});

		it('a field the custom object does not have is bad input naming the field', async () => {
			const out = await runMarketo(emu, upsertAuto(), [attendance(1, { colour: 'red' })]);
			expect(out.error?.message).toMatch(
				/"colour" is not a field of custom object spotMeAttendance_c/,
			);
			expect(records()).toHaveLength(0);
		});

		it('an unknown custom object is bad input naming the parameter and the objects that exist', async () => {
			const out = await runMarketo(emu, upsertAuto({ customObjectName: 'car_c' }), [attendance(1)]);
			expect(out.error?.message).toMatch(/no custom object named "car_c"/);
			expect(out.error?.description).toMatch(/"Custom Object" parameter/);
			expect(out.error?.description).toMatch(/spotMeAttendance_c/);

			emu.clearLog();
			const cont = await runMarketo(
				emu,
				upsertAuto({ customObjectName: 'car_c' }),
				[attendance(1), attendance(2)],
				{
					continueOnFail: true,
				},
			);
			expect(cont.json.map((r) => r.error)).toEqual([
				expect.stringMatching(/no custom object named "car_c"/),
				expect.stringMatching(/no custom object named "car_c"/),
			]);
			expect(cont.paired).toEqual([0, 1]);
			expect(emu.requestLog().filter((r) => r.path.includes('/car_c/describe.json'))).toHaveLength(
				1,
			);
		});

		it('a record Marketo skips becomes an error item with its code, message and input (Continue on Fail)', async () => {
			await runMarketo(emu, upsertAuto(), [attendance(2)]);
			const input = [attendance(1), attendance(2), attendance(3)];
			const cont = await runMarketo(emu, upsertAuto({ syncAction: 'createOnly' }), input, {
				continueOnFail: true,
			});
			expect(cont.error).toBeUndefined();
			expect(cont.paired).toEqual([0, 1, 2]);
			expect(cont.json[0].status).toBe('created');
			expect(cont.json[2].status).toBe('created');
			expect(cont.json[1]).toEqual(
				expect.objectContaining({
					code: expect.stringMatching(/^\d{4}$/),
					input: attendance(2),
					error: expect.any(String),
				}),
			);
			expect(records()).toHaveLength(3);

			const failed = await runMarketo(emu, upsertAuto({ syncAction: 'createOnly' }), [
				attendance(2),
			]);
			expect(failed.error?.message).toMatch(/item 0/);
		});

		it('a record skipped in the second batch is reported on its own item, the others around it are written', async () => {
			emu.setFaults({
				perRecord: [
					{
						kind: 'customObject',
						match: { spotMeUserId: 'user-310' },
						code: '1001',
						message: "Invalid value 'x'",
					},
				],
			});
			try {
				const input = Array.from({ length: 320 }, (_, n) => attendance(n));
				const out = await runMarketo(emu, upsertAuto(), input, { continueOnFail: true });
				expect(out.error).toBeUndefined();
				expect(out.paired).toEqual(input.map((_, n) => n));
				expect(out.json[310]).toEqual(
					expect.objectContaining({
						code: '1001',
						message: "Invalid value 'x'",
						input: attendance(310),
					}),
				);
				expect(out.json.filter((r) => r.status === 'created')).toHaveLength(319);
				expect(out.json[311]).toEqual(
					expect.objectContaining({ spotMeUserId: 'user-311', status: 'created' }),
				);
			} finally {
				emu.setFaults({});
			}
			expect(records()).toHaveLength(319);
			expect(records().some((r) => r.spotMeUserId === 'user-310')).toBe(false);
		});

		it('a daily quota (607) on a write makes every item an error item with Continue on Fail, and names the item without it', async () => {
			const input = [attendance(1), attendance(2), attendance(3)];
			emu.setFaults({
				script: [{ fault: '607', path: `/customobjects/${SESSION}.json`, times: 2 }],
			});
			const cont = await runMarketo(emu, upsertAuto(), input, { continueOnFail: true });
			expect(cont.error).toBeUndefined();
			expect(cont.paired).toEqual([0, 1, 2]);
			for (const json of cont.json) {
				expect(json).toEqual(
					expect.objectContaining({ code: '607', error: expect.stringMatching(/daily API quota/) }),
				);
			}
			const failed = await runMarketo(emu, upsertAuto(), input);
			expect(failed.error?.message).toMatch(/daily API quota/);
			expect((failed.error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(0);
			expect(records()).toHaveLength(0);
		});

		it('updates by Marketo GUID with Update Only', async () => {
			const created = await runMarketo(emu, upsertAuto(), [attendance(1)]);
			const guid = created.json[0].marketoGUID as string;
			const out = await runMarketo(
				emu,
				upsertAuto({ syncAction: 'updateOnly', dedupeBy: 'idField' }),
				[{ marketoGUID: guid, questionsAsked: 4 }],
			);
			expect(out.error).toBeUndefined();
			expect(out.json[0]).toEqual(
				expect.objectContaining({ status: 'updated', marketoGUID: guid }),
			);
			expect(records()).toEqual([
				expect.objectContaining({ marketoGUID: guid, questionsAsked: 4, spotMeUserId: 'user-1' }),
			]);
		});
	});

	describe('Get Many', () => {
		beforeEach(async () => {
			const out = await runMarketo(emu, upsertAuto(), [
				attendance(1),
				attendance(2),
				attendance(4),
				attendance(7),
			]);
			expect(out.error).toBeUndefined();
		});

		it('finds a record by its compound dedupe key (POST ?_method=GET) with every field', async () => {
			emu.clearLog();
			const out = await runMarketo(emu, {
				resource: 'customObject',
				operation: 'getAll',
				customObjectName: SESSION,
				filterType: 'dedupeFields',
				dedupeKeys: {
					field: [
						{ name: 'personId', value: '102' },
						{ name: 'spotMeUserId', value: 'user-2' },
						{ name: 'spotMeWorkspaceStreamId', value: 'ws-1:stream-2' },
					],
				},
				returnAll: true,
			});
			expect(out.error).toBeUndefined();
			expect(out.json).toEqual([
				expect.objectContaining({ spotMeUserId: 'user-2', liveWatchTime: 3, attended: true }),
			]);
			expect(
				emu
					.requestLog()
					.some((r) => r.method === 'POST' && r.path.endsWith(`/customobjects/${SESSION}.json`)),
			).toBe(true);
		});

		it('looks up the keys of 400 items in 2 queries and gives each item its own record', async () => {
			await runMarketo(
				emu,
				upsertAuto(),
				Array.from({ length: 400 }, (_, n) => attendance(n + 10)),
			);
			emu.clearLog();
			const people = Array.from({ length: 400 }, (_, n) => attendance(n + 10));
			const out = await runMarketo(
				emu,
				{
					resource: 'customObject',
					operation: 'getAll',
					customObjectName: SESSION,
					filterType: 'dedupeFields',
					dedupeKeys: {
						field: [
							{ name: 'personId', value: '={{ $json.personId }}' },
							{ name: 'spotMeUserId', value: '={{ $json.spotMeUserId }}' },
							{ name: 'spotMeWorkspaceStreamId', value: '={{ $json.spotMeWorkspaceStreamId }}' },
						],
					},
					returnAll: true,
				},
				people,
			);
			expect(out.error).toBeUndefined();
			expect(out.json).toHaveLength(400);
			expect(out.paired).toEqual(people.map((_, n) => n));
			expect(out.json.map((r) => r.spotMeUserId)).toEqual(people.map((p) => p.spotMeUserId));
			expect(
				emu.requestLog().filter((r) => r.path.endsWith(`/customobjects/${SESSION}.json`)),
			).toHaveLength(2);
		});

		it('applies the limit per item when items share a query', async () => {
			const out = await runMarketo(
				emu,
				{
					resource: 'customObject',
					operation: 'getAll',
					customObjectName: SESSION,
					filterType: 'personId',
					filterValues: '={{ $json.ids }}',
					returnAll: false,
					limit: 1,
				},
				[{ ids: '101,102' }, { ids: '104' }, { ids: '999' }],
			);
			expect(out.error).toBeUndefined();
			expect(out.paired).toEqual([0, 1]);
			expect(out.json.map((r) => r.personId)).toEqual([101, 104]);
		});

		it('finds records by Marketo GUID and honours the limit', async () => {
			const guids = records().map((r) => r.marketoGUID);
			const out = await runMarketo(emu, {
				resource: 'customObject',
				operation: 'getAll',
				customObjectName: SESSION,
				filterType: 'idField',
				filterValues: guids.join(','),
				returnAll: false,
				limit: 3,
			});
			expect(out.error).toBeUndefined();
			expect(out.json).toHaveLength(3);
			expect(guids).toEqual(expect.arrayContaining(out.json.map((r) => r.marketoGUID)));
		});

		it("finds a lead's records by the searchable link field (GET with filterValues)", async () => {
			const out = await runMarketo(emu, {
				resource: 'customObject',
				operation: 'getAll',
				customObjectName: SESSION,
				filterType: 'personId',
				filterValues: '102, 107',
				returnAll: true,
			});
			expect(out.error).toBeUndefined();
			expect(out.json.map((r) => r.spotMeUserId).sort()).toEqual(['user-2', 'user-7']);
			expect(out.json[0]).toEqual(expect.objectContaining({ liveWatchTime: expect.any(Number) }));
		});

		it('records from Get Many can be fed straight back into Create or Update (Marketo-kept fields are left out)', async () => {
			const found = await runMarketo(emu, {
				resource: 'customObject',
				operation: 'getAll',
				customObjectName: SESSION,
				filterType: 'personId',
				filterValues: '101,102',
				returnAll: true,
			});
			expect(found.json[0]).toEqual(
				expect.objectContaining({ marketoGUID: expect.any(String), createdAt: expect.any(String) }),
			);
			const edited = found.json.map((r) => ({ ...r, questionsAsked: 9 }));
			const out = await runMarketo(emu, upsertAuto(), edited);
			expect(out.error).toBeUndefined();
			expect(out.json.map((r) => r.status)).toEqual(['updated', 'updated']);
			expect(records()).toHaveLength(4);
			expect(
				records()
					.filter((r) => r.questionsAsked === 9)
					.map((r) => r.personId)
					.sort(),
			).toEqual([101, 102]);
		});

		it('a field the object cannot be searched by is bad input naming "Filter By"', async () => {
			const out = await runMarketo(emu, {
				resource: 'customObject',
				operation: 'getAll',
				customObjectName: SESSION,
				filterType: 'liveWatchTime',
				filterValues: '3',
				returnAll: true,
			});
			expect(out.error?.message).toMatch(/cannot be looked up by "liveWatchTime"/);
			expect(out.error?.description).toMatch(/"Filter By"/);
		});

		it('an incomplete compound key is bad input naming the missing dedupe field', async () => {
			const out = await runMarketo(emu, {
				resource: 'customObject',
				operation: 'getAll',
				customObjectName: SESSION,
				filterType: 'dedupeFields',
				dedupeKeys: { field: [{ name: 'personId', value: '102' }] },
				returnAll: true,
			});
			expect(out.error?.message).toMatch(/lacks spotMeUserId, spotMeWorkspaceStreamId/);
		});
	});

	describe('Delete', () => {
		it('deletes by compound dedupe key and by Marketo GUID; a record that is not there is an error item', async () => {
			const created = await runMarketo(emu, upsertAuto(), [
				attendance(1),
				attendance(2),
				attendance(3),
			]);
			const guid3 = created.json[2].marketoGUID;
			const byKey = await runMarketo(
				emu,
				{
					resource: 'customObject',
					operation: 'delete',
					customObjectName: SESSION,
					deleteBy: 'dedupeFields',
					dedupeKeys: {
						field: [
							{ name: 'personId', value: '={{ $json.personId }}' },
							{ name: 'spotMeUserId', value: '={{ $json.spotMeUserId }}' },
							{ name: 'spotMeWorkspaceStreamId', value: '={{ $json.spotMeWorkspaceStreamId }}' },
						],
					},
				},
				[attendance(1), attendance(9)],
				{ continueOnFail: true },
			);
			expect(byKey.error).toBeUndefined();
			expect(byKey.paired).toEqual([0, 1]);
			expect(byKey.json[0]).toEqual(expect.objectContaining({ deleted: true }));
			expect(byKey.json[1]).toEqual(
				expect.objectContaining({ code: expect.any(String), error: expect.any(String) }),
			);

			const byGuid = await runMarketo(emu, {
				resource: 'customObject',
				operation: 'delete',
				customObjectName: SESSION,
				deleteBy: 'idField',
				marketoGUID: String(guid3),
			});
			expect(byGuid.json).toEqual([expect.objectContaining({ deleted: true, marketoGUID: guid3 })]);
			expect(records().map((r) => r.spotMeUserId)).toEqual(['user-2']);
		});
	});

	describe('Delete: quota', () => {
		it('a daily quota (607) on delete makes every item an error item with Continue on Fail and deletes nothing', async () => {
			await runMarketo(emu, upsertAuto(), [attendance(1), attendance(2)]);
			emu.setFaults({
				script: [{ fault: '607', path: `/customobjects/${SESSION}/delete.json`, times: 1 }],
			});
			const out = await runMarketo(
				emu,
				{
					resource: 'customObject',
					operation: 'delete',
					customObjectName: SESSION,
					deleteBy: 'idField',
					marketoGUID: '={{ $json.guid }}',
				},
				records().map((r) => ({ guid: r.marketoGUID })),
				{ continueOnFail: true },
			);
			expect(out.error).toBeUndefined();
			expect(out.paired).toEqual([0, 1]);
			expect(out.json.map((j) => j.code)).toEqual(['607', '607']);
			expect(records()).toHaveLength(2);
		});
	});

	describe('Get Fields and Get Types', () => {
		it('Get Fields lists the fields with their dedupe flag', async () => {
			const out = await runMarketo(emu, {
				resource: 'customObject',
				operation: 'getFields',
				customObjectName: EVENT,
			});
			const byName = Object.fromEntries(out.json.map((f) => [f.name, f]));
			expect(byName.personId).toEqual(
				expect.objectContaining({ isDedupeField: true, customObject: EVENT }),
			);
			expect(byName.spotMeUserId.isDedupeField).toBe(true);
			expect(byName.attendanceStatus.isDedupeField).toBe(false);
		});

		it('Get Types lists the custom object types, optionally only the named ones', async () => {
			const all = await runMarketo(emu, { resource: 'customObject', operation: 'getTypes' });
			expect(all.json.map((t) => t.name).sort()).toEqual([SESSION, EVENT]);
			const one = await runMarketo(emu, {
				resource: 'customObject',
				operation: 'getTypes',
				names: EVENT,
			});
			expect(one.json).toEqual([
				expect.objectContaining({ name: EVENT, dedupeFields: ['personId', 'spotMeUserId'] }),
			]);
		});
	});

	describe('dropdowns', () => {
		it('list the object types, the lookups and the mapper fields from the live API', async () => {
			const types = (await marketoDropdown(
				emu,
				'loadOptions',
				'getCustomObjectTypes',
				{},
			)) as Array<{ value: string }>;
			expect(types.map((t) => t.value).sort()).toEqual([SESSION, EVENT]);

			const filters = (await marketoDropdown(emu, 'loadOptions', 'getCustomObjectFilterTypes', {
				resource: 'customObject',
				operation: 'getAll',
				customObjectName: SESSION,
			})) as Array<{ value: string }>;
			expect(filters.map((f) => f.value)).toEqual(
				expect.arrayContaining(['dedupeFields', 'idField']),
			);

			const columns = (await marketoDropdown(emu, 'resourceMapping', 'getCustomObjectColumns', {
				resource: 'customObject',
				operation: 'upsert',
				customObjectName: SESSION,
				dedupeBy: 'dedupeFields',
			})) as { fields: Array<{ id: string; required: boolean; displayName: string }> };
			const required = columns.fields
				.filter((f) => f.required)
				.map((f) => f.id)
				.sort();
			expect(required).toEqual(['personId', 'spotMeUserId', 'spotMeWorkspaceStreamId']);
			expect(columns.fields.map((f) => f.id)).toEqual(
				expect.arrayContaining(['liveWatchTime', 'attended']),
			);
			expect(columns.fields.map((f) => f.id)).not.toContain('createdAt');
			// Labels fit the mapper's row (n8n cuts them with "…" from about 22 characters): the
			// display name alone, without the object's own first word or a "(dedupe)" note.
			const label = (id: string) => columns.fields.find((f) => f.id === id)?.displayName;
			expect(label('spotMeWorkspaceStreamId')).toBe('Workspace + Stream Id');
			expect(label('spotMeUserId')).toBe('User Id');
			expect(label('personId')).toBe('Person Id');
			expect(columns.fields.filter((f) => f.displayName.length > 22)).toEqual([]);
		});
	});
});
