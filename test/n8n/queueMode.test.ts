/**
 * n8n's queue mode for real (issue 10): PostgreSQL, Redis, n8n's main process and 2, then 4 (the
 * same main, 2 workers added), `n8n worker` processes of the pinned n8n, this package installed as a
 * community package (dev/n8n/queueMode.ts). A webhook workflow (Webhook → Split Out → Marketo:
 * Create or Update Lead) gets overlapping deliveries: the same 300 new people four times at once,
 * then 12 deliveries of 10 other people; main enqueues them and the workers run them side by side
 * against one Marketo emulator. Then, from the emulator's log and state and from n8n's executions:
 * - the instance's budget held for the whole deployment: the busiest 20 s window (all calls that
 *   arrived, refused ones included) holds at most the budget, and Marketo refused (606/615) at most
 *   1 % of the calls;
 * - 0 duplicate leads: every email is held by exactly one lead, although the workers' overlapping
 *   upserts created the same people 2 (4) times: Marketo's race happened (items report merged
 *   duplicates) and every merge Marketo saw is reported by an output item of its winner;
 * - every record accounted for: every execution succeeded and every delivered person is an output
 *   item with a lead id (the winner's, when a duplicate was merged).
 * With 4 workers the 300 people are held 4 times each (1 200 leads): a lookup of all 300 at once
 * matches over 1 000 leads and Marketo refuses it (1003), which the repair must avoid.
 *
 * Cheap enough for CI: one queue-mode start for both cases; Marketo's 20 s window scaled by 0.1
 * (2 s, emulator and credential alike) with a budget of 40 calls per window; calls answer in 50 ms
 * except Sync Leads, which holds 1.5 s between its lookup and its write (Marketo's race window; 5 s
 * with 4 workers, as the 2 added workers run their first Marketo node a few seconds late);
 * each worker runs one execution at a time, so the four deliveries of the same people start on as
 * many workers at once (with n8n's default of 10, one worker may take two of them and its own key
 * locks keep them apart; the bench rows run that default).
 */
import { randomBytes } from 'crypto';

import { startMarketoEmulator, type MarketoEmulator } from '../../dev/emulators/marketo';
import { startSpotMeEmulator, type SpotMeEmulator } from '../../dev/emulators/spotme';
import { busiestWindow, webhookLeadWorkflow } from '../../dev/lib/bench/queueMode';
import { callLeadPush, publishLeadPush } from '../../dev/lib/bench/webhookBurst';
import {
	marketoLeads,
	marketoSeed,
	spotMeSeed,
	SUMMIT_PROGRAM_ID,
	SUMMIT_WORKSPACE,
} from '../../dev/lib/seed';
import { configureBundled } from '../../dev/n8n/stack';
import { FIRST_START_TIMEOUT_MS, nodeOutput } from '../../dev/n8n/harness';
import { queueModeMissing, startQueueMode, type QueueModeInstance } from '../../dev/n8n/queueMode';

const SCALE = 0.1;
const BUDGET = 40;
const WINDOW_MS = 20000 * SCALE;
const SAME = 300;
const OTHERS = 12;

let q: QueueModeInstance;

async function scenario(workers: number) {
	const t0 = Date.now();
	const emu: MarketoEmulator = await startMarketoEmulator({
		timeScale: SCALE,
		rateLimit: { callsPerWindow: BUDGET, windowSeconds: 20, maxConcurrent: 10 },
		latencyMs: 50,
		upsertHoldMs: workers > 2 ? 5000 : 1500,
	});
	const firstLeadId = emu.state.nextLeadId;
	try {
		const [credentialId] = await q.n8n.importCredentials([
			{
				name: `Marketo (emulator, ${workers} workers)`,
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
		const path = `queue-${workers}-${randomBytes(4).toString('hex')}`;
		const id = await q.n8n.importWorkflow(webhookLeadWorkflow(path, credentialId));
		await q.n8n.activate(id);

		const same = Array.from({ length: SAME }, (_, i) => ({
			email: `same${i}@example.com`,
			firstName: `Same ${i}`,
		}));
		const others = Array.from({ length: OTHERS }, (_, d) =>
			Array.from({ length: 10 }, (_, k) => ({
				email: `w${workers}-d${d}-p${k}@example.com`,
				firstName: `P ${d}.${k}`,
			})),
		);
		const deliveries = [same, same, same, same, ...others];
		const deliver = async (people: Array<{ email: string; firstName: string }>) => {
			const r = await fetch(q.n8n.webhookUrl(path), {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ people }),
			});
			return r.status;
		};
		// The same 300 people four times first (enqueued together, so idle workers take them side by
		// side), then the others.
		const sent = await Promise.all(deliveries.slice(0, 4).map(deliver));
		sent.push(...(await Promise.all(others.map(deliver))));
		expect(sent.every((s) => s === 200)).toBe(true);

		// Every delivery became an execution that a worker finished.
		const executions = await q.n8n.settledExecutions(id, deliveries.length, 5 * 60 * 1000);
		const wall = Date.now() - t0;
		expect(executions).toHaveLength(deliveries.length);
		const failed: string[] = [];
		for (const e of executions.filter((x) => x.status !== 'success')) {
			const error = (await q.n8n.getExecution(e.id)).data.resultData.error;
			failed.push(`${e.id} ${e.status}: ${error?.message ?? '?'} ${error?.description ?? ''}`);
		}
		expect(failed).toEqual([]);

		// Every record accounted for: each delivered person is an output item with a lead id.
		const delivered = deliveries.flat().length;
		let items = 0;
		// Winners whose items say this execution merged duplicates into them.
		const reported = new Set<number>();
		for (const e of executions) {
			const run = await q.n8n.getExecution(e.id);
			const out = nodeOutput(run, 'Marketo');
			for (const item of out) {
				expect(item).toEqual(expect.objectContaining({ id: expect.any(Number) }));
				expect(item.error).toBeUndefined();
				expect(item.duplicateCheck).toBeUndefined();
				if (
					Array.isArray(item.mergedDuplicates) &&
					item.mergedDuplicates.length > 0 &&
					item.mergedBy === 'this execution'
				)
					reported.add(Number(item.id));
				items++;
			}
		}
		expect(items).toBe(delivered);

		// Marketo's race happened (the same people were created more than once) and every merge it
		// accepted is reported by an output item of its winner, merged by this execution.
		const mergedWinners = new Set(
			emu
				.requestLog()
				.filter((e) => e.path.endsWith('/merge.json') && e.status === 200 && !e.code)
				.map((e) => Number(/leads\/(\d+)\/merge/.exec(e.path)?.[1])),
		);
		expect(mergedWinners.size).toBeGreaterThan(0);
		expect([...mergedWinners].filter((winner) => !reported.has(winner))).toEqual([]);

		// 0 duplicate leads; every person in Marketo once.
		const perEmail = new Map<string, number>();
		for (const lead of emu.state.leads.values()) {
			const email = String(lead.email).toLowerCase();
			perEmail.set(email, (perEmail.get(email) ?? 0) + 1);
		}
		const expected = new Set(deliveries.flat().map((p) => p.email));
		const doubled = [...perEmail].filter(([, n]) => n > 1);
		expect(doubled).toEqual([]);
		expect(perEmail.size).toBe(expected.size);

		// The budget held for the whole deployment.
		const calls = emu.requestLog().filter((e) => e.path.startsWith('/rest/'));
		const refused = calls.filter((e) => e.code === '606' || e.code === '615');
		const busiest = busiestWindow(
			calls.map((e) => e.at),
			WINDOW_MS,
		);
		const merges = calls.filter((e) => e.path.endsWith('/merge.json')).length;
		const created = emu.state.nextLeadId - firstLeadId;
		process.stderr.write(
			`[queue-mode] ${workers} workers: ${deliveries.length} deliveries, ${delivered} records, ${calls.length} calls (${merges} merges), ${created} leads created for ${expected.size} people, busiest ${WINDOW_MS} ms window ${busiest}/${BUDGET}, 606/615 ${refused.length}, wall ${(wall / 1000).toFixed(1)} s\n`,
		);
		expect(busiest).toBeLessThanOrEqual(BUDGET);
		expect(refused.length).toBeLessThanOrEqual(Math.floor(calls.length / 100));
		await q.n8n.deactivate(id);
	} finally {
		await emu.stop();
	}
}

/**
 * Marketo's Call Webhook for each lead at once: each answered 200 with its own SpotMe person's login
 * URL, which Marketo mapped onto the lead; then, once the workers finish (the answer leaves before
 * the execution ends), every execution a success.
 */
async function deliverAndExpectAnswers(args: {
	marketo: MarketoEmulator;
	spotme: SpotMeEmulator;
	workspace: string;
	url: string;
	secret: string;
	workflowId: string;
	leads: number[];
}) {
	const { marketo, spotme, workspace, url, secret, workflowId, leads } = args;
	expect(leads.length).toBeGreaterThan(0);
	const answers = await Promise.all(
		leads.map(async (lead) => ({ lead, ...(await callLeadPush(marketo, url, secret, lead)) })),
	);
	for (const a of answers) {
		const person = spotme.state.getDoc(workspace, 'person', `mkto-${a.lead}`);
		expect(typeof person?.login_url).toBe('string');
		expect({ lead: a.lead, status: a.status, error: a.error, mapped: a.updatedFields }).toEqual({
			lead: a.lead,
			status: 200,
			error: undefined,
			mapped: { spotme_magic_url: person?.login_url },
		});
	}
	const executions = await q.n8n.settledExecutions(workflowId, leads.length, 120_000);
	expect(executions.map((e) => e.status)).toEqual(leads.map(() => 'success'));
}

describe('queue mode: workers share one Marketo budget and leave no duplicate lead', () => {
	beforeAll(async () => {
		const missing = queueModeMissing();
		if (missing) throw new Error(`queue mode cannot start: ${missing}`);
		q = await startQueueMode({ workers: 2, workerConcurrency: 1 });
	}, FIRST_START_TIMEOUT_MS);

	afterAll(async () => {
		await q?.stop();
	}, 120000);

	it(
		'2 workers: budget held, 0 duplicate leads after overlapping deliveries of the same 300 people, every record accounted for',
		async () => await scenario(2),
		6 * 60 * 1000,
	);

	it(
		'4 workers: the same',
		async () => {
			await q.addWorkers(2);
			await scenario(4);
		},
		8 * 60 * 1000,
	);

	it(
		"the bundled Marketo → SpotMe lead push in queue mode: concurrent Call Webhook deliveries are each answered by Answer Marketo from a worker, with their own person's login URL, which Marketo maps onto the lead",
		async () => {
			const secret = 'queue-lead-push-secret-0123456789';
			const workspace = 'eid-queue';
			const marketo = await startMarketoEmulator({ seed: marketoSeed() });
			const spotme = await startSpotMeEmulator({
				tokens: ['sm-burst'],
				seed: { workspaces: [{ id: workspace, name: 'Queue' }] } as never,
			});
			try {
				const { workflowId, webhookId } = await publishLeadPush(
					q.n8n,
					spotme.apiUrl,
					workspace,
					secret,
				);
				const leads = Array.from({ length: 20 }, (_, i) => 300_000 + i);
				marketo.seed({
					leads: leads.map((id) => ({
						id,
						email: `queue${id}@example.com`,
						firstName: 'Queue',
						lastName: String(id),
					})),
				} as never);
				const url = q.n8n.webhookUrl(`${webhookId}/marketo`);
				await deliverAndExpectAnswers({
					marketo,
					spotme,
					workspace,
					url,
					secret,
					workflowId,
					leads,
				});
				await q.n8n.deactivate(workflowId);
			} finally {
				await marketo.stop();
				await spotme.stop();
			}
		},
		5 * 60 * 1000,
	);

	it(
		'the event configuration in queue mode: "Set up a SpotMe event" saves the event into the data table (PostgreSQL), and the lead push, imported with only its credentials, reads it on the workers',
		async () => {
			const secret = `queue-event-${randomBytes(8).toString('hex')}`;
			const spotMeToken = 'sm-queue-event';
			const marketo = await startMarketoEmulator({ seed: marketoSeed() });
			const spotme = await startSpotMeEmulator({ tokens: [spotMeToken], seed: spotMeSeed() });
			try {
				const [marketoApi, spotMeApi, marketoWebhookApi] = await q.n8n.importCredentials([
					{
						name: 'Marketo (queue event)',
						type: 'marketoApi',
						data: {
							restEndpoint: marketo.restUrl,
							clientId: marketo.clientId,
							clientSecret: marketo.clientSecret,
						},
					},
					{
						name: 'SpotMe (queue event)',
						type: 'spotMeApi',
						data: { apiToken: spotMeToken, baseUrl: spotme.apiUrl, organizationId: 'org-demo' },
					},
					{
						name: 'Marketo Webhook (queue event)',
						type: 'marketoWebhookApi',
						data: { headerName: 'Authorization', secret },
					},
				]);
				const credentialIds = { marketoApi, spotMeApi, marketoWebhookApi };
				const pick = (value: string | number) => ({ __rl: true, mode: 'id', value: String(value) });
				const setUp = await q.n8n.importWorkflow(
					configureBundled('set-up-event.json', credentialIds, {
						edit: (node) => {
							if (node.name === 'SpotMe: Event Workspace')
								node.parameters.workspaceId = pick(SUMMIT_WORKSPACE);
							if (node.name === 'Marketo: Event Program')
								node.parameters.programId = pick(SUMMIT_PROGRAM_ID);
						},
					}),
				);
				const run = await q.n8n.runFromEditor(setUp, 'Run Now');
				expect(run.data.resultData.error?.message).toBeUndefined();

				let webhookId = '';
				const push = await q.n8n.importWorkflow(
					configureBundled('marketo-to-spotme-lead-push.json', credentialIds, {
						edit: (node) => {
							if (node.name === 'Marketo Trigger') webhookId = String(node.webhookId);
						},
					}),
				);
				await q.n8n.activate(push);
				const registered = marketoLeads.filter((l) => l.summitStatus === 'Registered');
				await deliverAndExpectAnswers({
					marketo,
					spotme,
					workspace: SUMMIT_WORKSPACE,
					url: q.n8n.webhookUrl(`${webhookId}/marketo`),
					secret,
					workflowId: push,
					leads: registered.map((l) => l.id),
				});
				await q.n8n.deactivate(push);
			} finally {
				await marketo.stop();
				await spotme.stop();
			}
		},
		5 * 60 * 1000,
	);
});
