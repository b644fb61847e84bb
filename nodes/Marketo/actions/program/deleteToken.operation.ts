import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { marketoApiRequest } from '../../transport';
import { programLocator, resolveProgramId } from './common';
import { forEachItem, type Operation } from '../../../shared/kit';
import { normalizeTokenName, tokenNameProperty } from './tokens';

const properties: INodeProperties[] = [programLocator, tokenNameProperty];

export const description = updateDisplayOptions(
	{ show: { resource: ['program'], operation: ['deleteToken'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem.call(this, items, async (i) => {
		const programId = await resolveProgramId.call(this, i);
		const name = normalizeTokenName.call(this, this.getNodeParameter('name', i), i);
		const path = `/asset/v1/folder/${programId}/tokens.json`;
		// Delete needs the token's type as well as its name; read it rather than make the user repeat it.
		const current = (await marketoApiRequest.call(this, 'GET', path, {
			qs: { folderType: 'Program' },
		})) as IDataObject;
		const tokens = (((current.result as IDataObject[] | undefined) ?? [])[0]?.tokens ??
			[]) as IDataObject[];
		const token = tokens.find((t) => t.name === name);
		if (!token) {
			throw new NodeOperationError(
				this.getNode(),
				`Program ${programId} has no My Token named "${name}"`,
				{
					itemIndex: i,
					description: `Check the "Token Name" parameter. Tokens of this program: ${
						tokens.map((t) => t.name).join(', ') || 'none'
					}`,
				},
			);
		}
		await marketoApiRequest.call(this, 'POST', `/asset/v1/folder/${programId}/tokens/delete.json`, {
			form: { name, type: token.type, folderType: 'Program' },
		});
		return { deleted: true, programId, name };
	});
}

export const deleteToken: Operation = {
	option: {
		name: 'Delete Token',
		value: 'deleteToken',
		description: 'Delete a My Token of a program',
		action: 'Delete a program token',
	},
	description,
	execute,
};
