import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { type Operation, forEachItem } from '../../../shared/kit';
import { getWorkspaceId, requireString, workspaceParameter } from '../../helpers/utils';
import { personPath } from '../../helpers/person';
import { spotMeApiRequest } from '../../transport';

const properties: INodeProperties[] = [
	workspaceParameter(),
	{
		displayName: 'Person ID',
		name: 'personId',
		type: 'string',
		required: true,
		default: '',
		description: 'The person’s SpotMe `_id`',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['person'], operation: ['get'] } },
	properties,
);

async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem.call(this, items, async (i) => {
		const workspaceId = getWorkspaceId.call(this, i);
		const personId = requireString.call(
			this,
			'personId',
			'Person ID',
			i,
			'Enter the person’s SpotMe _id.',
		);
		return (await spotMeApiRequest.call(
			this,
			'GET',
			personPath(workspaceId, personId),
			undefined,
			undefined,
			{
				itemIndex: i,
				notFoundMessage: `Person ${personId} not found in workspace ${workspaceId}`,
			},
		)) as IDataObject;
	});
}

export const get: Operation = {
	option: {
		name: 'Get',
		value: 'get',
		action: 'Get a person',
		description: 'Get one person (with their magic link) by _id',
	},
	description,
	execute,
};
