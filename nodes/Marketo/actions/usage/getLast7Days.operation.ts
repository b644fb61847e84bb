import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { usageItems } from './common';

const properties: INodeProperties[] = [];

export const description = updateDisplayOptions(
	{ show: { resource: ['usage'], operation: ['getLast7Days'] } },
	properties,
);

/** API calls per day and API user over the last 7 days (`/v1/stats/usage/last7days.json`). */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await usageItems.call(this, items, '/v1/stats/usage/last7days.json');
}
