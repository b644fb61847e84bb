import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { marketoAssetRequestAllItems } from '../../transport';
import { folderIdOf, folderLocator, simplifyProgram, simplifyProperty } from './common';
import { forEachItem, type Operation, readLimit, returnAllProperties } from '../../../shared/kit';

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

		const qs: IDataObject = {};
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

		// Asset browse pages by offset/maxReturn and ends with the "No assets found" warning (the helper
		// knows both). Type and folder are checked here: the folder filter's parameter name is undocumented.
		const programs = await marketoAssetRequestAllItems.call(
			this,
			'GET',
			'/asset/v1/programs.json',
			{ qs, itemIndex: i },
			{
				limit,
				filter: (program) =>
					(!filters.type || program.type === filters.type) &&
					(folderId === 0 || (program.folder as IDataObject | undefined)?.value === folderId),
			},
		);
		return programs.map((program) => (simplify ? simplifyProgram(program) : program));
	});
}

export const getAll: Operation = {
	option: {
		name: 'Get Many',
		value: 'getAll',
		description: 'Get many programs',
		action: 'Get many programs',
	},
	description,
	execute,
};
