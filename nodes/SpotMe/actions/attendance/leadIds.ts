/**
 * Marketo lead IDs for attendance records. SpotMe's attendance data names the person, not the
 * lead; the lead ID lives on the person document (SpotMe's Marketo module stores it "as
 * marketo_lead_id"; Person > Set Marketo Lead ID writes it). A Marketo custom object record must
 * link to the lead (its `personId` link field), so records are enriched from the people of the
 * workspace, read once per workspace and execution with changes/since from the beginning.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { NormalisedAttendance } from '../../attendance';
import { formatSince, getChangesSince } from '../../transport';

export const leadIdOptions: INodeProperties[] = [
	{
		displayName: 'Add Lead ID From Person',
		name: 'addLeadId',
		type: 'boolean',
		default: false,
		description:
			'Whether to read the people of the workspace (one listing per workspace) and add each person’s Marketo lead ID as marketoLeadId, which a Marketo custom object needs to link to the lead',
	},
	{
		displayName: 'Person Lead ID Field',
		name: 'leadIdField',
		type: 'string',
		default: 'marketo_lead_id',
		description:
			'Field of the SpotMe person that holds the Marketo lead ID (used with Add Lead ID From Person)',
	},
	{
		displayName: 'Only People With Lead ID',
		name: 'onlyWithLeadId',
		type: 'boolean',
		default: false,
		description:
			'Whether to leave out records of people without a Marketo lead ID, as SpotMe’s Marketo module does (only those people can be linked to a lead)',
	},
];

export class LeadIdLookup {
	private readonly byWorkspace = new Map<string, Promise<Map<string, string>>>();

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly field: string,
	) {}

	async leadIdOf(
		workspaceId: string,
		personId: string,
		itemIndex: number,
	): Promise<string | undefined> {
		let pending = this.byWorkspace.get(workspaceId);
		if (!pending) {
			pending = this.load(workspaceId, itemIndex);
			this.byWorkspace.set(workspaceId, pending);
		}
		return (await pending).get(personId);
	}

	private async load(workspaceId: string, itemIndex: number): Promise<Map<string, string>> {
		const { docs } = await getChangesSince.call(
			this.ctx,
			workspaceId,
			'person',
			formatSince(0, 'iso'),
			Infinity,
			itemIndex,
		);
		const map = new Map<string, string>();
		for (const person of docs) {
			const id = person._id;
			const lead = person[this.field];
			if (id === undefined || lead === undefined || lead === null || lead === '') continue;
			map.set(String(id), String(lead));
		}
		return map;
	}
}

/** Reads the lead-ID options of item `itemIndex`. */
export function leadIdSettings(
	ctx: IExecuteFunctions,
	itemIndex: number,
): { add: boolean; field: string; onlyWithLeadId: boolean } {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return {
		add: options.addLeadId === true,
		field:
			typeof options.leadIdField === 'string' && options.leadIdField.trim()
				? options.leadIdField.trim()
				: 'marketo_lead_id',
		onlyWithLeadId: options.onlyWithLeadId === true,
	};
}

/**
 * The record with marketoLeadId added when it has none (a lead ID stated by the source wins), as a
 * new object; undefined when the record is to be left out (Only People With Lead ID).
 */
export async function withLeadId(
	ctx: IExecuteFunctions,
	lookups: Map<string, LeadIdLookup>,
	record: NormalisedAttendance,
	itemIndex: number,
): Promise<NormalisedAttendance | undefined> {
	const settings = leadIdSettings(ctx, itemIndex);
	let out = record;
	if (settings.add && !record.marketoLeadId && record.spotMeWorkspaceId) {
		let lookup = lookups.get(settings.field);
		if (!lookup) lookups.set(settings.field, (lookup = new LeadIdLookup(ctx, settings.field)));
		const lead = await lookup.leadIdOf(record.spotMeWorkspaceId, record.spotMeUserId, itemIndex);
		if (lead) out = { ...record, marketoLeadId: lead };
	}
	return settings.onlyWithLeadId && !out.marketoLeadId ? undefined : out;
}
