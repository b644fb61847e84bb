import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { toList } from '../../helpers/utils';
import { forEachItem, type Operation } from '../../../shared/kit';
import { marketoApiRequest } from '../../transport';
import { leadFieldsProperty } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Lead',
		name: 'leadId',
		type: 'resourceLocator',
		default: { mode: 'id', value: '' },
		required: true,
		description: 'The lead to get',
		modes: [
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 1001',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^\\s*\\d+\\s*$',
							errorMessage: 'A lead ID is a number, e.g. 1001',
						},
					},
				],
			},
			{
				displayName: 'By Email',
				name: 'email',
				type: 'string',
				placeholder: 'e.g. jane@example.com',
				hint: 'Every lead with this email address is returned',
			},
		],
	},
	leadFieldsProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['lead'], operation: ['get'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem.call(this, items, async (i) => {
		const locator = this.getNodeParameter('leadId', i) as { mode: string; value: unknown };
		const value = String(locator.value ?? '').trim();
		// The lead ID always comes along, so results can be written back or linked.
		const chosen = toList(this.getNodeParameter('fields', i, []));
		const fields = chosen.length ? [...new Set(['id', ...chosen])] : [];
		const qs: IDataObject = fields.length ? { fields } : {};
		if (!value) {
			throw new NodeOperationError(this.getNode(), `Item ${i} has no value for "Lead"`, {
				description:
					locator.mode === 'email'
						? "Enter the lead's email address"
						: 'Enter the lead ID (a number)',
				itemIndex: i,
			});
		}
		let leads: IDataObject[];
		if (locator.mode === 'email') {
			const response = await marketoApiRequest.call(this, 'GET', '/v1/leads.json', {
				qs: { ...qs, filterType: 'email', filterValues: value },
				itemIndex: i,
			});
			leads = response.result ?? [];
		} else {
			if (!/^\d+$/.test(value)) {
				throw new NodeOperationError(this.getNode(), `"${value}" in "Lead" is not a lead ID`, {
					description:
						'A lead ID is a number, e.g. 1001; to find a lead by email, choose "By Email"',
					itemIndex: i,
				});
			}
			const response = await marketoApiRequest.call(this, 'GET', `/v1/lead/${value}.json`, {
				qs,
				itemIndex: i,
			});
			leads = response.result ?? [];
		}
		if (leads.length === 0) {
			throw new NodeOperationError(
				this.getNode(),
				`Marketo has no lead with ${locator.mode === 'email' ? 'email' : 'ID'} ${value}`,
				{
					description: 'Check the value, or use Get Many, which returns nothing instead of failing',
					itemIndex: i,
				},
			);
		}
		return leads;
	});
}

export const get: Operation = {
	option: {
		name: 'Get',
		value: 'get',
		description: 'Get a lead by ID or email',
		action: 'Get a lead',
	},
	description,
	execute,
};
