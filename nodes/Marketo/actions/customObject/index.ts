import type { INodeProperties } from 'n8n-workflow';

import * as deleteRecords from './delete.operation';
import * as getAll from './getAll.operation';
import * as getFields from './getFields.operation';
import * as getTypes from './getTypes.operation';
import * as upsert from './upsert.operation';

export { getAll, getFields, getTypes, upsert };
// `delete` is a reserved word, so the module is imported under another name and exported as the operation.
export { deleteRecords as delete };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customObject'] } },
		options: [
			{
				name: 'Create or Update',
				value: 'upsert',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
				action: 'Create or update custom object records',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete custom object records',
				action: 'Delete custom object records',
			},
			{
				name: 'Get Fields',
				value: 'getFields',
				description: 'Get the fields of a custom object type',
				action: 'Get custom object fields',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get custom object records by a field or by their dedupe fields',
				action: 'Get many custom object records',
			},
			{
				name: 'Get Types',
				value: 'getTypes',
				description: 'Get the custom object types of the Marketo instance',
				action: 'Get custom object types',
			},
		],
		default: 'upsert',
	},
	...upsert.description,
	...getAll.description,
	...deleteRecords.description,
	...getFields.description,
	...getTypes.description,
];
