import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { forEachItem, type Operation } from '../../../shared/kit';
import { describeTypeVersion } from '../../helpers/schemaApi';
import { marketoApiError } from '../../transport';
import { apiNameParameter, typeProperty } from './common';

const properties: INodeProperties[] = [
	typeProperty,
	{
		displayName: 'Version',
		name: 'version',
		type: 'options',
		default: 'current',
		options: [
			{
				name: 'Current',
				value: 'current',
				description: 'The approved version, or the draft of a type never approved',
			},
			{ name: 'Draft', value: 'draft', description: 'The draft being edited' },
			{ name: 'Approved', value: 'approved', description: 'The live version records use' },
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['customObjectType'], operation: ['get'] } },
	properties,
);

/** Describe: the type's fields (with dedupe and link), its state and the version shown. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem.call(this, items, async (i) => {
		const apiName = apiNameParameter.call(this, i);
		const version = this.getNodeParameter('version', i, 'current') as string;
		const found = await describeTypeVersion.call(
			this,
			apiName,
			version === 'current' ? undefined : (version as 'draft' | 'approved'),
			i,
		);
		if (!found) {
			throw marketoApiError(
				this.getNode(),
				{
					code: '1013',
					message: `Custom object type '${apiName}' has no ${version === 'current' ? '' : `${version} `}version`,
				},
				{ itemIndex: i },
			);
		}
		return { ...found, version } as unknown as IDataObject;
	});
}

export const get: Operation = {
	option: {
		name: 'Get',
		value: 'get',
		description: 'Describe a custom object type: its draft or approved version and fields',
		action: 'Get a custom object type',
	},
	description,
	execute,
};
