import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll.operation';
import * as getDeletedLeads from './getDeletedLeads.operation';
import * as getLeadChanges from './getLeadChanges.operation';
import * as getTypes from './getTypes.operation';

export { getAll, getDeletedLeads, getLeadChanges, getTypes };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['activity'] } },
		options: [
			{
				name: 'Get Deleted Leads',
				value: 'getDeletedLeads',
				description: 'Get the leads deleted since a date',
				action: 'Get deleted leads',
			},
			{
				name: 'Get Lead Changes',
				value: 'getLeadChanges',
				description: 'Get changes to chosen lead fields since a date',
				action: 'Get lead changes',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get activities of chosen types since a date',
				action: 'Get many activities',
			},
			{
				name: 'Get Types',
				value: 'getTypes',
				description: 'Get the activity types of the Marketo instance',
				action: 'Get activity types',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
	...getLeadChanges.description,
	...getDeletedLeads.description,
	...getTypes.description,
];
