import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { ProgressionStatus } from '../../helpers/interfaces';
import { programStatuses } from '../../helpers/metadata';
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

const properties: INodeProperties[] = [
	programLocator,
	leadIdProperty,
	{
		displayName: 'Status Name or ID',
		name: 'statusName',
		type: 'options',
		typeOptions: {
			loadOptionsMethod: 'getProgramMemberStatuses',
			loadOptionsDependsOn: ['programId.value'],
		},
		default: '',
		required: true,
		description:
			'A status of the program\'s channel, in step order. Marketo only moves members forward: a member already at or past this status is skipped. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['programMember'], operation: ['setStatus'] } },
	properties,
);

/** Adds leads to a program with a status, or moves members forward (`members/status.json`, upsert). */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const programId = programIdResolver.call(this);
	const channels = new Map<number, Promise<{ channel: string; statuses: ProgressionStatus[] }>>();
	const { results, early, writes } = await writeMembers.call(
		this,
		items,
		async (i) => {
			const id = await programId(i);
			const leadId = leadIdOf.call(this, i);
			const statusName = String(this.getNodeParameter('statusName', i, '') ?? '').trim();
			let channel = channels.get(id);
			if (!channel) {
				channel = programStatuses.call(this, id);
				channels.set(id, channel);
			}
			const { channel: channelName, statuses } = await channel;
			// Checked here: Marketo's 1025 "Program status not found" does not say which statuses exist.
			const match =
				statuses.find((s) => s.name === statusName) ??
				statuses.find((s) => s.name.toLowerCase() === statusName.toLowerCase());
			if (!match) {
				throw new NodeOperationError(
					this.getNode(),
					statusName
						? `"${statusName}" in "Status" of item ${i} is not a status of the program's channel "${channelName}"`
						: `Item ${i} has no "Status"`,
					{
						description: `Choose one of: ${statuses.map((s) => s.name).join(', ') || '(the channel has no statuses)'}`,
						itemIndex: i,
					},
				);
			}
			return { itemIndex: i, programId: id, groupKey: match.name, record: { leadId } };
		},
		async (id, statusName, records) =>
			await marketoBatchRequest.call(this, {
				continueOnFatal: this.continueOnFail(),
				path: `/v1/programs/${id}/members/status.json`,
				records,
				buildBody: (input) => ({ statusName, input }),
			}),
	);
	const out = itemsFromBatchResults.call(
		this,
		results,
		(r) => ({
			leadId: r.input.leadId,
			programId: writes.get(r.itemIndex)?.programId ?? null,
			statusName: writes.get(r.itemIndex)?.groupKey ?? null,
			status: r.status ?? null,
		}),
		'program member status',
	);
	return inItemOrder(early, out);
}

export const setStatus: Operation = {
	option: {
		name: 'Set Status',
		value: 'setStatus',
		description: 'Add leads to a program with a status, or move members forward',
		action: 'Set program member status',
	},
	description,
	execute,
};
