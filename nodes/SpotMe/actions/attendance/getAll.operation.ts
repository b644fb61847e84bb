import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { forEachItem, readLimit, returnAllProperties, type Operation } from '../../../shared/kit';
import { keepChanged, onlyChangedOption, recordKey } from '../../helpers/changedOnly';
import { workspaceParameter } from '../../helpers/utils';
import { documentTypeParameters, levelParameter } from './common';
import { documentMappingAndOptions } from './documentOptions';
import type { LeadIdLookup } from './leadIds';
import {
	beginningOfTime,
	normaliseDocuments,
	readDocuments,
	readPlan,
	sinceFormat,
} from './documents';

const properties: INodeProperties[] = [
	workspaceParameter(),
	levelParameter(),
	...documentTypeParameters(),
	...returnAllProperties(),
	...documentMappingAndOptions([onlyChangedOption]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['attendance'], operation: ['getAll'] } },
	properties,
);

async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const lookups = new Map<string, LeadIdLookup>();
	const out = await forEachItem.call(this, items, async (i) => {
		const plan = readPlan.call(this, i);
		const limit = readLimit.call(this, i);
		const since = beginningOfTime(sinceFormat.call(this, i));
		const { docs } = await readDocuments.call(this, plan, since, limit, i);
		return await normaliseDocuments.call(this, docs, plan, i, lookups);
	});
	const onlyChanged = this.getNodeParameter('options.onlyChanged', 0, false) === true;
	return onlyChanged ? keepChanged(this, out, recordKey) : out;
}

export const getAll: Operation = {
	option: {
		name: 'Get Many',
		value: 'getAll',
		action: 'Get many attendance records',
		description: 'Read the attendance documents of a workspace from SpotMe, normalised for Marketo',
	},
	description,
	execute,
};
