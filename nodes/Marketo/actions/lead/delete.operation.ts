import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { itemsFromBatchResults } from '../../helpers/utils';
import { failItem, inItemOrder, type Operation } from '../../../shared/kit';
import { marketoBatchRequest, type BatchInputRecord } from '../../transport';

const properties: INodeProperties[] = [
	{
		displayName: 'Lead ID',
		name: 'leadId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 1001',
		description: 'The ID of the lead to delete (one per item; deletes are sent 300 at a time)',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['lead'], operation: ['delete'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const records: BatchInputRecord[] = [];
	const early: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		const value = String(this.getNodeParameter('leadId', i, '') ?? '').trim();
		if (!/^\d+$/.test(value)) {
			const error = new NodeOperationError(
				this.getNode(),
				`"${value}" in "Lead ID" of item ${i} is not a lead ID`,
				{
					description: 'A lead ID is a number, e.g. 1001; use Lead > Get Many to find IDs by email',
					itemIndex: i,
				},
			);
			early.push(failItem.call(this, error, i));
		}
		records.push({ itemIndex: i, record: { id: Number(value) } });
	}
	const results = await marketoBatchRequest.call(this, {
		path: '/v1/leads/delete.json',
		records,
		buildBody: (input) => ({ input }),
	});
	const out = itemsFromBatchResults.call(
		this,
		results,
		(r) => ({ id: r.input.id, deleted: true, status: r.status ?? 'deleted' }),
		'lead deletion',
	);
	return inItemOrder(early, out);
}

export const deleteLead: Operation = {
	option: {
		name: 'Delete',
		value: 'delete',
		description: 'Delete leads by ID',
		action: 'Delete leads',
	},
	description,
	execute,
};
