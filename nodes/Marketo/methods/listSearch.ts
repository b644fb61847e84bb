import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { getMarketoSettings, marketoApiRequest } from '../transport';

const PAGE = 200;
/** Pages read per search call when a filter leaves a page empty (each page is one API call). */
const MAX_PAGES_PER_SEARCH = 5;

/**
 * "From list" for programs (Program and Program Member resources). Marketo cannot search programs by
 * part of a name, so this browses `programs.json` (offset paging, 200 per call) and filters here; the
 * offset travels in `paginationToken`. Browse ends with the "No assets found" warning, not an empty page.
 */
export async function searchPrograms(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const settings = await getMarketoSettings.call(this);
	const needle = (filter ?? '').trim().toLowerCase();
	let offset = Number(paginationToken ?? 0) || 0;
	const results: INodeListSearchResult['results'] = [];
	for (let page = 0; page < MAX_PAGES_PER_SEARCH; page++) {
		const response = await marketoApiRequest.call(
			this,
			'GET',
			'/asset/v1/programs.json',
			{ qs: { offset, maxReturn: PAGE } },
			settings,
		);
		const programs = (response.result ?? []) as IDataObject[];
		for (const p of programs) {
			const name = String(p.name ?? '');
			if (needle && !name.toLowerCase().includes(needle) && String(p.id) !== needle) continue;
			results.push({
				name,
				value: String(p.id),
				url: typeof p.url === 'string' ? p.url : undefined,
			});
		}
		if (programs.length < PAGE) return { results };
		offset += programs.length;
		if (results.length > 0) break;
	}
	return { results, paginationToken: String(offset) };
}
