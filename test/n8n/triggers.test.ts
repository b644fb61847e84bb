/**
 * The Marketo triggers inside a real n8n (pinned in dev/n8n/versions.json), installed from this
 * package's tarball: an active workflow answers a Marketo-style delivery with the workflow's JSON
 * (what Marketo's Response Mappings read), a wrong secret gets 401 without any execution, and the
 * Activity Trigger's first poll on activation starts from now (or from the chosen start date).
 *
 * Found on n8n 2.40.7: Respond to Webhook from version 1.1 on refuses to run behind any trigger
 * but n8n's own Webhook/Form/Chat/Wait nodes ("No Webhook node found in the workflow"), so with
 * this community trigger it works only as version 1; "When Last Node Finishes" needs no such node.
 */
import { startMarketoEmulator, type MarketoEmulator } from '../../dev/emulators/marketo';
import { FIRST_START_TIMEOUT_MS, newId, startN8n, type N8nInstance } from '../../dev/n8n/harness';

const SECRET = 'mkto-real-n8n-5b0e7c1d2a9f';
const LAST_NODE_WEBHOOK_ID = 'a6f1c0de-4b7e-4c59-9d1e-0000marketo1';
const RESPOND_NODE_WEBHOOK_ID = 'a6f1c0de-4b7e-4c59-9d1e-0000marketo2';
const GET_WEBHOOK_ID = 'a6f1c0de-4b7e-4c59-9d1e-0000marketo3';

function trigger(webhookId: string, responseMode: string, httpMethod = 'POST') {
	return {
		id: newId(),
		name: 'Marketo Trigger',
		type: 'n8n-nodes-marketo-spotme.marketoTrigger',
		typeVersion: 1,
		position: [0, 0],
		webhookId,
		parameters: {
			httpMethod,
			authentication: 'headerSecret',
			headerName: 'Authorization',
			secret: SECRET,
			responseMode,
		},
	};
}

/** Trigger (When Last Node Finishes) → Edit Fields building the answer. */
function lastNodeWorkflow(webhookId = LAST_NODE_WEBHOOK_ID, httpMethod = 'POST') {
	const field = (name: string, value: string, type = 'string') => ({
		id: newId(),
		name,
		value,
		type,
	});
	return {
		id: newId(),
		name: `Marketo ${httpMethod} webhook answers login_url (last node)`,
		nodes: [
			trigger(webhookId, 'lastNode', httpMethod),
			{
				id: newId(),
				name: 'Build Answer',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [220, 0],
				parameters: {
					mode: 'manual',
					assignments: {
						assignments: [
							field('login_url', '={{ "https://spotme.example/login/" + $json.fields.leadId }}'),
							field('company', '={{ $json.fields.company }}'),
							field('repaired', '={{ $json.repaired }}', 'boolean'),
						],
					},
					includeOtherFields: false,
					options: {},
				},
			},
		],
		connections: {
			'Marketo Trigger': { main: [[{ node: 'Build Answer', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** Trigger (Using Respond to Webhook) → Respond to Webhook v1. */
function respondNodeWorkflow() {
	return {
		id: newId(),
		name: 'Marketo webhook answers login_url (respond node)',
		nodes: [
			trigger(RESPOND_NODE_WEBHOOK_ID, 'responseNode'),
			{
				id: newId(),
				name: 'Respond to Webhook',
				type: 'n8n-nodes-base.respondToWebhook',
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					respondWith: 'json',
					responseBody:
						'={{ JSON.stringify({ login_url: "https://spotme.example/m/" + $json.fields.email }) }}',
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

async function executionCount(
	n8n: N8nInstance,
	workflowId: string,
	atLeast: number,
): Promise<number> {
	// Executions are saved after the answer is sent; give the count a moment to settle.
	let count = 0;
	for (let i = 0; i < 40; i++) {
		count = (await n8n.listExecutions(workflowId)).length;
		if (count >= atLeast) break;
		await new Promise((r) => setTimeout(r, 250));
	}
	return count;
}

let n8n: N8nInstance;

beforeAll(async () => {
	n8n = await startN8n();
}, FIRST_START_TIMEOUT_MS);

afterAll(async () => {
	await n8n?.stop();
}, 60000);

describe('Marketo Trigger in a real n8n', () => {
	let lastNodeId: string;
	let respondNodeId: string;
	let getId: string;

	beforeAll(async () => {
		lastNodeId = await n8n.importWorkflow(lastNodeWorkflow());
		respondNodeId = await n8n.importWorkflow(respondNodeWorkflow());
		getId = await n8n.importWorkflow(lastNodeWorkflow(GET_WEBHOOK_ID, 'GET'));
		await n8n.activate(lastNodeId);
		await n8n.activate(respondNodeId);
		await n8n.activate(getId);
	}, 120000);

	it('an active workflow answers a Marketo JSON delivery with the JSON its last node builds', async () => {
		const res = await fetch(n8n.webhookUrl(`${LAST_NODE_WEBHOOK_ID}/marketo`), {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${SECRET}` },
			body: JSON.stringify({
				email: 'ana@example.com',
				leadId: 1042,
				company: "O'Malley & Associates",
			}),
		});
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({
			login_url: 'https://spotme.example/login/1042',
			company: "O'Malley & Associates",
			repaired: false,
		});
		expect(await executionCount(n8n, lastNodeId, 1)).toBe(1);
	});

	it('a template sent without JSON token encoding (form content type, unescaped quotes) is repaired inside n8n too', async () => {
		const res = await fetch(n8n.webhookUrl(`${LAST_NODE_WEBHOOK_ID}/marketo`), {
			method: 'POST',
			headers: {
				'Content-Type': 'application/x-www-form-urlencoded',
				Authorization: `Bearer ${SECRET}`,
			},
			body: '{"email": "ana@example.com", "leadId": 1043, "company": "The "Best" Co"}',
		});
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({
			login_url: 'https://spotme.example/login/1043',
			company: 'The "Best" Co',
			repaired: true,
		});
		expect(await executionCount(n8n, lastNodeId, 2)).toBe(2);
	});

	it('a broken body labelled application/json (a custom Content-Type header) is refused by n8n itself with 422, and nothing runs', async () => {
		const before = (await n8n.listExecutions(lastNodeId)).length;
		const res = await fetch(n8n.webhookUrl(`${LAST_NODE_WEBHOOK_ID}/marketo`), {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${SECRET}` },
			body: '{"email": "ana@example.com", "company": "The "Best" Co"}',
		});
		expect(res.status).toBe(422);
		await new Promise((r) => setTimeout(r, 1000));
		expect((await n8n.listExecutions(lastNodeId)).length).toBe(before);
	});

	it('a GET delivery with tokens in the URL, one holding an unencoded "&", answers with the whole value', async () => {
		const res = await fetch(
			`${n8n.webhookUrl(`${GET_WEBHOOK_ID}/marketo`)}?leadId=1044&company=O'Malley%20&%20Associates`,
			{
				headers: { Authorization: `Bearer ${SECRET}` },
			},
		);
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({
			login_url: 'https://spotme.example/login/1044',
			company: "O'Malley & Associates",
			repaired: true,
		});
		expect(await executionCount(n8n, getId, 1)).toBe(1);
	});

	it('a workflow with Respond to Webhook (v1) answers what that node sends', async () => {
		const res = await fetch(n8n.webhookUrl(`${RESPOND_NODE_WEBHOOK_ID}/marketo`), {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${SECRET}` },
			body: JSON.stringify({ email: 'ana@example.com', leadId: 1042 }),
		});
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ login_url: 'https://spotme.example/m/ana@example.com' });
	});

	// The webhook corpus of issue 14 (deliveries real Marketo templates produce), in the real n8n:
	// status, the answer's error code, and whether an execution started.
	const deep = `${'{"a":'.repeat(20000)}1${'}'.repeat(20000)}`;
	it.each([
		['an empty body', 'application/x-www-form-urlencoded', '', 400, 'empty_delivery'],
		['an empty JSON object', 'application/json', '{}', 400, 'empty_delivery'],
		['40 KB nested 20 000 levels deep', 'application/json', deep, 400, 'invalid_body'],
		[
			'a key twice with different values',
			'application/x-www-form-urlencoded',
			'{"email": "a@example.com", "leadId": 1, "email": "b@example.com"}',
			400,
			'invalid_body',
		],
	])(
		'corpus: %s is refused with a 4xx and starts no execution',
		async (_name, contentType, body, status, error) => {
			const before = (await n8n.listExecutions(lastNodeId)).length;
			const res = await fetch(n8n.webhookUrl(`${LAST_NODE_WEBHOOK_ID}/marketo`), {
				method: 'POST',
				headers: { 'Content-Type': contentType, Authorization: `Bearer ${SECRET}` },
				body,
			});
			expect({
				status: res.status,
				error: ((await res.json()) as { error: string }).error,
			}).toEqual({ status, error });
			await new Promise((r) => setTimeout(r, 1000));
			expect((await n8n.listExecutions(lastNodeId)).length).toBe(before);
		},
	);

	it('corpus: doubled quotes (a template quoting tokens Marketo already quotes) arrive as the plain values, flagged as repaired', async () => {
		const res = await fetch(n8n.webhookUrl(`${LAST_NODE_WEBHOOK_ID}/marketo`), {
			method: 'POST',
			headers: {
				'Content-Type': 'application/x-www-form-urlencoded',
				Authorization: `Bearer ${SECRET}`,
			},
			body: '{"email": ""ana@example.com"", "leadId": 1045, "company": ""Acme""}',
		});
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({
			login_url: 'https://spotme.example/login/1045',
			company: 'Acme',
			repaired: true,
		});
	});

	it('corpus: a raw "+" in a GET query stays a plus and is flagged', async () => {
		const res = await fetch(
			`${n8n.webhookUrl(`${GET_WEBHOOK_ID}/marketo`)}?leadId=1046&company=first+last`,
			{ headers: { Authorization: `Bearer ${SECRET}` } },
		);
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({
			login_url: 'https://spotme.example/login/1046',
			company: 'first+last',
			repaired: true,
		});
	});

	it('a wrong secret gets 401 and n8n records no execution', async () => {
		const before = (await n8n.listExecutions(lastNodeId)).length;
		const res = await fetch(n8n.webhookUrl(`${LAST_NODE_WEBHOOK_ID}/marketo`), {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Authorization: 'Bearer not-the-secret' },
			body: JSON.stringify({ email: 'mallory@example.com', leadId: 6666 }),
		});
		expect(res.status).toBe(401);
		expect(await res.text()).not.toContain(SECRET);
		await new Promise((r) => setTimeout(r, 1500));
		expect((await n8n.listExecutions(lastNodeId)).length).toBe(before);
	});
});

describe('Marketo Activity Trigger in a real n8n', () => {
	let emu: MarketoEmulator;
	let credentialId: string;

	beforeAll(async () => {
		emu = await startMarketoEmulator();
		const hourAgo = new Date(Date.now() - 3600000).toISOString().replace(/\.\d{3}Z$/, 'Z');
		emu.seed({
			activities: [
				{ leadId: 7, activityTypeId: 12, activityDate: hourAgo },
				{ leadId: 8, activityTypeId: 12, activityDate: hourAgo },
			],
		} as never);
		[credentialId] = await n8n.importCredentials([
			{
				name: 'Marketo emulator',
				type: 'marketoApi',
				data: { restEndpoint: emu.restUrl, clientId: emu.clientId, clientSecret: emu.clientSecret },
			},
		]);
	}, 120000);
	afterAll(async () => emu?.stop());

	function pollingWorkflow(name: string, options: Record<string, unknown>) {
		return {
			id: newId(),
			name,
			nodes: [
				{
					id: newId(),
					name: 'New Lead',
					type: 'n8n-nodes-marketo-spotme.marketoActivityTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: { pollTimes: { item: [{ mode: 'everyHour' }] }, event: 'newLead', options },
					credentials: { marketoApi: { id: credentialId, name: 'Marketo emulator' } },
				},
			],
			connections: {},
			settings: { executionOrder: 'v1' },
		};
	}

	// n8n polls once when a polling workflow is activated and starts an execution only if the
	// poll returned items: the execution count shows what the first poll emitted.
	it('activating it does not flood the workflow with the history: the first poll starts from now', async () => {
		const id = await n8n.importWorkflow(pollingWorkflow('New leads from now', {}));
		const tokensBefore = emu.callCounts()['/rest/v1/activities/pagingtoken.json'] ?? 0;
		await n8n.activate(id);
		for (let i = 0; i < 40 && (emu.callCounts()['/rest/v1/activities.json'] ?? 0) === 0; i++) {
			await new Promise((r) => setTimeout(r, 250));
		}
		expect(emu.callCounts()['/rest/v1/activities/pagingtoken.json']).toBe(tokensBefore + 1);
		await new Promise((r) => setTimeout(r, 1000));
		expect(await n8n.listExecutions(id)).toHaveLength(0);
		await n8n.deactivate(id);
	});

	it('with a start date, activating it emits the backlog since that date in one execution', async () => {
		const twoHoursAgo = new Date(Date.now() - 7200000).toISOString();
		const id = await n8n.importWorkflow(
			pollingWorkflow('New leads since a date', { startDate: twoHoursAgo }),
		);
		await n8n.activate(id);
		const executions: Array<{ status: string }> = [];
		for (let i = 0; i < 40 && executions.length === 0; i++) {
			executions.push(...(await n8n.listExecutions(id)));
			if (executions.length === 0) await new Promise((r) => setTimeout(r, 250));
		}
		expect(executions).toHaveLength(1);
		expect(executions[0].status).toBe('success');
		await n8n.deactivate(id);
	});
});
