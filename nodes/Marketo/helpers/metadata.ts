import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import { marketoApiRequest, marketoAssetRequestAllItems, type MarketoContext } from '../transport';
import type { LeadField, ProgramMemberField, ProgressionStatus } from './interfaces';

export interface LeadDescription {
	fields: LeadField[];
	/** Fields usable as `filterType`/`lookupField`, one per entry (compound keys are skipped). */
	searchableFields: string[];
}

/** `describe2` lists every lead field with `updateable`, and the searchable (filter/lookup) fields. */
export async function describeLeads(this: MarketoContext): Promise<LeadDescription> {
	const response = await marketoApiRequest.call(this, 'GET', '/v1/leads/describe2.json');
	const first = (response.result?.[0] ?? {}) as IDataObject;
	const fields = (Array.isArray(first.fields) ? first.fields : []) as LeadField[];
	const searchable = (
		Array.isArray(first.searchableFields) ? first.searchableFields : []
	) as unknown[];
	const searchableFields = searchable
		.map((entry) =>
			Array.isArray(entry) ? (entry.length === 1 ? String(entry[0]) : '') : String(entry),
		)
		.filter((name) => name !== '');
	return { fields, searchableFields };
}

export interface ProgramMemberDescription {
	fields: ProgramMemberField[];
	searchableFields: string[];
}

export async function describeProgramMembers(
	this: MarketoContext,
): Promise<ProgramMemberDescription> {
	const response = await marketoApiRequest.call(this, 'GET', '/v1/programs/members/describe.json');
	const first = (response.result?.[0] ?? {}) as IDataObject;
	const fields = (Array.isArray(first.fields) ? first.fields : []) as ProgramMemberField[];
	const searchable = (
		Array.isArray(first.searchableFields) ? first.searchableFields : []
	) as unknown[];
	const searchableFields = searchable
		.map((entry) =>
			Array.isArray(entry) ? (entry.length === 1 ? String(entry[0]) : '') : String(entry),
		)
		.filter((name) => name !== '');
	return { fields, searchableFields };
}

/**
 * The statuses a program's members can have: the program's channel's progression statuses, in step
 * order. Marketo has no channel-by-id call, so it is program → channel name → channel/byName.
 */
export async function programStatuses(
	this: MarketoContext,
	programId: number | string,
): Promise<{ programName: string; channel: string; statuses: ProgressionStatus[] }> {
	const programResponse = await marketoApiRequest.call(
		this,
		'GET',
		`/asset/v1/program/${programId}.json`,
	);
	const program = programResponse.result?.[0];
	if (!program) {
		throw new NodeOperationError(this.getNode(), `Marketo has no program with ID ${programId}`, {
			description:
				'Choose the program from the list, or check its ID (the number after "PG" in its URL)',
		});
	}
	const channelName = String(program.channel ?? '');
	let channel: IDataObject | undefined;
	const byName = await marketoApiRequest.call(this, 'GET', '/asset/v1/channel/byName.json', {
		qs: { name: channelName },
	});
	channel = byName.result?.find((c) => c.name === channelName) ?? byName.result?.[0];
	if (!channel) {
		// Fall back to browsing: byName is exact-match and some instances rename channels.
		const all = await marketoAssetRequestAllItems.call(this, 'GET', '/asset/v1/channels.json');
		channel = all.find((c) => c.name === channelName);
	}
	const statuses = ((channel?.progressionStatuses ?? []) as ProgressionStatus[])
		.slice()
		.sort((a, b) => Number(a.step) - Number(b.step));
	return { programName: String(program.name ?? ''), channel: channelName, statuses };
}
