import type { INodeProperties } from 'n8n-workflow';

import * as clone from './clone.operation';
import * as deleteToken from './deleteToken.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getStatuses from './getStatuses.operation';
import * as getTokens from './getTokens.operation';
import * as setToken from './setToken.operation';

export { clone, deleteToken, get, getAll, getStatuses, getTokens, setToken };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['program'] } },
		options: [
			{
				name: 'Clone',
				value: 'clone',
				description: 'Copy a program, e.g. an event template, into a folder',
				action: 'Clone a program',
			},
			{
				name: 'Delete Token',
				value: 'deleteToken',
				description: 'Delete a My Token of a program',
				action: 'Delete a program token',
			},
			{ name: 'Get', value: 'get', description: 'Get a program', action: 'Get a program' },
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get many programs',
				action: 'Get many programs',
			},
			{
				name: 'Get Statuses',
				value: 'getStatuses',
				description: "Get the progression statuses of a program's channel, in step order",
				action: 'Get program statuses',
			},
			{
				name: 'Get Tokens',
				value: 'getTokens',
				description: 'Get the My Tokens of a program',
				action: 'Get program tokens',
			},
			{
				name: 'Set Token',
				value: 'setToken',
				description: 'Create or update a My Token of a program',
				action: 'Set a program token',
			},
		],
		default: 'get',
	},
	...get.description,
	...getAll.description,
	...clone.description,
	...getTokens.description,
	...setToken.description,
	...deleteToken.description,
	...getStatuses.description,
];
