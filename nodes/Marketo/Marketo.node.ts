import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as activity from './actions/activity';
import * as customObject from './actions/customObject';
import * as lead from './actions/lead';
import * as program from './actions/program';
import * as programMember from './actions/programMember';
import { router } from './actions/router';
import * as usage from './actions/usage';
import { listSearch, loadOptions, resourceMapping } from './methods';

export class Marketo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Marketo',
		name: 'marketo',
		icon: { light: 'file:marketo.svg', dark: 'file:marketo.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Create and update leads, program members and more in Adobe Marketo Engage',
		defaults: { name: 'Marketo' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'marketoApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Activity', value: 'activity' },
					{ name: 'API Usage', value: 'usage' },
					{ name: 'Custom Object', value: 'customObject' },
					{ name: 'Lead', value: 'lead' },
					{ name: 'Program', value: 'program' },
					{ name: 'Program Member', value: 'programMember' },
				],
				default: 'lead',
			},
			...activity.description,
			...customObject.description,
			...lead.description,
			...program.description,
			...programMember.description,
			...usage.description,
		],
	};

	methods = { loadOptions, listSearch, resourceMapping };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
