/**
 * Forward-only program member statuses. Marketo skips a move to a lower step (1037) but allows a
 * move between two statuses of the same step, and some channels put "No Show" and "Attended" on one
 * step: a later "No Show" would then replace "Attended". So Set Status reads each member's current
 * status first and sends only moves up the channel's steps; a move between statuses of one step only
 * when the user allows that pair; a member already at the status is not written again.
 */
import { NodeOperationError, type IDataObject, type INode } from 'n8n-workflow';

import { marketoFilterRequestAllItems, type MarketoContext } from '../transport';
import type { ProgressionStatus } from './interfaces';

const norm = (s: string) => s.trim().toLowerCase();

/**
 * "From -> To" pairs (comma or newline separated; "→" works too) of same-step moves the user
 * allows. A pair that cannot be read stops the node naming it.
 */
export function parseSameStepMoves(text: string, node: INode): Set<string> {
	const pairs = new Set<string>();
	for (const entry of text.split(/[,\n]/)) {
		if (!entry.trim()) continue;
		const parts = entry.split(/->|→/);
		if (parts.length !== 2 || !parts[0].trim() || !parts[1].trim()) {
			throw new NodeOperationError(
				node,
				`"${entry.trim()}" in "Allowed Same-Step Moves" is not a move`,
				{ description: 'Write each move as From -> To, e.g. Attended On-demand -> Attended' },
			);
		}
		pairs.add(`${norm(parts[0])}\u0000${norm(parts[1])}`);
	}
	return pairs;
}

export type MoveDecision = { send: true } | { send: false; reason: string };

/** Whether moving a member from `current` (undefined: not a member) to `target` may be sent. */
export function decideMove(
	current: string | undefined,
	target: ProgressionStatus,
	statuses: ProgressionStatus[],
	allowedSameStep: Set<string>,
): MoveDecision {
	if (current === undefined || current === '') return { send: true };
	if (norm(current) === norm(target.name)) {
		return { send: false, reason: `Already "${target.name}"` };
	}
	const from = statuses.find((s) => norm(s.name) === norm(current));
	if (!from) return { send: true };
	if (from.step > target.step) {
		return {
			send: false,
			reason: `Already "${from.name}" (step ${from.step}), past "${target.name}" (step ${target.step}): statuses only move forward`,
		};
	}
	if (
		from.step === target.step &&
		!allowedSameStep.has(`${norm(from.name)}\u0000${norm(target.name)}`)
	) {
		return {
			send: false,
			reason: `Already "${from.name}", which shares step ${from.step} with "${target.name}": add "${from.name} -> ${target.name}" to Options > Allowed Same-Step Moves to allow it`,
		};
	}
	return { send: true };
}

/**
 * The current status of each of `leadIds` in the program (absent: not a member), read 300 leads per
 * call (`members.json` filtered by leadId).
 */
export async function currentMemberStatuses(
	this: MarketoContext,
	programId: number,
	leadIds: number[],
): Promise<Map<number, string>> {
	const current = new Map<number, string>();
	if (!leadIds.length) return current;
	const records: IDataObject[] = await marketoFilterRequestAllItems.call(
		this,
		`/v1/programs/${programId}/members.json`,
		{
			filterType: 'leadId',
			values: leadIds.map(String),
			qs: { fields: ['leadId', 'statusName'] },
		},
	);
	for (const r of records) current.set(Number(r.leadId), String(r.statusName ?? ''));
	return current;
}
