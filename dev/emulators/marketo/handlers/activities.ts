/**
 * Activities: paging tokens are positions in (time, insertion order). Like Marketo, each page scans a
 * block of raw activities (all types) and returns only the matches, so pages with few or no records
 * and `moreResult: true` happen whenever the filter is selective — clients must keep paging.
 */
import type { Router } from '../router';
import { decodeToken, encodeToken, fail, listParam, ok, param } from '../context';
import type { Ctx, Reply } from '../context';
import type { Activity } from '../state';
import { API_USER } from '../state';
import { MAX_BATCH } from './leads';

interface Position {
	/** time (ms) */
	t: number;
	/** insertion sequence; -1 = before every activity of that instant */
	s: number;
}

function after(a: Activity, p: Position): boolean {
	return a.ts > p.t || (a.ts === p.t && a.seq > p.s);
}

function readPosition(ctx: Ctx): Position | Reply {
	const token = param(ctx, 'nextPageToken');
	if (!token)
		return fail(
			'1003',
			'nextPageToken cannot be blank (get one from /rest/v1/activities/pagingtoken.json)',
		);
	const p = decodeToken<Position>(token);
	if (!p || typeof p.t !== 'number') return fail('1003', `Invalid nextPageToken '${token}'`);
	return p;
}

function activityView(a: Activity, withFields = false): Record<string, unknown> {
	const out: Record<string, unknown> = {
		id: a.id,
		marketoGUID: a.marketoGUID,
		leadId: a.leadId,
		activityDate: a.activityDate,
		activityTypeId: a.activityTypeId,
	};
	if (a.campaignId !== undefined) out.campaignId = a.campaignId;
	if (a.primaryAttributeValueId !== undefined)
		out.primaryAttributeValueId = a.primaryAttributeValueId;
	if (a.primaryAttributeValue !== undefined) out.primaryAttributeValue = a.primaryAttributeValue;
	if (withFields) out.fields = a.fields ?? [];
	// Empty attributes are omitted.
	out.attributes = a.attributes.filter(
		(x) => x.value !== null && x.value !== undefined && x.value !== '',
	);
	return out;
}

/** Lead filter from leadIds (≤30) or listId. */
function leadFilter(ctx: Ctx): Set<number> | undefined | Reply {
	const leadIds = listParam(ctx, 'leadIds');
	const listId = param(ctx, 'listId');
	if (leadIds && listId) return fail('1003', 'Specify either leadIds or listId, not both');
	if (leadIds) {
		if (leadIds.length > 30) return fail('1003', `Too many leadIds: ${leadIds.length} > 30`);
		return new Set(leadIds.map(Number));
	}
	if (listId) {
		const list = ctx.state.lists.get(Number(listId));
		if (!list) return fail('1013', `List '${listId}' not found`);
		if (list.leadIds.length >= 10000)
			return fail('1003', 'List size exceeds the limit of 10,000 leads for this api');
		return new Set(list.leadIds);
	}
	return undefined;
}

function page(ctx: Ctx, pos: Position, match: (a: Activity) => boolean, withFields = false): Reply {
	const batchSize = Number(param(ctx, 'batchSize') ?? MAX_BATCH);
	if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH)
		return fail('1003', `Invalid batchSize '${param(ctx, 'batchSize')}'`);
	const all = ctx.state.activities;
	let i = all.findIndex((a) => after(a, pos));
	if (i < 0) i = all.length;
	// Optional time slices: a page never covers more than this span of activity time, so a token from
	// long ago walks through empty slices (moreResult:true, no records) up to the present.
	const slice = ctx.emu.activityTimeSliceSeconds;
	const sliceEnd = slice ? pos.t + slice * 1000 : Infinity;
	const out: Activity[] = [];
	let scanned = 0;
	let last: Position = pos;
	while (
		i < all.length &&
		scanned < ctx.emu.activityScanSize &&
		out.length < batchSize &&
		all[i].ts <= sliceEnd
	) {
		const a = all[i++];
		scanned++;
		last = { t: a.ts, s: a.seq };
		if (match(a)) out.push(a);
	}
	let moreResult = i < all.length;
	if (slice && sliceEnd < Date.now() && (i >= all.length || all[i].ts > sliceEnd)) {
		// the slice is exhausted but the present is not reached yet: continue after the slice
		last = { t: sliceEnd, s: Number.MAX_SAFE_INTEGER };
		moreResult = true;
	}
	return ok(
		out.map((a) => activityView(a, withFields)),
		{ nextPageToken: encodeToken(last), moreResult },
	);
}

function pagingToken(ctx: Ctx): Reply {
	const since = param(ctx, 'sinceDatetime');
	if (!since) return fail('701', 'sinceDatetime cannot be blank');
	const t = Date.parse(since);
	if (Number.isNaN(t)) return fail('704', `Invalid date format '${since}'`);
	const res = ok(undefined, { nextPageToken: encodeToken({ t, s: -1 } satisfies Position) });
	delete (res.body as Record<string, unknown>).result;
	return res;
}

function activities(ctx: Ctx): Reply {
	const pos = readPosition(ctx);
	if ('status' in pos) return pos;
	const typeIds = listParam(ctx, 'activityTypeIds');
	if (!typeIds || typeIds.length === 0) return fail('1003', 'activityTypeIds cannot be blank');
	if (typeIds.length > 10) return fail('1003', `Too many activityTypeIds: ${typeIds.length} > 10`);
	const types = new Set(typeIds.map(Number));
	const assetIds = listParam(ctx, 'assetIds');
	if (assetIds && types.size !== 1)
		return fail('1003', 'assetIds can only be used with a single activityTypeId');
	const assets = assetIds ? new Set(assetIds.map(Number)) : undefined;
	const leads = leadFilter(ctx);
	if (leads && 'status' in leads) return leads as Reply;
	const leadSet = leads as Set<number> | undefined;
	return page(
		ctx,
		pos,
		(a) =>
			types.has(a.activityTypeId) &&
			(!leadSet || leadSet.has(a.leadId)) &&
			(!assets || assets.has(a.primaryAttributeValueId ?? -1)),
	);
}

function leadChanges(ctx: Ctx): Reply {
	const pos = readPosition(ctx);
	if ('status' in pos) return pos;
	const fields = listParam(ctx, 'fields');
	if (!fields || fields.length === 0) return fail('1003', 'fields cannot be blank');
	const wanted = new Set(fields.map((f) => f.toLowerCase()));
	const leads = leadFilter(ctx);
	if (leads && 'status' in leads) return leads as Reply;
	const leadSet = leads as Set<number> | undefined;
	return page(
		ctx,
		pos,
		(a) =>
			(!leadSet || leadSet.has(a.leadId)) &&
			(a.activityTypeId === 12 ||
				(a.activityTypeId === 13 &&
					(a.fields ?? []).some((f) => wanted.has(f.name.toLowerCase())))),
		true,
	);
}

function deletedLeads(ctx: Ctx): Reply {
	const pos = readPosition(ctx);
	if ('status' in pos) return pos;
	return page(ctx, pos, (a) => a.activityTypeId === 37);
}

function types(ctx: Ctx): Reply {
	return ok(ctx.state.activityTypes);
}

// ---- usage stats -------------------------------------------------------------------------------

function usageFor(ctx: Ctx, days: number): Reply {
	const out: unknown[] = [];
	for (let i = days - 1; i >= 0; i--) {
		const day = new Date(Date.now() - i * 86400000).toISOString().slice(0, 10);
		const users = ctx.state.usage.get(day);
		if (!users && days > 1) continue;
		const list = [...(users ?? new Map<string, number>()).entries()].map(([userId, count]) => ({
			userId,
			count,
		}));
		out.push({
			date: day,
			total: list.reduce((s, u) => s + u.count, 0),
			users: list.length ? list : [{ userId: API_USER, count: 0 }],
		});
	}
	return ok(out);
}

function errorsFor(ctx: Ctx, days: number): Reply {
	const out: unknown[] = [];
	for (let i = days - 1; i >= 0; i--) {
		const day = new Date(Date.now() - i * 86400000).toISOString().slice(0, 10);
		const codes = ctx.state.errorsByDay.get(day);
		if (!codes && days > 1) continue;
		const errors = [...(codes ?? new Map<string, number>()).entries()].map(
			([errorCode, count]) => ({ errorCode, count }),
		);
		out.push({ date: day, total: errors.reduce((s, e) => s + e.count, 0), errors });
	}
	return ok(out);
}

export function registerActivities(router: Router): void {
	router.get('/rest/v1/activities/pagingtoken.json', pagingToken);
	router.get('/rest/v1/activities.json', activities);
	router.get('/rest/v1/activities/leadchanges.json', leadChanges);
	router.get('/rest/v1/activities/deletedleads.json', deletedLeads);
	router.get('/rest/v1/activities/types.json', types);
	router.get('/rest/v1/stats/usage.json', (ctx) => usageFor(ctx, 1));
	router.get('/rest/v1/stats/usage/last7days.json', (ctx) => usageFor(ctx, 7));
	router.get('/rest/v1/stats/errors.json', (ctx) => errorsFor(ctx, 1));
	router.get('/rest/v1/stats/errors/last7days.json', (ctx) => errorsFor(ctx, 7));
}
