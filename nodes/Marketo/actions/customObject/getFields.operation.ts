import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { forEachItem, type Operation } from '../../../shared/kit';
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
	return await forEachItem.call(this, items, async (i) => {
		const name = customObjectName.call(this, i);
		const type = await describe(name, i);
		const searchable = new Set(
			type.searchableFields.filter((s) => s.length === 1).map((s) => s[0]),
		);
		return type.fields.map((field) => ({
			customObject: type.name,
			...field,
			isDedupeField: type.dedupeFields.includes(field.name),
			isSearchable: searchable.has(field.name),
		}));
	});
}

export const getFields: Operation = {
	option: {
		name: 'Get Fields',
		value: 'getFields',
		description: 'Get the fields of a custom object type',
		action: 'Get custom object fields',
	},
	description,
	execute,
};
