import {
	NodeApiError,
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type JsonObject,
} from 'n8n-workflow';

import { errorItem, failItem, type Operation } from '../../../shared/kit';
import { recordOutcome } from '../../helpers/schemaApi';
import { marketoApiRequest } from '../../transport';
import { apiNameParameter, schemaPath, typeProperty } from './common';

const properties: INodeProperties[] = [
	typeProperty,
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Field',
		default: {},
		description:
			'The fields to add to the draft. Link and dedupe fields can only be added before the type is first approved.',
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{
						displayName: 'API Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'e.g. attendanceType',
					},
					{
						displayName: 'Data Type Name or ID',
						name: 'dataType',
						type: 'options',
						default: '',
						description:
							"Marketo's list of field types. Choose 'link' to link each record to a person or another object. Choose from the list, or specify an ID using an <a href=\"https://docs.n8n.io/code/expressions/\">expression</a>.",
					},
					{
						displayName: 'Dedupe Field',
						name: 'isDedupeField',
						type: 'boolean',
						default: false,
						description:
							'Whether the field is part of the key that identifies a record (1 to 3 per type)',
					},
					{
						displayName: 'Description',
						name: 'description',
						type: 'string',
						default: '',
					},
					{
						displayName: 'Display Name',
						name: 'displayName',
						type: 'string',
						default: '',
						placeholder: 'e.g. Attendance type',
					},
					{
						displayName: 'Link To Name or ID',
						name: 'linkTo',
						type: 'options',
						default: '',
						description:
							'For a link field:	the object and field it points at, e.g. the person\'s ID. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
				],
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['customObjectType'], operation: ['addFields'] } },
	properties,
);

const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function fieldsOf(this: IExecuteFunctions, i: number): IDataObject[] {
	const raw = this.getNodeParameter('fields.field', i, []) as IDataObject[];
	if (raw.length === 0)
		throw new NodeOperationError(this.getNode(), '"Fields" is empty', {
			itemIndex: i,
			description: 'Add at least one field to add to the custom object type',
		});
	return raw.map((f) => {
		const name = String(f.name ?? '').trim();
		if (!API_NAME.test(name))
			throw new NodeOperationError(this.getNode(), `"${name}" is not a field API name`, {
				itemIndex: i,
				description:
					'Each field\'s "API Name" starts with a letter and has only letters, digits and underscores',
			});
		const dataType = String(f.dataType ?? 'string');
		const linkTo = String(f.linkTo ?? '');
		if ((dataType === 'link') !== (linkTo !== ''))
			throw new NodeOperationError(
				this.getNode(),
				`Field "${name}": "Link To" goes with the data type "link" only`,
				{
					itemIndex: i,
					description:
						'Set the data type to link and pick what it links to, or clear "Link To" for other types',
				},
			);
		const field: IDataObject = {
			name,
			displayName: String(f.displayName ?? '').trim() || name,
			dataType,
		};
		if (f.description) field.description = f.description;
		if (f.isDedupeField) field.isDedupeField = true;
		if (linkTo) {
			const [object, target] = linkTo.split('.');
			field.relatedTo = { name: object, field: target };
		}
		return field;
	});
}

/** One call per item; one output item per field added; a field Marketo refused fails the item by name. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const apiName = apiNameParameter.call(this, i);
			const fields = fieldsOf.call(this, i);
			const response = await marketoApiRequest.call(this, 'POST', schemaPath(apiName, 'addField'), {
				body: { input: fields },
				itemIndex: i,
			});
			const results = response.result ?? [];
			const refused: string[] = [];
			fields.forEach((field, seq) => {
				const result = results.find((r) => r.seq === seq) ?? results[seq];
				const outcome = recordOutcome(result);
				if (outcome.ok) {
					out.push({
						json: { apiName, ...field, status: outcome.status },
						pairedItem: { item: i },
					});
				} else {
					refused.push(`${String(field.name)} (${outcome.code}: ${outcome.message})`);
					if (this.continueOnFail())
						out.push(
							errorItem(`Marketo did not add ${String(field.name)} to ${apiName}`, i, {
								code: outcome.code ?? null,
								message: outcome.message ?? null,
								input: field,
							}),
						);
				}
			});
			if (refused.length && !this.continueOnFail())
				throw new NodeApiError(this.getNode(), { message: refused.join('; ') } as JsonObject, {
					message: `Marketo did not add ${refused.length} of ${fields.length} fields to ${apiName}: ${refused.join('; ')}`,
					description: `${fields.length - refused.length} fields were added to the draft. Fix the others and run again`,
					itemIndex: i,
				});
		} catch (error) {
			out.push(failItem.call(this, error, i));
		}
	}
	return out;
}

export const addFields: Operation = {
	option: {
		name: 'Add Fields',
		value: 'addFields',
		description: 'Add fields to the draft of a custom object type',
		action: 'Add fields to a custom object type',
	},
	description,
	execute,
};
