import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { ProgressionStatus } from '../../helpers/interfaces';
import { programStatuses } from '../../helpers/metadata';
import { currentMemberStatuses, decideMove, parseSameStepMoves } from '../../helpers/statusMoves';
import { itemsFromBatchResults } from '../../helpers/utils';
import { inItemOrder, nodeParameter, type Operation } from '../../../shared/kit';
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
			'A status of the program\'s channel, in step order. Members only move forward: the current statuses are read first (300 members per call), and a member already at or past this status is skipped and reported, not written. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Allowed Same-Step Moves',
				name: 'sameStepMoves',
				type: 'string',
				default: '',
				placeholder: 'e.g. Attended On-demand -> Attended',
				description:
					'Moves between two statuses of the same step to send, as From -> To, separated by commas. Any other same-step move is skipped (so "Attended" is never replaced by "No Show" in a channel that puts them on one step).',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['programMember'], operation: ['setStatus'] } },
	properties,
);

/** Marketo's per-record code for a member it left at its status (already in or past it). */
const MARKETO_SKIPPED_STATUS = '1037';

/** Adds leads to a program with a status, or moves members forward (`members/status.json`, upsert). */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const programId = programIdResolver.call(this);
	const channels = new Map<number, Promise<{ channel: string; statuses: ProgressionStatus[] }>>();
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const allowed = parseSameStepMoves(String(options.sameStepMoves ?? ''), this.getNode());
	// Every lead of a program, so its current statuses are read once (300 per call) before any write.
	const leadsOf = new Map<number, Set<number>>();
	const targetOf = new Map<number, ProgressionStatus>();
	const currentOf = new Map<number, Promise<Map<number, string>>>();
	const skipped: INodeExecutionData[] = [];
	const { results, early, writes } = await writeMembers.call(
		this,
		items,
		async (i) => {
			const id = await programId(i);
			const leadId = leadIdOf.call(this, i);
			const statusName = String(nodeParameter(this, 'statusName', i, '') ?? '').trim();
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
			(leadsOf.get(id) ?? leadsOf.set(id, new Set()).get(id)!).add(leadId);
			targetOf.set(i, match);
			return { itemIndex: i, programId: id, groupKey: match.name, record: { leadId } };
		},
		async (id, statusName, records) => {
			let current = currentOf.get(id);
			if (!current) {
				current = currentMemberStatuses.call(this, id, [...(leadsOf.get(id) ?? [])]);
				currentOf.set(id, current);
			}
			const now = await current;
			const { statuses } = await channels.get(id)!;
			const toSend = records.filter((r) => {
				const leadId = Number(r.record.leadId);
				const decision = decideMove(now.get(leadId), targetOf.get(r.itemIndex)!, statuses, allowed);
				if (decision.send) return true;
				const json = { leadId, programId: id, statusName, status: 'skipped' as const };
				skipped.push({
					json: { ...json, currentStatus: now.get(leadId) ?? null, reason: decision.reason },
					pairedItem: { item: r.itemIndex },
				});
				return false;
			});
			if (!toSend.length) return [];
			return await marketoBatchRequest.call(this, {
				path: `/v1/programs/${id}/members/status.json`,
				records: toSend,
				buildBody: (input) => ({ statusName, input }),
			});
		},
	);
	// Marketo's own skip (1037: already in or past this status, e.g. moved between our read and the
	// write) is the same outcome as a move skipped after the read: a skipped member, not a failure.
	const sent = results.filter((r) => {
		if (r.success || r.code !== MARKETO_SKIPPED_STATUS) return true;
		skipped.push({
			json: {
				leadId: r.input.leadId,
				programId: writes.get(r.itemIndex)?.programId ?? null,
				statusName: writes.get(r.itemIndex)?.groupKey ?? null,
				status: 'skipped',
				currentStatus: null,
				reason: `Marketo skipped it (${r.code}): ${r.message ?? 'already in or past this status'}`,
			},
			pairedItem: { item: r.itemIndex },
		});
		return false;
	});
	const out = itemsFromBatchResults.call(
		this,
		sent,
		(r) => ({
			leadId: r.input.leadId,
			programId: writes.get(r.itemIndex)?.programId ?? null,
			statusName: writes.get(r.itemIndex)?.groupKey ?? null,
			status: r.status ?? null,
		}),
		'program member status',
	);
	return inItemOrder(early, skipped, out);
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
