import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { repairDuplicateLeads, repairFacts, retryAfterMerge } from '../../helpers/duplicates';
import { itemsFromBatchResults } from '../../helpers/utils';
import { failItem, inItemOrder, nodeParameter, type Operation } from '../../../shared/kit';
import {
	leadsOnce,
	marketoBatchRequest,
	nameDuplicates,
	type BatchInputRecord,
} from '../../transport';
import { SYSTEM_MANAGED_FIELDS } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Action',
		name: 'syncAction',
		type: 'options',
		options: [
			{
				name: 'Create Duplicate',
				value: 'createDuplicate',
				description: 'Always create a new lead, even if one with the same values exists',
			},
			{
				name: 'Create Only',
				value: 'createOnly',
				description: 'Create new leads; leads that already exist are skipped',
			},
			{
				name: 'Create or Update',
				value: 'createOrUpdate',
				description: 'Update the lead that matches the lookup field, or create it',
			},
			{
				name: 'Update Only',
				value: 'updateOnly',
				description: 'Update leads that match the lookup field; others are skipped',
			},
		],
		default: 'createOrUpdate',
	},
	{
		displayName: 'Lookup Field Name or ID',
		name: 'lookupField',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getLeadSearchableFields' },
		default: 'email',
		description:
			'The field that identifies an existing lead; every item needs a value for it. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: { syncAction: ['createOrUpdate', 'updateOnly'] } },
	},
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		typeOptions: {
			loadOptionsDependsOn: ['syncAction'],
			resourceMapper: {
				resourceMapperMethod: 'getLeadMappingColumns',
				mode: 'add',
				fieldWords: { singular: 'field', plural: 'fields' },
				addAllFields: false,
				multiKeyMatch: false,
				supportAutoMap: true,
			},
		},
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Partition Name or ID',
				name: 'partitionName',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getLeadPartitions' },
				default: '',
				description:
					'Lead partition for new leads (Create Only and Create or Update). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['lead'], operation: ['upsert'] } },
	properties,
);

function isBlank(value: unknown): boolean {
	return value === undefined || value === null || value === '';
}

/** The lead record an item maps to: the mapped fields, or the item's JSON with "Map Automatically". */
function leadRecord(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	i: number,
	action: string,
	mappingMode: string,
): IDataObject {
	const source =
		mappingMode === 'autoMapInputData'
			? items[i].json
			: ((nodeParameter(this, 'fields.value', i, {}) as IDataObject | null) ?? {});
	const record: IDataObject = {};
	for (const [key, value] of Object.entries(source)) {
		if (isBlank(value)) continue;
		if (SYSTEM_MANAGED_FIELDS.includes(key)) continue;
		// Marketo rejects `id` with anything but updateOnly (1003): an item read from Marketo carries one.
		if (key === 'id' && action !== 'updateOnly') continue;
		record[key] = value;
	}
	return record;
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const action = this.getNodeParameter('syncAction', 0) as string;
	const usesLookup = action === 'createOrUpdate' || action === 'updateOnly';
	const lookupField = usesLookup
		? (this.getNodeParameter('lookupField', 0, 'email') as string)
		: undefined;
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const partitionName =
		action === 'createOnly' || action === 'createOrUpdate' ? options.partitionName : undefined;

	// The mapping mode is the same for every item (a resource mapper takes no expression): read once,
	// so "Map Automatically" reads no parameter per item.
	const mappingMode = this.getNodeParameter('fields.mappingMode', 0, 'defineBelow') as string;
	const records: BatchInputRecord[] = [];
	const early: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const record = leadRecord.call(this, items, i, action, mappingMode);
			if (lookupField && isBlank(record[lookupField])) {
				throw new NodeOperationError(
					this.getNode(),
					`Item ${i} has no value for the lookup field "${lookupField}"`,
					{
						description: `Map a value to "${lookupField}" in Fields (or add it to the item), or pick another Lookup Field`,
						itemIndex: i,
					},
				);
			}
			if (Object.keys(record).length === 0) {
				throw new NodeOperationError(this.getNode(), `Item ${i} has no lead fields to send`, {
					description:
						'Map at least one field in Fields, or choose "Map Automatically" to send the item\'s JSON',
					itemIndex: i,
				});
			}
			const key = lookupField ? record[lookupField] : (record.email as string | undefined);
			records.push({
				itemIndex: i,
				record,
				lockKey: action === 'createDuplicate' || isBlank(key) ? undefined : String(key),
			});
		} catch (error) {
			early.push(failItem.call(this, error, i));
		}
	}

	const send = async (batch: BatchInputRecord[]) =>
		await marketoBatchRequest.call(this, {
			path: '/v1/leads.json',
			records: batch,
			lockScope: `leads:${lookupField ?? 'email'}`,
			// A lost answer is followed by a lookup by key, never by the same createOrUpdate again.
			exactlyOnce: action === 'createDuplicate' ? undefined : leadsOnce(lookupField ?? 'email'),
			buildBody: (input) => {
				const body: IDataObject = { action, input };
				if (lookupField) body.lookupField = lookupField;
				if (!isBlank(partitionName)) body.partitionName = partitionName;
				return body;
			},
		});
	const results = await send(records);
	// Queue mode: another n8n process may have created the same new lead at the same time; a key
	// held twice also made Marketo skip later writes (1007): merged, those are sent once more.
	const repairs =
		action === 'createOrUpdate' && lookupField
			? await repairDuplicateLeads.call(this, lookupField, results)
			: undefined;
	const again = results.flatMap((r, i) => (retryAfterMerge(r, lookupField, repairs) ? [i] : []));
	if (again.length) {
		const resent = await send(again.map((i) => records[i]));
		again.forEach((i, n) => (results[i] = resent[n]));
	}
	// Skipped with 1007 (the key is held by several leads): the error names the key and their ids.
	if (lookupField) {
		await nameDuplicates.call(this, leadsOnce(lookupField), results, (r) => r.code === '1007');
	}
	const out = itemsFromBatchResults.call(
		this,
		results,
		(r) => {
			const json: IDataObject = { id: r.result?.id ?? null, status: r.status ?? null };
			const keyField = lookupField ?? 'email';
			if (r.input[keyField] !== undefined) json[keyField] = r.input[keyField];
			return {
				...json,
				...repairFacts(repairs?.get(String(r.input[keyField] ?? '').toLowerCase())),
			};
		},
		'lead',
	);
	return inItemOrder(early, out);
}

export const upsert: Operation = {
	option: {
		name: 'Create or Update',
		value: 'upsert',
		description: 'Create a new record, or update the current one if it already exists (upsert)',
		action: 'Create or update leads',
	},
	description,
	execute,
};
