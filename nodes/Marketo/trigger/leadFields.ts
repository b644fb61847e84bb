import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { marketoApiRequest } from '../transport';

/** Leads read per call: Marketo takes up to 300 ids in one `filterValues`. */
export const LEAD_LOOKUP_BATCH = 300;

/** What a New Lead event carries when no fields are chosen. */
export const DEFAULT_NEW_LEAD_FIELDS = [
	'id',
	'email',
	'firstName',
	'lastName',
	'company',
	'createdAt',
	'updatedAt',
];

/**
 * New Lead events carry the lead itself under `lead` (its fields, not only `leadId`): one
 * `leads.json?filterType=id` call per 300 new leads, however many polls' worth. Called before the
 * cursor moves, so a failed lookup loses nothing (the next poll reads the same activities again). A
 * lead deleted since it was created has `lead: null`.
 */
export async function addLeadFields(
	this: IPollFunctions,
	activities: IDataObject[],
): Promise<void> {
	if (activities.length === 0 || this.getNodeParameter('event') !== 'newLead') return;
	const options = this.getNodeParameter('options', {}) as { leadFields?: string[] };
	const fields = options.leadFields?.length
		? [...new Set(['id', ...options.leadFields])]
		: DEFAULT_NEW_LEAD_FIELDS;
	const ids = [
		...new Set(activities.map((a) => Number(a.leadId)).filter((n) => Number.isInteger(n) && n > 0)),
	];
	const leads = new Map<number, IDataObject>();
	for (let i = 0; i < ids.length; i += LEAD_LOOKUP_BATCH) {
		const response = await marketoApiRequest.call(this, 'GET', '/v1/leads.json', {
			qs: {
				filterType: 'id',
				filterValues: ids.slice(i, i + LEAD_LOOKUP_BATCH).join(','),
				fields: fields.join(','),
				batchSize: LEAD_LOOKUP_BATCH,
			},
		});
		for (const lead of (response.result ?? []) as IDataObject[]) leads.set(Number(lead.id), lead);
	}
	for (const activity of activities) activity.lead = leads.get(Number(activity.leadId)) ?? null;
}
