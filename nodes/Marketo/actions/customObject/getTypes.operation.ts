import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { marketoApiRequest } from '../../transport';
import { errorItem, forItem } from '../../helpers/utils';

const properties: INodeProperties[] = [
	{
		displayName: 'Names',
		name: 'names',
		type: 'string',
		default: '',
		placeholder: 'e.g. spotMeAttendance_c,spotMeEventAttendance_c',
		description: 'Only these custom object types (API names, separated by commas); all types when empty',
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
	const returnData: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const names = String(this.getNodeParameter('names', i, '') ?? '')
				.split(',')
				.map((n) => n.trim())
				.filter((n) => n !== '');
			const qs: IDataObject = names.length ? { names: names.join(',') } : {};
			const response = await marketoApiRequest.call(this, 'GET', '/v1/customobjects.json', { qs, itemIndex: i });
			for (const type of response.result ?? []) {
				returnData.push({ json: type, pairedItem: { item: i } });
			}
		} catch (error) {
			if (this.continueOnFail()) {
				returnData.push(errorItem(error, i));
				continue;
			}
			throw forItem(error, i);
		}
	}
	return returnData;
}
