import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { forEachItem, type Operation } from '../../../shared/kit';
import { apiNameParameter, schemaWrite } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'API Name',
		name: 'typeApiName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. spotMeAttendance_c',
		description:
			'API name of the type: letters, digits, underscores. Marketo keeps it as given (the admin screen adds _c; the API does not).',
	},
	{
		displayName: 'Display Name',
		name: 'displayName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. SpotMe attendance',
	},
	{
		displayName: 'Action',
		name: 'syncAction',
		type: 'options',
		default: 'createOrUpdate',
		options: [
			{ name: 'Create or Update', value: 'createOrUpdate' },
			{ name: 'Create Only', value: 'createOnly' },
			{ name: 'Update Only', value: 'updateOnly' },
		],
		description:
			'Create Only skips a type that exists (1017); Update Only skips a missing one (1013)',
	},
	{
		displayName: 'Options',
		name: 'typeOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{ displayName: 'Plural Name', name: 'pluralName', type: 'string', default: '' },
			{ displayName: 'Description', name: 'description', type: 'string', default: '' },
			{
				displayName: 'Show in Person Detail',
				name: 'showInLeadDetail',
				type: 'boolean',
				default: false,
				description: "Whether the object's records show on the person's detail page",
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['customObjectType'], operation: ['createOrUpdate'] } },
	properties,
);

/** Creates the type, or changes its names: either way the change is a draft until approved. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem.call(this, items, async (i) => {
		const apiName = apiNameParameter.call(this, i, 'typeApiName', 'API Name');
		const displayName = String(this.getNodeParameter('displayName', i, '') ?? '').trim();
		const options = this.getNodeParameter('typeOptions', i, {}) as IDataObject;
		const body: IDataObject = {
			action: this.getNodeParameter('syncAction', i, 'createOrUpdate') as string,
			apiName,
			displayName: displayName || apiName,
		};
		for (const key of ['pluralName', 'description', 'showInLeadDetail'])
			if (options[key] !== undefined && options[key] !== '') body[key] = options[key];
		const result = await schemaWrite.call(this, '/v1/customobjects/schema.json', i, body);
		return { apiName, status: result.status, version: 'draft' };
	});
}

export const createOrUpdate: Operation = {
	option: {
		name: 'Create or Update (Draft)',
		value: 'createOrUpdate',
		description:
			'Create a custom object type or change its names; the change is a draft until approved',
		action: 'Create or update a custom object type',
	},
	description,
	execute,
};
