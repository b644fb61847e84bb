/**
 * Always-on sync (issue 13) in a real n8n, where n8n's own static-data saving applies: n8n saves a
 * workflow's static data at the end of every production run, failed runs included. The SpotMe →
 * Marketo lead push must lose nobody when a run fails:
 * - a run that stops before its end (here a step whose On Error is "Stop Workflow") never reaches
 *   "SpotMe: Commit Position", so the committed position stays and the next run reads the same
 *   people again;
 * - a run that ends as failed after reporting refused people has committed its position, and the
 *   people it could not link are read again by the next runs (Also Return People Without Field)
 *   until they are linked: pushed once, never doubled.
 */
import type { MarketoEmulator } from '../../dev/emulators/marketo';
import type { SpotMeEmulator } from '../../dev/emulators/spotme';
import { spotMeOnlyPeople, SUMMIT_PROGRAM_ID, SUMMIT_WORKSPACE } from '../../dev/lib/seed';
import {
	FIRST_START_TIMEOUT_MS,
	newId,
	nodeOutput,
	type N8nInstance,
	type WorkflowJson,
} from '../../dev/n8n/harness';
import {
	configureBundled,
	startWorkflowStack,
	type BundledNode,
	type CredentialIds,
	type WorkflowStack,
} from '../../dev/n8n/stack';

let stack: WorkflowStack;
let n8n: N8nInstance;
let marketo: MarketoEmulator;
let spotme: SpotMeEmulator;
let credentialIds: CredentialIds;

/** Imported as a user would: credentials picked, Settings edited, optionally one node changed. */
const configure = (
	file: string,
	settings: Record<string, string>,
	edit?: (node: BundledNode) => void,
): WorkflowJson => configureBundled(file, credentialIds, { settings, edit });

const person = (id: string) => spotme.state.getDoc(SUMMIT_WORKSPACE, 'person', id);
const leadsByEmail = (email: string) =>
	[...marketo.state.leads.values()].filter(
		(l) => String(l.email).toLowerCase() === email.toLowerCase(),
	);
const member = (leadId: number) => marketo.state.members.get(SUMMIT_PROGRAM_ID)?.get(leadId);

async function positionsOf(
	id: string,
): Promise<Record<string, { committed?: unknown; pending?: unknown }>> {
	const wf = await n8n.rest<{ staticData?: { global?: { spotMePositions?: unknown } } | null }>(
		'GET',
		`/rest/workflows/${id}`,
	);
	return (wf.staticData?.global?.spotMePositions ?? {}) as Record<
		string,
		{ committed?: unknown; pending?: unknown }
	>;
}

function newPeople(prefix: string, count: number) {
	const people = Array.from({ length: count }, (_, k) => ({
		workspaceId: SUMMIT_WORKSPACE,
		_id: `${prefix}-${k}`,
		fname: `${prefix}${k}`,
		lname: 'Sync',
		email: `${prefix}-${k}@example.com`,
		registration: 'registered' as const,
	}));
	spotme.seed({ people } as never);
	return people;
}

beforeAll(async () => {
	stack = await startWorkflowStack('sync');
	({ n8n, marketo, spotme, credentialIds } = stack);
}, FIRST_START_TIMEOUT_MS);

afterAll(async () => await stack?.stop(), 60000);

const settings = {
	spotMeWorkspaceId: SUMMIT_WORKSPACE,
	marketoProgramId: String(SUMMIT_PROGRAM_ID),
};

describe('SpotMe → Marketo lead push: positions move only after success (real n8n)', () => {
	it('a run that stops mid-way leaves the committed position where it was, and the next run reads the same people again and pushes them once', async () => {
		// A user's copy whose lead step stops the run on a refusal (On Error: Stop Workflow).
		const id = await n8n.importWorkflow(
			configure('spotme-to-marketo-lead-push.json', settings, (node) => {
				if (node.name === 'Marketo: Create or Update Lead') node.onError = 'stopWorkflow';
			}),
		);
		const first = await n8n.execute(id);
		expect(first.data.resultData.error).toBeUndefined();
		const committed = await positionsOf(id);
		const key = `changesSince:person:${SUMMIT_WORKSPACE}`;
		expect(committed[key]?.committed).toBeDefined();
		for (const p of spotMeOnlyPeople) expect(person(p._id)?.marketo_lead_id).toBeDefined();

		const people = newPeople('stop', 5);
		marketo.setFaults({
			perRecord: [
				{ kind: 'lead', match: { email: 'stop-2@example.com' }, code: '1006', message: 'refused' },
			],
		});
		let failed;
		try {
			failed = await n8n.execute(id);
		} finally {
			marketo.setFaults({});
		}
		expect(failed.data.resultData.lastNodeExecuted).toBe('Marketo: Create or Update Lead');
		expect(failed.data.resultData.error).toBeDefined();
		expect(people.every((p) => person(p._id)?.marketo_lead_id === undefined)).toBe(true);
		// n8n saved the static data of the failed run: the read is pending, the committed position is unchanged.
		const after = await positionsOf(id);
		expect(after[key]?.committed).toEqual(committed[key]?.committed);
		expect(after[key]?.pending).not.toEqual(committed[key]?.committed);

		const next = await n8n.execute(id);
		expect(next.data.resultData.error).toBeUndefined();
		const reread = nodeOutput(next, 'SpotMe: People Changed Since Last Run').map((j) => j._id);
		for (const p of people) expect(reread).toContain(p._id);
		for (const p of people) {
			const leads = leadsByEmail(p.email);
			expect(leads).toHaveLength(1);
			expect(String(person(p._id)?.marketo_lead_id)).toBe(String(leads[0].id));
			expect(member(leads[0].id)?.statusName).toBe('Registered');
		}
		const moved = await positionsOf(id);
		expect(moved[key]?.committed).not.toEqual(committed[key]?.committed);
		expect(moved[key]?.pending).toBeUndefined();
	}, 300000);

	it('a run that fails after Marketo took the leads but SpotMe could not link them loses nobody: the next runs pick up every person still without a lead ID (bounded per run), without a second lead', async () => {
		const id = await n8n.importWorkflow(configure('spotme-to-marketo-lead-push.json', settings));
		expect((await n8n.execute(id)).data.resultData.error).toBeUndefined();

		const people = newPeople('unlinked', 50);
		// SpotMe refuses the write-back of the lead IDs for this run.
		spotme.setFaults([
			{
				method: 'POST',
				path: 'regex:/global/docs/person$',
				status: 500,
				body: { error: 'boom' },
				times: -1,
			},
		]);
		let failed;
		try {
			failed = await n8n.execute(id);
		} finally {
			spotme.setFaults([]);
		}
		expect(failed.data.resultData.lastNodeExecuted).toBe('Report Failed People');
		expect(failed.data.resultData.error?.message).toMatch(/^50 SpotMe people were not pushed/);
		expect(people.every((p) => person(p._id)?.marketo_lead_id === undefined)).toBe(true);

		const next = await n8n.execute(id);
		expect(next.data.resultData.error).toBeUndefined();
		for (const p of people) {
			const leads = leadsByEmail(p.email);
			expect({ p: p._id, leads: leads.length }).toEqual({ p: p._id, leads: 1 });
			expect(String(person(p._id)?.marketo_lead_id)).toBe(String(leads[0].id));
		}
		// Linked now: the following run reads only their write-back (already linked) and writes nothing to Marketo.
		const calls = marketo.requestLog().length;
		const quiet = await n8n.execute(id);
		expect(quiet.data.resultData.error).toBeUndefined();
		expect(quiet.data.resultData.runData['Marketo: Create or Update Lead']).toBeUndefined();
		expect(
			marketo
				.requestLog()
				.slice(calls)
				.filter((e) => e.method !== 'GET'),
		).toEqual([]);
	}, 300000);
});

/** The Marketo writes (POST calls to the REST API) made since `from` in the emulator's log. */
const writesSince = (from: number) =>
	marketo
		.requestLog()
		.slice(from)
		.filter((e) => e.method === 'POST' && e.path.startsWith('/rest/'));
const callsSince = (from: number, part: string) =>
	marketo
		.requestLog()
		.slice(from)
		.filter((e) => e.path.includes(part));

describe('attendance workflows write only what changed (real n8n)', () => {
	beforeAll(() => {
		// Run alone (jest -t), the lead push above has not linked the SpotMe registrants: link them here.
		spotMeOnlyPeople.forEach((p, k) => {
			if (person(p._id)?.marketo_lead_id) return;
			const id = 900 + k;
			marketo.seed({
				leads: [{ id, email: p.email, firstName: p.fname, lastName: p.lname }],
				members: [{ programId: SUMMIT_PROGRAM_ID, leadId: id, statusName: 'Registered' }],
			} as never);
			spotme.state.upsert(SUMMIT_WORKSPACE, 'person', { _id: p._id, marketo_lead_id: String(id) });
		});
	});

	it('attendance → custom objects: a run with no changes makes 0 Marketo writes; a late on-demand statistic is one record in one call', async () => {
		const id = await n8n.importWorkflow(
			configure('attendance-to-marketo-custom-objects.json', {
				spotMeWorkspaceId: SUMMIT_WORKSPACE,
			}),
		);
		const first = await n8n.execute(id);
		expect(first.data.resultData.error).toBeUndefined();
		const events = () => marketo.state.customObjects.get('spotMeEventAttendance_c') ?? [];
		const streams = () => marketo.state.customObjects.get('spotMeAttendance_c') ?? [];
		expect(events().find((r) => r.spotMeUserId === 'sm-hedy')?.attendanceStatus).toBe('Attended');
		const counts = [events().length, streams().length];
		expect(counts[0]).toBeGreaterThanOrEqual(3);

		const before = marketo.requestLog().length;
		const quiet = await n8n.execute(id);
		expect(quiet.data.resultData.error).toBeUndefined();
		expect(writesSince(before)).toEqual([]);
		expect(quiet.data.resultData.runData['SpotMe: Commit Position']).toBeDefined();

		// SpotMe's 6-hourly on-demand statistics update Hedy's keynote record.
		spotme.state.upsert(SUMMIT_WORKSPACE, 'stream_attendance', {
			_id: 'att-hedy-keynote',
			vod_watch_time: 40,
		});
		const late = marketo.requestLog().length;
		const third = await n8n.execute(id);
		expect(third.data.resultData.error).toBeUndefined();
		expect(writesSince(late).map((e) => e.path)).toEqual([
			'/rest/v1/customobjects/spotMeAttendance_c.json',
		]);
		expect(nodeOutput(third, 'SpotMe: Session Attendance').map((j) => j.spotMeUserId)).toEqual([
			'sm-hedy',
		]);
		expect(
			Number(
				streams().find((r) => r.spotMeUserId === 'sm-hedy' && r.spotMeStreamId === 'keynote')
					?.vodWatchTime,
			),
		).toBe(40);
		expect([events().length, streams().length]).toEqual(counts);

		// Marketo refuses Hedy's next update: it leaves the upsert by the error output to Refused
		// Records, the run fails naming it before Commit Position, and the next run sends it again.
		spotme.state.upsert(SUMMIT_WORKSPACE, 'stream_attendance', {
			_id: 'att-hedy-keynote',
			vod_watch_time: 55,
		});
		marketo.setFaults({
			perRecord: [{ kind: 'customObject', match: { spotMeUserId: 'sm-hedy' }, code: '1003' }],
		});
		let refused;
		try {
			refused = await n8n.execute(id);
		} finally {
			marketo.setFaults({});
		}
		expect(refused.data.resultData.lastNodeExecuted).toBe('Report Refused Records');
		expect(refused.data.resultData.error?.message).toMatch(
			/^1 attendance records were not written to Marketo: spotMeAttendance_c lead \d+ stream \S+: .*1003/,
		);
		expect(nodeOutput(refused, 'Refused Records')).toEqual([
			expect.objectContaining({
				object: 'spotMeAttendance_c',
				spotMeUserId: 'sm-hedy',
				code: '1003',
			}),
		]);
		expect(refused.data.resultData.runData['SpotMe: Commit Position']).toBeUndefined();
		const hedyKeynote = () =>
			Number(
				streams().find((r) => r.spotMeUserId === 'sm-hedy' && r.spotMeStreamId === 'keynote')
					?.vodWatchTime,
			);
		expect(hedyKeynote()).toBe(40);
		const retried = await n8n.execute(id);
		expect(retried.data.resultData.error).toBeUndefined();
		expect(hedyKeynote()).toBe(55);
		expect([events().length, streams().length]).toEqual(counts);
	}, 300000);

	it('attendance → program member status: the second run makes no Marketo call for members at all (no reads, no writes)', async () => {
		const id = await n8n.importWorkflow(
			configure('attendance-to-program-member-status.json', settings),
		);
		const first = await n8n.execute(id);
		expect(first.data.resultData.error).toBeUndefined();
		const hedyLead = Number(person('sm-hedy')?.marketo_lead_id);
		expect(member(hedyLead)?.statusName).toBe('Attended');
		const before = marketo.requestLog().length;
		const quiet = await n8n.execute(id);
		expect(quiet.data.resultData.error).toBeUndefined();
		expect(callsSince(before, '/members')).toEqual([]);
		expect(writesSince(before)).toEqual([]);
	}, 300000);
});

/**
 * The Marketo Activity Trigger's stream position in a real n8n. n8n saves a poller's static data
 * when the poll emits, before the run starts, and the run works on its own copy: a position saved by
 * the poll moves for good even when the run fails. The trigger waits for the run it started and
 * moves its position only when that run ended without error. n8n polls once on every activation:
 * here each activation is one poll.
 */
describe('Marketo Activity Trigger: the position moves only after the run succeeds (real n8n)', () => {
	it('a run that fails mid-way gets the same activities again from the next poll; once a run succeeded they are not emitted again', async () => {
		const trigger = 'New Lead';
		const lookup = 'Marketo: Get Lead';
		const id = await n8n.importWorkflow({
			id: newId(),
			name: 'New leads → lead lookup (activity position)',
			nodes: [
				{
					id: newId(),
					name: trigger,
					type: 'n8n-nodes-marketo-spotme.marketoActivityTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: { pollTimes: { item: [{ mode: 'everyHour' }] }, event: 'newLead' },
					credentials: { marketoApi: { id: credentialIds.marketoApi, name: 'marketoApi' } },
				},
				{
					id: newId(),
					name: lookup,
					type: 'n8n-nodes-marketo-spotme.marketo',
					typeVersion: 1,
					position: [220, 0],
					parameters: {
						resource: 'lead',
						operation: 'get',
						leadId: { __rl: true, mode: 'id', value: '={{ $json.leadId }}' },
					},
					credentials: { marketoApi: { id: credentialIds.marketoApi, name: 'marketoApi' } },
				},
			],
			connections: { [trigger]: { main: [[{ node: lookup, type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		} as unknown as WorkflowJson);
		const poll = async () => {
			await n8n.activate(id, { timeoutMs: 120000 });
			await n8n.deactivate(id);
		};
		const runs = async () =>
			(await n8n.listExecutions(id)).sort((a, b) => Number(a.id) - Number(b.id));
		const emitted = async (executionId: string) =>
			nodeOutput(await n8n.getExecution(executionId), trigger).map((j) => Number(j.leadId));

		await poll(); // the first poll takes its starting point: now
		expect(await runs()).toHaveLength(0);
		await new Promise((r) => setTimeout(r, 1500));
		const leadIds = [...marketo.state.leads.values()].slice(0, 2).map((l) => Number(l.id));
		marketo.seed({
			activities: leadIds.map((leadId) => ({ leadId, activityTypeId: 12 })),
		} as never);

		// The run fails mid-way: Marketo refuses the lookup (603 is not retried).
		marketo.setFaults({ script: [{ fault: '603', path: '/v1/lead/', times: 1000 }] });
		try {
			await poll();
		} finally {
			marketo.setFaults({});
		}
		const [failed] = await runs();
		expect(failed?.status).toBe('error');
		expect(await emitted(failed.id)).toEqual(leadIds);

		// The next poll reads the same activities again; this run succeeds.
		await poll();
		const [, retried] = await runs();
		expect(retried?.status).toBe('success');
		expect(await emitted(retried.id)).toEqual(leadIds);

		// Committed: the following poll emits nothing, so n8n starts no run.
		await poll();
		expect(await runs()).toHaveLength(2);
	}, 300000);
});
