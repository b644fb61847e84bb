import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { programStatuses } from '../../helpers/metadata';
import { forEachItem, type Operation } from '../../../shared/kit';
import { programLocator, resolveProgramId } from './common';

/**
 * The SpotMe attendance outcomes the status workflow maps (attendance-to-program-member-status.json,
 * "Map to Program Status"), with SpotMe's usual Marketo status for each ('' = leave unchanged). n8n's
 * dynamic dropdowns start empty (''), so a new node leaves every status unchanged until picked;
 * the bundled set-up-event.json presets SpotMe's table.
 */
export const SPOTME_OUTCOMES = [
	{ outcome: 'Invited', label: 'Invited', parameter: 'invited', status: 'Invited' },
	{ outcome: 'Registered', label: 'Registered', parameter: 'registered', status: 'Registered' },
	{ outcome: 'Attended', label: 'Attended', parameter: 'attended', status: 'Attended' },
	{ outcome: 'No show', label: 'No Show', parameter: 'noShow', status: 'No Show' },
	{ outcome: 'Cancelled', label: 'Cancelled', parameter: 'cancelled', status: '' },
] as const;

const statusChoices = {
	loadOptionsMethod: 'getProgramStatusChoices',
	loadOptionsDependsOn: ['programId.value'],
};

const properties: INodeProperties[] = [
	{
		...programLocator,
		description: 'The event program; its channel gives the statuses to choose from',
	},
	{
		displayName:
			"For each SpotMe attendance outcome, pick the status of the program's channel to set (Marketo: Admin > Tags > Channels). SpotMe's usual table: Invited, Registered, Attended, No show → No Show, Cancelled → Leave Unchanged.",
		name: 'mappingNotice',
		type: 'notice',
		default: '',
	},
	// One status dropdown per SpotMe outcome.
	...SPOTME_OUTCOMES.map(
		(o): INodeProperties => ({
			displayName: `${o.label} Status Name or ID`,
			name: o.parameter,
			type: 'options',
			typeOptions: statusChoices,
			default: '',
			description: `The program status for people SpotMe marks "${o.outcome}"${
				o.status ? `, e.g. "${o.status}"` : ''
			}. Leave Unchanged: their status is not touched. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
		}),
	),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['program'], operation: ['mapAttendanceStatuses'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	// One program read and one channel read per program, not per item: the statuses the mapping may use.
	const channels = new Map<number, ReturnType<typeof programStatuses>>();
	return await forEachItem.call(this, items, async (i) => {
		const programId = await resolveProgramId.call(this, i);
		let read = channels.get(programId);
		if (!read) {
			read = programStatuses.call(this, programId);
			channels.set(programId, read);
		}
		const { programName, channel, statuses } = await read;
		const known = statuses.map((s) => s.name);
		const statusMapping: Record<string, string> = {};
		const bad: string[] = [];
		for (const o of SPOTME_OUTCOMES) {
			const value = this.getNodeParameter(o.parameter, i, '') as unknown;
			const status = typeof value === 'string' ? value.trim() : value;
			if (typeof status !== 'string' || (status !== '' && !known.includes(status))) {
				bad.push(`"${o.outcome}" → ${JSON.stringify(status)}`);
				continue;
			}
			statusMapping[o.outcome] = status;
		}
		if (bad.length > 0) {
			const channelName = channel ? `channel "${channel}"` : 'channel';
			throw new NodeOperationError(
				this.getNode(),
				`SpotMe ${bad.join(', ')}: ${bad.length > 1 ? 'not statuses' : 'not a status'} of the ${channelName} of program ${programId}`,
				{
					itemIndex: i,
					description: `For each SpotMe outcome named, pick one of the channel's statuses (${
						known.length > 0 ? known.join(', ') : 'the channel has none'
					}) or "Leave Unchanged"`,
				},
			);
		}
		if (Object.values(statusMapping).every((status) => status === '')) {
			throw new NodeOperationError(
				this.getNode(),
				'Every SpotMe outcome is set to "Leave Unchanged": the mapping would change no status',
				{
					itemIndex: i,
					description: `Pick a status of the program's channel for at least one outcome, e.g. "Attended" → ${
						known.includes('Attended')
							? '"Attended"'
							: `one of ${known.join(', ') || 'its statuses'}`
					}`,
				},
			);
		}
		return { programId, programName, channel, statusMapping };
	});
}

export const mapAttendanceStatuses: Operation = {
	option: {
		name: 'Map Attendance to Statuses',
		value: 'mapAttendanceStatuses',
		description:
			"Choose the program status for each SpotMe attendance outcome, checked against the program's channel",
		action: 'Map SpotMe attendance to program statuses',
	},
	description,
	execute,
};
