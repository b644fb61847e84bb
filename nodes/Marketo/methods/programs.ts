import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { marketoApiRequest } from '../transport';

/** Asset browse pages hold at most 200 assets. */
const PAGE_SIZE = 200;

/**
 * listSearch: programs for the "From List" picker, one page per call (offset as pagination token).
 * Marketo cannot search programs by partial name, so the filter applies to the page read.
 */
export async function searchPrograms(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const offset = Number(paginationToken ?? 0) || 0;
	const response = await marketoApiRequest.call(this, 'GET', '/asset/v1/programs.json', {
		qs: { maxReturn: PAGE_SIZE, offset },
	});
	const page = (response.result ?? []) as IDataObject[];
	const needle = (filter ?? '').trim().toLowerCase();
	const results = page
		.filter((p) => !needle || String(p.name).toLowerCase().includes(needle) || String(p.id) === needle)
		.map((p) => ({
			name: String(p.name),
			value: String(p.id),
			url: typeof p.url === 'string' ? p.url : undefined,
		}));
	return {
		results,
		paginationToken: page.length === PAGE_SIZE ? String(offset + PAGE_SIZE) : undefined,
	};
}
