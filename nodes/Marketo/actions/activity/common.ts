import { DateTime } from 'luxon';
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { marketoApiRequest, marketoApiRequestAllItems } from '../../transport';

/** Activity pages hold at most 300 records (batchSize). */
export const PAGE_SIZE = 300;

export const sinceProperty: INodeProperties = {
	displayName: 'Since',
	name: 'sinceDatetime',
	type: 'dateTime',
	required: true,
	default: '',
	description:
		"Return activities from this moment on (in the workflow's time zone unless the value has an offset)",
};

export const leadFilterProperties: INodeProperties = {
	displayName: 'Filters',
	name: 'filters',
	type: 'collection',
	placeholder: 'Add Filter',
	default: {},
	options: [
		{
			displayName: 'Lead IDs',
			name: 'leadIds',
			type: 'string',
			default: '',
			placeholder: 'e.g. 1001,1002',
			description:
				'Only activities of these leads: IDs separated by commas (more than 30 are read 30 per call, as Marketo asks)',
		},
		{
			displayName: 'Static List ID',
			name: 'listId',
			type: 'number',
			default: 0,
			description: 'Only activities of leads in this static list (not together with Lead IDs)',
		},
	],
};

/** Turns the "Since" parameter into the full ISO-8601 date-time with offset Marketo recommends. */
export function sinceIso(this: IExecuteFunctions, i: number): string {
	const raw = this.getNodeParameter('sinceDatetime', i) as unknown;
	const text = raw instanceof Date ? raw.toISOString() : String(raw ?? '').trim();
	const parsed = DateTime.fromISO(text, { zone: this.getTimezone() });
	if (text === '' || !parsed.isValid) {
		throw new NodeOperationError(this.getNode(), `The "Since" parameter "${text}" is not a date`, {
			itemIndex: i,
			description:
				'Use an ISO 8601 date-time, e.g. 2026-11-01T00:00:00Z, or pick one in the date picker',
		});
	}
	return parsed.toISO({ suppressMilliseconds: true }) as string;
}

/** Reads the lead filters: leadIds (any number; read 30 per call) or listId, not both. */
export function leadFilterQuery(this: IExecuteFunctions, i: number): IDataObject {
	const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
	const qs: IDataObject = {};
	const rawIds = String(filters.leadIds ?? '').trim();
	if (rawIds !== '') {
		const ids = rawIds
			.split(/[\s,;]+/)
			.filter((s) => s !== '')
			.map((s) => s.trim());
		const bad = ids.find((s) => !/^\d+$/.test(s));
		if (bad !== undefined) {
			throw new NodeOperationError(this.getNode(), `"${bad}" in "Lead IDs" is not a lead ID`, {
				itemIndex: i,
				description: 'Lead IDs are numbers separated by commas, e.g. 1001,1002',
			});
		}
		// More than Marketo's 30 per call are read in calls of 30 (getActivityPages).
		qs.leadIds = ids.join(',');
	}
	const listId = Number(filters.listId ?? 0);
	if (listId > 0) {
		if (qs.leadIds) {
			throw new NodeOperationError(this.getNode(), 'Both "Lead IDs" and "Static List ID" are set', {
				itemIndex: i,
				description: 'Marketo filters activities by one of them; remove the other',
			});
		}
		qs.listId = listId;
	}
	return qs;
}

/** Lead IDs Marketo's activity endpoints take in one call. */
const MAX_LEAD_IDS = 30;

/**
 * Reads activity pages from a date: a paging token for `since`, then pages of `path` while
 * `moreResult` is true. Marketo scans activities in blocks and can answer a page with zero
 * records and moreResult:true, so an empty page is not the end (the transport's pager knows).
 */
export async function getActivityPages(
	this: IExecuteFunctions,
	path: string,
	since: string,
	qs: IDataObject,
	limit: number,
): Promise<IDataObject[]> {
	const tokenResponse = await marketoApiRequest.call(
		this,
		'GET',
		'/v1/activities/pagingtoken.json',
		{
			qs: { sinceDatetime: since },
		},
	);
	const nextPageToken = tokenResponse.nextPageToken;
	if (!nextPageToken) return [];
	const read = async (part: IDataObject) =>
		await marketoApiRequestAllItems.call(
			this,
			'GET',
			path,
			{ qs: { ...part, batchSize: PAGE_SIZE } },
			{ nextPageToken, limit: Number.isFinite(limit) ? limit : undefined },
		);
	const ids = typeof qs.leadIds === 'string' ? qs.leadIds.split(',') : [];
	if (ids.length <= MAX_LEAD_IDS) return await read(qs);
	// Marketo takes at most 30 lead IDs per call: one paged read per 30, merged back in time order.
	const all: IDataObject[] = [];
	for (let k = 0; k < ids.length; k += MAX_LEAD_IDS) {
		for (const a of await read({ ...qs, leadIds: ids.slice(k, k + MAX_LEAD_IDS).join(',') }))
			all.push(a);
	}
	all.sort(
		(a, b) =>
			String(a.activityDate).localeCompare(String(b.activityDate)) ||
			Number(a.id ?? 0) - Number(b.id ?? 0),
	);
	return Number.isFinite(limit) ? all.slice(0, limit) : all;
}

/** Activity attributes as an object ({ "Webpage URL": "..." }) instead of a [{name, value}] list. */
export function flattenAttributes(activity: IDataObject): IDataObject {
	const { attributes, ...rest } = activity;
	const flat: IDataObject = {};
	for (const attribute of (attributes as IDataObject[] | undefined) ?? []) {
		flat[String(attribute.name)] = attribute.value as IDataObject[keyof IDataObject];
	}
	return { ...rest, attributes: flat };
}
