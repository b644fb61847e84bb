import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import type { SpotMeOperation } from '../../helpers/interfaces';
import { errorItem, workspaceParameter } from '../../helpers/utils';
import { asNodeError, documentTypeParameters, levelParameter } from './common';
import { documentMappingAndOptions } from './documentOptions';
import type { LeadIdLookup } from './leadIds';
import {
	beginningOfTime,
	normaliseDocuments,
	readDocuments,
	readPlan,
	sinceFormat,
} from './documents';
import { readLimit, returnAllProperties } from '../../../shared/returnAll';

const properties: INodeProperties[] = [
	workspaceParameter(),
	levelParameter(),
	...documentTypeParameters(),
	...returnAllProperties(),
	...documentMappingAndOptions(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['attendance'], operation: ['getAll'] } },
	properties,
);

async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	const lookups = new Map<string, LeadIdLookup>();
	for (let i = 0; i < items.length; i++) {
		try {
			const plan = readPlan.call(this, i);
			const limit = readLimit.call(this, i);
			const { docs } = await readDocuments.call(
				this,
				plan,
				beginningOfTime(sinceFormat.call(this, i)),
				limit,
				i,
			);
			out.push(...(await normaliseDocuments.call(this, docs, plan, i, lookups)));
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this, error, i);
			out.push(errorItem(error as Error, i));
		}
	}
	return out;
}

export const getAll: SpotMeOperation = {
	option: {
		name: 'Get Many',
		value: 'getAll',
		action: 'Get many attendance records',
		description: 'Read the attendance documents of a workspace from SpotMe, normalised for Marketo',
	},
	description,
	execute,
};
