import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import {
	customObjectsOnce,
	marketoBatchRequest,
	type BatchInputRecord,
	type BatchItemResult,
} from '../../transport';
import { itemsFromBatchResults } from '../../helpers/utils';
import { failItem, type Operation } from '../../../shared/kit';
import {
	customObjectName,
	customObjectProperty,
	describeCache,
	type CustomObjectDescription,
} from './common';

const properties: INodeProperties[] = [
	customObjectProperty,
	{
		displayName: 'Action',
		name: 'syncAction',
		type: 'options',
		default: 'createOrUpdate',
		options: [
			{
				name: 'Create or Update',
				value: 'createOrUpdate',
				description: 'Create the record, or update it if it exists',
			},
			{
				name: 'Create Only',
				value: 'createOnly',
				description: 'Create the record; skip it if it exists',
			},
			{
				name: 'Update Only',
				value: 'updateOnly',
				description: 'Update the record; skip it if it does not exist',
			},
		],
	},
	{
		displayName: 'Match By',
		name: 'dedupeBy',
		type: 'options',
		default: 'dedupeFields',
		options: [
			{
				name: 'Dedupe Fields',
				value: 'dedupeFields',
				description: "The custom object's dedupe fields (every one of them must be given)",
			},
			{
				name: 'Marketo GUID',
				value: 'idField',
				description: 'The marketoGUID of an existing record (update only)',
			},
		],
	},
	{
		displayName: 'Fields',
		name: 'columns',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		// Until a custom object is chosen there are no fields to map (the editor would say so in red).
		displayOptions: { hide: { customObjectName: [''] } },
		typeOptions: {
			loadOptionsDependsOn: ['customObjectName', 'dedupeBy'],
			resourceMapper: {
				resourceMapperMethod: 'getCustomObjectColumns',
				mode: 'add',
				fieldWords: { singular: 'field', plural: 'fields' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: true,
			},
		},
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['customObject'], operation: ['upsert'] } },
	properties,
);

/**
 * The record of item `i`: the mapped fields, or the item's own fields with "Map Automatically".
 * Fields Marketo maintains itself (createdAt, updatedAt, and the marketoGUID unless records are
 * matched by it) are left out, so the output of Get Many can be fed straight back in.
 */
function recordOf(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	type: CustomObjectDescription,
	dedupeBy: string,
	i: number,
): IDataObject {
	const mode = this.getNodeParameter('columns.mappingMode', i, 'defineBelow') as string;
	const source =
		mode === 'autoMapInputData'
			? items[i].json
			: ((this.getNodeParameter('columns.value', i, {}) as IDataObject | null) ?? {});
	const readOnly = new Set(
		type.fields
			.filter(
				(f) => !f.updateable && !type.dedupeFields.includes(f.name) && f.name !== type.idField,
			)
			.map((f) => f.name),
	);
	if (dedupeBy !== 'idField') readOnly.add(type.idField);
	const record: IDataObject = {};
	for (const [key, value] of Object.entries(source)) {
		// An unset mapper field arrives as null; sending it would blank the field in Marketo.
		if (value === null || value === undefined) continue;
		if (readOnly.has(key)) continue;
		record[key] = value;
	}
	return record;
}

/** Checks a record against the type, so a missing key fails on its own item instead of inside Marketo. */
function checkRecord(
	this: IExecuteFunctions,
	type: CustomObjectDescription,
	record: IDataObject,
	dedupeBy: string,
	i: number,
): void {
	const known = new Set(type.fields.map((f) => f.name));
	const unknown = Object.keys(record).filter((k) => !known.has(k));
	if (unknown.length > 0) {
		throw new NodeOperationError(
			this.getNode(),
			`${unknown.map((k) => `"${k}"`).join(', ')} ${unknown.length === 1 ? 'is not a field' : 'are not fields'} of custom object ${type.name}`,
			{
				itemIndex: i,
				description: `Remove or rename ${unknown.length === 1 ? 'it' : 'them'} (with "Map Automatically", only send fields of ${type.name}: ${type.fields
					.map((f) => f.name)
					.join(', ')})`,
			},
		);
	}
	const required = dedupeBy === 'idField' ? [type.idField] : type.dedupeFields;
	const missing = required.filter((f) => record[f] === undefined || record[f] === '');
	if (missing.length > 0) {
		throw new NodeOperationError(
			this.getNode(),
			`The record lacks ${missing.map((f) => `"${f}"`).join(', ')}, needed to match ${type.name} records`,
			{
				itemIndex: i,
				description:
					dedupeBy === 'idField'
						? `With "Match By" set to Marketo GUID, every record needs its ${type.idField}`
						: `A ${type.name} record is identified by its dedupe fields (${type.dedupeFields.join(', ')}); give each a value, or match by Marketo GUID`,
			},
		);
	}
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const describe = describeCache.call(this);
	const outputs: INodeExecutionData[][] = items.map(() => []);
	// Items are grouped per (object, action, match) so each group can go in batches of ≤300, in input order.
	const groups = new Map<
		string,
		{
			name: string;
			action: string;
			dedupeBy: string;
			type: CustomObjectDescription;
			records: BatchInputRecord[];
		}
	>();

	for (let i = 0; i < items.length; i++) {
		let record: IDataObject | undefined;
		try {
			const name = customObjectName.call(this, i);
			const action = this.getNodeParameter('syncAction', i) as string;
			const dedupeBy = this.getNodeParameter('dedupeBy', i) as string;
			// Marketo rejects idField with createOnly: a new record has no marketoGUID yet.
			if (dedupeBy === 'idField' && action === 'createOnly') {
				throw new NodeOperationError(
					this.getNode(),
					'"Match By" Marketo GUID cannot create records',
					{
						itemIndex: i,
						description: 'Set "Action" to Update Only, or match by Dedupe Fields to create records',
					},
				);
			}
			const type = await describe(name, i);
			record = recordOf.call(this, items, type, dedupeBy, i);
			checkRecord.call(this, type, record, dedupeBy, i);
			const groupKey = `${name}|${action}|${dedupeBy}`;
			let group = groups.get(groupKey);
			if (!group) {
				group = { name, action, dedupeBy, type, records: [] };
				groups.set(groupKey, group);
			}
			const keyFields = dedupeBy === 'idField' ? [type.idField] : type.dedupeFields;
			group.records.push({
				itemIndex: i,
				record,
				lockKey: JSON.stringify(keyFields.map((f) => record![f])),
			});
		} catch (error) {
			outputs[i].push(failItem.call(this, error, i, { input: record }));
		}
	}

	const results: BatchItemResult[] = [];
	for (const group of groups.values()) {
		const sent = await marketoBatchRequest.call(this, {
			// With Continue on Fail a 607/1029/network failure becomes an error item per unsent record.
			path: `/v1/customobjects/${group.name}.json`,
			records: group.records,
			lockScope: `customobject:${group.name}`,
			// By dedupe fields a lost answer is followed by a lookup, never by the same call again
			// (by marketoGUID a call cannot create, so sending it again is harmless).
			exactlyOnce:
				group.dedupeBy === 'dedupeFields'
					? customObjectsOnce(group.name, group.type.dedupeFields)
					: undefined,
			buildBody: (input) => ({ action: group.action, dedupeBy: group.dedupeBy, input }),
		});
		// One by one: spreading 250 000 results into push() overflows the call stack.
		for (const r of sent) results.push(r);
	}
	const recordItems = itemsFromBatchResults.call(
		this,
		results,
		(r) => ({ ...r.input, marketoGUID: r.result?.marketoGUID, status: r.status }),
		'custom object record',
	);
	for (const item of recordItems) outputs[(item.pairedItem as { item: number }).item].push(item);
	return outputs.flat();
}

export const upsert: Operation = {
	option: {
		name: 'Create or Update',
		value: 'upsert',
		description: 'Create a new record, or update the current one if it already exists (upsert)',
		action: 'Create or update custom object records',
	},
	description,
	execute,
};
