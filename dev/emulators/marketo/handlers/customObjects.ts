/** Custom objects: list, describe, query (incl. compound keys), sync, delete, and the schema (type) API. */
import { randomUUID } from 'crypto';
import type { Router } from '../router';
import {
	ApiError,
	decodeToken,
	encodeToken,
	fail,
	listParam,
	ok,
	param,
	skipped,
} from '../context';
import type { Ctx, Reply } from '../context';
import type {
	CustomObjectField,
	CustomObjectRecord,
	CustomObjectType,
	CustomObjectVersion,
	DataType,
} from '../state';
import { nowIso } from '../state';
import { coerceValue, sameValue } from '../values';
import { MAX_BATCH } from './leads';
import { delay } from '../../common/http';
import { findByKey } from '../customObjectIndex';

const SYSTEM_FIELDS: CustomObjectField[] = [
	{ name: 'createdAt', displayName: 'Created At', dataType: 'datetime', updateable: false },
	{
		name: 'marketoGUID',
		displayName: 'Marketo GUID',
		dataType: 'string',
		length: 36,
		updateable: false,
	},
	{ name: 'updatedAt', displayName: 'Updated At', dataType: 'datetime', updateable: false },
];
const CO_DATA_TYPES: DataType[] = [
	'string',
	'boolean',
	'integer',
	'float',
	'datetime',
	'date',
	'email',
	'phone',
	'url',
	'currency',
	'text',
	'link',
];

function dedupeFields(v: CustomObjectVersion): string[] {
	return v.fields.filter((f) => f.isDedupeField).map((f) => f.name);
}

function searchableFields(v: CustomObjectVersion): string[][] {
	const out: string[][] = [];
	const d = dedupeFields(v);
	if (d.length) out.push(d);
	out.push(['marketoGUID']);
	for (const f of v.fields)
		if (f.relatedTo && !(d.length === 1 && d[0] === f.name)) out.push([f.name]);
	return out;
}

function typeView(
	t: CustomObjectType,
	v: CustomObjectVersion,
	withFields: boolean,
	state?: string,
): Record<string, unknown> {
	return {
		name: t.name,
		displayName: v.displayName,
		pluralName: v.pluralName,
		description: v.description,
		showInLeadDetail: v.showInLeadDetail,
		createdAt: t.createdAt,
		updatedAt: t.updatedAt,
		...(state ? { apiName: t.name, state, version: v === t.draft ? 'draft' : 'approved' } : {}),
		idField: 'marketoGUID',
		dedupeFields: dedupeFields(v),
		searchableFields: searchableFields(v),
		relationships: v.fields
			.filter((f) => f.relatedTo)
			.map((f) => ({
				field: f.name,
				type: 'child',
				relatedTo: { name: f.relatedTo!.name, field: f.relatedTo!.field },
			})),
		...(withFields
			? {
					fields: [...SYSTEM_FIELDS, ...v.fields].map((f) => ({
						name: f.name,
						displayName: f.displayName,
						dataType: f.dataType,
						...(f.length ? { length: f.length } : f.dataType === 'string' ? { length: 255 } : {}),
						updateable: f.updateable,
						crmManaged: false,
					})),
				}
			: {}),
	};
}

function typeState(t: CustomObjectType): string {
	if (t.approved && t.draft) return 'approvedWithDraft';
	return t.approved ? 'approved' : 'draft';
}

/** Data endpoints only see approved types. */
function approvedType(ctx: Ctx): {
	t: CustomObjectType;
	v: CustomObjectVersion;
	records: CustomObjectRecord[];
} {
	const name = ctx.pathParams.customObjectName;
	const t = ctx.state.customObjectTypes.get(name);
	if (!t || !t.approved) throw new ApiError('1013', `Custom object type '${name}' not found`);
	let records = ctx.state.customObjects.get(name);
	if (!records) {
		records = [];
		ctx.state.customObjects.set(name, records);
	}
	return { t, v: t.approved, records };
}

function listTypes(ctx: Ctx): Reply {
	const names = listParam(ctx, 'names');
	const out = [...ctx.state.customObjectTypes.values()]
		.filter((t) => t.approved && (!names || names.includes(t.name)))
		.map((t) => typeView(t, t.approved!, false));
	return ok(out);
}

function describeType(ctx: Ctx): Reply {
	const { t, v } = approvedType(ctx);
	return ok([typeView(t, v, true)]);
}

function project(rec: CustomObjectRecord, fields: string[], seq: number): Record<string, unknown> {
	const out: Record<string, unknown> = { seq };
	for (const f of fields) out[f] = rec[f] ?? null;
	return out;
}

function query(ctx: Ctx): Reply {
	const { v, records } = approvedType(ctx);
	const body = ctx.body && typeof ctx.body === 'object' ? ctx.body : undefined;
	const filterType: string =
		body?.filterType ?? param(ctx, 'filterType') ?? (body ? 'dedupeFields' : '');
	if (!filterType) return fail('1003', 'filterType cannot be blank');
	const dedupe = dedupeFields(v);
	const fieldNames = new Set([...SYSTEM_FIELDS, ...v.fields].map((f) => f.name));
	const fields: string[] = (Array.isArray(body?.fields)
		? body.fields
		: listParam(ctx, 'fields')) ?? ['marketoGUID', ...dedupe, 'updatedAt', 'createdAt'];
	for (const f of fields) if (!fieldNames.has(f)) return fail('1006', `Field '${f}' not found`);
	const batchSize = Number(body?.batchSize ?? param(ctx, 'batchSize') ?? MAX_BATCH);
	if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH)
		return fail('1003', `Invalid batchSize '${batchSize}'`);

	let keyFields: string[];
	if (filterType === 'dedupeFields') keyFields = dedupe;
	else if (filterType === 'idField') keyFields = ['marketoGUID'];
	else {
		if (!searchableFields(v).some((s) => s.length === 1 && s[0] === filterType))
			return fail('1003', `Invalid filterType '${filterType}'`);
		keyFields = [filterType];
	}
	// Keys: JSON `input` objects (compound keys) or comma-separated filterValues (single-field keys).
	let keys: Array<Record<string, unknown>>;
	if (Array.isArray(body?.input)) {
		keys = body.input;
		for (const k of keys) {
			for (const f of keyFields) {
				if (k?.[f] === undefined)
					return fail(
						'1003',
						`Value for field '${f}' is required in every input element for filterType '${filterType}'`,
					);
			}
		}
	} else {
		const values = listParam(ctx, 'filterValues');
		if (!values || values.length === 0) return fail('1003', 'filterValues cannot be blank');
		if (keyFields.length !== 1)
			return fail(
				'1003',
				`filterType '${filterType}' is a compound key: send a JSON body with 'input' (POST ?_method=GET)`,
			);
		keys = values.map((x) => ({ [keyFields[0]]: x }));
	}
	if (keys.length > MAX_BATCH)
		return fail('1003', `Too many filter values: ${keys.length} > ${MAX_BATCH}`);
	const matched: Array<{ rec: CustomObjectRecord; seq: number }> = [];
	keys.forEach((k, seq) => {
		for (const rec of records)
			if (keyFields.every((f) => sameValue(rec[f], k[f]))) matched.push({ rec, seq });
	});
	const tokenText: string | undefined = body?.nextPageToken ?? param(ctx, 'nextPageToken');
	const token = decodeToken<{ o: number }>(tokenText);
	if (tokenText && !token) return fail('1003', 'Invalid nextPageToken');
	const offset = token?.o ?? 0;
	const page = matched.slice(offset, offset + batchSize).map((m) => project(m.rec, fields, m.seq));
	const extra: Record<string, unknown> = {};
	if (offset + batchSize < matched.length) {
		extra.moreResult = true;
		extra.nextPageToken = encodeToken({ o: offset + batchSize, k: 'co' });
	}
	return ok(page, extra);
}

async function sync(ctx: Ctx): Promise<Reply> {
	const { t, v, records } = approvedType(ctx);
	// A lost answer's hold (delayAfterWrite) is spent between looking records up and writing them, as
	// a slow Marketo call does: a record another call creates meanwhile is not seen, and is created twice.
	const hold = ctx.emu.upsertRace ? (ctx.holdMs ?? 0) : 0;
	const seenAtArrival = hold ? records.slice() : records;
	if (hold) {
		ctx.holdMs = 0;
		await delay(hold, true);
	}
	const body = ctx.body ?? {};
	const input = body.input;
	if (!Array.isArray(input) || input.length === 0) return fail('1003', "'input' cannot be blank");
	if (input.length > MAX_BATCH)
		return fail('1003', `Batch size exceeds the limit of ${MAX_BATCH} records`);
	const action: string = body.action ?? 'createOrUpdate';
	if (!['createOnly', 'updateOnly', 'createOrUpdate'].includes(action))
		return fail('1003', `Invalid action '${action}'`);
	const dedupeBy: string = body.dedupeBy ?? 'dedupeFields';
	if (!['dedupeFields', 'idField'].includes(dedupeBy))
		return fail('1003', `Invalid dedupeBy '${dedupeBy}'`);
	// idField cannot create records: there is no marketoGUID before creation.
	if (dedupeBy === 'idField' && action === 'createOnly')
		return fail('1003', "dedupeBy 'idField' is not compatible with action 'createOnly'");
	const keyFields = dedupeBy === 'idField' ? ['marketoGUID'] : dedupeFields(v);
	const byName = new Map(v.fields.map((f) => [f.name, f]));
	const seenKeys = new Set<string>();
	const result = input.map((rec: Record<string, unknown>, seq: number) => {
		if (!rec || typeof rec !== 'object') return { seq, ...skipped('1003', 'Invalid record') };
		const injected = ctx.emu.recordFault('customObject', { ...rec, objectName: t.name });
		if (injected) return { seq, ...skipped(injected.code, injected.message) };
		const values: Record<string, unknown> = {};
		for (const [k, val] of Object.entries(rec)) {
			if (k === 'marketoGUID' && dedupeBy === 'idField') continue;
			const def = byName.get(k);
			if (!def) return { seq, ...skipped('1006', `Field '${k}' not found`) };
			const c = coerceValue(val, def.dataType === 'link' ? 'integer' : def.dataType, k);
			if ('error' in c) return { seq, ...skipped('1001', c.error) };
			values[k] = c.value;
		}
		for (const f of keyFields) {
			const val = f === 'marketoGUID' ? rec.marketoGUID : values[f];
			if (val === undefined || val === null || val === '')
				return { seq, ...skipped('1003', `Value for required field '${f}' not specified`) };
		}
		const keyOf = (r: Record<string, unknown>) =>
			JSON.stringify(keyFields.map((f) => String(r[f])));
		const key = keyOf(dedupeBy === 'idField' ? rec : values);
		if (seenKeys.has(key)) return { seq, ...skipped('1036', 'Duplicate object found in input') };
		seenKeys.add(key);
		const existing = findByKey(seenAtArrival, keyFields, keyOf, key);
		if (existing) {
			if (action === 'createOnly')
				return {
					seq,
					marketoGUID: existing.marketoGUID,
					...skipped('1017', 'Object already exists'),
				};
			Object.assign(existing, values, { updatedAt: nowIso() });
			return { seq, status: 'updated', marketoGUID: existing.marketoGUID };
		}
		if (action === 'updateOnly' || dedupeBy === 'idField')
			return { seq, ...skipped('1013', 'Object not found') };
		const at = nowIso();
		const created = {
			...values,
			marketoGUID: randomUUID(),
			createdAt: at,
			updatedAt: at,
		} as CustomObjectRecord;
		records.push(created);
		return { seq, status: 'created', marketoGUID: created.marketoGUID };
	});
	return ok(result);
}

function del(ctx: Ctx): Reply {
	const { v, records } = approvedType(ctx);
	const body = ctx.body ?? {};
	const input = body.input;
	if (!Array.isArray(input) || input.length === 0) return fail('1003', "'input' cannot be blank");
	if (input.length > MAX_BATCH)
		return fail('1003', `Batch size exceeds the limit of ${MAX_BATCH} records`);
	const deleteBy: string = body.deleteBy ?? 'dedupeFields';
	if (!['dedupeFields', 'idField'].includes(deleteBy))
		return fail('1003', `Invalid deleteBy '${deleteBy}'`);
	const keyFields = deleteBy === 'idField' ? ['marketoGUID'] : dedupeFields(v);
	return ok(
		input.map((rec: Record<string, unknown>, seq: number) => {
			for (const f of keyFields)
				if (rec?.[f] === undefined)
					return { seq, ...skipped('1003', `Value for required field '${f}' not specified`) };
			const i = records.findIndex((r) => keyFields.every((f) => sameValue(r[f], rec[f])));
			if (i < 0) return { seq, ...skipped('1013', 'Object not found') };
			const [gone] = records.splice(i, 1);
			return { seq, marketoGUID: gone.marketoGUID, status: 'deleted' };
		}),
	);
}

// ---- schema (type metadata) API ----------------------------------------------------------------

interface Linkable {
	name: string;
	displayName: string;
	pluralName: string;
	fields: Array<{ name: string; displayName: string; dataType: string }>;
}

/** What a link field may point at: the person (by id or email) and every approved custom object. */
function linkableObjects(ctx: Ctx): Linkable[] {
	return [
		{
			name: 'lead',
			displayName: 'Person',
			pluralName: 'People',
			fields: [
				{ name: 'id', displayName: 'Id', dataType: 'integer' },
				{ name: 'email', displayName: 'Email Address', dataType: 'email' },
			],
		},
		...[...ctx.state.customObjectTypes.values()]
			.filter((t) => t.approved)
			.map((t) => ({
				name: t.name,
				displayName: t.approved!.displayName,
				pluralName: t.approved!.pluralName,
				fields: [{ name: 'marketoGUID', displayName: 'Marketo GUID', dataType: 'string' }],
			})),
	];
}

const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function schemaType(ctx: Ctx): CustomObjectType {
	const t = ctx.state.customObjectTypes.get(ctx.pathParams.apiName);
	if (!t) throw new ApiError('1013', `Custom object type '${ctx.pathParams.apiName}' not found`);
	return t;
}

function versionFor(t: CustomObjectType, state?: string): CustomObjectVersion | undefined {
	if (state === 'draft') return t.draft;
	if (state === 'approved') return t.approved;
	return t.approved ?? t.draft;
}

/** A draft to edit: the current draft, or a copy of the approved version. */
function editableDraft(t: CustomObjectType): CustomObjectVersion {
	if (!t.draft) t.draft = JSON.parse(JSON.stringify(t.approved)) as CustomObjectVersion;
	return t.draft;
}

function schemaList(ctx: Ctx): Reply {
	const names = listParam(ctx, 'names');
	const state = param(ctx, 'state');
	const out: unknown[] = [];
	for (const t of ctx.state.customObjectTypes.values()) {
		if (names && !names.includes(t.name)) continue;
		if (state === 'approvedWithDraft' && typeState(t) !== 'approvedWithDraft') continue;
		const v = versionFor(t, state === 'approvedWithDraft' ? undefined : state);
		if (v) out.push(typeView(t, v, false, typeState(t)));
	}
	return ok(out);
}

function schemaDescribe(ctx: Ctx): Reply {
	const t = schemaType(ctx);
	const v = versionFor(t, param(ctx, 'state'));
	if (!v) return fail('1013', `No ${param(ctx, 'state')} version of '${t.name}'`);
	return ok([typeView(t, v, true, typeState(t))]);
}

function schemaSync(ctx: Ctx): Reply {
	const b = ctx.body ?? {};
	const action: string = b.action ?? 'createOrUpdate';
	const apiName = String(b.apiName ?? '');
	if (!API_NAME.test(apiName)) return fail('1003', `Invalid apiName '${apiName}'`);
	if (!b.displayName) return fail('1003', 'displayName cannot be blank');
	const existing = ctx.state.customObjectTypes.get(apiName);
	if (existing && action === 'createOnly')
		return ok([{ seq: 0, apiName, ...skipped('1017', 'Object already exists') }]);
	if (!existing && action === 'updateOnly')
		return ok([{ seq: 0, apiName, ...skipped('1013', 'Object not found') }]);
	const at = nowIso();
	if (existing) {
		const d = editableDraft(existing);
		d.displayName = b.displayName;
		if (b.pluralName) d.pluralName = b.pluralName;
		if (b.description !== undefined) d.description = b.description;
		if (b.showInLeadDetail !== undefined) d.showInLeadDetail = !!b.showInLeadDetail;
		existing.updatedAt = at;
		return ok([{ seq: 0, status: 'updated', apiName }]);
	}
	if (ctx.state.customObjectTypes.size >= 10)
		return ok([
			{ seq: 0, apiName, ...skipped('1027', 'Max custom object type limit (10) reached') },
		]);
	ctx.state.customObjectTypes.set(apiName, {
		name: apiName,
		draft: {
			displayName: b.displayName,
			pluralName: b.pluralName ?? `${b.displayName}s`,
			description: b.description ?? '',
			showInLeadDetail: !!b.showInLeadDetail,
			fields: [],
		},
		createdAt: at,
		updatedAt: at,
	});
	return ok([{ seq: 0, status: 'created', apiName }]);
}

function addField(ctx: Ctx): Reply {
	const t = schemaType(ctx);
	const input = ctx.body?.input;
	if (!Array.isArray(input) || input.length === 0) return fail('1003', "'input' cannot be blank");
	const d = editableDraft(t);
	t.updatedAt = nowIso();
	return ok(
		input.map((f: Record<string, any>, seq: number) => {
			const name = String(f?.name ?? '');
			if (!API_NAME.test(name))
				return { seq, name, ...skipped('1003', `Invalid field name '${name}'`) };
			if (d.fields.some((x) => x.name === name) || SYSTEM_FIELDS.some((x) => x.name === name))
				return { seq, name, ...skipped('1017', `Field '${name}' already exists`) };
			const dataType = String(f.dataType ?? '');
			if (!CO_DATA_TYPES.includes(dataType as DataType))
				return { seq, name, ...skipped('1003', `Invalid dataType '${dataType}'`) };
			if (d.fields.length >= 50)
				return { seq, name, ...skipped('1028', 'Max field limit (50) reached') };
			// Link and dedupe fields cannot be added once the type was approved.
			if (t.approved && (f.isDedupeField || f.relatedTo))
				return {
					seq,
					name,
					...skipped('1003', 'Link and dedupe fields cannot be added to an approved type'),
				};
			if (f.isDedupeField && dedupeFields(d).length >= 3)
				return {
					seq,
					name,
					...skipped('1003', 'A custom object type can have at most 3 dedupe fields'),
				};
			if (dataType === 'link' && !f.relatedTo)
				return {
					seq,
					name,
					...skipped('1003', `Link field '${name}' needs relatedTo (a linkable object and field)`),
				};
			if (f.relatedTo && dataType !== 'link')
				return {
					seq,
					name,
					...skipped('1003', `relatedTo is only for fields of dataType 'link', not '${dataType}'`),
				};
			if (f.relatedTo) {
				if (d.fields.some((x) => x.relatedTo))
					return {
						seq,
						name,
						...skipped('1003', 'A custom object type can have only one link field'),
					};
				const target = linkableObjects(ctx).find(
					(o) => o.name.toLowerCase() === String(f.relatedTo.name).toLowerCase(),
				);
				if (!target)
					return {
						seq,
						name,
						...skipped('1013', `Linkable object '${f.relatedTo.name}' not found`),
					};
				if (!target.fields.some((x) => x.name === String(f.relatedTo.field)))
					return {
						seq,
						name,
						...skipped(
							'1013',
							`Field '${f.relatedTo.field}' of linkable object '${target.name}' not found`,
						),
					};
			}
			d.fields.push({
				name,
				displayName: String(f.displayName ?? name),
				dataType: f.relatedTo ? 'link' : (dataType as DataType),
				description: f.description,
				updateable: !f.isDedupeField,
				isDedupeField: !!f.isDedupeField,
				relatedTo: f.relatedTo
					? { name: String(f.relatedTo.name), field: String(f.relatedTo.field) }
					: undefined,
			});
			return { seq, status: 'created', name };
		}),
	);
}

function deleteField(ctx: Ctx): Reply {
	const t = schemaType(ctx);
	const input = ctx.body?.input;
	if (!Array.isArray(input) || input.length === 0) return fail('1003', "'input' cannot be blank");
	const d = editableDraft(t);
	return ok(
		input.map((f: { name?: string }, seq: number) => {
			const i = d.fields.findIndex((x) => x.name === f?.name);
			if (i < 0) return { seq, name: f?.name, ...skipped('1013', 'Field not found') };
			d.fields.splice(i, 1);
			return { seq, status: 'deleted', name: f.name };
		}),
	);
}

function updateField(ctx: Ctx): Reply {
	const t = schemaType(ctx);
	const d = editableDraft(t);
	const f = d.fields.find((x) => x.name === ctx.pathParams.fieldApiName);
	if (!f) return fail('1013', `Field '${ctx.pathParams.fieldApiName}' not found`);
	// UpdateCustomObjectTypeFieldRequest is the field itself (some clients wrap it in `input`)
	const input = ctx.body?.input ?? ctx.body ?? {};
	if (input.displayName) f.displayName = input.displayName;
	if (input.description !== undefined) f.description = input.description;
	return ok([{ seq: 0, status: 'updated', name: f.name }]);
}

function approve(ctx: Ctx): Reply {
	const t = schemaType(ctx);
	if (!t.draft) return fail('709', 'Business Rule Violation: no draft version to approve');
	// Marketo requires at least one dedupe field before a type can be approved.
	if (dedupeFields(t.draft).length === 0)
		return fail('709', 'Business Rule Violation: at least one dedupe field is required');
	t.approved = t.draft;
	t.draft = undefined;
	t.updatedAt = nowIso();
	if (!ctx.state.customObjects.has(t.name)) ctx.state.customObjects.set(t.name, []);
	return ok([{ seq: 0, status: 'approved', apiName: t.name }]);
}

function discardDraft(ctx: Ctx): Reply {
	const t = schemaType(ctx);
	if (!t.draft) return fail('1048', 'Custom Object Discard Draft Failed: no draft');
	t.draft = undefined;
	if (!t.approved) ctx.state.customObjectTypes.delete(t.name);
	return ok([{ seq: 0, status: 'discarded', apiName: t.name }]);
}

function deleteType(ctx: Ctx): Reply {
	const t = schemaType(ctx);
	if ((ctx.state.customObjects.get(t.name) ?? []).length)
		return fail('1022', 'Object in use: delete its records first');
	ctx.state.customObjectTypes.delete(t.name);
	ctx.state.customObjects.delete(t.name);
	return ok([{ seq: 0, status: 'deleted', apiName: t.name }]);
}

export function registerCustomObjects(router: Router): void {
	router.get('/rest/v1/customobjects.json', listTypes);
	router.get('/rest/v1/customobjects/{customObjectName}/describe.json', describeType);
	router.get('/rest/v1/customobjects/{customObjectName}.json', query);
	router.post('/rest/v1/customobjects/{customObjectName}.json', sync, { json: true });
	router.post('/rest/v1/customobjects/{customObjectName}/delete.json', del, { json: true });
	router.get('/rest/v1/customobjects/schema.json', schemaList);
	router.post('/rest/v1/customobjects/schema.json', schemaSync, { json: true });
	router.get('/rest/v1/customobjects/schema/{apiName}/describe.json', schemaDescribe);
	router.post('/rest/v1/customobjects/schema/{apiName}/addField.json', addField, { json: true });
	router.post('/rest/v1/customobjects/schema/{apiName}/deleteField.json', deleteField, {
		json: true,
	});
	router.post(
		'/rest/v1/customobjects/schema/{apiName}/{fieldApiName}/updateField.json',
		updateField,
		{ json: true },
	);
	router.post('/rest/v1/customobjects/schema/{apiName}/approve.json', approve);
	router.post('/rest/v1/customobjects/schema/{apiName}/discardDraft.json', discardDraft);
	router.post('/rest/v1/customobjects/schema/{apiName}/delete.json', deleteType);
	router.get('/rest/v1/customobjects/schema/fieldDataTypes.json', () =>
		ok(CO_DATA_TYPES.map((dataType) => ({ dataType }))),
	);
	router.get('/rest/v1/customobjects/schema/linkableObjects.json', (ctx: Ctx) =>
		ok(linkableObjects(ctx)),
	);
	router.get('/rest/v1/customobjects/schema/{apiName}/dependentAssets.json', (ctx: Ctx) => {
		schemaType(ctx);
		return ok([]);
	});
}
