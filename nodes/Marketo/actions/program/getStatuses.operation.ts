import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { programStatuses } from '../../helpers/metadata';
import { errorItem, forItem } from '../../helpers/utils';
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
	const returnData: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const programId = await resolveProgramId.call(this, i);
			// Statuses belong to the program's channel (program → channel name → channel/byName), in step order.
			const { channel, statuses } = await programStatuses.call(this, programId);
			for (const status of statuses) {
				returnData.push({
					json: {
						programId,
						channel,
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
