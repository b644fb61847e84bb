import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { runFilterLookups, type FilterLookup } from '../../helpers/filterLookups';
import { toList } from '../../helpers/utils';
import { programIdResolver, programLocator } from './common';
import { readLimit, returnAllProperties, type Operation } from '../../../shared/kit';
import { simplifyItems, simplifyProperty } from '../../helpers/simplify';

/** Marketo returns only acquiredBy, leadId, membershipDate, programId, reachedSuccess unless asked. */
const ALWAYS_FIELDS = [
	'leadId',
	'programId',
	'statusName',
	'reachedSuccess',
	'membershipDate',
	'updatedAt',
];

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
		description:
			'Members whose filter field has one of these values, separated by commas (or a list from an expression)',
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
	simplifyProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['programMember'], operation: ['getAll'] } },
	properties,
);

/** Member fields that match at most one member per program and value: lookups on them are combined across items. */
const KEY_FIELDS = new Set(['leadId']);

async function readLookup(
	this: IExecuteFunctions,
	i: number,
	programId: (i: number) => Promise<number>,
): Promise<FilterLookup> {
	const filterType = String(this.getNodeParameter('filterType', i, 'leadId') ?? '').trim();
	const values = toList(this.getNodeParameter('filterValues', i, ''));
	const fields = [
		...new Set([...ALWAYS_FIELDS, ...toList(this.getNodeParameter('fields', i, []))]),
	];
	const limit = readLimit.call(this, i);
	if (!filterType || values.length === 0) {
		throw new NodeOperationError(
			this.getNode(),
			`Item ${i} has no ${filterType ? '"Values"' : '"Filter Field"'} to filter members on`,
			{
				description:
					'Choose a filter field and enter one or more values, e.g. statusName = Registered',
				itemIndex: i,
			},
		);
	}
	// Other fields with a limit run per item, so a broad filter (statusName) never fetches more than was
	// asked; updatedAt is a date range (startAt/endAt), not values, so it is never combined.
	const combinable =
		filterType !== 'updatedAt' && (KEY_FIELDS.has(filterType) || limit === Infinity);
	return {
		path: `/v1/programs/${await programId(i)}/members.json`,
		filterType,
		values,
		fields,
		limit,
		combinable,
	};
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const programId = programIdResolver.call(this);
	return simplifyItems.call(
		this,
		await runFilterLookups.call(
			this,
			items,
			async (i) => await readLookup.call(this, i, programId),
			ALWAYS_FIELDS,
		),
	);
}

export const getAll: Operation = {
	option: {
		name: 'Get Many',
		value: 'getAll',
		description: 'Get the members of a program, with their status',
		action: 'Get many program members',
	},
	description,
	execute,
};
