import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import {
	getMarketoSettings,
	marketoApiRequest,
	type MarketoContext,
	type MarketoRequestOptions,
	type MarketoResponse,
} from './request';

export interface PageOptions {
	/** Stop once this many records were collected (Return All off). */
	limit?: number;
	/** Stop after this many pages (a poll should not run forever on `moreResult:true`). */
	maxPages?: number;
	/** Start from this token instead of the first page. */
	nextPageToken?: string;
	/** Send the token in the JSON body instead of the query (POST `?_method=GET` queries). */
	tokenInBody?: boolean;
	/**
	 * Gets each page as it arrives instead of collecting them; answers whether to read on (false
	 * stops, e.g. once every item has its records).
	 */
	onPage?: (page: IDataObject[]) => boolean;
}

export interface PagedResult {
	items: IDataObject[];
	/** The token of the last response: where the next read continues (activities cursors). */
	nextPageToken?: string;
	/** True when Marketo said there is more than was read (limit/maxPages reached). */
	moreResult: boolean;
	pages: number;
}

/**
 * Lead-database paging: pass `nextPageToken` back unchanged while there is more.
 * Activity pages may be empty while `moreResult` is true, so an empty page does not end the loop;
 * queries such as leads.json only send a token (no `moreResult`) when another page exists.
 */
export async function marketoApiRequestAllPages(
	this: MarketoContext,
	method: IHttpRequestMethods,
	path: string,
	options: MarketoRequestOptions = {},
	pageOptions: PageOptions = {},
): Promise<PagedResult> {
	const settings = await getMarketoSettings.call(this);
	const items: IDataObject[] = [];
	let token = pageOptions.nextPageToken;
	let pages = 0;
	for (;;) {
		const qs = { ...(options.qs ?? {}) };
		let body = options.body;
		if (token && pageOptions.tokenInBody) body = { ...(body as IDataObject), nextPageToken: token };
		else if (token) qs.nextPageToken = token;
		const response: MarketoResponse = await marketoApiRequest.call(
			this,
			method,
			path,
			{ ...options, qs, body },
			settings,
		);
		pages++;
		const result = Array.isArray(response.result) ? response.result : [];
		const wanted = pageOptions.onPage ? pageOptions.onPage(result) : true;
		if (!pageOptions.onPage) for (const record of result) items.push(record);
		const previous = token;
		if (response.nextPageToken) token = response.nextPageToken;
		const more =
			response.moreResult === true ||
			(response.moreResult === undefined && !!response.nextPageToken && result.length > 0);
		const limitReached = pageOptions.limit !== undefined && items.length >= pageOptions.limit;
		const pagesReached = pageOptions.maxPages !== undefined && pages >= pageOptions.maxPages;
		// A token that does not move would loop forever.
		const stuck =
			!!response.nextPageToken && response.nextPageToken === previous && result.length === 0;
		if (!more || limitReached || pagesReached || stuck || !wanted) {
			return {
				items: pageOptions.limit !== undefined ? items.slice(0, pageOptions.limit) : items,
				nextPageToken: token,
				moreResult: more && !stuck,
				pages,
			};
		}
	}
}

/** All records of a Lead-database query (nextPageToken paging). */
export async function marketoApiRequestAllItems(
	this: MarketoContext,
	method: IHttpRequestMethods,
	path: string,
	options: MarketoRequestOptions = {},
	pageOptions: PageOptions = {},
): Promise<IDataObject[]> {
	return (await marketoApiRequestAllPages.call(this, method, path, options, pageOptions)).items;
}

/** Marketo takes at most 300 values in one `filterValues`. */
export const MAX_FILTER_VALUES = 300;

/**
 * Every record whose `filterType` field has one of `values` (leads, program members): the values go 300
 * per query (duplicates dropped), each query paged with nextPageToken, until `limit` records are read. A
 * long list makes a URL over 8 KB: `marketoApiRequest` then sends it as POST `?_method=GET`.
 */
export async function marketoFilterRequestAllItems(
	this: MarketoContext,
	path: string,
	filter: { filterType: string; values: string[]; qs?: IDataObject },
	limit = Infinity,
	itemIndex?: number,
): Promise<IDataObject[]> {
	const records: IDataObject[] = [];
	const unique = [...new Set(filter.values)];
	for (let start = 0; start < unique.length; start += MAX_FILTER_VALUES) {
		const remaining = limit - records.length;
		if (remaining <= 0) break;
		const page = await marketoApiRequestAllPages.call(
			this,
			'GET',
			path,
			{
				qs: {
					...(filter.qs ?? {}),
					filterType: filter.filterType,
					filterValues: unique.slice(start, start + MAX_FILTER_VALUES),
				},
				itemIndex,
			},
			{ limit: Number.isFinite(remaining) ? remaining : undefined },
		);
		for (const record of page.items) records.push(record);
	}
	return records;
}

export const NO_ASSETS_WARNING = 'No assets found for the given search criteria.';

function saysNoAssets(response: MarketoResponse): boolean {
	return (response.warnings ?? []).some(
		(w) => typeof w === 'string' && w.startsWith('No assets found'),
	);
}

/**
 * Asset API browsing: `offset` + `maxReturn` (≤200). The end is not an empty page but `success:true` with
 * no `result` and the warning "No assets found for the given search criteria.".
 */
export async function marketoAssetRequestAllItems(
	this: MarketoContext,
	method: IHttpRequestMethods,
	path: string,
	options: MarketoRequestOptions = {},
	pageOptions: {
		limit?: number;
		maxReturn?: number;
		/** Keeps only the assets it accepts; the limit counts kept assets (browse cannot filter by everything). */
		filter?: (asset: IDataObject) => boolean;
	} = {},
): Promise<IDataObject[]> {
	const settings = await getMarketoSettings.call(this);
	const maxReturn = Math.min(200, Math.max(1, pageOptions.maxReturn ?? 200));
	const items: IDataObject[] = [];
	let offset = Number(options.qs?.offset ?? 0);
	for (;;) {
		const qs = { ...(options.qs ?? {}), offset, maxReturn };
		const response = await marketoApiRequest.call(this, method, path, { ...options, qs }, settings);
		const result = Array.isArray(response.result) ? response.result : [];
		for (const asset of result) {
			if (pageOptions.filter && !pageOptions.filter(asset)) continue;
			items.push(asset);
			if (pageOptions.limit !== undefined && items.length >= pageOptions.limit) return items;
		}
		if (saysNoAssets(response) || result.length === 0 || result.length < maxReturn) return items;
		offset += result.length;
	}
}
