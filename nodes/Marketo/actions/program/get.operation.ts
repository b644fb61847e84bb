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
import { forEachItem, type Operation } from '../../../shared/kit';

const properties: INodeProperties[] = [programLocator, simplifyProperty];

export const description = updateDisplayOptions(
	{ show: { resource: ['program'], operation: ['get'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem.call(this, items, async (i) => {
		const locator = this.getNodeParameter('programId', i) as { mode: string; value: string };
		// By name, one call to byName.json returns the whole program; no second lookup by ID.
		const program =
			locator.mode === 'name' && String(locator.value ?? '').trim() !== ''
				? await getProgramByName.call(this, String(locator.value).trim(), i)
				: await getProgramById.call(this, await resolveProgramId.call(this, i), i);
		const simplify = this.getNodeParameter('simplify', i, true) as boolean;
		return simplify ? simplifyProgram(program) : program;
	});
}

export const get: Operation = {
	option: { name: 'Get', value: 'get', description: 'Get a program', action: 'Get a program' },
	description,
	execute,
};
