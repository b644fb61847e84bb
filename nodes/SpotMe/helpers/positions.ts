/**
 * Remembered positions (changes-since cursors) that move only after success.
 *
 * n8n saves a workflow's static data at the end of every production run, failed runs included. A
 * cursor saved as soon as it is read therefore skips, for good, whatever the rest of a failed run
 * did not write. With "Advance Position: After Commit Position", a read keeps two values in the
 * workflow's global static data: `committed` (where reads start) and `pending` (where this run's read
 * stopped). Only the Commit Position step, placed so it runs last, moves `pending` to `committed`.
 * A run that fails before it leaves `committed` where it was (n8n saves the pending value, which is
 * harmless), so the next run reads the same changes again; the writes are upserts, so a re-read
 * person is updated, never doubled.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

export type AdvanceMode = 'immediately' | 'onCommit';

const ROOT = 'spotMePositions';

interface Position extends IDataObject {
	committed?: string | number | IDataObject;
	pending?: string | number | IDataObject;
}

function positions(ctx: IExecuteFunctions): Record<string, Position> {
	const global = ctx.getWorkflowStaticData('global');
	if (typeof global[ROOT] !== 'object' || global[ROOT] === null) global[ROOT] = {};
	return global[ROOT] as Record<string, Position>;
}

/** Where a read of `key` starts: the committed position (or, immediately, the node's own). */
export function startOf(
	ctx: IExecuteFunctions,
	key: string,
	mode: AdvanceMode,
): string | number | undefined {
	const own = ctx.getWorkflowStaticData('node')[key] as string | number | undefined;
	if (mode === 'immediately') return own;
	// A position kept before the switch to commit mode is where the first committed read starts.
	const committed = positions(ctx)[key]?.committed;
	return typeof committed === 'object' ? own : (committed ?? own);
}

/** Records where a read of `key` stopped: kept at once, or pending until Commit Position. */
export function readUpTo(
	ctx: IExecuteFunctions,
	key: string,
	cursor: string | number,
	mode: AdvanceMode,
): void {
	if (mode === 'immediately') {
		ctx.getWorkflowStaticData('node')[key] = cursor;
		return;
	}
	const all = positions(ctx);
	all[key] = { ...(all[key] ?? {}), pending: cursor };
}

/**
 * A record map kept like a position (changedOnly.ts): `committed` as of the last commit, and
 * `pending`, this run's additions, which Commit Position merges into `committed`.
 */
export function pendingOf(
	ctx: IExecuteFunctions,
	key: string,
): { committed: Record<string, string>; pending: Record<string, string> } {
	const all = positions(ctx);
	const entry = all[key] ?? (all[key] = {});
	if (typeof entry.committed !== 'object') entry.committed = {};
	// A pending map of a failed run is dropped: only a committed run's records count.
	if (typeof entry.pending !== 'object' || !entry.runId || entry.runId !== runIdOf(ctx)) {
		entry.pending = {};
		entry.runId = runIdOf(ctx);
	}
	return {
		committed: entry.committed as Record<string, string>,
		pending: entry.pending as Record<string, string>,
	};
}

function runIdOf(ctx: IExecuteFunctions): string {
	return String(ctx.getExecutionId?.() ?? '');
}

type Moved = { position: string; from: unknown; to: unknown };

/** Moves every pending position (or those whose key contains `filter`) to committed. */
export function commitPositions(ctx: IExecuteFunctions, filter = ''): Moved[] {
	const all = positions(ctx);
	const moved: Moved[] = [];
	for (const [key, value] of Object.entries(all)) {
		if (value.pending === undefined || (filter && !key.includes(filter))) continue;
		if (typeof value.pending === 'object') {
			const records = Object.keys(value.pending).length;
			all[key] = { committed: { ...(value.committed as IDataObject), ...value.pending } };
			moved.push({ position: key, from: null, to: `${records} records` });
			continue;
		}
		moved.push({ position: key, from: value.committed ?? null, to: value.pending });
		all[key] = { committed: value.pending };
	}
	return moved;
}

/** The option that picks when a remembered position advances (inside an Options collection). */
export const advanceOption = {
	displayName: 'Advance Position',
	name: 'advancePosition',
	type: 'options' as const,
	default: 'immediately',
	options: [
		{
			name: 'Immediately',
			value: 'immediately',
			description: 'The next run continues after what this run read, even if the run failed',
		},
		{
			name: 'After Commit Position',
			value: 'onCommit',
			description:
				'The next run reads again from the last committed position until a SpotMe "Commit Position" step runs at the end of the workflow; a failed run loses nobody',
		},
	],
	description: 'With Remember Position: when the next run starts after this run',
};

export function advanceModeOf(options: IDataObject): AdvanceMode {
	return options.advancePosition === 'onCommit' ? 'onCommit' : 'immediately';
}
