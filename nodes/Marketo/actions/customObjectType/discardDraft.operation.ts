import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { forEachItem, type Operation } from '../../../shared/kit';
import { apiNameParameter, schemaPath, schemaWrite, typeProperty } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['customObjectType'], operation: ['discardDraft'] } },
	[typeProperty],
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem.call(this, items, async (i) => {
		const apiName = apiNameParameter.call(this, i);
		const result = await schemaWrite.call(this, schemaPath(apiName, 'discardDraft'), i);
		return { apiName, status: result.status };
	});
}

export const discardDraft: Operation = {
	option: {
		name: 'Discard Draft',
		value: 'discardDraft',
		description: 'Throw the draft away; the approved version (if any) stays',
		action: 'Discard a custom object type draft',
	},
	description,
	execute,
};
