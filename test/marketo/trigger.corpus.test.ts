/**
 * The webhook corpus of issue 14, through n8n-core's WebhookContext with real HTTP requests: each
 * delivery a real Marketo template can produce is repaired and flagged when its intent is clear,
 * or refused with a 4xx naming the fix (and then no execution starts); the shared secret comes
 * from a Marketo Webhook credential; authentication "None" needs its confirmation.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INode } from 'n8n-workflow';

import { TestCredentialsHelper } from '../../dev/harness/engine';
import {
	MARKETO_TRIGGER,
	runWebhookLifecycle,
	serveWebhookWorkflow,
	type ServedWebhookWorkflow,
} from '../../dev/harness/webhook';
import { parseMarketoDelivery } from '../../nodes/Marketo/trigger/webhookBody';

const SECRET = 'mkto-corpus-7d1e84b6b9a0c5e1f3f9c2a7';
const BEARER = `Bearer ${SECRET}`;
type Params = INode['parameters'];

const legacy: Params = {
	httpMethod: 'POST',
	authentication: 'headerSecret',
	secret: SECRET,
	responseMode: 'onReceived',
};

async function send(
	url: string,
	init: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: IDataObject }> {
	const response = await fetch(url, {
		method: init.method ?? 'POST',
		headers: init.headers,
		body: init.body,
	});
	const text = await response.text();
	let body: IDataObject = {};
	try {
		body = JSON.parse(text) as IDataObject;
	} catch {
		body = { text };
	}
	return { status: response.status, body };
}

const form = { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: BEARER };
const json = { 'Content-Type': 'application/json', Authorization: BEARER };

describe('Marketo Trigger corpus: refused without an execution', () => {
	let served: ServedWebhookWorkflow;
	beforeAll(async () => {
		served = await serveWebhookWorkflow({
			nodes: [{ name: 'Marketo Trigger', type: MARKETO_TRIGGER, parameters: legacy }],
			connections: {},
		});
	});
	afterAll(async () => served.close());

	it.each([
		['an empty body', form, ''],
		['an empty JSON object', json, '{}'],
		['an empty JSON object labelled as a form', form, '{ }'],
	])(
		'%s gets 400 empty_delivery naming the Template, and nothing runs',
		async (_n, headers, body) => {
			const res = await send(served.url, { headers, body });
			expect(res.status).toBe(400);
			expect(res.body.error).toBe('empty_delivery');
			expect(String(res.body.message)).toContain('Template');
			expect(served.executions).toHaveLength(0);
		},
	);

	it('a GET without any query string gets 400 empty_delivery', async () => {
		const res = await send(served.url, { method: 'GET', headers: { Authorization: BEARER } });
		expect(res.status).toBe(400);
		expect(res.body.error).toBe('empty_delivery');
		expect(served.executions).toHaveLength(0);
	});

	it('a body nested 20 000 levels deep gets 400 (not a crash recorded as a success)', async () => {
		const deep = `${'{"a":'.repeat(20000)}1${'}'.repeat(20000)}`;
		const res = await send(served.url, { headers: form, body: deep });
		expect(res.status).toBe(400);
		expect(String(res.body.message)).toMatch(/nests more than 32 levels/);
		expect(served.executions).toHaveLength(0);
	});

	it('a key written twice with different values gets 400 naming the key', async () => {
		const res = await send(served.url, {
			headers: form,
			body: '{"email": "ana@example.com", "leadId": 7, "email": "bob@example.com"}',
		});
		expect(res.status).toBe(400);
		expect(String(res.body.message)).toContain('"email" more than once');
		expect(served.executions).toHaveLength(0);
	});
});

describe('Marketo Trigger corpus: repaired and flagged', () => {
	it('a raw "+" in a GET query stays a plus (first+last@example.com) and is flagged', () => {
		const parsed = parseMarketoDelivery({
			method: 'GET',
			contentType: undefined,
			rawBody: '',
			parsedBody: {},
			query: { email: 'first last@example.com' },
			rawQuery: 'email=first+last@example.com&leadId=7',
		});
		expect(parsed).toMatchObject({
			ok: true,
			fields: { email: 'first+last@example.com', leadId: '7' },
			repaired: true,
		});
		expect(parsed.ok && parsed.repairs.join()).toMatch(/raw "\+"/);
	});

	it('a doubled quote (the template quotes a token Marketo already quotes) gives the value without quotes, flagged', () => {
		const parsed = parseMarketoDelivery({
			method: 'POST',
			contentType: 'application/x-www-form-urlencoded',
			rawBody:
				'{"email": ""ana@example.com"", "firstName": ""John"", "company": ""O"Malley"", "nick": """", "leadId": 7}',
			parsedBody: {},
			query: {},
		});
		expect(parsed).toMatchObject({
			ok: true,
			repaired: true,
			fields: {
				email: 'ana@example.com',
				firstName: 'John',
				company: 'O"Malley',
				nick: '',
				leadId: 7,
			},
		});
		expect(parsed.ok && parsed.repairs[0]).toMatch(/removed the extra quotes around 4 tokens/);
	});

	it('a key written twice with the same value is kept once and flagged', () => {
		const parsed = parseMarketoDelivery({
			method: 'POST',
			contentType: 'application/json',
			rawBody: '{"email": "ana@example.com", "email": "ana@example.com"}',
			parsedBody: {},
			query: {},
		});
		expect(parsed).toMatchObject({
			ok: true,
			repaired: true,
			fields: { email: 'ana@example.com' },
		});
	});
});

describe('Marketo Trigger: a workflow not configured yet', () => {
	it('answers 409 naming the Settings field that still holds its placeholder, and nothing runs', async () => {
		const served = await serveWebhookWorkflow({
			nodes: [
				{ name: 'Marketo Trigger', type: MARKETO_TRIGGER, parameters: legacy },
				{
					name: 'Settings',
					type: 'test.items',
					parameters: { items: '[{"spotMeWorkspaceId": "REPLACE_WITH_SPOTME_WORKSPACE_ID"}]' },
				},
			],
			connections: {
				'Marketo Trigger': { main: [[{ node: 'Settings', type: 'main' as never, index: 0 }]] },
			},
		});
		try {
			const res = await send(served.url, {
				headers: json,
				body: JSON.stringify({ email: 'ana@example.com', leadId: 7 }),
			});
			expect(res.status).toBe(409);
			expect(res.body.error).toBe('not_configured');
			expect(String(res.body.message)).toContain('open the "Settings" node and set "items"');
			expect(String(res.body.message)).toContain('REPLACE_WITH_SPOTME_WORKSPACE_ID');
			expect(served.executions).toHaveLength(0);
		} finally {
			await served.close();
		}
	});
});

describe('Marketo Trigger: the secret in a Marketo Webhook credential', () => {
	const credentials = new TestCredentialsHelper();
	const ref = credentials.add('marketoWebhookApi', {
		headerName: 'X-Marketo-Secret',
		secret: SECRET,
	});
	let served: ServedWebhookWorkflow;
	beforeAll(async () => {
		served = await serveWebhookWorkflow(
			{
				nodes: [
					{
						name: 'Marketo Trigger',
						type: MARKETO_TRIGGER,
						typeVersion: 2,
						parameters: { httpMethod: 'POST', responseMode: 'onReceived' },
						credentials: { marketoWebhookApi: ref },
					},
				],
				connections: {},
			},
			credentials,
		);
	});
	afterAll(async () => served.close());

	it('by default (version 2) the trigger checks the header and secret of its credential', async () => {
		const body = JSON.stringify({ email: 'ana@example.com', leadId: 7 });
		const wrong = await send(served.url, {
			headers: { 'Content-Type': 'application/json', 'X-Marketo-Secret': 'nope' },
			body,
		});
		expect(wrong.status).toBe(401);
		expect(served.executions).toHaveLength(0);
		const right = await send(served.url, {
			headers: { 'Content-Type': 'application/json', 'X-Marketo-Secret': SECRET },
			body,
		});
		expect(right.status).toBe(200);
		expect(served.executions).toHaveLength(1);
		expect(JSON.stringify(served.executions[0].output('Marketo Trigger'))).not.toContain(SECRET);
	});

	it('a burst reads the credential once; a wrong secret is still refused, and a replaced secret works at once', async () => {
		const reads = jest.spyOn(credentials, 'getDecrypted');
		const body = JSON.stringify({ email: 'ana@example.com', leadId: 7 });
		const deliver = async (secret: string) =>
			(
				await send(served.url, {
					headers: { 'Content-Type': 'application/json', 'X-Marketo-Secret': secret },
					body,
				})
			).status;
		try {
			const before = served.executions.length;
			expect(await deliver(SECRET)).toBe(200);
			const afterFirst = reads.mock.calls.length;
			expect(await Promise.all([1, 2, 3, 4].map(async () => await deliver(SECRET)))).toEqual([
				200, 200, 200, 200,
			]);
			// The four read nothing: the secret read for the first delivery is reused.
			expect(reads.mock.calls.length).toBe(afterFirst);
			expect(await deliver('nope')).toBe(401);
			// The secret is replaced in n8n: the new one works for the very next delivery.
			const NEW = 'mkto-replaced-0123456789abcdef';
			credentials.store.get(ref.id!)!.data.secret = NEW;
			expect(await deliver(NEW)).toBe(200);
			expect(await deliver('nope')).toBe(401);
			expect(served.executions.length - before).toBe(6);
		} finally {
			credentials.store.get(ref.id!)!.data.secret = SECRET;
			reads.mockRestore();
		}
	});
});

describe('Marketo Trigger: authentication None needs its confirmation', () => {
	it('unconfirmed, activation is refused and deliveries get 401', async () => {
		await expect(
			runWebhookLifecycle({
				type: 'marketoTrigger',
				parameters: { httpMethod: 'POST', authentication: 'none' },
				method: 'create',
			}),
		).rejects.toThrow(/Accept Calls From Anyone/);
		const served = await serveWebhookWorkflow({
			nodes: [
				{
					name: 'Marketo Trigger',
					type: MARKETO_TRIGGER,
					parameters: { httpMethod: 'POST', authentication: 'none' },
				},
			],
			connections: {},
		});
		try {
			const res = await send(served.url, {
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ email: 'ana@example.com' }),
			});
			expect(res.status).toBe(401);
			expect(served.executions).toHaveLength(0);
		} finally {
			await served.close();
		}
	});

	it('the legacy secret typed in the node still works, and activation warns to move it into a credential', async () => {
		const logs: string[] = [];
		await runWebhookLifecycle({
			type: 'marketoTrigger',
			parameters: legacy,
			method: 'create',
			logs,
		});
		expect(logs.join('\n')).toContain('move it into a Marketo Webhook credential');
		expect(logs.join('\n')).not.toContain(SECRET);
	});
});

describe('Marketo Webhook API credential: its local test (nothing to call)', () => {
	it('refuses a short secret or a bad header name, accepts a long random secret', async () => {
		const { MarketoTrigger } = await import('../../nodes/Marketo/MarketoTrigger.node');
		const check = new MarketoTrigger().methods.credentialTest.marketoWebhookSecret;
		const run = async (data: IDataObject) =>
			await check.call({} as never, {
				id: '1',
				name: 'x',
				type: 'marketoWebhookApi',
				data: data as ICredentialDataDecryptedObject,
			});
		expect(await run({ headerName: 'Authorization', secret: 'short' })).toMatchObject({
			status: 'Error',
		});
		expect(await run({ headerName: 'Bad Header', secret: SECRET })).toMatchObject({
			status: 'Error',
		});
		const ok = await run({ headerName: 'Authorization', secret: SECRET });
		expect(ok.status).toBe('OK');
		expect(JSON.stringify(ok)).not.toContain(SECRET);
	});
});

describe('Marketo Trigger: webhook description without the expression engine', () => {
	it('n8n resolves its method and response mode from the parameters natively (no isolate evaluation per delivery), with the templates the editor reads', async () => {
		const { MarketoTrigger } = await import('../../nodes/Marketo/MarketoTrigger.node');
		const { resolveWebhookDescriptionField, webhookDescriptionIsNativelyResolvable } = await import(
			'n8n-workflow'
		);
		const [hook] = new MarketoTrigger().description.webhooks!;
		expect(webhookDescriptionIsNativelyResolvable(hook)).toBe(true);
		expect({ httpMethod: hook.httpMethod, responseMode: hook.responseMode }).toEqual({
			httpMethod: '={{$parameter["httpMethod"]}}',
			responseMode: '={{$parameter["responseMode"]}}',
		});
		const node = {
			parameters: { httpMethod: 'GET', responseMode: 'lastNode', options: {} },
		} as unknown as INode;
		expect(resolveWebhookDescriptionField(node, hook, 'httpMethod')).toEqual({
			resolved: true,
			value: 'GET',
		});
		expect(resolveWebhookDescriptionField(node, hook, 'responseMode')).toEqual({
			resolved: true,
			value: 'lastNode',
		});
		// A parameter holding an expression still goes through n8n's engine.
		const dynamic = { parameters: { httpMethod: '={{"POST"}}' } } as unknown as INode;
		expect(resolveWebhookDescriptionField(dynamic, hook, 'httpMethod')).toEqual({
			resolved: false,
		});
	});
});
