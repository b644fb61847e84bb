import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { forEachItem, type Operation } from '../../../shared/kit';
import { apiNameParameter, schemaPath, schemaWrite, typeProperty } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['customObjectType'], operation: ['approve'] } },
	[typeProperty],
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem.call(this, items, async (i) => {
		const apiName = apiNameParameter.call(this, i);
		const result = await schemaWrite.call(this, schemaPath(apiName, 'approve'), i);
		return { apiName, status: result.status };
	});
}

export const approve: Operation = {
	option: {
		name: 'Approve',
		value: 'approve',
		description: 'Approve the draft: it becomes the live version that records use',
		action: 'Approve a custom object type',
	},
	description,
	execute,
};
