import type { INodeProperties } from 'n8n-workflow';

import * as deleteLead from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getFields from './getFields.operation';
import * as upsert from './upsert.operation';

export { deleteLead as delete, get, getAll, getFields, upsert };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['lead'] } },
		options: [
			{
				name: 'Create or Update',
				value: 'upsert',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
				action: 'Create or update leads',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete leads by ID',
				action: 'Delete leads',
			},
			{ name: 'Get', value: 'get', description: 'Get a lead by ID or email', action: 'Get a lead' },
			{
				name: 'Get Fields',
				value: 'getFields',
				description: 'Get the lead fields of the Marketo instance',
				action: 'Get lead fields',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get leads whose field matches one of many values',
				action: 'Get many leads',
			},
		],
		default: 'upsert',
	},
	...upsert.description,
	...get.description,
	...getAll.description,
	...deleteLead.description,
	...getFields.description,
];
