/**
 * In-memory Marketo data. Everything the handlers read or write lives here, so tests can assert on
 * `emulator.state` directly after a workflow ran.
 */

import { LeadStore } from './leadIndex';

export type DataType =
	| 'string'
	| 'email'
	| 'integer'
	| 'float'
	| 'boolean'
	| 'datetime'
	| 'date'
	| 'text'
	| 'url'
	| 'phone'
	| 'currency'
	| 'percent'
	| 'score'
	| 'reference'
	| 'link';

export interface FieldDef {
	name: string;
	displayName: string;
	dataType: DataType;
	length?: number;
	updateable: boolean;
	custom?: boolean;
	/** usable as filterType / lookupField */
	searchable?: boolean;
	crmManaged?: boolean;
	isHidden?: boolean;
	description?: string;
	/** numeric field id used by describe and lead-change activities */
	id?: number;
}

export type { Lead } from './leadIndex';

export interface ProgressionStatus {
	name: string;
	step: number;
	description?: string;
	hidden?: boolean;
	success: boolean;
}

export interface Channel {
	id: number;
	name: string;
	applicableProgramType: string;
	progressionStatuses: ProgressionStatus[];
	createdAt: string;
	updatedAt: string;
}

export interface FolderRef {
	id: number;
	type: 'Folder' | 'Program';
}

export interface Folder {
	id: number;
	name: string;
	/** 'Folder' (marketing folder) or 'Program' (a program acting as a folder) */
	type: 'Folder' | 'Program';
	parent?: FolderRef;
	description?: string;
	workspace: string;
	isArchive?: boolean;
	isSystem?: boolean;
	tokens?: MyToken[];
	createdAt: string;
	updatedAt: string;
}

export interface MyToken {
	name: string;
	type: 'date' | 'number' | 'rich text' | 'score' | 'sfdc campaign' | 'text';
	value: string;
}

export interface Program {
	id: number;
	name: string;
	description: string;
	type: string;
	channel: string;
	folder: FolderRef;
	status: string;
	workspace: string;
	tags: Array<{ tagType: string; tagValue: string }>;
	costs: Array<{ startDate: string; cost: number; note?: string }>;
	tokens: MyToken[];
	createdAt: string;
	updatedAt: string;
}

export type ProgramMember = {
	leadId: number;
	programId: number;
	statusName: string;
	progressionStep: number;
	reachedSuccess: boolean;
	reachedSuccessDate?: string;
	membershipDate: string;
	acquiredBy: boolean;
	createdAt: string;
	updatedAt: string;
} & Record<string, unknown>;

export interface CustomObjectField {
	name: string;
	displayName: string;
	dataType: DataType;
	description?: string;
	length?: number;
	updateable: boolean;
	isDedupeField?: boolean;
	relatedTo?: { name: string; field: string };
}

export interface CustomObjectVersion {
	displayName: string;
	pluralName: string;
	description: string;
	showInLeadDetail: boolean;
	fields: CustomObjectField[];
}

export interface CustomObjectType {
	name: string;
	approved?: CustomObjectVersion;
	draft?: CustomObjectVersion;
	createdAt: string;
	updatedAt: string;
}

export type CustomObjectRecord = {
	marketoGUID: string;
	createdAt: string;
	updatedAt: string;
} & Record<string, unknown>;

export interface Activity {
	id: number;
	marketoGUID: string;
	leadId: number;
	activityDate: string;
	activityTypeId: number;
	campaignId?: number;
	primaryAttributeValueId?: number;
	primaryAttributeValue?: string;
	attributes: Array<{ name: string; value: unknown }>;
	/** lead-change activities (12/13) */
	fields?: Array<{ id: number; name: string; newValue: unknown; oldValue: unknown }>;
	/** insertion order, tie-breaker for paging */
	seq: number;
	/** activity time in ms (activityDate is shown without milliseconds, like Marketo) */
	ts: number;
}

export interface ActivityType {
	id: number;
	name: string;
	description: string;
	primaryAttribute?: { name: string; dataType: string };
	attributes: Array<{ name: string; dataType: string }>;
}

export interface StaticList {
	id: number;
	name: string;
	leadIds: number[];
}

export interface MarketoState {
	leadFields: FieldDef[];
	/** a Map by id with value indexes for lookups (see leadIndex.ts) */
	leads: LeadStore;
	nextLeadId: number;
	lists: Map<number, StaticList>;
	channels: Channel[];
	folders: Map<number, Folder>;
	nextFolderId: number;
	programs: Map<number, Program>;
	nextProgramId: number;
	programMemberFields: FieldDef[];
	/** programId -> leadId -> member */
	members: Map<number, Map<number, ProgramMember>>;
	customObjectTypes: Map<string, CustomObjectType>;
	customObjects: Map<string, CustomObjectRecord[]>;
	activities: Activity[];
	nextActivityId: number;
	activityTypes: ActivityType[];
	/** calls counted against the daily quota, per UTC day, per API user */
	usage: Map<string, Map<string, number>>;
	errorsByDay: Map<string, Map<string, number>>;
}

export const API_USER = 'apiuser@emulator.marketo';

export function nowIso(): string {
	return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

let fieldIdCounter = 1;
function f(
	name: string,
	displayName: string,
	dataType: DataType,
	extra: Partial<FieldDef> = {},
): FieldDef {
	const length =
		dataType === 'string' || dataType === 'email' || dataType === 'phone' || dataType === 'url'
			? 255
			: undefined;
	return { name, displayName, dataType, updateable: true, length, id: fieldIdCounter++, ...extra };
}

export function standardLeadFields(): FieldDef[] {
	fieldIdCounter = 1;
	return [
		f('id', 'Id', 'integer', { updateable: false, searchable: true }),
		f('email', 'Email Address', 'email', { searchable: true }),
		f('firstName', 'First Name', 'string'),
		f('lastName', 'Last Name', 'string'),
		f('middleName', 'Middle Name', 'string'),
		f('company', 'Company Name', 'string'),
		f('title', 'Job Title', 'string'),
		f('phone', 'Phone Number', 'phone'),
		f('mobilePhone', 'Mobile Phone Number', 'phone'),
		f('website', 'Website', 'url'),
		f('address', 'Address', 'text'),
		f('city', 'City', 'string'),
		f('state', 'State', 'string'),
		f('country', 'Country', 'string'),
		f('postalCode', 'Postal Code', 'string'),
		f('industry', 'Industry', 'string'),
		f('leadSource', 'Lead Source', 'string'),
		f('leadStatus', 'Lead Status', 'string'),
		f('leadScore', 'Lead Score', 'integer'),
		f('unsubscribed', 'Unsubscribed', 'boolean'),
		f('unsubscribedReason', 'Unsubscribed Reason', 'text'),
		f('doNotCall', 'Do Not Call', 'boolean'),
		f('leadPartitionId', 'Lead Partition Id', 'integer', { searchable: true }),
		f('cookies', 'Cookies', 'string', { searchable: true }),
		f('facebookId', 'Facebook Id', 'string', { searchable: true }),
		f('linkedInId', 'LinkedIn Id', 'string', { searchable: true }),
		f('twitterId', 'Twitter Id', 'string', { searchable: true }),
		f('sfdcAccountId', 'SFDC Account Id', 'string', {
			searchable: true,
			crmManaged: true,
			updateable: false,
		}),
		f('sfdcContactId', 'SFDC Contact Id', 'string', {
			searchable: true,
			crmManaged: true,
			updateable: false,
		}),
		f('sfdcLeadId', 'SFDC Lead Id', 'string', {
			searchable: true,
			crmManaged: true,
			updateable: false,
		}),
		f('sfdcLeadOwnerId', 'SFDC Lead Owner Id', 'string', {
			searchable: true,
			crmManaged: true,
			updateable: false,
		}),
		f('sfdcOpptyId', 'SFDC Opportunity Id', 'string', {
			searchable: true,
			crmManaged: true,
			updateable: false,
		}),
		f('createdAt', 'Created At', 'datetime', { updateable: false }),
		f('updatedAt', 'Updated At', 'datetime', { updateable: false }),
	];
}

export function standardProgramMemberFields(): FieldDef[] {
	const ro = { updateable: false };
	return [
		f('acquiredBy', 'acquiredBy', 'boolean', ro),
		f('attendanceLikelihood', 'attendanceLikelihood', 'integer', ro),
		f('createdAt', 'createdAt', 'datetime', ro),
		f('isExhausted', 'isExhausted', 'boolean', ro),
		f('leadId', 'leadId', 'integer', { ...ro, searchable: true }),
		f('membershipDate', 'membershipDate', 'datetime', ro),
		f('nurtureCadence', 'nurtureCadence', 'string', ro),
		f('program', 'program', 'string', ro),
		f('programId', 'programId', 'integer', ro),
		f('reachedSuccess', 'reachedSuccess', 'boolean', { ...ro, searchable: true }),
		f('reachedSuccessDate', 'reachedSuccessDate', 'datetime', ro),
		f('registrationLikelihood', 'registrationLikelihood', 'integer', ro),
		f('statusName', 'statusName', 'string', { ...ro, searchable: true }),
		f('statusReason', 'statusReason', 'string', ro),
		f('trackName', 'trackName', 'string', ro),
		f('updatedAt', 'updatedAt', 'datetime', ro),
		f('waitlistPriority', 'waitlistPriority', 'integer', ro),
	];
}

/** Standard activity types (ids per Adobe's snapshot listing); the emulator writes 12, 13, 37, 104, 123. */
export function standardActivityTypes(): ActivityType[] {
	const t = (
		id: number,
		name: string,
		primary?: [string, string],
		attributes: Array<[string, string]> = [],
	): ActivityType => ({
		id,
		name,
		description: `User ${name.toLowerCase()}`,
		primaryAttribute: primary ? { name: primary[0], dataType: primary[1] } : undefined,
		attributes: attributes.map(([n, d]) => ({ name: n, dataType: d })),
	});
	return [
		t(
			1,
			'Visit Webpage',
			['Webpage ID', 'integer'],
			[
				['Client IP Address', 'string'],
				['Webpage URL', 'string'],
			],
		),
		t(
			2,
			'Fill Out Form',
			['Webform ID', 'integer'],
			[
				['Client IP Address', 'string'],
				['Form Fields', 'text'],
			],
		),
		t(3, 'Click Link', ['Link ID', 'integer'], [['Link URL', 'string']]),
		t(6, 'Send Email', ['Mailing ID', 'integer'], [['Campaign Run ID', 'integer']]),
		t(7, 'Email Delivered', ['Mailing ID', 'integer']),
		t(8, 'Email Bounced', ['Mailing ID', 'integer'], [['Details', 'string']]),
		t(9, 'Unsubscribe Email', ['Mailing ID', 'integer']),
		t(10, 'Open Email', ['Mailing ID', 'integer'], [['Device', 'string']]),
		t(11, 'Click Email', ['Mailing ID', 'integer'], [['Link', 'string']]),
		t(12, 'New Lead', undefined, [
			['Source Type', 'string'],
			['Form Name', 'string'],
			['API Method Name', 'string'],
		]),
		t(
			13,
			'Change Data Value',
			['Attribute Name', 'integer'],
			[
				['New Value', 'string'],
				['Old Value', 'string'],
				['Reason', 'string'],
				['Source', 'string'],
			],
		),
		t(
			22,
			'Change Score',
			['Scoring ID', 'integer'],
			[
				['Change Value', 'string'],
				['New Value', 'integer'],
				['Old Value', 'integer'],
			],
		),
		t(24, 'Add to List', ['List ID', 'integer']),
		t(25, 'Remove from List', ['List ID', 'integer']),
		t(37, 'Delete Lead', ['Lead ID', 'integer'], [['Remove from CRM', 'boolean']]),
		t(
			46,
			'Interesting Moment',
			['Marketo Asset Name', 'string'],
			[
				['Description', 'string'],
				['Type', 'string'],
			],
		),
		t(
			104,
			'Change Status in Progression',
			['Program ID', 'integer'],
			[
				['New Status ID', 'integer'],
				['Old Status ID', 'integer'],
				['New Status', 'string'],
				['Old Status', 'string'],
				['Success', 'boolean'],
				['Program Member ID', 'integer'],
				['Reason', 'string'],
				['Acquired By', 'boolean'],
			],
		),
		t(
			110,
			'Call Webhook',
			['Webhook ID', 'integer'],
			[
				['Error Type', 'integer'],
				['Response', 'text'],
			],
		),
		t(
			123,
			'Change Program Member Data',
			['Program ID', 'integer'],
			[
				['Attribute Name', 'string'],
				['New Value', 'string'],
				['Old Value', 'string'],
				['Program Member ID', 'integer'],
			],
		),
		t(
			145,
			'Push Lead to Marketo',
			['Program ID', 'integer'],
			[
				['Source', 'string'],
				['Reason', 'string'],
			],
		),
	];
}

/** Event/webinar-style progression so status-mapping workflows can be tested out of the box. */
export function defaultChannels(): Channel[] {
	const at = '2024-01-01T00:00:00Z';
	const eventStatuses: ProgressionStatus[] = [
		{
			name: 'Not in Program',
			step: 0,
			success: false,
			hidden: false,
			description: 'Not in program',
		},
		{ name: 'Invited', step: 10, success: false, hidden: false, description: 'Invited' },
		{ name: 'Registered', step: 20, success: false, hidden: false, description: 'Registered' },
		{ name: 'No Show', step: 30, success: false, hidden: false, description: 'Did not attend' },
		{ name: 'Attended', step: 40, success: true, hidden: false, description: 'Attended' },
		{
			name: 'Attended On-demand',
			step: 40,
			success: true,
			hidden: false,
			description: 'Watched on demand',
		},
	];
	return [
		{
			id: 1,
			name: 'Webinar',
			applicableProgramType: 'event',
			progressionStatuses: eventStatuses.map((s) => ({ ...s })),
			createdAt: at,
			updatedAt: at,
		},
		{
			id: 2,
			name: 'Live Event',
			applicableProgramType: 'event',
			progressionStatuses: eventStatuses.map((s) => ({ ...s })),
			createdAt: at,
			updatedAt: at,
		},
		{
			id: 3,
			name: 'Content',
			applicableProgramType: 'program',
			progressionStatuses: [
				{ name: 'Not in Program', step: 0, success: false },
				{ name: 'Member', step: 10, success: false },
				{ name: 'Engaged', step: 20, success: true },
			],
			createdAt: at,
			updatedAt: at,
		},
		{
			id: 4,
			name: 'Email Send',
			applicableProgramType: 'email',
			progressionStatuses: [
				{ name: 'Not in Program', step: 0, success: false },
				{ name: 'Member', step: 10, success: false },
				{ name: 'Influenced', step: 20, success: true },
			],
			createdAt: at,
			updatedAt: at,
		},
	];
}

export function defaultFolders(): Folder[] {
	const at = '2024-01-01T00:00:00Z';
	return [
		{
			id: 12,
			name: 'Marketing Activities',
			type: 'Folder',
			workspace: 'Default',
			isSystem: true,
			createdAt: at,
			updatedAt: at,
		},
		{
			id: 13,
			name: 'Events',
			type: 'Folder',
			parent: { id: 12, type: 'Folder' },
			workspace: 'Default',
			createdAt: at,
			updatedAt: at,
		},
		{
			id: 14,
			name: 'Templates',
			type: 'Folder',
			parent: { id: 12, type: 'Folder' },
			workspace: 'Default',
			createdAt: at,
			updatedAt: at,
		},
	];
}

export function createEmptyState(): MarketoState {
	const folders = new Map<number, Folder>();
	for (const fo of defaultFolders()) folders.set(fo.id, fo);
	return {
		leadFields: standardLeadFields(),
		leads: new LeadStore(),
		nextLeadId: 1,
		lists: new Map(),
		channels: defaultChannels(),
		folders,
		nextFolderId: 1000,
		programs: new Map(),
		nextProgramId: 1001,
		programMemberFields: standardProgramMemberFields(),
		members: new Map(),
		customObjectTypes: new Map(),
		customObjects: new Map(),
		activities: [],
		nextActivityId: 1,
		activityTypes: standardActivityTypes(),
		usage: new Map(),
		errorsByDay: new Map(),
	};
}

/** Field definitions as accepted by `seed()` (dataType defaults to string). */
export interface SeedField {
	name: string;
	displayName?: string;
	dataType?: DataType;
	length?: number;
	updateable?: boolean;
	searchable?: boolean;
	description?: string;
}

export interface SeedCustomObjectType {
	name: string;
	displayName?: string;
	pluralName?: string;
	description?: string;
	/** 'approved' (default) or 'draft' */
	state?: 'approved' | 'draft';
	fields: Array<{
		name: string;
		displayName?: string;
		dataType?: DataType;
		isDedupeField?: boolean;
		relatedTo?: { name: string; field: string };
		description?: string;
	}>;
}

export interface SeedData {
	leadFields?: SeedField[];
	leads?: Array<Record<string, unknown>>;
	programMemberFields?: SeedField[];
	channels?: Array<Omit<Channel, 'createdAt' | 'updatedAt' | 'id'> & { id?: number }>;
	folders?: Array<Partial<Folder> & { id?: number; name: string }>;
	programs?: Array<
		Partial<Omit<Program, 'folder'>> & { name: string; folder?: FolderRef | number }
	>;
	/** programId + leadId + statusName (+ custom fields) */
	members?: Array<
		{ programId: number; leadId: number; statusName: string } & Record<string, unknown>
	>;
	customObjectTypes?: SeedCustomObjectType[];
	customObjects?: Record<string, Array<Record<string, unknown>>>;
	activities?: Array<Partial<Activity> & { leadId: number; activityTypeId: number }>;
	lists?: Array<{ id?: number; name: string; leadIds?: number[] }>;
}
