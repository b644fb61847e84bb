import {
	NodeConnectionTypes,
	NodeOperationError,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IDataObject,
	type IHookFunctions,
	type INodeCredentialTestResult,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import {
	expectedHeaderValue,
	forgetSecrets,
	headersWithoutSecret,
	MIN_SECRET_LENGTH,
	recentSecret,
	rememberSecret,
	resolveAuth,
	secretKey,
	secretMatches,
} from './trigger/webhookAuth';
import { firstPlaceholder, notConfiguredMessage } from './trigger/webhookConfigured';
import { parseMarketoDelivery } from './trigger/webhookBody';
import {
	DEFAULT_MAX_BODY_KB,
	parameterFields,
	WEBHOOK_PATH,
	webhookTriggerProperties,
} from './trigger/webhookDescription';

interface RawBodyRequest {
	method?: string;
	/** Express keeps the request line's path and query as received. */
	originalUrl?: string;
	url?: string;
	body?: unknown;
	rawBody?: Buffer | string;
	readRawBody?: () => Promise<void>;
	query?: IDataObject;
}

interface PlainResponse {
	writeHead(status: number, headers: Record<string, string>): unknown;
	end(body: string): unknown;
}

/**
 * Answers the request itself and tells n8n not to start an execution. Uses only Node's core
 * `writeHead`/`end`, which n8n's Express response has too.
 */
function refuse(
	res: PlainResponse,
	status: number,
	error: string,
	message: string,
	extraHeaders: Record<string, string> = {},
): IWebhookResponseData {
	res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...extraHeaders });
	res.end(JSON.stringify({ error, message }));
	return { noWebhookResponse: true };
}

async function readRawBody(req: RawBodyRequest): Promise<string> {
	if (req.rawBody === undefined && typeof req.readRawBody === 'function') await req.readRawBody();
	if (Buffer.isBuffer(req.rawBody)) return req.rawBody.toString('utf8');
	if (typeof req.rawBody === 'string') return req.rawBody;
	if (typeof req.body === 'string') return req.body;
	return '';
}

export class MarketoTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Marketo Trigger',
		name: 'marketoTrigger',
		icon: { light: 'file:marketo.svg', dark: 'file:marketo.dark.svg' },
		group: ['trigger'],
		// 2: the secret in a Marketo Webhook credential by default (1 keeps the secret typed in the node)
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{"Marketo webhook: " + $parameter["httpMethod"]}}',
		// n8n's node panel lists this trigger under the "Marketo" app entry and shows this description
		// there, so it is the Marketo node's own (the trigger is the app's "On new Marketo event").
		description: 'Create and update leads, program members and more in Adobe Marketo Engage',
		defaults: { name: 'Marketo Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'marketoWebhookApi',
				required: true,
				testedBy: 'marketoWebhookSecret',
				displayOptions: { show: { authentication: ['credential'] } },
			},
		],
		webhooks: [
			{
				name: 'default',
				// '={{$parameter["httpMethod"]}}' and the same for responseMode, with native resolvers
				...(parameterFields(['httpMethod', 'responseMode']) as {
					httpMethod: string;
					responseMode: string;
				}),
				// Marketo's Response Mappings read one JSON object
				responseData: 'firstEntryJson',
				path: WEBHOOK_PATH,
			},
		],
		properties: webhookTriggerProperties,
	};

	/**
	 * Marketo has no API to create, list or delete webhooks (they exist only in Admin > Webhooks),
	 * so these methods register nothing there. They say so in n8n's log, and `create` refuses to
	 * activate a workflow whose secret is missing rather than accept every caller.
	 */
	methods = {
		credentialTest: {
			/** Nothing to call (Marketo sends the secret to n8n): checks that it is usable. */
			async marketoWebhookSecret(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const data = credential.data ?? {};
				const header = String(data.headerName ?? '').trim();
				const secret = String(data.secret ?? '').trim();
				if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(header))
					return {
						status: 'Error',
						message: `Header Name "${header}" is not a valid HTTP header name (letters, digits and - only, e.g. Authorization or X-Marketo-Secret)`,
					};
				if (secret.length < MIN_SECRET_LENGTH)
					return {
						status: 'Error',
						message: `The Shared Secret has ${secret.length} characters; use a random value of at least ${MIN_SECRET_LENGTH}`,
					};
				return { status: 'OK', message: 'The secret is usable: enter the same value in Marketo' };
			},
		},
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				// Nothing on Marketo's side can be looked up; n8n's own route is what `create` sets up.
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				forgetSecrets();
				const auth = await resolveAuth(this);
				if (auth.kind === 'refuse') throw new NodeOperationError(this.getNode(), auth.problem);
				if (auth.kind === 'secret' && auth.legacy)
					this.logger.warn(
						`Marketo Trigger "${this.getNode().name}" keeps its shared secret in the workflow (Authentication "Shared Secret in a Header (Legacy)"): move it into a Marketo Webhook credential so it is not exported with the workflow.`,
					);
				this.logger.info(
					`Marketo Trigger "${this.getNode().name}" listens at ${this.getNodeWebhookUrl('default')}. Marketo has no webhook registration API: paste this URL into Admin > Integration > Webhooks.`,
				);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				forgetSecrets();
				this.logger.info(
					`Marketo Trigger "${this.getNode().name}" stopped listening. Marketo has no webhook API, so its webhook still exists: deactivate the Smart Campaign or delete the webhook in Admin > Integration > Webhooks.`,
				);
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject() as unknown as RawBodyRequest;
		const res = this.getResponseObject() as unknown as PlainResponse;
		const headers = this.getHeaderData() as IDataObject;
		const options = this.getNodeParameter('options', {}) as {
			maxBodyKb?: number;
			repairJson?: boolean;
		};

		// 1. Authentication before anything else: an unauthenticated caller learns nothing about the body rules.
		// A header that matches the secret read for a delivery moments ago needs no new read.
		const matches = (auth: { headerName: string; secret: string }) =>
			secretMatches(
				headers[auth.headerName.trim().toLowerCase()] as string | string[] | undefined,
				expectedHeaderValue(auth.headerName, auth.secret),
			);
		const key = secretKey(
			this.getWorkflow().id,
			this.getNode() as { name: string; credentials?: Record<string, { id: string | null }> },
			this.getNodeParameter('authentication', 'credential') as string,
		);
		const recent = recentSecret(key, Date.now());
		let headerName: string | undefined = recent?.headerName;
		if (!recent || !matches(recent)) {
			const auth = await resolveAuth(this);
			if (auth.kind === 'refuse') return refuse(res, 401, 'unauthorized', auth.problem);
			headerName = auth.kind === 'secret' ? auth.headerName : undefined;
			if (auth.kind === 'secret') {
				if (!matches(auth)) {
					return refuse(
						res,
						401,
						'unauthorized',
						`Missing or wrong shared secret in the ${auth.headerName} header. Set it on the Marketo webhook under Webhook Actions > Set Custom Header.`,
						auth.headerName.trim().toLowerCase() === 'authorization'
							? { 'WWW-Authenticate': 'Bearer' }
							: {},
					);
				}
				rememberSecret(key, auth, Date.now());
			}
		}

		// 1b. A workflow still holding its Settings placeholders would fail later with a bare 500.
		const placeholder = firstPlaceholder(
			this.getChildNodes(this.getNode().name, { includeNodeParameters: true }) as Array<{
				name: string;
				disabled?: boolean;
				parameters?: IDataObject;
			}>,
		);
		if (placeholder) return refuse(res, 409, 'not_configured', notConfiguredMessage(placeholder));

		// 2. Size limit (n8n's own N8N_PAYLOAD_SIZE_MAX still applies above this).
		const rawBody = await readRawBody(req);
		const maxBytes = Math.max(1, options.maxBodyKb ?? DEFAULT_MAX_BODY_KB) * 1024;
		const size = Buffer.byteLength(rawBody, 'utf8');
		if (size > maxBytes) {
			return refuse(
				res,
				413,
				'payload_too_large',
				`The body is ${size} bytes; this Marketo Trigger accepts at most ${maxBytes} bytes (option Max Body Size).`,
			);
		}

		// 3. Parse (and repair where the intent is unambiguous); never start on an unreadable body.
		const query = (this.getQueryData() ?? {}) as IDataObject;
		const method = req.method ?? (this.getNodeParameter('httpMethod', 'POST') as string);
		const contentType = headers['content-type'] as string | undefined;
		const url = req.originalUrl ?? req.url ?? '';
		const parsed = parseMarketoDelivery({
			method,
			contentType,
			rawBody,
			parsedBody: req.body,
			query,
			rawQuery: url.includes('?') ? url.slice(url.indexOf('?') + 1) : undefined,
			repair: options.repairJson !== false,
		});
		if (!parsed.ok) return refuse(res, 400, parsed.error ?? 'invalid_body', parsed.message);

		const item: IDataObject = {
			fields: parsed.fields,
			bodyFormat: parsed.format,
			repaired: parsed.repaired,
			repairs: parsed.repairs,
			method,
			query,
			headers: headersWithoutSecret(headers, headerName),
			rawBody,
		};

		const responseMode = this.getNodeParameter('responseMode', 'onReceived') as string;
		return {
			workflowData: [this.helpers.returnJsonArray([item])],
			// Only for "Immediately": older n8n versions send webhookResponse at once in any mode.
			...(responseMode === 'onReceived' ? { webhookResponse: { received: true } } : {}),
		};
	}
}
