import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { marketoApiRequest } from '../../transport';
import { folderIdOf, folderLocator, simplifyProgram, simplifyProperty } from './common';
import { forEachItem } from '../../helpers/utils';
import { readLimit, returnAllProperties } from '../../../shared/returnAll';

/** Asset API browse pages hold at most 200 assets (maxReturn). */
const PAGE_SIZE = 200;

const properties: INodeProperties[] = [
	...returnAllProperties(),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			folderLocator('Folder', 'Only programs directly in this marketing folder'),
			{
				displayName: 'Program Type',
				name: 'type',
				type: 'options',
				default: 'Event',
				options: [
					{ name: 'Default', value: 'Default' },
					{ name: 'Email', value: 'Email' },
					{ name: 'Engagement', value: 'Engagement' },
					{ name: 'Event', value: 'Event' },
					{ name: 'Event with Webinar', value: 'Event with Webinar' },
				],
				description:
					'Only programs of this type (Marketo cannot filter by type, so the node filters the pages it reads)',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				default: 'on',
				options: [
					{ name: 'On (Engagement Programs)', value: 'on' },
					{ name: 'Off (Engagement Programs)', value: 'off' },
					{ name: 'Unlocked (Email Programs)', value: 'unlocked' },
				],
			},
			{
				displayName: 'Updated After',
				name: 'earliestUpdatedAt',
				type: 'dateTime',
				default: '',
			},
			{
				displayName: 'Updated Before',
				name: 'latestUpdatedAt',
				type: 'dateTime',
				default: '',
			},
		],
	},
	simplifyProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['program'], operation: ['getAll'] } },
	properties,
);

function toIso(value: unknown): string | undefined {
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const date = new Date(value);
	return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem.call(this, items, async (i) => {
		const limit = readLimit.call(this, i);
		const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
		const simplify = this.getNodeParameter('simplify', i, true) as boolean;

		const qs: IDataObject = { maxReturn: PAGE_SIZE };
		if (filters.status) qs.status = filters.status;
		const earliest = toIso(filters.earliestUpdatedAt);
		const latest = toIso(filters.latestUpdatedAt);
		if (earliest) qs.earliestUpdatedAt = earliest;
		if (latest) qs.latestUpdatedAt = latest;
		const folderId = folderIdOf.call(this, filters.folder, 'Folder', i) ?? 0;
		if (folderId > 0) {
			qs.filterType = 'folderId';
			qs.filterValues = folderId;
		}

		const programs: IDataObject[] = [];
		// Asset browse pages by offset/maxReturn; the end is success:true with no `result`
		// and the warning "No assets found for the given search criteria." (not an error).
		for (let offset = 0; programs.length < limit; offset += PAGE_SIZE) {
			const response = (await marketoApiRequest.call(this, 'GET', '/asset/v1/programs.json', {
				qs: { ...qs, offset },
			})) as IDataObject;
			const page = (response.result as IDataObject[] | undefined) ?? [];
			for (const program of page) {
				if (filters.type && program.type !== filters.type) continue;
				// Filtered again here: the folder filter's parameter name is undocumented.
				if (folderId > 0 && (program.folder as IDataObject | undefined)?.value !== folderId) continue;
				programs.push(program);
				if (programs.length >= limit) break;
			}
			if (page.length < PAGE_SIZE) break;
		}
		return programs.map((program) => (simplify ? simplifyProgram(program) : program));
	});
}
