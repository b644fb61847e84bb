import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { errorItem, forItem } from '../../helpers/utils';
import { getActivityPages, returnAllProperties, sinceIso, sinceProperty } from './common';

const properties: INodeProperties[] = [
	{
		...sinceProperty,
		hint: 'Marketo may prune deletions older than 14 days',
	},
	...returnAllProperties,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['activity'], operation: ['getDeletedLeads'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const returnData: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const since = sinceIso.call(this, i);
			const returnAll = this.getNodeParameter('returnAll', i) as boolean;
			const limit = returnAll ? Infinity : (this.getNodeParameter('limit', i) as number);
			const deleted = await getActivityPages.call(this, '/v1/activities/deletedleads.json', since, {}, limit);
			for (const activity of deleted) {
				returnData.push({ json: activity, pairedItem: { item: i } });
			}
		} catch (error) {
			if (this.continueOnFail()) {
				returnData.push(errorItem(error, i));
				continue;
			}
			throw forItem(error, i);
		}
	}
	return returnData;
}
