/**
 * The demo's event, consistent across both emulators: "Customer Summit 2026", a hybrid event run
 * on SpotMe (workspace ws-summit) and marketed from Marketo (program 1002, Live Event channel).
 * Marketo also holds the webinar template that Flow 4 clones for the next event.
 */
import { seedPresets, type SeedData as MarketoSeed } from '../emulators/marketo';
import type { SeedData as SpotMeSeed } from '../emulators/spotme';

export const SUMMIT_PROGRAM_ID = 1002;
export const WEBINAR_TEMPLATE_ID = 1001;
export const EVENTS_FOLDER_ID = 13;
export const SUMMIT_WORKSPACE = 'ws-summit';
export const WEBINAR_WORKSPACE = 'ws-webinar-dec';
export const SUMMIT_END = '2026-06-01T18:00:00Z';
/** When the attendance criteria are applied: the morning after the summit (grace period long over). */
export const JUDGED_AT = '2026-06-02T09:00:00Z';

export interface DemoLead {
	id: number;
	email: string;
	firstName: string;
	lastName: string;
	company: string;
	/** status in the summit program, if a member */
	summitStatus?: string;
}

export const marketoLeads: DemoLead[] = [
	{
		id: 1,
		email: 'ada@example.com',
		firstName: 'Ada',
		lastName: 'Lovelace',
		company: 'Analytical Engines',
		summitStatus: 'Registered',
	},
	{
		id: 2,
		email: 'grace@example.com',
		firstName: 'Grace',
		lastName: 'Hopper',
		company: 'US Navy',
		summitStatus: 'Registered',
	},
	{
		id: 3,
		email: 'alan@example.com',
		firstName: 'Alan',
		lastName: 'Turing',
		company: 'Bletchley Park',
		summitStatus: 'Registered',
	},
	{
		id: 4,
		email: 'katherine@example.com',
		firstName: 'Katherine',
		lastName: 'Johnson',
		company: 'NASA',
		summitStatus: 'Registered',
	},
	{
		id: 5,
		email: 'margaret@example.com',
		firstName: 'Margaret',
		lastName: 'Hamilton',
		company: 'MIT',
		summitStatus: 'Invited',
	},
	{
		id: 6,
		email: 'linus@example.com',
		firstName: 'Linus',
		lastName: 'Torvalds',
		company: 'Linux Foundation',
	},
];

/** People who registered on SpotMe directly (no Marketo lead id yet). Linus's email is already a Marketo lead. */
export const spotMeOnlyPeople = [
	{
		_id: 'sm-hedy',
		fname: 'Hedy',
		lname: 'Lamarr',
		email: 'hedy@example.com',
		company: 'Frequency Hopping Inc',
	},
	{
		_id: 'sm-barbara',
		fname: 'Barbara',
		lname: 'Liskov',
		email: 'barbara@example.com',
		company: 'MIT',
	},
	{
		_id: 'sm-linus',
		fname: 'Linus',
		lname: 'Torvalds',
		email: 'linus@example.com',
		company: 'Linux Foundation',
	},
];

export function marketoSeed(): MarketoSeed {
	const base = seedPresets.spotme({ withSampleData: false });
	return {
		...base,
		programs: [
			{
				id: WEBINAR_TEMPLATE_ID,
				name: 'SpotMe Webinar Template',
				type: 'Event',
				channel: 'Webinar',
				folder: { id: 14, type: 'Folder' },
				tokens: [{ name: 'spotme_id', type: 'text', value: '' }],
			},
			{
				id: SUMMIT_PROGRAM_ID,
				name: 'Customer Summit 2026',
				type: 'Event',
				channel: 'Live Event',
				folder: { id: EVENTS_FOLDER_ID, type: 'Folder' },
				tokens: [{ name: 'spotme_id', type: 'text', value: SUMMIT_WORKSPACE }],
			},
		],
		leads: marketoLeads.map(({ summitStatus: _s, ...lead }) => lead),
		members: marketoLeads
			.filter((l) => l.summitStatus)
			.map((l) => ({
				programId: SUMMIT_PROGRAM_ID,
				leadId: l.id,
				statusName: l.summitStatus as string,
			})),
	};
}

export function spotMeSeed(): SpotMeSeed {
	return {
		orgs: [{ id: 'org-demo', name: 'Demo Events' }],
		workspaces: [
			{
				id: SUMMIT_WORKSPACE,
				orgId: 'org-demo',
				name: 'Customer Summit 2026',
				start: '2026-06-01T08:00:00Z',
				end: SUMMIT_END,
				format: 'hybrid',
				is_active: true,
				is_test: false,
			},
			{
				id: WEBINAR_WORKSPACE,
				orgId: 'org-demo',
				name: 'Customer Webinar December 2026',
				start: '2026-12-01T15:00:00Z',
				end: '2026-12-01T16:00:00Z',
				format: 'virtual',
				is_active: true,
				is_test: false,
			},
		],
		people: spotMeOnlyPeople.map((p) => ({
			workspaceId: SUMMIT_WORKSPACE,
			registration: 'registered' as const,
			...p,
		})),
	};
}

/**
 * What SpotMe recorded on the event day (seeded with the workspace; Flow 3 reads it): per-stream
 * viewing and the in-person check-ins. Person ids: `mkto-<lead id>` for people Flow 1 created, `sm-…` for
 * people who registered on SpotMe.
 */
export function eventDayAttendance(): NonNullable<SpotMeSeed['docs']> {
	return {
		[SUMMIT_WORKSPACE]: {
			stream_attendance: [
				{
					_id: 'att-ada-keynote',
					fp_owner: 'mkto-1',
					parent_doc_id: 'keynote',
					stream_name: 'Opening Keynote',
					live_watch_time: 42.5,
					live_clap_count: 3,
					questions_asked: 2,
				},
				{
					_id: 'att-ada-panel',
					fp_owner: 'mkto-1',
					parent_doc_id: 'panel',
					stream_name: 'Future of Computing Panel',
					live_watch_time: 12,
					vod_watch_time: 5,
				},
				{
					_id: 'att-grace-keynote',
					fp_owner: 'mkto-2',
					parent_doc_id: 'keynote',
					stream_name: 'Opening Keynote',
					live_watch_time: 0.5,
				},
				{
					_id: 'att-hedy-keynote',
					fp_owner: 'sm-hedy',
					parent_doc_id: 'keynote',
					stream_name: 'Opening Keynote',
					live_watch_time: 0,
					vod_watch_time: 25,
				},
				{
					_id: 'att-linus-keynote',
					fp_owner: 'sm-linus',
					parent_doc_id: 'keynote',
					stream_name: 'Opening Keynote',
					live_watch_time: 55,
					live_clap_count: 7,
				},
			],
			event_attendance: [
				{
					_id: 'chk-katherine',
					fp_owner: 'mkto-4',
					checked_in: true,
					attendance_type: 'In person',
				},
			],
		},
	};
}

/** Late registrations on SpotMe, pushed to Marketo in Flow 5 while Marketo misbehaves. */
export function lateRegistrations(count: number) {
	return Array.from({ length: count }, (_, i) => {
		const n = String(i).padStart(4, '0');
		return {
			workspaceId: SUMMIT_WORKSPACE,
			_id: `sm-late-${n}`,
			fname: `Late${n}`,
			lname: 'Registrant',
			email: `late${n}@example.org`,
			company: `Company ${i % 37}`,
			registration: 'registered' as const,
		};
	});
}
