import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { marketoApiRequest } from '../../transport';
import { getProgramById, programLocator, resolveProgramId } from './common';
import { errorItem, forItem } from '../../helpers/utils';

const properties: INodeProperties[] = [programLocator];

export const description = updateDisplayOptions(
	{ show: { resource: ['program'], operation: ['getStatuses'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const returnData: INodeExecutionData[] = [];
	const channelCache = new Map<string, IDataObject>();
	for (let i = 0; i < items.length; i++) {
		try {
			const programId = await resolveProgramId.call(this, i);
			const program = await getProgramById.call(this, programId, i);
			const channelName = String(program.channel ?? '');
			if (!channelName) {
				throw new NodeOperationError(this.getNode(), `Program ${programId} has no channel`, {
					itemIndex: i,
					description: 'Only programs with a channel have progression statuses; set one in Marketo',
				});
			}
			// Statuses belong to the program's channel, and channels are looked up by name only (no by-ID endpoint).
			let channel = channelCache.get(channelName);
			if (!channel) {
				const response = (await marketoApiRequest.call(this, 'GET', '/asset/v1/channel/byName.json', {
					qs: { name: channelName },
				})) as IDataObject;
				channel = ((response.result as IDataObject[] | undefined) ?? [])[0];
				if (!channel) {
					throw new NodeOperationError(this.getNode(), `Marketo has no channel named "${channelName}"`, {
						itemIndex: i,
						description: `Program ${programId} refers to it; check the channel in Marketo's Admin > Tags`,
					});
				}
				channelCache.set(channelName, channel);
			}
			const statuses = [...((channel.progressionStatuses as IDataObject[] | undefined) ?? [])].sort(
				(a, b) => Number(a.step) - Number(b.step),
			);
			for (const status of statuses) {
				returnData.push({
					json: {
						programId,
						channel: channelName,
						name: status.name,
						step: status.step,
						success: status.success ?? false,
						hidden: status.hidden ?? false,
						description: status.description ?? '',
					},
					pairedItem: { item: i },
				});
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
