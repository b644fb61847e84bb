import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { marketoApiRequest } from '../../transport';
import { errorItem, forItem } from '../../helpers/utils';

const properties: INodeProperties[] = [];

export const description = updateDisplayOptions(
	{ show: { resource: ['activity'], operation: ['getTypes'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const returnData: INodeExecutionData[] = [];
	let types: IDataObject[] | undefined;
	for (let i = 0; i < items.length; i++) {
		try {
			// The list is instance-wide and rarely changes: one call serves every input item.
			if (!types) {
				const response = (await marketoApiRequest.call(this, 'GET', '/v1/activities/types.json')) as IDataObject;
				types = (response.result as IDataObject[] | undefined) ?? [];
			}
			for (const type of types) {
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
