import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { marketoApiRequest } from '../../transport';
import { forEachItem, type Operation } from '../../../shared/kit';

const properties: INodeProperties[] = [
	{
		displayName: 'Names',
		name: 'names',
		type: 'string',
		default: '',
		placeholder: 'e.g. spotMeAttendance_c,spotMeEventAttendance_c',
		description:
			'Only these custom object types (API names, separated by commas); all types when empty',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['customObject'], operation: ['getTypes'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem.call(this, items, async (i) => {
		const names = String(this.getNodeParameter('names', i, '') ?? '')
			.split(',')
			.map((n) => n.trim())
			.filter((n) => n !== '');
		const qs: IDataObject = names.length ? { names: names.join(',') } : {};
		const response = await marketoApiRequest.call(this, 'GET', '/v1/customobjects.json', {
			qs,
			itemIndex: i,
		});
		return response.result ?? [];
	});
}

export const getTypes: Operation = {
	option: {
		name: 'Get Types',
		value: 'getTypes',
		description: 'Get the custom object types of the Marketo instance',
		action: 'Get custom object types',
	},
	description,
	execute,
};
