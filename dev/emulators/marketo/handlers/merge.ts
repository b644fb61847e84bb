/**
 * Merge Leads: `POST /rest/v1/leads/{winnerId}/merge.json?leadId=<loser>` or `?leadIds=a,b,…`
 * (Adobe's OpenAPI `mergeLeadsUsingPOST`; `../shared/docs/marketo-api.md` §3.4).
 *
 * As Marketo does it: the winner keeps its id and its values; a field the winner has empty takes the
 * losers' value (first loser first); the losers' program memberships move to the winner where the
 * winner is not a member yet; the losers are gone afterwards (a Get by id finds nothing, a lookup by
 * email finds only the winner); a Merge Leads activity (32) is written on the winner. The answer has
 * no `result`. Failures are response-level: no losing id → 1003 "Losing lead ids not specified",
 * more than 25 losing ids → 1080 (Marketo's limit from 2026-03-31), an unknown winner or loser →
 * 1004 "Lead not found" (nothing merged), the winner among the losers → 1003. `mergeInCRM` is
 * accepted and ignored (no CRM sync in the emulator).
 */
import type { Router } from '../router';
import { fail, listParam, ok, type Ctx, type Reply } from '../context';
import { updateLead } from './leads';

export const MAX_LOSERS = 25;

function mergeLeads(ctx: Ctx): Reply {
	const winnerId = Number(ctx.pathParams.leadId);
	const losers = [...(listParam(ctx, 'leadIds') ?? []), ...(listParam(ctx, 'leadId') ?? [])].map(
		Number,
	);
	if (losers.length === 0) return fail('1003', 'Losing lead ids not specified');
	if (losers.length > MAX_LOSERS)
		return fail('1080', `Too many losing lead ids (max ${MAX_LOSERS})`);
	if (losers.some((id) => !Number.isInteger(id))) return fail('1003', 'Invalid losing lead id');
	if (losers.includes(winnerId)) return fail('1003', 'Winning lead id is also a losing lead id');
	const winner = ctx.state.leads.get(winnerId);
	if (!winner) return fail('1004', `Lead '${winnerId}' not found`);
	const missing = losers.find((id) => !ctx.state.leads.get(id));
	if (missing !== undefined) return fail('1004', `Lead '${missing}' not found`);

	const fill: Record<string, unknown> = {};
	for (const id of losers) {
		const loser = ctx.state.leads.get(id)!;
		for (const [field, value] of Object.entries(loser)) {
			if (['id', 'createdAt', 'updatedAt'].includes(field)) continue;
			if (value === undefined || value === null || value === '') continue;
			const current = winner[field as keyof typeof winner];
			if ((current === undefined || current === null || current === '') && !(field in fill))
				fill[field] = value;
		}
	}
	// The losers go first, so the winner's filled-in values never meet a second holder in the index.
	for (const id of losers) {
		ctx.state.leads.delete(id);
		for (const members of ctx.state.members.values()) {
			const membership = members.get(id);
			if (!membership) continue;
			members.delete(id);
			if (!members.has(winnerId)) members.set(winnerId, { ...membership, leadId: winnerId });
		}
	}
	if (Object.keys(fill).length) updateLead(ctx, winner, fill);
	ctx.emu.addActivity({
		leadId: winnerId,
		activityTypeId: 32,
		primaryAttributeValueId: winnerId,
		attributes: [
			{ name: 'Merge ids', value: losers.join(',') },
			{ name: 'Merged in Sales', value: false },
		],
	});
	return ok(undefined);
}

export function registerMerge(router: Router): void {
	router.post('/rest/v1/leads/{leadId}/merge.json', mergeLeads);
}
