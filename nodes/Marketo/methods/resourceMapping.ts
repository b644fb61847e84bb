import type {
	FieldType,
	ILoadOptionsFunctions,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';

import { describeLeads } from '../helpers/metadata';

/** Marketo data types (describe2 `dataType`) → n8n's resource-mapper types. */
export function fieldTypeOf(dataType: unknown): FieldType {
	switch (String(dataType ?? '').toLowerCase()) {
		case 'integer':
		case 'float':
		case 'currency':
		case 'score':
		case 'percent':
			return 'number';
		case 'boolean':
			return 'boolean';
		case 'datetime':
			return 'dateTime';
		case 'date':
			return 'string';
		default:
			return 'string';
	}
}

/** Lead fields for Create or Update, from `describe2`: the writable ones, plus the searchable as match keys. */
export async function getLeadMappingColumns(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	const { fields, searchableFields } = await describeLeads.call(this);
	const searchable = new Set(searchableFields);
	const columns: ResourceMapperField[] = fields
		// `id` is system-managed (only with updateOnly, else 1003); read-only fields cannot be written.
		.filter((f) => f.updateable !== false || searchable.has(f.name))
		.map((f) => ({
			id: f.name,
			displayName: f.displayName ? `${f.displayName} (${f.name})` : f.name,
			required: false,
			defaultMatch: f.name === 'email',
			canBeUsedToMatch: searchable.has(f.name),
			display: true,
			type: fieldTypeOf(f.dataType),
			readOnly: f.updateable === false && !searchable.has(f.name),
			removed: false,
		}));
	columns.sort((a, b) =>
		a.id === 'email' ? -1 : b.id === 'email' ? 1 : a.displayName.localeCompare(b.displayName),
	);
	return { fields: columns };
}
