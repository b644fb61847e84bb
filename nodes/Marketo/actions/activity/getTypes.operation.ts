import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { marketoApiRequest } from '../../transport';
import { forEachItem, type Operation } from '../../../shared/kit';

const properties: INodeProperties[] = [];

export const description = updateDisplayOptions(
	{ show: { resource: ['activity'], operation: ['getTypes'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	let types: IDataObject[] | undefined;
	return await forEachItem.call(this, items, async () => {
		// The list is instance-wide and rarely changes: one call serves every input item.
		if (!types) {
			const response = await marketoApiRequest.call(this, 'GET', '/v1/activities/types.json');
			types = response.result ?? [];
		}
		return types;
	});
}

export const getTypes: Operation = {
	option: {
		name: 'Get Types',
		value: 'getTypes',
		description: 'Get the activity types of the Marketo instance',
		action: 'Get activity types',
	},
	description,
	execute,
};
