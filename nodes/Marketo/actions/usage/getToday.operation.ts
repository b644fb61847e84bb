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
	{ show: { resource: ['usage'], operation: ['getToday'] } },
	properties,
);

/** Today's API calls per API user (`/v1/stats/usage.json`); calls to it count like any other. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await usageItems.call(this, items, '/v1/stats/usage.json');
}

export const getToday: Operation = {
	option: {
		name: 'Get Today',
		value: 'getToday',
		description: "Get today's API calls per API user",
		action: 'Get API usage of today',
	},
	description,
	execute,
};
