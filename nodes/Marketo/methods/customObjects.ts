import type {
	ILoadOptionsFunctions,
	INodePropertyOptions,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';

import { describeCustomObject, type CustomObjectDescription } from '../actions/customObject/common';
import { marketoApiRequest } from '../transport';
import { fieldTypeOf, mapperLabels } from './resourceMapping';

/** loadOptions: the custom object types of the instance. */
export async function getCustomObjectTypes(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const response = await marketoApiRequest.call(this, 'GET', '/v1/customobjects.json');
	return (response.result ?? [])
		.map((t) => ({
			name: String(t.displayName ?? t.name),
			value: String(t.name),
			description: String(t.description ?? t.name),
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

async function describeSelected(
	this: ILoadOptionsFunctions,
): Promise<CustomObjectDescription | undefined> {
	const name = String(this.getNodeParameter('customObjectName', '') ?? '').trim();
	if (!name || name.startsWith('=')) return undefined;
	return await describeCustomObject.call(this, name);
}

/** loadOptions: how Get Many can look records up (dedupe fields incl. compound keys, GUID, searchable fields). */
export async function getCustomObjectFilterTypes(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const type = await describeSelected.call(this);
	if (!type) return [];
	const options: INodePropertyOptions[] = [
		{
			name: `Dedupe Fields (${type.dedupeFields.join(', ')})`,
			value: 'dedupeFields',
			description: 'All dedupe fields together, also when the key is compound',
		},
		{ name: `Marketo GUID (${type.idField})`, value: 'idField' },
	];
	for (const searchable of type.searchableFields) {
		if (searchable.length !== 1) continue;
		const field = searchable[0];
		if (field === type.idField) continue;
		// A single dedupe field is searchable under its own name as well.
		const display = type.fields.find((f) => f.name === field)?.displayName ?? field;
		options.push({ name: `${display} (${field})`, value: field });
	}
	return options;
}

/** loadOptions: the dedupe fields of the selected custom object. */
export async function getCustomObjectDedupeFields(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const type = await describeSelected.call(this);
	if (!type) return [];
	return type.dedupeFields.map((name) => ({
		name: type.fields.find((f) => f.name === name)?.displayName ?? name,
		value: name,
	}));
}

/** loadOptions: every field of the selected custom object. */
export async function getCustomObjectFieldNames(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const type = await describeSelected.call(this);
	if (!type) return [];
	return type.fields.map((f) => ({ name: f.displayName, value: f.name, description: f.dataType }));
}

/**
 * resourceMapping: the writable fields of the selected custom object. With "Match By" dedupe fields, those
 * fields are required; with Marketo GUID, the marketoGUID is. Created/updated timestamps are Marketo's.
 */
export async function getCustomObjectColumns(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	const type = await describeSelected.call(this);
	if (!type) return { fields: [], emptyFieldsNotice: 'Choose a custom object first' };
	const dedupeBy = String(this.getNodeParameter('dedupeBy', 'dedupeFields') ?? 'dedupeFields');
	const fields: ResourceMapperField[] = [];
	// Dedupe fields are the required ones (n8n marks them); the label does not say it again.
	const labels = mapperLabels(type.fields, type.displayName);
	for (const f of type.fields) {
		const isId = f.name === type.idField;
		const isDedupe = type.dedupeFields.includes(f.name);
		if (isId && dedupeBy !== 'idField') continue;
		if (!isId && !isDedupe && !f.updateable) continue;
		const required = dedupeBy === 'idField' ? isId : isDedupe;
		fields.push({
			id: f.name,
			displayName: labels.get(f.name)!,
			required,
			defaultMatch: required,
			canBeUsedToMatch: isId || isDedupe,
			display: true,
			type: fieldTypeOf(f.dataType),
		});
	}
	return { fields };
}
