/**
 * The `daily-auto-sync` benchmark (issue 13): a simulated event day of 96 runs (every 15 minutes,
 * time compressed) of the bundled workflows' sync logic through n8n's own engine
 * (dev/harness/engine.ts) against the Marketo and SpotMe emulators, every call counted from the
 * emulators' logs. The nodes and their parameters are the bundled workflows' (changes only, commit
 * after the writes, forward-only statuses); the n8n core nodes between them (Filter, Edit Fields) are
 * the demo's stand-ins, and each branch with a Marketo write is its own workflow ending in Commit
 * Position.
 *
 * The day, for N attendees: everyone registered and pushed beforehand (a lead, a Registered member,
 * `marketo_lead_id` on the SpotMe person); three live sessions whose statistics appear when each
 * session ends (1.6 session records per person on average: 80 % watch two sessions, 20 % none); the
 * on-demand statistics of 10 % of people updated every 6 hours; the event ends mid-day (run 48),
 * after which the criteria decide Attended / No show (grace 30 min); 1 % of people change their
 * profile during the day. The write floor: for each run, ceil(records written / 300) per write step,
 * summed over the day.
 */
import { loadavg } from 'os';
import type { IDataObject } from 'n8n-workflow';

import { seedPresets, startMarketoEmulator, type MarketoEmulator } from '../../emulators/marketo';
import { startSpotMeEmulator, type SpotMeEmulator } from '../../emulators/spotme';
import { runWorkflow, TestCredentialsHelper, type WorkflowSpec } from '../../harness/engine';
import { byId, workflow, type DemoNode } from '../workflow';

export interface DailySyncRow {
	scenario: 'daily-auto-sync';
	n: number;
	runs: number;
	/** every Marketo REST call of the day (what the daily quota counts), from the emulator's log */
	marketoCalls: number;
	/** POST calls: what the write floor counts */
	marketoWrites: number;
	/** GET calls: the members' current statuses Set Status must read first, and the describes */
	marketoReads: number;
	/** of the reads, the members' current statuses (GET programs/:id/members.json, 300 per call) */
	marketoStatusReads: number;
	/** token calls (identity service; not counted by the REST quota) */
	marketoTokenCalls: number;
	/** REST calls by method and path */
	marketoCallsByPath: Record<string, number>;
	/** Σ over runs and write steps of ceil(records written / 300) (bench/results.json's marketoFloor) */
	marketoFloor: number;
	spotmeCalls: number;
	/**
	 * Marketo calls (reads included) of the runs in which nothing changed: no SpotMe change since
	 * the run before, not the first run, no event-end cut-off passed (must be 0)
	 */
	idleRunCalls: number;
	idleRuns: number;
	/** Marketo calls of run 0, the run before the day (the sync already running), not counted */
	warmUpCalls: number;
	/** the 1-minute load average when the day ended */
	loadAverage: number;
	target: string;
	met: boolean;
	/** why the target is missed, when it is */
	reason: string;
	/** how the numbers compare with the targets */
	note: string;
	wallS: number;
}

const WORKSPACE = 'ws-daily';
const PROGRAM = 2001;
const RUNS = 96;
const RUN_MS = 15 * 60_000;
const DAY_START = Date.parse('2026-06-01T06:00:00Z');
const EVENT_END = new Date(DAY_START + 48 * RUN_MS).toISOString();
/** The criteria change their answer at the event end and at its end + the 30-minute grace. */
const CUT_OFFS = [DAY_START + 48 * RUN_MS, DAY_START + 48 * RUN_MS + 30 * 60_000];
const SESSION_END_RUN = { s1: 12, s2: 24, s3: 36 } as const;
const SESSIONS_OF = (i: number): Array<keyof typeof SESSION_END_RUN> => {
	const k = i % 10;
	if (k <= 2) return ['s1', 's2'];
	if (k <= 5) return ['s2', 's3'];
	if (k <= 7) return ['s1', 's3'];
	return [];
};
const STATUS_MAP =
	'{"Invited":"Invited","Registered":"Registered","Attended":"Attended","No show":"No Show"}';

/** REST calls (what Marketo's daily quota counts) split into writes and reads, and token calls. */
function marketoStats(emu: MarketoEmulator, from: number) {
	const all = emu.requestLog().slice(from);
	const log = all.filter((e) => e.path.startsWith('/rest'));
	const writes = log.filter((e) => e.method === 'POST').length;
	const byPath: Record<string, number> = {};
	for (const e of log) {
		const path = `${e.method} ${e.path.replace(/\/\d+(?=[/.]|$)/g, '/:id')}`;
		byPath[path] = (byPath[path] ?? 0) + 1;
	}
	const tokens = all.filter((e) => e.path.startsWith('/identity')).length;
	return { calls: log.length, writes, reads: log.length - writes, tokens, byPath };
}

function day(n: number, credentials: IDataObject) {
	const spotMe = (name: string, parameters: IDataObject): DemoNode => ({
		name,
		type: 'spotMe',
		parameters,
		credentials: credentials.spotMeApi as never,
	});
	const marketo = (name: string, parameters: IDataObject): DemoNode => ({
		name,
		type: 'marketo',
		parameters,
		credentials: credentials.marketoApi as never,
	});
	const commit = spotMe('SpotMe: Commit Position', {
		resource: 'person',
		operation: 'commitPosition',
	});
	const start: DemoNode = { name: 'Start', type: 'items', parameters: { items: '[{}]' } };
	const onlyChanged = { onlyChanged: true };
	const sessions = workflow(
		[
			start,
			spotMe('SpotMe: Session Attendance', {
				resource: 'attendance',
				operation: 'getAll',
				workspaceId: byId(WORKSPACE),
				level: 'session',
				sessionDocumentType: 'stream_attendance',
				returnAll: true,
				options: {
					outputFields: 'customObject',
					addLeadId: true,
					onlyWithLeadId: true,
					...onlyChanged,
				},
			}),
			marketo('Marketo: Upsert spotMeAttendance_c', {
				resource: 'customObject',
				operation: 'upsert',
				customObjectName: 'spotMeAttendance_c',
				syncAction: 'createOrUpdate',
				dedupeBy: 'dedupeFields',
				columns: {
					mappingMode: 'defineBelow',
					value: Object.fromEntries(
						[
							'spotMeUserId',
							'spotMeWorkspaceStreamId',
							'spotMeWorkspaceId',
							'spotMeStreamId',
							'spotMeStreamName',
							'attended',
							'liveWatchTime',
							'liveClapCount',
							'vodWatchTime',
							'vodClapCount',
							'questionsAsked',
						]
							.map((f) => [f, `={{ $json.${f} }}`])
							.concat([['personId', '={{ Number($json.marketoLeadId) }}']]),
					),
					matchingColumns: [],
					schema: [],
				},
			}),
			commit,
		],
		[
			['Start', 'SpotMe: Session Attendance'],
			['SpotMe: Session Attendance', 'Marketo: Upsert spotMeAttendance_c'],
			['Marketo: Upsert spotMeAttendance_c', 'SpotMe: Commit Position'],
		],
	);
	const people = spotMe('SpotMe: People', {
		resource: 'person',
		operation: 'getChanges',
		workspaceId: byId(WORKSPACE),
		since: '',
		returnAll: true,
		options: {},
	});
	const criteria = (now: string) =>
		spotMe('SpotMe: Event-Level Attendance', {
			resource: 'attendance',
			operation: 'computeStatus',
			eventEndSource: 'workspace',
			now,
			columns: {},
			options: {
				readAttendance: true,
				workspaceId: WORKSPACE,
				outputFields: 'customObject',
				...onlyChanged,
			},
		});
	const events = (now: string) =>
		workflow(
			[
				start,
				people,
				criteria(now),
				{
					name: 'Has Marketo Lead ID',
					type: 'filter',
					parameters: { keep: '={{ !!$json.marketoLeadId }}' },
				},
				marketo('Marketo: Upsert spotMeEventAttendance_c', {
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
				commit,
			],
			[
				['Start', 'SpotMe: People'],
				['SpotMe: People', 'SpotMe: Event-Level Attendance'],
				['SpotMe: Event-Level Attendance', 'Has Marketo Lead ID'],
				['Has Marketo Lead ID', 'Marketo: Upsert spotMeEventAttendance_c'],
				['Marketo: Upsert spotMeEventAttendance_c', 'SpotMe: Commit Position'],
			],
		);
	const mapped = `(${STATUS_MAP})[$json.attendanceStatus] ?? ''`;
	const statuses = (now: string) =>
		workflow(
			[
				start,
				people,
				{ ...criteria(now), name: 'SpotMe: Apply Attendance Criteria' },
				{
					name: 'Has Lead ID and Status',
					type: 'filter',
					parameters: { keep: `={{ !!$json.marketoLeadId && !!(${mapped}) }}` },
				},
				marketo('Marketo: Set Program Member Status', {
					resource: 'programMember',
					operation: 'setStatus',
					programId: byId(PROGRAM),
					leadId: '={{ $json.marketoLeadId }}',
					statusName: `={{ ${mapped} }}`,
				}),
				commit,
			],
			[
				['Start', 'SpotMe: People'],
				['SpotMe: People', 'SpotMe: Apply Attendance Criteria'],
				['SpotMe: Apply Attendance Criteria', 'Has Lead ID and Status'],
				['Has Lead ID and Status', 'Marketo: Set Program Member Status'],
				['Marketo: Set Program Member Status', 'SpotMe: Commit Position'],
			],
		);
	const push = workflow(
		[
			start,
			spotMe('SpotMe: People Changed Since Last Run', {
				resource: 'person',
				operation: 'getChanges',
				workspaceId: byId(WORKSPACE),
				since: '',
				returnAll: true,
				options: {
					keepCursor: true,
					advancePosition: 'onCommit',
					retryWithoutField: 'marketo_lead_id',
					retryMax: 100,
				},
			}),
			{
				name: 'Without Marketo Lead ID',
				type: 'filter',
				parameters: {
					keep: "={{ !$json.marketo_lead_id && String($json.fp_status ?? '').toLowerCase() !== 'cancelled' }}",
				},
			},
			marketo('Marketo: Create or Update Lead', {
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
					},
					matchingColumns: [],
					schema: [],
				},
				options: {},
			}),
			commit,
		],
		[
			['Start', 'SpotMe: People Changed Since Last Run'],
			['SpotMe: People Changed Since Last Run', 'Without Marketo Lead ID'],
			['Without Marketo Lead ID', 'Marketo: Create or Update Lead'],
			['SpotMe: People Changed Since Last Run', 'SpotMe: Commit Position'],
		],
	);
	return { sessions, events, statuses, push, n };
}

/**
 * What SpotMe records at run r (1-based): session statistics, on-demand updates, profile changes.
 * Returns whether anything changed.
 */
function spotMeAt(spotme: SpotMeEmulator, n: number, r: number): boolean {
	let changed = false;
	const upsert = (type: string, doc: Record<string, unknown>) => {
		if (spotme.state.upsert(WORKSPACE, type, doc).status !== 'unchanged') changed = true;
	};
	for (const [session, endRun] of Object.entries(SESSION_END_RUN)) {
		if (r !== endRun) continue;
		for (let i = 0; i < n; i++) {
			if (!SESSIONS_OF(i).includes(session as keyof typeof SESSION_END_RUN)) continue;
			upsert('stream_attendance', {
				_id: `att-${i}-${session}`,
				fp_owner: `p-${i}`,
				parent_doc_id: session,
				stream_name: `Session ${session}`,
				live_watch_time: 5 + (i % 40),
				live_clap_count: i % 3,
			});
		}
	}
	if (r % 24 === 0) {
		for (let i = 8; i < n; i += 10) {
			upsert('stream_attendance', {
				_id: `vod-${i}`,
				fp_owner: `p-${i}`,
				parent_doc_id: 's1',
				stream_name: 'Session s1',
				live_watch_time: 0,
				vod_watch_time: (r / 24) * 5,
			});
		}
	}
	if (r === 60) {
		for (let i = 0; i < n; i += 100) upsert('person', { _id: `p-${i}`, company: 'Changed Co' });
	}
	return changed;
}

export async function runDailySync(
	sizes = [10_000, 50_000],
	print: (line: string) => void = () => {},
): Promise<DailySyncRow[]> {
	const rows: DailySyncRow[] = [];
	for (const n of sizes) rows.push(await oneDay(n, print));
	return rows;
}

async function oneDay(n: number, print: (line: string) => void): Promise<DailySyncRow> {
	const base = seedPresets.spotme({ withSampleData: false });
	const marketo = await startMarketoEmulator({
		timeScale: 0.01,
		seed: {
			...base,
			programs: [{ id: PROGRAM, name: 'Daily Summit', channel: 'Live Event' }],
			leads: Array.from({ length: n }, (_, i) => ({ id: i + 1, email: `p${i}@example.com` })),
			members: Array.from({ length: n }, (_, i) => ({
				programId: PROGRAM,
				leadId: i + 1,
				statusName: 'Registered',
			})),
		} as never,
	});
	const spotme = await startSpotMeEmulator({
		timeScale: 0.01,
		rateLimit: false,
		tokens: ['sm-daily'],
		seed: {
			orgs: [{ id: 'org-daily', name: 'Daily' }],
			workspaces: [{ id: WORKSPACE, orgId: 'org-daily', name: 'Daily', end: EVENT_END }],
			people: Array.from({ length: n }, (_, i) => ({
				workspaceId: WORKSPACE,
				_id: `p-${i}`,
				fname: 'P',
				lname: String(i),
				email: `p${i}@example.com`,
				marketo_lead_id: String(i + 1),
				registration: 'registered',
			})),
		} as never,
	});
	const t0 = Date.now();
	try {
		const helper = new TestCredentialsHelper();
		const credentials = {
			marketoApi: {
				marketoApi: helper.add('marketoApi', {
					restEndpoint: marketo.restUrl,
					clientId: marketo.clientId,
					clientSecret: marketo.clientSecret,
					timeScale: 0.01,
				} as never),
			},
			spotMeApi: {
				spotMeApi: helper.add('spotMeApi', {
					apiToken: 'sm-daily',
					baseUrl: spotme.apiUrl,
					requestsPerSecond: 1000,
					burst: 50,
				} as never),
			},
		};
		const d = day(n, credentials);
		const staticData: Record<string, IDataObject> = {
			sessions: {},
			events: {},
			statuses: {},
			push: {},
		};
		let floor = 0;
		let idleRuns = 0;
		let idleRunCalls = 0;
		let marketoFrom = marketo.requestLog().length;
		let spotmeFrom = spotme.callCounts().total;
		let warmUpCalls = 0;
		// Run 0, the last run before the day (not counted): everyone was registered and pushed
		// beforehand, so the sync has been running and holds its positions and its record of what it
		// last wrote. Without it the day's first run would be a first-ever full sync (about 340 calls
		// at 50k), which is the Run Now reconcile, not a day of an always-on sync.
		for (let r = 0; r <= RUNS; r++) {
			const changed = r === 0 ? false : spotMeAt(spotme, n, r);
			const nowMs = DAY_START + r * RUN_MS;
			const now = new Date(nowMs).toISOString();
			const cutOff = CUT_OFFS.some((t) => t > nowMs - RUN_MS && t <= nowMs);
			const idle = r >= 1 && !changed && !cutOff;
			const before = marketo.requestLog().length;
			const specs: Array<[string, WorkflowSpec, string]> = [
				['push', d.push, 'Marketo: Create or Update Lead'],
				['sessions', d.sessions, 'Marketo: Upsert spotMeAttendance_c'],
				['events', d.events(now), 'Marketo: Upsert spotMeEventAttendance_c'],
				['statuses', d.statuses(now), 'Marketo: Set Program Member Status'],
			];
			for (const [key, spec, writer] of specs) {
				// UTC, as the real n8n of dev/n8n/harness.ts runs (GENERIC_TIMEZONE) and as the day is set.
				const result = await runWorkflow(
					{ ...spec, staticData: staticData[key], timezone: 'UTC' },
					helper,
				);
				if (result.error) throw new Error(`run ${r}, ${key}: ${result.error.message}`);
				staticData[key] = result.workflow.staticData as IDataObject;
				const ran = result.run.data.resultData.runData[writer]?.[0]?.data?.main?.[0] ?? [];
				const records = ran.filter((i) => i.json.status !== 'skipped').length;
				floor += Math.ceil(records / 300);
			}
			const calls = marketo.requestLog().length - before;
			if (idle) {
				idleRuns++;
				idleRunCalls += calls;
			}
			if (r === 0) {
				warmUpCalls = marketo.requestLog().length - marketoFrom;
				marketoFrom = marketo.requestLog().length;
				spotmeFrom = spotme.callCounts().total;
				floor = 0;
				print(`  n=${n} run 0 (before the day, not counted): ${warmUpCalls} Marketo calls`);
				continue;
			}
			if (r % 12 === 0) print(`  n=${n} run ${r}/${RUNS}: ${calls} Marketo calls`);
		}
		const stats = marketoStats(marketo, marketoFrom);
		const statusReads = stats.byPath['GET /rest/v1/programs/:id/members.json'] ?? 0;
		const writeCap = Math.floor(1.1 * floor);
		const big = n >= 50_000;
		const writesMet = stats.writes <= writeCap;
		const callsMet = !big || stats.calls <= 1000;
		const met = writesMet && callsMet && idleRunCalls === 0;
		const otherReads = stats.reads - statusReads;
		const note =
			`writes ${stats.writes} against the write floor ${floor} (≤ ${writeCap} ${writesMet ? 'met' : 'missed'}); ` +
			`reads ${stats.reads} (${statusReads} of the members' current statuses that forward-only Set Status reads before writing, 300 per call; ${otherReads} describes and program/channel reads)` +
			`${big ? `; total ${stats.calls} against the 1 000-call cap (${callsMet ? 'met' : 'missed'})` : ''}` +
			`; ${idleRuns} runs without changes made ${idleRunCalls} Marketo calls` +
			`; not counted: run 0 before the day (the sync already running since registration) made ${warmUpCalls} Marketo calls`;
		const why: string[] = [];
		if (!writesMet)
			why.push(
				`${stats.writes} Marketo writes exceed 1.1 × the write floor ${floor} (${writeCap})`,
			);
		if (!callsMet)
			why.push(
				`${stats.calls} Marketo calls exceed the 1 000-call cap: ${stats.writes} writes + ${stats.reads} reads, of which ${statusReads} read the members' current statuses before Set Status writes (forward-only), ${otherReads} other reads`,
			);
		if (idleRunCalls) why.push(`${idleRunCalls} Marketo calls in ${idleRuns} runs without changes`);
		return {
			scenario: 'daily-auto-sync',
			n,
			runs: RUNS,
			marketoCalls: stats.calls,
			marketoWrites: stats.writes,
			marketoReads: stats.reads,
			marketoStatusReads: statusReads,
			marketoTokenCalls: stats.tokens,
			marketoCallsByPath: stats.byPath,
			marketoFloor: floor,
			spotmeCalls: spotme.callCounts().total - spotmeFrom,
			idleRunCalls,
			idleRuns,
			warmUpCalls,
			loadAverage: Math.round(loadavg()[0] * 100) / 100,
			target: `Marketo writes ≤ 1.1 × write floor (${writeCap})${big ? '; ≤ 1 000 Marketo calls in all (writes + reads)' : ''}; 0 Marketo calls in runs without changes`,
			met,
			reason: why.join('; '),
			note,
			wallS: Math.round((Date.now() - t0) / 100) / 10,
		};
	} finally {
		await marketo.stop();
		await spotme.stop();
	}
}
