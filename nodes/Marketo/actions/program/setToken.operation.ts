import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { marketoApiRequest } from '../../transport';
import { programLocator, resolveProgramId } from './common';
import { failItem, type Operation } from '../../../shared/kit';
import {
	formatTokenValue,
	normalizeTokenName,
	tokenNameProperty,
	tokenTypeProperty,
} from './tokens';

const properties: INodeProperties[] = [
	programLocator,
	tokenNameProperty,
	tokenTypeProperty,
	{
		displayName: 'Value',
		name: 'value',
		type: 'string',
		default: '',
		required: true,
		description: 'The token value; for Date use yyyy-MM-dd, for Score a whole number',
		displayOptions: { hide: { tokenType: ['rich text'] } },
	},
	{
		displayName: 'Value',
		name: 'value',
		type: 'string',
		typeOptions: { rows: 5 },
		default: '',
		required: true,
		description: 'The HTML of the token',
		displayOptions: { show: { tokenType: ['rich text'] } },
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['program'], operation: ['setToken'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const returnData: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		let form: IDataObject | undefined;
		try {
			const programId = await resolveProgramId.call(this, i);
			const name = normalizeTokenName.call(this, this.getNodeParameter('name', i), i);
			const type = this.getNodeParameter('tokenType', i) as string;
			const value = formatTokenValue.call(this, type, this.getNodeParameter('value', i), i);
			// The same call creates or updates a token; Marketo wants a form body here, not JSON.
			form = { name, type, value, folderType: 'Program' };
			const response = (await marketoApiRequest.call(
				this,
				'POST',
				`/asset/v1/folder/${programId}/tokens.json`,
				{
					form,
				},
			)) as IDataObject;
			const tokens = (((response.result as IDataObject[] | undefined) ?? [])[0]?.tokens ??
				[]) as IDataObject[];
			const saved = tokens.find((t) => t.name === name) ?? { name, type, value };
			returnData.push({ json: { programId, ...saved }, pairedItem: { item: i } });
		} catch (error) {
			returnData.push(failItem.call(this, error, i, { input: form }));
		}
	}
	return returnData;
}

export const setToken: Operation = {
	option: {
		name: 'Set Token',
		value: 'setToken',
		description: 'Create or update a My Token of a program',
		action: 'Set a program token',
	},
	description,
	execute,
};
