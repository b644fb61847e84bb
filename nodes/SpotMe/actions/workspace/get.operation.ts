import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { type Operation, forEachItem } from '../../../shared/kit';
import { getWorkspaceId, workspaceParameter } from '../../helpers/utils';
import { spotMeApiRequest } from '../../transport';

const properties: INodeProperties[] = [workspaceParameter()];

export const description = updateDisplayOptions(
	{ show: { resource: ['workspace'], operation: ['get'] } },
	properties,
);

async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem.call(this, items, async (i) => {
		const workspaceId = getWorkspaceId.call(this, i);
		return (await spotMeApiRequest.call(
			this,
			'GET',
			`/workspace/${encodeURIComponent(workspaceId)}`,
			undefined,
			undefined,
			{
				itemIndex: i,
				notFoundMessage: `Workspace ${workspaceId} not found`,
			},
		)) as IDataObject;
	});
}

export const get: Operation = {
	option: {
		name: 'Get',
		value: 'get',
		action: 'Get a workspace',
		description: 'Get one workspace (event) by ID',
	},
	description,
	execute,
};
