import {
	NodeApiError,
	sleep,
	type IDataObject,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type JsonObject,
} from 'n8n-workflow';

import { credentialFailureOf, isTransientNetworkCode } from '../../shared/credentialChecks';
import {
	FATAL_MESSAGES,
	RETRYABLE_CODES,
	TOKEN_CODES,
	marketoApiError,
	type MarketoErrorDetail,
} from './errors';
import {
	CREDENTIAL_TYPE,
	getMarketoSettings,
	type MarketoContext,
	type MarketoSettings,
	type MarketoTiming,
} from './settings';
import { describeHttpFailure, leavesOutcomeUnknown, markOutcomeUnknown } from './outcome';
import { logger } from './log';
import { freshTokenOptions, tokenRefreshFor } from './token';
import { acquireCallSlot, checkDailyCap, explainRefusals, noteRateLimited } from './throttle';

// Defined in settings.ts since the split; re-exported for the files that import them from here.
export { getMarketoSettings, type MarketoContext, type MarketoSettings } from './settings';

export interface MarketoRequestOptions {
	/** JSON body. */
	body?: IDataObject | IDataObject[];
	/** Query parameters; arrays are sent comma-separated, as Marketo expects. */
	qs?: IDataObject;
	/** Form-encoded body (Asset API writes such as My Tokens and program clone). */
	form?: IDataObject;
	/** For error messages: the n8n item this call is for. */
	itemIndex?: number;
	/**
	 * A write that must not be sent twice (createOrUpdate): when its answer is lost (dropped connection,
	 * time-out, 5xx, 604) it is not retried but thrown marked `isOutcomeUnknown`, for the caller to
	 * find out what Marketo holds.
	 */
	notRepeatable?: boolean;
	/** This call's time-out (ms), when not the transport's (e.g. a write's, see exactlyOnce.ts). */
	timeoutMs?: number;
}

/** Marketo's envelope (Lead DB and Asset API). */
export interface MarketoResponse extends IDataObject {
	requestId?: string;
	success?: boolean;
	result?: IDataObject[];
	errors?: MarketoErrorDetail[];
	warnings?: Array<string | IDataObject>;
	moreResult?: boolean;
	nextPageToken?: string;
}

/** URLs longer than this go as POST `?_method=GET` with a form body (Marketo answers 414 past 8 KB). */
export const MAX_GET_URL_LENGTH = 7000;

function encodeQuery(qs: IDataObject | undefined): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(qs ?? {})) {
		if (value === undefined || value === null || value === '') continue;
		if (Array.isArray(value)) out[key] = value.map((v) => String(v)).join(',');
		else if (typeof value === 'object') out[key] = JSON.stringify(value);
		else out[key] = String(value);
	}
	return out;
}

/** Exponential back-off with full jitter: base·2^(attempt-1), capped, random in [half, full]. */
export function backoffDelay(attempt: number, timing: MarketoTiming, code?: string): number {
	const exp = Math.min(timing.maxDelayMs, timing.baseDelayMs * 2 ** Math.max(0, attempt - 1));
	let delay = exp / 2 + (Math.random() * exp) / 2;
	// 606: the 20 s window is full; waiting less than a slice of it mostly earns another 606.
	if (code === '606')
		delay = Math.max(delay, timing.windowMs / 10 + Math.random() * (timing.windowMs / 10));
	return Math.max(1, Math.round(delay));
}

/**
 * One Marketo call, with everything Marketo needs around it:
 * the instance-wide throttle, `success:false` read as an error with Marketo's code, a fresh token and one
 * more try on 601/602, back-off with jitter on the transient codes, HTTP 5xx and time-outs (bounded in
 * attempts and in total wait), and a plain, immediate failure on 607 (daily quota) and 1029.
 *
 * `path` is relative to the REST endpoint: `/v1/leads.json`, `/asset/v1/program/1.json`.
 */
export async function marketoApiRequest(
	this: MarketoContext,
	method: IHttpRequestMethods,
	path: string,
	options: MarketoRequestOptions = {},
	settings?: MarketoSettings,
): Promise<MarketoResponse> {
	const node = this.getNode();
	const s = settings ?? (await getMarketoSettings.call(this));
	const { timing } = s;
	await checkDailyCap.call(this, s, marketoApiRequest, path, options.itemIndex);

	let sendMethod = method;
	let query = encodeQuery(options.qs);
	let form = options.form ? encodeQuery(options.form) : undefined;
	const url = `${s.endpoints.restUrl}${path.startsWith('/') ? path : `/${path}`}`;
	if (
		method === 'GET' &&
		url.length + new URLSearchParams(query).toString().length + 1 > MAX_GET_URL_LENGTH
	) {
		// Marketo rejects URLs over 8 KB with 414; the documented way out is POST ?_method=GET with a form body.
		sendMethod = 'POST';
		form = query;
		query = { _method: 'GET' };
	}

	let attempt = 0;
	let waited = 0;
	let refreshedToken = false;
	let lastSentAt = 0;
	let tokenRefreshes = 0;
	let tokenRetries = 0;
	let lastFailure = '';
	let lastTokenFailure: { detail: MarketoErrorDetail; requestId?: string } | undefined;
	for (;;) {
		attempt++;
		const request: IHttpRequestOptions = {
			method: sendMethod,
			url,
			qs: query,
			timeout: options.timeoutMs ?? timing.timeoutMs,
			json: true,
		};
		if (form) {
			request.body = new URLSearchParams(form).toString();
			request.headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
		} else if (options.body !== undefined) {
			request.body = options.body as IDataObject;
			request.headers = { 'Content-Type': 'application/json' };
		}

		let response: MarketoResponse | undefined;
		let retryCode: string | undefined;
		const refresh = refreshedToken ? await tokenRefreshFor(s.instanceKey, lastSentAt) : undefined;
		refreshedToken = false;
		if (refresh === 'refused') {
			// Another call fetched a fresh token meanwhile and Marketo refused that one too (601).
			const failure = lastTokenFailure ?? {
				detail: { code: '601', message: 'Access token invalid' },
			};
			throw marketoApiError(node, failure.detail, {
				requestId: failure.requestId,
				itemIndex: options.itemIndex,
				path,
			});
		}
		// Only a refresh this call forces counts: a retry with a token another call just fetched does not.
		if (refresh) tokenRefreshes++;
		const release = await acquireCallSlot(s.instanceKey, s.budget);
		const sentAt = Date.now();
		lastSentAt = sentAt;
		try {
			const additional = refresh ? await freshTokenOptions.call(this) : undefined;
			if (refresh) logger(this)?.info(`Marketo: fetching a fresh access token (${path})`);
			const raw = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				CREDENTIAL_TYPE,
				request,
				additional,
			)) as unknown;
			response = (typeof raw === 'string' ? safeJson(raw) : raw) as MarketoResponse;
		} catch (error) {
			const failure = describeHttpFailure(error);
			if (failure.status !== undefined && (failure.status >= 500 || failure.status === 429)) {
				retryCode = `HTTP ${failure.status}`;
			} else if (
				failure.status === undefined &&
				failure.code &&
				isTransientNetworkCode(failure.code)
			) {
				retryCode = failure.code;
			} else if (
				failure.status === undefined &&
				/timeout|socket hang up/i.test((error as Error)?.message ?? '')
			) {
				retryCode = 'timeout';
			} else {
				// A new error on purpose: n8n's carries the request config, whose headers hold the token.
				// The credential's own failure (its preAuthentication) is shown as the credential worded it.
				const fromCredential = credentialFailureOf(error);
				throw new NodeApiError(
					node,
					{
						message: fromCredential?.message ?? '',
						httpCode: failure.status ?? null,
					} as JsonObject,
					{
						message: fromCredential
							? fromCredential.message
							: failure.status !== undefined
								? `Marketo answered HTTP ${failure.status} to ${sendMethod} ${path}`
								: `Could not reach Marketo at ${s.endpoints.restUrl}`,
						// The network code goes in the description: n8n replaces a message that contains one
						// (ECONNREFUSED...) with a generic text that no longer says which address failed.
						description: fromCredential
							? 'Fix the Marketo API credential, then run the node again'
							: failure.status === 413
								? 'The request body is over 1 MB; send fewer or smaller records per item'
								: `Check the REST API Endpoint in the Marketo API credential${failure.code ? ` (network error: ${failure.code})` : ''}`,
						itemIndex: options.itemIndex,
						httpCode: failure.status !== undefined ? String(failure.status) : undefined,
					},
				);
			}
			lastFailure = retryCode;
		} finally {
			release();
			refresh?.(response?.success === false && firstError(response).code === '601');
		}

		if (response && response.success === false) {
			const detail = firstError(response);
			if (TOKEN_CODES.has(detail.code)) {
				// 601/602 arrive with HTTP 200, so n8n's own refresh (HTTP 401) never fires: force one.
				// Once per call normally; a second time only if the token expired again during long back-offs.
				// A fresh token that is still refused (601) will not be accepted by more tries.
				if (tokenRefreshes < (detail.code === '601' ? 1 : 2) && ++tokenRetries <= 4) {
					refreshedToken = true;
					lastTokenFailure = { detail, requestId: response.requestId };
					attempt--;
					continue;
				}
				throw marketoApiError(node, detail, {
					requestId: response.requestId,
					itemIndex: options.itemIndex,
					path,
				});
			}
			if (FATAL_MESSAGES[detail.code] || !RETRYABLE_CODES.has(detail.code)) {
				throw marketoApiError(node, detail, {
					requestId: response.requestId,
					itemIndex: options.itemIndex,
					path,
				});
			}
			retryCode = detail.code;
			lastFailure = `${detail.code} ${detail.message}`;
			response = undefined;
			noteRateLimited(s.instanceKey, retryCode, s.budget, (m) => logger(this)?.warn(m));
		}
		if (response) return response;
		if (options.notRepeatable && leavesOutcomeUnknown(retryCode)) {
			const error = marketoApiError(
				node,
				{ code: /^\d+$/.test(retryCode ?? '') ? (retryCode as string) : '0', message: lastFailure },
				{ itemIndex: options.itemIndex, path },
			);
			error.message = `Marketo's answer to ${sendMethod} ${path} was lost (${lastFailure}); the records may have been written`;
			throw markOutcomeUnknown(error, sentAt);
		}

		const delay = backoffDelay(attempt, timing, retryCode);
		if (attempt >= timing.maxAttempts || waited + delay > timing.maxTotalWaitMs) {
			const detail = {
				code: /^\d+$/.test(retryCode ?? '') ? (retryCode as string) : '0',
				message: lastFailure,
			};
			const error = marketoApiError(node, detail, { itemIndex: options.itemIndex, path });
			error.message = `Marketo kept failing ${sendMethod} ${path} after ${attempt} attempts (last: ${lastFailure})`;
			explainRefusals(error, s.instanceKey, retryCode, s.budget);
			throw error;
		}
		waited += delay;
		// Visible waits: why a run takes long (606/615 back-offs, 5xx, time-outs). No token in it.
		logger(this)?.info(
			`Marketo: ${sendMethod} ${path} answered ${lastFailure}; waiting ${delay} ms before attempt ${attempt + 1}`,
		);
		await sleep(delay);
	}
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return {
			success: false,
			errors: [{ code: '0', message: 'Marketo answered with something that is not JSON' }],
		};
	}
}

function firstError(response: MarketoResponse): MarketoErrorDetail {
	const first = Array.isArray(response.errors) ? response.errors[0] : undefined;
	return {
		code: String(first?.code ?? '0'),
		message: String(first?.message ?? 'Marketo reported success:false without an error'),
	};
}
