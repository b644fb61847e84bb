import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { expectedHeaderValue, headersWithoutSecret, secretMatches } from './trigger/webhookAuth';
import { parseMarketoDelivery } from './trigger/webhookBody';
import {
	DEFAULT_MAX_BODY_KB,
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
		version: 1,
		subtitle: '={{"Marketo webhook: " + $parameter["httpMethod"]}}',
		// n8n's node panel lists this trigger under the "Marketo" app entry and shows this description
		// there, so it is the Marketo node's own (the trigger is the app's "On new Marketo event").
		description: 'Create and update leads, program members and more in Adobe Marketo Engage',
		defaults: { name: 'Marketo Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: [
			{
				name: 'default',
				httpMethod: '={{$parameter["httpMethod"]}}',
				responseMode: '={{$parameter["responseMode"]}}',
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
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				// Nothing on Marketo's side can be looked up; n8n's own route is what `create` sets up.
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const authentication = this.getNodeParameter('authentication', 'headerSecret') as string;
				if (
					authentication === 'headerSecret' &&
					!(this.getNodeParameter('secret', '') as string).trim()
				) {
					throw new NodeOperationError(
						this.getNode(),
						'The Marketo Trigger has no Shared Secret: set one (and the same value as a custom header on the Marketo webhook), or set Authentication to None',
					);
				}
				this.logger.info(
					`Marketo Trigger "${this.getNode().name}" listens at ${this.getNodeWebhookUrl('default')}. Marketo has no webhook registration API: paste this URL into Admin > Integration > Webhooks.`,
				);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
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
		const authentication = this.getNodeParameter('authentication', 'headerSecret') as string;
		const headerName =
			(this.getNodeParameter('headerName', 'Authorization') as string) || 'Authorization';
		const options = this.getNodeParameter('options', {}) as {
			maxBodyKb?: number;
			repairJson?: boolean;
		};

		// 1. Authentication before anything else: an unauthenticated caller learns nothing about the body rules.
		if (authentication === 'headerSecret') {
			const secret = this.getNodeParameter('secret', '') as string;
			const received = headers[headerName.trim().toLowerCase()] as string | string[] | undefined;
			if (!secretMatches(received, expectedHeaderValue(headerName, secret))) {
				return refuse(
					res,
					401,
					'unauthorized',
					`Missing or wrong shared secret in the ${headerName} header. Set it on the Marketo webhook under Webhook Actions > Set Custom Header.`,
					headerName.trim().toLowerCase() === 'authorization'
						? { 'WWW-Authenticate': 'Bearer' }
						: {},
				);
			}
		}

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
		if (!parsed.ok) return refuse(res, 400, 'invalid_body', parsed.message);

		const item: IDataObject = {
			fields: parsed.fields,
			bodyFormat: parsed.format,
			repaired: parsed.repaired,
			repairs: parsed.repairs,
			method,
			query,
			headers: headersWithoutSecret(
				headers,
				authentication === 'headerSecret' ? headerName : undefined,
			),
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
