import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { forEachItem, type Operation, readLimit, returnAllProperties } from '../../../shared/kit';
import {
	getActivityPages,
	leadFilterProperties,
	leadFilterQuery,
	sinceIso,
	sinceProperty,
} from './common';

const properties: INodeProperties[] = [
	sinceProperty,
	{
		displayName: 'Lead Field Names or IDs',
		name: 'fields',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getLeadFields' },
		required: true,
		default: [],
		description:
			'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		hint: 'The lead fields whose changes to return (REST API names, e.g. email)',
	},
	...returnAllProperties(),
	leadFilterProperties,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['activity'], operation: ['getLeadChanges'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem.call(this, items, async (i) => {
		const raw = this.getNodeParameter('fields', i, []) as unknown;
		const fields = (Array.isArray(raw) ? raw : String(raw ?? '').split(','))
			.map((v) => String(v).trim())
			.filter((v) => v !== '');
		// Marketo requires `fields` here (error 701 otherwise); say so before spending a call.
		if (fields.length === 0) {
			throw new NodeOperationError(
				this.getNode(),
				'No field is selected in "Lead Field Names or IDs"',
				{
					itemIndex: i,
					description: 'Pick the lead fields whose changes you want, e.g. email or company',
				},
			);
		}
		const since = sinceIso.call(this, i);
		const qs: IDataObject = { fields: fields.join(','), ...leadFilterQuery.call(this, i) };
		const limit = readLimit.call(this, i);
		const changes = await getActivityPages.call(
			this,
			'/v1/activities/leadchanges.json',
			since,
			qs,
			limit,
		);
		return changes;
	});
}

export const getLeadChanges: Operation = {
	option: {
		name: 'Get Lead Changes',
		value: 'getLeadChanges',
		description: 'Get changes to chosen lead fields since a date',
		action: 'Get lead changes',
	},
	description,
	execute,
};
