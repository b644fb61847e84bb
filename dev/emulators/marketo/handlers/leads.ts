/** Lead database: sync, read by id / filter, delete, describe, field schema. */
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
import type { FieldDef, Lead, MarketoState } from '../state';
import { nowIso } from '../state';
import { coerceValue, sameValue } from '../values';
import { delay } from '../../common/http';

const DEFAULT_LEAD_FIELDS = ['email', 'updatedAt', 'createdAt', 'lastName', 'firstName', 'id'];
export const MAX_BATCH = 300;

export function leadField(state: MarketoState, name: string): FieldDef | undefined {
	return (
		state.leadFields.find((f) => f.name === name) ??
		state.leadFields.find((f) => f.name.toLowerCase() === name.toLowerCase())
	);
}

/** filterType / lookupField: the standard searchable set plus custom string/email/integer fields. */
export function isSearchableLeadField(f: FieldDef): boolean {
	if (f.searchable) return true;
	return (
		!!f.custom && (f.dataType === 'string' || f.dataType === 'email' || f.dataType === 'integer')
	);
}

export function projectLead(
	state: MarketoState,
	lead: Lead,
	fields: string[],
): Record<string, unknown> {
	// Marketo answers `id` with every lead, whether `fields` names it or not.
	const out: Record<string, unknown> = { id: lead.id };
	for (const name of fields) {
		const def = leadField(state, name);
		const key = def?.name ?? name;
		// Requested fields without a value come back as null.
		out[key] = lead[key] ?? null;
	}
	return out;
}

/** Resolves `fields` (comma list); an unknown name is a response-level 1006. */
export function requestedLeadFields(ctx: Ctx, defaults = DEFAULT_LEAD_FIELDS): string[] {
	const fields = listParam(ctx, 'fields');
	if (!fields) return defaults;
	for (const f of fields) {
		if (!leadField(ctx.state, f)) throw new ApiError('1006', `Field '${f}' not found`);
	}
	return fields;
}

export function findLeads(state: MarketoState, field: FieldDef, value: unknown): Lead[] {
	// Email is case-insensitive in Marketo; the index narrows by key, the exact check stays the same.
	const ci = field.dataType === 'email';
	return state.leads
		.candidates(field.name, value, ci)
		.filter(
			(l) =>
				l[field.name] !== undefined &&
				l[field.name] !== null &&
				sameValue(l[field.name], value, ci),
		);
}

async function syncLeads(ctx: Ctx): Promise<Reply> {
	const body = ctx.body ?? {};
	const input = body.input;
	if (!Array.isArray(input))
		return fail('1003', "Invalid request. 'input' must be an array of leads");
	if (input.length > MAX_BATCH)
		return fail('1003', `Batch size exceeds the limit of ${MAX_BATCH} records`);
	if (input.length === 0) return fail('1003', 'Empty input');
	const action: string = body.action ?? 'createOrUpdate';
	if (!['createOnly', 'updateOnly', 'createOrUpdate', 'createDuplicate'].includes(action)) {
		return fail('1003', `Invalid action '${action}'`);
	}
	const lookupName: string = body.lookupField ?? 'email';
	const lookup = leadField(ctx.state, lookupName);
	if (!lookup) return fail('1006', `Field '${lookupName}' not found`);
	if (!isSearchableLeadField(lookup)) return fail('1011', `Field '${lookupName}' not supported`);
	const state = ctx.state;

	// Marketo's upsert race: lookups happen when the call arrives, writes when it completes, so two
	// overlapping createOrUpdate calls for the same new key both create a lead (Adobe documents this).
	// With `latencyMs` the emulator holds the call between the two phases and reproduces it.
	// A lost answer's hold (delayAfterWrite) is spent the same way: the write lands when it ends.
	const hold = ctx.emu.upsertRace ? (ctx.holdMs ?? 0) : 0;
	if (hold) ctx.holdMs = 0;
	const raceMs = ctx.emu.upsertHoldMs ?? ctx.emu.latencyMs;
	const race = ctx.emu.upsertRace && raceMs + hold > 0;
	type Plan =
		| { result: Record<string, unknown> }
		| { update: Lead; values: Record<string, unknown> }
		| { create: Record<string, unknown>; key: unknown };
	const plans: Plan[] = input.map((rec: Record<string, unknown>): Plan => {
		const skip = (code: string, message: string) => ({ result: skipped(code, message) });
		if (!rec || typeof rec !== 'object' || Array.isArray(rec))
			return skip('1003', 'Invalid lead record');
		const injected = ctx.emu.recordFault('lead', rec);
		if (injected) return skip(injected.code, injected.message);
		// id is system-managed: it may only be sent to update (1003 otherwise).
		if (rec.id !== undefined && action !== 'updateOnly') {
			return skip('1003', `Field 'id' is not allowed with action '${action}'`);
		}
		const values: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(rec)) {
			const def = leadField(state, k);
			if (!def) return skip('1006', `Field '${k}' not found`);
			if (def.name === 'id') continue;
			if (!def.updateable) continue; // read-only system fields are ignored
			const c = coerceValue(v, def.dataType, def.name);
			if ('error' in c) return skip('1001', c.error);
			values[def.name] = c.value;
		}
		const key = lookup.name === 'id' ? rec.id : values[lookup.name];
		if (action !== 'createDuplicate' && (key === undefined || key === null || key === '')) {
			return skip('1003', `Value for lookup field '${lookup.name}' not specified`);
		}
		if (!race) return { result: apply(decide(key, values)) };
		return decide(key, values);
	});

	function decide(key: unknown, values: Record<string, unknown>): Plan {
		const matches =
			action === 'createDuplicate'
				? []
				: findLeads(state, lookup!, lookup!.name === 'id' ? Number(key) : key);
		if (action === 'createOnly' && matches.length)
			return { result: skipped('1005', 'Lead already exists') };
		if (action === 'updateOnly' && matches.length === 0)
			return { result: skipped('1004', 'Lead not found') };
		if (matches.length > 1)
			return { result: skipped('1007', 'Multiple lead match lookup criteria') };
		if (matches.length === 1) return { update: matches[0], values };
		return { create: values, key };
	}

	function apply(plan: Plan): Record<string, unknown> {
		if ('result' in plan) return plan.result;
		if ('update' in plan) {
			updateLead(ctx, plan.update, plan.values);
			return { id: plan.update.id, status: 'updated' };
		}
		const lead = createLead(ctx, plan.create);
		return { id: lead.id, status: 'created' };
	}

	if (!race) return ok(plans.map((p) => (p as { result: Record<string, unknown> }).result));
	await delay(raceMs + hold, true);
	const createdHere = new Set<number>();
	return ok(
		plans.map((plan) => {
			if ('create' in plan && action !== 'createDuplicate') {
				// Within one call records are processed in order; createOnly is checked again at write time.
				const now = findLeads(state, lookup!, plan.key);
				if (action === 'createOnly' && now.length) return skipped('1005', 'Lead already exists');
				const sameCall = now.find((l) => createdHere.has(l.id));
				if (sameCall) return apply({ update: sameCall, values: plan.create });
				const r = apply(plan);
				createdHere.add(r.id as number);
				return r;
			}
			return apply(plan);
		}),
	);
}

export function createLead(ctx: Pick<Ctx, 'state' | 'emu'>, values: Record<string, unknown>): Lead {
	const at = nowIso();
	const lead = { ...values, id: ctx.state.nextLeadId++, createdAt: at, updatedAt: at } as Lead;
	ctx.state.leads.set(lead.id, lead);
	ctx.emu.addActivity({
		leadId: lead.id,
		activityTypeId: 12,
		primaryAttributeValueId: lead.id,
		attributes: [
			{ name: 'Source Type', value: 'Web service API' },
			{ name: 'API Method Name', value: 'syncLead' },
		],
		fields: [],
	});
	return lead;
}

export function updateLead(
	ctx: Pick<Ctx, 'state' | 'emu'>,
	lead: Lead,
	values: Record<string, unknown>,
): void {
	let changed = false;
	for (const [k, v] of Object.entries(values)) {
		const old = lead[k] ?? null;
		if (sameValue(old, v)) continue;
		ctx.state.leads.changed(lead, k, old, v);
		lead[k] = v;
		changed = true;
		const def = leadField(ctx.state, k);
		ctx.emu.addActivity({
			leadId: lead.id,
			activityTypeId: 13,
			primaryAttributeValueId: def?.id,
			primaryAttributeValue: def?.displayName ?? k,
			attributes: [
				{ name: 'New Value', value: v },
				{ name: 'Old Value', value: old },
				{ name: 'Reason', value: 'Web service API' },
				{ name: 'Source', value: 'Web service API' },
			],
			fields: [{ id: def?.id ?? 0, name: k, newValue: v, oldValue: old }],
		});
	}
	if (changed) {
		const at = nowIso();
		ctx.state.leads.changed(lead, 'updatedAt', lead.updatedAt, at);
		lead.updatedAt = at;
	}
}

function getLeadById(ctx: Ctx): Reply {
	const id = Number(ctx.pathParams.leadId);
	const fields = requestedLeadFields(ctx);
	const lead = ctx.state.leads.get(id);
	return ok(lead ? [projectLead(ctx.state, lead, fields)] : []);
}

interface PageToken {
	o: number;
	k?: string;
}

function getLeadsByFilter(ctx: Ctx): Reply {
	const filterType = param(ctx, 'filterType');
	const values = listParam(ctx, 'filterValues');
	if (!filterType) return fail('1003', 'filterType cannot be blank');
	if (!values || values.length === 0) return fail('1003', 'filterValues cannot be blank');
	if (values.length > MAX_BATCH)
		return fail('1003', `Too many filter values: ${values.length} > ${MAX_BATCH}`);
	const field = leadField(ctx.state, filterType);
	if (!field) return fail('1006', `Field '${filterType}' not found`);
	if (!isSearchableLeadField(field)) return fail('1011', `Field '${filterType}' not supported`);
	const fields = requestedLeadFields(ctx);
	const batchSize = Number(param(ctx, 'batchSize') ?? MAX_BATCH);
	if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH)
		return fail('1003', `Invalid batchSize '${param(ctx, 'batchSize')}'`);
	const matched: Lead[] = [];
	const seen = new Set<number>();
	for (const v of values) {
		for (const l of findLeads(ctx.state, field, field.dataType === 'integer' ? Number(v) : v)) {
			if (!seen.has(l.id)) {
				seen.add(l.id);
				matched.push(l);
			}
		}
	}
	if (matched.length > 1000) return fail('1003', 'Too many results match the filter');
	matched.sort((a, b) => a.id - b.id);
	const tokenText = param(ctx, 'nextPageToken');
	const token = decodeToken<PageToken>(tokenText);
	if (tokenText && !token) return fail('1003', 'Invalid nextPageToken');
	const offset = token?.o ?? 0;
	const page = matched
		.slice(offset, offset + batchSize)
		.map((l) => projectLead(ctx.state, l, fields));
	const extra: Record<string, unknown> = {};
	if (offset + batchSize < matched.length) {
		extra.moreResult = true;
		extra.nextPageToken = encodeToken({ o: offset + batchSize, k: 'leads' });
	}
	return ok(page, extra);
}

function deleteLeads(ctx: Ctx): Reply {
	let ids: unknown[] | undefined;
	if (ctx.body && Array.isArray(ctx.body.input))
		ids = ctx.body.input.map((r: { id?: unknown }) => r?.id);
	else ids = listParam(ctx, 'id');
	if (!ids || ids.length === 0) return fail('1003', "'input' cannot be blank");
	if (ids.length > MAX_BATCH)
		return fail('1003', `Batch size exceeds the limit of ${MAX_BATCH} records`);
	const result = ids.map((raw) => {
		const id = Number(raw);
		const lead = ctx.state.leads.get(id);
		if (!lead) return { id: Number.isFinite(id) ? id : raw, ...skipped('1004', 'Lead not found') };
		const injected = ctx.emu.recordFault('lead', lead);
		if (injected) return { id, ...skipped(injected.code, injected.message) };
		ctx.state.leads.delete(id);
		for (const members of ctx.state.members.values()) members.delete(id);
		ctx.emu.addActivity({
			leadId: id,
			activityTypeId: 37,
			primaryAttributeValueId: id,
			primaryAttributeValue:
				[lead.firstName, lead.lastName].filter(Boolean).join(' ') || String(lead.email ?? id),
			attributes: [{ name: 'Remove from CRM', value: false }],
		});
		return { id, status: 'deleted' };
	});
	return ok(result);
}

function describe(ctx: Ctx): Reply {
	return ok(
		ctx.state.leadFields.map((f) => ({
			id: f.id,
			displayName: f.displayName,
			dataType: f.dataType,
			...(f.length ? { length: f.length } : {}),
			rest: { name: f.name, readOnly: !f.updateable },
			soap: { name: f.name.charAt(0).toUpperCase() + f.name.slice(1), readOnly: !f.updateable },
		})),
	);
}

function describe2(ctx: Ctx): Reply {
	return ok([
		{
			name: 'API Lead',
			searchableFields: ctx.state.leadFields.filter(isSearchableLeadField).map((f) => [f.name]),
			fields: ctx.state.leadFields.map((f) => ({
				name: f.name,
				displayName: f.displayName,
				dataType: f.dataType,
				...(f.length ? { length: f.length } : {}),
				updateable: f.updateable,
				crmManaged: !!f.crmManaged,
			})),
		},
	]);
}

export function schemaField(f: FieldDef): Record<string, unknown> {
	return {
		displayName: f.displayName,
		name: f.name,
		description: f.description ?? '',
		dataType: f.dataType,
		...(f.length ? { length: f.length } : {}),
		isHidden: !!f.isHidden,
		isHtmlEncodingInEmail: false,
		isSensitive: false,
		isCustom: !!f.custom,
		isApiCreated: !!f.custom,
	};
}

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
/** CreateLeadField.dataType in Adobe's OpenAPI file (textarea fields cannot be created through the API). */
const FIELD_TYPES = [
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
/** "Must be unique, cannot contain special characters" (CreateLeadField.displayName). */
const DISPLAY_NAME = /^[A-Za-z0-9 _+\-()]+$/;

/** Shared by lead and program-member schema endpoints. */
export function schemaEndpoints(
	router: Router,
	base: string,
	fieldsOf: (s: MarketoState) => FieldDef[],
	maxCustom = Infinity,
): void {
	router.get(`${base}/schema/fields.json`, (ctx) => {
		const all = fieldsOf(ctx.state);
		const batchSize = Number(param(ctx, 'batchSize') ?? MAX_BATCH);
		const token = decodeToken<PageToken>(param(ctx, 'nextPageToken'));
		const offset = token?.o ?? 0;
		const extra: Record<string, unknown> = {};
		if (offset + batchSize < all.length) {
			extra.moreResult = true;
			extra.nextPageToken = encodeToken({ o: offset + batchSize, k: 'fields' });
		}
		return ok(all.slice(offset, offset + batchSize).map(schemaField), extra);
	});
	router.get(`${base}/schema/fields/{fieldApiName}.json`, (ctx) => {
		const f = fieldsOf(ctx.state).find((x) => x.name === ctx.pathParams.fieldApiName);
		if (!f) return fail('1013', `Field '${ctx.pathParams.fieldApiName}' not found`);
		return ok([schemaField(f)]);
	});
	router.post(
		`${base}/schema/fields/{fieldApiName}.json`,
		(ctx) => {
			const f = fieldsOf(ctx.state).find((x) => x.name === ctx.pathParams.fieldApiName);
			if (!f) return fail('1013', `Field '${ctx.pathParams.fieldApiName}' not found`);
			// `input` is an array holding the one field (UpdateLeadFieldRequest)
			const raw = ctx.body?.input;
			const input = (Array.isArray(raw) ? raw[0] : raw) ?? {};
			if (typeof input.displayName === 'string') f.displayName = input.displayName;
			if (typeof input.description === 'string') f.description = input.description;
			if (typeof input.isHidden === 'boolean') f.isHidden = input.isHidden;
			return ok([{ name: f.name, status: 'updated' }]);
		},
		{ json: true },
	);
	router.post(
		`${base}/schema/fields.json`,
		(ctx) => {
			const input = ctx.body?.input;
			if (!Array.isArray(input) || input.length === 0)
				return fail('1003', "'input' cannot be blank");
			if (input.length > 100) return fail('1003', 'Cannot create more than 100 fields per call');
			const all = fieldsOf(ctx.state);
			return ok(
				input.map((r: Record<string, any>) => {
					const name = String(r?.name ?? '');
					if (!FIELD_NAME.test(name))
						return { name, ...skipped('1003', `Invalid field name '${name}'`) };
					if (!r.displayName) return { name, ...skipped('1003', 'displayName cannot be blank') };
					const displayName = String(r.displayName);
					if (!DISPLAY_NAME.test(displayName))
						return {
							name,
							...skipped('1003', `Invalid displayName '${displayName}': no special characters`),
						};
					if (all.some((x) => x.displayName.toLowerCase() === displayName.toLowerCase()))
						return {
							name,
							...skipped('1017', `Field with display name '${displayName}' already exists`),
						};
					const dataType = String(r.dataType ?? '');
					if (!FIELD_TYPES.includes(dataType))
						return { name, ...skipped('1003', `Invalid dataType '${dataType}'`) };
					if (all.some((x) => x.name.toLowerCase() === name.toLowerCase())) {
						return { name, ...skipped('1017', `Field '${name}' already exists`) };
					}
					if (all.filter((x) => x.custom).length >= maxCustom) {
						return {
							name,
							...skipped('1028', `Max field limit (${maxCustom} custom fields) reached`),
						};
					}
					all.push({
						name,
						displayName: String(r.displayName),
						dataType: dataType as FieldDef['dataType'],
						description: r.description,
						length: r.length ?? (dataType === 'string' ? 255 : undefined),
						updateable: true,
						custom: true,
						isHidden: !!r.isHidden,
						id: 10000 + all.length,
					});
					return { name, status: 'created' };
				}),
			);
		},
		{ json: true },
	);
}

export function registerLeads(router: Router): void {
	router.post('/rest/v1/leads.json', syncLeads, { json: true, ownLatency: true });
	router.get('/rest/v1/leads.json', getLeadsByFilter);
	router.get('/rest/v1/lead/{leadId}.json', getLeadById);
	router.post('/rest/v1/leads/delete.json', deleteLeads, { json: true });
	router.get('/rest/v1/leads/describe.json', describe);
	router.get('/rest/v1/leads/describe2.json', describe2);
	schemaEndpoints(router, '/rest/v1/leads', (s) => s.leadFields);
}
