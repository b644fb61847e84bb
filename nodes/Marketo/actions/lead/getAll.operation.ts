import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { errorItem, forEachItem, forItem, toList } from '../../helpers/utils';
import { marketoFilterRequestAllItems } from '../../transport';
import { leadFieldsProperty } from './common';
import { readLimit, returnAllProperties } from '../../../shared/returnAll';

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
		description: 'Leads whose filter field has one of these values, separated by commas (or a list from an expression)',
	},
	leadFieldsProperty,
	...returnAllProperties(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['lead'], operation: ['getAll'] } },
	properties,
);

/** Fields a lead is found by that match few leads each: lookups on them are combined across items. */
const KEY_FIELDS = new Set(['id', 'email']);
/** What Marketo returns when no fields are chosen; the filter field is added so results can be matched back. */
const DEFAULT_FIELDS = ['id', 'email', 'updatedAt', 'createdAt', 'firstName', 'lastName'];

interface Lookup {
	filterType: string;
	values: string[];
	fields: string[];
	limit: number;
}

function readLookup(this: IExecuteFunctions, i: number): Lookup {
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
	return { filterType, values, fields, limit };
}

const matchKey = (value: unknown) => String(value ?? '').trim().toLowerCase();

/**
 * One query per item would cost one Marketo call per item (100 calls per 20 s for the whole instance),
 * so lookups that can be combined are: items filtering on the same key field (id, email) with the same
 * chosen fields, or fetching all matches anyway (Return All), share calls of up to 300 values. Each
 * lead found is then given to every item whose values it matches, up to that item's limit. Lookups on
 * other fields with a limit still run per item, so a broad filter never fetches more than was asked.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const lookups: Array<Lookup | undefined> = [];
	const perItem: INodeExecutionData[][] = items.map(() => []);
	const groups = new Map<string, number[]>();
	const single: number[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const lookup = readLookup.call(this, i);
			lookups[i] = lookup;
			if (KEY_FIELDS.has(lookup.filterType) || lookup.limit === Infinity) {
				const key = JSON.stringify([lookup.filterType, [...lookup.fields].sort()]);
				groups.set(key, [...(groups.get(key) ?? []), i]);
			} else {
				single.push(i);
			}
		} catch (error) {
			if (!this.continueOnFail()) throw forItem(error, i);
			perItem[i] = [errorItem(error, i)];
		}
	}

	for (const members of groups.values()) {
		const { filterType, fields } = lookups[members[0]] as Lookup;
		const asked = fields.length ? fields : DEFAULT_FIELDS;
		const returned = asked.includes(filterType) ? fields : [...asked, filterType];
		let leads: IDataObject[];
		try {
			leads = await marketoFilterRequestAllItems.call(
				this,
				'/v1/leads.json',
				{
					filterType,
					values: members.flatMap((i) => (lookups[i] as Lookup).values),
					qs: returned.length ? { fields: returned } : {},
				},
				Infinity,
				members[0],
			);
		} catch (error) {
			if (!this.continueOnFail()) throw forItem(error, members[0]);
			for (const i of members) perItem[i] = [errorItem(error, i)];
			continue;
		}
		const byValue = new Map<string, IDataObject[]>();
		for (const lead of leads) {
			const key = matchKey(lead[filterType]);
			byValue.set(key, [...(byValue.get(key) ?? []), lead]);
		}
		for (const i of members) {
			const { values, limit } = lookups[i] as Lookup;
			const seen = new Set<unknown>();
			for (const value of new Set(values.map(matchKey))) {
				for (const lead of byValue.get(value) ?? []) {
					if (perItem[i].length >= limit || seen.has(lead.id)) continue;
					seen.add(lead.id);
					const json = asked.includes(filterType) ? lead : omitField(lead, filterType);
					perItem[i].push({ json, pairedItem: { item: i } });
				}
			}
		}
	}

	if (single.length) {
		const singles = await forEachItem.call(
			this,
			single.map((i) => items[i]),
			async (k) => {
				const { filterType, values, fields, limit } = lookups[single[k]] as Lookup;
				return await marketoFilterRequestAllItems.call(
					this,
					'/v1/leads.json',
					{ filterType, values, qs: fields.length ? { fields } : {} },
					limit,
					single[k],
				);
			},
		);
		for (const item of singles) {
			const i = single[(item.pairedItem as { item: number }).item];
			perItem[i].push({ ...item, pairedItem: { item: i } });
		}
	}
	return perItem.flat();
}

function omitField(lead: IDataObject, field: string): IDataObject {
	const rest = { ...lead };
	delete rest[field];
	return rest;
}
