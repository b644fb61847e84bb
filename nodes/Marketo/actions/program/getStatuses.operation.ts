import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { programStatuses } from '../../helpers/metadata';
import { forEachItem, type Operation } from '../../../shared/kit';
import { programLocator, resolveProgramId } from './common';

const properties: INodeProperties[] = [programLocator];

export const description = updateDisplayOptions(
	{ show: { resource: ['program'], operation: ['getStatuses'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem.call(this, items, async (i) => {
		const programId = await resolveProgramId.call(this, i);
		// Statuses belong to the program's channel (program → channel name → channel/byName), in step order.
		const { channel, statuses } = await programStatuses.call(this, programId);
		return statuses.map((status) => ({
			programId,
			channel,
			name: status.name,
			step: status.step,
			success: status.success ?? false,
			hidden: status.hidden ?? false,
			description: status.description ?? '',
		}));
	});
}

export const getStatuses: Operation = {
	option: {
		name: 'Get Statuses',
		value: 'getStatuses',
		description: "Get the progression statuses of a program's channel, in step order",
		action: 'Get program statuses',
	},
	description,
	execute,
};
