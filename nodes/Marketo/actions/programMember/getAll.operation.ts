import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { forEachItem, toList } from '../../helpers/utils';
import { marketoFilterRequestAllItems } from '../../transport';
import { programIdResolver, programLocator } from './common';
import { readLimit, returnAllProperties } from '../../../shared/returnAll';

/** Marketo returns only acquiredBy, leadId, membershipDate, programId, reachedSuccess unless asked. */
const ALWAYS_FIELDS = ['leadId', 'programId', 'statusName', 'reachedSuccess', 'membershipDate', 'updatedAt'];

const properties: INodeProperties[] = [
	programLocator,
	{
		displayName: 'Filter Field Name or ID',
		name: 'filterType',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getProgramMemberSearchableFields' },
		default: 'leadId',
		description:
			'The searchable member field to filter on, e.g. leadId or statusName. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Values',
		name: 'filterValues',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Registered, Attended',
		description: 'Members whose filter field has one of these values, separated by commas (or a list from an expression)',
	},
	{
		displayName: 'Field Names or IDs',
		name: 'fields',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getProgramMemberFields' },
		default: [],
		description:
			'Extra member fields to return, e.g. custom fields; leadId, statusName and the membership dates always come. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	...returnAllProperties(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['programMember'], operation: ['getAll'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const programId = programIdResolver.call(this);
	return await forEachItem.call(this, items, async (i) => {
		const id = await programId(i);
		const filterType = String(this.getNodeParameter('filterType', i, 'leadId') ?? '').trim();
		const values = toList(this.getNodeParameter('filterValues', i, ''));
		const fields = [...new Set([...ALWAYS_FIELDS, ...toList(this.getNodeParameter('fields', i, []))])];
		const limit = readLimit.call(this, i);
		if (!filterType || values.length === 0) {
			throw new NodeOperationError(this.getNode(), `Item ${i} has no ${filterType ? '"Values"' : '"Filter Field"'} to filter members on`, {
				description: 'Choose a filter field and enter one or more values, e.g. statusName = Registered',
				itemIndex: i,
			});
		}
		return await marketoFilterRequestAllItems.call(
			this,
			`/v1/programs/${id}/members.json`,
			{ filterType, values, qs: { fields } },
			limit,
			i,
		);
	});
}
