import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type INodeExecutionData,
	type IPollFunctions,
	type IRun,
} from 'n8n-workflow';

// The Marketo node's own dropdowns: one definition of the activity types and lead fields lists.
import { getActivityTypes } from './methods/activities';
import { getLeadFields, getPrograms } from './methods/loadOptions';
import { DEFAULT_MAX_PAGES, MAX_ACTIVITY_TYPES, pollActivities } from './trigger/activityPoll';

export class MarketoActivityTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Marketo Activity Trigger',
		name: 'marketoActivityTrigger',
		icon: { light: 'file:marketo.svg', dark: 'file:marketo.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ ({"activities": "On chosen activity types", "leadDeleted": "On lead deleted", "leadFieldChanged": "On lead field changed", "newLead": "On new lead", "programStatusChanged": "On program status changed"})[$parameter["event"]] || "" }}',
		description:
			"Starts the workflow when new activities appear in Marketo's activity stream (polling)",
		defaults: { name: 'Marketo Activity Trigger' },
		credentials: [{ name: 'marketoApi', required: true }],
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				// Not "Event": n8n's node panel turns a trigger's "Event" options into actions and then lists
				// the node as "Marketo Activity" (it cuts "Trigger" from the name of a node with actions).
				displayName: 'Start On',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Activities of Chosen Types',
						value: 'activities',
						description: 'Any activity types, e.g. Fill Out Form, Click Email',
					},
					{
						name: 'Lead Deleted',
						value: 'leadDeleted',
						description: 'Deleted leads (Marketo keeps them about 14 days)',
					},
					{
						name: 'Lead Field Changed',
						value: 'leadFieldChanged',
						description: 'A change of one of the chosen lead fields',
					},
					{ name: 'New Lead', value: 'newLead', description: 'A lead was created' },
					{
						name: 'Program Status Changed',
						value: 'programStatusChanged',
						description: "A program member's progression status changed",
					},
				],
				default: 'newLead',
			},
			{
				displayName: 'Activity Type Names or IDs',
				name: 'activityTypeIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getActivityTypes' },
				default: [],
				required: true,
				description: `At most ${MAX_ACTIVITY_TYPES} types (a Marketo limit). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
				displayOptions: { show: { event: ['activities'] } },
			},
			{
				displayName: 'Lead Field Names or IDs',
				name: 'fields',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getLeadFields' },
				default: [],
				required: true,
				description:
					'Lead fields whose changes start the workflow. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				displayOptions: { show: { event: ['leadFieldChanged'] } },
			},
			{
				// A list to pick from (workflows saved with the former comma-separated text still run:
				// the poll reads either).
				displayName: 'Program Names or IDs',
				name: 'programIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getPrograms' },
				default: [],
				description:
					'Only status changes in these programs; none chosen: all programs. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				displayOptions: { show: { event: ['programStatusChanged'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Lead Field Names or IDs',
						name: 'leadFields',
						type: 'multiOptions',
						typeOptions: { loadOptionsMethod: 'getLeadFields' },
						default: [],
						description:
							'The lead fields each New Lead event carries under "lead" (read in one call per 300 new leads). None chosen: ID, email, first and last name, company, created and updated. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
						displayOptions: { show: { '/event': ['newLead'] } },
					},
					{
						displayName: 'Advance Position',
						name: 'advancePosition',
						type: 'options',
						options: [
							{
								name: 'After the Run Succeeds',
								value: 'afterRun',
								description:
									'The next poll reads the same activities again unless the run they started ended without error',
							},
							{
								name: 'Immediately',
								value: 'immediately',
								description:
									'The next poll continues after what this poll read, even if the run failed',
							},
						],
						default: 'afterRun',
						description:
							'When the stream position moves past the activities a poll emitted. After the Run Succeeds: a failed run loses no activity (with a Wait node, the run must end first).',
					},
					{
						displayName: 'Max Pages per Poll',
						name: 'maxPages',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: DEFAULT_MAX_PAGES,
						description:
							'Each page is one API call (up to 300 activities, sometimes none). What is left is read at the next poll.',
					},
					{
						displayName: 'Start From',
						name: 'startDate',
						type: 'dateTime',
						default: '',
						description:
							'Read activities since this date on the first poll. Empty: since activation (no backlog). Changing it restarts the stream from this date.',
					},
				],
			},
		],
	};

	methods = {
		loadOptions: { getActivityTypes, getLeadFields, getPrograms },
	};

	/**
	 * n8n saves a poller's static data when the poll emits, before the run it starts, and a run
	 * cannot reach the poller's copy: a position kept there moves for good unless the poll itself
	 * waits for the run. So, with "After the Run Succeeds", the poll starts the run (n8n's `__emit`
	 * with a done promise, as message-queue triggers acknowledge after the run), waits for its end,
	 * and moves the cursor only when it ended without error; otherwise the next poll reads the same
	 * activities again. While a run started by this trigger is under way, further polls read nothing.
	 */
	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const key = `${this.getWorkflow().id ?? ''}:${this.getNode().id ?? this.getNode().name}`;
		if (running.has(key)) return null;
		const { activities, commit } = await pollActivities.call(this);
		if (activities.length === 0) {
			commit();
			return null;
		}
		const items = [this.helpers.returnJsonArray(activities)];
		const options = this.getNodeParameter('options', {}) as { advancePosition?: string };
		if (this.getMode() === 'manual' || options.advancePosition === 'immediately') {
			commit();
			return items;
		}
		const done = this.helpers.createDeferredPromise<IRun | undefined>();
		running.add(key);
		try {
			this.__emit(items, undefined, done);
			const run = await done.promise;
			if (ranWithoutError(run)) commit();
		} catch {
			// The run could not be started or its end not learned: the next poll reads them again.
		} finally {
			running.delete(key);
		}
		return null;
	}
}

/** Pollers (workflow:node) whose run is under way. */
const running = new Set<string>();

function ranWithoutError(run: IRun | undefined): boolean {
	return run !== undefined && run.status === 'success' && !run.data?.resultData?.error;
}
