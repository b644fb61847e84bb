/**
 * One SpotMe API call: paced and sequential (pacing.ts), retried on 429/502/503/504 and on a dropped
 * connection, failures reported in plain words (errors.ts). The `spotMeApi` credential adds
 * `Authorization: Bearer <token>`; the token never enters an error message, a log or an output item.
 */
import {
	sleep,
	type IDataObject,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
} from 'n8n-workflow';

import {
	credentialFailureOf,
	isTransientNetworkFailure,
	knownNetworkCode,
} from '../../shared/credentialChecks';
import { answerError, credentialFailureError, unreachableError } from './errors';
import {
	emptyBucket,
	inSequence,
	laneFor,
	retryWhileBusy,
	takeToken,
	type SpotMeAnswer,
} from './pacing';
import { CREDENTIAL_TYPE, getSpotMeSettings, type SpotMeContext } from './settings';

/** Sends again after a dropped connection at most this often per call. */
const MAX_NETWORK_RETRIES = 2;

export interface SpotMeRequestOptions {
	/** Item the request belongs to, for the error. */
	itemIndex?: number;
	/** Message when SpotMe answers 404, e.g. "Person p1 not found in workspace w". */
	notFoundMessage?: string;
	/** Return undefined instead of failing on 404. */
	allowNotFound?: boolean;
}

/**
 * One SpotMe API call (path relative to the API base URL, e.g. `/workspace/{eid}`), paced,
 * sequential and retried on 429. Returns the parsed JSON body.
 */
export async function spotMeApiRequest(
	this: SpotMeContext,
	method: IHttpRequestMethods,
	path: string,
	body?: IDataObject | IDataObject[],
	qs?: IDataObject,
	options: SpotMeRequestOptions = {},
): Promise<unknown> {
	const settings = await getSpotMeSettings.call(this);
	const node = this.getNode();
	const lane = laneFor(settings);
	const request: IHttpRequestOptions = {
		method,
		url: `${settings.baseUrl}${path}`,
		json: true,
		headers: { Accept: 'application/json' },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: 120_000,
	};
	if (body !== undefined) request.body = body;
	if (qs && Object.keys(qs).length) request.qs = qs;

	return await inSequence(lane, async () => {
		let networkRetries = 0;
		const sendOnce = async (): Promise<SpotMeAnswer> => {
			for (;;) {
				await takeToken(lane, settings);
				try {
					return (await this.helpers.httpRequestWithAuthentication.call(
						this,
						CREDENTIAL_TYPE,
						request,
					)) as SpotMeAnswer;
				} catch (error) {
					// The credential's GET /me (preAuthentication, once per credential change) failed with an
					// answer: n8n wraps its error, which says what /me got.
					const fromCredential = credentialFailureOf(error);
					if (fromCredential && !fromCredential.networkCode) {
						throw credentialFailureError(node, fromCredential, options.itemIndex);
					}
					const e = error as { code?: unknown; cause?: { code?: unknown } };
					const code = knownNetworkCode(e.code, e.cause?.code, fromCredential?.networkCode);
					if (isTransientNetworkFailure(error, code) && networkRetries < MAX_NETWORK_RETRIES) {
						// A dropped connection: upserts by _id are idempotent, so sending again is safe.
						networkRetries++;
						await sleep(Math.ceil(1000 / settings.requestsPerSecond));
						continue;
					}
					throw unreachableError(node, settings.baseUrl, code, options.itemIndex);
				}
			}
		};

		const answer = await retryWhileBusy(settings.requestsPerSecond, sendOnce, () => {
			const advice = emptyBucket(lane, settings);
			if (advice) (this as { logger?: { warn(m: string): void } }).logger?.warn(advice);
		});
		const status = answer.statusCode;
		if (status >= 200 && status < 300) return answer.body;
		if (status === 404 && options.allowNotFound) return undefined;
		throw answerError(node, status, answer.body, { method, path, ...options });
	});
}
