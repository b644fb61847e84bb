/**
 * The set-up workflow (workflows/set-up-marketo-for-spotme.json) in a real n8n, on a Marketo
 * emulator that has the demo's leads and programs but none of SpotMe's schema: one run builds every
 * field and custom object the other workflows need, approved; a second run has nothing to do; then
 * the SpotMe → Marketo lead push and the attendance → custom objects workflows run green on the
 * instance it built (not on the emulator's ready-made SpotMe preset).
 */
import { seedPresets, type MarketoEmulator } from '../../dev/emulators/marketo';
import type { SpotMeEmulator } from '../../dev/emulators/spotme';
import {
	marketoSeed,
	spotMeOnlyPeople,
	SUMMIT_PROGRAM_ID,
	SUMMIT_WORKSPACE,
} from '../../dev/lib/seed';
import {
	FIRST_START_TIMEOUT_MS,
	nodeOutput,
	type N8nInstance,
	type N8nRun,
} from '../../dev/n8n/harness';
import {
	assertRunSucceeded,
	configureBundled,
	startWorkflowStack,
	type CredentialIds,
	type WorkflowStack,
} from '../../dev/n8n/stack';

let stack: WorkflowStack;
let n8n: N8nInstance;
let marketo: MarketoEmulator;
let spotme: SpotMeEmulator;
let credentialIds: CredentialIds;

/** Imports a bundled workflow as a user would: credentials picked, Settings values typed. */
const importBundled = async (file: string, settings: Record<string, unknown>) =>
	await n8n.importWorkflow(configureBundled(file, credentialIds, { settings }));

const expectSuccess = (run: N8nRun) => assertRunSucceeded(run, Object.values(stack.secrets));

beforeAll(async () => {
	// Marketo without SpotMe's schema: the demo's leads and programs only.
	const { leadFields: _l, programMemberFields: _p, customObjectTypes: _c, ...rest } = marketoSeed();
	stack = await startWorkflowStack('schema-test', { marketoSeed: rest });
	({ n8n, marketo, spotme, credentialIds } = stack);
}, FIRST_START_TIMEOUT_MS);

afterAll(async () => await stack?.stop(), 60000);

describe('set-up-marketo-for-spotme.json in a real n8n', () => {
	it('from an instance without SpotMe schema: plans, builds every field and object approved; a second run has nothing to do and writes nothing', async () => {
		expect(marketo.state.customObjectTypes.size).toBe(0);
		expect(marketo.state.leadFields.some((f) => f.name === 'spotme_magic_url')).toBe(false);
		const id = await importBundled('set-up-marketo-for-spotme.json', {});
		const run = await n8n.execute(id);
		expectSuccess(run);
		const [plan] = nodeOutput(run, 'Marketo: Plan SpotMe Schema');
		expect(plan).toMatchObject({ mode: 'plan', toCreate: 4, toAdd: 17, toApprove: 2, differs: 0 });
		const [applied] = nodeOutput(run, 'Marketo: Apply SpotMe Schema');
		expect(applied).toMatchObject({ mode: 'apply', differs: 0 });

		// What the emulator's preset (written from SpotMe's guide) has, this instance has now.
		const preset = seedPresets.spotme({ withSampleData: false });
		for (const f of preset.leadFields ?? [])
			expect(marketo.state.leadFields.find((x) => x.name === f.name)?.dataType).toBe(f.dataType);
		for (const f of preset.programMemberFields ?? [])
			expect(marketo.state.programMemberFields.find((x) => x.name === f.name)?.dataType).toBe(
				f.dataType,
			);
		for (const t of preset.customObjectTypes ?? []) {
			const type = marketo.state.customObjectTypes.get(t.name);
			expect({ name: t.name, draft: !!type?.draft }).toEqual({ name: t.name, draft: false });
			expect(
				type!.approved!.fields.map((f) => [
					f.name,
					f.dataType,
					!!f.isDedupeField,
					f.relatedTo?.name,
				]),
			).toEqual(t.fields.map((f) => [f.name, f.dataType, !!f.isDedupeField, f.relatedTo?.name]));
		}

		marketo.clearLog();
		const again = await n8n.execute(id);
		expectSuccess(again);
		const [second] = nodeOutput(again, 'Marketo: Apply SpotMe Schema');
		expect(second).toMatchObject({ nothingToDo: true });
		expect(String(second.summary)).toMatch(/^Nothing to do/);
		expect(
			marketo.requestLog().filter((c) => c.path.startsWith('/rest') && c.method === 'POST'),
		).toEqual([]);
	}, 240000);

	it('then the SpotMe → Marketo lead push and the attendance → custom objects workflows run green on the instance it built', async () => {
		const push = await importBundled('spotme-to-marketo-lead-push.json', {
			spotMeWorkspaceId: SUMMIT_WORKSPACE,
			marketoProgramId: String(SUMMIT_PROGRAM_ID),
		});
		const pushed = await n8n.execute(push);
		expectSuccess(pushed);
		const person = (id: string) => spotme.state.getDoc(SUMMIT_WORKSPACE, 'person', id);
		for (const p of spotMeOnlyPeople) {
			const leadId = Number(person(p._id)?.marketo_lead_id);
			expect(leadId).toBeGreaterThan(0);
			expect(marketo.state.members.get(SUMMIT_PROGRAM_ID)?.get(leadId)).toMatchObject({
				statusName: 'Registered',
				spotme_login_url: person(p._id)?.login_url,
			});
		}

		const attendance = await importBundled('attendance-to-marketo-custom-objects.json', {
			spotMeWorkspaceId: SUMMIT_WORKSPACE,
		});
		const run = await n8n.execute(attendance);
		expectSuccess(run);
		const events = marketo.state.customObjects.get('spotMeEventAttendance_c') ?? [];
		const linked = spotMeOnlyPeople.filter((p) => person(p._id)?.marketo_lead_id);
		for (const p of linked) {
			const recs = events.filter((r) => r.spotMeUserId === p._id);
			expect(recs).toHaveLength(1);
			expect(Number(recs[0].personId)).toBe(Number(person(p._id)?.marketo_lead_id));
		}
		const sessions = marketo.state.customObjects.get('spotMeAttendance_c') ?? [];
		for (const r of sessions) expect(linked.map((p) => p._id)).toContain(r.spotMeUserId as string);
		expect(events.length).toBeGreaterThan(0);
	}, 240000);

	it('on a partly set-up instance: creates the missing field, approves the draft object, reports the field of another type by name and leaves it as it is', async () => {
		const preset = seedPresets.spotme({ withSampleData: false });
		marketo.reset();
		marketo.seed({
			leadFields: [
				{ name: 'spotme_magic_url', displayName: 'SpotMe Magic URL', dataType: 'integer' },
			],
			customObjectTypes: preset.customObjectTypes!.map((t) =>
				t.name === 'spotMeEventAttendance_c' ? { ...t, state: 'draft' as const } : t,
			),
		});
		const id = await importBundled('set-up-marketo-for-spotme.json', {});
		const run = await n8n.execute(id);
		expect(run.data.resultData.lastNodeExecuted).toBe('Marketo: Apply SpotMe Schema');
		expect(run.data.resultData.error?.message).toMatch(
			/1 thing needs a human: spotme_magic_url: .*type integer; SpotMe needs string/,
		);
		const [plan] = nodeOutput(run, 'Marketo: Plan SpotMe Schema');
		expect(plan).toMatchObject({ toCreate: 1, toAdd: 0, toApprove: 1, differs: 1 });
		expect(marketo.state.leadFields.find((f) => f.name === 'spotme_magic_url')?.dataType).toBe(
			'integer',
		);
		expect(marketo.state.programMemberFields.map((f) => f.name)).toContain('spotme_login_url');
		const event = marketo.state.customObjectTypes.get('spotMeEventAttendance_c')!;
		expect({ approved: !!event.approved, draft: !!event.draft }).toEqual({
			approved: true,
			draft: false,
		});
	}, 240000);
});
