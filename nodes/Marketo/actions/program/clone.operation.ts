import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { marketoApiRequest } from '../../transport';
import {
	folderIdOf,
	folderLocator,
	getProgramById,
	programLocator,
	resolveProgramId,
	simplifyProgram,
	simplifyProperty,
} from './common';
import { forEachItem, type Operation } from '../../../shared/kit';

const properties: INodeProperties[] = [
	{
		...programLocator,
		displayName: 'Program to Clone',
		description: 'The program to copy, e.g. an event template',
	},
	{
		displayName: 'New Program Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 2026 Autumn Summit',
		description: 'Name of the copy; Marketo program names are unique and at most 255 characters',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
			},
			folderLocator(
				'Target Folder',
				"The marketing folder to put the copy in (same workspace as the source). Leave unset to use the source program's folder.",
			),
		],
	},
	simplifyProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['program'], operation: ['clone'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem.call(this, items, async (i) => {
		const sourceId = await resolveProgramId.call(this, i);
		const name = String(this.getNodeParameter('name', i) ?? '').trim();
		if (name === '') {
			throw new NodeOperationError(this.getNode(), 'The "New Program Name" parameter is empty', {
				itemIndex: i,
				description: 'Give the copy a name that no other Marketo program has',
			});
		}
		if (name.length > 255) {
			throw new NodeOperationError(
				this.getNode(),
				`The "New Program Name" is ${name.length} characters long; Marketo allows 255`,
				{ itemIndex: i, description: 'Shorten the name' },
			);
		}
		const additional = this.getNodeParameter('additionalFields', i, {}) as IDataObject;
		const targetId = folderIdOf.call(this, additional.folder, 'Target Folder', i);
		let folder: { id: number; type: string };
		if (targetId !== undefined) {
			folder = { id: targetId, type: 'Folder' };
		} else {
			// Clone requires a folder; by default the copy goes next to its source, as in Marketo's UI.
			const source = await getProgramById.call(this, sourceId, i);
			if (!source.folder?.value) {
				throw new NodeOperationError(
					this.getNode(),
					`Program ${sourceId} has no folder to clone into`,
					{
						itemIndex: i,
						description: 'Set "Target Folder" under Additional Fields',
					},
				);
			}
			folder = { id: Number(source.folder.value), type: source.folder.type ?? 'Folder' };
		}
		// The asset API takes form-encoded bodies; `folder` is a JSON string inside the form.
		const form: IDataObject = { name, folder: JSON.stringify(folder) };
		if (additional.description) form.description = additional.description;
		const response = (await marketoApiRequest.call(
			this,
			'POST',
			`/asset/v1/program/${sourceId}/clone.json`,
			{
				form,
			},
		)) as IDataObject;
		const program = ((response.result as IDataObject[] | undefined) ?? [])[0] ?? {};
		const simplify = this.getNodeParameter('simplify', i, true) as boolean;
		return simplify ? simplifyProgram(program) : program;
	});
}

export const clone: Operation = {
	option: {
		name: 'Clone',
		value: 'clone',
		description: 'Copy a program, e.g. an event template, into a folder',
		action: 'Clone a program',
	},
	description,
	execute,
};
