import { createHmac } from 'crypto';
import type {
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeProperties,
} from 'n8n-workflow';

import {
	asStaleCredential,
	CredentialError,
	unreachableReason,
} from '../nodes/shared/credentialChecks';
import { credentialMessages as say } from '../nodes/SpotMe/transport/errors';
import { retryWhileBusy } from '../nodes/SpotMe/transport/pacing';
import {
	baseUrlOf,
	DEFAULT_BASE_URL,
	requestsPerSecondOf,
} from '../nodes/SpotMe/transport/settings';

/**
 * A message for the user as is; the node's transport recognises it by type (see CredentialError) and
 * reads `httpStatus` / `networkCode` to report it as it reports the same failure of any other call.
 */
function credentialError(
	message: string,
	details: { httpStatus?: number; networkCode?: string } = {},
): CredentialError {
	return new CredentialError('SpotMeCredentialError', message, details);
}

/**
 * Which base URL + token `GET /me` accepted: an HMAC-SHA256 of the base URL keyed by the token, cut to
 * 32 hex digits (enough to tell settings apart). Any hash of the token is only as hard to reverse as the
 * token is to guess; SpotMe's tokens are long random strings, so neither this nor a plain SHA-256 gives
 * it away, and n8n stores the field encrypted with the rest of the credential. Keyed by the token rather
 * than by a constant (which would be public in this source, so no secret at all), and with the base URL
 * in it, so the value proves nothing for another host and cannot be looked up in a table of token hashes.
 */
function verificationFor(credentials: ICredentialDataDecryptedObject): string {
	const token = typeof credentials.apiToken === 'string' ? credentials.apiToken : '';
	return createHmac('sha256', token)
		.update(JSON.stringify(['spotMeApi /me', baseUrlOf(credentials)]))
		.digest('hex')
		.slice(0, 32);
}

/**
 * SpotMe API token (personal token from Backstage > profile > API tokens; valid 5 years for every
 * workspace its owner can access). SpotMe authenticates with `Authorization: Bearer <token>`.
 *
 * Why a preAuthentication for a static token: n8n's credential dialog reports a network failure of the
 * declarative `test` request by its code alone ("ECONNREFUSED"), but shows what preAuthentication throws
 * as it is. So `GET /me` is called once by preAuthentication, which says in words what went wrong, and
 * its success is remembered in the hidden expirable `verifiedFor` (a keyed hash, never the token). The
 * cost is one extra `GET /me` per change of base URL or token, not per request.
 */
export class SpotMeApi implements ICredentialType {
	name = 'spotMeApi';

	displayName = 'SpotMe API';

	icon: Icon = { light: 'file:spotme.svg', dark: 'file:spotme.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-marketo-spotme/n8n-nodes-marketo-spotme#spotme-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'Personal API token from SpotMe Backstage: your initials (bottom left) > your name > API tokens > Create a token. It needs API Developer access, granted by your organization administrator.',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			description:
				'Change only for a regional or private SpotMe host. Routes such as /me and /workspace/{ID} are appended to it.',
		},
		{
			displayName: 'Organization ID',
			name: 'organizationId',
			type: 'string',
			default: '',
			description:
				'Optional. Your SpotMe organization ID, used to list workspaces in dropdowns and as the default for Workspace > Get Many.',
		},
		{
			displayName: 'Requests per Second',
			name: 'requestsPerSecond',
			type: 'number',
			typeOptions: { minValue: 0.1 },
			default: 3,
			description:
				'SpotMe allows 3 requests per second per token and answers 429 above that. Lower it if other tools share this token.',
		},
		{
			displayName: 'Burst',
			name: 'burst',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 5,
			description:
				'How many requests may be sent at once before the per-second pace applies (SpotMe allows bursts of 5)',
		},
		{
			displayName: 'Processes Sharing This Token',
			name: 'sharingProcesses',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 100 },
			default: 1,
			description:
				'In queue mode, how many n8n processes run SpotMe nodes with this token: every worker, plus the main process if it runs executions. Each takes an equal share of Requests per Second and Burst, and all slow down when SpotMe answers 429. Leave 1 for a single n8n process.',
		},
		{
			// Filled by preAuthentication once GET /me accepted the token at this base URL (see verificationFor).
			displayName: 'Verified For',
			name: 'verifiedFor',
			type: 'hidden',
			typeOptions: { expirable: true },
			default: '',
		},
	];

	/**
	 * `GET {baseUrl}/me` with the token, once per change of base URL or token (n8n runs this when
	 * `verifiedFor` is empty, and again when authenticate finds it stale). It throws a plain message for
	 * an unreachable host, a rejected token and an address without the SpotMe API.
	 *
	 * This call goes around the node transport's 3 requests/s throttle (the transport cannot see it):
	 * it is one call per credential change, made while the transport's lane for this credential waits
	 * (requests are sent one after another), so at most one request over the pace. Accepted.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const baseUrl = baseUrlOf(credentials);
		const token = typeof credentials.apiToken === 'string' ? credentials.apiToken.trim() : '';
		if (!token) throw credentialError(say.tokenMissing);
		if (/^bearer\s/i.test(token)) throw credentialError(say.tokenWithBearer);
		if (!/^https?:\/\/[^/\s]+/i.test(baseUrl) || /\s/.test(baseUrl)) {
			throw credentialError(say.baseUrlNotWebAddress(baseUrl));
		}

		// A 429 (SpotMe's 3/s, maybe shared with another tool) or a gateway hiccup is waited out by the
		// transport's retry rule, the same as for the node's requests.
		const response = await retryWhileBusy(requestsPerSecondOf(credentials), async () => {
			try {
				return (await this.helpers.httpRequest({
					method: 'GET',
					url: `${baseUrl}/me`,
					headers: {
						Accept: 'application/json',
						Authorization: `Bearer ${credentials.apiToken as string}`,
					},
					json: true,
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					timeout: 30000,
				})) as IN8nHttpFullResponse;
			} catch (error) {
				// A new error on purpose: the original carries the request, whose headers hold the token.
				const { why, code } = unreachableReason(error);
				throw credentialError(say.unreachable(baseUrl, why), { networkCode: code || undefined });
			}
		});

		const status = response.statusCode;
		const body = response.body;
		if (status === 401) throw credentialError(say.tokenRejected, { httpStatus: 401 });
		if (status === 403) throw credentialError(say.noApiAccess, { httpStatus: 403 });
		if (
			status >= 200 &&
			status < 300 &&
			typeof body === 'object' &&
			body !== null &&
			!Array.isArray(body)
		) {
			return { verifiedFor: verificationFor(credentials) };
		}
		if (status === 404 || (status >= 200 && status < 300)) {
			// 404, or a 2xx that is not JSON (a web page, a proxy's login form): not the SpotMe API.
			const detail = ` (GET /me answered HTTP ${status}${status === 404 ? '' : ' without SpotMe data'})`;
			throw credentialError(say.noApi(baseUrl, detail), { httpStatus: status });
		}
		throw credentialError(say.meAnswered(baseUrl, status), { httpStatus: status });
	}

	/**
	 * Adds `Authorization: Bearer <token>`, but only for the base URL + token that GET /me accepted.
	 * n8n 2.40.7 tests a saved credential with the `verifiedFor` stored from its last test (its "is this
	 * a credential test?" check never matches, so preAuthentication is skipped when the field is set),
	 * so after an edit this throws an error shaped like HTTP 401, on which n8n-core runs
	 * preAuthentication again with the current settings (its plain message on failure) and retries once.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		if (!credentials.verifiedFor || credentials.verifiedFor !== verificationFor(credentials)) {
			throw asStaleCredential(credentialError(say.verifiedForOtherSettings));
		}
		requestOptions.headers = {
			...requestOptions.headers,
			Authorization: `Bearer ${credentials.apiToken as string}`,
		};
		return requestOptions;
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/me',
			method: 'GET',
		},
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: say.tokenRejected } },
			{ type: 'responseCode', properties: { value: 403, message: say.noApiAccess } },
			{ type: 'responseCode', properties: { value: 404, message: say.noApi('this address') } },
		],
	};
}
