import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { errorItem, forItem } from '../../helpers/utils';
import { customObjectName, customObjectProperty, describeCache } from './common';

const properties: INodeProperties[] = [customObjectProperty];

export const description = updateDisplayOptions(
	{ show: { resource: ['customObject'], operation: ['getFields'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const describe = describeCache.call(this);
	const returnData: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const name = customObjectName.call(this, i);
			const type = await describe(name, i);
			const searchable = new Set(type.searchableFields.filter((s) => s.length === 1).map((s) => s[0]));
			for (const field of type.fields) {
				returnData.push({
					json: {
						customObject: type.name,
						...field,
						isDedupeField: type.dedupeFields.includes(field.name),
						isSearchable: searchable.has(field.name),
					},
					pairedItem: { item: i },
				});
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
