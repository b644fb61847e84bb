import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { Operation } from '../../../shared/kit';

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

export const getLast7Days: Operation = {
	option: {
		name: 'Get Last 7 Days',
		value: 'getLast7Days',
		description: 'Get the API calls per day and API user over the last 7 days',
		action: 'Get API usage of the last 7 days',
	},
	description,
	execute,
};
