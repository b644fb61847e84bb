/**
 * Set Up SpotMe Schema through n8n's engine against the Marketo emulator. What it must build is
 * checked against the emulator's own SpotMe preset (dev/emulators/marketo/presets.ts, written from
 * SpotMe's guide separately from the node's helpers/spotmeSchema.ts).
 */
import type { IDataObject } from 'n8n-workflow';

import type { MarketoEmulator, SeedData } from '../../dev/emulators/marketo';
import { seedPresets } from '../../dev/emulators/marketo';
import { restCalls, runMarketo, startEmulator } from './setup';

const setUp = (mode: 'plan' | 'apply', extra: IDataObject = {}) => ({
	resource: 'spotMeSchema',
	operation: 'setUp',
	mode,
	...extra,
});

type Step = { target: string; name: string; object?: string; action: string; result?: string };
const steps = (json: IDataObject) => json.steps as unknown as Step[];
const writes = (emu: MarketoEmulator) => restCalls(emu).filter((c) => c.method === 'POST');

/** The instance as the preset (the guide) describes it: every field and object, approved. */
function expectGuideSchema(emu: MarketoEmulator) {
	const preset = seedPresets.spotme({ withSampleData: false });
	for (const f of preset.leadFields ?? [])
		expect(emu.state.leadFields.find((x) => x.name === f.name)).toMatchObject({
			displayName: f.displayName,
			dataType: f.dataType,
		});
	for (const f of preset.programMemberFields ?? [])
		expect(emu.state.programMemberFields.find((x) => x.name === f.name)).toMatchObject({
			displayName: f.displayName,
			dataType: f.dataType,
		});
	for (const t of preset.customObjectTypes ?? []) {
		const type = emu.state.customObjectTypes.get(t.name);
		expect({ name: t.name, approved: !!type?.approved, draft: !!type?.draft }).toEqual({
			name: t.name,
			approved: true,
			draft: false,
		});
		expect(type!.approved!.displayName).toBe(t.displayName);
		const have = type!.approved!.fields.map((f) => ({
			name: f.name,
			displayName: f.displayName,
			dataType: f.dataType,
			isDedupeField: !!f.isDedupeField,
			relatedTo: f.relatedTo,
			description: f.description,
		}));
		expect(have).toEqual(
			t.fields.map((f) => ({
				name: f.name,
				displayName: f.displayName,
				dataType: f.dataType,
				isDedupeField: !!f.isDedupeField,
				relatedTo: f.relatedTo,
				description: (f as { description?: string }).description,
			})),
		);
	}
}

describe('Marketo SpotMe Schema: Set Up', () => {
	let emu: MarketoEmulator;
	beforeAll(async () => {
		emu = await startEmulator();
	});
	afterAll(async () => {
		await emu.stop();
	});
	beforeEach(() => emu.reset());

	it('from an empty instance: the plan lists everything and writes nothing; Apply builds it all, approved, in 8 writes; a second run has nothing to do and writes nothing', async () => {
		const plan = await runMarketo(emu, setUp('plan'));
		expect(plan.error).toBeUndefined();
		const p = plan.json[0];
		expect(p).toMatchObject({
			nothingToDo: false,
			toCreate: 4,
			toAdd: 17,
			toApprove: 2,
			differs: 0,
		});
		expect(writes(emu)).toHaveLength(0);
		expect(emu.state.customObjectTypes.size).toBe(0);

		emu.clearLog();
		const apply = await runMarketo(emu, setUp('apply'));
		expect(apply.error).toBeUndefined();
		expect(steps(apply.json[0]).filter((s) => s.result && s.result !== 'done')).toEqual([]);
		expectGuideSchema(emu);
		// 2 field creates, and per object: create, addField, approve.
		expect(writes(emu)).toHaveLength(8);

		emu.clearLog();
		const again = await runMarketo(emu, setUp('apply'));
		expect(again.error).toBeUndefined();
		expect(again.json[0]).toMatchObject({ nothingToDo: true, toCreate: 0, toAdd: 0, toApprove: 0 });
		expect(again.json[0].summary).toMatch(/^Nothing to do/);
		expect(writes(emu)).toHaveLength(0);
		// Reading: lead fields, program member fields, the object list, one describe per object.
		expect(restCalls(emu)).toHaveLength(5);
	});

	it('a partly set-up instance: a missing field is created, a draft object approved, a missing field added to an approved object; a field of another type is reported and left as it is', async () => {
		const preset = seedPresets.spotme({ withSampleData: false });
		const seed: SeedData = {
			...preset,
			// wrong type: Marketo cannot change it, the set-up must not try
			leadFields: [
				{ name: 'spotme_magic_url', displayName: 'SpotMe Magic URL', dataType: 'integer' },
			],
			programMemberFields: [], // missing
			customObjectTypes: preset.customObjectTypes!.map((t) =>
				t.name === 'spotMeEventAttendance_c'
					? { ...t, state: 'draft' as const } // in draft, never approved
					: { ...t, fields: t.fields.filter((f) => f.name !== 'questionsAsked') },
			),
			customObjects: {
				spotMeAttendance_c: [{ personId: 1, spotMeUserId: 'u1', spotMeWorkspaceStreamId: 'w:s' }],
			},
		};
		emu.seed(seed);
		const plan = await runMarketo(emu, setUp('plan'));
		const byName = (json: IDataObject, name: string, object?: string) =>
			steps(json).filter((s) => s.name === name && (object === undefined || s.object === object));
		expect(byName(plan.json[0], 'spotme_magic_url')[0]).toMatchObject({ action: 'differs' });
		expect(byName(plan.json[0], 'spotme_login_url')[0]).toMatchObject({ action: 'create' });
		expect(byName(plan.json[0], 'questionsAsked')[0]).toMatchObject({ action: 'add' });
		expect(
			byName(plan.json[0], 'spotMeEventAttendance_c', 'spotMeEventAttendance_c')[0],
		).toMatchObject({ action: 'approve' });
		expect(plan.json[0]).toMatchObject({ toCreate: 1, toAdd: 1, toApprove: 2, differs: 1 });
		expect(writes(emu)).toHaveLength(0);

		const apply = await runMarketo(emu, setUp('apply'));
		// The run fails loudly about what needs a human, after doing the rest.
		expect(apply.error?.message).toMatch(
			/1 thing needs a human: spotme_magic_url: .*type integer; SpotMe needs string/,
		);
		expect(emu.state.leadFields.find((f) => f.name === 'spotme_magic_url')?.dataType).toBe(
			'integer',
		);
		expect(emu.state.programMemberFields.map((f) => f.name)).toContain('spotme_login_url');
		const attendance = emu.state.customObjectTypes.get('spotMeAttendance_c')!;
		expect(attendance.draft).toBeUndefined();
		expect(attendance.approved!.fields.map((f) => f.name)).toContain('questionsAsked');
		expect(emu.state.customObjects.get('spotMeAttendance_c')).toHaveLength(1); // records kept
		const event = emu.state.customObjectTypes.get('spotMeEventAttendance_c')!;
		expect({ approved: !!event.approved, draft: !!event.draft }).toEqual({
			approved: true,
			draft: false,
		});

		// With Continue on Fail the same report is an error item that carries the steps.
		emu.clearLog();
		const again = await runMarketo(emu, setUp('apply'), [{}], { continueOnFail: true });
		expect(again.json[0]).toMatchObject({ nothingToDo: true, differs: 1 });
		expect(String(again.json[0].error)).toMatch(/spotme_magic_url/);
		expect(writes(emu)).toHaveLength(0);
	});

	it('an approved object without a dedupe or link field is reported (Marketo takes them only before approval), and a draft with a wrong-typed field is not approved', async () => {
		const preset = seedPresets.spotme({ withSampleData: false });
		emu.seed({
			...preset,
			customObjectTypes: preset.customObjectTypes!.map((t) =>
				t.name === 'spotMeAttendance_c'
					? { ...t, fields: t.fields.filter((f) => f.name !== 'spotMeWorkspaceStreamId') }
					: {
							...t,
							state: 'draft' as const,
							fields: t.fields.map((f) =>
								f.name === 'attendanceStatus' ? { ...f, dataType: 'integer' as const } : f,
							),
						},
			),
		});
		const apply = await runMarketo(emu, setUp('apply'), [{}], { continueOnFail: true });
		const all = steps(apply.json[0]);
		expect(all.find((s) => s.name === 'spotMeWorkspaceStreamId')).toMatchObject({
			action: 'differs',
		});
		expect(all.find((s) => s.name === 'attendanceStatus')).toMatchObject({ action: 'differs' });
		expect(all.filter((s) => s.action === 'approve')).toEqual([]);
		expect(emu.state.customObjectTypes.get('spotMeEventAttendance_c')!.approved).toBeUndefined();
		expect(String(apply.json[0].error)).toMatch(/needs? a human/);
	});

	it('extra fields go with the SpotMe ones; a missing permission stops with 603 in words and creates nothing', async () => {
		const apply = await runMarketo(
			emu,
			setUp('apply', {
				extraFields: {
					field: [
						{
							on: 'lead',
							name: 'spotme_badge_id',
							displayName: 'SpotMe Badge Id',
							dataType: 'string',
						},
						{
							on: 'spotMeAttendance_c',
							name: 'pollAnswers',
							displayName: 'Poll answers',
							dataType: 'integer',
						},
					],
				},
			}),
		);
		expect(apply.error).toBeUndefined();
		expect(emu.state.leadFields.map((f) => f.name)).toContain('spotme_badge_id');
		expect(
			emu.state.customObjectTypes.get('spotMeAttendance_c')!.approved!.fields.map((f) => f.name),
		).toContain('pollAnswers');

		emu.reset();
		emu.setPermissions({
			deny: ['Read-Write Schema Custom Field', 'Read-Write Custom Object Type'],
		});
		const denied = await runMarketo(emu, setUp('apply'));
		expect(denied.error?.message).toMatch(/denied access \(603\)/);
		expect(emu.state.customObjectTypes.size).toBe(0);
		expect(emu.state.leadFields.some((f) => f.name === 'spotme_magic_url')).toBe(false);
	});

	it('a write whose answer is lost is not done twice: the re-sent create/addField answer 1017 and the re-sent approve 709, and the set-up still ends complete', async () => {
		emu.setFaults({
			script: [
				{ fault: 'dropAfterWrite', path: '/leads/schema/fields.json', method: 'POST' },
				{ fault: 'dropAfterWrite', path: '/customobjects/schema.json', method: 'POST' },
				{ fault: 'dropAfterWrite', path: '/addField.json', method: 'POST' },
				{ fault: 'dropAfterWrite', path: '/approve.json', method: 'POST' },
			],
		});
		const apply = await runMarketo(emu, setUp('apply'));
		emu.setFaults({});
		expect(apply.error).toBeUndefined();
		expect(steps(apply.json[0]).filter((s) => s.result && s.result !== 'done')).toEqual([]);
		expectGuideSchema(emu);
		expect(emu.state.leadFields.filter((f) => f.name === 'spotme_magic_url')).toHaveLength(1);
		const again = await runMarketo(emu, setUp('plan'));
		expect(again.json[0]).toMatchObject({ nothingToDo: true, differs: 0 });
	});
});
