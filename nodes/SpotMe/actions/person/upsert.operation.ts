import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { batchSizeOf, batchSizeOption, upsertPerItem } from '../../helpers/batchUpsert';
import type { Operation } from '../../../shared/kit';
import { personPath } from '../../helpers/person';
import { emailKey, peopleByEmail } from '../../helpers/personIdentity';
import { getWorkspaceId, requireString, workspaceParameter } from '../../helpers/utils';
import { spotMeApiRequest } from '../../transport';

const properties: INodeProperties[] = [
	workspaceParameter(),
	{
		displayName: 'Person ID',
		name: 'personId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.email }}',
		description:
			'The person’s SpotMe `_id`: SpotMe updates the person with this ID or creates one. Use a stable key from your system, such as the Marketo lead ID or the email address.',
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		description: 'Required by SpotMe for a new person',
	},
	{
		displayName: 'First Name',
		name: 'fname',
		type: 'string',
		default: '',
		description: 'Required by SpotMe for a new person (SpotMe field `fname`)',
	},
	{
		displayName: 'Last Name',
		name: 'lname',
		type: 'string',
		default: '',
		description: 'Required by SpotMe for a new person (SpotMe field `lname`)',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description:
			'Profile fields. Their SpotMe keys are assumptions (SpotMe does not publish them); check your workspace API page and use Custom Fields if yours differ.',
		options: [
			{ displayName: 'Company', name: 'company', type: 'string', default: '' },
			{ displayName: 'Country', name: 'country', type: 'string', default: '' },
			{ displayName: 'Phone', name: 'phone', type: 'string', default: '' },
			{
				displayName: 'Position',
				name: 'position',
				type: 'string',
				default: '',
				description: 'Job title',
			},
		],
	},
	{
		displayName: 'Custom Fields',
		name: 'customFields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Custom Field',
		default: {},
		description: 'Workspace metadata fields, by their SpotMe API key',
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{
						displayName: 'Key',
						name: 'key',
						type: 'string',
						default: '',
						placeholder: 'e.g. marketing_consent',
					},
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
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
				displayName: 'Match Person by Email',
				name: 'matchByEmail',
				type: 'boolean',
				default: false,
				description:
					'Whether a person whose email is already in the workspace under another _id is updated instead of created again (e.g. someone who registered in SpotMe before Marketo sent them). Reads the workspace’s people once per run; in a burst of webhook deliveries, only the changes since the last read, once per shared call.',
			},
			{
				displayName: 'Always Read Magic Link',
				name: 'readLoginUrlWhenUnchanged',
				type: 'boolean',
				default: true,
				description:
					'Whether to read the person when SpotMe answers "unchanged" without a login_url, so every output has the magic link (one extra call per unchanged person)',
			},
			{
				displayName: 'Send Confirmation Email',
				name: 'sendRegistrationConfirmation',
				type: 'boolean',
				default: false,
				description:
					'Whether SpotMe should email new people their registration confirmation (query send_reg_confirmation=true)',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['person'], operation: ['upsert'] } },
	properties,
);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	// Match Person by Email: each workspace's people read once, before anything is sent. A
	// webhook execution (one delivery of a burst) matches inside the call it shares with concurrent
	// executions instead: one read of the workspace's changes per shared call, not a read per delivery.
	const shared = this.getMode() === 'webhook';
	const indexes = new Map<string, Promise<Map<string, string>>>();
	const known = new Map<number, Map<string, string>>();
	for (let i = 0; i < items.length; i++) {
		if (shared || this.getNodeParameter('options.matchByEmail', i, false) !== true) continue;
		let workspaceId: string;
		try {
			workspaceId = getWorkspaceId.call(this, i);
		} catch {
			continue; // the item's own plan reports it
		}
		if (!indexes.has(workspaceId))
			indexes.set(workspaceId, peopleByEmail.call(this, workspaceId, i));
		known.set(i, await indexes.get(workspaceId)!);
	}
	const requestedIdOf = new Map<number, string>();
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
				'SpotMe upserts by _id: map a stable key (e.g. the Marketo lead ID or the email) into Person ID.',
			);
			const doc: IDataObject & { _id: string } = { _id: personId };
			for (const field of ['email', 'fname', 'lname']) {
				const value = String(this.getNodeParameter(field, i, '') ?? '').trim();
				if (value) doc[field] = value;
			}
			if (doc.email !== undefined && !EMAIL.test(String(doc.email))) {
				throw new NodeOperationError(
					this.getNode(),
					`Email "${String(doc.email)}" is not a valid email address`,
					{
						itemIndex: i,
						description: 'Map a field holding an address like name@example.com into Email.',
					},
				);
			}
			const existingId = known.get(i)?.get(emailKey(doc.email));
			if (existingId !== undefined && existingId !== doc._id) {
				requestedIdOf.set(i, doc._id);
				doc._id = existingId;
			}
			const additional = this.getNodeParameter('additionalFields', i, {}) as IDataObject;
			for (const [key, value] of Object.entries(additional)) {
				if (value !== '' && value !== undefined && value !== null) doc[key] = value;
			}
			const custom =
				(this.getNodeParameter('customFields.field', i, []) as Array<{
					key: string;
					value: unknown;
				}>) ?? [];
			for (const { key, value } of custom) {
				const k = String(key ?? '').trim();
				if (!k) {
					throw new NodeOperationError(this.getNode(), 'A custom field has no key', {
						itemIndex: i,
						description:
							'Enter the SpotMe API key of the field (see the workspace API page), or remove the row.',
					});
				}
				if (k === '_id' || k === 'login_url') {
					throw new NodeOperationError(this.getNode(), `The custom field "${k}" cannot be set`, {
						itemIndex: i,
						description:
							k === '_id'
								? 'Use Person ID for the _id.'
								: 'SpotMe generates the magic link itself.',
					});
				}
				doc[k] = value as IDataObject[string];
			}
			const options = this.getNodeParameter('options', i, {}) as IDataObject;
			return {
				workspaceId,
				doc,
				qs: options.sendRegistrationConfirmation === true ? { send_reg_confirmation: 'true' } : {},
				batchSize: batchSizeOf(options),
				matchByEmail: shared && options.matchByEmail === true,
			};
		},
		async (result, planned, i) => {
			if (result.status === 'error') {
				throw new NodeOperationError(
					this.getNode(),
					`SpotMe refused person ${planned.doc._id}: ${result.error ?? 'no reason given'}`,
					{
						itemIndex: i,
						description: 'A new person needs First Name, Last Name and Email.',
					},
				);
			}
			const output: IDataObject = {
				...planned.doc,
				workspaceId: planned.workspaceId,
				status: result.status,
				login_url: result.login_url ?? null,
				...((requestedIdOf.get(i) ?? result.requestedId) !== undefined
					? { matchedByEmail: true, requestedId: requestedIdOf.get(i) ?? result.requestedId }
					: {}),
			};
			const readWhenUnchanged =
				(this.getNodeParameter('options.readLoginUrlWhenUnchanged', i, true) as boolean) !== false;
			if (!result.login_url && readWhenUnchanged) {
				// SpotMe omits login_url when the person is "unchanged"; the magic link is still on the person.
				const person = (await spotMeApiRequest.call(
					this,
					'GET',
					personPath(planned.workspaceId, planned.doc._id),
					undefined,
					undefined,
					{
						itemIndex: i,
						notFoundMessage: `Person ${planned.doc._id} not found in workspace ${planned.workspaceId} after the upsert`,
					},
				)) as IDataObject;
				output.login_url = (person?.login_url as string) ?? null;
			}
			return output;
		},
	);
}

export const upsert: Operation = {
	option: {
		name: 'Create or Update',
		value: 'upsert',
		action: 'Create or update a person',
		description: 'Create a new record, or update the current one if it already exists (upsert)',
	},
	description,
	execute,
};
