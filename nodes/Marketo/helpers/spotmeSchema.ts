/**
 * What the SpotMe integration needs in Marketo, as SpotMe's Marketo guide lists it (field names,
 * display names, descriptions, types, dedupe fields, the link to the person). The Set Up SpotMe Schema
 * operation compares an instance with this and creates what is missing; the bundled workflows read
 * and write exactly these names.
 */

export interface NeededField {
	name: string;
	displayName: string;
	dataType: string;
	description?: string;
	isDedupeField?: boolean;
	/** For a link field: what it points at (linkableObjects.json names). */
	relatedTo?: { name: string; field: string };
}

export interface NeededObject {
	apiName: string;
	displayName: string;
	pluralName: string;
	description: string;
	fields: NeededField[];
}

export interface NeededSchema {
	leadFields: NeededField[];
	programMemberFields: NeededField[];
	customObjects: NeededObject[];
}

const personId: NeededField = {
	name: 'personId',
	displayName: 'Person Id',
	dataType: 'link',
	isDedupeField: true,
	relatedTo: { name: 'lead', field: 'id' },
};
const spotMeUserId: NeededField = {
	name: 'spotMeUserId',
	displayName: 'SpotMe User Id',
	dataType: 'string',
	isDedupeField: true,
};
const spotMeWorkspaceId: NeededField = {
	name: 'spotMeWorkspaceId',
	displayName: 'SpotMe Workspace Id',
	dataType: 'string',
};

export const SPOTME_SCHEMA: NeededSchema = {
	// "Step 2: Create a custom user field": Object Person, Type String.
	leadFields: [{ name: 'spotme_magic_url', displayName: 'SpotMe Magic URL', dataType: 'string' }],
	// "Step 3: Create a custom program member field": Object Program member, Type String.
	programMemberFields: [
		{ name: 'spotme_login_url', displayName: 'SpotMe Login URL', dataType: 'string' },
	],
	customObjects: [
		{
			apiName: 'spotMeAttendance_c',
			displayName: 'SpotMe attendance',
			pluralName: 'SpotMe attendances',
			description: 'Live session attendance pushed from SpotMe',
			fields: [
				personId,
				spotMeUserId,
				{
					name: 'spotMeWorkspaceStreamId',
					displayName: 'SpotMe Workspace + Stream Id',
					dataType: 'string',
					isDedupeField: true,
				},
				spotMeWorkspaceId,
				{ name: 'spotMeStreamId', displayName: 'SpotMe Stream Id', dataType: 'string' },
				{ name: 'spotMeStreamName', displayName: 'SpotMe Stream Name', dataType: 'string' },
				{
					name: 'attended',
					displayName: 'Attended',
					dataType: 'boolean',
					description: 'If watched more than one minute live',
				},
				{
					name: 'liveWatchTime',
					displayName: 'Live watch time',
					dataType: 'float',
					description: 'In Minutes',
				},
				{ name: 'liveClapCount', displayName: 'Live clap count', dataType: 'integer' },
				{
					name: 'vodWatchTime',
					displayName: 'On-demand watch time',
					dataType: 'float',
					description: 'In Minutes',
				},
				{ name: 'vodClapCount', displayName: 'On-demand clap count', dataType: 'integer' },
				{ name: 'questionsAsked', displayName: 'Questions asked', dataType: 'integer' },
			],
		},
		{
			apiName: 'spotMeEventAttendance_c',
			displayName: 'SpotMe Event attendance',
			pluralName: 'SpotMe Event attendances',
			description: 'Overall event attendance pushed from SpotMe',
			fields: [
				personId,
				spotMeUserId,
				spotMeWorkspaceId,
				{
					name: 'attendanceType',
					displayName: 'Attendance type',
					dataType: 'string',
					description: 'How did the user attend',
				},
				{
					name: 'attendanceStatus',
					displayName: 'Attendance status',
					dataType: 'string',
					description: 'User attendance status',
				},
			],
		},
	],
};

/** Where a user's extra field goes: the person, the program member, or one of the two objects. */
export type ExtraFieldTarget = 'lead' | 'programMember' | string;

export interface ExtraField extends NeededField {
	on: ExtraFieldTarget;
}

/** The SpotMe schema plus the user's own fields (never dedupe or link fields). */
export function withExtraFields(base: NeededSchema, extra: ExtraField[]): NeededSchema {
	const schema: NeededSchema = {
		leadFields: [...base.leadFields],
		programMemberFields: [...base.programMemberFields],
		customObjects: base.customObjects.map((o) => ({ ...o, fields: [...o.fields] })),
	};
	for (const { on, ...field } of extra) {
		if (on === 'lead') schema.leadFields.push(field);
		else if (on === 'programMember') schema.programMemberFields.push(field);
		else schema.customObjects.find((o) => o.apiName === on)?.fields.push(field);
	}
	return schema;
}
