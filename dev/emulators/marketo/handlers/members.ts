/** Program members: status (forward-only along the channel), member data, query, delete, describe, schema. */
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
import type { Channel, FieldDef, MarketoState, Program, ProgramMember } from '../state';
import { nowIso } from '../state';
import { coerceValue, sameValue } from '../values';
import { programIdentity } from './assets';
import { MAX_BATCH, schemaEndpoints } from './leads';

const DEFAULT_MEMBER_FIELDS = [
	'acquiredBy',
	'leadId',
	'membershipDate',
	'programId',
	'reachedSuccess',
];

function program(ctx: Ctx): Program {
	const id = Number(ctx.pathParams.programId);
	const p = ctx.state.programs.get(id);
	if (!p) throw new ApiError('1013', `Program '${ctx.pathParams.programId}' not found`);
	return p;
}

export function channelOf(state: MarketoState, p: Program): Channel | undefined {
	return state.channels.find((c) => c.name === p.channel);
}

function membersOf(state: MarketoState, programId: number): Map<number, ProgramMember> {
	let m = state.members.get(programId);
	if (!m) {
		m = new Map();
		state.members.set(programId, m);
	}
	return m;
}

function pmField(state: MarketoState, name: string): FieldDef | undefined {
	return (
		state.programMemberFields.find((f) => f.name === name) ??
		state.programMemberFields.find((f) => f.name.toLowerCase() === name.toLowerCase())
	);
}

function isSearchablePmField(f: FieldDef): boolean {
	return !!f.searchable || (!!f.custom && (f.dataType === 'string' || f.dataType === 'integer'));
}

function readInput(ctx: Ctx): Array<Record<string, unknown>> {
	const input = ctx.body?.input;
	if (!Array.isArray(input) || input.length === 0)
		throw new ApiError('1003', "'input' cannot be blank");
	if (input.length > MAX_BATCH)
		throw new ApiError('1003', `Batch size exceeds the limit of ${MAX_BATCH} records`);
	return input;
}

function syncStatus(ctx: Ctx): Reply {
	const p = program(ctx);
	const statusName = ctx.body?.statusName;
	if (typeof statusName !== 'string' || statusName === '')
		return fail('1003', "'statusName' cannot be blank");
	const input = readInput(ctx);
	const channel = channelOf(ctx.state, p);
	const status =
		channel?.progressionStatuses.find((s) => s.name === statusName) ??
		channel?.progressionStatuses.find((s) => s.name.toLowerCase() === statusName.toLowerCase());
	// The status must exist in the program's channel (Get Channels); otherwise the whole call fails.
	if (!status)
		return fail(
			'1025',
			`Program status not found: '${statusName}' is not a status of channel '${p.channel}'`,
		);
	const members = membersOf(ctx.state, p.id);
	const result = input.map((rec, seq) => {
		const leadId = Number(rec?.leadId);
		const injected = ctx.emu.recordFault('programMemberStatus', {
			...rec,
			programId: p.id,
			statusName: status.name,
		});
		if (injected) return { seq, leadId: rec?.leadId, ...skipped(injected.code, injected.message) };
		if (!Number.isInteger(leadId)) return { seq, ...skipped('1003', "'leadId' cannot be blank") };
		if (!ctx.state.leads.has(leadId)) return { seq, leadId, ...skipped('1004', 'Lead not found') };
		const at = nowIso();
		const existing = members.get(leadId);
		// Forward only: a lead already at a higher step is skipped (same step is allowed).
		if (existing && existing.progressionStep > status.step) {
			return {
				seq,
				leadId,
				...skipped('1037', 'Lead skipped because it is already in or past this status'),
			};
		}
		const oldStatus = existing?.statusName ?? 'Not in Program';
		const member: ProgramMember = existing ?? {
			leadId,
			programId: p.id,
			statusName: status.name,
			progressionStep: status.step,
			reachedSuccess: false,
			membershipDate: at,
			acquiredBy: false,
			createdAt: at,
			updatedAt: at,
		};
		member.statusName = status.name;
		member.progressionStep = status.step;
		if (status.success && !member.reachedSuccess) {
			member.reachedSuccess = true;
			member.reachedSuccessDate = at;
		}
		member.updatedAt = at;
		members.set(leadId, member);
		if (oldStatus !== status.name) {
			const old = channel?.progressionStatuses.find((s) => s.name === oldStatus);
			ctx.emu.addActivity({
				leadId,
				activityTypeId: 104,
				primaryAttributeValueId: p.id,
				primaryAttributeValue: p.name,
				attributes: [
					{ name: 'New Status ID', value: status.step },
					{ name: 'Old Status ID', value: old?.step ?? 0 },
					{ name: 'New Status', value: status.name },
					{ name: 'Old Status', value: oldStatus },
					{ name: 'Success', value: status.success },
					{ name: 'Program Member ID', value: leadId * 1000 + p.id },
					{ name: 'Reason', value: 'Changed by Web service API' },
					{ name: 'Acquired By', value: member.acquiredBy },
				],
			});
		}
		return { seq, status: existing ? 'updated' : 'created', leadId };
	});
	return ok(result);
}

function syncData(ctx: Ctx): Reply {
	const p = program(ctx);
	const input = readInput(ctx);
	const members = membersOf(ctx.state, p.id);
	const result = input.map((rec, seq) => {
		const leadId = Number(rec?.leadId);
		const injected = ctx.emu.recordFault('programMemberData', { ...rec, programId: p.id });
		if (injected) return { seq, leadId: rec?.leadId, ...skipped(injected.code, injected.message) };
		if (!Number.isInteger(leadId)) return { seq, ...skipped('1003', "'leadId' cannot be blank") };
		const member = members.get(leadId);
		// Member data can only be written for existing members (create them with status.json first).
		if (!member) return { seq, leadId, ...skipped('1013', 'Membership not found') };
		const values: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(rec)) {
			if (k === 'leadId') continue;
			const def = pmField(ctx.state, k);
			if (!def) return { seq, leadId, ...skipped('1006', `Field '${k}' not found`) };
			if (!def.updateable)
				return { seq, leadId, ...skipped('1003', `Field '${def.name}' is not updateable`) };
			const c = coerceValue(v, def.dataType, def.name);
			if ('error' in c) return { seq, leadId, ...skipped('1001', c.error) };
			values[def.name] = c.value;
		}
		if (Object.keys(values).length === 0)
			return { seq, leadId, ...skipped('1003', 'No updateable field specified') };
		for (const [k, v] of Object.entries(values)) {
			const old = member[k] ?? null;
			if (sameValue(old, v)) continue;
			member[k] = v;
			ctx.emu.addActivity({
				leadId,
				activityTypeId: 123,
				primaryAttributeValueId: p.id,
				primaryAttributeValue: p.name,
				attributes: [
					{ name: 'Attribute Name', value: k },
					{ name: 'New Value', value: v },
					{ name: 'Old Value', value: old },
					{ name: 'Program Member ID', value: leadId * 1000 + p.id },
				],
			});
		}
		member.updatedAt = nowIso();
		return { seq, status: 'updated', leadId };
	});
	return ok(result);
}

function memberView(
	state: MarketoState,
	p: Program,
	m: ProgramMember,
	fields: string[],
	seq: number,
): Record<string, unknown> {
	const out: Record<string, unknown> = { seq };
	for (const f of fields) {
		const def = pmField(state, f);
		const key = def?.name ?? f;
		if (key === 'program') out[key] = p.name;
		else out[key] = m[key] ?? null;
	}
	return out;
}

function queryMembers(ctx: Ctx): Reply {
	const p = program(ctx);
	const filterType = param(ctx, 'filterType');
	if (!filterType) return fail('1003', 'filterType cannot be blank');
	const fields = listParam(ctx, 'fields') ?? DEFAULT_MEMBER_FIELDS;
	for (const f of fields) if (!pmField(ctx.state, f)) return fail('1006', `Field '${f}' not found`);
	const batchSize = Number(param(ctx, 'batchSize') ?? MAX_BATCH);
	if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH)
		return fail('1003', `Invalid batchSize '${param(ctx, 'batchSize')}'`);
	const all = [...membersOf(ctx.state, p.id).values()].sort((a, b) => a.leadId - b.leadId);
	let matched: ProgramMember[];
	if (filterType === 'updatedAt') {
		const startAt = Date.parse(param(ctx, 'startAt') ?? '');
		const endAt = Date.parse(param(ctx, 'endAt') ?? '');
		if (Number.isNaN(startAt) || Number.isNaN(endAt))
			return fail('1003', 'startAt and endAt are required with filterType updatedAt');
		if (endAt - startAt > 7 * 86400000) return fail('1003', 'Date range exceeds 7 days');
		matched = all.filter((m) => {
			const t = Date.parse(m.updatedAt);
			return t >= startAt && t <= endAt;
		});
	} else {
		const def = pmField(ctx.state, filterType);
		if (!def) return fail('1006', `Field '${filterType}' not found`);
		if (!isSearchablePmField(def)) return fail('1003', `Invalid filterType '${filterType}'`);
		const values = listParam(ctx, 'filterValues');
		if (!values || values.length === 0) return fail('1003', 'filterValues cannot be blank');
		if (values.length > MAX_BATCH)
			return fail('1003', `Too many filter values: ${values.length} > ${MAX_BATCH}`);
		// sameValue(m[field], v, true) for any v, by set lookup (a string compared case-insensitively,
		// anything else as its String), so a 300-value query does not compare every member 300 times.
		const lower = new Set(values.map((v) => v.toLowerCase()));
		const exact = new Set(values);
		matched = all.filter((m) => {
			const a = m[def.name];
			if (a === undefined || a === null) return false;
			return typeof a === 'string' ? lower.has(a.toLowerCase()) : exact.has(String(a));
		});
	}
	if (filterType !== 'leadId' && matched.length > 100000) {
		return fail(
			'1003',
			`Matching membership size: ${matched.length} exceeds the limit allowed (100,000) for this api`,
		);
	}
	const token = decodeToken<{ o: number }>(param(ctx, 'nextPageToken'));
	const offset = token?.o ?? 0;
	const page = matched
		.slice(offset, offset + batchSize)
		.map((m, i) => memberView(ctx.state, p, m, fields, offset + i));
	const extra: Record<string, unknown> = {};
	if (offset + batchSize < matched.length) {
		extra.moreResult = true;
		extra.nextPageToken = encodeToken({ o: offset + batchSize, k: 'members' });
	}
	return ok(page, extra);
}

function deleteMembers(ctx: Ctx): Reply {
	const p = program(ctx);
	const input = readInput(ctx);
	const members = membersOf(ctx.state, p.id);
	return ok(
		input.map((rec, seq) => {
			const leadId = Number(rec?.leadId);
			if (!members.has(leadId))
				return { seq, leadId: rec?.leadId, ...skipped('1037', 'Lead not in program') };
			members.delete(leadId);
			return { seq, status: 'deleted', leadId };
		}),
	);
}

function describe(ctx: Ctx): Reply {
	const fields = ctx.state.programMemberFields;
	return ok([
		{
			name: 'API Program Membership',
			description: 'Map for API program membership fields',
			createdAt: '2024-01-01T00:00:00Z',
			updatedAt: nowIso(),
			dedupeFields: ['leadId', 'programId'],
			searchableFields: fields.filter(isSearchablePmField).map((f) => [f.name]),
			fields: fields.map((f) => ({
				name: f.name,
				displayName: f.displayName,
				dataType: f.dataType,
				...(f.length ? { length: f.length } : {}),
				updateable: f.updateable,
				crmManaged: false,
			})),
		},
	]);
}

/** Older read: leads of a program with a `membership` object. */
function leadsByProgram(ctx: Ctx): Reply {
	const p = program(ctx);
	const fields = listParam(ctx, 'fields') ?? [
		'email',
		'updatedAt',
		'createdAt',
		'lastName',
		'firstName',
		'membership',
		'id',
	];
	const channel = channelOf(ctx.state, p);
	const batchSize = Number(param(ctx, 'batchSize') ?? MAX_BATCH);
	const token = decodeToken<{ o: number }>(param(ctx, 'nextPageToken'));
	const offset = token?.o ?? 0;
	const all = [...membersOf(ctx.state, p.id).values()].sort((a, b) => a.leadId - b.leadId);
	const page = all.slice(offset, offset + batchSize).map((m) => {
		const lead = ctx.state.leads.get(m.leadId) ?? { id: m.leadId };
		const out: Record<string, unknown> = {};
		for (const f of fields) {
			if (f === 'membership') {
				const st = channel?.progressionStatuses.find((s) => s.name === m.statusName);
				out.membership = {
					progressionStatus: m.statusName,
					progressionStatusType: st?.success ? 'Success' : 'Normal',
					acquiredBy: m.acquiredBy,
					reachedSuccess: m.reachedSuccess,
					membershipDate: m.membershipDate,
					updatedAt: m.updatedAt,
					isExhausted: false,
				};
			} else out[f] = (lead as Record<string, unknown>)[f] ?? null;
		}
		return out;
	});
	const extra: Record<string, unknown> = {};
	if (offset + batchSize < all.length) {
		extra.moreResult = true;
		extra.nextPageToken = encodeToken({ o: offset + batchSize, k: 'leadsByProgram' });
	}
	return ok(page, extra);
}

function programMembership(ctx: Ctx): Reply {
	const leadId = Number(ctx.pathParams.leadId);
	const out: unknown[] = [];
	for (const [pid, members] of ctx.state.members) {
		const m = members.get(leadId);
		const p = ctx.state.programs.get(pid);
		if (!m || !p) continue;
		out.push({
			...programIdentity(p),
			progressionStatus: m.statusName,
			isExhausted: false,
			acquiredBy: m.acquiredBy,
			reachedSuccess: m.reachedSuccess,
			membershipDate: m.membershipDate,
		});
	}
	return ok(out);
}

export function registerMembers(router: Router): void {
	router.post('/rest/v1/programs/{programId}/members/status.json', syncStatus, { json: true });
	router.post('/rest/v1/programs/{programId}/members/delete.json', deleteMembers, { json: true });
	router.post('/rest/v1/programs/{programId}/members.json', syncData, { json: true });
	router.get('/rest/v1/programs/{programId}/members.json', queryMembers);
	router.get('/rest/v1/programs/members/describe.json', describe);
	router.get('/rest/v1/program/members/describe.json', describe);
	router.get('/rest/v1/leads/programs/{programId}.json', leadsByProgram);
	router.get('/rest/v1/leads/{leadId}/programMembership.json', programMembership);
	// at most 20 custom program member fields per instance
	schemaEndpoints(router, '/rest/v1/programs/members', (s) => s.programMemberFields, 20);
}
