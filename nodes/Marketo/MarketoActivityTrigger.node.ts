import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type INodeExecutionData,
	type IPollFunctions,
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

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const activities = await pollActivities.call(this);
		if (activities.length === 0) return null;
		return [this.helpers.returnJsonArray(activities)];
	}
}
