/**
 * The only door to Marketo's API. Operations, dropdowns and triggers call these; nothing else does HTTP.
 *
 * - settings: endpoints, throttle budget and retry timing from the credential.
 * - `marketoApiRequest(method, path, { body, qs, form })`: one call with throttle, token refresh, retries.
 * - `marketoApiRequestAllItems` / `marketoApiRequestAllPages`: Lead-database paging (nextPageToken).
 * - `marketoAssetRequestAllItems`: Asset API paging (offset/maxReturn until "No assets found").
 * - `marketoBatchRequest`: ≤300 records per call, per-record results mapped back to n8n items.
 */
export * from './settings';
export * from './request';
export * from './pagination';
export * from './batch';
export * from './errors';
export { customObjectsOnce, leadsOnce, nameDuplicates, type ExactlyOnceRule } from './exactlyOnce';
export { isOutcomeUnknown } from './outcome';
export { acquireCallSlot, throttleSnapshot, type ThrottleBudget } from './throttle';
