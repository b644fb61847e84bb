import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { runFilterLookups, type FilterLookup } from '../../helpers/filterLookups';
import { toList } from '../../helpers/utils';
import { simplifyItems, simplifyProperty } from '../../helpers/simplify';
import { leadFieldsProperty } from './common';
import { readLimit, returnAllProperties, type Operation } from '../../../shared/kit';

const properties: INodeProperties[] = [
	{
		displayName: 'Filter Field Name or ID',
		name: 'filterType',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getLeadSearchableFields' },
		default: 'email',
		description:
			'The searchable lead field to filter on. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Values',
		name: 'filterValues',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. jane@example.com, joe@example.com',
		description:
			'Leads whose filter field has one of these values, separated by commas (or a list from an expression)',
	},
	leadFieldsProperty,
	...returnAllProperties(),
	simplifyProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['lead'], operation: ['getAll'] } },
	properties,
);

/** Fields a lead is found by that match few leads each: lookups on them are combined across items. */
const KEY_FIELDS = new Set(['id', 'email']);
/** What Marketo returns when no fields are chosen. */
const DEFAULT_FIELDS = ['id', 'email', 'updatedAt', 'createdAt', 'firstName', 'lastName'];

function readLookup(this: IExecuteFunctions, i: number): FilterLookup {
	const filterType = String(this.getNodeParameter('filterType', i, 'email') ?? '').trim();
	const values = toList(this.getNodeParameter('filterValues', i, ''));
	// The lead ID always comes along, so results can be written back or linked.
	const chosen = toList(this.getNodeParameter('fields', i, []));
	const fields = chosen.length ? [...new Set(['id', ...chosen])] : [];
	const limit = readLimit.call(this, i);
	if (!filterType) {
		throw new NodeOperationError(this.getNode(), `Item ${i} has no "Filter Field"`, {
			description: 'Choose a searchable lead field, e.g. email',
			itemIndex: i,
		});
	}
	if (values.length === 0) {
		throw new NodeOperationError(this.getNode(), `Item ${i} has no "Values" to filter on`, {
			description: `Enter one or more values of "${filterType}", separated by commas`,
			itemIndex: i,
		});
	}
	// Lookups on other fields with a limit run per item, so a broad filter never fetches more than asked.
	const combinable = KEY_FIELDS.has(filterType) || limit === Infinity;
	return { path: '/v1/leads.json', filterType, values, fields, limit, combinable };
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return simplifyItems.call(
		this,
		await runFilterLookups.call(this, items, (i) => readLookup.call(this, i), DEFAULT_FIELDS),
	);
}

export const getAll: Operation = {
	option: {
		name: 'Get Many',
		value: 'getAll',
		description: 'Get leads whose field matches one of many values',
		action: 'Get many leads',
	},
	description,
	execute,
};
