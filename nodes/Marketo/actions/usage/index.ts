import type { INodeProperties } from 'n8n-workflow';

import * as getLast7Days from './getLast7Days.operation';
import * as getToday from './getToday.operation';

export { getLast7Days, getToday };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['usage'] } },
		options: [
			{
				name: 'Get Last 7 Days',
				value: 'getLast7Days',
				description: 'Get the API calls per day and API user over the last 7 days',
				action: 'Get api usage of the last 7 days',
			},
			{
				name: 'Get Today',
				value: 'getToday',
				description: "Get today's API calls per API user",
				action: 'Get api usage of today',
			},
		],
		default: 'getToday',
	},
	...getToday.description,
	...getLast7Days.description,
];
