/**
 * Ready-made seed data. `seedPresets.spotme()` creates what SpotMe's Marketo integration guide asks an
 * admin to set up: the lead field `spotme_magic_url`, the program member field `spotme_login_url`, and
 * the custom objects `spotMeAttendance_c` / `spotMeEventAttendance_c` (linked to the lead id via
 * `personId`), plus a webinar program cloned from a template with a `spotme_id` My Token.
 */
import type { SeedData } from './state';

export interface SpotMePresetOptions {
	/** include example leads / program / members (default true) */
	withSampleData?: boolean;
}

function spotme(opts: SpotMePresetOptions = {}): SeedData {
	const seed: SeedData = {
		leadFields: [{ name: 'spotme_magic_url', displayName: 'SpotMe Magic URL', dataType: 'string' }],
		programMemberFields: [
			{ name: 'spotme_login_url', displayName: 'SpotMe Login URL', dataType: 'string' },
		],
		customObjectTypes: [
			{
				name: 'spotMeAttendance_c',
				displayName: 'SpotMe attendance',
				pluralName: 'SpotMe attendances',
				description: 'Live session attendance pushed from SpotMe',
				fields: [
					{
						name: 'personId',
						displayName: 'Person Id',
						dataType: 'link',
						isDedupeField: true,
						relatedTo: { name: 'lead', field: 'id' },
					},
					{
						name: 'spotMeUserId',
						displayName: 'SpotMe User Id',
						dataType: 'string',
						isDedupeField: true,
					},
					{
						name: 'spotMeWorkspaceStreamId',
						displayName: 'SpotMe Workspace + Stream Id',
						dataType: 'string',
						isDedupeField: true,
					},
					{ name: 'spotMeWorkspaceId', displayName: 'SpotMe Workspace Id', dataType: 'string' },
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
				name: 'spotMeEventAttendance_c',
				displayName: 'SpotMe Event attendance',
				pluralName: 'SpotMe Event attendances',
				description: 'Overall event attendance pushed from SpotMe',
				fields: [
					{
						name: 'personId',
						displayName: 'Person Id',
						dataType: 'link',
						isDedupeField: true,
						relatedTo: { name: 'lead', field: 'id' },
					},
					{
						name: 'spotMeUserId',
						displayName: 'SpotMe User Id',
						dataType: 'string',
						isDedupeField: true,
					},
					{ name: 'spotMeWorkspaceId', displayName: 'SpotMe Workspace Id', dataType: 'string' },
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
	if (opts.withSampleData !== false) {
		seed.programs = [
			{
				id: 1001,
				name: 'SpotMe Webinar Template',
				type: 'Event',
				channel: 'Webinar',
				folder: { id: 14, type: 'Folder' },
				tokens: [{ name: 'spotme_id', type: 'text', value: '' }],
			},
			{
				id: 1002,
				name: 'SpotMe Summit 2026',
				type: 'Event',
				channel: 'Live Event',
				folder: { id: 13, type: 'Folder' },
				tokens: [{ name: 'spotme_id', type: 'text', value: 'eid-summit-2026' }],
			},
		];
		seed.leads = [
			{
				id: 1,
				email: 'ada@example.com',
				firstName: 'Ada',
				lastName: 'Lovelace',
				company: 'Analytical Engines',
			},
			{
				id: 2,
				email: 'grace@example.com',
				firstName: 'Grace',
				lastName: 'Hopper',
				company: 'Navy',
			},
			{
				id: 3,
				email: 'alan@example.com',
				firstName: 'Alan',
				lastName: 'Turing',
				company: 'Bletchley',
			},
		];
		seed.members = [
			{ programId: 1002, leadId: 1, statusName: 'Registered' },
			{ programId: 1002, leadId: 2, statusName: 'Invited' },
		];
	}
	return seed;
}

export const seedPresets = { spotme };
