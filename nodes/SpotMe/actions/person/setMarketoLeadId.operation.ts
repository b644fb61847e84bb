import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { batchSizeOf, batchSizeOption, upsertPerItem } from '../../helpers/batchUpsert';
import { nodeParameter, type Operation } from '../../../shared/kit';
import { getWorkspaceId, requireString, workspaceParameter } from '../../helpers/utils';

export const DEFAULT_LEAD_ID_FIELD = 'marketo_lead_id';

const properties: INodeProperties[] = [
	workspaceParameter(),
	{
		displayName: 'Person ID',
		name: 'personId',
		type: 'string',
		required: true,
		default: '',
		description: 'The person’s SpotMe `_id`',
	},
	{
		displayName: 'Marketo Lead ID',
		name: 'leadId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1234',
		description: 'The Marketo lead ID to store on the person',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			batchSizeOption,
			{
				displayName: 'Person Field',
				name: 'fieldName',
				type: 'string',
				default: DEFAULT_LEAD_ID_FIELD,
				description:
					'SpotMe field that holds the lead ID. SpotMe’s own Marketo module calls it marketo_lead_id; change it if your workspace uses another metadata key.',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['person'], operation: ['setMarketoLeadId'] } },
	properties,
);

async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await upsertPerItem.call(
		this,
		items,
		'person',
		(i) => {
			const workspaceId = getWorkspaceId.call(this, i);
			const personId = requireString.call(
				this,
				'personId',
				'Person ID',
				i,
				'Enter the person’s SpotMe _id.',
			);
			const leadId = requireString.call(
				this,
				'leadId',
				'Marketo Lead ID',
				i,
				'Map the Marketo lead id (e.g. {{ $json.id }}).',
			);
			const options = nodeParameter(this, 'options', i, {}) as IDataObject;
			const fieldName = String(options.fieldName ?? DEFAULT_LEAD_ID_FIELD).trim();
			if (!fieldName || fieldName === '_id' || fieldName === 'login_url') {
				throw new NodeOperationError(
					this.getNode(),
					`Person Field "${fieldName}" cannot hold the lead ID`,
					{
						itemIndex: i,
						description: `Use a metadata key of the workspace, e.g. ${DEFAULT_LEAD_ID_FIELD}.`,
					},
				);
			}
			// Only _id and the one field: SpotMe's POST merges, so the rest of the person stays as it is.
			return {
				workspaceId,
				doc: { _id: personId, [fieldName]: leadId },
				batchSize: batchSizeOf(options),
			};
		},
		async (result, planned, i) => {
			if (result.status === 'error') {
				throw new NodeOperationError(
					this.getNode(),
					`Could not set the Marketo lead ID on person ${planned.doc._id}: ${result.error ?? 'SpotMe gave no reason'}`,
					{
						itemIndex: i,
						description: 'Check that a person with this _id exists in the workspace.',
					},
				);
			}
			return { ...planned.doc, workspaceId: planned.workspaceId, status: result.status };
		},
	);
}

export const setMarketoLeadId: Operation = {
	option: {
		name: 'Set Marketo Lead ID',
		value: 'setMarketoLeadId',
		action: 'Set the Marketo lead ID of a person',
		description: 'Write the Marketo lead ID to a field of the person (default marketo_lead_id)',
	},
	description,
	execute,
};
