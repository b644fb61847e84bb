/**
 * Marketo's schema APIs, read side and the few writes the set-up needs, as plain functions over the
 * transport: lead and program member field lists, custom object types in their draft and approved
 * versions, the field data types and the linkable objects.
 */
import type { IDataObject } from 'n8n-workflow';

import { toNodeError } from '../../shared/kit';
import {
	marketoApiRequest,
	marketoApiRequestAllPages,
	marketoErrorCode,
	type MarketoContext,
} from '../transport';

/** Which field schema: the person (lead) or the program member. */
export type FieldKind = 'lead' | 'programMember';

export const FIELD_SCHEMA_PATH: Record<FieldKind, string> = {
	lead: '/v1/leads/schema/fields.json',
	programMember: '/v1/programs/members/schema/fields.json',
};

/** CreateLeadField.dataType in Adobe's OpenAPI file (lead and program member fields alike). */
export const CREATABLE_FIELD_TYPES = [
	'boolean',
	'currency',
	'date',
	'datetime',
	'email',
	'float',
	'integer',
	'percent',
	'phone',
	'score',
	'string',
	'url',
];

export interface SchemaField {
	name: string;
	displayName: string;
	dataType: string;
	description?: string;
	length?: number;
	isCustom?: boolean;
	isHidden?: boolean;
}

const fieldOf = (f: IDataObject): SchemaField => ({
	name: String(f.name),
	displayName: String(f.displayName ?? f.name),
	dataType: String(f.dataType ?? ''),
	...(typeof f.description === 'string' && f.description !== ''
		? { description: f.description }
		: {}),
	...(typeof f.length === 'number' ? { length: f.length } : {}),
	...(typeof f.isCustom === 'boolean' ? { isCustom: f.isCustom } : {}),
	...(typeof f.isHidden === 'boolean' ? { isHidden: f.isHidden } : {}),
});

/** Every field of the lead or program member schema (paged by 300). */
export async function listSchemaFields(
	this: MarketoContext,
	kind: FieldKind,
	itemIndex?: number,
): Promise<SchemaField[]> {
	const { items } = await marketoApiRequestAllPages.call(this, 'GET', FIELD_SCHEMA_PATH[kind], {
		qs: { batchSize: 300 },
		itemIndex,
	});
	return items.map(fieldOf);
}

/** A custom object type's state: `draft` (never approved), `approved`, or `approvedWithDraft`. */
export type TypeState = 'draft' | 'approved' | 'approvedWithDraft';

export interface TypeField extends SchemaField {
	isDedupeField: boolean;
	relatedTo?: { name: string; field: string };
}

export interface TypeVersion {
	apiName: string;
	displayName: string;
	pluralName?: string;
	description?: string;
	state: TypeState;
	dedupeFields: string[];
	fields: TypeField[];
}

/** Fields every custom object has from the start; they are never added. */
export const SYSTEM_FIELDS = new Set(['createdAt', 'marketoGUID', 'updatedAt']);

/** The state of each named type (absent: the instance has no such type, in any state). */
export async function typeStates(
	this: MarketoContext,
	names: string[],
	itemIndex?: number,
): Promise<Map<string, TypeState>> {
	const response = await marketoApiRequest.call(this, 'GET', '/v1/customobjects/schema.json', {
		qs: { names: names.join(',') },
		itemIndex,
	});
	const out = new Map<string, TypeState>();
	for (const t of response.result ?? []) {
		const name = String(t.apiName ?? t.name);
		const state = String(t.state ?? 'approved') as TypeState;
		if (names.includes(name)) out.set(name, state);
	}
	return out;
}

/**
 * One version of a type (`draft` or `approved`), or undefined when it has no such version (Marketo
 * answers 1013).
 */
export async function describeTypeVersion(
	this: MarketoContext,
	apiName: string,
	version: 'draft' | 'approved' | undefined,
	itemIndex?: number,
): Promise<TypeVersion | undefined> {
	let result: IDataObject | undefined;
	try {
		const response = await marketoApiRequest.call(
			this,
			'GET',
			`/v1/customobjects/schema/${encodeURIComponent(apiName)}/describe.json`,
			{ qs: version ? { state: version } : {}, itemIndex },
		);
		result = response.result?.[0];
	} catch (error) {
		if (marketoErrorCode(error) === '1013') return undefined;
		throw toNodeError(this, error, itemIndex ?? 0);
	}
	if (!result) return undefined;
	const dedupeFields = ((result.dedupeFields as string[] | undefined) ?? []).map(String);
	const links = new Map<string, { name: string; field: string }>();
	for (const r of (result.relationships as IDataObject[] | undefined) ?? []) {
		const to = (r.relatedTo ?? {}) as IDataObject;
		links.set(String(r.field), { name: String(to.name), field: String(to.field) });
	}
	return {
		apiName: String(result.apiName ?? result.name ?? apiName),
		displayName: String(result.displayName ?? apiName),
		pluralName: result.pluralName as string | undefined,
		description: result.description as string | undefined,
		state: String(result.state ?? 'approved') as TypeState,
		dedupeFields,
		fields: ((result.fields as IDataObject[] | undefined) ?? []).map((f) => ({
			...fieldOf(f),
			isDedupeField: dedupeFields.includes(String(f.name)),
			...(links.has(String(f.name)) ? { relatedTo: links.get(String(f.name)) } : {}),
		})),
	};
}

/** The data types a custom object field may have (`fieldDataTypes.json`). */
export async function customObjectFieldTypes(this: MarketoContext): Promise<string[]> {
	const response = await marketoApiRequest.call(
		this,
		'GET',
		'/v1/customobjects/schema/fieldDataTypes.json',
	);
	// Marketo documents `result` as a list of strings; some instances answer {dataType} objects.
	return (response.result ?? [])
		.map((t) => (typeof t === 'string' ? t : String((t as IDataObject).dataType ?? '')))
		.filter((t) => t !== '');
}

export interface LinkableObject {
	name: string;
	displayName: string;
	fields: Array<{ name: string; displayName: string; dataType: string }>;
}

/** What a link field may point at (`linkableObjects.json`): the person, approved custom objects. */
export async function linkableObjects(this: MarketoContext): Promise<LinkableObject[]> {
	const response = await marketoApiRequest.call(
		this,
		'GET',
		'/v1/customobjects/schema/linkableObjects.json',
	);
	return (response.result ?? []).map((o) => ({
		name: String(o.name),
		displayName: String(o.displayName ?? o.name),
		fields: ((o.fields as IDataObject[] | undefined) ?? []).map((f) => ({
			name: String(f.name),
			displayName: String(f.displayName ?? f.name),
			dataType: String(f.dataType ?? ''),
		})),
	}));
}

/** A per-record answer of a schema write: its status, or its first reason when skipped. */
export function recordOutcome(result: IDataObject | undefined): {
	ok: boolean;
	status: string;
	code?: string;
	message?: string;
} {
	const status = String(result?.status ?? 'missing');
	const reason = (result?.reasons as IDataObject[] | undefined)?.[0];
	if (status === 'skipped' || status === 'missing' || reason) {
		return {
			ok: false,
			status,
			code: reason ? String(reason.code) : undefined,
			message: reason ? String(reason.message) : 'Marketo returned no result for this record',
		};
	}
	return { ok: true, status };
}
