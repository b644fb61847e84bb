/**
 * Marketo Trigger (webhook) through n8n-core's WebhookContext and WorkflowExecute, with real HTTP
 * requests shaped like Marketo's "Call Webhook" deliveries.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import {
	MARKETO_TRIGGER,
	runWebhookLifecycle,
	serveWebhookWorkflow,
	type ServedWebhookWorkflow,
} from '../../dev/harness/webhook';

const SECRET = 'mkto-3f9c2a77d1e84b6b9a0c5e1f';
const BEARER = `Bearer ${SECRET}`;

type Params = INode['parameters'];

function triggerOnly(parameters: Params) {
	return {
		nodes: [{ name: 'Marketo Trigger', type: MARKETO_TRIGGER, parameters }],
		connections: {},
	};
}

/** Trigger → Items node whose output is computed from the delivery (the "last node"). */
function triggerThenLoginUrl(parameters: Params) {
	return {
		nodes: [
			{ name: 'Marketo Trigger', type: MARKETO_TRIGGER, parameters },
			{
				name: 'Build Answer',
				type: 'test.items',
				parameters: {
					items:
						'={{ JSON.stringify([{ login_url: "https://spotme.example/login/" + $json.fields.leadId }]) }}',
				},
			},
		],
		connections: {
			'Marketo Trigger': { main: [[{ node: 'Build Answer', type: 'main' as never, index: 0 }]] },
		},
	};
}

async function send(
	url: string,
	init: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: IDataObject; text: string }> {
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
		// not JSON; the test looks at text
	}
	return { status: response.status, body, text };
}

const defaults: Params = {
	httpMethod: 'POST',
	authentication: 'headerSecret',
	secret: SECRET,
	responseMode: 'onReceived',
};

describe('Marketo Trigger: deliveries', () => {
	let served: ServedWebhookWorkflow;
	beforeAll(async () => {
		served = await serveWebhookWorkflow(triggerOnly(defaults));
	});
	afterAll(async () => served.close());

	it('a JSON POST starts one execution whose item holds the fields, headers without the secret, and the raw body', async () => {
		const before = served.executions.length;
		const body = JSON.stringify({
			email: 'ana@example.com',
			leadId: 1042,
			company: "O'Malley & Associates",
		});
		const res = await send(served.url, {
			headers: {
				'Content-Type': 'application/json',
				Authorization: BEARER,
				'X-Marketo-Campaign': 'Push lead to SpotMe',
			},
			body,
		});
		expect(res.status).toBe(200);
		expect(res.body).toEqual({ received: true });
		expect(served.executions.length).toBe(before + 1);
		const [item] = served.executions.at(-1)!.output('Marketo Trigger');
		expect(item.json.fields).toEqual({
			email: 'ana@example.com',
			leadId: 1042,
			company: "O'Malley & Associates",
		});
		expect(item.json.bodyFormat).toBe('json');
		expect(item.json.repaired).toBe(false);
		expect(item.json.rawBody).toBe(body);
		expect((item.json.headers as IDataObject)['x-marketo-campaign']).toBe('Push lead to SpotMe');
		expect((item.json.headers as IDataObject).authorization).toBeUndefined();
		expect(JSON.stringify(item.json)).not.toContain(SECRET);
	});

	it('a form-urlencoded POST (Request Token Encoding Form/Url) is parsed into fields', async () => {
		const res = await send(served.url, {
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: BEARER },
			body: 'email=ana%2Btest%40example.com&company=O%27Malley+%26+Associates&leadId=1042',
		});
		expect(res.status).toBe(200);
		const [item] = served.executions.at(-1)!.output('Marketo Trigger');
		expect(item.json.bodyFormat).toBe('form');
		expect(item.json.fields).toEqual({
			email: 'ana+test@example.com',
			company: "O'Malley & Associates",
			leadId: '1042',
		});
		expect(item.json.repaired).toBe(false);
	});

	it('a form body sent without encoding gets its "&" inside a value joined back, and says so', async () => {
		const res = await send(served.url, {
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: BEARER },
			body: "email=ana@example.com&company=O'Malley & Associates&leadId=1042",
		});
		expect(res.status).toBe(200);
		const [item] = served.executions.at(-1)!.output('Marketo Trigger');
		expect(item.json.fields).toEqual({
			email: 'ana@example.com',
			company: "O'Malley & Associates",
			leadId: '1042',
		});
		expect(item.json.repaired).toBe(true);
		expect(item.json.repairs).toEqual(['joined 1 unencoded "&" back into values']);
	});
});

describe('Marketo Trigger: GET deliveries', () => {
	it('a GET with tokens in the query string starts an execution with those tokens as fields', async () => {
		const served = await serveWebhookWorkflow(triggerOnly({ ...defaults, httpMethod: 'GET' }));
		try {
			const res = await send(`${served.url}?email=ana%40example.com&leadId=1042&programId=2001`, {
				method: 'GET',
				headers: { Authorization: BEARER },
			});
			expect(res.status).toBe(200);
			expect(served.executions).toHaveLength(1);
			const [item] = served.executions[0].output('Marketo Trigger');
			expect(item.json.method).toBe('GET');
			expect(item.json.bodyFormat).toBe('query');
			expect(item.json.fields).toEqual({
				email: 'ana@example.com',
				leadId: '1042',
				programId: '2001',
			});
			expect(item.json.repaired).toBe(false);
		} finally {
			await served.close();
		}
	});

	it('a GET whose token value holds an unencoded "&" (Marketo sends URL characters as written) keeps the value whole', async () => {
		const served = await serveWebhookWorkflow(triggerOnly({ ...defaults, httpMethod: 'GET' }));
		try {
			const res = await send(
				`${served.url}?leadId=1042&company=O'Malley%20&%20Associates&email=ana%40example.com`,
				{
					method: 'GET',
					headers: { Authorization: BEARER },
				},
			);
			expect(res.status).toBe(200);
			const [item] = served.executions[0].output('Marketo Trigger');
			expect(item.json.fields).toEqual({
				leadId: '1042',
				company: "O'Malley & Associates",
				email: 'ana@example.com',
			});
			expect(item.json.repaired).toBe(true);
		} finally {
			await served.close();
		}
	});
});

describe('Marketo Trigger: authentication', () => {
	let served: ServedWebhookWorkflow;
	beforeAll(async () => {
		served = await serveWebhookWorkflow(triggerOnly(defaults));
	});
	afterAll(async () => served.close());

	const json = JSON.stringify({ email: 'ana@example.com' });

	it('a delivery without the secret header gets 401 and starts no execution', async () => {
		const res = await send(served.url, {
			headers: { 'Content-Type': 'application/json' },
			body: json,
		});
		expect(res.status).toBe(401);
		expect(res.body.error).toBe('unauthorized');
		expect(served.executions).toHaveLength(0);
		expect(served.webhookResults.at(-1)).toEqual({ noWebhookResponse: true });
	});

	it('a wrong secret gets 401, starts no execution, and the answer does not echo the secret', async () => {
		const res = await send(served.url, {
			headers: {
				'Content-Type': 'application/json',
				Authorization: `Bearer ${SECRET.slice(0, -1)}x`,
			},
			body: json,
		});
		expect(res.status).toBe(401);
		expect(res.text).not.toContain(SECRET.slice(0, 10));
		expect(served.executions).toHaveLength(0);
	});

	it('the secret without the Bearer scheme is refused for the Authorization header', async () => {
		const res = await send(served.url, {
			headers: { 'Content-Type': 'application/json', Authorization: SECRET },
			body: json,
		});
		expect(res.status).toBe(401);
		expect(served.executions).toHaveLength(0);
	});

	it('the scheme is case-insensitive: "bearer <secret>" is accepted', async () => {
		const res = await send(served.url, {
			headers: { 'Content-Type': 'application/json', Authorization: `bearer ${SECRET}` },
			body: json,
		});
		expect(res.status).toBe(200);
		expect(served.executions).toHaveLength(1);
	});

	it('with an empty Shared Secret nobody gets in, not even with an empty Bearer header', async () => {
		const empty = await serveWebhookWorkflow(triggerOnly({ ...defaults, secret: '  ' }));
		try {
			for (const authorization of ['Bearer ', 'Bearer', '']) {
				const res = await send(empty.url, {
					headers: { 'Content-Type': 'application/json', Authorization: authorization },
					body: json,
				});
				expect(res.status).toBe(401);
			}
			expect(empty.executions).toHaveLength(0);
		} finally {
			await empty.close();
		}
	});

	it('a custom header carries the bare secret, and is removed from the item', async () => {
		const custom = await serveWebhookWorkflow(
			triggerOnly({ ...defaults, headerName: 'X-Marketo-Secret' }),
		);
		try {
			const wrong = await send(custom.url, {
				headers: { 'Content-Type': 'application/json', 'X-Marketo-Secret': 'nope' },
				body: json,
			});
			expect(wrong.status).toBe(401);
			const ok = await send(custom.url, {
				headers: { 'Content-Type': 'application/json', 'X-Marketo-Secret': SECRET },
				body: json,
			});
			expect(ok.status).toBe(200);
			expect(custom.executions).toHaveLength(1);
			const [item] = custom.executions[0].output('Marketo Trigger');
			expect((item.json.headers as IDataObject)['x-marketo-secret']).toBeUndefined();
			expect(JSON.stringify(item.json)).not.toContain(SECRET);
		} finally {
			await custom.close();
		}
	});

	it('with authentication None any caller starts the workflow, and an Authorization header still stays out of the item', async () => {
		const open = await serveWebhookWorkflow(
			triggerOnly({
				...defaults,
				authentication: 'none',
				secret: '',
				confirmNoAuthentication: true,
			}),
		);
		try {
			const res = await send(open.url, {
				headers: {
					'Content-Type': 'application/json',
					Authorization: 'Bearer spotme-api-token-123',
				},
				body: json,
			});
			expect(res.status).toBe(200);
			const [item] = open.executions[0].output('Marketo Trigger');
			expect(JSON.stringify(item.json)).not.toContain('spotme-api-token-123');
		} finally {
			await open.close();
		}
	});
});

describe('Marketo Trigger: size limit', () => {
	it('a body over Max Body Size gets 413 and starts no execution; one under it passes', async () => {
		const served = await serveWebhookWorkflow(
			triggerOnly({ ...defaults, options: { maxBodyKb: 1 } }),
		);
		try {
			const big = JSON.stringify({ email: 'ana@example.com', notes: 'x'.repeat(2000) });
			const res = await send(served.url, {
				headers: { 'Content-Type': 'application/json', Authorization: BEARER },
				body: big,
			});
			expect(res.status).toBe(413);
			expect(res.body.error).toBe('payload_too_large');
			expect(served.executions).toHaveLength(0);

			const small = JSON.stringify({ email: 'ana@example.com', notes: 'x'.repeat(900) });
			const ok = await send(served.url, {
				headers: { 'Content-Type': 'application/json', Authorization: BEARER },
				body: small,
			});
			expect(ok.status).toBe(200);
			expect(served.executions).toHaveLength(1);
		} finally {
			await served.close();
		}
	});

	it('an unauthenticated oversized body gets 401, not 413', async () => {
		const served = await serveWebhookWorkflow(
			triggerOnly({ ...defaults, options: { maxBodyKb: 1 } }),
		);
		try {
			const res = await send(served.url, {
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ notes: 'x'.repeat(5000) }),
			});
			expect(res.status).toBe(401);
		} finally {
			await served.close();
		}
	});
});

describe('Marketo Trigger: broken bodies from templates without JSON token encoding', () => {
	let served: ServedWebhookWorkflow;
	beforeAll(async () => {
		served = await serveWebhookWorkflow(triggerOnly(defaults));
	});
	afterAll(async () => served.close());

	// Without JSON token encoding Marketo labels the JSON template as form-urlencoded.
	const marketoHeaders = {
		'Content-Type': 'application/x-www-form-urlencoded',
		Authorization: BEARER,
	};

	it('quotes, a line break and a backslash in token values are repaired and the item says what was repaired', async () => {
		const body =
			'{"email": "ana@example.com", "company": "The "Best" Co", "title": "Head of\nEvents", "path": "C:\\Users\\ana", "leadId": 1042}';
		const res = await send(served.url, { headers: marketoHeaders, body });
		expect(res.status).toBe(200);
		const [item] = served.executions.at(-1)!.output('Marketo Trigger');
		expect(item.json.fields).toEqual({
			email: 'ana@example.com',
			company: 'The "Best" Co',
			title: 'Head of\nEvents',
			path: 'C:\\Users\\ana',
			leadId: 1042,
		});
		expect(item.json.repaired).toBe(true);
		expect(item.json.repairs).toEqual([
			'escaped 2 double quotes inside values',
			'escaped 1 line break or control character inside values',
			'escaped 2 lone backslashes',
		]);
		expect(item.json.rawBody).toBe(body);
	});

	it("an apostrophe (O'Malley) needs no repair: the body is valid JSON as sent", async () => {
		const res = await send(served.url, {
			headers: marketoHeaders,
			body: '{"company": "O\'Malley & Associates", "lastName": "O\'Brien"}',
		});
		expect(res.status).toBe(200);
		const [item] = served.executions.at(-1)!.output('Marketo Trigger');
		expect(item.json.fields).toEqual({ company: "O'Malley & Associates", lastName: "O'Brien" });
		expect(item.json.repaired).toBe(false);
	});

	it('an empty number token ("score": ,) becomes null', async () => {
		const res = await send(served.url, {
			headers: marketoHeaders,
			body: '{"email": "ana@example.com", "score": , "rank": }',
		});
		expect(res.status).toBe(200);
		const [item] = served.executions.at(-1)!.output('Marketo Trigger');
		expect(item.json.fields).toEqual({ email: 'ana@example.com', score: null, rank: null });
		expect(item.json.repairs).toEqual(['set 2 empty tokens to null']);
	});

	it('a body that cannot be repaired without guessing gets 400 telling the admin to set Request Token Encoding to JSON, and starts nothing', async () => {
		const before = served.executions.length;
		const res = await send(served.url, {
			headers: marketoHeaders,
			body: '{"email": "ana@example.com", "company": "Acme',
		});
		expect(res.status).toBe(400);
		expect(res.body.error).toBe('invalid_body');
		expect(String(res.body.message)).toContain('Request Token Encoding');
		expect(String(res.body.message)).toContain('JSON');
		expect(served.executions.length).toBe(before);
	});

	it('a value that would inject a key ("a", "b") is treated as text inside the value, not as a new field', async () => {
		const res = await send(served.url, {
			headers: marketoHeaders,
			body: '{"company": "Acme", "admin", "x", "email": "ana@example.com"}',
		});
		expect(res.status).toBe(200);
		const [item] = served.executions.at(-1)!.output('Marketo Trigger');
		expect(item.json.fields).toEqual({ company: 'Acme", "admin", "x', email: 'ana@example.com' });
		expect(item.json.repaired).toBe(true);
	});

	it('with Repair Broken JSON off, a broken body gets 400 and starts nothing', async () => {
		const strict = await serveWebhookWorkflow(
			triggerOnly({ ...defaults, options: { repairJson: false } }),
		);
		try {
			const res = await send(strict.url, {
				headers: marketoHeaders,
				body: '{"company": "The "Best" Co"}',
			});
			expect(res.status).toBe(400);
			expect(strict.executions).toHaveLength(0);
		} finally {
			await strict.close();
		}
	});

	it('a body that is neither JSON nor form fields gets 400 and starts nothing', async () => {
		const before = served.executions.length;
		const res = await send(served.url, {
			headers: { 'Content-Type': 'text/plain', Authorization: BEARER },
			body: 'hello marketo',
		});
		expect(res.status).toBe(400);
		expect(served.executions.length).toBe(before);
	});
});

describe('Marketo Trigger: responding', () => {
	const delivery = {
		headers: { 'Content-Type': 'application/json', Authorization: BEARER },
		body: JSON.stringify({ email: 'ana@example.com', leadId: 1042 }),
	};

	it('"Immediately" answers 200 {"received": true} and still runs the rest of the workflow', async () => {
		const served = await serveWebhookWorkflow(
			triggerThenLoginUrl({ ...defaults, responseMode: 'onReceived' }),
		);
		try {
			const res = await send(served.url, delivery);
			expect(res.status).toBe(200);
			expect(res.body).toEqual({ received: true });
			expect(served.executions[0].output('Build Answer')[0].json).toEqual({
				login_url: 'https://spotme.example/login/1042',
			});
		} finally {
			await served.close();
		}
	});

	it('by default (Respond not set) it answers immediately', async () => {
		const served = await serveWebhookWorkflow(triggerOnly({ secret: SECRET }));
		try {
			const res = await send(served.url, delivery);
			expect(res.status).toBe(200);
			expect(res.body).toEqual({ received: true });
			expect(served.executions).toHaveLength(1);
		} finally {
			await served.close();
		}
	});

	it('"When Last Node Finishes" answers with the last node\'s JSON, which Marketo can map', async () => {
		const served = await serveWebhookWorkflow(
			triggerThenLoginUrl({ ...defaults, responseMode: 'lastNode' }),
		);
		try {
			const res = await send(served.url, delivery);
			expect(res.status).toBe(200);
			expect(res.body).toEqual({ login_url: 'https://spotme.example/login/1042' });
			expect(served.webhookResults[0].webhookResponse).toBeUndefined();
		} finally {
			await served.close();
		}
	});

	it('"Using Respond to Webhook" answers what the respond node sends, e.g. {"login_url": …}', async () => {
		const served = await serveWebhookWorkflow({
			nodes: [
				{
					name: 'Marketo Trigger',
					type: MARKETO_TRIGGER,
					parameters: { ...defaults, responseMode: 'responseNode' },
				},
				{
					name: 'Respond',
					type: 'test.respondToWebhook',
					parameters: {
						body: '={{ JSON.stringify({ login_url: "https://spotme.example/m/" + $json.fields.email }) }}',
						statusCode: 200,
					},
				},
			],
			connections: {
				'Marketo Trigger': { main: [[{ node: 'Respond', type: 'main' as never, index: 0 }]] },
			},
		});
		try {
			const res = await send(served.url, delivery);
			expect(res.status).toBe(200);
			expect(res.body).toEqual({ login_url: 'https://spotme.example/m/ana@example.com' });
			expect(served.executions).toHaveLength(1);
		} finally {
			await served.close();
		}
	});
});

describe('Marketo Trigger: activation lifecycle (Marketo has no webhook API)', () => {
	it('checkExists reports that nothing is registered in Marketo, and create logs the URL to paste', async () => {
		const logs: string[] = [];
		const params = { ...defaults };
		expect(
			await runWebhookLifecycle({
				type: 'marketoTrigger',
				parameters: params,
				method: 'checkExists',
				logs,
			}),
		).toBe(false);
		expect(
			await runWebhookLifecycle({
				type: 'marketoTrigger',
				parameters: params,
				method: 'create',
				logs,
			}),
		).toBe(true);
		expect(logs.join('\n')).toMatch(/\/webhook\/test-webhook-id\/marketo/);
		expect(logs.join('\n')).toContain('no webhook registration API');
		expect(logs.join('\n')).not.toContain(SECRET);
	});

	it('activation fails with a clear message when the shared secret is empty', async () => {
		await expect(
			runWebhookLifecycle({
				type: 'marketoTrigger',
				parameters: { ...defaults, secret: '' },
				method: 'create',
			}),
		).rejects.toThrow(/no Shared Secret/);
	});

	it('delete says the Marketo webhook still exists and must be removed there', async () => {
		const logs: string[] = [];
		expect(
			await runWebhookLifecycle({
				type: 'marketoTrigger',
				parameters: defaults,
				method: 'delete',
				logs,
			}),
		).toBe(true);
		expect(logs.join('\n')).toContain('Admin > Integration > Webhooks');
	});
});
