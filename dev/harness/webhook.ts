/**
 * Serves a workflow whose first node is one of this package's webhook triggers, the way n8n's
 * webhook server does, in-process:
 *
 * - a real Node HTTP server (port 0) receives the request;
 * - the body is read and pre-parsed like n8n's `parseBody` (JSON → object, or 422 "Failed to parse
 *   request body" when Content-Type is application/json and the body is not JSON; form-urlencoded →
 *   querystring; text/plain → string), keeping `rawBody` (a Buffer), `query`, `contentType`;
 * - the trigger's `webhook()` runs in a real n8n-core `WebhookContext` with the real req/res;
 * - the answer follows n8n's rules: `noWebhookResponse` (the node answered), no `workflowData`
 *   (no execution, answer `webhookResponse`), `onReceived` (answer, then run), `lastNode` (run,
 *   answer the last node's first item JSON) and `responseNode` (the `sendResponse` hook answers);
 * - executions run through `WorkflowExecute.processRunExecutionData` and are recorded in
 *   `executions`, so a test can assert that a refused request started none.
 *
 * `test.respondToWebhook` is a test-only stand-in for n8n's Respond to Webhook node (which lives in
 * n8n-nodes-base, not installed here): it calls `this.sendResponse` exactly as that node does.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import { parse as parseQueryString } from 'querystring';
import { ExecutionLifecycleHooks, WebhookContext, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	Workflow,
	type IDataObject,
	type IExecuteFunctions,
	type IN8nHttpFullResponse,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IRun,
	type IWebhookData,
	type IWebhookResponseData,
} from 'n8n-workflow';

import {
	makeAdditionalData,
	nodeTypes,
	PACKAGE_NAME,
	TestCredentialsHelper,
	type WorkflowSpec,
} from './engine';

/** Test-only Respond to Webhook: answers with its `body` parameter (JSON) and `statusCode`. */
class TestRespondToWebhookNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Respond to Webhook',
		name: 'respondToWebhook',
		group: ['transform'],
		version: 1,
		description: 'Answers the webhook request',
		defaults: { name: 'Respond' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [
			{ displayName: 'Body', name: 'body', type: 'json', default: '{}' },
			{ displayName: 'Status Code', name: 'statusCode', type: 'number', default: 200 },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('body', 0) as string | IDataObject;
		const body = typeof raw === 'string' ? (JSON.parse(raw) as IDataObject) : raw;
		const statusCode = this.getNodeParameter('statusCode', 0) as number;
		const response: IN8nHttpFullResponse = { body, headers: {}, statusCode };
		await this.sendResponse(response);
		return [this.getInputData()];
	}
}

let registered = false;
function registerTestNodes() {
	if (registered) return;
	nodeTypes().types.set('test.respondToWebhook', new TestRespondToWebhookNode());
	registered = true;
}

export interface WebhookExecution {
	run: IRun;
	/** Items of a node's first output in this execution. */
	output(nodeName: string): INodeExecutionData[];
}

export interface ServedWebhookWorkflow {
	/** The full webhook URL (path of the trigger's `default` webhook). */
	url: string;
	/** Every execution the deliveries started, in order. */
	executions: WebhookExecution[];
	/** What `webhook()` returned for each delivery, in order. */
	webhookResults: IWebhookResponseData[];
	close(): Promise<void>;
}

/** Limit of n8n's own body reader (N8N_PAYLOAD_SIZE_MAX, default 16 MB). */
const N8N_PAYLOAD_SIZE_MAX = 16 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > N8N_PAYLOAD_SIZE_MAX) tooLarge = true;
			else chunks.push(chunk);
		});
		req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

function sendJson(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
) {
	if (res.headersSent) return;
	res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
	res.end(body === undefined ? '' : JSON.stringify(body));
}

/**
 * Serves `spec` (its first node, or `triggerNode`, must be a webhook trigger of this package).
 * Node types in `spec` use full names (`n8n-nodes-marketo-spotme.marketoTrigger`, `test.items`,
 * `test.respondToWebhook`).
 */
export async function serveWebhookWorkflow(
	spec: WorkflowSpec & { triggerNode?: string },
	credentialsHelper: TestCredentialsHelper = new TestCredentialsHelper(),
): Promise<ServedWebhookWorkflow> {
	registerTestNodes();
	const nodes: INode[] = spec.nodes.map((n, i) => ({
		id: n.id ?? `node-${i}`,
		typeVersion: n.typeVersion ?? 1,
		position: n.position ?? [i * 200, 0],
		parameters: n.parameters ?? {},
		webhookId: n.webhookId ?? (i === 0 ? 'test-webhook-id' : undefined),
		...n,
	})) as INode[];
	const triggerName = spec.triggerNode ?? nodes[0].name;
	const executions: WebhookExecution[] = [];
	const webhookResults: IWebhookResponseData[] = [];
	let counter = 0;

	const newWorkflow = () =>
		new Workflow({
			id: 'webhook-wf',
			name: 'webhook workflow',
			nodes,
			connections: spec.connections,
			active: true,
			nodeTypes: nodeTypes(),
			staticData: spec.staticData,
			settings: { executionOrder: 'v1' },
		});

	const probe = newWorkflow();
	const triggerNode = probe.getNode(triggerName)!;
	const triggerType = nodeTypes().getByNameAndVersion(triggerNode.type, triggerNode.typeVersion);
	const maybeDescription = triggerType.description.webhooks?.[0];
	if (!maybeDescription || !triggerType.webhook)
		throw new Error(`${triggerNode.type} is not a webhook trigger`);
	const webhookDescription = maybeDescription;
	const webhookPath = String(webhookDescription.path);

	async function handle(req: IncomingMessage, res: ServerResponse) {
		const url = new URL(req.url ?? '/', 'http://localhost');
		const raw = await readBody(req);
		if (raw === 'too-large')
			return sendJson(res, 413, { code: 413, message: 'request entity too large' });
		const contentType =
			(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase() || undefined;
		let body: unknown = {};
		if (raw.length > 0) {
			try {
				if (contentType === 'application/json') body = JSON.parse(raw.toString('utf8'));
				else if (contentType === 'application/x-www-form-urlencoded')
					body = {
						...parseQueryString(raw.toString('utf8'), undefined, undefined, { maxKeys: 1000 }),
					};
				else if (contentType === 'text/plain') body = raw.toString('utf8');
			} catch (error) {
				// n8n: UnprocessableRequestError before the node runs; no execution.
				return sendJson(res, 422, {
					code: 422,
					message: 'Failed to parse request body',
					hint: (error as Error).message,
				});
			}
		}
		const expressReq = Object.assign(req, {
			body,
			rawBody: raw,
			contentType,
			query: Object.fromEntries(url.searchParams.entries()),
			params: {},
		});

		const workflow = newWorkflow();
		const node = workflow.getNode(triggerName)!;
		const executionId = `webhook-exec-${++counter}`;
		let responded = false;
		const respond = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
			if (responded) return;
			responded = true;
			sendJson(res, status, payload, headers);
		};
		const hooks = new ExecutionLifecycleHooks('webhook', executionId, {
			id: workflow.id,
			name: workflow.name,
			nodes,
			connections: spec.connections,
			active: true,
			activeVersionId: null,
			isArchived: false,
			createdAt: new Date(),
			updatedAt: new Date(),
			settings: {},
		} as never);
		hooks.addHandler('sendResponse', (data) => {
			const response = data as unknown as IN8nHttpFullResponse;
			const headers = Object.fromEntries(
				Object.entries(response.headers ?? {}).map(([k, v]) => [k, String(v)]),
			);
			respond(response.statusCode ?? 200, response.body, headers);
		});
		const additionalData = makeAdditionalData(credentialsHelper, {
			hooks,
			executionId,
			httpRequest: expressReq,
			httpResponse: res,
		} as never);
		const webhookData: IWebhookData = {
			httpMethod: (req.method ?? 'POST') as IWebhookData['httpMethod'],
			node: triggerName,
			path: webhookPath,
			webhookDescription,
			workflowId: workflow.id,
			workflowExecuteAdditionalData: additionalData,
		};
		const context = new WebhookContext(
			workflow,
			node,
			additionalData,
			'webhook',
			webhookData,
			[],
			null,
		);

		let result: IWebhookResponseData;
		try {
			result = await triggerType.webhook!.call(context);
		} catch {
			// n8n answers 500 with a generic message and starts no execution
			return respond(500, { message: 'Workflow Webhook Error: Workflow could not be started!' });
		}
		webhookResults.push(result);
		if (result.noWebhookResponse) responded = true; // the node answered
		if (result.workflowData === undefined) {
			return respond(200, result.webhookResponse ?? { message: 'Webhook call received' });
		}

		// As n8n does: the webhook description's responseMode, resolved against the node's parameters
		const responseMode = String(
			workflow.expression.getSimpleParameterValue(
				node,
				webhookDescription.responseMode ?? 'onReceived',
				'webhook',
				{},
				undefined,
				'onReceived',
			) ?? 'onReceived',
		);
		if (responseMode === 'onReceived') {
			respond(200, result.webhookResponse ?? { message: 'Workflow was started' });
		}

		const runExecutionData = createRunExecutionData({
			executionData: {
				nodeExecutionStack: [{ node, data: { main: result.workflowData }, source: null }],
			},
		});
		const run = await new WorkflowExecute(
			additionalData,
			'webhook',
			runExecutionData,
		).processRunExecutionData(workflow);
		executions.push({
			run,
			output(nodeName: string) {
				const runs = run.data.resultData.runData[nodeName];
				if (!runs?.length) throw new Error(`Node "${nodeName}" did not run`);
				return runs[runs.length - 1].data?.main?.[0] ?? [];
			},
		});

		if (run.data.resultData.error) return respond(500, { message: 'Error in workflow' });
		if (responseMode === 'lastNode') {
			const last = run.data.resultData.lastNodeExecuted;
			const items = last ? run.data.resultData.runData[last]?.at(-1)?.data?.main?.[0] : undefined;
			return respond(
				200,
				items?.[0]?.json ?? {
					message: 'Workflow executed successfully but the last node did not return any data',
				},
			);
		}
		// responseNode without a Respond node reached: n8n answers with an empty 200
		return respond(200, undefined);
	}

	const server: Server = createServer((req, res) => {
		handle(req, res).catch((error: Error) => sendJson(res, 500, { message: error.message }));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const webhookId = triggerNode.webhookId ?? 'test-webhook-id';
	return {
		url: `http://127.0.0.1:${port}/webhook/${webhookId}/${webhookPath}`,
		executions,
		webhookResults,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

export const MARKETO_TRIGGER = `${PACKAGE_NAME}.marketoTrigger`;

/**
 * Serves Marketo Trigger (header secret `secret`, answering with the last node's output) → `node`:
 * each delivery one execution of `node`, as the webhook burst tests send them.
 */
export async function serveBehindMarketoTrigger(
	node: WorkflowSpec['nodes'][number],
	secret: string,
	credentialsHelper?: TestCredentialsHelper,
): Promise<ServedWebhookWorkflow> {
	return await serveWebhookWorkflow(
		{
			nodes: [
				{
					name: 'Marketo Trigger',
					type: MARKETO_TRIGGER,
					parameters: {
						httpMethod: 'POST',
						authentication: 'headerSecret',
						secret,
						responseMode: 'lastNode',
					},
				},
				node,
			],
			connections: {
				'Marketo Trigger': { main: [[{ node: node.name, type: 'main' as never, index: 0 }]] },
			},
		},
		credentialsHelper,
	);
}

/**
 * Runs a webhook trigger's lifecycle method (`checkExists` | `create` | `delete`) in a real
 * n8n-core `HookContext`, as n8n does on activation/deactivation. Returns its result, or throws
 * what it threw. Log lines go to `logs`.
 */
export async function runWebhookLifecycle(args: {
	type: string;
	parameters: INode['parameters'];
	method: 'checkExists' | 'create' | 'delete';
	logs?: string[];
}): Promise<boolean | undefined> {
	const { HookContext } = await import('n8n-core');
	const typeName = args.type.includes('.') ? args.type : `${PACKAGE_NAME}.${args.type}`;
	const node: INode = {
		id: 'trigger',
		name: 'Marketo Trigger',
		type: typeName,
		typeVersion: 1,
		position: [0, 0],
		parameters: args.parameters,
		webhookId: 'test-webhook-id',
	};
	const workflow = new Workflow({
		id: 'lifecycle-wf',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes: nodeTypes(),
	});
	const nodeType = nodeTypes().getByNameAndVersion(typeName);
	const description = nodeType.description.webhooks![0];
	const additionalData = makeAdditionalData(new TestCredentialsHelper());
	const webhookData: IWebhookData = {
		httpMethod: 'POST',
		node: node.name,
		path: String(description.path),
		webhookDescription: description,
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
		webhookId: 'test-webhook-id',
	};
	const context = new HookContext(
		workflow,
		node,
		additionalData,
		'trigger',
		'activate',
		webhookData,
	);
	const logs = args.logs ?? [];
	const capture = (message: string) => logs.push(message);
	Object.defineProperty(context, 'logger', {
		value: { info: capture, warn: capture, error: capture, debug: capture },
	});
	const fn = nodeType.webhookMethods!.default![args.method];
	return await fn.call(context);
}
