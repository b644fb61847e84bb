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

/** Member fields that match at most one member per program and value: lookups on them are combined across items. */
const KEY_FIELDS = new Set(['leadId']);

interface Lookup {
	programId: number;
	filterType: string;
	values: string[];
	/** what the item asked for (always fields + chosen), without the filter field added for matching */
	fields: string[];
	limit: number;
}

async function readLookup(this: IExecuteFunctions, i: number, programId: (i: number) => Promise<number>): Promise<Lookup> {
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
	return { programId: await programId(i), filterType, values, fields, limit };
}

/** Marketo compares member filter values case-insensitively (statusName "registered" finds "Registered"). */
const matchKey = (value: unknown) => String(value ?? '').trim().toLowerCase();

/**
 * One query per item would cost one Marketo call per item (100 calls per 20 s for the whole instance),
 * so lookups that can be combined are: items of the same program filtering on a key field (leadId) with
 * the same fields, or fetching all matches anyway (Return All), share calls of up to 300 values. Each
 * member found is then given to every item whose values it matches, up to that item's limit. Lookups on
 * other fields with a limit still run per item, so a broad filter (statusName) never fetches more than
 * was asked. updatedAt is a date-range filter (startAt/endAt), not values, so it is never combined.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const programId = programIdResolver.call(this);
	const lookups: Array<Lookup | undefined> = [];
	const perItem: INodeExecutionData[][] = items.map(() => []);
	const groups = new Map<string, number[]>();
	const single: number[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const lookup = await readLookup.call(this, i, programId);
			lookups[i] = lookup;
			if (lookup.filterType !== 'updatedAt' && (KEY_FIELDS.has(lookup.filterType) || lookup.limit === Infinity)) {
				const key = JSON.stringify([lookup.programId, lookup.filterType, [...lookup.fields].sort()]);
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
		const { programId: id, filterType, fields } = lookups[members[0]] as Lookup;
		// The filter field must come back to match members to items; it is dropped again if not asked for.
		const asked = fields.includes(filterType);
		let found: IDataObject[];
		try {
			found = await marketoFilterRequestAllItems.call(
				this,
				`/v1/programs/${id}/members.json`,
				{
					filterType,
					values: members.flatMap((i) => (lookups[i] as Lookup).values),
					qs: { fields: asked ? fields : [...fields, filterType] },
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
		for (const member of found) {
			const key = matchKey(member[filterType]);
			byValue.set(key, [...(byValue.get(key) ?? []), member]);
		}
		for (const i of members) {
			const { values, limit } = lookups[i] as Lookup;
			const seen = new Set<IDataObject>();
			for (const value of new Set(values.map(matchKey))) {
				for (const member of byValue.get(value) ?? []) {
					if (perItem[i].length >= limit || seen.has(member)) continue;
					seen.add(member);
					const json = asked ? { ...member } : omitField(member, filterType);
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
				const { programId: id, filterType, values, fields, limit } = lookups[single[k]] as Lookup;
				return await marketoFilterRequestAllItems.call(
					this,
					`/v1/programs/${id}/members.json`,
					{ filterType, values, qs: { fields } },
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

function omitField(member: IDataObject, field: string): IDataObject {
	const rest = { ...member };
	delete rest[field];
	return rest;
}
