/**
 * The one event configuration (issue 12) in a real n8n 2.40.7 against the emulators: every bundled
 * workflow is imported as shipped and only given its credentials (nothing typed into Settings);
 * "Set up a SpotMe event" with its workspace and program picked from the lists writes the event
 * into the n8n data table "SpotMe event configuration"; every reader then runs on that event; the
 * program clone records the program it made, and the readers follow it. Before any event is set
 * up, each reader stops at "No Event Set Up" naming the set-up workflow, and changes nothing.
 *
 * Runs are started as the editor's "Execute workflow" does (POST /rest/workflows/:id/run, in the
 * server process): `n8n execute` does not load n8n's data-table module (checked on 2.40.7: "Attempted
 * to use Data table node but the module is disabled"), so a CLI run reads no configuration; the
 * workflows say so and take typed Settings values instead (test/n8n/workflows.test.ts runs them so).
 */
import type { MarketoEmulator } from '../../dev/emulators/marketo';
import type { SpotMeEmulator } from '../../dev/emulators/spotme';
import {
	EVENTS_FOLDER_ID,
	marketoLeads,
	spotMeOnlyPeople,
	SUMMIT_PROGRAM_ID,
	SUMMIT_WORKSPACE,
	WEBINAR_TEMPLATE_ID,
	WEBINAR_WORKSPACE,
} from '../../dev/lib/seed';
import { PAYLOAD_TEMPLATE_LINES } from '../../nodes/Marketo/trigger/webhookDescription';
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
	type BundledNode,
	type CredentialIds,
	type WorkflowStack,
} from '../../dev/n8n/stack';

const TABLE = 'SpotMe event configuration';
const READERS = [
	'spotme-to-marketo-lead-push.json',
	'attendance-to-marketo-custom-objects.json',
	'attendance-to-program-member-status.json',
];

let stack: WorkflowStack;
let n8n: N8nInstance;
let marketo: MarketoEmulator;
let spotme: SpotMeEmulator;
let credentialIds: CredentialIds;
let WEBHOOK_SECRET: string;

/** A pick "From list", as the editor stores it. */
const picked = (value: string | number, name: string) => ({
	__rl: true,
	mode: 'list',
	value: String(value),
	cachedResultName: name,
});

/** Imports a bundled file as shipped; the user only picks credentials (and what `edit` sets). */
const imported = async (file: string, edit?: (node: BundledNode) => void) =>
	await n8n.importWorkflow(configureBundled(file, credentialIds, { edit }));

const expectSuccess = (run: N8nRun) => assertRunSucceeded(run, Object.values(stack.secrets));

const marketoCalls = () => Object.values(marketo.callCounts()).reduce((a, b) => a + b, 0);
const person = (ws: string, id: string) => spotme.state.getDoc(ws, 'person', id);
const programName = (id: number) => String(marketo.state.programs.get(id)?.name);
const workspaceName = (id: string) => String(spotme.state.workspaces.get(id)?.name);

beforeAll(async () => {
	stack = await startWorkflowStack('ev-test');
	({ n8n, marketo, spotme, credentialIds } = stack);
	WEBHOOK_SECRET = stack.secrets.webhookSecret;
}, FIRST_START_TIMEOUT_MS);

afterAll(async () => await stack?.stop(), 60000);

describe('one event configuration in a real n8n', () => {
	const ids: Record<string, string> = {};

	it('before any event is set up, every scheduled workflow stops at "No Event Set Up" naming the set-up workflow, and calls neither service', async () => {
		const before = marketoCalls();
		const spotMeBefore = JSON.stringify(spotme.state.people(SUMMIT_WORKSPACE));
		for (const file of READERS) {
			ids[file] = await imported(file);
			const run = await n8n.runFromEditor(ids[file], 'Run Now');
			expect({ file, status: run.status, at: run.data.resultData.lastNodeExecuted }).toEqual({
				file,
				status: 'error',
				at: 'No Event Set Up',
			});
			expect(run.data.resultData.error?.message).toContain('set-up-event.json');
			expect(run.data.resultData.error?.message).toContain(TABLE);
		}
		expect(marketoCalls()).toBe(before);
		expect(JSON.stringify(spotme.state.people(SUMMIT_WORKSPACE))).toBe(spotMeBefore);
	}, 240000);

	/** What the user picks in Marketo: Event Program's status dropdowns (Attended differs from the preset). */
	const pickedStatuses = {
		invited: 'Invited',
		registered: 'Registered',
		attended: 'Attended On-demand',
		noShow: 'No Show',
		cancelled: '',
	};
	const mapping = {
		Invited: 'Invited',
		Registered: 'Registered',
		Attended: 'Attended On-demand',
		'No show': 'No Show',
		Cancelled: '',
	};
	const setUpEvent = (every: number, statuses: Record<string, string>) => (node: BundledNode) => {
		if (node.name === 'SpotMe: Event Workspace')
			node.parameters.workspaceId = picked(SUMMIT_WORKSPACE, workspaceName(SUMMIT_WORKSPACE));
		if (node.name === 'Marketo: Event Program') {
			node.parameters.programId = picked(SUMMIT_PROGRAM_ID, programName(SUMMIT_PROGRAM_ID));
			Object.assign(node.parameters, statuses);
		}
		if (node.name === 'Settings') {
			const a = (
				node.parameters.assignments as { assignments: Array<{ name: string; value: unknown }> }
			).assignments;
			expect(a.map((x) => x.name)).toEqual(['syncEveryMinutes']);
			a[0].value = every;
		}
	};
	const tableCount = async () =>
		(
			await n8n.rest<{ data: Array<{ name: string }> }>('GET', '/rest/data-tables-global?take=50')
		).data.filter((t) => t.name === TABLE).length;

	it('"Set up a SpotMe event" saves nothing while a picked status is not one of the program\'s channel or its frequency is not one of SpotMe\'s', async () => {
		// A status the channel lacks (e.g. the channel was edited after the pick): the Marketo node
		// stops the run naming the SpotMe outcome and the channel's statuses, read from Marketo.
		const badStatus = await n8n.runFromEditor(
			await imported(
				'set-up-event.json',
				setUpEvent(15, { ...pickedStatuses, attended: 'Atended' }),
			),
			'Run Now',
		);
		expect(badStatus.data.resultData.lastNodeExecuted).toBe('Marketo: Event Program');
		expect(String(badStatus.data.resultData.error?.message)).toContain(
			'SpotMe "Attended" → "Atended": not a status of the channel',
		);
		expect(String(badStatus.data.resultData.error?.description)).toContain('Attended On-demand');
		const badEvery = await n8n.runFromEditor(
			await imported('set-up-event.json', setUpEvent(20, pickedStatuses)),
			'Run Now',
		);
		expect(badEvery.data.resultData.lastNodeExecuted).toBe('Fix Settings');
		expect(badEvery.data.resultData.error?.message).toBe(
			'Nothing saved: in Settings, syncEveryMinutes is 20, not 15, 30, 60 or 180.',
		);
		expect(await tableCount()).toBe(0);
	}, 120000);

	it('"Set up a SpotMe event": the workspace, the program and the status mapping picked from the lists, and the frequency, are saved as one row of the data table', async () => {
		const id = await imported('set-up-event.json', setUpEvent(60, pickedStatuses));
		const run = await n8n.runFromEditor(id, 'Run Now');
		expectSuccess(run);
		const [row] = nodeOutput(run, 'Save Event Configuration');
		expect(row).toMatchObject({
			spotMeWorkspaceId: SUMMIT_WORKSPACE,
			spotMeWorkspaceName: workspaceName(SUMMIT_WORKSPACE),
			marketoProgramId: String(SUMMIT_PROGRAM_ID),
			marketoProgramName: programName(SUMMIT_PROGRAM_ID),
			syncEveryMinutes: 60,
			active: true,
		});
		// Saved as JSON text, the row format the readers parse.
		expect(typeof row.statusMapping).toBe('string');
		expect(JSON.parse(String(row.statusMapping))).toEqual(mapping);
		// Run again: the workspace's row is updated, not doubled.
		expectSuccess(await n8n.runFromEditor(id, 'Run Now'));
		expect(await tableCount()).toBe(1);
	}, 240000);

	it('Marketo → SpotMe, published with only its credentials: each Call Webhook writes the person into the configured workspace', async () => {
		let webhookId = '';
		const id = await imported('marketo-to-spotme-lead-push.json', (node) => {
			if (node.name === 'Marketo Trigger') webhookId = String(node.webhookId);
		});
		await n8n.activate(id);
		try {
			for (const lead of marketoLeads.filter((l) => l.summitStatus === 'Registered')) {
				const result = await marketo.callWebhook({
					name: 'Push lead to SpotMe',
					url: n8n.webhookUrl(`${webhookId}/marketo`),
					method: 'POST',
					requestTokenEncoding: 'json',
					template: `{${PAYLOAD_TEMPLATE_LINES.join(', ')}}`,
					headers: { Authorization: `Bearer ${WEBHOOK_SECRET}` },
					leadId: lead.id,
					programId: SUMMIT_PROGRAM_ID,
					responseMappings: [{ attribute: 'login_url', field: 'spotme_magic_url' }],
				});
				expect({ lead: lead.id, status: result.status }).toEqual({ lead: lead.id, status: 200 });
				expect(String(person(SUMMIT_WORKSPACE, `mkto-${lead.id}`)?.marketo_lead_id)).toBe(
					String(lead.id),
				);
			}
		} finally {
			await n8n.deactivate(id);
		}
	}, 180000);

	it('every scheduled workflow, imported unchanged, runs on the configured event: workspace, program, status mapping and frequency', async () => {
		for (const file of READERS) {
			const run = await n8n.runFromEditor(ids[file], 'Run Now');
			expectSuccess(run);
			const [settings] = nodeOutput(run, 'Settings');
			expect({ file, ws: settings.spotMeWorkspaceId, every: settings.syncEveryMinutes }).toEqual({
				file,
				ws: SUMMIT_WORKSPACE,
				every: 60,
			});
			if ('marketoProgramId' in settings)
				expect(settings.marketoProgramId).toBe(String(SUMMIT_PROGRAM_ID));
			if ('statusMapping' in settings) expect(settings.statusMapping).toEqual(mapping);
		}
		// What they did, in the configured workspace and program.
		for (const p of spotMeOnlyPeople) {
			const lead = Number(person(SUMMIT_WORKSPACE, p._id)?.marketo_lead_id);
			expect(lead).toBeGreaterThan(0);
			expect(marketo.state.members.get(SUMMIT_PROGRAM_ID)?.get(lead)?.statusName).toBeDefined();
		}
		expect(
			(marketo.state.customObjects.get('spotMeEventAttendance_c') ?? []).length,
		).toBeGreaterThan(0);
		const mkto1 = Number(person(SUMMIT_WORKSPACE, 'mkto-1')?.marketo_lead_id);
		// The picked status (not the preset "Attended") reached the member.
		expect(marketo.state.members.get(SUMMIT_PROGRAM_ID)?.get(mkto1)?.statusName).toBe(
			'Attended On-demand',
		);
	}, 360000);

	it('cloning a program for a workspace (pickers only) records the new program in the configuration, and the workflows follow it', async () => {
		const id = await imported('clone-marketo-program.json', (node) => {
			if (node.name === 'SpotMe: Get Workspace')
				node.parameters.workspaceId = picked(WEBINAR_WORKSPACE, workspaceName(WEBINAR_WORKSPACE));
			if (node.name === 'Marketo: Clone Program') {
				node.parameters.programId = picked(WEBINAR_TEMPLATE_ID, programName(WEBINAR_TEMPLATE_ID));
				(node.parameters.additionalFields as Record<string, unknown>).folder = picked(
					EVENTS_FOLDER_ID,
					'Events',
				);
			}
		});
		const run = await n8n.runFromEditor(id, 'Run Now');
		expectSuccess(run);
		const copy = [...marketo.state.programs.values()].find(
			(p) => p.name === workspaceName(WEBINAR_WORKSPACE),
		)!;
		expect(copy).toBeDefined();
		expect(copy.id).not.toBe(WEBINAR_TEMPLATE_ID);
		expect((copy.folder as { id?: number }).id).toBe(EVENTS_FOLDER_ID);
		const [row] = nodeOutput(run, 'Record Event Program');
		expect(row).toMatchObject({
			spotMeWorkspaceId: WEBINAR_WORKSPACE,
			marketoProgramId: String(copy.id),
			marketoProgramName: copy.name,
			active: true,
		});

		// The clone's row is the active row updated last: the workflows now work on it.
		const push = await n8n.runFromEditor(ids['spotme-to-marketo-lead-push.json'], 'Run Now');
		expectSuccess(push);
		expect(nodeOutput(push, 'Settings')[0]).toMatchObject({
			spotMeWorkspaceId: WEBINAR_WORKSPACE,
			marketoProgramId: String(copy.id),
			syncEveryMinutes: 15,
		});
		const status = await n8n.runFromEditor(
			ids['attendance-to-program-member-status.json'],
			'Run Now',
		);
		expect(nodeOutput(status, 'Settings')[0]).toMatchObject({
			spotMeWorkspaceId: WEBINAR_WORKSPACE,
			marketoProgramId: String(copy.id),
		});
	}, 360000);
});
