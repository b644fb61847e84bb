import { createHmac } from 'crypto';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { MarketoEndpointError, resolveMarketoEndpoints } from '../nodes/Marketo/transport/endpoint';
import { credentialMessages } from '../nodes/Marketo/transport/errors';
import { noteTokenReady, tokenWaitersPending } from '../nodes/Marketo/transport/tokenReady';
import {
	asStaleCredential,
	CredentialError,
	unreachableReason,
} from '../nodes/shared/credentialChecks';

/**
 * A message for the user as is; the node's transport recognises it by type (see CredentialError):
 * n8n wraps what preAuthentication throws in a NodeApiError whose `cause` is this error.
 */
function credentialError(message: string): CredentialError {
	return new CredentialError('MarketoCredentialError', message);
}

/**
 * Which settings a token was issued for: an HMAC, keyed by the client secret, of the endpoints and the
 * client ID (it reveals neither the secret nor the token). Stored next to the token by preAuthentication.
 */
function tokenBinding(credentials: ICredentialDataDecryptedObject): string {
	const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
	return createHmac('sha256', text(credentials.clientSecret))
		.update(
			JSON.stringify([
				text(credentials.restEndpoint),
				text(credentials.identityEndpoint),
				text(credentials.clientId),
			]),
		)
		.digest('hex')
		.slice(0, 32);
}

interface TokenResponse {
	access_token?: string;
	error?: string;
	error_description?: string;
}

/**
 * Marketo's 2-legged OAuth (client_credentials) against the Identity endpoint.
 *
 * The token lives in the hidden, expirable `accessToken` field: n8n calls `preAuthentication` when it is
 * empty and persists the result. Marketo answers an expired token with HTTP 200 + code 601/602 (not 401),
 * so n8n never refreshes on its own: the node's transport forces a refresh (see transport/request.ts).
 */
export class MarketoApi implements ICredentialType {
	name = 'marketoApi';

	displayName = 'Marketo API';

	icon: Icon = { light: 'file:marketo.svg', dark: 'file:marketo.dark.svg' };

	documentationUrl =
		'https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'REST API Endpoint',
			name: 'restEndpoint',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://123-ABC-456.mktorest.com/rest',
			description:
				'As shown in Marketo under Admin > Integration > Web Services > REST API. Accepted with or without /rest.',
		},
		{
			displayName: 'Identity Endpoint',
			name: 'identityEndpoint',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://123-ABC-456.mktorest.com/identity',
			description:
				'Leave empty to derive it from the REST API endpoint (same address, ending in /identity)',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'From Admin > Integration > LaunchPoint > your custom service > View Details',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Calls per 20 Seconds',
			name: 'callsPer20Seconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 100 },
			default: 100,
			description:
				'How many API calls this integration may make in any 20-second window. Marketo allows 100 per instance, shared by every integration; Adobe recommends 50 or fewer when others also call the API.',
		},
		{
			displayName: 'Concurrent Calls',
			name: 'maxConcurrentCalls',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 10 },
			default: 10,
			description:
				'How many API calls this integration may run at the same time. Marketo allows 10 per instance.',
		},
		{
			displayName: 'Processes Sharing This Instance',
			name: 'sharingProcesses',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 100 },
			default: 1,
			description:
				'In queue mode, how many n8n processes run Marketo nodes with this instance: every worker, plus the main process if it runs executions. Each takes an equal share of Calls per 20 Seconds and Concurrent Calls, and all slow down when Marketo answers 606 or 615. Leave 1 for a single n8n process.',
		},
		{
			displayName: 'Daily Call Cap',
			name: 'dailyCallCap',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description:
				"Stop the Marketo nodes with an error once this many API calls were made today (Marketo's usage report, read about once per 100 calls), so other integrations keep their part of the instance's daily quota (50 000 calls by default). 0 = no cap.",
		},
		{
			displayName: 'Daily Cap Counts Calls Of',
			name: 'dailyCapApiUser',
			type: 'string',
			default: '',
			placeholder: 'e.g. n8n-api@example.com',
			description:
				"Leave empty to count every call made to the instance today. Or the email of this custom service's API-only user, to count only its calls (as Admin > Web Services > API Call Information lists them).",
			displayOptions: { hide: { dailyCallCap: [0] } },
		},
		{
			// For the emulator only: scales Marketo's 20-second window and the retry back-off. Hidden, 1 by
			// default, and ignored unless the REST endpoint is on this machine (see transport/request.ts),
			// so it cannot make the node outrun a real Marketo instance's limits.
			displayName: 'Time Scale',
			name: 'timeScale',
			type: 'hidden',
			default: 1,
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			// See tokenBinding and authenticate: a stored token is used only with the settings it was issued for.
			displayName: 'Access Token Issued For',
			name: 'accessTokenFor',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		let identityUrl: string;
		try {
			({ identityUrl } = resolveMarketoEndpoints(
				credentials.restEndpoint,
				credentials.identityEndpoint,
			));
		} catch (error) {
			// A plain message for anything that is not a Marketo REST API endpoint.
			if (error instanceof MarketoEndpointError) throw credentialError(error.message);
			throw error;
		}
		const tokenUrl = `${identityUrl}/oauth/token`;
		if (!credentials.clientId || !credentials.clientSecret) {
			throw credentialError(credentialMessages.missingClient);
		}

		let response: IN8nHttpFullResponse;
		try {
			response = (await this.helpers.httpRequest({
				method: 'GET',
				url: tokenUrl,
				qs: {
					grant_type: 'client_credentials',
					client_id: credentials.clientId,
					client_secret: credentials.clientSecret,
				},
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: 30000,
			})) as IN8nHttpFullResponse;
		} catch (error) {
			// A new error on purpose: the original carries the request URL, whose query holds the secret.
			const { why } = unreachableReason(error);
			throw credentialError(credentialMessages.unreachable(tokenUrl, why));
		}

		const body = (
			typeof response.body === 'object' && response.body !== null ? response.body : {}
		) as TokenResponse;
		const status = response.statusCode;
		if ((status === 401 || status === 400) && body.error) {
			// Marketo answers a wrong Client ID or Secret with HTTP 401 {error:"invalid_client"|"unauthorized"}.
			throw credentialError(
				credentialMessages.rejectedClient(body.error_description ?? body.error),
			);
		}
		if (
			status >= 200 &&
			status < 300 &&
			typeof body.access_token === 'string' &&
			body.access_token
		) {
			return { accessToken: body.access_token, accessTokenFor: tokenBinding(credentials) };
		}
		throw credentialError(credentialMessages.noIdentityService(tokenUrl, status));
	}

	/**
	 * Sends the token only as an `Authorization: Bearer` header (Adobe is removing the access_token query
	 * parameter), and only with the settings it was issued for. n8n 2.40.7 tests a saved credential with
	 * the token stored from its last test: its "is this a credential test?" check compares the temporary
	 * node's type with 'n8n-nodes-base.noOp' while the node carries 'noOp', so preAuthentication is skipped
	 * and a secret edited to a wrong one would still pass. For a token issued for other settings this throws
	 * an error shaped like HTTP 401, on which n8n-core runs preAuthentication again with the current
	 * settings (wrong secret → its plain message) and retries the request once.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		if (!credentials.accessToken || credentials.accessTokenFor !== tokenBinding(credentials)) {
			throw asStaleCredential(credentialError(credentialMessages.staleToken));
		}
		requestOptions.headers = {
			...requestOptions.headers,
			Authorization: `Bearer ${credentials.accessToken as string}`,
		};
		// A batch run holds its other calls until the first one has its token (transport/tokenReady.ts).
		if (tokenWaitersPending()) {
			try {
				const { restUrl } = resolveMarketoEndpoints(
					credentials.restEndpoint,
					credentials.identityEndpoint,
				);
				noteTokenReady(restUrl.toLowerCase());
			} catch {
				// an endpoint that does not resolve has no batch run waiting on it
			}
		}
		return requestOptions;
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ $credentials.restEndpoint.trim().replace(/\\/+$/, "").replace(/\\/rest$/i, "").replace(/^(?![a-z]+:\\/\\/)/i, "https://") + "/rest" }}',
			// Cheap, and proves the role can read leads, which every operation of this package needs.
			url: '/v1/leads/describe2.json',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'success',
					value: false,
					message: credentialMessages.cannotDescribeLeads,
				},
			},
		],
	};
}
