import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { forEachItem, type Operation } from '../../../shared/kit';
import { apiNameParameter, schemaPath, schemaWrite, typeProperty } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['customObjectType'], operation: ['delete'] } },
	[typeProperty],
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem.call(this, items, async (i) => {
		const apiName = apiNameParameter.call(this, i);
		const result = await schemaWrite.call(this, schemaPath(apiName, 'delete'), i);
		return { apiName, status: result.status };
	});
}

export const deleteType: Operation = {
	option: {
		name: 'Delete',
		value: 'delete',
		description: 'Delete a custom object type (it must have no records and be used by no asset)',
		action: 'Delete a custom object type',
	},
	description,
	execute,
};
