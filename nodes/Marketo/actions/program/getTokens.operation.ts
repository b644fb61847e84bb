import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { marketoApiRequest } from '../../transport';
import { programLocator, resolveProgramId } from './common';
import { forEachItem, type Operation } from '../../../shared/kit';

const properties: INodeProperties[] = [programLocator];

export const description = updateDisplayOptions(
	{ show: { resource: ['program'], operation: ['getTokens'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem.call(this, items, async (i) => {
		const programId = await resolveProgramId.call(this, i);
		// A program is a folder for My Tokens: folderType=Program, else Marketo looks for a marketing folder.
		const response = (await marketoApiRequest.call(
			this,
			'GET',
			`/asset/v1/folder/${programId}/tokens.json`,
			{
				qs: { folderType: 'Program' },
			},
		)) as IDataObject;
		const tokens = (((response.result as IDataObject[] | undefined) ?? [])[0]?.tokens ??
			[]) as IDataObject[];
		return tokens.map((token) => ({ programId, ...token }));
	});
}

export const getTokens: Operation = {
	option: {
		name: 'Get Tokens',
		value: 'getTokens',
		description: 'Get the My Tokens of a program',
		action: 'Get program tokens',
	},
	description,
	execute,
};
