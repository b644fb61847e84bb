/**
 * Every message the SpotMe node and its credential show, in one place: the credential's GET /me check
 * (shown as is in n8n's credential dialog) and the node's errors, rebuilt from plain facts (status,
 * SpotMe's message, method and relative path), never from request options, so the token cannot
 * travel with them.
 */
import { NodeApiError, type IDataObject, type INode, type JsonObject } from 'n8n-workflow';

import type { CredentialError } from '../../shared/credentialChecks';
import { MAX_RETRIES, isRetryableStatus } from './pacing';
import { DEFAULT_BASE_URL } from './settings';

const CHECK_BASE_URL = `Check the API Base URL (default ${DEFAULT_BASE_URL})`;
const CAN_REACH = 'and that this n8n instance can reach it.';
const TOKEN_REJECTED = 'SpotMe rejected the API token';
const NEW_TOKEN =
	'create a new token in Backstage (profile > API tokens) and paste it without the word "Bearer".';
const NO_API_ACCESS =
	'The token is valid but has no API access. Ask your SpotMe organization administrator for API Developer access.';

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** What the credential says, as n8n's credential dialog shows it. */
export const credentialMessages = {
	tokenMissing: 'Enter the SpotMe API token (Backstage: your initials > your name > API tokens)',
	tokenWithBearer: 'Paste the SpotMe API token without the word "Bearer" in front of it',
	baseUrlNotWebAddress: (baseUrl: string) =>
		`The API Base URL must be a web address such as ${DEFAULT_BASE_URL} (got "${baseUrl.slice(0, 200)}")`,
	unreachable: (baseUrl: string, why: string) =>
		`Could not reach SpotMe at ${baseUrl}: ${why}. ${CHECK_BASE_URL} ${CAN_REACH}`,
	tokenRejected: `${TOKEN_REJECTED}. ${capitalised(NEW_TOKEN)}`,
	noApiAccess: NO_API_ACCESS,
	/** `where` is the base URL, or "this address" where the URL is not at hand (the test's rules). */
	noApi: (where: string, detail = '') => `No SpotMe API at ${where}${detail}. ${CHECK_BASE_URL}.`,
	meAnswered: (baseUrl: string, status: number) =>
		`SpotMe answered HTTP ${status} to GET ${baseUrl}/me${isRetryableStatus(status) ? ` after ${MAX_RETRIES} retries` : ''}. Try again later; if it persists, ${CHECK_BASE_URL.charAt(0).toLowerCase()}${CHECK_BASE_URL.slice(1)} ${CAN_REACH}`,
	verifiedForOtherSettings:
		'The SpotMe API token was verified for other settings: it must be verified again',
};

/** SpotMe's own explanation in an error answer, if it gave one. */
export function spotMeMessage(body: unknown): string | undefined {
	if (!body) return undefined;
	if (typeof body === 'string') return body.slice(0, 300);
	const b = body as IDataObject;
	const raw = b.error ?? b.message ?? b.reason;
	if (typeof raw === 'string') return raw;
	if (raw && typeof raw === 'object') {
		const inner = (raw as IDataObject).message;
		if (typeof inner === 'string') return inner;
	}
	return undefined;
}

export function apiError(
	node: INode,
	status: number | undefined,
	message: string,
	description: string | undefined,
	itemIndex: number | undefined,
): NodeApiError {
	// Built from plain strings only, so no request headers (the token) travel with the error.
	const payload: JsonObject = { message, ...(status ? { httpCode: String(status) } : {}) };
	return new NodeApiError(node, payload, {
		message,
		description,
		...(status ? { httpCode: String(status) } : {}),
		...(itemIndex !== undefined ? { itemIndex } : {}),
	});
}

function tokenRejected(node: INode, itemIndex: number | undefined): NodeApiError {
	return apiError(
		node,
		401,
		TOKEN_REJECTED,
		`Check the SpotMe credential: ${NEW_TOKEN}`,
		itemIndex,
	);
}

/**
 * The credential's GET /me (preAuthentication) got an answer that makes it unusable: reported as the
 * same answer to this call would be.
 */
export function credentialFailureError(
	node: INode,
	failure: CredentialError,
	itemIndex: number | undefined,
): NodeApiError {
	if (failure.httpStatus === 401) return tokenRejected(node, itemIndex);
	return apiError(
		node,
		failure.httpStatus,
		failure.message || 'The SpotMe credential is not usable',
		'Fix the SpotMe API credential, then run the node again.',
		itemIndex,
	);
}

export function unreachableError(
	node: INode,
	baseUrl: string,
	networkCode: string,
	itemIndex: number | undefined,
): NodeApiError {
	return apiError(
		node,
		undefined,
		// The network code goes in the description: n8n rewrites messages that contain one.
		`Could not reach SpotMe at ${baseUrl}`,
		`Check the API Base URL in the SpotMe credential (default ${DEFAULT_BASE_URL}) ${CAN_REACH}${networkCode ? ` Network error: ${networkCode}.` : ''}`,
		itemIndex,
	);
}

export interface AnswerContext {
	method: string;
	path: string;
	itemIndex?: number;
	/** Message when SpotMe answers 404, e.g. "Person p1 not found in workspace w". */
	notFoundMessage?: string;
}

/** The error for an answer that is not 2xx, once retries are spent. */
export function answerError(
	node: INode,
	status: number,
	body: unknown,
	{ method, path, itemIndex, notFoundMessage }: AnswerContext,
): NodeApiError {
	const said = spotMeMessage(body);
	switch (status) {
		case 401:
			return tokenRejected(node, itemIndex);
		case 403:
			return apiError(
				node,
				status,
				'The SpotMe token has no access to this resource',
				`${said ?? ''} The token works for the workspaces its owner can access and needs API Developer access.`.trim(),
				itemIndex,
			);
		case 404:
			return apiError(
				node,
				status,
				notFoundMessage ?? `SpotMe found nothing at ${method} ${path}`,
				said,
				itemIndex,
			);
		case 413:
			return apiError(node, status, 'SpotMe refused the request as too large', said, itemIndex);
		case 429:
			return apiError(
				node,
				status,
				`SpotMe kept answering 429 (too many requests) after ${MAX_RETRIES} retries`,
				'Another tool may share this token. Lower "Requests per Second" in the SpotMe credential.',
				itemIndex,
			);
		default:
			return apiError(
				node,
				status,
				`SpotMe answered ${status} to ${method} ${path}${said ? `: ${said}` : ''}`,
				said,
				itemIndex,
			);
	}
}
