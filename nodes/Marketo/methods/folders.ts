import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { marketoApiRequest } from '../transport';

/** Asset browse pages hold at most 200 assets. */
const PAGE_SIZE = 200;

/**
 * listSearch: marketing folders for "From List" pickers (e.g. the target of a program clone), shown by
 * path. Marketo's folder browse only descends `maxDepth` levels (default 2), so ask for more; it cannot
 * search by part of a name, so the filter applies to the page read. The offset is the pagination token.
 */
export async function searchFolders(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const offset = Number(paginationToken ?? 0) || 0;
	const response = await marketoApiRequest.call(this, 'GET', '/asset/v1/folders.json', {
		qs: { maxDepth: 10, maxReturn: PAGE_SIZE, offset },
	});
	const page = (response.result ?? []) as IDataObject[];
	const needle = (filter ?? '').trim().toLowerCase();
	const results = page
		.filter(
			(f) =>
				((f.folderId as IDataObject | undefined)?.type ?? 'Folder') === 'Folder' &&
				f.isArchive !== true,
		)
		.map((f) => ({
			name: String(f.path ?? f.name),
			value: String((f.folderId as IDataObject | undefined)?.id ?? f.id),
			url: typeof f.url === 'string' ? f.url : undefined,
		}))
		.filter((r) => !needle || r.name.toLowerCase().includes(needle) || r.value === needle);
	return {
		results,
		paginationToken: page.length === PAGE_SIZE ? String(offset + PAGE_SIZE) : undefined,
	};
}
