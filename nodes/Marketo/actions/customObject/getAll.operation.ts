import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { marketoApiRequest } from '../../transport';
import { errorItem, forItem } from '../../helpers/utils';
import {
	customObjectName,
	customObjectProperty,
	dedupeKeyRecord,
	dedupeKeysProperty,
	describeCache,
	typedValue,
	type CustomObjectDescription,
} from './common';
import { readLimit, returnAllProperties } from '../../../shared/returnAll';

/** Lead-database queries return at most 300 records per page and take at most 300 filter values. */
const PAGE_SIZE = 300;

const properties: INodeProperties[] = [
	customObjectProperty,
	{
		displayName: 'Filter By Name or ID',
		name: 'filterType',
		type: 'options',
		typeOptions: {
			loadOptionsMethod: 'getCustomObjectFilterTypes',
			loadOptionsDependsOn: ['customObjectName'],
		},
		required: true,
		default: 'dedupeFields',
		description:
			'The field to look records up by: the dedupe fields (compound keys too), the Marketo GUID, or a searchable field. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		...dedupeKeysProperty,
		displayOptions: { show: { filterType: ['dedupeFields'] } },
	},
	{
		displayName: 'Values',
		name: 'filterValues',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. value1,value2',
		description: 'The values to look for, separated by commas (at most 300)',
		displayOptions: { hide: { filterType: ['dedupeFields'] } },
	},
	...returnAllProperties(),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Field Names or IDs',
				name: 'fields',
				type: 'multiOptions',
				typeOptions: {
					loadOptionsMethod: 'getCustomObjectFieldNames',
					loadOptionsDependsOn: ['customObjectName'],
				},
				default: [],
				description:
					'The fields to return (all fields when empty). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['customObject'], operation: ['getAll'] } },
	properties,
);

function splitValues(this: IExecuteFunctions, i: number): string[] {
	const raw = this.getNodeParameter('filterValues', i, '') as unknown;
	const values = (Array.isArray(raw) ? raw.map(String) : String(raw ?? '').split(','))
		.map((v) => v.trim())
		.filter((v) => v !== '');
	if (values.length === 0) {
		throw new NodeOperationError(this.getNode(), 'The "Values" parameter is empty', {
			itemIndex: i,
			description: 'Give at least one value to look for',
		});
	}
	if (values.length > PAGE_SIZE) {
		throw new NodeOperationError(
			this.getNode(),
			`"Values" has ${values.length} values; Marketo takes at most 300`,
			{
				itemIndex: i,
				description: 'Split the values over several items',
			},
		);
	}
	return values;
}

function filterTypeIsKnown(type: CustomObjectDescription, filterType: string): boolean {
	if (filterType === 'dedupeFields' || filterType === 'idField') return true;
	return type.searchableFields.some((s) => s.length === 1 && s[0] === filterType);
}

/** One input item's lookup: the keys it looks for and how many records it wants. */
interface Lookup {
	itemIndex: number;
	keys: IDataObject[];
	limit: number;
}

interface LookupGroup {
	name: string;
	filterType: string;
	keyFields: string[];
	fields: string[];
	lookups: Lookup[];
}

function sameKey(record: IDataObject, key: IDataObject): boolean {
	return Object.entries(key).every(
		([f, v]) => String(record[f] ?? '').toLowerCase() === String(v ?? '').toLowerCase(),
	);
}

/**
 * Looks up the keys of many items with as few calls as Marketo allows: up to 300 keys per query,
 * results tied back to their item by `seq` (the index of the key that matched), or by the key values
 * when Marketo leaves `seq` out. Compound dedupe keys cannot be put in a query string, so they go as
 * POST ?_method=GET with a JSON body (the next page resends every input with the token); single-field
 * keys use GET with filterValues (the transport turns an over-long URL into a form POST).
 */
async function runLookups(
	this: IExecuteFunctions,
	group: LookupGroup,
	outputs: INodeExecutionData[][],
): Promise<void> {
	const entries = group.lookups.flatMap((l) => l.keys.map((key) => ({ lookup: l, key })));
	const found = new Map<number, number>(group.lookups.map((l) => [l.itemIndex, 0]));
	for (let start = 0; start < entries.length; start += PAGE_SIZE) {
		const chunk = entries.slice(start, start + PAGE_SIZE);
		const wanting = () => chunk.some((e) => (found.get(e.lookup.itemIndex) ?? 0) < e.lookup.limit);
		try {
			let nextPageToken: string | undefined;
			do {
				let response;
				if (group.filterType === 'dedupeFields') {
					const body: IDataObject = {
						filterType: group.filterType,
						fields: group.fields,
						input: chunk.map((e) => e.key),
						batchSize: PAGE_SIZE,
					};
					if (nextPageToken) body.nextPageToken = nextPageToken;
					response = await marketoApiRequest.call(
						this,
						'POST',
						`/v1/customobjects/${group.name}.json`,
						{
							qs: { _method: 'GET' },
							body,
							itemIndex: chunk[0].lookup.itemIndex,
						},
					);
				} else {
					const qs: IDataObject = {
						filterType: group.filterType,
						filterValues: chunk.map((e) => String(e.key[group.keyFields[0]])).join(','),
						fields: group.fields.join(','),
						batchSize: PAGE_SIZE,
					};
					if (nextPageToken) qs.nextPageToken = nextPageToken;
					response = await marketoApiRequest.call(
						this,
						'GET',
						`/v1/customobjects/${group.name}.json`,
						{
							qs,
							itemIndex: chunk[0].lookup.itemIndex,
						},
					);
				}
				const page = response.result ?? [];
				for (const record of page) {
					const entry =
						typeof record.seq === 'number'
							? chunk[record.seq]
							: chunk.find((e) => sameKey(record, e.key));
					if (!entry) continue;
					const i = entry.lookup.itemIndex;
					const count = found.get(i) ?? 0;
					if (count >= entry.lookup.limit) continue;
					found.set(i, count + 1);
					// `seq` only says which key matched; it means nothing to the workflow.
					const json = { ...record };
					delete json.seq;
					outputs[i].push({ json, pairedItem: { item: i } });
				}
				const previous = nextPageToken;
				nextPageToken = response.nextPageToken;
				const more = response.moreResult === true || (!!nextPageToken && page.length > 0);
				if (!more || nextPageToken === previous) nextPageToken = undefined;
			} while (nextPageToken && wanting());
		} catch (error) {
			// The whole query failed (after the transport's retries): every item in it gets the error.
			const items = [...new Set(chunk.map((e) => e.lookup.itemIndex))];
			if (!this.continueOnFail()) throw forItem(error, items[0]);
			for (const i of items) {
				outputs[i].length = 0;
				outputs[i].push(errorItem(error, i));
			}
		}
	}
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const describe = describeCache.call(this);
	const outputs: INodeExecutionData[][] = items.map(() => []);
	const groups = new Map<string, LookupGroup>();
	for (let i = 0; i < items.length; i++) {
		try {
			const name = customObjectName.call(this, i);
			const type = await describe(name, i);
			const filterType = String(this.getNodeParameter('filterType', i) ?? '');
			if (!filterTypeIsKnown(type, filterType)) {
				throw new NodeOperationError(
					this.getNode(),
					`${name} cannot be looked up by "${filterType}"`,
					{
						itemIndex: i,
						description: `Set "Filter By" to Dedupe Fields, Marketo GUID or a searchable field of ${name}: ${type.searchableFields
							.filter((s) => s.length === 1)
							.map((s) => s[0])
							.join(', ')}`,
					},
				);
			}
			const limit = readLimit.call(this, i);
			const options = this.getNodeParameter('options', i, {}) as IDataObject;
			let fields = ((options.fields as string[] | undefined) ?? []).filter((f) => f !== '');
			// Marketo returns only the key fields by default; the node's default is every field.
			if (fields.length === 0) fields = type.fields.map((f) => f.name);

			let keyFields: string[];
			let keys: IDataObject[];
			if (filterType === 'dedupeFields') {
				keyFields = type.dedupeFields;
				keys = [dedupeKeyRecord.call(this, type, i)];
			} else {
				const field = filterType === 'idField' ? type.idField : filterType;
				keyFields = [field];
				keys = splitValues.call(this, i).map((v) => ({ [field]: typedValue(type, field, v) }));
			}
			const groupKey = `${name}|${filterType}|${fields.join(',')}`;
			let group = groups.get(groupKey);
			if (!group) {
				group = { name, filterType, keyFields, fields, lookups: [] };
				groups.set(groupKey, group);
			}
			group.lookups.push({ itemIndex: i, keys, limit });
		} catch (error) {
			if (this.continueOnFail()) {
				outputs[i].push(errorItem(error, i));
				continue;
			}
			throw forItem(error, i);
		}
	}
	for (const group of groups.values()) await runLookups.call(this, group, outputs);
	return outputs.flat();
}
