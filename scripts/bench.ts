/**
 * `npm run bench`: how this package's nodes use Marketo's and SpotMe's API budgets, measured through
 * n8n's engine against the emulators (time scaled ×0.01: Marketo's 20 s window lasts 200 ms real,
 * SpotMe's 1 s lasts 10 ms; waits and back-offs shrink with it, CPU work does not).
 *
 *   npm run bench                                   the rows of bench/results.json (issue 15): lead
 *                                                   push 10k/50k at 0 ms and 1 s latency, the fault mix
 *                                                   with lost answers, 250 000 custom-object records;
 *                                                   prints a table, writes bench/results.json and
 *                                                   docs/benchmarks.md (generated from the JSON)
 *   npm run bench -- --scenario lead-push|fault-mix|custom-objects [--n N] [--latency-ms L]
 *   npm run bench -- --scenario peer|n8n-rss|real-n8n [--n N]   the rows that run in the real n8n
 *                                                   (dev/lib/bench/realN8n.ts; minutes each, not in
 *                                                   the default set): n8n's HTTP Request node one call
 *                                                   per record, and n8n's RSS for a 50 000-person push
 *   npm run bench -- --scenario queue-mode [--n N]   n8n queue mode, 1, 2 and 4 workers
 *                                                   (dev/lib/bench/queueMode.ts; minutes, real n8n:
 *                                                   not in the default set; scripts/bench-queue-mode.ts
 *                                                   writes only those rows)
 *   npm run bench -- --scenario webhook-burst [--n N]   50 and 200 concurrent Marketo Call Webhook
 *                                                   deliveries to the bundled lead push in the real n8n
 *                                                   beside n8n's own floor (dev/lib/bench/webhookBurst.ts;
 *                                                   minutes: not in the default set)
 *   npm run bench -- --legacy  the older call-budget table (--smoke: its tiny sizes, what the test runs)
 *
 * Every scenario starts fresh emulators, runs one node (or polls the trigger), and reads from the
 * emulators: calls accepted and refused, batches, the most calls Marketo accepted in any 20 s window
 * (emulated) against the credential's budget, and whether every record arrived exactly once.
 */
import '../dev/lib/env';

import { cpus, totalmem } from 'os';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import type { Server } from 'http';
import { performance } from 'perf_hooks';
import type { IDataObject } from 'n8n-workflow';

import {
	startMarketoEmulator,
	type MarketoEmulator,
	type FaultConfig,
} from '../dev/emulators/marketo';
import { startSpotMeEmulator } from '../dev/emulators/spotme';
import { runQueueModeBench } from '../dev/lib/bench/queueMode';
import { runWebhookBurst } from '../dev/lib/bench/webhookBurst';
import { pollOnce, runNode, TestCredentialsHelper } from '../dev/harness/engine';
import { customObjectPush, leadPush, type ResultRow } from './benchRows';
import { runPeer, runRssPush } from '../dev/lib/bench/realN8n';
import { LEAD_UPSERT_BY_EMAIL } from '../dev/harness/parameters';

export const TIME_SCALE = 0.01;
const WINDOW_MS = 20_000 * TIME_SCALE;

export interface BenchRow {
	scenario: string;
	items: number;
	/** API calls the service accepted (Marketo: REST calls that were not refused) */
	calls: number;
	/** write calls carrying records (Marketo batches of ≤ 300, SpotMe batches) */
	batches: number;
	/** calls refused (606/615/602 for Marketo, 429 for SpotMe), each retried */
	refused: string;
	tokens: number | string;
	wallMs: number;
	/** of the wall time, how long the emulator spent answering (its own work is not the node's cost) */
	emulatorMs?: number;
	/** Marketo: most calls accepted in any 20 s (emulated) window / the credential's budget; SpotMe: most calls in flight at once */
	window: string;
	ok: boolean;
	note: string;
}

export interface BenchOptions {
	smoke?: boolean;
	print?: (line: string) => void;
}

function marketoCredentials(emu: MarketoEmulator, extra: IDataObject = {}, timeScale = TIME_SCALE) {
	const credentialsHelper = new TestCredentialsHelper();
	const ref = credentialsHelper.add('marketoApi', {
		restEndpoint: emu.restUrl,
		clientId: emu.clientId,
		clientSecret: emu.clientSecret,
		timeScale,
		...extra,
	} as never);
	return { credentialsHelper, credentials: { marketoApi: ref } };
}

/**
 * Measures how long the Marketo emulator spends answering, so the table can separate the node's cost
 * from the emulator's (its lead lookups, for one, scan every lead). Reaches the emulator's private HTTP
 * server only to listen to it; if that ever moves, the column just stays empty.
 */
function emulatorBusyTime(emu: MarketoEmulator): () => number | undefined {
	const server = (emu as unknown as { server?: Server }).server;
	if (!server || typeof server.on !== 'function') return () => undefined;
	let busy = 0;
	server.on('request', (_req, res) => {
		const t = performance.now();
		res.once('close', () => (busy += performance.now() - t));
	});
	return () => busy;
}

/** The most entries whose time falls in any window of `windowMs`. */
export function maxInWindow(times: number[], windowMs: number): number {
	const t = [...times].sort((a, b) => a - b);
	let best = 0;
	let lo = 0;
	for (let hi = 0; hi < t.length; hi++) {
		while (t[hi] - t[lo] >= windowMs) lo++;
		best = Math.max(best, hi - lo + 1);
	}
	return best;
}

const REFUSED = ['606', '615', '601', '602', '607'];

function marketoStats(
	emu: MarketoEmulator,
	writePath: (p: string) => boolean,
	timeScale = TIME_SCALE,
) {
	const log = emu.requestLog();
	const rest = log.filter((e) => e.path.startsWith('/rest'));
	const accepted = rest.filter((e) => !e.code || !REFUSED.includes(e.code));
	const refused: Record<string, number> = {};
	for (const e of rest)
		if (e.code && REFUSED.includes(e.code)) refused[e.code] = (refused[e.code] ?? 0) + 1;
	return {
		calls: accepted.length,
		batches: accepted.filter((e) => e.method === 'POST' && writePath(e.path)).length,
		refused:
			Object.entries(refused)
				.map(([c, n]) => `${n}× ${c}`)
				.join(', ') || '0',
		tokens: log.filter((e) => e.path.startsWith('/identity')).length,
		maxWindow: maxInWindow(
			accepted.map((e) => e.at),
			20_000 * timeScale,
		),
	};
}

function leadsOnce(emu: MarketoEmulator, count: number, prefix: string): number {
	const seen = new Map<string, number>();
	for (const l of emu.state.leads.values())
		seen.set(String(l.email), (seen.get(String(l.email)) ?? 0) + 1);
	let ok = 0;
	for (let i = 0; i < count; i++) if (seen.get(`${prefix}${i}@example.com`) === 1) ok++;
	return ok;
}

async function leadUpsert(
	scenario: string,
	count: number,
	opts: { budget?: number; faults?: FaultConfig; note?: string; timeScale?: number } = {},
): Promise<BenchRow> {
	const timeScale = opts.timeScale ?? TIME_SCALE;
	const emu = await startMarketoEmulator({ timeScale, faults: opts.faults });
	try {
		const budget = opts.budget ?? 100;
		const creds = marketoCredentials(emu, { callsPer20Seconds: budget }, timeScale);
		const items = Array.from({ length: count }, (_, i) => ({
			email: `lead${i}@example.com`,
			firstName: `F${i}`,
			lastName: 'Bench',
		}));
		const busy = emulatorBusyTime(emu);
		const t0 = Date.now();
		const run = await runNode({
			type: 'marketo',
			parameters: LEAD_UPSERT_BY_EMAIL,
			items,
			...creds,
		});
		const wallMs = Date.now() - t0;
		const s = marketoStats(emu, (p) => p === '/rest/v1/leads.json', timeScale);
		const once = leadsOnce(emu, count, 'lead');
		const errors = run.items.filter((i) => i.json.error !== undefined).length;
		const ok =
			!run.error &&
			once === count &&
			emu.state.leads.size === count &&
			errors === 0 &&
			s.maxWindow <= budget &&
			run.items.length === count;
		return {
			scenario,
			items: count,
			calls: s.calls,
			batches: s.batches,
			refused: s.refused,
			tokens: s.tokens,
			wallMs,
			emulatorMs: busy(),
			window: `${s.maxWindow} / ${budget}`,
			ok,
			note: `${opts.note ? `${opts.note}; ` : ''}${once}/${count} leads exactly once${errors ? `, ${errors} error items` : ''}${run.error ? `, stopped: ${run.error.message}` : ''}`,
		};
	} finally {
		await emu.stop();
	}
}

async function memberStatus(count: number): Promise<BenchRow[]> {
	const programId = 2001;
	const emu = await startMarketoEmulator({
		timeScale: TIME_SCALE,
		seed: {
			programs: [{ id: programId, name: 'Bench Summit', channel: 'Live Event' }],
			leads: Array.from({ length: count }, (_, i) => ({ id: i + 1, email: `m${i}@example.com` })),
		},
	});
	try {
		const creds = marketoCredentials(emu);
		const rows: BenchRow[] = [];
		const items = Array.from({ length: count }, (_, i) => ({ id: i + 1 }));
		for (const status of ['Registered', 'Attended']) {
			emu.clearLog();
			const busy = emulatorBusyTime(emu);
			const t0 = Date.now();
			const run = await runNode({
				type: 'marketo',
				parameters: {
					resource: 'programMember',
					operation: 'setStatus',
					programId: { __rl: true, mode: 'id', value: String(programId) },
					leadId: '={{ $json.id }}',
					statusName: status,
				},
				items,
				...creds,
			});
			const wallMs = Date.now() - t0;
			const s = marketoStats(emu, (p) => p.endsWith('/members/status.json'));
			const members = [...(emu.state.members.get(programId)?.values() ?? [])];
			const right = members.filter((m) => m.statusName === status).length;
			rows.push({
				scenario: `Program Member Set Status "${status}"`,
				items: count,
				calls: s.calls,
				batches: s.batches,
				refused: s.refused,
				tokens: s.tokens,
				wallMs,
				emulatorMs: busy(),
				window: `${s.maxWindow} / 100`,
				ok: !run.error && right === count && members.length === count && run.items.length === count,
				note: `${right}/${count} members ${status}${run.error ? `, stopped: ${run.error.message}` : ''}`,
			});
		}
		return rows;
	} finally {
		await emu.stop();
	}
}

async function spotMeUpsert(count: number): Promise<BenchRow> {
	const emu = await startSpotMeEmulator({
		timeScale: TIME_SCALE,
		seed: {
			orgs: [{ id: 'org-1', name: 'Bench' }],
			workspaces: [{ id: 'ws-bench', orgId: 'org-1', name: 'Bench' }],
		},
	});
	try {
		const helper = new TestCredentialsHelper();
		const ref = helper.add('spotMeApi', {
			apiToken: emu.token,
			baseUrl: emu.apiUrl,
			requestsPerSecond: 3 / TIME_SCALE,
			burst: 5,
		} as never);
		const items = Array.from({ length: count }, (_, i) => ({
			id: `p${i}`,
			email: `p${i}@example.com`,
			first: `P${i}`,
			last: 'Bench',
		}));
		const t0 = Date.now();
		const run = await runNode({
			type: 'spotMe',
			parameters: {
				resource: 'person',
				operation: 'upsert',
				workspaceId: { __rl: true, mode: 'id', value: 'ws-bench' },
				personId: '={{ $json.id }}',
				email: '={{ $json.email }}',
				fname: '={{ $json.first }}',
				lname: '={{ $json.last }}',
			},
			items,
			credentialsHelper: helper,
			credentials: { spotMeApi: ref },
		});
		const wallMs = Date.now() - t0;
		const counts = emu.callCounts();
		const writes = emu.requestLog().filter((e) => e.method === 'POST' && e.status === 200);
		const stored = emu.state.people('ws-bench').length;
		const biggest = Math.max(0, ...writes.map((e) => e.docs ?? 0));
		return {
			scenario: 'SpotMe Person Create or Update',
			items: count,
			calls: counts.total - counts.rateLimited,
			batches: writes.length,
			refused: `${counts.rateLimited}× 429`,
			tokens: '–',
			wallMs,
			emulatorMs: emu
				.requestLog()
				.reduce((sum, e) => sum + Math.max(0, e.endedAt - e.startedAt), 0),
			window: `${counts.maxConcurrent} in flight`,
			ok:
				!run.error && stored === count && run.items.length === count && counts.maxConcurrent === 1,
			note: `${stored}/${count} people stored, largest call ${biggest} documents, sequential: ${counts.maxConcurrent === 1 ? 'yes' : 'no'}`,
		};
	} finally {
		await emu.stop();
	}
}

async function activityPolling(wanted: number, noise: number): Promise<BenchRow> {
	const emu = await startMarketoEmulator({ timeScale: TIME_SCALE, activityScanSize: 300 });
	try {
		const creds = marketoCredentials(emu);
		const staticData: IDataObject = {};
		const poll = async () =>
			await pollOnce({
				type: 'marketoActivityTrigger',
				parameters: { event: 'newLead' },
				...creds,
				staticData,
			});
		await poll(); // activation: the stream starts now
		// New Lead activities (type 12) scattered among web visits (type 1), as on a busy instance.
		const activities: IDataObject[] = [];
		const every = Math.max(1, Math.floor((wanted + noise) / Math.max(1, wanted)));
		for (let i = 0, w = 0; i < wanted + noise; i++) {
			const isWanted = w < wanted && i % every === 0;
			if (isWanted) w++;
			activities.push({ leadId: i + 1, activityTypeId: isWanted ? 12 : 1 });
		}
		emu.seed({ activities } as never);
		emu.clearLog();
		const busy = emulatorBusyTime(emu);
		const t0 = Date.now();
		const guids = new Set<string>();
		let emitted = 0;
		let polls = 0;
		for (; polls < 1000; ) {
			polls++;
			const out = await poll();
			const items = out?.[0] ?? [];
			for (const i of items) guids.add(String(i.json.marketoGUID));
			emitted += items.length;
			if (items.length === 0) break;
		}
		const wallMs = Date.now() - t0;
		const s = marketoStats(emu, () => false);
		const pages = emu
			.requestLog()
			.filter((e) => e.path === '/rest/v1/activities.json' && !e.code).length;
		const want = emu.state.activities.filter((a) => a.activityTypeId === 12).length;
		return {
			scenario: 'Activity Trigger (New Lead) polling',
			items: want,
			calls: s.calls,
			batches: pages,
			refused: s.refused,
			tokens: s.tokens,
			wallMs,
			emulatorMs: busy(),
			window: `${s.maxWindow} / 100`,
			ok: guids.size === want && emitted === want,
			note: `${wanted + noise} activities scanned in ${pages} pages over ${polls} polls (≤ 10 pages each, last one empty); ${guids.size}/${want} emitted once`,
		};
	} finally {
		await emu.stop();
	}
}

export async function runBench(options: BenchOptions = {}): Promise<BenchRow[]> {
	const print = options.print ?? (() => {});
	const n = (full: number, smoke: number) => (options.smoke ? smoke : full);
	const scenarios: Array<() => Promise<BenchRow | BenchRow[]>> = [
		() => leadUpsert('Lead Create or Update', n(1000, 50)),
		() => leadUpsert('Lead Create or Update', n(10000, 650)),
		// At ×0.01 the n8n engine's own per-item work keeps the call rate far below any budget; at ×0.1
		// (a 2 s window) a small budget really makes the throttle wait.
		() =>
			leadUpsert(
				`Lead Create or Update, budget ${n(5, 1)} calls / 20 s (time ×${n(0.1, 0.01)})`,
				n(10000, 650),
				{
					budget: n(5, 1),
					timeScale: n(0.1, 0.01),
					note: 'an instance shared with other integrations; the throttle spaces the calls',
				},
			),
		() =>
			leadUpsert('Lead Create or Update, 20 % 606/615', n(3000, 300), {
				faults: { error606: 0.1, error615: 0.1, seed: 7 },
				note: '10 % 606 + 10 % 615 (seeded)',
			}),
		() => memberStatus(n(3000, 300)),
		() => spotMeUpsert(n(12000, 120)),
		() => activityPolling(n(2000, 20), n(20000, 600)),
	];
	// Warm-up (not reported): the first run through the engine loads n8n's modules.
	await leadUpsert('warm-up', 10);
	const rows: BenchRow[] = [];
	for (const scenario of scenarios) {
		const out = await scenario();
		for (const row of Array.isArray(out) ? out : [out]) {
			rows.push(row);
			print(
				`${row.ok ? '✔' : '✘'} ${row.scenario}: ${row.items} items, ${row.calls} calls (${row.batches} batches), refused ${row.refused}, ${(row.wallMs / 1000).toFixed(2)} s, window ${row.window}, ${row.note}`,
			);
		}
	}
	return rows;
}

const HEAD = [
	'Scenario',
	'Items',
	'Calls',
	'Batches',
	'Refused (retried)',
	'Token calls',
	'Wall time',
	'In emulator',
	'Items/s',
	'Max per 20 s window / budget',
	'Check',
];

function cells(r: BenchRow): string[] {
	const perSecond = r.wallMs > 0 ? Math.round((r.items * 1000) / r.wallMs) : r.items;
	return [
		r.scenario,
		String(r.items),
		String(r.calls),
		String(r.batches),
		r.refused,
		String(r.tokens),
		`${(r.wallMs / 1000).toFixed(2)} s`,
		r.emulatorMs === undefined ? '–' : `${(r.emulatorMs / 1000).toFixed(2)} s`,
		String(perSecond),
		r.window,
		r.ok ? 'ok' : `FAILED: ${r.note}`,
	];
}

export function textTable(rows: BenchRow[]): string {
	const all = [HEAD, ...rows.map(cells)];
	const widths = HEAD.map((_, c) => Math.max(...all.map((r) => r[c].length)));
	const line = (r: string[]) =>
		r.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join('  ');
	return [
		line(HEAD),
		widths.map((w) => '-'.repeat(w)).join('  '),
		...rows.map((r) => line(cells(r))),
	].join('\n');
}

export function markdown(rows: BenchRow[]): string {
	const cpu = cpus();
	const facts = [
		`- Machine: ${cpu.length} cores (${cpu[0]?.model?.trim() ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(1)} GB RAM, ${process.platform}/${process.arch}`,
		`- Node ${process.version}, n8n-core and n8n-workflow from devDependencies; run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
		`- Emulators in-process, time scaled ×${TIME_SCALE} unless a scenario says otherwise: Marketo's 20 s window is ${WINDOW_MS} ms of real time, SpotMe's 1 s is ${1000 * TIME_SCALE} ms; the nodes' credentials carry the same scale, so their throttle and back-offs shrink alike. Wall times are real: mostly n8n's own per-item work plus the scaled waits.`,
	];
	const rowsMd = rows.map((r) => `| ${cells(r).join(' | ')} |`);
	const notes = rows.map((r) => `- **${r.scenario}** (${r.items}): ${r.note}`);
	return [
		'# Benchmarks',
		'',
		"Written by `npm run bench -- --write` (scripts/bench.ts). Every scenario runs this package's real node through n8n's engine against fresh emulators and reads the numbers from the emulators' logs.",
		'',
		...facts,
		'',
		`| ${HEAD.join(' | ')} |`,
		`|${HEAD.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
		...rowsMd,
		'',
		'What the columns mean:',
		'- **Calls**: API calls the service accepted (Marketo: REST calls; the token calls are counted apart). **Batches**: the calls that carried records (≤ 300 per Marketo call; SpotMe person batches), or for the trigger the activity pages read.',
		'- **Refused (retried)**: calls Marketo answered 606 (rate), 615 (concurrency) or 602 (expired token), or SpotMe answered 429; the nodes retried each.',
		"- **Wall time / In emulator**: real time for the whole run, and how much of it the emulator spent answering. The rest is n8n's engine, the node and the (scaled) waits. The emulator looks leads up through per-field value indexes (email case-insensitive, as in Marketo), so its share grows only with the records per call.",
		'- **Max per 20 s window / budget**: the most calls Marketo accepted within any 20-second (emulated) window, against the credential\'s "Calls per 20 Seconds" (Marketo\'s own limit is 100). For SpotMe: the most requests in flight at once (1 = sequential, as SpotMe asks).',
		'',
		'Notes per scenario:',
		...notes,
		'',
		'Reading the numbers:',
		"- Marketo work is counted in calls, not records: lead and program member writes carry up to 300 records per call, so 10 000 leads cost ⌈10 000 / 300⌉ = 34 calls, well inside one 20 s window of the instance's 100 calls, and the 50 000 calls of the daily quota would carry up to 15 million records.",
		"- With a small budget (a Marketo instance shared with other integrations) the credential's throttle waits instead of letting Marketo answer 606: the busiest 20 s window holds exactly the budget and nothing is refused. In real time the 5-call budget would stretch the 34 calls over about 34 / 5 × 20 s ≈ 2.3 minutes.",
		"- Refused calls (606/615) are retried after Marketo's window; every record still arrives exactly once, in the order of the items.",
		'- SpotMe takes up to 5 000 documents per call and 3 requests per second per token: 12 000 people are 3 sequential calls and no 429.',
		'- Activity polling pays for what it scans, not for what it keeps: Marketo examines a bounded block of activities per page, so a rare activity type among many others costs one call per 300 raw activities, spread over polls of at most "Max Pages per Poll" pages.',
		'- Where the time goes: in the lead scenarios with the full budget, 10 000 leads take well under a second in all (node, engine and emulator together); with a small budget almost all of it is the throttle\'s (scaled) waiting. In the SpotMe scenario nearly all of it is n8n evaluating the four parameter expressions of each of the 12 000 items (about 0.1 ms each, n8n\'s own cost, profiled), not the node or SpotMe; Lead Create or Update with "Map Automatically" has no per-item expressions.',
		'- Wall times are from a shared 2-core machine (other test suites may run at the same time) and vary between runs; the call counts do not.',
		'',
	].join('\n');
}

const RESULTS = join(__dirname, '..', 'bench', 'results.json');
const DOC = join(__dirname, '..', 'docs', 'benchmarks.md');

/** The rows of issue 15, or the ones `--scenario` / `--n` / `--latency-ms` ask for. */
export async function runResultRows(
	args: { scenario?: string; n?: number; latencyMs?: number },
	print: (line: string) => void = () => {},
): Promise<ResultRow[]> {
	const plan: Array<[string, () => Promise<ResultRow | ResultRow[]>]> = [];
	const wants = (name: string) => !args.scenario || args.scenario === name;
	if (wants('lead-push')) {
		const sizes = args.n ? [args.n] : [10_000, 50_000];
		const latencies = args.latencyMs !== undefined ? [args.latencyMs] : [0, 1000];
		for (const n of sizes)
			for (const latencyMs of latencies)
				plan.push([
					`lead-push ${n} @ ${latencyMs} ms`,
					async () => await leadPush(n, { latencyMs }),
				]);
	}
	if (wants('fault-mix'))
		plan.push([
			'fault-mix',
			async () =>
				await leadPush(args.n ?? 10_000, {
					scenario: 'Lead push, goal fault mix + lost answers (time ×0.01)',
					timeScale: 0.01,
					latencyMs: args.latencyMs ?? 0,
					faults: {
						seed: 15,
						error606: 0.05,
						error615: 0.05,
						http5xx: 0.03,
						// a tenth of the writes: the client is cut off while Marketo goes on writing for
						// 1.5 s (under its 3.1 s time-out at ×0.01), as a gateway failure looks
						lostAnswer: 0.1,
						lostAnswerMode: 'whileWriting',
						timeoutMs: 1500,
						paths: ['/rest/v1/leads.json'],
					},
				}),
		]);
	if (wants('custom-objects'))
		// Time ×0.1: at ×0.01 the client's time-out (3.1 s) is shorter than this 2-core machine under
		// load may take to answer, and a time-out turns into lookups instead of writes.
		plan.push(['custom-objects', async () => await customObjectPush(args.n ?? 250_000, 0.1)]);
	// The real-n8n rows take minutes each (an n8n start, 10 000 calls, a 50 000-person run): only
	// when asked for by name (`real-n8n` runs both). Run them through /work/team/realn8n.
	const named = (...names: string[]) => !!args.scenario && names.includes(args.scenario);
	if (named('peer', 'real-n8n'))
		plan.push(['peer', async () => await runPeer(args.n ?? 10_000, print)]);
	if (named('n8n-rss', 'real-n8n'))
		plan.push(['n8n-rss', async () => await runRssPush(args.n ?? 50_000, { log: print })]);
	// n8n in queue mode with 1, 2 and 4 workers (issue 10): minutes, only when asked for by name.
	if (args.scenario === 'queue-mode')
		plan.push([
			'queue-mode',
			async () => await runQueueModeBench({ people: args.n ?? 10_000, log: print }),
		]);
	// Marketo Call Webhook bursts of 50 and 200 against the bundled lead push in the real n8n, with
	// n8n's own floor in the same run (issue 14): minutes, only when asked for by name.
	if (args.scenario === 'webhook-burst')
		plan.push([
			'webhook-burst',
			async () => (await runWebhookBurst(args.n ? [args.n] : undefined)) as unknown as ResultRow[],
		]);
	const rows: ResultRow[] = [];
	for (const [name, run] of plan) {
		print(`… ${name}`);
		const out = await run();
		for (const row of Array.isArray(out) ? out : [out]) rows.push(row);
	}
	return rows;
}

/** Rows other issues add may lack some fields. */
const none = (v: unknown) => v === null || v === undefined;

const COLUMNS: Array<[string, (r: ResultRow) => string]> = [
	['Scenario', (r) => r.scenario],
	['N', (r) => String(r.n)],
	['Latency', (r) => (none(r.latencyMs) ? '–' : `${r.latencyMs} ms`)],
	['Time ×', (r) => (none(r.timeScale) ? '–' : String(r.timeScale))],
	[
		'Marketo calls / floor',
		(r) => (none(r.marketoCalls) ? '–' : `${r.marketoCalls} / ${r.marketoFloor ?? '–'}`),
	],
	['SpotMe calls', (r) => (none(r.spotmeCalls) ? '–' : String(r.spotmeCalls))],
	[
		'Wall / floor',
		(r) =>
			none(r.wallS) ? '–' : `${r.wallS} s / ${none(r.wallFloorS) ? '–' : `${r.wallFloorS} s`}`,
	],
	['Lost', (r) => (none(r.lost) ? '–' : String(r.lost))],
	['Dup.', (r) => (none(r.duplicates) ? '–' : String(r.duplicates))],
	['606/615', (r) => (none(r.refused606) ? '–' : `${r.refused606}/${r.refused615}`)],
	['Peak RSS', (r) => (none(r.peakRssMb) ? '–' : `${r.peakRssMb} MB`)],
	['Target', (r) => r.target ?? '–'],
	['Met', (r) => (none(r.met) ? 'not measured' : r.met ? 'yes' : 'no')],
];

export function resultTable(rows: ResultRow[]): string {
	const all = [COLUMNS.map(([h]) => h), ...rows.map((r) => COLUMNS.map(([, f]) => f(r)))];
	const widths = COLUMNS.map((_, c) =>
		all.reduce((w, r) => (r[c].length > w ? r[c].length : w), 0),
	);
	return all.map((r) => r.map((v, c) => v.padEnd(widths[c])).join('  ')).join('\n');
}

export function resultsMarkdown(rows: ResultRow[]): string {
	const cpu = cpus();
	const body = rows.map(
		(r) => `| ${COLUMNS.map(([, f]) => f(r).replace(/\|/g, '\\|')).join(' | ')} |`,
	);
	const reasons = rows
		.filter((r) => r.reason || r.note)
		.map(
			(r) =>
				`- **${r.scenario}** (${r.n}${r.latencyMs ? `, ${r.latencyMs} ms` : ''}): ${[r.reason, r.note].filter(Boolean).join('; ')}`,
		);
	return [
		'# Benchmarks',
		'',
		"Generated from `bench/results.json` by `npm run bench` (scripts/bench.ts, scripts/benchRows.ts). Each row runs the real node through n8n's engine against a fresh Marketo emulator and counts from the emulator: calls accepted, refusals, leads or records lost or doubled.",
		'',
		`- Machine: ${cpu.length} cores (${cpu[0]?.model?.trim() ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(1)} GB RAM; Node ${process.version}; written ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
		"- **Marketo floor**: ⌈N / 300⌉ calls per write step plus the lookups the scenario needs. **Wall floor**: the least time Marketo's limits allow at the row's time scale (100 calls per 20 s, 10 in flight, each taking the latency); time ×1 is real time.",
		"- **Wall** of a lead push is the Marketo node's run as n8n's engine times it (the row's `workflowWallS` is the whole workflow, with the test harness's source node); `loadAverage` is the machine's 1-minute load when the row was measured.",
		"- **Latency** is Marketo's processing time per call (the emulator waits latency × time scale). **Peak RSS** is this whole process (engine, node and emulator together), except in the real-n8n rows.",
		"- **Real-n8n rows** (scenario names ending in *(real n8n…)*) run in the real n8n 2.40.7 with this package installed from its packed tarball (dev/n8n/harness.ts, dev/lib/bench/realN8n.ts). They take minutes each, so `npm run bench` leaves them out; run them by name: `npm run bench -- --scenario peer` (n8n's HTTP Request node, one call per record, bench/peer-http-request-lead-push.json; `--n`, default 10 000), `--scenario n8n-rss` (the bundled SpotMe → Marketo push published and fired once by its schedule; Peak RSS is the n8n process and its task runners, read from /proc; `--n`, default 50 000), or `--scenario real-n8n` for both. `--scenario webhook-burst` (dev/lib/bench/webhookBurst.ts, about 6 minutes per configuration) sends 50 and 200 concurrent Marketo Call Webhook deliveries, rendered as Marketo renders the trigger's template, to the bundled Marketo → SpotMe lead push published in the real n8n, SpotMe at its real pace (3 requests/s, bursts of 5), and the same burst to a Webhook → Respond to Webhook workflow, n8n's own floor in the same run; its note gives p50, p99, the floor's p99 and the SpotMe calls by route. It runs three times (about 20 minutes): with n8n's defaults (`webhook-burst`), with the README's *Registration bursts* setting `N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true` (`webhook-burst-recommended`), and with that setting in queue mode with 2 workers (`webhook-burst-queue`), each floor measured under the same settings, beside a community trigger's own floor (Marketo Trigger → Answer, no expression); an answer counts only if Marketo mapped a login URL from it.",
		'',
		`| ${COLUMNS.map(([h]) => h).join(' | ')} |`,
		`|${COLUMNS.map(() => '---').join('|')}|`,
		...body,
		'',
		'Why a target is not met, or not measured:',
		...(reasons.length ? reasons : ['- (none)']),
		'',
	].join('\n');
}

/** Rows of this run replace rows with the same scenario, n and latency; other rows stay. */
export function mergeRows(previous: ResultRow[], fresh: ResultRow[]): ResultRow[] {
	const key = (r: ResultRow) => `${r.scenario}|${r.n}|${r.latencyMs}`;
	const replaced = new Set(fresh.map(key));
	return [...previous.filter((r) => !replaced.has(key(r))), ...fresh];
}

function option(args: string[], name: string): string | undefined {
	const i = args.indexOf(name);
	return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	const out = (l: string) => process.stdout.write(`${l}\n`);
	const t0 = Date.now();
	if (args.includes('--legacy') || args.includes('--smoke')) {
		const rows = await runBench({ smoke: args.includes('--smoke'), print: out });
		out('');
		out(textTable(rows));
		process.exit(rows.every((r) => r.ok) ? 0 : 1);
	}
	const n = option(args, '--n');
	const latency = option(args, '--latency-ms');
	out(`Benchmarks (${cpus().length} cores, Node ${process.version})`);
	// Warm-up (not reported): the first run through the engine loads n8n's modules.
	await leadPush(10, { timeScale: 0.01 });
	const rows = await runResultRows(
		{
			scenario: option(args, '--scenario'),
			n: n === undefined ? undefined : Number(n),
			latencyMs: latency === undefined ? undefined : Number(latency),
		},
		out,
	);
	out('');
	out(resultTable(rows));
	let previous: ResultRow[] = [];
	if (existsSync(RESULTS)) previous = JSON.parse(readFileSync(RESULTS, 'utf8')) as ResultRow[];
	const all = mergeRows(previous, rows);
	mkdirSync(dirname(RESULTS), { recursive: true });
	writeFileSync(RESULTS, `${JSON.stringify(all, null, 2)}\n`);
	writeFileSync(DOC, resultsMarkdown(all));
	out(`\n${((Date.now() - t0) / 1000).toFixed(1)} s in total; wrote ${RESULTS} and ${DOC}`);
	process.exit(0);
}

if (require.main === module) {
	main().catch((e) => {
		process.stderr.write(`BENCH FAILED: ${(e as Error)?.stack ?? e}\n`);
		process.exit(1);
	});
}
