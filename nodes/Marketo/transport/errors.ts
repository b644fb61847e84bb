import { NodeApiError, type INode, type JsonObject } from 'n8n-workflow';

import { serviceErrorCode, tagServiceError } from '../../shared/kit/errors';

/** Marketo's response- and record-level error: `{code:"606", message:"..."}` (codes are strings). */
export interface MarketoErrorDetail {
	code: string;
	message: string;
}

/**
 * Codes worth another attempt after a pause (Adobe's error-code table):
 * 502 bad gateway/timeout, 604 request time-out, 606 rate limit, 608 temporarily unavailable,
 * 611 system error, 614 subscription temporarily inaccessible, 615 concurrency limit,
 * 713 transient error, 719 lock wait timeout.
 */
export const RETRYABLE_CODES = new Set([
	'502',
	'604',
	'606',
	'608',
	'611',
	'614',
	'615',
	'713',
	'719',
]);

/** 601 token invalid / 602 token expired: get a fresh token and send the same call once more. */
export const TOKEN_CODES = new Set(['601', '602']);

/** Plain messages for codes that no retry can fix within this execution. */
export const FATAL_MESSAGES: Record<string, string> = {
	'607':
		"Marketo's daily API quota is used up (607). It resets at midnight US Central time; see Admin > Web Services for today's usage",
	'1029':
		'Marketo has too many jobs queued or the daily export quota is used up (1029). Try again later or after midnight US Central time',
	'603':
		'Marketo denied access (603): give the API-only user of this custom service a role with the needed API permissions, or check the IP allowlist',
	// Thrown only after a fresh token was refused too: every later call would be, so the run stops once.
	'601':
		'Marketo refuses even a fresh access token (601): check the Client ID and Client Secret in the Marketo API credential, and that the API-only user is active',
};

/** Builds the NodeApiError for a Marketo error code; the message never contains a token or secret. */
export function marketoApiError(
	node: INode,
	detail: MarketoErrorDetail,
	extra: { requestId?: string; itemIndex?: number; path?: string } = {},
): NodeApiError {
	const message =
		FATAL_MESSAGES[detail.code] ?? `Marketo answered ${detail.code}: ${detail.message}`;
	const error = new NodeApiError(
		node,
		{ ...detail, requestId: extra.requestId ?? null } as JsonObject,
		{
			message,
			description: extra.requestId
				? `Marketo request id ${extra.requestId}${extra.path ? ` (${extra.path})` : ''}; quote it to Adobe support if the problem persists`
				: undefined,
			itemIndex: extra.itemIndex,
		},
	);
	return tagServiceError(error, detail.code, detail.message);
}

/** The Marketo code an error carries, if it came from Marketo. */
export const marketoErrorCode = serviceErrorCode;

/**
 * What the Marketo credential says when it cannot get a token, in one place: n8n shows these words as
 * they are in the credential dialog and, through the transport, in a node's error.
 */
export const credentialMessages = {
	missingClient:
		'Enter the Client ID and Client Secret of the Marketo custom service (Admin > LaunchPoint > View Details)',
	unreachable: (tokenUrl: string, why: string) =>
		`Could not reach Marketo's Identity endpoint at ${tokenUrl}: ${why}. ${CHECK_ENDPOINT}`,
	rejectedClient: (detail: string) =>
		`Marketo rejected the Client ID or Client Secret (${detail}). Copy both again from Admin > LaunchPoint > your custom service > View Details.`,
	noIdentityService: (tokenUrl: string, status: number) =>
		`No Marketo Identity service answered at ${tokenUrl} (HTTP ${status}). ${CHECK_ENDPOINT}`,
	staleToken: 'The stored Marketo access token was issued for other settings: a new one is needed',
	cannotDescribeLeads:
		'Marketo issued a token but refused to describe leads: give the API-only user of this custom service a role with at least Read-Only Lead API access (Admin > Users & Roles)',
};

const CHECK_ENDPOINT =
	'Check the REST API endpoint: it should be the address shown in Admin > Web Services, e.g. https://123-ABC-456.mktorest.com/rest.';
