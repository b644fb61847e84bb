/**
 * Poll logic of the Marketo Activity Trigger.
 *
 * Marketo's activity streams are cursors: `GET /v1/activities/pagingtoken.json?sinceDatetime=` gives
 * a `nextPageToken` for a point in time, and every page of activities.json / leadchanges.json /
 * deletedleads.json returns the token to continue from. The trigger keeps that token in the
 * workflow's static data, so each poll reads only what happened since the previous one.
 *
 * - First poll: the cursor starts now (or at the chosen start date): activating a workflow does not
 *   flood it with the instance's history.
 * - Pages may be empty while `moreResult` is true (Marketo scans its store in blocks): they are
 *   followed, up to a page cap per poll; the rest is read next poll from the saved cursor.
 * - Activities are deduplicated by `marketoGUID` (the integer `id` is not unique, Adobe says), over
 *   a bounded window of recently emitted GUIDs, so a cursor that overlaps the previous poll never
 *   emits an activity twice.
 * - The cursor only moves when the whole poll succeeded: if a page fails, nothing is emitted and
 *   the next poll re-reads from the old cursor (dedupe removes what was already emitted).
 * - With "Advance Position: After the Run Succeeds" (the default), it moves only once the run
 *   started with the activities has ended without error (MarketoActivityTrigger.node.ts): a run
 *   that fails gets the same activities again from the next poll.
 */
import { NodeOperationError, type IDataObject, type IPollFunctions } from 'n8n-workflow';

import { getMarketoSettings, marketoApiRequest, marketoApiRequestAllPages } from '../transport';
import { addLeadFields } from './leadFields';

export type ActivityEvent =
	| 'newLead'
	| 'leadFieldChanged'
	| 'programStatusChanged'
	| 'leadDeleted'
	| 'activities';

/** Standard activity type ids (Adobe's listing; the same on every instance). */
export const NEW_LEAD = 12;
export const CHANGE_DATA_VALUE = 13;
export const DELETE_LEAD = 37;
export const CHANGE_STATUS_IN_PROGRESSION = 104;

/** Marketo rejects more than 10 activityTypeIds per call. */
export const MAX_ACTIVITY_TYPES = 10;
export const DEFAULT_MAX_PAGES = 10;
/**
 * How many read GUIDs are remembered for deduplication: one full poll at the default page cap
 * (10 pages × 300). Overlaps only happen at the cursor's edge, and static data is saved with the
 * workflow after every poll, so the window stays bounded.
 */
export const SEEN_WINDOW = 3000;
/** How far back a manual test run looks for a sample. */
const SAMPLE_DAYS = 14;
const SAMPLE_SIZE = 5;

export interface PollConfig {
	event: ActivityEvent;
	path: string;
	qs: IDataObject;
	/** Keep only these activity types from the stream (e.g. 13 from leadchanges.json). */
	keepTypes?: number[];
	/** Program Status Changed: keep only these program ids. */
	programIds?: number[];
	maxPages: number;
	startDate?: string;
}

interface CursorState extends IDataObject {
	cursor?: string;
	/** What the cursor was made for; a changed instance, event or filter starts a fresh cursor. */
	configKey?: string;
	seen?: string[];
	/** Activity type id → name, from types.json (Adobe: cache "for a day or more"). */
	typeNames?: IDataObject;
	typeNamesAt?: number;
}

const TYPE_NAMES_TTL_MS = 24 * 3600 * 1000;

function toNumberList(value: unknown): number[] {
	const list = Array.isArray(value) ? value : String(value ?? '').split(',');
	return list.map((v) => Number(String(v).trim())).filter((n) => Number.isInteger(n) && n > 0);
}

function toNameList(value: unknown): string[] {
	const list = Array.isArray(value) ? value : String(value ?? '').split(',');
	return list.map((v) => String(v).trim()).filter((v) => v !== '');
}

/** Reads and validates the node's parameters; bad input names the field and the fix. */
export function readPollConfig(this: IPollFunctions): PollConfig {
	const event = this.getNodeParameter('event') as ActivityEvent;
	const options = this.getNodeParameter('options', {}) as { maxPages?: number; startDate?: string };
	const maxPages = Math.max(1, Math.floor(options.maxPages ?? DEFAULT_MAX_PAGES));
	const startDate = options.startDate ? new Date(options.startDate).toISOString() : undefined;
	const base = { event, maxPages, startDate };
	switch (event) {
		case 'newLead':
			return { ...base, path: '/v1/activities.json', qs: { activityTypeIds: String(NEW_LEAD) } };
		case 'leadFieldChanged': {
			const fields = toNameList(this.getNodeParameter('fields', []));
			if (fields.length === 0) {
				throw new NodeOperationError(
					this.getNode(),
					'Choose at least one lead field in "Lead Fields"',
					{
						description:
							'Marketo only reports changes of the fields it is asked about (leadchanges.json requires "fields").',
					},
				);
			}
			// leadchanges.json also returns New Lead (12); this event is about changes only.
			return {
				...base,
				path: '/v1/activities/leadchanges.json',
				qs: { fields: fields.join(',') },
				keepTypes: [CHANGE_DATA_VALUE],
			};
		}
		case 'programStatusChanged': {
			const programIds = toNumberList(this.getNodeParameter('programIds', ''));
			return {
				...base,
				path: '/v1/activities.json',
				qs: { activityTypeIds: String(CHANGE_STATUS_IN_PROGRESSION) },
				programIds: programIds.length > 0 ? programIds : undefined,
			};
		}
		case 'leadDeleted':
			return { ...base, path: '/v1/activities/deletedleads.json', qs: {} };
		case 'activities': {
			const types = toNumberList(this.getNodeParameter('activityTypeIds', []));
			if (types.length === 0) {
				throw new NodeOperationError(
					this.getNode(),
					'Choose at least one activity type in "Activity Types"',
				);
			}
			if (types.length > MAX_ACTIVITY_TYPES) {
				throw new NodeOperationError(
					this.getNode(),
					`"Activity Types" has ${types.length} types; Marketo accepts at most ${MAX_ACTIVITY_TYPES} per call`,
					{
						description:
							'Remove some types, or use a second Marketo Activity Trigger for the others.',
					},
				);
			}
			return { ...base, path: '/v1/activities.json', qs: { activityTypeIds: types.join(',') } };
		}
		default:
			throw new NodeOperationError(this.getNode(), `Unknown event "${String(event)}"`);
	}
}

function configKey(config: PollConfig, instance: string): string {
	return JSON.stringify({
		instance,
		path: config.path,
		qs: config.qs,
		startDate: config.startDate ?? null,
	});
}

/**
 * Adds `activityTypeName` to each activity. The names come from types.json, kept in `cache` for a
 * day, and fetched again sooner only when an id is unknown (a custom activity type added since).
 */
async function nameActivityTypes(
	this: IPollFunctions,
	activities: IDataObject[],
	cache: CursorState,
): Promise<void> {
	if (activities.length === 0) return;
	const known = () =>
		activities.every((a) => cache.typeNames?.[String(a.activityTypeId)] !== undefined);
	const stale = !cache.typeNamesAt || Date.now() - cache.typeNamesAt > TYPE_NAMES_TTL_MS;
	if (stale || !known()) {
		const response = await marketoApiRequest.call(this, 'GET', '/v1/activities/types.json');
		const names: IDataObject = {};
		for (const t of response.result ?? []) names[String(t.id)] = String(t.name);
		cache.typeNames = names;
		cache.typeNamesAt = Date.now();
	}
	for (const a of activities) {
		const name = cache.typeNames?.[String(a.activityTypeId)];
		if (name !== undefined) a.activityTypeName = name;
	}
}

async function pagingToken(this: IPollFunctions, since: Date): Promise<string> {
	// Full ISO date-time with Z; the transport URL-encodes it (a "+" offset would otherwise turn into a space).
	const response = await marketoApiRequest.call(this, 'GET', '/v1/activities/pagingtoken.json', {
		qs: { sinceDatetime: since.toISOString().replace(/\.\d{3}Z$/, 'Z') },
	});
	if (typeof response.nextPageToken !== 'string' || response.nextPageToken === '') {
		throw new NodeOperationError(
			this.getNode(),
			'Marketo returned no paging token for the activity stream',
		);
	}
	return response.nextPageToken;
}

function keep(config: PollConfig, activity: IDataObject): boolean {
	if (config.keepTypes && !config.keepTypes.includes(Number(activity.activityTypeId))) return false;
	if (config.programIds && !config.programIds.includes(Number(activity.primaryAttributeValueId)))
		return false;
	return true;
}

function guidOf(activity: IDataObject): string {
	// marketoGUID is the unique id; `id` is the fallback only for (very old) records without one.
	return String(activity.marketoGUID ?? `id:${String(activity.id)}`);
}

/** A manual test run: a few recent activities to map fields with; the saved cursor is not touched. */
async function sample(this: IPollFunctions, config: PollConfig): Promise<IDataObject[]> {
	const since = config.startDate
		? new Date(config.startDate)
		: new Date(Date.now() - SAMPLE_DAYS * 86400000);
	const token = await pagingToken.call(this, since);
	const { items } = await marketoApiRequestAllPages.call(
		this,
		'GET',
		config.path,
		{ qs: config.qs },
		{
			nextPageToken: token,
			maxPages: config.maxPages,
		},
	);
	const picked = items.filter((a) => keep(config, a)).slice(-SAMPLE_SIZE);
	await nameActivityTypes.call(this, picked, {});
	return picked;
}

export interface PollResult {
	/** The new activities, oldest first. */
	activities: IDataObject[];
	/**
	 * Moves the cursor (and the seen GUIDs) past what this poll read. Until it is called, the next
	 * poll reads the same activities again (MarketoActivityTrigger.node.ts calls it once the run
	 * started with them has ended without error).
	 */
	commit(): void;
}

/** One poll: the new activities and how to move the cursor past them. */
export async function pollActivities(this: IPollFunctions): Promise<PollResult> {
	const config = readPollConfig.call(this);
	if (this.getMode() === 'manual')
		return { activities: await sample.call(this, config), commit() {} };

	const state = this.getWorkflowStaticData('node') as CursorState;
	const { instanceKey } = await getMarketoSettings.call(this);
	const key = configKey(config, instanceKey);
	let cursor = state.configKey === key ? state.cursor : undefined;
	// A copy: the state is only updated once the whole poll succeeded (n8n keeps it in memory
	// between polls, so a GUID marked seen by a failed poll would be skipped for good).
	let seen =
		state.configKey === key && Array.isArray(state.seen) ? [...(state.seen as string[])] : [];
	if (!cursor) {
		cursor = await pagingToken.call(
			this,
			config.startDate ? new Date(config.startDate) : new Date(),
		);
		seen = [];
		// Saved at once: if the rest of this poll fails, the next one starts from this same point
		// instead of a later "now" (which would skip what happened in between).
		state.configKey = key;
		state.cursor = cursor;
		state.seen = [];
		delete state.typeNames; // another instance or stream: its custom type ids may differ
		delete state.typeNamesAt;
	}

	const page = await marketoApiRequestAllPages.call(
		this,
		'GET',
		config.path,
		{ qs: config.qs },
		{
			nextPageToken: cursor,
			maxPages: config.maxPages,
		},
	);

	const seenSet = new Set(seen);
	const fresh: IDataObject[] = [];
	for (const activity of page.items) {
		const guid = guidOf(activity);
		if (seenSet.has(guid)) continue;
		seenSet.add(guid);
		seen.push(guid);
		if (keep(config, activity)) fresh.push(activity);
	}

	// Names first: if types.json fails, the poll fails before the cursor moves, and nothing is lost.
	await nameActivityTypes.call(this, fresh, state);
	await addLeadFields.call(this, fresh);
	const next = page.nextPageToken ?? cursor;
	return {
		activities: fresh,
		commit() {
			state.configKey = key;
			state.cursor = next;
			state.seen = seen.slice(-SEEN_WINDOW);
		},
	};
}
