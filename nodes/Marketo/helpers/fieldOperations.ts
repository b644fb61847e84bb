/**
 * Lead Field and Program Member Field share Marketo's field schema API (same request, same answer):
 * their Create and Get Many operations are built here once, for either kind.
 */
import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import {
	failAllItems,
	failItem,
	inItemOrder,
	readLimit,
	returnAllProperties,
} from '../../shared/kit';
import { marketoBatchRequest, type BatchInputRecord } from '../transport';
import {
	CREATABLE_FIELD_TYPES,
	FIELD_SCHEMA_PATH,
	listSchemaFields,
	type FieldKind,
} from './schemaApi';
import { itemsFromBatchResults } from './utils';

const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const TYPE_LABELS: Record<string, string> = {
	boolean: 'Boolean',
	currency: 'Currency',
	date: 'Date',
	datetime: 'Datetime',
	email: 'Email',
	float: 'Float',
	integer: 'Integer',
	percent: 'Percent',
	phone: 'Phone',
	score: 'Score',
	string: 'String',
	url: 'URL',
};

const WHAT: Record<FieldKind, string> = { lead: 'person', programMember: 'program member' };

export function fieldCreateDescription(resource: string, kind: FieldKind): INodeProperties[] {
	const example = kind === 'lead' ? 'spotme_magic_url' : 'spotme_login_url';
	return updateDisplayOptions({ show: { resource: [resource], operation: ['create'] } }, [
		{
			displayName: 'API Name',
			name: 'fieldName',
			type: 'string',
			required: true,
			default: '',
			placeholder: `e.g. ${example}`,
			description:
				'The name the API uses: starts with a letter, then letters, digits or underscores. It cannot be changed or deleted later.',
		},
		{
			displayName: 'Display Name',
			name: 'displayName',
			type: 'string',
			required: true,
			default: '',
			placeholder: kind === 'lead' ? 'e.g. SpotMe Magic URL' : 'e.g. SpotMe Login URL',
			description: 'The name shown in Marketo (unique, no special characters)',
		},
		{
			displayName: 'Type',
			name: 'dataType',
			type: 'options',
			default: 'string',
			options: CREATABLE_FIELD_TYPES.map((t) => ({ name: TYPE_LABELS[t] ?? t, value: t })),
			description: 'Field Management > New Custom Field > Type',
		},
		{
			displayName: 'Options',
			name: 'fieldOptions',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{ displayName: 'Description', name: 'description', type: 'string', default: '' },
				{
					displayName: 'Hidden',
					name: 'isHidden',
					type: 'boolean',
					default: false,
					description: 'Whether the field is hidden in Marketo',
				},
				{
					displayName: 'Sensitive',
					name: 'isSensitive',
					type: 'boolean',
					default: false,
					description: 'Whether the field is marked as sensitive',
				},
				{
					displayName: 'HTML-Encode in Email',
					name: 'isHtmlEncodingInEmail',
					type: 'boolean',
					default: true,
					description: 'Whether the value is HTML-encoded when used in an email',
				},
			],
		},
	]);
}

/** One field per input item, sent 100 per call (Marketo's limit for field creation). */
export async function executeFieldCreate(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	kind: FieldKind,
): Promise<INodeExecutionData[]> {
	const records: BatchInputRecord[] = [];
	const early: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			records.push({ itemIndex: i, record: fieldFromItem.call(this, i, kind) });
		} catch (error) {
			early.push(failItem.call(this, error, i));
		}
	}
	const results = await marketoBatchRequest.call(this, {
		path: FIELD_SCHEMA_PATH[kind],
		records,
		batchSize: 100,
		buildBody: (input) => ({ input }),
	});
	const done = itemsFromBatchResults.call(
		this,
		results,
		(r) => ({ ...r.input, status: r.status ?? 'created' }),
		`${WHAT[kind]} field`,
	);
	return inItemOrder(early, done);
}

function fieldFromItem(this: IExecuteFunctions, i: number, kind: FieldKind): IDataObject {
	const name = String(this.getNodeParameter('fieldName', i, '') ?? '').trim();
	if (!API_NAME.test(name)) {
		throw new NodeOperationError(this.getNode(), `"${name}" is not a Marketo field API name`, {
			itemIndex: i,
			description: `Set "API Name" to a name that starts with a letter and has only letters, digits and underscores, e.g. ${
				kind === 'lead' ? 'spotme_magic_url' : 'spotme_login_url'
			}`,
		});
	}
	const displayName = String(this.getNodeParameter('displayName', i, '') ?? '').trim();
	if (displayName === '') {
		throw new NodeOperationError(this.getNode(), `"Display Name" of field ${name} is empty`, {
			itemIndex: i,
			description: 'Give the name Marketo shows for the field, e.g. SpotMe Magic URL',
		});
	}
	const dataType = String(this.getNodeParameter('dataType', i, 'string'));
	const options = this.getNodeParameter('fieldOptions', i, {}) as IDataObject;
	const field: IDataObject = { name, displayName, dataType };
	for (const key of ['description', 'isHidden', 'isSensitive', 'isHtmlEncodingInEmail'])
		if (options[key] !== undefined && options[key] !== '') field[key] = options[key];
	return field;
}

export function fieldGetAllDescription(resource: string): INodeProperties[] {
	return updateDisplayOptions({ show: { resource: [resource], operation: ['getAll'] } }, [
		...returnAllProperties({ returnAllByDefault: true }),
		{
			displayName: 'Custom Fields Only',
			name: 'customOnly',
			type: 'boolean',
			default: false,
			description: 'Whether to return only the fields created by an admin or the API',
		},
	]);
}

/** The field list, read once however many items come in (each output item paired with all of them). */
export async function executeFieldGetAll(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	kind: FieldKind,
): Promise<INodeExecutionData[]> {
	const pairedItem = items.map((_, i) => ({ item: i }));
	try {
		const customOnly = this.getNodeParameter('customOnly', 0, false) as boolean;
		const limit = readLimit.call(this, 0, { returnAllByDefault: true });
		const fields = (await listSchemaFields.call(this, kind, 0)).filter(
			(f) => !customOnly || f.isCustom === true,
		);
		return fields.slice(0, limit).map((f) => ({ json: { ...f }, pairedItem }));
	} catch (error) {
		return failAllItems.call(this, error, items);
	}
}
