/**
 * Lead Field, Program Member Field and Custom Object Type through n8n's engine against the Marketo
 * emulator: what an admin does in Field Management and Marketo Custom Objects, by API.
 */
import type { MarketoEmulator } from '../../dev/emulators/marketo';
import { callsTo, marketoDropdown, runMarketo, startEmulator } from './setup';

type Option = { name: string; value: string; description?: string };

describe('Marketo schema operations', () => {
	let emu: MarketoEmulator;
	beforeAll(async () => {
		emu = await startEmulator();
	});
	afterAll(async () => {
		await emu.stop();
	});
	beforeEach(() => emu.reset());

	it('Lead Field Create: one field per item in one call; a refused one fails by name; the new field is in Get Many and in the lead field dropdown', async () => {
		emu.clearLog();
		const run = await runMarketo(
			emu,
			{
				resource: 'leadField',
				operation: 'create',
				fieldName: '={{ $json.name }}',
				displayName: '={{ $json.label }}',
				dataType: 'string',
			},
			[
				{ name: 'spotme_magic_url', label: 'SpotMe Magic URL' },
				{ name: 'email', label: 'Another Email' },
			],
			{ continueOnFail: true },
		);
		expect(callsTo(emu, '/rest/v1/leads/schema/fields.json')).toBe(1);
		expect(run.json[0]).toMatchObject({ name: 'spotme_magic_url', status: 'created' });
		expect(run.json[1]).toMatchObject({ code: '1017' });
		expect(run.paired).toEqual([0, 1]);
		const list = await runMarketo(emu, {
			resource: 'leadField',
			operation: 'getAll',
			customOnly: true,
		});
		expect(list.json.map((f) => f.name)).toEqual(['spotme_magic_url']);
		const dropdown = await marketoDropdown(emu, 'loadOptions', 'getLeadFields', {});
		expect(JSON.stringify(dropdown)).toContain('spotme_magic_url');

		const stop = await runMarketo(
			emu,
			{
				resource: 'leadField',
				operation: 'create',
				fieldName: 'spotme_magic_url',
				displayName: 'Other',
			},
			[{}],
		);
		expect(stop.error?.message).toMatch(/1017/);
		const bad = await runMarketo(emu, {
			resource: 'leadField',
			operation: 'create',
			fieldName: 'SpotMe Magic URL',
			displayName: 'x',
		});
		expect(bad.error?.message).toMatch(/not a Marketo field API name/);
	});

	it('Program Member Field Create and Get Many', async () => {
		const run = await runMarketo(emu, {
			resource: 'programMemberField',
			operation: 'create',
			fieldName: 'spotme_login_url',
			displayName: 'SpotMe Login URL',
			dataType: 'string',
			fieldOptions: { description: 'Login link' },
		});
		expect(run.error).toBeUndefined();
		expect(emu.state.programMemberFields.find((f) => f.name === 'spotme_login_url')).toMatchObject({
			displayName: 'SpotMe Login URL',
			dataType: 'string',
			description: 'Login link',
		});
		const list = await runMarketo(emu, { resource: 'programMemberField', operation: 'getAll' });
		expect(list.json.map((f) => f.name)).toContain('spotme_login_url');
		expect(list.json.map((f) => f.name)).toContain('statusName');
	});

	it('Custom Object Type: create (draft), add fields (link from linkableObjects, type from fieldDataTypes), get draft, approve, get approved, discard, delete', async () => {
		const base = { resource: 'customObjectType' };
		const created = await runMarketo(emu, {
			...base,
			operation: 'createOrUpdate',
			typeApiName: 'badgeScan_c',
			displayName: 'Badge scan',
		});
		expect(created.json[0]).toMatchObject({ apiName: 'badgeScan_c', status: 'created' });
		const types = (await marketoDropdown(
			emu,
			'loadOptions',
			'getCustomObjectTypesAnyState',
			{},
		)) as Option[];
		expect(types).toEqual([
			expect.objectContaining({ value: 'badgeScan_c', description: 'badgeScan_c (draft)' }),
		]);
		const dataTypes = (await marketoDropdown(
			emu,
			'loadOptions',
			'getCustomObjectFieldDataTypes',
			{},
		)) as Option[];
		expect(dataTypes.map((o) => o.value)).toEqual(expect.arrayContaining(['string', 'link']));
		const targets = (await marketoDropdown(
			emu,
			'loadOptions',
			'getCustomObjectLinkTargets',
			{},
		)) as Option[];
		expect(targets.map((o) => o.value)).toContain('lead.id');

		const added = await runMarketo(emu, {
			...base,
			operation: 'addFields',
			apiName: 'badgeScan_c',
			fields: {
				field: [
					{
						name: 'personId',
						displayName: 'Person Id',
						dataType: 'link',
						linkTo: 'lead.id',
						isDedupeField: true,
					},
					{ name: 'scanId', displayName: 'Scan Id', dataType: 'string', isDedupeField: true },
					{ name: 'booth', displayName: 'Booth', dataType: 'string' },
				],
			},
		});
		expect(added.json.map((f) => f.status)).toEqual(['created', 'created', 'created']);
		const draft = await runMarketo(emu, {
			...base,
			operation: 'get',
			apiName: 'badgeScan_c',
			version: 'draft',
		});
		expect(draft.json[0]).toMatchObject({ state: 'draft', dedupeFields: ['personId', 'scanId'] });
		const noApproved = await runMarketo(emu, {
			...base,
			operation: 'get',
			apiName: 'badgeScan_c',
			version: 'approved',
		});
		expect(noApproved.error?.message).toMatch(/1013/);
		const approved = await runMarketo(emu, {
			...base,
			operation: 'approve',
			apiName: 'badgeScan_c',
		});
		expect(approved.json[0]).toMatchObject({ status: 'approved' });
		const live = await runMarketo(emu, {
			...base,
			operation: 'get',
			apiName: 'badgeScan_c',
			version: 'approved',
		});
		expect(
			(live.json[0].fields as Array<{ name: string; relatedTo?: unknown }>).find(
				(f) => f.name === 'personId',
			),
		).toMatchObject({ relatedTo: { name: 'lead', field: 'id' } });
		// The record operations see it now.
		const coTypes = (await marketoDropdown(
			emu,
			'loadOptions',
			'getCustomObjectTypes',
			{},
		)) as Option[];
		expect(coTypes.map((o) => o.value)).toContain('badgeScan_c');

		const nothing = await runMarketo(emu, {
			...base,
			operation: 'discardDraft',
			apiName: 'badgeScan_c',
		});
		expect(nothing.error?.message).toMatch(/1048/);
		const gone = await runMarketo(emu, { ...base, operation: 'delete', apiName: 'badgeScan_c' });
		expect(gone.json[0]).toMatchObject({ status: 'deleted' });
		expect(emu.state.customObjectTypes.size).toBe(0);
	});

	it('Add Fields: a refused field fails the item by name, the others are added; a missing permission is 603 in words', async () => {
		await runMarketo(emu, {
			resource: 'customObjectType',
			operation: 'createOrUpdate',
			typeApiName: 'scan_c',
			displayName: 'Scan',
		});
		const run = await runMarketo(emu, {
			resource: 'customObjectType',
			operation: 'addFields',
			apiName: 'scan_c',
			fields: {
				field: [
					{ name: 'a', displayName: 'A', dataType: 'string' },
					{ name: 'createdAt', displayName: 'Created', dataType: 'string' },
				],
			},
		});
		expect(run.error?.message).toMatch(/did not add 1 of 2 fields to scan_c: createdAt \(1017/);
		emu.setPermissions({ deny: ['Read-Write Custom Object Type'] });
		const denied = await runMarketo(emu, {
			resource: 'customObjectType',
			operation: 'approve',
			apiName: 'scan_c',
		});
		expect(denied.error?.message).toMatch(/denied access \(603\)/);
	});
});
