/**
 * The Marketo Trigger inside a real n8n (pinned in scripts/n8n/versions.json), installed from this
 * package's tarball: an active workflow answers a Marketo-style delivery with the workflow's JSON
 * (for Marketo's Response Mappings), and a wrong secret gets 401 without any execution recorded.
 */
import { FIRST_START_TIMEOUT_MS, newId, startN8n, type N8nInstance } from './harness';

const SECRET = 'mkto-real-n8n-5b0e7c1d2a9f';
const WEBHOOK_ID = 'a6f1c0de-4b7e-4c59-9d1e-marketo00001';

function workflow(id: string) {
	return {
		id,
		name: 'Marketo webhook answers login_url',
		nodes: [
			{
				id: newId(),
				name: 'Marketo Trigger',
				type: 'n8n-nodes-marketo-spotme.marketoTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: WEBHOOK_ID,
				parameters: {
					httpMethod: 'POST',
					authentication: 'headerSecret',
					headerName: 'Authorization',
					secret: SECRET,
					responseMode: 'responseNode',
				},
			},
			{
				id: newId(),
				name: 'Respond to Webhook',
				type: 'n8n-nodes-base.respondToWebhook',
				typeVersion: 1.1,
				position: [220, 0],
				parameters: {
					respondWith: 'json',
					responseBody:
						'={{ JSON.stringify({ login_url: "https://spotme.example/login/" + $json.fields.leadId, company: $json.fields.company, repaired: $json.repaired }) }}',
					options: {},
				},
			},
		],
		connections: {
			'Marketo Trigger': { main: [[{ node: 'Respond to Webhook', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

async function executionsSettled(n8n: N8nInstance, workflowId: string, expected: number): Promise<number> {
	// Executions are saved asynchronously after the answer; wait a little for the count to settle.
	let count = 0;
	for (let i = 0; i < 40; i++) {
		count = (await n8n.listExecutions(workflowId)).length;
		if (count >= expected) break;
		await new Promise((r) => setTimeout(r, 250));
	}
	return count;
}

describe('Marketo Trigger in a real n8n', () => {
	let n8n: N8nInstance;
	let workflowId: string;
	let url: string;

	beforeAll(async () => {
		n8n = await startN8n();
		workflowId = await n8n.importWorkflow(workflow(newId()));
		await n8n.activate(workflowId);
		url = n8n.webhookUrl(`${WEBHOOK_ID}/marketo`);
	}, FIRST_START_TIMEOUT_MS);

	afterAll(async () => {
		await n8n?.stop();
	}, 60000);

	it('an active workflow answers a Marketo delivery with the JSON its Respond to Webhook node builds', async () => {
		const res = await fetch(url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${SECRET}` },
			body: JSON.stringify({ email: 'ana@example.com', leadId: 1042, company: "O'Malley & Associates" }),
		});
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({
			login_url: 'https://spotme.example/login/1042',
			company: "O'Malley & Associates",
			repaired: false,
		});
		expect(await executionsSettled(n8n, workflowId, 1)).toBe(1);
	});

	it('a template sent without JSON token encoding (form content type, unescaped quotes) is repaired inside n8n too', async () => {
		const res = await fetch(url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Bearer ${SECRET}` },
			body: '{"email": "ana@example.com", "leadId": 1043, "company": "The "Best" Co"}',
		});
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({
			login_url: 'https://spotme.example/login/1043',
			company: 'The "Best" Co',
			repaired: true,
		});
		expect(await executionsSettled(n8n, workflowId, 2)).toBe(2);
	});

	it('a wrong secret gets 401 and n8n records no execution', async () => {
		const before = (await n8n.listExecutions(workflowId)).length;
		const res = await fetch(url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Authorization: 'Bearer not-the-secret' },
			body: JSON.stringify({ email: 'mallory@example.com', leadId: 6666 }),
		});
		expect(res.status).toBe(401);
		const text = await res.text();
		expect(text).not.toContain(SECRET);
		await new Promise((r) => setTimeout(r, 1500));
		expect((await n8n.listExecutions(workflowId)).length).toBe(before);
	});
});
