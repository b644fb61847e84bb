import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { marketoApiRequest, marketoApiRequestAllItems } from '../../transport';
import { errorItem, forItem } from '../../helpers/utils';
import {
	customObjectName,
	customObjectProperty,
	dedupeKeyRecord,
	dedupeKeysProperty,
	describeCache,
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
		typeOptions: { loadOptionsMethod: 'getCustomObjectFilterTypes', loadOptionsDependsOn: ['customObjectName'] },
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
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
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
				typeOptions: { loadOptionsMethod: 'getCustomObjectFieldNames', loadOptionsDependsOn: ['customObjectName'] },
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
		throw new NodeOperationError(this.getNode(), `"Values" has ${values.length} values; Marketo takes at most 300`, {
			itemIndex: i,
			description: 'Split the values over several items',
		});
	}
	return values;
}

function filterTypeIsKnown(type: CustomObjectDescription, filterType: string): boolean {
	if (filterType === 'dedupeFields' || filterType === 'idField') return true;
	return type.searchableFields.some((s) => s.length === 1 && s[0] === filterType);
}

/**
 * Compound dedupe keys cannot be expressed in a query string, so Marketo takes them as
 * POST ?_method=GET with a JSON body; the next page resends every input with the token.
 */
async function queryByCompoundKey(
	this: IExecuteFunctions,
	name: string,
	input: IDataObject[],
	fields: string[],
	limit: number,
	i: number,
): Promise<IDataObject[]> {
	const records: IDataObject[] = [];
	let nextPageToken: string | undefined;
	do {
		const body: IDataObject = { filterType: 'dedupeFields', fields, input, batchSize: PAGE_SIZE };
		if (nextPageToken) body.nextPageToken = nextPageToken;
		const response = await marketoApiRequest.call(this, 'POST', `/v1/customobjects/${name}.json`, {
			qs: { _method: 'GET' },
			body,
			itemIndex: i,
		});
		const page = response.result ?? [];
		records.push(...page);
		nextPageToken = page.length > 0 ? response.nextPageToken : undefined;
	} while (nextPageToken && records.length < limit);
	return records.slice(0, limit);
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const describe = describeCache.call(this);
	const returnData: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const name = customObjectName.call(this, i);
			const type = await describe(name, i);
			const filterType = String(this.getNodeParameter('filterType', i) ?? '');
			if (!filterTypeIsKnown(type, filterType)) {
				throw new NodeOperationError(this.getNode(), `${name} cannot be looked up by "${filterType}"`, {
					itemIndex: i,
					description: `Set "Filter By" to Dedupe Fields, Marketo GUID or a searchable field of ${name}: ${type.searchableFields
						.filter((s) => s.length === 1)
						.map((s) => s[0])
						.join(', ')}`,
				});
			}
			const returnAll = this.getNodeParameter('returnAll', i) as boolean;
			const limit = returnAll ? Infinity : (this.getNodeParameter('limit', i) as number);
			const options = this.getNodeParameter('options', i, {}) as IDataObject;
			let fields = ((options.fields as string[] | undefined) ?? []).filter((f) => f !== '');
			// Marketo returns only the key fields by default; the node's default is every field.
			if (fields.length === 0) fields = type.fields.map((f) => f.name);

			let records: IDataObject[];
			if (filterType === 'dedupeFields') {
				const key = dedupeKeyRecord.call(this, type, i);
				records = await queryByCompoundKey.call(this, name, [key], fields, limit, i);
			} else {
				records = await marketoApiRequestAllItems.call(
					this,
					'GET',
					`/v1/customobjects/${name}.json`,
					{
						qs: {
							filterType,
							filterValues: splitValues.call(this, i).join(','),
							fields: fields.join(','),
							batchSize: PAGE_SIZE,
						},
						itemIndex: i,
					},
					{ limit: Number.isFinite(limit) ? limit : undefined },
				);
			}
			for (const record of records) {
				// `seq` only says which input matched; it means nothing to the workflow.
				const json = { ...record };
				delete json.seq;
				returnData.push({ json, pairedItem: { item: i } });
			}
		} catch (error) {
			if (this.continueOnFail()) {
				returnData.push(errorItem(error, i));
				continue;
			}
			throw forItem(error, i);
		}
	}
	return returnData;
}
