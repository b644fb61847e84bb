import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import {
	getProgramById,
	getProgramByName,
	programLocator,
	resolveProgramId,
	simplifyProgram,
	simplifyProperty,
} from './common';
import { errorItem, forItem } from '../../helpers/utils';

const properties: INodeProperties[] = [programLocator, simplifyProperty];

export const description = updateDisplayOptions(
	{ show: { resource: ['program'], operation: ['get'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const returnData: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const locator = this.getNodeParameter('programId', i) as { mode: string; value: string };
			// By name, one call to byName.json returns the whole program; no second lookup by ID.
			const program =
				locator.mode === 'name' && String(locator.value ?? '').trim() !== ''
					? await getProgramByName.call(this, String(locator.value).trim(), i)
					: await getProgramById.call(this, await resolveProgramId.call(this, i), i);
			const simplify = this.getNodeParameter('simplify', i, true) as boolean;
			returnData.push({ json: simplify ? simplifyProgram(program) : program, pairedItem: { item: i } });
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
