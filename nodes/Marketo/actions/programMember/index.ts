import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll.operation';
import * as remove from './remove.operation';
import * as setStatus from './setStatus.operation';
import * as updateFields from './updateFields.operation';

export { getAll, remove, setStatus, updateFields };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['programMember'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get the members of a program, with their status',
				action: 'Get many program members',
			},
			{
				name: 'Remove',
				value: 'remove',
				description: 'Remove leads from a program',
				action: 'Remove program members',
			},
			{
				name: 'Set Status',
				value: 'setStatus',
				description: 'Add leads to a program with a status, or move members forward',
				action: 'Set program member status',
			},
			{
				name: 'Update Fields',
				value: 'updateFields',
				description: 'Update custom program member fields, e.g. a login URL',
				action: 'Update program member fields',
			},
		],
		default: 'setStatus',
	},
	...setStatus.description,
	...updateFields.description,
	...getAll.description,
	...remove.description,
];
