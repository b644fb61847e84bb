import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { registry } from './actions/router';
import { listSearch, loadOptions, resourceMapping } from './methods';

export class Marketo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Marketo',
		name: 'marketo',
		icon: { light: 'file:marketo.svg', dark: 'file:marketo.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: registry.subtitle(),
		// The same words as the Marketo Trigger's: n8n's node panel shows the trigger's description on
		// the "Marketo" app entry that lists both.
		description: 'Create and update leads, program members and more in Adobe Marketo Engage',
		defaults: { name: 'Marketo' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Answering a Call Webhook delivery calls no Marketo API.
		credentials: [
			{ name: 'marketoApi', required: true, displayOptions: { hide: { resource: ['webhook'] } } },
		],
		properties: registry.properties(),
	};

	methods = { loadOptions, listSearch, resourceMapping };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await registry.route(this);
	}
}
