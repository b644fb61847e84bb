import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { itemsFromBatchResults } from '../../helpers/utils';
import { inItemOrder, nodeParameter, type Operation } from '../../../shared/kit';
import {
	leadIdOf,
	leadIdProperty,
	programIdResolver,
	programLocator,
	sendMembersShared,
	writeMembers,
} from './common';
import { marketoBatchRequest } from '../../transport';

const properties: INodeProperties[] = [
	programLocator,
	leadIdProperty,
	{
		displayName: 'Fields to Update',
		name: 'memberFields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Field',
		default: {},
		description:
			'Custom program member fields, e.g. a SpotMe login URL. The lead must already be a member.',
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{
						displayName: 'Field Name or ID',
						name: 'name',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getProgramMemberUpdateableFields' },
						default: '',
						description:
							'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
					},
				],
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['programMember'], operation: ['updateFields'] } },
	properties,
);

/**
 * Writes custom program member fields (`members.json`). Marketo skips leads that are not members
 * (1013 "Membership not found"): set a status first, which creates the membership.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const programId = programIdResolver.call(this);
	const { results, early, writes } = await writeMembers.call(
		this,
		items,
		async (i) => {
			const id = await programId(i);
			const leadId = leadIdOf.call(this, i);
			const entries = (
				(nodeParameter(this, 'memberFields.field', i, []) as IDataObject[]) ?? []
			).filter((f) => String(f.name ?? '').trim() !== '');
			if (entries.length === 0) {
				throw new NodeOperationError(this.getNode(), `Item ${i} has no "Fields to Update"`, {
					description: 'Add at least one field and its value',
					itemIndex: i,
				});
			}
			const record: IDataObject = { leadId };
			for (const f of entries) record[String(f.name).trim()] = f.value as string;
			return { itemIndex: i, programId: id, groupKey: '', record };
		},
		// A burst of webhook deliveries (one member each) shares calls of up to 300 members.
		async (id, key, records) =>
			await sendMembersShared.call(
				this,
				id,
				key,
				records,
				async (all, continueOnFatal) =>
					await marketoBatchRequest.call(this, {
						path: `/v1/programs/${id}/members.json`,
						records: all,
						buildBody: (input) => ({ input }),
						...(continueOnFatal !== undefined ? { continueOnFatal } : {}),
					}),
			),
	);
	const out = itemsFromBatchResults.call(
		this,
		results,
		(r) => ({
			...r.input,
			programId: writes.get(r.itemIndex)?.programId ?? null,
			status: r.status ?? null,
		}),
		'program member fields',
	);
	return inItemOrder(early, out);
}

export const updateFields: Operation = {
	option: {
		name: 'Update Fields',
		value: 'updateFields',
		description: 'Update custom program member fields, e.g. a login URL',
		action: 'Update program member fields',
	},
	description,
	execute,
};
