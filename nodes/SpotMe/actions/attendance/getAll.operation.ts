import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import type { SpotMeOperation } from '../../helpers/interfaces';
import { workspaceParameter } from '../../helpers/utils';
import { asNodeError, documentTypeParameters, levelParameter } from './common';
import { documentMappingAndOptions } from './documentOptions';
import type { LeadIdLookup } from './leadIds';
import { beginningOfTime, normaliseDocuments, readDocuments, readPlan, sinceFormat } from './documents';

const properties: INodeProperties[] = [
	workspaceParameter(),
	levelParameter(),
	...documentTypeParameters(),
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	...documentMappingAndOptions(),
];

export const description = updateDisplayOptions({ show: { resource: ['attendance'], operation: ['getAll'] } }, properties);

async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	const lookups = new Map<string, LeadIdLookup>();
	for (let i = 0; i < items.length; i++) {
		try {
			const plan = readPlan.call(this, i);
			const returnAll = this.getNodeParameter('returnAll', i, false) as boolean;
			const limit = returnAll ? Infinity : (this.getNodeParameter('limit', i, 50) as number);
			const { docs } = await readDocuments.call(this, plan, beginningOfTime(sinceFormat.call(this, i)), limit, i);
			out.push(...(await normaliseDocuments.call(this, docs, plan, i, lookups)));
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this, error, i);
			out.push({
				json: { error: (error as Error).message, ...errorDescription(error) },
				pairedItem: { item: i },
			});
		}
	}
	return out;
}

function errorDescription(error: unknown): { errorDescription?: string } {
	const d = (error as { description?: unknown }).description;
	return typeof d === 'string' && d ? { errorDescription: d } : {};
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
