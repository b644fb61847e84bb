/**
 * Runs this package's nodes through n8n's own engine (n8n-core's WorkflowExecute), in-process.
 *
 * - Node and credential types are discovered from `nodes/**\/*.node.ts` and
 *   `credentials/*.credentials.ts`, registered as n8n registers a community package:
 *   `n8n-nodes-marketo-spotme.<name>`.
 * - Credentials are kept in memory by `TestCredentialsHelper`, which authenticates requests
 *   the way n8n's CLI `CredentialsHelper` does: `preAuthentication` for hidden `expirable`
 *   fields (persisting the result), then the credential's `authenticate` (generic or function).
 * - `test.items` is a test-only source node that emits the items given in its parameters.
 */
import { readdirSync, statSync } from 'fs';
import { join, resolve } from 'path';
import {
	ExecutionLifecycleHooks,
	LoadOptionsContext,
	PollContext,
	WorkflowExecute,
} from 'n8n-core';
import {
	ICredentialsHelper,
	LoggerProxy,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IConnections,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
	type INodeTypes,
	type IRequestOptionsSimplified,
	type IRun,
	type IVersionedNodeType,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

export const PACKAGE_NAME = 'n8n-nodes-marketo-spotme';

/** Where the silent logger's lines go while `captureN8nLogs` runs (nowhere otherwise). */
let logSink: ((level: string, message: string) => void) | undefined;

/**
 * The lines n8n's logger received while `work` ran (what a user sees in n8n's log), for tests of the
 * visible waits. Without `DEBUG_N8N_LOGS=1` only: n8n's real logger prints instead.
 */
export async function captureN8nLogs<T>(
	work: () => Promise<T>,
): Promise<{ value: T; lines: Array<{ level: string; message: string }> }> {
	const lines: Array<{ level: string; message: string }> = [];
	logSink = (level, message) => lines.push({ level, message });
	try {
		return { value: await work(), lines };
	} finally {
		logSink = undefined;
	}
}

/**
 * n8n's logger prints every node `this.logger` call (winston's console transport), which buries test
 * output ("Document att-bad … is not a duration"). Tests read these lines only through
 * `captureN8nLogs`, so the engine runs with a silent logger: n8n-core's `this.logger` is
 * `Container.get(Logger)` from its own @n8n/di + @n8n/backend-common, and n8n-workflow code logs through
 * `LoggerProxy`. `DEBUG_N8N_LOGS=1` keeps n8n's real logger.
 */
function quietN8nLogs(): void {
	if (process.env.DEBUG_N8N_LOGS === '1') return;
	const to = (level: string) => (message: unknown) => {
		logSink?.(level, String(message));
	};
	const quiet = {
		error: to('error'),
		warn: to('warn'),
		info: to('info'),
		debug: to('debug'),
		scoped: () => quiet,
	};
	LoggerProxy.init(quiet);
	try {
		const core = require.resolve('n8n-core');

		const { Container } = require(require.resolve('@n8n/di', { paths: [core] })) as {
			Container: { set(t: unknown, v: unknown): void };
		};

		const { Logger } = require(require.resolve('@n8n/backend-common', { paths: [core] })) as {
			Logger: unknown;
		};
		Container.set(Logger, quiet);
	} catch {
		// another n8n-core layout: logs stay on, nothing else changes
	}
}
quietN8nLogs();
const ROOT = resolve(__dirname, '..', '..');

function walk(dir: string, suffix: string): string[] {
	let out: string[] = [];
	let entries: string[] = [];
	try {
		entries = readdirSync(dir);
	} catch {
		return out;
	}
	for (const entry of entries) {
		const full = join(dir, entry);
		if (statSync(full).isDirectory()) out = out.concat(walk(full, suffix));
		else if (entry.endsWith(suffix)) out.push(full);
	}
	return out;
}

function instantiateExports(file: string): unknown[] {
	const mod = require(file) as Record<string, unknown>;
	return Object.values(mod)
		.filter((v): v is new () => unknown => typeof v === 'function')
		.map((Cls) => {
			try {
				return new Cls();
			} catch {
				return undefined;
			}
		})
		.filter((v) => v !== undefined);
}

/** A test-only source node: emits `items` (a JSON array) as its output. */
class TestItemsNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Items',
		name: 'items',
		group: ['input'],
		version: 1,
		description: 'Emits the items given as JSON',
		defaults: { name: 'Items' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | IDataObject[];
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		return [items.map((json, index) => ({ json, pairedItem: { item: 0 }, index }))].map((arr) =>
			arr.map(({ json, pairedItem }) => ({ json, pairedItem })),
		);
	}
}

type AnyNodeType = INodeType | IVersionedNodeType;

export class TestNodeTypes implements INodeTypes {
	readonly types = new Map<string, AnyNodeType>();

	constructor() {
		for (const file of walk(join(ROOT, 'nodes'), '.node.ts')) {
			for (const instance of instantiateExports(file)) {
				const desc = (instance as { description?: { name?: string } }).description;
				if (desc?.name) this.types.set(`${PACKAGE_NAME}.${desc.name}`, instance as AnyNodeType);
			}
		}
		this.types.set('test.items', new TestItemsNode());
	}

	getByName(nodeType: string): AnyNodeType {
		const type = this.types.get(nodeType);
		if (!type)
			throw new Error(`Unknown node type ${nodeType}; known: ${[...this.types.keys()].join(', ')}`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		const type = this.getByName(nodeType);
		if ('nodeVersions' in type) {
			return type.getNodeType(version);
		}
		return type;
	}

	getKnownTypes() {
		return {};
	}
}

export function loadCredentialTypes(): Map<string, ICredentialType> {
	const types = new Map<string, ICredentialType>();
	for (const file of walk(join(ROOT, 'credentials'), '.credentials.ts')) {
		for (const instance of instantiateExports(file)) {
			const cred = instance as ICredentialType;
			if (cred.name && Array.isArray(cred.properties)) types.set(cred.name, cred);
		}
	}
	return types;
}

interface StoredCredential {
	id: string;
	name: string;
	type: string;
	data: ICredentialDataDecryptedObject;
}

/** In-memory credentials that authenticate requests as n8n's CLI CredentialsHelper does. */
export class TestCredentialsHelper extends ICredentialsHelper {
	readonly store = new Map<string, StoredCredential>();
	/** How often each credential's `preAuthentication` ran (i.e. how many tokens were fetched through n8n). */
	readonly preAuthenticationCalls = new Map<string, number>();

	constructor(readonly credentialTypes: Map<string, ICredentialType> = loadCredentialTypes()) {
		super();
	}

	add(
		type: string,
		data: ICredentialDataDecryptedObject,
		id = `${type}-1`,
	): INodeCredentialsDetails {
		this.store.set(id, { id, name: `${type} account`, type, data: { ...data } });
		return { id, name: `${type} account` };
	}

	private typeOf(name: string): ICredentialType {
		const type = this.credentialTypes.get(name);
		if (!type) throw new Error(`Unknown credential type ${name}`);
		return type;
	}

	getParentTypes(name: string): string[] {
		const type = this.credentialTypes.get(name);
		return type?.extends ?? [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions as IHttpRequestOptions & Record<string, unknown>;
		const credentialType = this.typeOf(typeName);
		const { authenticate } = credentialType;
		if (!authenticate) return requestOptions;
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions);
		}
		if (requestOptions.headers === undefined) requestOptions.headers = {};
		if (authenticate.type === 'generic') {
			for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
				for (const [key, value] of Object.entries(outerValue as Record<string, string>)) {
					const k = this.resolveValue(key, credentials, workflow, node);
					const v = this.resolveValue(value, credentials, workflow, node);
					const target = (requestOptions[outerKey] ??= {}) as Record<string, unknown>;
					target[k as string] = v;
				}
			}
		}
		return requestOptions;
	}

	private resolveValue(
		value: string,
		credentials: ICredentialDataDecryptedObject,
		workflow?: Workflow,
		node?: INode,
	): unknown {
		if (typeof value !== 'string' || value.charAt(0) !== '=') return value;
		if (!workflow || !node) {
			// Same result as n8n for the `{{$credentials.x}}` templates credentials use.
			return value
				.slice(1)
				.replace(/\{\{\s*\$credentials\??\.(\w+)\s*\}\}/g, (_, k: string) =>
					String(credentials[k] ?? ''),
				);
		}
		return workflow.expression.getSimpleParameterValue(
			node,
			value,
			'internal',
			{ $credentials: credentials } as never,
			undefined,
			'',
		);
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.typeOf(typeName);
		const expirable = credentialType.properties.find(
			(p) => p.type === 'hidden' && p.typeOptions?.expirable === true,
		);
		if (expirable?.name === undefined) return undefined;
		const isTesting = node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';
		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] === '' || credentialsExpired || isTesting) {
			const output = await credentialType.preAuthentication.call(helpers, credentials);
			this.preAuthenticationCalls.set(
				typeName,
				(this.preAuthenticationCalls.get(typeName) ?? 0) + 1,
			);
			if (output[expirable.name] === undefined) return undefined;
			if (node.credentials) {
				await this.updateCredentials(
					node.credentials[credentialType.name],
					credentialType.name,
					Object.assign(credentials, output),
				);
				return Object.assign(credentials, output);
			}
		}
		return undefined;
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.typeOf(typeName);
		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		return (await credentialType.preAuthentication.call(
			helpers,
			credentials,
		)) as ICredentialDataDecryptedObject;
	}

	async getCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentials> {
		const stored = this.find(nodeCredentials, type);
		return {
			id: stored.id,
			name: stored.name,
			type,
			getData: () => ({ ...stored.data }),
		} as unknown as ICredentials;
	}

	private find(nodeCredentials: INodeCredentialsDetails, type: string): StoredCredential {
		const stored =
			(nodeCredentials.id ? this.store.get(nodeCredentials.id) : undefined) ??
			[...this.store.values()].find((c) => c.type === type);
		if (!stored) throw new Error(`No test credential of type ${type}`);
		return stored;
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = this.find(nodeCredentials, type);
		// n8n fills in the defaults of properties the user left unset.
		const defaults: ICredentialDataDecryptedObject = {};
		for (const p of this.getCredentialsProperties(type)) {
			if (p.default !== undefined)
				defaults[p.name] = p.default as ICredentialDataDecryptedObject[string];
		}
		return { ...defaults, ...stored.data };
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const stored = this.find(nodeCredentials, type);
		stored.data = { ...data };
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		await this.updateCredentials(nodeCredentials, type, data);
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = this.typeOf(type);
		const own = credentialType.properties;
		const parents = (credentialType.extends ?? []).flatMap((p) => this.getCredentialsProperties(p));
		return [...parents, ...own];
	}
}

let sharedNodeTypes: TestNodeTypes | undefined;
export function nodeTypes(): TestNodeTypes {
	return (sharedNodeTypes ??= new TestNodeTypes());
}

export function makeAdditionalData(
	credentialsHelper: TestCredentialsHelper,
	extra: Partial<IWorkflowExecuteAdditionalData> = {},
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper,
		executeWorkflow: async () => {
			throw new Error('executeWorkflow is not available in the test engine');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formBaseUrl: 'http://localhost:5678/form',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		formTestBaseUrl: 'http://localhost:5678/form-test',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		mcpBaseUrl: 'http://localhost:5678/mcp',
		mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
		variables: {},
		logAiEvent: () => {},
		...extra,
	} as IWorkflowExecuteAdditionalData;
}

export interface WorkflowSpec {
	nodes: Array<Partial<INode> & { name: string; type: string; parameters?: INode['parameters'] }>;
	connections: IConnections;
	staticData?: IDataObject;
	/** The workflow's timezone setting (n8n's default, America/New_York, when absent). */
	timezone?: string;
}

export interface RunResult {
	run: IRun;
	workflow: Workflow;
	/** Items of a node's first (or given) output; throws if the node did not run. */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** The error the execution ended with, if any. */
	error: IRun['data']['resultData']['error'];
}

let counter = 0;

export async function runWorkflow(
	spec: WorkflowSpec,
	credentialsHelper: TestCredentialsHelper,
	options: { mode?: WorkflowExecuteMode; startNode?: string } = {},
): Promise<RunResult> {
	const nodes: INode[] = spec.nodes.map((n, i) => ({
		id: n.id ?? `node-${i}`,
		typeVersion: n.typeVersion ?? 1,
		position: n.position ?? [i * 200, 0],
		parameters: n.parameters ?? {},
		...n,
	})) as INode[];
	const workflow = new Workflow({
		id: `wf-${++counter}`,
		name: 'test workflow',
		nodes,
		connections: spec.connections,
		active: false,
		nodeTypes: nodeTypes(),
		staticData: spec.staticData,
		settings: { executionOrder: 'v1', ...(spec.timezone ? { timezone: spec.timezone } : {}) },
	});
	const mode = options.mode ?? 'manual';
	const hooks = new ExecutionLifecycleHooks(mode, `exec-${counter}`, {
		id: workflow.id,
		name: workflow.name,
		nodes,
		connections: spec.connections,
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		settings: {},
	} as never);
	const additionalData = makeAdditionalData(credentialsHelper, { hooks } as never);
	const execute = new WorkflowExecute(additionalData, mode);
	const startNode = workflow.getNode(options.startNode ?? nodes[0].name) ?? undefined;
	const run = await execute.run({ workflow, startNode });
	return {
		run,
		workflow,
		error: run.data.resultData.error,
		output(nodeName: string, outputIndex = 0) {
			const runs = run.data.resultData.runData[nodeName];
			if (!runs?.length) {
				const err = run.data.resultData.error;
				throw new Error(`Node "${nodeName}" did not run${err ? `: ${err.message}` : ''}`);
			}
			const last = runs[runs.length - 1];
			if (last.error) throw last.error;
			return last.data?.main?.[outputIndex] ?? [];
		},
	};
}

/**
 * Runs one node of this package on the given input items, through the engine:
 * `Items` (test.items) → the node. Returns the node's output.
 */
export async function runNode(args: {
	type: string; // e.g. 'marketo' (the package prefix is added)
	parameters: INode['parameters'];
	items?: IDataObject[];
	credentials?: Record<string, INodeCredentialsDetails>;
	credentialsHelper: TestCredentialsHelper;
	continueOnFail?: boolean;
	typeVersion?: number;
}): Promise<RunResult & { items: INodeExecutionData[] }> {
	const nodeName = 'Node under test';
	const result = await runWorkflow(
		{
			nodes: [
				{
					name: 'Items',
					type: 'test.items',
					parameters: { items: JSON.stringify(args.items ?? [{}]) },
				},
				{
					name: nodeName,
					type: args.type.includes('.') ? args.type : `${PACKAGE_NAME}.${args.type}`,
					typeVersion: args.typeVersion ?? 1,
					parameters: args.parameters,
					credentials: args.credentials,
					...(args.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
				},
			],
			connections: { Items: { main: [[{ node: nodeName, type: 'main' as never, index: 0 }]] } },
		},
		args.credentialsHelper,
	);
	if (result.error) {
		return { ...result, items: [] };
	}
	return { ...result, items: result.output(nodeName) };
}

/** Calls a node's `methods.loadOptions[method]` or `methods.listSearch[method]` as n8n's UI would. */
export async function loadOptions(args: {
	type: string;
	method: string;
	kind?: 'loadOptions' | 'listSearch';
	parameters: INode['parameters'];
	credentials: Record<string, INodeCredentialsDetails>;
	credentialsHelper: TestCredentialsHelper;
	filter?: string;
	paginationToken?: string;
}): Promise<unknown> {
	const typeName = args.type.includes('.') ? args.type : `${PACKAGE_NAME}.${args.type}`;
	const nodeType = nodeTypes().getByNameAndVersion(typeName);
	const node: INode = {
		id: 'load-options',
		name: 'Node',
		type: typeName,
		typeVersion: 1,
		position: [0, 0],
		parameters: args.parameters,
		credentials: args.credentials,
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: nodeTypes(),
	});
	const context = new LoadOptionsContext(
		workflow,
		node,
		makeAdditionalData(args.credentialsHelper),
		'',
	);
	const kind = args.kind ?? 'loadOptions';
	const fn = (nodeType.methods?.[kind] as Record<string, (...a: unknown[]) => Promise<unknown>>)?.[
		args.method
	];
	if (!fn) throw new Error(`${typeName} has no ${kind}.${args.method}`);
	return kind === 'listSearch'
		? await fn.call(context, args.filter, args.paginationToken)
		: await fn.call(context);
}

/** Runs a polling trigger's `poll()` once with the given static data (kept across calls by the caller). */
export async function pollOnce(args: {
	type: string;
	parameters: INode['parameters'];
	credentials: Record<string, INodeCredentialsDetails>;
	credentialsHelper: TestCredentialsHelper;
	staticData: IDataObject;
	mode?: WorkflowExecuteMode;
	/**
	 * How the run a poll starts itself (`__emit` with a done promise) ends: n8n resolves the done
	 * promise with the finished run. Default: it succeeds.
	 */
	runOutcome?: 'success' | 'error';
}): Promise<INodeExecutionData[][] | null> {
	const typeName = args.type.includes('.') ? args.type : `${PACKAGE_NAME}.${args.type}`;
	const nodeType = nodeTypes().getByNameAndVersion(typeName);
	const node: INode = {
		id: 'poller',
		name: 'Poller',
		type: typeName,
		typeVersion: 1,
		position: [0, 0],
		parameters: args.parameters,
		credentials: args.credentials,
	};
	const workflow = new Workflow({
		id: 'poll-wf',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes: nodeTypes(),
		staticData: args.staticData,
	});
	const mode = args.mode ?? 'trigger';
	let emitted: INodeExecutionData[][] | null = null;
	const emit = (
		data: INodeExecutionData[][],
		_response?: unknown,
		done?: { resolve: (run: IRun | undefined) => void },
	) => {
		emitted = data;
		const failed = args.runOutcome === 'error';
		done?.resolve({
			data: { resultData: { runData: {}, ...(failed ? { error: new Error('run failed') } : {}) } },
			mode: 'trigger',
			startedAt: new Date(),
			storedAt: 'db',
			status: failed ? 'error' : 'success',
		} as unknown as IRun);
	};
	const context = new PollContext(
		workflow,
		node,
		makeAdditionalData(args.credentialsHelper),
		mode,
		mode === 'manual' ? 'manual' : 'activate',
		emit as never,
	);
	if (!nodeType.poll) throw new Error(`${typeName} has no poll()`);
	// What the poll returned, or what it started a run with itself.
	const result = (await nodeType.poll.call(context)) ?? emitted;
	// n8n saves changed static data after each poll; hand it back to the caller's object.
	// Snapshot first: the workflow's static data is a proxy over the caller's own object, so
	// clearing the caller's keys before copying would also clear what is being copied.
	const saved = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
	for (const key of Object.keys(args.staticData)) delete args.staticData[key];
	Object.assign(args.staticData, saved);
	return result;
}
