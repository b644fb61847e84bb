import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { marketoApiRequestAllPages } from '../../transport';
import { simplifyItems, simplifyProperty } from '../../helpers/simplify';
import {
	failItem,
	type LookupEntry,
	type Operation,
	readLimit,
	returnAllProperties,
	runCombinedLookups,
} from '../../../shared/kit';
import {
	customObjectName,
	customObjectProperty,
	dedupeKeyRecord,
	dedupeKeysProperty,
	describeCache,
	typedValue,
	type CustomObjectDescription,
} from './common';

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
	simplifyProperty,
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

interface KeyEntry extends LookupEntry {
	key: IDataObject;
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
	const entries: KeyEntry[] = group.lookups.flatMap((l) =>
		l.keys.map((key) => ({ itemIndex: l.itemIndex, limit: l.limit, key })),
	);
	const path = `/v1/customobjects/${group.name}.json`;
	await runCombinedLookups(this, entries, outputs, {
		chunkSize: PAGE_SIZE,
		keyOf: (e) => JSON.stringify(e.key),
		fetch: async (chunk, accept) => {
			const itemIndex = chunk[0].itemIndex;
			if (group.filterType === 'dedupeFields') {
				const body: IDataObject = {
					filterType: group.filterType,
					fields: group.fields,
					input: chunk.map((e) => e.key),
					batchSize: PAGE_SIZE,
				};
				const options = { qs: { _method: 'GET' }, body, itemIndex };
				await marketoApiRequestAllPages.call(this, 'POST', path, options, {
					tokenInBody: true,
					onPage: accept,
				});
				return;
			}
			const qs: IDataObject = {
				filterType: group.filterType,
				filterValues: chunk.map((e) => String(e.key[group.keyFields[0]])).join(','),
				fields: group.fields.join(','),
				batchSize: PAGE_SIZE,
			};
			await marketoApiRequestAllPages.call(
				this,
				'GET',
				path,
				{ qs, itemIndex },
				{ onPage: accept },
			);
		},
		// `seq` is the index of the key that matched; without it, the key values say.
		owners: (record, chunk) => {
			const entry =
				typeof record.seq === 'number'
					? chunk[record.seq]
					: chunk.find((e) => sameKey(record, e.key));
			return entry ? [entry] : [];
		},
		// `seq` only says which key matched; it means nothing to the workflow.
		shape: (record) => {
			const json = { ...record };
			delete json.seq;
			return json;
		},
	});
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
			outputs[i].push(failItem.call(this, error, i));
		}
	}
	for (const group of groups.values()) await runLookups.call(this, group, outputs);
	return simplifyItems.call(this, outputs.flat());
}

export const getAll: Operation = {
	option: {
		name: 'Get Many',
		value: 'getAll',
		description: 'Get custom object records by a field or by their dedupe fields',
		action: 'Get many custom object records',
	},
	description,
	execute,
};
