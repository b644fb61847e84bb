/**
 * The `queue-mode` benchmark rows (issue 10): a real n8n in queue mode (dev/n8n/queueMode.ts) with
 * 1, 2 and 4 workers pushing 10 000 people into Marketo through a webhook workflow (Webhook → Split
 * Out → Marketo: Create or Update Lead, the bundled SpotMe → Marketo push's lead step) in deliveries
 * of 200, while the same 300 people are delivered four more times at once. Measured from the
 * Marketo emulator: the busiest 20 s window (every call that arrived, refused ones included) against
 * the instance's budget, 606/615 seen, leads per email, people lost, and the wall time against the
 * 1-worker run. Marketo's window is scaled by 0.1 (2 s), its budget is the real 100 calls / 20 s.
 *
 * `npx ts-node --transpile-only scripts/bench-queue-mode.ts [--write]` (scripts/bench.ts may call
 * runQueueModeBench).
 */
import { randomBytes, randomUUID } from 'crypto';
import { loadavg } from 'os';

import { startMarketoEmulator } from '../../emulators/marketo';
import { newId, type WorkflowJson } from '../../n8n/harness';
import { startQueueMode, type QueueModeInstance } from '../../n8n/queueMode';

const SCALE = 0.1;
const BUDGET = 100;
/** Marketo's processing time per call in the bench (real ms). */
const LATENCY_MS = 150;
const WINDOW_MS = 20000 * SCALE;

export interface QueueModeRow {
	scenario: 'queue-mode';
	workers: number;
	/** The columns every bench/results.json row has (scripts/benchRows.ts ResultRow). */
	n: number;
	marketoCalls: number;
	marketoFloor: null;
	spotmeCalls: null;
	wallS: number;
	wallFloorS: null;
	latencyMs: number;
	timeScale: number;
	duplicates: number;
	refused606: number;
	refused615: number;
	peakRssMb: null;
	/** The machine's 1-minute load average when the row was measured. */
	loadAvg1m: number;
	note: string;
	reason?: string;
	people: number;
	deliveries: number;
	calls: number;
	busiestWindow: number;
	budget: number;
	refused606or615: number;
	merges: number;
	maxLeadsPerEmail: number;
	duplicateLeads: number;
	lost: number;
	failedExecutions: number;
	wallMs: number;
	wallVsOneWorker?: number;
	/** The first failed executions' errors, if any. */
	failures: string[];
	target: string;
	met: boolean;
}

export function webhookLeadWorkflow(path: string, credentialId: string): WorkflowJson {
	return {
		id: newId(),
		name: `Queue mode ${path}`,
		nodes: [
			{
				parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
				id: randomUUID(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
			},
			{
				parameters: { fieldToSplitOut: 'body.people', options: {} },
				id: randomUUID(),
				name: 'Split Out',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [220, 0],
			},
			{
				parameters: {
					resource: 'lead',
					operation: 'upsert',
					syncAction: 'createOrUpdate',
					lookupField: 'email',
					fields: {
						mappingMode: 'defineBelow',
						value: { email: '={{ $json.email }}', firstName: '={{ $json.firstName }}' },
						matchingColumns: [],
						schema: [],
					},
					options: {},
				},
				id: randomUUID(),
				name: 'Marketo',
				type: 'n8n-nodes-marketo-spotme.marketo',
				typeVersion: 1,
				position: [440, 0],
				credentials: { marketoApi: { id: credentialId, name: 'Marketo (emulator)' } },
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Split Out', type: 'main', index: 0 }]] },
			'Split Out': { main: [[{ node: 'Marketo', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** The most of `times` within any `windowMs`. */
export function busiestWindow(times: number[], windowMs: number): number {
	const t = [...times].sort((a, b) => a - b);
	let best = 0;
	for (let i = 0, j = 0; j < t.length; j++) {
		while (t[j] - t[i] >= windowMs) i++;
		best = Math.max(best, j - i + 1);
	}
	return best;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function measure(
	q: QueueModeInstance,
	people: number,
	log: (m: string) => void,
): Promise<
	Omit<QueueModeRow, 'wallVsOneWorker' | 'met' | 'target' | 'note' | 'reason' | 'loadAvg1m'>
> {
	const workers = q.workers;
	const emu = await startMarketoEmulator({
		timeScale: SCALE,
		rateLimit: { callsPerWindow: BUDGET, windowSeconds: 20, maxConcurrent: 10 },
		latencyMs: LATENCY_MS,
	});
	try {
		const [credentialId] = await q.n8n.importCredentials([
			{
				name: `Marketo (bench, ${workers} workers)`,
				type: 'marketoApi',
				data: {
					restEndpoint: emu.restUrl,
					clientId: emu.clientId,
					clientSecret: emu.clientSecret,
					timeScale: SCALE,
					callsPer20Seconds: BUDGET,
					maxConcurrentCalls: 10,
					sharingProcesses: workers,
				},
			},
		]);
		const path = `bench-queue-${workers}-${randomBytes(4).toString('hex')}`;
		const id = await q.n8n.importWorkflow(webhookLeadWorkflow(path, credentialId));
		await q.n8n.activate(id);
		const same = Array.from({ length: 300 }, (_, i) => ({
			email: `same${i}@example.com`,
			firstName: `S${i}`,
		}));
		const deliveries: Array<typeof same> = [];
		for (let start = 0, d = 0; start < people; start += 200, d++) {
			if (d % 10 === 0 && d < 40) deliveries.push(same);
			deliveries.push(
				Array.from({ length: Math.min(200, people - start) }, (_, k) => ({
					email: `p${start + k}@example.com`,
					firstName: `P${start + k}`,
				})),
			);
		}
		while (deliveries.filter((d) => d === same).length < 4) deliveries.push(same);
		const t0 = Date.now();
		await Promise.all(
			deliveries.map(
				async (body) =>
					await fetch(q.n8n.webhookUrl(path), {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify({ people: body }),
					}),
			),
		);
		let executions = await q.n8n.listExecutions(id);
		while (
			executions.length < deliveries.length ||
			executions.some((e) => ['new', 'running', 'waiting'].includes(e.status))
		) {
			if (Date.now() - t0 > 15 * 60 * 1000) break;
			await sleep(500);
			executions = await q.n8n.listExecutions(id);
		}
		const wallMs = Date.now() - t0;
		const failures: string[] = [];
		for (const e of executions.filter((x) => x.status !== 'success').slice(0, 5)) {
			const error = (await q.n8n.getExecution(e.id)).data.resultData.error;
			failures.push(`${e.status}: ${error?.message ?? '?'}`.slice(0, 300));
		}
		await q.n8n.deactivate(id);
		const perEmail = new Map<string, number>();
		for (const lead of emu.state.leads.values()) {
			const email = String(lead.email).toLowerCase();
			perEmail.set(email, (perEmail.get(email) ?? 0) + 1);
		}
		const expected = new Set(deliveries.flat().map((p) => p.email));
		const calls = emu.requestLog().filter((e) => e.path.startsWith('/rest/'));
		const duplicateLeads = [...perEmail.values()].reduce((s, n) => s + n - 1, 0);
		const row = {
			scenario: 'queue-mode' as const,
			workers,
			n: expected.size,
			marketoCalls: calls.length,
			marketoFloor: null,
			spotmeCalls: null,
			wallS: Math.round(wallMs / 100) / 10,
			wallFloorS: null,
			latencyMs: LATENCY_MS / SCALE,
			timeScale: SCALE,
			duplicates: duplicateLeads,
			refused606: calls.filter((e) => e.code === '606').length,
			refused615: calls.filter((e) => e.code === '615').length,
			peakRssMb: null,
			people: expected.size,
			deliveries: deliveries.length,
			calls: calls.length,
			busiestWindow: busiestWindow(
				calls.map((e) => e.at),
				WINDOW_MS,
			),
			budget: BUDGET,
			refused606or615: calls.filter((e) => e.code === '606' || e.code === '615').length,
			merges: calls.filter((e) => e.path.endsWith('/merge.json')).length,
			maxLeadsPerEmail: Math.max(0, ...perEmail.values()),
			duplicateLeads,
			lost: [...expected].filter((e) => !perEmail.has(e)).length,
			failedExecutions:
				executions.filter((e) => e.status !== 'success').length +
				Math.max(0, deliveries.length - executions.length),
			wallMs,
			failures,
		};
		log(`[queue-mode] ${JSON.stringify(row)}`);
		return row;
	} finally {
		await emu.stop();
	}
}

/** One main process, then 1, 2 and 4 workers (workers added between rows). */
export async function runQueueModeBench(
	options: { people?: number; workers?: number[]; log?: (m: string) => void } = {},
): Promise<QueueModeRow[]> {
	const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
	const steps = options.workers ?? [1, 2, 4];
	const q = await startQueueMode({ workers: steps[0], log });
	const rows: QueueModeRow[] = [];
	try {
		for (const workers of steps) {
			if (q.workers < workers) await q.addWorkers(workers - q.workers);
			const m = await measure(q, options.people ?? 10000, log);
			const base =
				rows.find((r) => r.workers === 1)?.wallMs ?? (workers === 1 ? m.wallMs : undefined);
			const wallVsOneWorker = base ? Math.round((m.wallMs / base) * 100) / 100 : undefined;
			const met =
				(m.busiestWindow <= m.budget || m.refused606or615 <= m.calls / 100) &&
				m.duplicateLeads === 0 &&
				m.lost === 0 &&
				m.failedExecutions === 0;
			rows.push({
				...m,
				wallVsOneWorker,
				loadAvg1m: Math.round(loadavg()[0] * 100) / 100,
				target:
					'busiest window ≤ budget (or 606/615 ≤ 1 % of calls with 0 lost), 0 duplicate leads, 0 lost',
				met,
				note: `${workers} worker${workers === 1 ? '' : 's'} (n8n queue mode: main, Redis, PostgreSQL), ${m.deliveries} webhook deliveries (the same 300 people 4 times among them): busiest 2 s window (Marketo's 20 s ×0.1) ${m.busiestWindow}/${m.budget} calls, ${m.merges} merges, max ${m.maxLeadsPerEmail} lead per email, ${m.failedExecutions} failed executions, wall ${wallVsOneWorker ?? '–'}× the 1-worker run`,
				...(met
					? {}
					: {
							reason: `${m.lost} lost, ${m.duplicateLeads} duplicate leads, ${m.failedExecutions} failed executions${m.failures.length ? `: ${m.failures.join('; ')}` : ''}`,
						}),
			});
		}
	} finally {
		await q.stop();
	}
	return rows;
}
