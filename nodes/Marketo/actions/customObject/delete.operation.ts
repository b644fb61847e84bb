import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { marketoBatchRequest, type BatchInputRecord } from '../../transport';
import { itemsFromBatchResults } from '../../helpers/utils';
import { failItem, type Operation } from '../../../shared/kit';
import {
	customObjectName,
	customObjectProperty,
	dedupeKeyRecord,
	dedupeKeysProperty,
	describeCache,
} from './common';

const properties: INodeProperties[] = [
	customObjectProperty,
	{
		displayName: 'Delete By',
		name: 'deleteBy',
		type: 'options',
		default: 'dedupeFields',
		options: [
			{
				name: 'Dedupe Fields',
				value: 'dedupeFields',
				description: "The custom object's dedupe fields",
			},
			{ name: 'Marketo GUID', value: 'idField', description: 'The marketoGUID of the record' },
		],
	},
	{
		...dedupeKeysProperty,
		displayOptions: { show: { deleteBy: ['dedupeFields'] } },
	},
	{
		displayName: 'Marketo GUID',
		name: 'marketoGUID',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 7e5fd7d4-0b6b-4a5d-8b8a-2e0c6bf0b0b1',
		displayOptions: { show: { deleteBy: ['idField'] } },
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['customObject'], operation: ['delete'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const describe = describeCache.call(this);
	const outputs: INodeExecutionData[][] = items.map(() => []);
	const groups = new Map<string, { name: string; deleteBy: string; records: BatchInputRecord[] }>();

	for (let i = 0; i < items.length; i++) {
		try {
			const name = customObjectName.call(this, i);
			const deleteBy = this.getNodeParameter('deleteBy', i) as string;
			const type = await describe(name, i);
			let record: IDataObject;
			if (deleteBy === 'idField') {
				const guid = String(this.getNodeParameter('marketoGUID', i) ?? '').trim();
				if (guid === '') {
					throw new NodeOperationError(this.getNode(), 'The "Marketo GUID" parameter is empty', {
						itemIndex: i,
						description: 'Give the marketoGUID of the record to delete, or delete by Dedupe Fields',
					});
				}
				record = { [type.idField]: guid };
			} else {
				record = dedupeKeyRecord.call(this, type, i);
			}
			const groupKey = `${name}|${deleteBy}`;
			let group = groups.get(groupKey);
			if (!group) {
				group = { name, deleteBy, records: [] };
				groups.set(groupKey, group);
			}
			group.records.push({ itemIndex: i, record });
		} catch (error) {
			outputs[i].push(failItem.call(this, error, i));
		}
	}

	for (const group of groups.values()) {
		const results = await marketoBatchRequest.call(this, {
			// With Continue on Fail a 607/1029/network failure becomes an error item per unsent record.
			path: `/v1/customobjects/${group.name}/delete.json`,
			records: group.records,
			buildBody: (input) => ({ deleteBy: group.deleteBy, input }),
		});
		// A record Marketo cannot find is skipped with 1013 "Object not found".
		const recordItems = itemsFromBatchResults.call(
			this,
			results,
			(r) => ({ deleted: true, marketoGUID: r.result?.marketoGUID, ...r.input }),
			'custom object record',
		);
		for (const item of recordItems) outputs[(item.pairedItem as { item: number }).item].push(item);
	}
	return outputs.flat();
}

export const deleteCustomObject: Operation = {
	option: {
		name: 'Delete',
		value: 'delete',
		description: 'Delete custom object records',
		action: 'Delete custom object records',
	},
	description,
	execute,
};
