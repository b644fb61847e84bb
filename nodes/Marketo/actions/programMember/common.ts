import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { coalesce, failItem, nodeParameter } from '../../../shared/kit';
import {
	CREDENTIAL_TYPE,
	getMarketoSettings,
	type BatchInputRecord,
	type BatchItemResult,
} from '../../transport';
import { resolveProgramId } from '../program/common';

export { programLocator } from '../program/common';

export const leadIdProperty: INodeProperties = {
	displayName: 'Lead ID',
	name: 'leadId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 1001',
	description: 'The Marketo lead ID of the member (one per item; calls carry 300 members each)',
};

/** Resolves each item's Program locator once per distinct value (a name costs a call to byName.json). */
export function programIdResolver(this: IExecuteFunctions) {
	const cache = new Map<string, Promise<number>>();
	return async (i: number): Promise<number> => {
		const locator = nodeParameter(this, 'programId', i) as { mode: string; value: unknown };
		const key = `${locator?.mode}:${String(locator?.value ?? '').trim()}`;
		let id = cache.get(key);
		if (!id) {
			id = resolveProgramId.call(this, i);
			cache.set(key, id);
		}
		return await id;
	};
}

export function leadIdOf(this: IExecuteFunctions, i: number): number {
	const raw = String(nodeParameter(this, 'leadId', i, '') ?? '').trim();
	if (!/^\d+$/.test(raw)) {
		throw new NodeOperationError(
			this.getNode(),
			`"${raw}" in "Lead ID" of item ${i} is not a lead ID`,
			{
				description:
					'A lead ID is a number, e.g. 1001; use Lead > Get or Create or Update to get it',
				itemIndex: i,
			},
		);
	}
	return Number(raw);
}

export interface MemberWrite {
	itemIndex: number;
	programId: number;
	/** Calls are grouped by program and this key (e.g. the status), in order of first appearance. */
	groupKey: string;
	record: IDataObject;
}

/**
 * Validates each item with `prepare` (bad input becomes an error item or stops the node), sends the
 * valid ones grouped per program (+ group key) in batches of 300, and returns every item's result.
 */
export async function writeMembers(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	prepare: (i: number) => Promise<MemberWrite>,
	send: (
		programId: number,
		groupKey: string,
		records: BatchInputRecord[],
	) => Promise<BatchItemResult[]>,
): Promise<{
	results: BatchItemResult[];
	early: INodeExecutionData[];
	writes: Map<number, MemberWrite>;
}> {
	const early: INodeExecutionData[] = [];
	const groups = new Map<
		string,
		{ programId: number; groupKey: string; records: BatchInputRecord[] }
	>();
	const writes = new Map<number, MemberWrite>();
	for (let i = 0; i < items.length; i++) {
		try {
			const write = await prepare(i);
			writes.set(i, write);
			const key = `${write.programId}\u0000${write.groupKey}`;
			let group = groups.get(key);
			if (!group) {
				group = { programId: write.programId, groupKey: write.groupKey, records: [] };
				groups.set(key, group);
			}
			group.records.push({ itemIndex: i, record: write.record });
		} catch (error) {
			early.push(failItem.call(this, error, i));
		}
	}
	const results: BatchItemResult[] = [];
	for (const group of groups.values()) {
		for (const r of await send(group.programId, group.groupKey, group.records)) results.push(r);
	}
	results.sort((a, b) => a.itemIndex - b.itemIndex);
	return { results, early, writes };
}

/** Program members per Marketo call (members.json takes at most 300). */
export const MEMBERS_PER_CALL = 300;
/** How long a webhook execution's member writes wait for those of concurrent executions (ms). */
export const MEMBER_COALESCE_WINDOW_MS = 25;

/**
 * Sends one execution's member records for a program; in a webhook execution (one Marketo delivery,
 * one member) they join those of concurrent executions writing to the same program with the same
 * credential, so a burst shares calls of up to 300 members (nodes/shared/kit/coalesce.ts). `send`
 * gets every record of the shared call and returns one result per record; each execution gets back
 * its own records' results, with its own item indexes. A failure that stops the call (quota, a dead
 * credential) is returned as each record's failure, so each execution reports it under its own
 * Continue on Fail.
 */
export async function sendMembersShared(
	this: IExecuteFunctions,
	programId: number,
	groupKey: string,
	records: BatchInputRecord[],
	send: (records: BatchInputRecord[], continueOnFatal?: boolean) => Promise<BatchItemResult[]>,
): Promise<BatchItemResult[]> {
	if (this.getMode() !== 'webhook') return await send(records);
	const settings = await getMarketoSettings.call(this);
	const credentialId = this.getNode().credentials?.[CREDENTIAL_TYPE]?.id ?? '';
	const key = JSON.stringify([
		'marketo members',
		credentialId,
		settings.instanceKey,
		programId,
		groupKey,
	]);
	return await coalesce<BatchInputRecord, BatchItemResult>(
		key,
		records,
		async (all) => {
			// Positions in the shared call stand in for item indexes while it is sent.
			const results = await send(
				all.map((r, position) => ({ ...r, itemIndex: position })),
				true,
			);
			const byPosition = new Map(results.map((r) => [r.itemIndex, r]));
			return all.map(
				(r, position): BatchItemResult => ({
					...(byPosition.get(position) ?? {
						input: r.record,
						success: false,
						status: 'failed',
						message: 'Marketo returned no result for this member',
					}),
					itemIndex: r.itemIndex,
				}),
			);
		},
		{ windowMs: MEMBER_COALESCE_WINDOW_MS, maxRecords: MEMBERS_PER_CALL },
	);
}
