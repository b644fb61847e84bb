import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { forEachItem, type Operation, readLimit, returnAllProperties } from '../../../shared/kit';
import { getActivityPages, sinceIso, sinceProperty } from './common';

const properties: INodeProperties[] = [
	{
		...sinceProperty,
		hint: 'Marketo may prune deletions older than 14 days',
	},
	...returnAllProperties(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['activity'], operation: ['getDeletedLeads'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem.call(this, items, async (i) => {
		const since = sinceIso.call(this, i);
		const limit = readLimit.call(this, i);
		const deleted = await getActivityPages.call(
			this,
			'/v1/activities/deletedleads.json',
			since,
			{},
			limit,
		);
		return deleted;
	});
}

export const getDeletedLeads: Operation = {
	option: {
		name: 'Get Deleted Leads',
		value: 'getDeletedLeads',
		description: 'Get the leads deleted since a date',
		action: 'Get deleted leads',
	},
	description,
	execute,
};
