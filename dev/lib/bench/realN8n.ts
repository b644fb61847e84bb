/**
 * The two bench/results.json rows (issue 15) that need the real n8n (dev/n8n/harness.ts, the version
 * pinned in dev/n8n/versions.json, this package installed from its packed tarball):
 *
 * - `peer`: bench/peer-http-request-lead-push.json, what a user builds without this package (a token
 *   from Marketo's identity service, then n8n's core HTTP Request node posting each record to
 *   /rest/v1/leads.json), run against the Marketo emulator at Marketo's real limits in real time
 *   (100 calls / 20 s, 10 in flight, 606/615 when exceeded); then this package's Lead > Create or
 *   Update on the same records in the same n8n, against a fresh emulator with the same limits.
 * - `n8n-rss`: the bundled workflows/spotme-to-marketo-lead-push.json published in the real n8n and
 *   fired once by its schedule (a production run in n8n's main process, as an event team runs it)
 *   with N people in the SpotMe emulator; the resident memory of the n8n process and its children
 *   (task runners) is read from /proc every 200 ms through the run.
 */
import { readdirSync, readFileSync } from 'fs';
import { loadavg } from 'os';
import { join, resolve } from 'path';

import { startMarketoEmulator, type MarketoEmulator } from '../../emulators/marketo';
import { startSpotMeEmulator } from '../../emulators/spotme';
import {
	newId,
	nodeOutput,
	parseRunOutput,
	ROOT,
	startN8n,
	type N8nInstance,
	type N8nRun,
	type WorkflowJson,
} from '../../n8n/harness';
import { marketoSeed, spotMeSeed, SUMMIT_PROGRAM_ID, SUMMIT_WORKSPACE } from '../seed';
import type { ResultRow } from './row';

/** A bench/results.json row. */
export type RealN8nRow = ResultRow;

export const PEER_SCENARIO =
	"Peer: n8n's HTTP Request node, one call per record (real n8n, real limits)";
export const RSS_SCENARIO = 'n8n RSS for a 50 000-person push (real n8n)';
export const PEER_WORKFLOW = resolve(ROOT, 'bench', 'peer-http-request-lead-push.json');

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Resident memory of a process tree, from /proc

function readProc(pid: number, file: string): string | undefined {
	try {
		return readFileSync(`/proc/${pid}/${file}`, 'utf8');
	} catch {
		return undefined; // gone, or not ours
	}
}

function pids(): number[] {
	return readdirSync('/proc')
		.filter((e) => /^\d+$/.test(e))
		.map(Number);
}

/** The parent pid of each process (from /proc/<pid>/stat: the field after the parenthesised name). */
function parents(): Map<number, number> {
	const out = new Map<number, number>();
	for (const pid of pids()) {
		const stat = readProc(pid, 'stat');
		if (!stat) continue;
		const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		out.set(pid, Number(rest[1]));
	}
	return out;
}

/** `pid` and all its descendants. */
export function processTree(pid: number): number[] {
	const parent = parents();
	const tree = [pid];
	for (let i = 0; i < tree.length; i++)
		for (const [child, p] of parent) if (p === tree[i] && !tree.includes(child)) tree.push(child);
	return tree;
}

/** VmRSS of one process in bytes (0 when it is gone). */
export function rssBytes(pid: number): number {
	const m = /VmRSS:\s+(\d+)\s+kB/.exec(readProc(pid, 'status') ?? '');
	return m ? Number(m[1]) * 1024 : 0;
}

/** The pid of the `n8n start` process whose user folder is `userFolder` (found by its environment). */
export function n8nServerPid(userFolder: string): number | undefined {
	for (const pid of pids()) {
		const cmd = (readProc(pid, 'cmdline') ?? '').split('\0');
		if (!cmd.some((a) => /[/\\]n8n$/.test(a)) || !cmd.includes('start')) continue;
		if (cmd.some((a) => a.endsWith('watchdog.js'))) continue;
		const env = (readProc(pid, 'environ') ?? '').split('\0');
		if (env.includes(`N8N_USER_FOLDER=${userFolder}`)) return pid;
	}
	return undefined;
}

export interface RssSampler {
	stop(): {
		/** the largest sum over the process and its children at one sample */
		peakTotalMb: number;
		/** the largest RSS of the main process alone */
		peakMainMb: number;
		/** the most processes seen at one sample (main + task runners) */
		maxProcesses: number;
		samples: number;
		/** every sample: time (ms since epoch), main and total RSS in MB */
		timeline: Array<[number, number, number]>;
	};
}

/** Samples the RSS of `pid` and its descendants every `everyMs` until stop(). */
export function sampleRss(pid: number, everyMs = 200): RssSampler {
	let peakTotal = 0;
	let peakMain = 0;
	let maxProcesses = 0;
	let samples = 0;
	const timeline: Array<[number, number, number]> = [];
	const mb = (b: number) => Math.round(b / 2 ** 20);
	const sample = () => {
		const tree = processTree(pid);
		const main = rssBytes(pid);
		const total = tree.reduce((sum, p) => sum + rssBytes(p), 0);
		peakMain = Math.max(peakMain, main);
		peakTotal = Math.max(peakTotal, total);
		maxProcesses = Math.max(maxProcesses, tree.filter((p) => rssBytes(p) > 0).length);
		samples++;
		timeline.push([Date.now(), mb(main), mb(total)]);
	};
	sample();
	const timer = setInterval(sample, everyMs);
	return {
		stop() {
			clearInterval(timer);
			sample();
			return {
				peakTotalMb: mb(peakTotal),
				peakMainMb: mb(peakMain),
				maxProcesses,
				samples,
				timeline,
			};
		},
	};
}

// ---------------------------------------------------------------------------------------------
// Counting what Marketo holds

function marketoCounts(emu: MarketoEmulator, emails: string[]) {
	const log = emu.requestLog().filter((e) => e.path.startsWith('/rest'));
	const refusedCodes = ['606', '615', '601', '602', '607'];
	const held = new Map<string, number>();
	for (const lead of emu.state.leads.values()) {
		const key = String(lead.email).toLowerCase();
		held.set(key, (held.get(key) ?? 0) + 1);
	}
	let lost = 0;
	let duplicates = 0;
	for (const email of emails) {
		const c = held.get(email.toLowerCase()) ?? 0;
		if (c === 0) lost++;
		if (c > 1) duplicates += c - 1;
	}
	return {
		calls: log.filter((e) => !e.code || !refusedCodes.includes(e.code)).length,
		refused606: log.filter((e) => e.code === '606').length,
		refused615: log.filter((e) => e.code === '615').length,
		maxInFlight: maxInFlight(log),
		lost,
		duplicates,
	};
}

function maxInFlight(log: Array<{ at: number; doneAt?: number; code?: string }>): number {
	const events: Array<[number, number]> = [];
	for (const e of log) {
		if (e.code === '606' || e.code === '615' || e.doneAt === undefined) continue;
		events.push([e.at, 1], [e.doneAt, -1]);
	}
	events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	let now = 0;
	let best = 0;
	for (const [, d] of events) best = Math.max(best, (now += d));
	return best;
}

/** n8n's own start and stop of a run (the CLI process's start-up is not part of it). */
function runSeconds(run: N8nRun): number | undefined {
	const started = Date.parse(String(run.startedAt ?? ''));
	const stopped = Date.parse(String(run.stoppedAt ?? ''));
	return Number.isFinite(started) && Number.isFinite(stopped)
		? (stopped - started) / 1000
		: undefined;
}

async function executeLong(n8n: N8nInstance, id: string, timeoutMs: number): Promise<N8nRun> {
	const r = await n8n.cli(['execute', `--id=${id}`, '--rawOutput'], { timeoutMs });
	const run = parseRunOutput(r.stdout) ?? parseRunOutput(`${r.stdout}\n${r.stderr}`);
	if (!run)
		throw new Error(
			`n8n execute --id=${id} printed no run (exit ${r.code}):\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`,
		);
	return run;
}

function recordsCode(n: number): string {
	return `// Stand-in for the user's source of records (a sheet, a SpotMe export, ...).\nconst n = ${n};\nreturn Array.from({ length: n }, (_, i) => ({ json: { email: \`peer\${i}@example.com\`, firstName: \`F\${i}\` } }));\n`;
}

/** The peer workflow file with the emulator's addresses, client and N filled in. */
export function peerWorkflow(
	emu: { identityUrl: string; restUrl: string; clientId: string; clientSecret: string },
	n: number,
): WorkflowJson {
	const text = readFileSync(PEER_WORKFLOW, 'utf8')
		.replace(/REPLACE_WITH_MARKETO_IDENTITY_URL/g, emu.identityUrl)
		.replace(/REPLACE_WITH_MARKETO_REST_URL/g, emu.restUrl)
		.replace(/REPLACE_WITH_CLIENT_ID/g, emu.clientId)
		.replace(/REPLACE_WITH_CLIENT_SECRET/g, emu.clientSecret);
	const wf = JSON.parse(text) as WorkflowJson;
	const records = wf.nodes.find((node) => node.name === 'Records') as {
		parameters: { jsCode: string };
	};
	records.parameters.jsCode = recordsCode(n);
	return { ...wf, id: newId() };
}

/** The same records through this package's Lead > Create or Update (Map Automatically). */
function ownNodeWorkflow(n: number, credentialId: string): WorkflowJson {
	const peer = JSON.parse(readFileSync(PEER_WORKFLOW, 'utf8')) as WorkflowJson;
	const trigger = peer.nodes.find((node) => node.name === 'Run')!;
	const records = peer.nodes.find((node) => node.name === 'Records')!;
	return {
		id: newId(),
		name: 'Bench: Marketo lead push with this package',
		nodes: [
			trigger,
			{ ...records, parameters: { jsCode: recordsCode(n) } },
			{
				id: newId(),
				name: 'Marketo: Create or Update Lead',
				type: 'n8n-nodes-marketo-spotme.marketo',
				typeVersion: 1,
				position: [660, 0],
				parameters: {
					resource: 'lead',
					operation: 'upsert',
					syncAction: 'createOrUpdate',
					lookupField: 'email',
					fields: { mappingMode: 'autoMapInputData', value: null },
				},
				credentials: { marketoApi: { id: credentialId, name: 'Marketo (emulator)' } },
			},
		],
		connections: {
			Run: { main: [[{ node: 'Records', type: 'main', index: 0 }]] },
			Records: { main: [[{ node: 'Marketo: Create or Update Lead', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

const CALLS_PER_WINDOW = 100;
/** The least real time Marketo's limits allow for `calls` calls at 0 ms latency (time ×1). */
const rateFloorS = (calls: number) => Math.floor(Math.max(0, calls - 1) / CALLS_PER_WINDOW) * 20;

/**
 * The peer (n8n's HTTP Request node, one call per record) and this package's node on the same `n`
 * records, in one real n8n, each against a fresh Marketo emulator at Marketo's real limits and real
 * time (×1, 0 ms latency).
 */
export async function runPeer(
	n = 10_000,
	log: (line: string) => void = () => {},
): Promise<RealN8nRow> {
	const emails = Array.from({ length: n }, (_, i) => `peer${i}@example.com`);
	const n8n = await startN8n({ log });
	try {
		// The peer: 1 token call, then n calls.
		const peerEmu = await startMarketoEmulator({ validateOpenApi: false });
		let peer: ReturnType<typeof marketoCounts>;
		let peerRun: N8nRun;
		try {
			const id = await n8n.importWorkflow(peerWorkflow(peerEmu, n));
			log(`peer: ${n} records through the HTTP Request node`);
			peerRun = await executeLong(n8n, id, 30 * 60_000);
			peer = marketoCounts(peerEmu, emails);
		} finally {
			await peerEmu.stop();
		}
		const peerError = peerRun.data.resultData.error;
		let answered = 0;
		let refusedInBody = 0;
		if (!peerError) {
			const out = nodeOutput(peerRun, 'Marketo: Push Lead');
			answered = out.length;
			refusedInBody = out.filter((j) => j.success !== true).length;
		}
		const peerWall = runSeconds(peerRun);

		// This package's node on the same records, same limits, fresh emulator.
		const ownEmu = await startMarketoEmulator({ validateOpenApi: false });
		let own: ReturnType<typeof marketoCounts>;
		let ownRun: N8nRun;
		try {
			const [cred] = await n8n.importCredentials([
				{
					name: 'Marketo (emulator)',
					type: 'marketoApi',
					data: {
						restEndpoint: ownEmu.restUrl,
						clientId: ownEmu.clientId,
						clientSecret: ownEmu.clientSecret,
					},
				},
			]);
			const id = await n8n.importWorkflow(ownNodeWorkflow(n, cred));
			log(`this package: ${n} records through Lead > Create or Update`);
			ownRun = await executeLong(n8n, id, 30 * 60_000);
			own = marketoCounts(ownEmu, emails);
		} finally {
			await ownEmu.stop();
		}
		const ownWall = runSeconds(ownRun);
		const ownError = ownRun.data.resultData.error;

		const row: RealN8nRow = {
			scenario: PEER_SCENARIO,
			n,
			marketoCalls: peer.calls,
			// one call per record is the peer's own floor: what every record costs it
			marketoFloor: n,
			spotmeCalls: 0,
			wallS: peerWall === undefined ? null : round(peerWall),
			wallFloorS: rateFloorS(n),
			latencyMs: 0,
			timeScale: 1,
			lost: peer.lost,
			duplicates: peer.duplicates,
			refused606: peer.refused606,
			refused615: peer.refused615,
			peakRssMb: null,
			target: 'report its calls and what it lost',
			met: !peerError,
			loadAverage: round(loadavg()[0], 1),
			note:
				`real n8n 2.40.7, Marketo emulator at its real limits in real time (×1, 0 ms latency). ` +
				(peerError
					? `The run failed: ${peerError.message}. `
					: `The HTTP Request node (default options) sent all ${n} calls at once (the node starts every item's request together; at 0 ms latency Marketo answers each at once, so at most ${peer.maxInFlight} were in flight there) and reported ${answered} successful items; ${refusedInBody} of them carry Marketo's refusal (HTTP 200, success:false: ${peer.refused606}× 606, ${peer.refused615}× 615), nothing retried them. `) +
				`Marketo holds ${n - peer.lost} of the ${n} records afterwards: ${peer.lost} lost. ` +
				`The same ${n} records through this package's Lead > Create or Update in the same n8n, same limits: ${own.calls} calls (${Math.ceil(n / 300)} batches of ≤ 300 + lookups), ${own.lost} lost, ${own.duplicates} duplicates, ${own.refused606}× 606, ${own.refused615}× 615, ${ownWall === undefined ? '?' : round(ownWall)} s${ownError ? `, run failed: ${ownError.message}` : ''}. ` +
				`At 100 calls / 20 s the peer's ${n} calls need at least ${rateFloorS(n)} s to be accepted; sending them anyway loses the rest.`,
		};
		return row;
	} finally {
		await n8n.stop();
	}
}

// ---------------------------------------------------------------------------------------------
// RSS of the bundled SpotMe → Marketo push

/** A cron (with seconds) that fires once, at `at` (UTC; the harness runs n8n with TZ=UTC). */
function cronAt(at: Date): string {
	return `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} * * *`;
}

/**
 * What the README recommends for events of tens of thousands of people: a V8 heap limit for n8n's
 * main process (without one, V8 sizes the heap from the host's memory, about 4 GB on a 24 GB host,
 * and leaves garbage uncollected long after it is garbage: a bare n8n 2.40.7 idles at about 700 MB
 * RSS of which about 300 MB go at the first full collection), and no saved data for successful
 * runs (n8n serialises every node's output when a run ends: about 70 MB for 50 000 people).
 */
export const RSS_RECOMMENDED_ENV: Record<string, string> = {
	NODE_OPTIONS: '--max-old-space-size=512',
	EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none',
};

/**
 * The n8n-rss row: the bundled push once with n8n's defaults and once with the README's
 * recommendation (RSS_RECOMMENDED_ENV); the row is the recommended run, its note gives both.
 * With `opts.env` (a diagnosis run) only that one run.
 */
export async function runRssPush(
	n = 50_000,
	opts: Parameters<typeof rssPushOnce>[1] = {},
): Promise<RealN8nRow> {
	if (opts.env) return await rssPushOnce(n, opts);
	const defaults = await rssPushOnce(n, { ...opts, env: {} });
	const row = await rssPushOnce(n, { ...opts, env: RSS_RECOMMENDED_ENV });
	const setting = Object.entries(RSS_RECOMMENDED_ENV)
		.map(([k, v]) => `${k}=${v}`)
		.join(' ');
	const keptAt = defaults.note?.indexOf(" n8n keeps every node's output") ?? -1;
	const kept = keptAt >= 0 ? defaults.note!.slice(keptAt) : '';
	row.note = `n8n started with ${setting}, as the README recommends for events of this size (not n8n's default). With n8n's defaults the same run peaked at ${defaults.peakRssMb} MB (${defaults.met ? 'within 1 GB' : defaults.reason}).${kept} This run: ${row.note}`;
	return row;
}

/**
 * The bundled spotme-to-marketo-lead-push.json, published in the real n8n with `n` people in the
 * SpotMe emulator, fired once by its schedule; peak RSS of the n8n process (and task runners).
 * Marketo and the credential at time `timeScale` (the limits' waits shrink; memory does not).
 */
async function rssPushOnce(
	n = 50_000,
	opts: {
		timeScale?: number;
		log?: (line: string) => void;
		/** Extra environment for n8n (diagnosis runs; the bench row runs n8n's defaults). */
		env?: Record<string, string>;
		/** Another workflow than the bundled one (diagnosis runs only). */
		workflow?: WorkflowJson;
		/** Started just before the run with the n8n server's pid; stopped after it (diagnosis). */
		probe?: (pid: number) => { stop(): Promise<void> };
	} = {},
): Promise<RealN8nRow> {
	const log = opts.log ?? (() => {});
	const timeScale = opts.timeScale ?? 0.1;
	const marketo = await startMarketoEmulator({
		timeScale,
		validateOpenApi: false,
		seed: marketoSeed(),
	});
	const base = spotMeSeed();
	const spotme = await startSpotMeEmulator({
		tokens: ['sm-rss-bench'],
		timeScale,
		seed: {
			orgs: base.orgs,
			workspaces: base.workspaces,
			people: Array.from({ length: n }, (_, i) => ({
				workspaceId: SUMMIT_WORKSPACE,
				_id: `rss-${i}`,
				fname: `First${i}`,
				lname: `Last${i}`,
				email: `rss${i}@example.com`,
				company: `Company ${i % 500}`,
				position: 'Engineer',
				phone: `+41 44 000 ${String(i).padStart(5, '0')}`,
				country: 'Switzerland',
			})),
		},
	});
	const n8n = await startN8n({ log, ...(opts.env ? { env: opts.env } : {}) });
	const n8nSettings = Object.entries(opts.env ?? {})
		.map(([k, v]) => `${k}=${v}`)
		.join(' ');
	try {
		const [marketoApi, spotMeApi] = await n8n.importCredentials([
			{
				name: 'Marketo (emulator)',
				type: 'marketoApi',
				data: {
					restEndpoint: marketo.restUrl,
					clientId: marketo.clientId,
					clientSecret: marketo.clientSecret,
					timeScale,
				},
			},
			{
				name: 'SpotMe (emulator)',
				type: 'spotMeApi',
				data: {
					apiToken: 'sm-rss-bench',
					baseUrl: spotme.apiUrl,
					organizationId: 'org-demo',
					requestsPerSecond: 3 / timeScale,
					burst: 5,
				},
			},
		]);
		const wf =
			opts.workflow ??
			(JSON.parse(
				readFileSync(join(ROOT, 'workflows', 'spotme-to-marketo-lead-push.json'), 'utf8'),
			) as WorkflowJson);
		const nodes = wf.nodes as unknown as Array<{
			name: string;
			type: string;
			parameters: Record<string, unknown>;
			credentials?: Record<string, { id: string; name: string }>;
		}>;
		const settings = nodes.find((x) => x.name === 'Settings')!;
		for (const a of (
			settings.parameters.assignments as { assignments: Array<{ name: string; value: unknown }> }
		).assignments) {
			if (a.name === 'spotMeWorkspaceId') a.value = SUMMIT_WORKSPACE;
			if (a.name === 'marketoProgramId') a.value = String(SUMMIT_PROGRAM_ID);
		}
		for (const node of nodes) {
			if (node.credentials?.marketoApi)
				node.credentials.marketoApi = { id: marketoApi, name: 'Marketo (emulator)' };
			if (node.credentials?.spotMeApi)
				node.credentials.spotMeApi = { id: spotMeApi, name: 'SpotMe (emulator)' };
		}
		// The schedule fires once, a little after publication (instead of every 15 minutes).
		const schedule = nodes.find((x) => x.type === 'n8n-nodes-base.scheduleTrigger')!;
		const fireAt = new Date(Math.ceil((Date.now() + 25_000) / 1000) * 1000);
		schedule.parameters = {
			rule: { interval: [{ field: 'cronExpression', expression: cronAt(fireAt) }] },
		};
		const id = await n8n.importWorkflow({ ...wf, id: newId() });
		const pid = n8nServerPid(n8n.userFolder);
		if (!pid) throw new Error('the n8n server process was not found in /proc');
		await n8n.activate(id);
		if (Date.now() > fireAt.getTime() - 1000)
			throw new Error('publication took longer than the time before the scheduled run');
		// Settle, then measure from just before the run starts.
		const idle = rssBytes(pid);
		const sampler = sampleRss(pid);
		const probe = opts.probe?.(pid);
		log(`n8n-rss: ${n} people; the schedule fires at ${fireAt.toISOString()}`);
		let execution:
			| { id: string; status: string; startedAt?: string; stoppedAt?: string }
			| undefined;
		const deadline = Date.now() + 30 * 60_000;
		let seen: typeof execution;
		let firstSeenAt = 0;
		let goneFor = 0;
		for (;;) {
			await sleep(1000);
			// n8n answers late while a node holds its event loop: an unanswered call says nothing.
			const list = await n8n.listExecutions(id).catch(() => undefined);
			if (!list) continue;
			execution = list[0];
			if (execution && !seen) firstSeenAt = Date.now();
			if (execution) seen = execution;
			if (execution && !['new', 'running', 'waiting'].includes(execution.status)) break;
			// EXECUTIONS_DATA_SAVE_ON_SUCCESS=none: n8n deletes a successful execution when it ends
			// (a failed one is kept with its status).
			const known = seen;
			if (!execution && known) {
				// Not in the list: still running (n8n may leave it out), or deleted when it ended.
				const one = await n8n
					.rest<{
						status?: string;
						startedAt?: string;
						stoppedAt?: string;
					}>('GET', `/rest/executions/${known.id}`)
					// n8n 2.40.7 answers an execution it no longer has with no data (older ones: 404)
					.then((e) => (e && typeof e === 'object' && 'status' in e ? e : null))
					.catch((error: Error) => (/ answered 404/.test(error.message) ? null : undefined));
				// …and only once Marketo and SpotMe have heard nothing from it for 2 s.
				const lastCall = Math.max(
					0,
					...marketo.requestLog().map((e) => e.at),
					...spotme.requestLog().map((e) => e.startedAt),
				);
				goneFor = one === null && Date.now() - lastCall > 2000 ? goneFor + 1 : 0;
				if (one?.status && !['new', 'running', 'waiting'].includes(one.status)) {
					execution = { ...known, ...one, id: known.id, status: one.status };
					break;
				}
				if (goneFor >= 2) {
					execution = {
						id: known.id,
						status: 'success',
						startedAt: known.startedAt ?? new Date(firstSeenAt).toISOString(),
						stoppedAt: new Date(Date.now() - 2500).toISOString(),
					};
					log('  the execution ended and n8n did not keep it (successful, not saved)');
					break;
				}
			}
			if (Date.now() > deadline) break;
		}
		await sleep(2000);
		await probe?.stop();
		const peak = sampler.stop();
		await n8n.deactivate(id).catch(() => undefined);
		if (!execution) throw new Error('the scheduled run did not start');
		// What n8n itself keeps for the run: every node's output items, saved with the execution.
		let kept = '';
		try {
			const raw = await n8n.rest<{ data: unknown }>('GET', `/rest/executions/${execution.id}`);
			const savedMb = typeof raw.data === 'string' ? raw.data.length / 2 ** 20 : undefined;
			const full = await n8n.getExecution(execution.id);
			const perNode = Object.entries(full.data.resultData.runData).map(([name, runs]) => {
				let items = 0;
				let bytes = 0;
				let ms = 0;
				for (const r of runs) ms += Number((r as { executionTime?: number }).executionTime ?? 0);
				for (const r of runs)
					for (const out of r.data?.main ?? [])
						for (const item of out ?? []) {
							items++;
							bytes += JSON.stringify(item.json).length;
						}
				return { name, items, mb: bytes / 2 ** 20, s: ms / 1000 };
			});
			const total = perNode.reduce((a, b) => a + b.mb, 0);
			for (const x of perNode)
				log(
					`  kept by n8n: ${x.name}: ${x.items} items, ${x.mb.toFixed(1)} MB of JSON, ${x.s.toFixed(1)} s`,
				);
			kept = ` n8n keeps every node's output for the run: ${perNode.reduce((a, b) => a + b.items, 0)} items in ${perNode.length} nodes, ${total.toFixed(0)} MB as JSON (saved execution ${savedMb === undefined ? '?' : savedMb.toFixed(0)} MB); the largest: ${[
				...perNode,
			]
				.sort((a, b) => b.mb - a.mb)
				.slice(0, 3)
				.map((x) => `${x.name} ${x.mb.toFixed(0)} MB`)
				.join(', ')}.`;
		} catch (error) {
			log(`  could not read the execution: ${(error as Error).message}`);
		}
		const wallS =
			execution.startedAt && execution.stoppedAt
				? (Date.parse(execution.stoppedAt) - Date.parse(execution.startedAt)) / 1000
				: null;
		const emails = Array.from({ length: n }, (_, i) => `rss${i}@example.com`);
		const m = marketoCounts(marketo, emails);
		const linked = spotme.state
			.people(SUMMIT_WORKSPACE)
			.filter((p) => String(p._id).startsWith('rss-') && p.marketo_lead_id).length;
		const ours = new Set(
			[...marketo.state.leads.values()]
				.filter((l) => String(l.email).startsWith('rss'))
				.map((l) => Number(l.id)),
		);
		const members = [...(marketo.state.members.get(SUMMIT_PROGRAM_ID)?.values() ?? [])].filter(
			(mem) => mem.statusName === 'Registered' && ours.has(Number(mem.leadId)),
		).length;
		// Where the memory went: the most RSS while each kind of call was being made.
		const phases = new Map<string, [number, number]>();
		const span = (name: string, at: number) => {
			const p = phases.get(name);
			phases.set(name, p ? [Math.min(p[0], at), Math.max(p[1], at)] : [at, at]);
		};
		for (const e of marketo.requestLog())
			if (e.path.startsWith('/rest'))
				span(`Marketo ${e.method} ${e.path.replace(/\d+/g, ':id')}`, e.at);
		for (const e of spotme.requestLog()) span(`SpotMe ${e.route}`, e.startedAt);
		const end = execution.stoppedAt ? Date.parse(execution.stoppedAt) : Date.now();
		const started = execution.startedAt ? Date.parse(execution.startedAt) : 0;
		span('(run start)', started);
		span('(run end: saving)', end);
		for (const [name, [from, to]] of [...phases].sort((a, b) => a[1][0] - b[1][0])) {
			const during = peak.timeline.filter(([t]) => t >= from - 500 && t <= to + 500);
			log(
				`  ${((from - started) / 1000).toFixed(1)}–${((to - started) / 1000).toFixed(1)} s ${name}: RSS up to ${Math.max(0, ...during.map((x) => x[2]))} MB`,
			);
		}
		const after = peak.timeline.filter(([t]) => t > end);
		const maxOf = (xs: Array<[number, number, number]>) => Math.max(0, ...xs.map((x) => x[2]));
		const saving = maxOf(after);
		log(`  after the run: RSS up to ${saving} MB`);
		const firstWrite = Math.min(
			...marketo
				.requestLog()
				.filter((e) => e.method === 'POST' && e.path.startsWith('/rest'))
				.map((e) => e.at),
		);
		const read = phases.get(`SpotMe POST /workspace/:eid/global/docs/:type/changes/since`);
		const afterRead = read ? maxOf(peak.timeline.filter(([t]) => t <= read[1] + 500)) : 0;
		const beforeWrite = maxOf(peak.timeline.filter(([t]) => t < firstWrite));
		const inRun = maxOf(peak.timeline.filter(([t]) => t <= end));
		const where = `RSS ${Math.round(idle / 2 ** 20)} MB idle, ${afterRead} MB once the ${n} people were read, ${beforeWrite} MB before the first Marketo write (n8n's Filter evaluates its expression for every person first), ${inRun} MB at most until the run ended, ${saving} MB while n8n saved the execution after it`;
		const met = peak.peakTotalMb <= 1024 && execution.status === 'success' && m.lost === 0;
		const row: RealN8nRow = {
			scenario: RSS_SCENARIO,
			n,
			marketoCalls: m.calls,
			marketoFloor: 3 * Math.ceil(n / 300),
			spotmeCalls: spotme.callCounts().total,
			wallS: wallS === null ? null : round(wallS),
			wallFloorS: null,
			latencyMs: 0,
			timeScale,
			lost: m.lost,
			duplicates: m.duplicates,
			refused606: m.refused606,
			refused615: m.refused615,
			peakRssMb: peak.peakTotalMb,
			target: 'peak RSS ≤ 1 GB',
			met,
			loadAverage: round(loadavg()[0], 1),
			note: `the bundled spotme-to-marketo-lead-push.json published in the real n8n 2.40.7 and fired once by its schedule (a production run in n8n's main process, ${n8nSettings ? `n8n settings ${n8nSettings}, otherwise n8n's defaults` : "n8n's default settings: execution data saved"}); RSS of the n8n process and its children read from /proc every 200 ms (${peak.samples} samples, up to ${peak.maxProcesses} processes): peak ${peak.peakTotalMb} MB in all, main process ${peak.peakMainMb} MB (${Math.round(idle / 2 ** 20)} MB idle before the run). Run ${execution.status}; ${n - m.lost} leads in Marketo, ${members} Registered members, ${linked} SpotMe people linked back. Marketo and SpotMe at time ×${timeScale} (their limits' waits shrink; memory does not).${kept}`,
		};
		if (!met)
			row.reason =
				execution.status !== 'success'
					? `the run ended ${execution.status}`
					: `peak ${peak.peakTotalMb} MB is over 1 GB: ${where}. The run data n8n keeps for all nodes is small beside it. A diagnosis run sampling n8n's heap over the inspector (forced collections every 45 s) found the live heap at 171 MB idle and at most 330 MB during the run: the rest of the RSS is garbage V8 has not collected yet, its heap limit being sized from the host's memory`;
		return row;
	} finally {
		await n8n.stop();
		await marketo.stop();
		await spotme.stop();
	}
}
