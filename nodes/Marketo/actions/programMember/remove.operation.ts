import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { itemsFromBatchResults } from '../../helpers/utils';
import { inItemOrder, type Operation } from '../../../shared/kit';
import {
	leadIdOf,
	leadIdProperty,
	programIdResolver,
	programLocator,
	writeMembers,
} from './common';
import { marketoBatchRequest } from '../../transport';

const properties: INodeProperties[] = [programLocator, leadIdProperty];

export const description = updateDisplayOptions(
	{ show: { resource: ['programMember'], operation: ['remove'] } },
	properties,
);

/** Removes leads from a program (`members/delete.json`); a lead that is not a member is skipped (1037). */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const programId = programIdResolver.call(this);
	const { results, early, writes } = await writeMembers.call(
		this,
		items,
		async (i) => ({
			itemIndex: i,
			programId: await programId(i),
			groupKey: '',
			record: { leadId: leadIdOf.call(this, i) },
		}),
		async (id, _key, records) =>
			await marketoBatchRequest.call(this, {
				path: `/v1/programs/${id}/members/delete.json`,
				records,
				buildBody: (input) => ({ input }),
			}),
	);
	const out = itemsFromBatchResults.call(
		this,
		results,
		(r) => ({
			leadId: r.input.leadId,
			programId: writes.get(r.itemIndex)?.programId ?? null,
			removed: true,
			status: r.status ?? null,
		}),
		'program member removal',
	);
	return inItemOrder(early, out);
}

export const remove: Operation = {
	option: {
		name: 'Remove',
		value: 'remove',
		description: 'Remove leads from a program',
		action: 'Remove program members',
	},
	description,
	execute,
};
