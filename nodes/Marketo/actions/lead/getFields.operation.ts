import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { describeLeads } from '../../helpers/metadata';
import { failAllItems, type Operation } from '../../../shared/kit';

const properties: INodeProperties[] = [];

export const description = updateDisplayOptions(
	{ show: { resource: ['lead'], operation: ['getFields'] } },
	properties,
);

/** One item per lead field (from `describe2`), read once however many items come in. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const pairedItem = items.map((_, i) => ({ item: i }));
	try {
		const { fields, searchableFields } = await describeLeads.call(this);
		const searchable = new Set(searchableFields);
		return fields.map((f) => ({
			json: {
				name: f.name,
				displayName: f.displayName ?? f.name,
				dataType: f.dataType ?? null,
				length: f.length ?? null,
				updateable: f.updateable ?? null,
				crmManaged: f.crmManaged ?? null,
				searchable: searchable.has(f.name),
			},
			pairedItem,
		}));
	} catch (error) {
		return failAllItems.call(this, error, items);
	}
}

export const getFields: Operation = {
	option: {
		name: 'Get Fields',
		value: 'getFields',
		description: 'Get the lead fields of the Marketo instance',
		action: 'Get lead fields',
	},
	description,
	execute,
};
