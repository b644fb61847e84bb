/**
 * Changes only: an output record is passed on only when it differs from what the last committed
 * run passed on, so a run with nothing new makes no Marketo write. What was passed on is kept as a
 * short hash per record (by key) in the workflow's global static data, pending until Person >
 * Commit Position runs at the end of a run whose writes all succeeded (positions.ts): a run that
 * fails before then sends the same records again next time. Error items always pass.
 */
import { createHash } from 'crypto';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { pendingOf } from './positions';

/** Fields that change on every run without the record changing. */
const VOLATILE = new Set(['judgedAt']);

function hashOf(json: IDataObject): string {
	const stable = Object.keys(json)
		.filter((k) => !VOLATILE.has(k))
		.sort()
		.map((k) => [k, json[k]]);
	return createHash('sha1').update(JSON.stringify(stable)).digest('base64').slice(0, 12);
}

/**
 * The items whose record changed since the last commit (all of them when `everything`, e.g. a full
 * reconcile), each recorded as pending under the node's name.
 */
export function keepChanged(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	keyOf: (json: IDataObject) => string,
	everything = false,
): INodeExecutionData[] {
	const { committed, pending } = pendingOf(ctx, `sent:${ctx.getNode().name}`);
	return items.filter((item) => {
		if (item.json.error !== undefined) return true;
		const key = keyOf(item.json);
		const hash = hashOf(item.json);
		if (!everything && committed[key] === hash) return false;
		pending[key] = hash;
		return true;
	});
}

/** The key of an attendance record: workspace, person and (per-stream records) stream. */
export function recordKey(json: IDataObject): string {
	return [json.spotMeWorkspaceId, json.spotMeUserId, json.spotMeWorkspaceStreamId]
		.map((v) => String(v ?? ''))
		.join('|');
}

export const onlyChangedOption = {
	displayName: 'Only Changed Records',
	name: 'onlyChanged',
	type: 'boolean' as const,
	default: false,
	description:
		'Whether to output only the records that differ from what the last committed run output (a short hash per record is kept in the workflow), so a run with nothing new writes nothing. Needs a SpotMe "Commit Position" step at the end of the workflow.',
};
