/**
 * `npm run demo`: the product's sync flows, end to end, with no accounts and no network.
 *
 * Starts the Marketo and SpotMe emulators in-process (ephemeral ports, time scaled ×0.01), seeds a
 * realistic event (dev/lib/seed.ts), then runs each flow as a small workflow of this package's
 * real nodes THROUGH n8n's engine (n8n-core's WorkflowExecute, via dev/harness/engine.ts):
 *
 *   1. Marketo → SpotMe        registered program members become SpotMe people; login URL and lead ID written back
 *   2. SpotMe → Marketo        SpotMe registrants without a lead ID become leads and program members
 *   3. Attendance → Marketo    attendance custom objects + program statuses from the attendance criteria
 *   4. Program cloning         a new event's program cloned from the template, SpotMe workspace id as My Token
 *   5. Robustness              Flow 2 again for late registrants while Marketo answers 606/615 and tokens expire
 *
 * After each flow it reads what the emulators hold, prints it with the API calls each service saw and
 * any error items, and checks it. Exit code 0 only if every check holds.
 *
 *   npm run demo                    run, report, stop
 *   npm run demo -- --keep-running  leave the emulators up afterwards (URLs and credentials are printed)
 *   npm run demo -- --quiet         only the summary
 *   npm run demo -- --keep-running --marketo-port 8080 --spotme-port 8081   fixed ports instead of ephemeral ones
 */
import '../dev/lib/env';

import type { IDataObject, INodeCredentialsDetails, INodeExecutionData } from 'n8n-workflow';

import { startMarketoEmulator, type MarketoEmulator } from '../dev/emulators/marketo';
import { startSpotMeEmulator, type SpotMeEmulator } from '../dev/emulators/spotme';
import {
	nodeTypes,
	runWorkflow,
	TestCredentialsHelper,
	type RunResult,
	type WorkflowSpec,
} from '../dev/harness/engine';
import {
	eventDayAttendance,
	EVENTS_FOLDER_ID,
	JUDGED_AT,
	lateRegistrations,
	marketoLeads,
	marketoSeed,
	spotMeOnlyPeople,
	spotMeSeed,
	SUMMIT_END,
	SUMMIT_PROGRAM_ID,
	SUMMIT_WORKSPACE,
	WEBINAR_TEMPLATE_ID,
	WEBINAR_WORKSPACE,
} from '../dev/lib/seed';
import { byId, workflow, type DemoNode } from '../dev/lib/workflow';

/** Real ms = emulated s × 1000 × TIME_SCALE: Marketo's 20 s window lasts 200 ms, SpotMe's 1 s lasts 10 ms. */
export const TIME_SCALE = 0.01;

export interface Check {
	ok: boolean;
	what: string;
}

export interface CallSummary {
	/** API calls (REST for Marketo; token calls are counted apart) */
	total: number;
	tokens?: number;
	/** calls the service refused (606/615/601/602 for Marketo, 429 for SpotMe) */
	refused: Record<string, number>;
	byRoute: Record<string, number>;
}

export interface FlowReport {
	id: number;
	title: string;
	input: string[];
	held: string[];
	marketoCalls: CallSummary;
	spotMeCalls: CallSummary;
	errorItems: string[];
	checks: Check[];
	ms: number;
}

export interface DemoOptions {
	/** how many late SpotMe registrants Flow 5 pushes through the fault storm (default 400) */
	lateRegistrants?: number;
	/** receives each report line as soon as a flow is done (default: none) */
	print?: (line: string) => void;
	/** fixed ports for the emulators (default: ephemeral) */
	marketoPort?: number;
	spotMePort?: number;
	/** called before each flow (tests use it to break something and see the demo notice) */
	beforeFlow?: (
		id: number,
		emulators: { marketo: MarketoEmulator; spotme: SpotMeEmulator },
	) => void | Promise<void>;
}

export interface DemoResult {
	ok: boolean;
	flows: FlowReport[];
	marketo: MarketoEmulator;
	spotme: SpotMeEmulator;
	/** what to put into n8n's credentials to use the emulators */
	credentials: { marketoApi: IDataObject; spotMeApi: IDataObject };
	stop(): Promise<void>;
}

interface Ctx {
	marketo: MarketoEmulator;
	spotme: SpotMeEmulator;
	helper: TestCredentialsHelper;
	mk: Record<string, INodeCredentialsDetails>;
	sm: Record<string, INodeCredentialsDetails>;
	secrets: string[];
}

// ---- helpers ------------------------------------------------------------------------------------

const summitLocator = { __rl: true, mode: 'id', value: SUMMIT_WORKSPACE };

function marketoNode(
	ctx: Ctx,
	name: string,
	parameters: IDataObject,
	extra: Partial<DemoNode> = {},
): DemoNode {
	return { name, type: 'marketo', parameters, credentials: ctx.mk, continueOnFail: true, ...extra };
}

function spotMeNode(
	ctx: Ctx,
	name: string,
	parameters: IDataObject,
	extra: Partial<DemoNode> = {},
): DemoNode {
	return { name, type: 'spotMe', parameters, credentials: ctx.sm, continueOnFail: true, ...extra };
}

const start = (items: IDataObject[] = [{}]): DemoNode => ({
	name: 'Start',
	type: 'items',
	parameters: { items: JSON.stringify(items) },
});

interface Mark {
	marketo: number;
	spotme: number;
}

function mark(ctx: Ctx): Mark {
	return { marketo: ctx.marketo.requestLog().length, spotme: ctx.spotme.requestLog().length };
}

function shortRoute(path: string): string {
	return path.replace(/^\/rest/, '').replace(/\?.*$/, '');
}

function callsSince(ctx: Ctx, from: Mark): { marketo: CallSummary; spotme: CallSummary } {
	const m: CallSummary = { total: 0, tokens: 0, refused: {}, byRoute: {} };
	for (const e of ctx.marketo.requestLog().slice(from.marketo)) {
		if (e.path.startsWith('/identity')) {
			m.tokens = (m.tokens ?? 0) + 1;
			continue;
		}
		m.total++;
		const key = `${e.method} ${shortRoute(e.path)}`;
		m.byRoute[key] = (m.byRoute[key] ?? 0) + 1;
		if (e.code && ['606', '615', '601', '602', '604', '608'].includes(e.code))
			m.refused[e.code] = (m.refused[e.code] ?? 0) + 1;
	}
	const s: CallSummary = { total: 0, refused: {}, byRoute: {} };
	for (const e of ctx.spotme.requestLog().slice(from.spotme)) {
		s.total++;
		const key = e.route
			.replace(/:eid/, e.path.split('/')[2] ?? ':eid')
			.replace(/\/global\/docs\/:type/, `/docs/${e.path.split('/')[5]?.split('?')[0] ?? ':type'}`);
		s.byRoute[key] = (s.byRoute[key] ?? 0) + 1;
		if (e.status === 429) s.refused['429'] = (s.refused['429'] ?? 0) + 1;
	}
	return { marketo: m, spotme: s };
}

/** Every item every node of the run put out, with the node's name. */
function allOutputs(result: RunResult): Array<{ node: string; item: INodeExecutionData }> {
	const out: Array<{ node: string; item: INodeExecutionData }> = [];
	for (const [node, runs] of Object.entries(result.run.data.resultData.runData)) {
		for (const run of runs)
			for (const item of run.data?.main?.[0] ?? []) if (item) out.push({ node, item });
	}
	return out;
}

function errorItemsOf(result: RunResult): string[] {
	return allOutputs(result)
		.filter(({ item }) => item.json.error !== undefined)
		.map(({ node, item }) => {
			const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
			const idx = typeof paired === 'object' && paired ? paired.item : '?';
			return `${node}, item ${idx}: ${String(item.json.error)}`;
		});
}

async function execute(ctx: Ctx, spec: WorkflowSpec, checks: Check[]): Promise<RunResult> {
	const result = await runWorkflow(spec, ctx.helper);
	checks.push({
		ok: !result.error,
		what: `the workflow ran to its end${result.error ? ` (stopped: ${result.error.message})` : ''}`,
	});
	const dump = JSON.stringify(allOutputs(result).map(({ item }) => item.json));
	checks.push({
		ok: ctx.secrets.every((s) => !dump.includes(s)),
		what: 'no token or client secret in any output item',
	});
	return result;
}

function check(checks: Check[], ok: boolean, what: string): void {
	checks.push({ ok, what });
}

function lead(ctx: Ctx, email: string) {
	return [...ctx.marketo.state.leads.values()].filter(
		(l) => String(l.email).toLowerCase() === email.toLowerCase(),
	);
}

function member(ctx: Ctx, leadId: number, programId = SUMMIT_PROGRAM_ID) {
	return ctx.marketo.state.members.get(programId)?.get(leadId);
}

function person(ctx: Ctx, id: string) {
	return ctx.spotme.state.getDoc(SUMMIT_WORKSPACE, 'person', id);
}

const linkTail = (url: unknown) => (typeof url === 'string' ? `…${url.slice(-10)}` : '(none)');

// ---- the flows ------------------------------------------------------------------------------------

/** Flow 1: Marketo → SpotMe. */
async function flow1(ctx: Ctx, checks: Check[], report: Partial<FlowReport>): Promise<void> {
	const registered = marketoLeads.filter((l) => l.summitStatus === 'Registered');
	report.input = [
		`Marketo program ${SUMMIT_PROGRAM_ID} "Customer Summit 2026": ${registered.length} members Registered (${registered.map((l) => l.firstName).join(', ')}), Margaret only Invited`,
		'Workflow: Program Member Get Many (status Registered) → Lead Get Many (their ids, once) → SpotMe Person Create or Update → [Program Member Update Fields spotme_login_url, SpotMe Set Marketo Lead ID]',
	];
	const spec = workflow(
		[
			start(),
			marketoNode(ctx, 'Registered members', {
				resource: 'programMember',
				operation: 'getAll',
				programId: byId(SUMMIT_PROGRAM_ID),
				filterType: 'statusName',
				filterValues: 'Registered',
				fields: ['spotme_login_url'],
				returnAll: true,
			}),
			marketoNode(
				ctx,
				'Lead details',
				{
					resource: 'lead',
					operation: 'getAll',
					filterType: 'id',
					filterValues: '={{ $input.all().map(item => item.json.leadId).join(",") }}',
					fields: ['email', 'firstName', 'lastName', 'company'],
					returnAll: true,
				},
				{ executeOnce: true },
			),
			spotMeNode(ctx, 'SpotMe person', {
				resource: 'person',
				operation: 'upsert',
				workspaceId: summitLocator,
				personId: "={{ 'mkto-' + $json.id }}",
				email: '={{ $json.email }}',
				fname: '={{ $json.firstName }}',
				lname: '={{ $json.lastName }}',
				additionalFields: { company: '={{ $json.company }}' },
			}),
			marketoNode(ctx, 'Write login URL', {
				resource: 'programMember',
				operation: 'updateFields',
				programId: byId(SUMMIT_PROGRAM_ID),
				leadId: "={{ $('Lead details').item.json.id }}",
				memberFields: { field: [{ name: 'spotme_login_url', value: '={{ $json.login_url }}' }] },
			}),
			spotMeNode(ctx, 'Link lead ID', {
				resource: 'person',
				operation: 'setMarketoLeadId',
				workspaceId: summitLocator,
				personId: '={{ $json._id }}',
				leadId: "={{ $('Lead details').item.json.id }}",
			}),
		],
		[
			['Start', 'Registered members'],
			['Registered members', 'Lead details'],
			['Lead details', 'SpotMe person'],
			['SpotMe person', 'Write login URL'],
			['SpotMe person', 'Link lead ID'],
		],
	);
	const result = await execute(ctx, spec, checks);
	report.errorItems = errorItemsOf(result);

	const held: string[] = [];
	for (const l of registered) {
		const p = person(ctx, `mkto-${l.id}`);
		const m = member(ctx, l.id);
		held.push(
			`SpotMe mkto-${l.id} ${p?.fname ?? '?'} ${p?.lname ?? '?'} <${p?.email ?? '?'}> marketo_lead_id=${p?.marketo_lead_id ?? '(none)'} | Marketo lead ${l.id}: ${m?.statusName}, spotme_login_url ${linkTail(m?.spotme_login_url)}`,
		);
		check(
			checks,
			!!p && p.email === l.email && p.fname === l.firstName && p.company === l.company,
			`SpotMe holds ${l.firstName} ${l.lastName} with Marketo's email, name and company`,
		);
		check(
			checks,
			!!p && String(p.marketo_lead_id) === String(l.id),
			`SpotMe person mkto-${l.id} carries Marketo lead id ${l.id}`,
		);
		check(
			checks,
			!!p && !!m && m.spotme_login_url === p.login_url,
			`Marketo member ${l.id} holds ${l.firstName}'s SpotMe login URL`,
		);
	}
	check(checks, !person(ctx, 'mkto-5'), 'Margaret (only Invited) was not pushed to SpotMe');
	check(
		checks,
		ctx.spotme.state.people(SUMMIT_WORKSPACE).length ===
			spotMeOnlyPeople.length + registered.length,
		`SpotMe workspace holds ${spotMeOnlyPeople.length + registered.length} people, nobody twice`,
	);
	check(checks, report.errorItems.length === 0, 'no error items');
	report.held = held;
}

/** Flow 2 (and 5): SpotMe people without a Marketo lead id → leads, registered program members, linked back. */
function pushRegistrantsWorkflow(ctx: Ctx): WorkflowSpec {
	return workflow(
		[
			start(),
			spotMeNode(ctx, 'SpotMe people', {
				resource: 'person',
				operation: 'getChanges',
				workspaceId: summitLocator,
				since: '2000-01-01T00:00:00Z',
				returnAll: true,
			}),
			{
				name: 'Without lead ID',
				type: 'filter',
				parameters: {
					keep: "={{ !$json.marketo_lead_id && $json.registration_status !== 'cancelled' }}",
				},
			},
			marketoNode(ctx, 'Marketo lead', {
				resource: 'lead',
				operation: 'upsert',
				syncAction: 'createOrUpdate',
				lookupField: 'email',
				fields: {
					mappingMode: 'defineBelow',
					value: {
						email: '={{ $json.email }}',
						firstName: '={{ $json.fname }}',
						lastName: '={{ $json.lname }}',
						company: '={{ $json.company }}',
					},
				},
			}),
			marketoNode(ctx, 'Register in program', {
				resource: 'programMember',
				operation: 'setStatus',
				programId: byId(SUMMIT_PROGRAM_ID),
				leadId: '={{ $json.id }}',
				statusName: 'Registered',
			}),
			marketoNode(ctx, 'Write login URL', {
				resource: 'programMember',
				operation: 'updateFields',
				programId: byId(SUMMIT_PROGRAM_ID),
				leadId: '={{ $json.leadId }}',
				memberFields: {
					field: [
						{ name: 'spotme_login_url', value: "={{ $('Without lead ID').item.json.login_url }}" },
					],
				},
			}),
			spotMeNode(ctx, 'Link lead ID', {
				resource: 'person',
				operation: 'setMarketoLeadId',
				workspaceId: summitLocator,
				personId: "={{ $('Without lead ID').item.json._id }}",
				leadId: "={{ $('Marketo lead').item.json.id }}",
			}),
		],
		[
			['Start', 'SpotMe people'],
			['SpotMe people', 'Without lead ID'],
			['Without lead ID', 'Marketo lead'],
			['Marketo lead', 'Register in program'],
			['Register in program', 'Write login URL'],
			['Write login URL', 'Link lead ID'],
		],
	);
}

/** Checks that a SpotMe registrant is one Marketo lead, a Registered member with the login URL, and linked back. */
function checkPushed(
	ctx: Ctx,
	checks: Check[] | undefined,
	p: { _id: string; email: string; fname: string },
): boolean {
	const leads = lead(ctx, p.email);
	const doc = person(ctx, p._id);
	const m = leads.length === 1 ? member(ctx, leads[0].id) : undefined;
	const ok =
		leads.length === 1 &&
		!!doc &&
		String(doc.marketo_lead_id) === String(leads[0].id) &&
		m?.statusName === 'Registered' &&
		m.spotme_login_url === doc.login_url;
	if (checks) {
		check(checks, leads.length === 1, `Marketo holds ${p.email} once (found ${leads.length})`);
		check(
			checks,
			!!doc && leads.length === 1 && String(doc.marketo_lead_id) === String(leads[0].id),
			`SpotMe ${p._id} carries its Marketo lead id`,
		);
		check(
			checks,
			m?.statusName === 'Registered' && !!doc && m.spotme_login_url === doc.login_url,
			`${p.fname} is Registered in program ${SUMMIT_PROGRAM_ID} with the SpotMe login URL`,
		);
	}
	return ok;
}

async function flow2(ctx: Ctx, checks: Check[], report: Partial<FlowReport>): Promise<void> {
	report.input = [
		`SpotMe workspace ${SUMMIT_WORKSPACE}: ${ctx.spotme.state.people(SUMMIT_WORKSPACE).length} people, ${spotMeOnlyPeople.length} without a Marketo lead id (${spotMeOnlyPeople.map((p) => p.fname).join(', ')}); linus@example.com is already Marketo lead 6`,
		'Workflow: SpotMe Person Get Changes Since → Filter (no marketo_lead_id) → Lead Create or Update (dedupe on email) → Program Member Set Status "Registered" → Update Fields spotme_login_url → SpotMe Set Marketo Lead ID',
	];
	const leadsBefore = ctx.marketo.state.leads.size;
	const result = await execute(ctx, pushRegistrantsWorkflow(ctx), checks);
	report.errorItems = errorItemsOf(result);
	const kept =
		result.run.data.resultData.runData['Without lead ID']?.[0]?.data?.main?.[0]?.length ?? 0;
	check(
		checks,
		kept === spotMeOnlyPeople.length,
		`the filter kept exactly the ${spotMeOnlyPeople.length} people without a lead id (kept ${kept})`,
	);
	const held: string[] = [];
	for (const p of spotMeOnlyPeople) {
		checkPushed(ctx, checks, p);
		const l = lead(ctx, p.email)[0];
		const m = l ? member(ctx, l.id) : undefined;
		held.push(
			`Marketo lead ${l?.id ?? '?'} ${l?.firstName ?? ''} ${l?.lastName ?? ''} <${p.email}>: ${m?.statusName ?? 'not a member'}, spotme_login_url ${linkTail(m?.spotme_login_url)} | SpotMe ${p._id} marketo_lead_id=${person(ctx, p._id)?.marketo_lead_id ?? '(none)'}`,
		);
	}
	check(
		checks,
		lead(ctx, 'linus@example.com')[0]?.id === 6,
		'Linus matched his existing lead 6 by email (updated, not duplicated)',
	);
	check(
		checks,
		ctx.marketo.state.leads.size === leadsBefore + 2,
		`Marketo gained exactly 2 leads (Hedy, Barbara): ${leadsBefore} → ${ctx.marketo.state.leads.size}`,
	);
	check(checks, report.errorItems.length === 0, 'no error items');
	report.held = held;
}

/** Flow 3: attendance → Marketo custom objects and program statuses. */
async function flow3(ctx: Ctx, checks: Check[], report: Partial<FlowReport>): Promise<void> {
	const docs = eventDayAttendance()[SUMMIT_WORKSPACE];
	report.input = [
		`SpotMe recorded the event day: ${docs.stream_attendance.length} per-stream attendance documents, ${docs.event_attendance.length} in-person check-in; the summit ended ${SUMMIT_END}, criteria applied ${JUDGED_AT}`,
		'Workflow: Attendance Get Many → Custom Object Create or Update spotMeAttendance_c;  Person Get Changes Since → Apply Attendance Criteria → [Custom Object Create or Update spotMeEventAttendance_c, Filter (has lead id, not Cancelled) → Program Member Set Status]',
	];
	const streamColumns: IDataObject = {
		personId: '={{ Number($json.marketoLeadId) }}',
		spotMeUserId: '={{ $json.spotMeUserId }}',
		spotMeWorkspaceStreamId: '={{ $json.spotMeWorkspaceStreamId }}',
		spotMeWorkspaceId: '={{ $json.spotMeWorkspaceId }}',
		spotMeStreamId: '={{ $json.spotMeStreamId }}',
		spotMeStreamName: '={{ $json.spotMeStreamName }}',
		attended: '={{ $json.attended }}',
		liveWatchTime: '={{ $json.liveWatchTime }}',
		liveClapCount: '={{ $json.liveClapCount }}',
		vodWatchTime: '={{ $json.vodWatchTime }}',
		vodClapCount: '={{ $json.vodClapCount }}',
		questionsAsked: '={{ $json.questionsAsked }}',
	};
	const spec = workflow(
		[
			start(),
			spotMeNode(ctx, 'Stream attendance', {
				resource: 'attendance',
				operation: 'getAll',
				workspaceId: summitLocator,
				returnAll: true,
				options: { outputFields: 'customObject', addLeadId: true, onlyWithLeadId: true },
			}),
			marketoNode(ctx, 'spotMeAttendance_c', {
				resource: 'customObject',
				operation: 'upsert',
				customObjectName: 'spotMeAttendance_c',
				syncAction: 'createOrUpdate',
				dedupeBy: 'dedupeFields',
				columns: {
					mappingMode: 'defineBelow',
					value: streamColumns,
					matchingColumns: [],
					schema: [],
				},
			}),
			spotMeNode(ctx, 'SpotMe people', {
				resource: 'person',
				operation: 'getChanges',
				workspaceId: summitLocator,
				since: '2000-01-01T00:00:00Z',
				returnAll: true,
			}),
			spotMeNode(ctx, 'Attendance criteria', {
				resource: 'attendance',
				operation: 'computeStatus',
				now: JUDGED_AT,
				options: {
					readAttendance: true,
					workspaceId: SUMMIT_WORKSPACE,
					outputFields: 'customObject',
				},
			}),
			marketoNode(ctx, 'spotMeEventAttendance_c', {
				resource: 'customObject',
				operation: 'upsert',
				customObjectName: 'spotMeEventAttendance_c',
				syncAction: 'createOrUpdate',
				dedupeBy: 'dedupeFields',
				columns: {
					mappingMode: 'defineBelow',
					value: {
						personId: '={{ Number($json.marketoLeadId) }}',
						spotMeUserId: '={{ $json.spotMeUserId }}',
						spotMeWorkspaceId: '={{ $json.spotMeWorkspaceId }}',
						attendanceType: '={{ $json.attendanceType }}',
						attendanceStatus: '={{ $json.attendanceStatus }}',
					},
					matchingColumns: [],
					schema: [],
				},
			}),
			{
				name: 'Has a program status',
				type: 'filter',
				parameters: {
					keep: "={{ !!$json.marketoLeadId && $json.attendanceStatus !== 'Cancelled' }}",
				},
			},
			marketoNode(ctx, 'Program status', {
				resource: 'programMember',
				operation: 'setStatus',
				programId: byId(SUMMIT_PROGRAM_ID),
				leadId: '={{ $json.marketoLeadId }}',
				statusName: '={{ $json.attendanceStatus }}',
			}),
		],
		[
			['Start', 'Stream attendance'],
			['Stream attendance', 'spotMeAttendance_c'],
			['Start', 'SpotMe people'],
			['SpotMe people', 'Attendance criteria'],
			['Attendance criteria', 'spotMeEventAttendance_c'],
			['Attendance criteria', 'Has a program status'],
			['Has a program status', 'Program status'],
		],
	);
	const result = await execute(ctx, spec, checks);
	report.errorItems = errorItemsOf(result);

	const leadOf = (personId: string): number | undefined => {
		const v = person(ctx, personId)?.marketo_lead_id;
		return v === undefined ? undefined : Number(v);
	};
	// Expected: Ada watched 54.5 min live, Linus 55, Hedy 25 min on demand, Katherine checked in; Grace 0.5 min, Alan and Barbara nothing.
	const expected: Array<[string, string, string]> = [
		['mkto-1', 'Ada', 'Attended'],
		['mkto-2', 'Grace', 'No Show'],
		['mkto-3', 'Alan', 'No Show'],
		['mkto-4', 'Katherine', 'Attended'],
		['sm-hedy', 'Hedy', 'Attended'],
		['sm-barbara', 'Barbara', 'No Show'],
		['sm-linus', 'Linus', 'Attended'],
	];
	const streams = ctx.marketo.state.customObjects.get('spotMeAttendance_c') ?? [];
	const events = ctx.marketo.state.customObjects.get('spotMeEventAttendance_c') ?? [];
	const held: string[] = [];
	for (const [pid, name, status] of expected) {
		const leadId = leadOf(pid);
		const m = leadId === undefined ? undefined : member(ctx, leadId);
		const ev = events.filter((r) => r.spotMeUserId === pid);
		const st = streams.filter((r) => r.spotMeUserId === pid);
		held.push(
			`${name.padEnd(9)} lead ${leadId ?? '?'}: program status ${String(m?.statusName ?? '(none)').padEnd(8)} | spotMeEventAttendance_c ${ev.map((r) => `${r.attendanceStatus}${r.attendanceType ? ` (${r.attendanceType})` : ''}`).join(', ') || '–'} | spotMeAttendance_c ${st.map((r) => `${r.spotMeStreamId} ${r.liveWatchTime ?? 0}+${r.vodWatchTime ?? 0} min`).join(', ') || '–'}`,
		);
		check(
			checks,
			m?.statusName === status,
			`${name}'s program status is ${status} (is ${m?.statusName ?? 'none'})`,
		);
		check(
			checks,
			ev.length === 1 && Number(ev[0].personId) === leadId,
			`one spotMeEventAttendance_c record for ${name}, linked to lead ${leadId}`,
		);
	}
	check(
		checks,
		streams.length === docs.stream_attendance.length,
		`spotMeAttendance_c holds one record per stream attended (${streams.length}/${docs.stream_attendance.length})`,
	);
	check(
		checks,
		streams.every((r) => Number(r.personId) === leadOf(String(r.spotMeUserId))),
		"every spotMeAttendance_c record is linked to its person's lead",
	);
	check(
		checks,
		member(ctx, 5)?.statusName === 'Invited',
		'Margaret (not on SpotMe) keeps her Invited status',
	);
	check(checks, report.errorItems.length === 0, 'no error items');
	report.held = held;
}

/** Flow 4: clone the webinar template for a new SpotMe event and store the workspace id as a My Token. */
async function flow4(ctx: Ctx, checks: Check[], report: Partial<FlowReport>): Promise<void> {
	report.input = [
		`New SpotMe workspace ${WEBINAR_WORKSPACE}; Marketo template program ${WEBINAR_TEMPLATE_ID} "SpotMe Webinar Template" (Webinar channel, My Token spotme_id empty)`,
		'Workflow: SpotMe Workspace Get → Marketo Program Clone (name from the workspace, Events folder) → Program Set Token spotme_id',
	];
	const programsBefore = ctx.marketo.state.programs.size;
	const spec = workflow(
		[
			start([{ workspaceId: WEBINAR_WORKSPACE }]),
			spotMeNode(ctx, 'SpotMe workspace', {
				resource: 'workspace',
				operation: 'get',
				workspaceId: { __rl: true, mode: 'id', value: '={{ $json.workspaceId }}' },
			}),
			marketoNode(ctx, 'Clone program', {
				resource: 'program',
				operation: 'clone',
				programId: byId(WEBINAR_TEMPLATE_ID),
				name: '={{ $json.name }}',
				additionalFields: {
					description: '=SpotMe event {{ $json.id }}, starts {{ $json.start }}',
					folder: { __rl: true, mode: 'id', value: String(EVENTS_FOLDER_ID) },
				},
			}),
			marketoNode(ctx, 'Set spotme_id token', {
				resource: 'program',
				operation: 'setToken',
				programId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				name: 'spotme_id',
				tokenType: 'text',
				value: "={{ $('SpotMe workspace').item.json.id }}",
			}),
		],
		[
			['Start', 'SpotMe workspace'],
			['SpotMe workspace', 'Clone program'],
			['Clone program', 'Set spotme_id token'],
		],
	);
	const result = await execute(ctx, spec, checks);
	report.errorItems = errorItemsOf(result);
	const wsName = ctx.spotme.state.workspaces.get(WEBINAR_WORKSPACE)?.name;
	const copies = [...ctx.marketo.state.programs.values()].filter((p) => p.name === wsName);
	const copy = copies[0];
	const token = copy?.tokens?.find((t) => t.name === 'spotme_id');
	const template = ctx.marketo.state.programs.get(WEBINAR_TEMPLATE_ID);
	report.held = [
		`Marketo program ${copy?.id ?? '?'} "${copy?.name ?? '?'}": channel ${copy?.channel ?? '?'}, folder ${JSON.stringify(copy?.folder)}, My Token spotme_id = "${token?.value ?? ''}"`,
		`Template ${WEBINAR_TEMPLATE_ID}: My Token spotme_id = "${template?.tokens?.find((t) => t.name === 'spotme_id')?.value ?? ''}" (unchanged)`,
	];
	check(
		checks,
		copies.length === 1 && ctx.marketo.state.programs.size === programsBefore + 1,
		`exactly one new program "${wsName}"`,
	);
	check(
		checks,
		copy?.channel === 'Webinar' &&
			(copy?.folder as { id?: number } | undefined)?.id === EVENTS_FOLDER_ID,
		'the copy keeps the Webinar channel and sits in the Events folder',
	);
	check(
		checks,
		token?.value === WEBINAR_WORKSPACE,
		`its My Token spotme_id is ${WEBINAR_WORKSPACE}`,
	);
	check(
		checks,
		template?.tokens?.find((t) => t.name === 'spotme_id')?.value === '',
		'the template itself is untouched',
	);
	check(checks, report.errorItems.length === 0, 'no error items');
}

/** Flow 5: Flow 2's push again, for late registrants, with Marketo refusing calls and tokens expiring. */
async function flow5(
	ctx: Ctx,
	checks: Check[],
	report: Partial<FlowReport>,
	count: number,
): Promise<void> {
	const late = lateRegistrations(count);
	ctx.spotme.seed({ people: late });
	report.input = [
		`${count} late registrants on SpotMe (no Marketo lead id); Marketo answers ~12 % of calls 606 and ~8 % 615 (seeded), every token is expired before the run and again mid-run`,
		'Workflow: the same as Flow 2',
	];
	const leadsBefore = ctx.marketo.state.leads.size;
	const logFrom = ctx.marketo.requestLog().length;
	// Rates for the storm, plus a scripted 606 and 615 on the writes, so refusals happen whatever the dice say.
	ctx.marketo.setFaults({
		error606: 0.12,
		error615: 0.08,
		seed: 20261124,
		script: [
			{ fault: '606', path: '/v1/leads.json' },
			{ fault: '615', path: '/members/status.json' },
			{ fault: '606', path: '/members.json' },
		],
		// Every token expires again once Marketo has accepted 3 calls of the run: the calls after it
		// meet a 602 mid-run. Counted by the emulator, so it is deterministic, unlike a timer.
		expireTokensAfterCalls: 3,
	});
	ctx.marketo.expireAllTokens();
	let result: RunResult;
	try {
		result = await execute(ctx, pushRegistrantsWorkflow(ctx), checks);
	} finally {
		ctx.marketo.setFaults({});
	}
	const runLog = ctx.marketo.requestLog().slice(logFrom);
	const firstAccepted = runLog.findIndex(
		(e) => e.path.startsWith('/rest') && e.status === 200 && e.code === undefined,
	);
	const expiredMidRun =
		firstAccepted >= 0 && runLog.slice(firstAccepted).some((e) => e.code === '602');
	report.errorItems = errorItemsOf(result);
	let pushed = 0;
	for (const p of late) if (checkPushed(ctx, undefined, p)) pushed++;
	const duplicates = late.filter((p) => lead(ctx, p.email).length > 1).length;
	report.held = [
		`Marketo: ${pushed}/${count} late registrants are exactly one lead each, Registered in program ${SUMMIT_PROGRAM_ID} with their SpotMe login URL; duplicates: ${duplicates}`,
		`SpotMe: ${late.filter((p) => person(ctx, p._id)?.marketo_lead_id !== undefined).length}/${count} carry their Marketo lead id`,
	];
	check(
		checks,
		pushed === count,
		`all ${count} late registrants arrived once, registered and linked (${pushed})`,
	);
	check(checks, duplicates === 0, 'no lead created twice');
	check(
		checks,
		ctx.marketo.state.leads.size === leadsBefore + count,
		`Marketo gained exactly ${count} leads (${ctx.marketo.state.leads.size - leadsBefore})`,
	);
	check(checks, report.errorItems.length === 0, 'no error items: every refused call was retried');
	check(checks, expiredMidRun, 'the tokens were expired in the middle of the run');
	const codes = ctx.marketo
		.requestLog()
		.slice(logFrom)
		.map((e) => e.code);
	const refused = codes.filter((c) => c === '606' || c === '615').length;
	const expired = codes.filter((c) => c === '602' || c === '601').length;
	check(
		checks,
		refused >= 3,
		`Marketo really refused calls with 606/615 (${refused}) and the nodes retried them`,
	);
	check(
		checks,
		expired >= 2,
		`Marketo really answered expired tokens with 602, before and during the run (${expired}), and the token was fetched again`,
	);
}

// ---- running and reporting ------------------------------------------------------------------------

function formatCalls(label: string, c: CallSummary): string {
	const refused = Object.entries(c.refused)
		.map(([k, v]) => `${v}× ${k}`)
		.join(', ');
	const routes = Object.entries(c.byRoute)
		.sort((a, b) => b[1] - a[1])
		.map(([r, n]) => `${r} ×${n}`)
		.join('; ');
	const tokens = c.tokens ? ` + ${c.tokens} token request${c.tokens === 1 ? '' : 's'}` : '';
	return `${label} ${c.total} call${c.total === 1 ? '' : 's'}${tokens}${refused ? ` (refused: ${refused})` : ''}${routes ? ` — ${routes}` : ''}`;
}

export function formatFlow(f: FlowReport): string[] {
	const failed = f.checks.filter((c) => !c.ok);
	const lines = [
		'',
		`━━ Flow ${f.id} · ${f.title} ━━ ${failed.length ? `FAILED (${failed.length} of ${f.checks.length} checks)` : `ok (${f.checks.length} checks)`}, ${(f.ms / 1000).toFixed(1)} s`,
		...f.input.map((l, i) => `${i === 0 ? '  In:     ' : '          '}${l}`),
		...f.held.map((l, i) => `${i === 0 ? '  Now:    ' : '          '}${l}`),
		`  Calls:  ${formatCalls('Marketo', f.marketoCalls)}`,
		`          ${formatCalls('SpotMe', f.spotMeCalls)}`,
		`  Errors: ${f.errorItems.length ? `${f.errorItems.length} error item(s)` : 'none'}`,
		...f.errorItems.slice(0, 10).map((e) => `          - ${e}`),
		...(f.errorItems.length > 10 ? [`          … and ${f.errorItems.length - 10} more`] : []),
		...failed.map((c) => `  ✘ ${c.what}`),
	];
	return lines;
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
	const print = options.print ?? (() => {});
	const marketo = await startMarketoEmulator({
		port: options.marketoPort,
		timeScale: TIME_SCALE,
		seed: marketoSeed(),
	});
	const spotme = await startSpotMeEmulator({
		port: options.spotMePort,
		timeScale: TIME_SCALE,
		seed: { ...spotMeSeed(), docs: eventDayAttendance() },
	});
	const credentials = {
		marketoApi: {
			restEndpoint: marketo.restUrl,
			clientId: marketo.clientId,
			clientSecret: marketo.clientSecret,
			timeScale: TIME_SCALE,
		} as IDataObject,
		spotMeApi: {
			apiToken: spotme.token,
			baseUrl: spotme.apiUrl,
			organizationId: 'org-demo',
			requestsPerSecond: 3 / TIME_SCALE,
			burst: 5,
		} as IDataObject,
	};
	const helper = new TestCredentialsHelper();
	const ctx: Ctx = {
		marketo,
		spotme,
		helper,
		mk: { marketoApi: helper.add('marketoApi', credentials.marketoApi as never) },
		sm: { spotMeApi: helper.add('spotMeApi', credentials.spotMeApi as never) },
		secrets: [marketo.clientSecret, spotme.token],
	};
	const stop = async () => {
		await marketo.stop();
		await spotme.stop();
	};

	const flows: Array<[string, (c: Ctx, checks: Check[], r: Partial<FlowReport>) => Promise<void>]> =
		[
			['Marketo → SpotMe: registered program members become SpotMe people', flow1],
			['SpotMe → Marketo: SpotMe registrants become leads and program members', flow2],
			['Attendance → Marketo: custom objects and program statuses', flow3],
			['Program cloning for a new event', flow4],
			[
				'Robustness: a 606/615 storm and expiring tokens lose nothing',
				(c, k, r) => flow5(c, k, r, options.lateRegistrants ?? 400),
			],
		];
	// Load the node types (transpiling them) before the clock of Flow 1 starts.
	nodeTypes();
	const reports: FlowReport[] = [];
	for (const [i, [title, fn]] of flows.entries()) {
		const checks: Check[] = [];
		const partial: Partial<FlowReport> = { input: [], held: [], errorItems: [] };
		const before = mark(ctx);
		const t0 = Date.now();
		try {
			await options.beforeFlow?.(i + 1, { marketo, spotme });
			await fn(ctx, checks, partial);
		} catch (e) {
			checks.push({ ok: false, what: `the flow failed: ${(e as Error).message}` });
		}
		// Every access token the credential held during the run is a secret too.
		const token = ctx.helper.store.get('marketoApi-1')?.data.accessToken;
		if (typeof token === 'string' && token && !ctx.secrets.includes(token)) ctx.secrets.push(token);
		const calls = callsSince(ctx, before);
		const report: FlowReport = {
			id: i + 1,
			title,
			input: partial.input ?? [],
			held: partial.held ?? [],
			errorItems: partial.errorItems ?? [],
			marketoCalls: calls.marketo,
			spotMeCalls: calls.spotme,
			checks,
			ms: Date.now() - t0,
		};
		reports.push(report);
		for (const line of formatFlow(report)) print(line);
	}
	return {
		ok: reports.every((r) => r.checks.every((c) => c.ok)),
		flows: reports,
		marketo,
		spotme,
		credentials,
		stop,
	};
}

class UsageError extends Error {}

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	const keepRunning = args.includes('--keep-running');
	const quiet = args.includes('--quiet');
	const portArg = (name: string): number | undefined => {
		const i = args.indexOf(name);
		if (i < 0) return undefined;
		const port = Number(args[i + 1]);
		if (!Number.isInteger(port) || port < 0 || port > 65535)
			throw new UsageError(`${name} needs a port number (got "${args[i + 1] ?? ''}")`);
		return port;
	};
	const marketoPort = portArg('--marketo-port');
	const spotMePort = portArg('--spotme-port');
	const out = (line: string) => process.stdout.write(`${line}\n`);
	const t0 = Date.now();
	out(
		"n8n-nodes-marketo-spotme demo: the sync flows through n8n's engine against the Marketo and SpotMe emulators",
	);
	const demo = await runDemo({ print: quiet ? undefined : out, marketoPort, spotMePort });
	const checks = demo.flows.flatMap((f) => f.checks);
	const failed = checks.filter((c) => !c.ok);
	out('');
	out('━━ Summary ━━');
	for (const f of demo.flows) {
		const bad = f.checks.filter((c) => !c.ok).length;
		const n = (count: number, what: string) => `${count} ${what}${count === 1 ? '' : 's'}`;
		out(
			`  ${bad ? '✘' : '✔'} Flow ${f.id} · ${f.title}: Marketo ${n(f.marketoCalls.total, 'call')}, SpotMe ${n(f.spotMeCalls.total, 'call')}, ${n(f.errorItems.length, 'error item')}${bad ? `, ${n(bad, 'check')} failed` : ''}`,
		);
	}
	out(
		`  ${checks.length - failed.length}/${checks.length} checks hold, ${((Date.now() - t0) / 1000).toFixed(1)} s`,
	);
	if (failed.length) {
		out('');
		out(`DEMO FAILED: ${failed.length} check(s) did not hold:`);
		for (const c of failed) out(`  ✘ ${c.what}`);
	}
	if (keepRunning) {
		out('');
		out('Emulators left running (Ctrl+C to stop). Point a real n8n at them:');
		out(
			`  Marketo API credential: REST API Endpoint ${demo.marketo.restUrl}, Client ID ${demo.marketo.clientId}, Client Secret ${demo.marketo.clientSecret}`,
		);
		out(
			`    (identity ${demo.marketo.identityUrl}; time scaled ×${TIME_SCALE}: a token lives ${3600 * TIME_SCALE} s; control API ${demo.marketo.baseUrl}/__control/state)`,
		);
		out(
			`  SpotMe API credential: API Base URL ${demo.spotme.apiUrl}, API Token ${demo.spotme.token} (control API ${demo.spotme.baseUrl}/_control/state)`,
		);
		const shutdown = () => {
			void demo.stop().then(() => process.exit(failed.length ? 1 : 0));
		};
		process.on('SIGINT', shutdown);
		process.on('SIGTERM', shutdown);
		return;
	}
	await demo.stop();
	process.exit(failed.length ? 1 : 0);
}

if (require.main === module) {
	main().catch((e) => {
		process.stderr.write(
			`DEMO FAILED: ${e instanceof UsageError ? e.message : ((e as Error)?.stack ?? e)}\n`,
		);
		process.exit(1);
	});
}
