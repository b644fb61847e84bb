/**
 * The only door from the SpotMe node to the network.
 *
 * - settings.ts: what the `spotMeApi` credential says (base URL, pace), with SpotMe's defaults.
 * - pacing.ts: 3 requests/s with bursts of 5 per token, one request at a time per credential + host,
 *   and the retry rule for 429/502/503/504 (Retry-After honoured).
 * - request.ts: `spotMeApiRequest`, one paced, retried call.
 * - errors.ts: every message the node and its credential show.
 * - documents.ts: global documents, upserted in batches of ≤ 5 000 / 5 MB, and changes since a cursor.
 */
export { parseRetryAfter } from '../../shared/credentialChecks';
export {
	CREDENTIAL_TYPE,
	DEFAULT_BASE_URL,
	getSpotMeSettings,
	type SpotMeContext,
	type SpotMeSettings,
} from './settings';
export { spotMeApiRequest, type SpotMeRequestOptions } from './request';
export {
	MAX_BYTES_PER_CALL,
	MAX_DOCS_PER_CALL,
	formatSince,
	getChangesSince,
	upsertDocuments,
	type DocResult,
	type SinceFormat,
} from './documents';
