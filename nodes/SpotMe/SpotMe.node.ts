import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { registry } from './actions/router';
import { listSearch, loadOptions } from './methods';

export class SpotMe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SpotMe',
		name: 'spotMe',
		icon: { light: 'file:spotme.svg', dark: 'file:spotme.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: registry.subtitle(),
		description: 'Read and write SpotMe (Onomi) people, workspaces and attendance',
		defaults: { name: 'SpotMe' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'spotMeApi', required: true }],
		properties: registry.properties(),
	};

	methods = { listSearch, loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await registry.route(this);
	}
}
