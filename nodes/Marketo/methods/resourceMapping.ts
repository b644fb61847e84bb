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

/**
 * The labels of a field mapper. n8n's editor cuts a mapper label that does not fit beside its
 * Fixed/Expression switch (about 22 characters in the usual panel width), so each field shows its
 * display name alone, without API name or notes; a label that repeats the first word of the
 * object's own name leaves it out ("SpotMe Workspace + Stream Id" of "SpotMe attendance" reads
 * "Workspace + Stream Id"); labels two fields would share get their API names back.
 */
export function mapperLabels(
	fields: Array<{ name: string; displayName?: string }>,
	objectName = '',
): Map<string, string> {
	const prefix = objectName.trim().split(/\s+/)[0] ?? '';
	const short = (f: { name: string; displayName?: string }): string => {
		const label = (f.displayName ?? '').trim() || f.name;
		if (prefix && label.toLowerCase().startsWith(`${prefix.toLowerCase()} `)) {
			const rest = label.slice(prefix.length).trim();
			if (rest) return rest;
		}
		return label;
	};
	const count = new Map<string, number>();
	for (const f of fields)
		count.set(short(f).toLowerCase(), (count.get(short(f).toLowerCase()) ?? 0) + 1);
	const labels = new Map<string, string>();
	for (const f of fields) {
		const label = short(f);
		labels.set(f.name, count.get(label.toLowerCase())! > 1 ? `${label} (${f.name})` : label);
	}
	return labels;
}

/** Lead fields for Create or Update, from `describe2`: the writable ones, plus the searchable as match keys. */
export async function getLeadMappingColumns(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	const { fields, searchableFields } = await describeLeads.call(this);
	const searchable = new Set(searchableFields);
	const labels = mapperLabels(fields);
	const columns: ResourceMapperField[] = fields
		// `id` is system-managed (only with updateOnly, else 1003); read-only fields cannot be written.
		.filter((f) => f.updateable !== false || searchable.has(f.name))
		.map((f) => ({
			id: f.name,
			displayName: labels.get(f.name)!,
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
