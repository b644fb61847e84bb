/**
 * The `webhook-burst` benchmark (issue 14): N concurrent Marketo Call Webhook deliveries against
 * the bundled marketo-to-spotme-lead-push.json in a real n8n, SpotMe at its real pace (3 req/s,
 * burst 5), and in the same run the same burst against a minimal Webhook → Respond to Webhook
 * workflow, n8n's own floor on this machine.
 */
import { readFileSync } from 'fs';
import { resolve } from 'path';
import { performance } from 'perf_hooks';

import { startMarketoEmulator } from '../../emulators/marketo';
import { startSpotMeEmulator } from '../../emulators/spotme';
import { marketoSeed, SUMMIT_PROGRAM_ID } from '../seed';
import { newId, ROOT, startN8n, type WorkflowJson } from '../../n8n/harness';
import { PAYLOAD_TEMPLATE_LINES } from '../../../nodes/Marketo/trigger/webhookDescription';

export interface WebhookBurstRow {
	scenario: 'webhook-burst';
	deliveries: number;
	p50Ms: number;
	p99Ms: number;
	floorP99Ms: number;
	spotMeCalls: number;
	marketoCallsPerDelivery: number;
	over30s: number;
	ok: boolean;
}

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
}

const WORKSPACE = 'eid-burst';
const SECRET = 'burst-secret-0123456789abcdef';

export async function runWebhookBurst(sizes = [50, 200]): Promise<WebhookBurstRow[]> {
	const marketo = await startMarketoEmulator({ seed: marketoSeed() });
	const spotme = await startSpotMeEmulator({
		tokens: ['sm-burst'],
		seed: { workspaces: [{ id: WORKSPACE, name: 'Burst' }] } as never,
	});
	const n8n = await startN8n();
	try {
		const [spotMeApi, marketoWebhookApi] = await n8n.importCredentials([
			{
				name: 'SpotMe',
				type: 'spotMeApi',
				data: { apiToken: 'sm-burst', baseUrl: spotme.apiUrl, requestsPerSecond: 3, burst: 5 },
			},
			{
				name: 'Marketo Webhook',
				type: 'marketoWebhookApi',
				data: { headerName: 'Authorization', secret: SECRET },
			},
		]);
		const wf = JSON.parse(
			readFileSync(resolve(ROOT, 'workflows', 'marketo-to-spotme-lead-push.json'), 'utf8'),
		) as WorkflowJson;
		const nodes = wf.nodes as unknown as Array<{
			name: string;
			webhookId?: string;
			parameters: Record<string, unknown>;
			credentials?: Record<string, { id: string; name: string }>;
		}>;
		for (const node of nodes) {
			if (node.credentials?.spotMeApi)
				node.credentials.spotMeApi = { id: spotMeApi, name: 'SpotMe' };
			if (node.credentials?.marketoWebhookApi)
				node.credentials.marketoWebhookApi = { id: marketoWebhookApi, name: 'Marketo Webhook' };
			if (node.name === 'Settings')
				(
					node.parameters.assignments as { assignments: Array<{ value: unknown }> }
				).assignments[0].value = WORKSPACE;
		}
		const webhookId = nodes.find((n) => n.name === 'Marketo Trigger')!.webhookId!;
		const id = await n8n.importWorkflow({ ...wf, id: newId() });
		await n8n.activate(id);

		const floorId = newId();
		const floorHook = newId();
		await n8n.activate(
			await n8n.importWorkflow({
				id: floorId,
				name: 'floor: Webhook → Respond to Webhook',
				nodes: [
					{
						id: newId(),
						name: 'Webhook',
						type: 'n8n-nodes-base.webhook',
						typeVersion: 2,
						position: [0, 0],
						webhookId: floorHook,
						parameters: {
							httpMethod: 'POST',
							path: 'floor',
							responseMode: 'responseNode',
							options: {},
						},
					},
					{
						id: newId(),
						name: 'Respond to Webhook',
						type: 'n8n-nodes-base.respondToWebhook',
						typeVersion: 1.1,
						position: [220, 0],
						parameters: { respondWith: 'json', responseBody: '={"login_url": "x"}', options: {} },
					},
				],
				connections: {
					Webhook: { main: [[{ node: 'Respond to Webhook', type: 'main', index: 0 }]] },
				},
				settings: { executionOrder: 'v1' },
			} as unknown as WorkflowJson),
		);

		const rows: WebhookBurstRow[] = [];
		let nextLead = 100_000;
		for (const n of sizes) {
			const leads = Array.from({ length: n }, () => nextLead++);
			marketo.seed({
				leads: leads.map((lid) => ({
					id: lid,
					email: `burst${lid}@example.com`,
					firstName: 'Burst',
					lastName: String(lid),
					company: 'Burst & "Co"',
				})),
			} as never);
			const floor = await Promise.all(
				leads.map(async () => {
					const t = performance.now();
					const r = await fetch(n8n.webhookUrl('floor'), {
						method: 'POST',
						headers: { 'Content-Type': 'application/json' },
						body: '{"email": "a@b.c"}',
					});
					await r.text();
					return performance.now() - t;
				}),
			);
			const spotMeBefore = spotme.callCounts().total;
			const failures = new Map<string, number>();
			const marketoBefore = Object.values(marketo.callCounts()).reduce((a, b) => a + b, 0);
			const results = await Promise.all(
				leads.map(async (leadId) => {
					const t = performance.now();
					const r = await marketo.callWebhook({
						url: n8n.webhookUrl(`${webhookId}/marketo`),
						requestTokenEncoding: 'json',
						template: `{${PAYLOAD_TEMPLATE_LINES.join(', ')}}`,
						headers: { Authorization: `Bearer ${SECRET}` },
						leadId,
						programId: SUMMIT_PROGRAM_ID,
						responseMappings: [{ attribute: 'login_url', field: 'spotme_magic_url' }],
					});
					if (r.status !== 200 || r.error)
						failures.set(`${r.status} ${r.error ?? ''} ${r.responseBody.slice(0, 200)}`, leadId);
					return { ms: performance.now() - t, ok: r.status === 200 && !r.error };
				}),
			);
			const marketoAfter = Object.values(marketo.callCounts()).reduce((a, b) => a + b, 0);
			const ms = results.map((r) => r.ms);
			rows.push({
				scenario: 'webhook-burst',
				deliveries: n,
				p50Ms: percentile(ms, 50),
				p99Ms: percentile(ms, 99),
				floorP99Ms: percentile(floor, 99),
				spotMeCalls: spotme.callCounts().total - spotMeBefore,
				marketoCallsPerDelivery: (marketoAfter - marketoBefore) / n,
				over30s: results.filter((r) => !r.ok || r.ms > 30_000).length,
				ok: results.every((r) => r.ok),
			});
			for (const [failure, leadId] of failures) console.error(`lead ${leadId}: ${failure}`);
		}
		return rows;
	} finally {
		await n8n.stop();
		await marketo.stop();
		await spotme.stop();
	}
}
