/**
 * Marketo › Call Webhook › Answer behind the Marketo Trigger (Respond "Using an Answer Node"): the
 * answer leaves when the node runs (n8n's sendResponse), served as n8n's webhook server does
 * (dev/harness/webhook.ts), with the wrong Respond option and a failed delivery refused by name.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { WorkflowSpec } from '../../dev/harness/engine';
import { MARKETO_TRIGGER, serveWebhookWorkflow } from '../../dev/harness/webhook';

const SECRET = 'answer-test-secret-0123456789';
const MARKETO = 'n8n-nodes-marketo-spotme.marketo';

const answerNode = (fields: INodeParameters[], options: INodeParameters = {}) => ({
	name: 'Answer Marketo',
	type: MARKETO,
	parameters: {
		resource: 'webhook',
		operation: 'answer',
		answerFields: { field: fields },
		options,
	},
});

function workflow(
	responseMode: string,
	nodes: WorkflowSpec['nodes'],
): WorkflowSpec & { triggerNode: string } {
	const all = [
		{
			name: 'Marketo Trigger',
			type: MARKETO_TRIGGER,
			parameters: {
				httpMethod: 'POST',
				authentication: 'headerSecret',
				secret: SECRET,
				responseMode,
			},
		},
		...nodes,
	];
	const connections: WorkflowSpec['connections'] = {};
	for (let i = 0; i + 1 < all.length; i++)
		connections[all[i].name] = {
			main: [[{ node: all[i + 1].name, type: 'main' as never, index: 0 }]],
		};
	return { nodes: all, connections, triggerNode: 'Marketo Trigger' };
}

async function deliver(url: string, fields: IDataObject) {
	const res = await fetch(url, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${SECRET}` },
		body: JSON.stringify(fields),
	});
	const text = await res.text();
	return { status: res.status, body: text ? (JSON.parse(text) as IDataObject) : undefined };
}

describe('Marketo › Call Webhook › Answer', () => {
	it('answers Marketo with the fields (values from the item and from another node) and passes the items on', async () => {
		const served = await serveWebhookWorkflow(
			workflow('responseNode', [
				answerNode([
					{ name: 'login_url', value: '={{ $json.fields.email }}' },
					{ name: 'lead', value: "={{ $('Marketo Trigger').first().json.fields.leadId }}" },
				]),
			]),
		);
		try {
			const answer = await deliver(served.url, { leadId: 7, email: 'ada@example.com' });
			expect(answer).toEqual({ status: 200, body: { login_url: 'ada@example.com', lead: 7 } });
			expect(served.executions).toHaveLength(1);
			expect(served.executions[0].output('Answer Marketo')[0].json.fields).toMatchObject({
				leadId: 7,
			});
		} finally {
			await served.close();
		}
	});

	it('with the trigger answering "When Last Node Finishes", fails naming the Respond option to pick', async () => {
		const served = await serveWebhookWorkflow(
			workflow('lastNode', [answerNode([{ name: 'login_url', value: 'x' }])]),
		);
		try {
			await deliver(served.url, { leadId: 7, email: 'ada@example.com' });
			const error = served.executions[0].run.data.resultData.error;
			expect(error?.message).toMatch(
				/"Marketo Trigger" answers with the last node's JSON.*Set its Respond option to "Using an Answer Node"/,
			);
		} finally {
			await served.close();
		}
	});

	it('answers a delivery that failed before it (an error item) 502 with the reason, and fails', async () => {
		const served = await serveWebhookWorkflow(
			workflow('responseNode', [
				{
					name: 'Failed Upsert',
					type: 'test.items',
					parameters: { items: JSON.stringify([{ error: 'SpotMe refused: fname is required' }]) },
				},
				answerNode([{ name: 'login_url', value: '={{ $json.login_url }}' }]),
			]),
		);
		try {
			const answer = await deliver(served.url, { leadId: 7, email: 'ada@example.com' });
			expect(answer).toEqual({ status: 502, body: { error: 'SpotMe refused: fname is required' } });
			expect(served.executions[0].run.data.resultData.error?.message).toMatch(
				/Answered Marketo 502 .*fname is required/,
			);
		} finally {
			await served.close();
		}
	});

	it('refuses an answer without fields (Marketo would map nothing)', async () => {
		const served = await serveWebhookWorkflow(workflow('responseNode', [answerNode([])]));
		try {
			await deliver(served.url, { leadId: 7 });
			expect(served.executions[0].run.data.resultData.error?.message).toMatch(
				/Answer Fields is empty/,
			);
		} finally {
			await served.close();
		}
	});

	it('refuses a field without a name, naming it', async () => {
		const served = await serveWebhookWorkflow(
			workflow('responseNode', [answerNode([{ name: ' ', value: 'x' }])]),
		);
		try {
			await deliver(served.url, { leadId: 7 });
			expect(served.executions[0].run.data.resultData.error?.message).toMatch(
				/Answer Fields: field 1 has no Name/,
			);
		} finally {
			await served.close();
		}
	});
});
