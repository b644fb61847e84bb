import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { forEachItem, type Operation } from '../../../shared/kit';
import {
	advanceModeOf,
	advanceOption,
	readUpTo,
	startOf,
	type AdvanceMode,
} from '../../helpers/positions';
import { workspaceParameter } from '../../helpers/utils';
import { formatSince } from '../../transport';
import { documentTypeParameters, levelParameter } from './common';
import { documentMappingAndOptions } from './documentOptions';
import type { LeadIdLookup } from './leadIds';
import {
	beginningOfTime,
	normaliseDocuments,
	readDocuments,
	readPlan,
	sinceFormat,
} from './documents';

const properties: INodeProperties[] = [
	workspaceParameter(),
	levelParameter(),
	...documentTypeParameters(),
	{
		displayName: 'Since',
		name: 'since',
		type: 'string',
		default: '',
		placeholder: 'e.g. 2026-05-12T00:00:00Z',
		description:
			'Return attendance documents created or changed after this time (ISO 8601 or epoch milliseconds). Empty means from the beginning. Ignored once a remembered position exists (see Options).',
	},
	...documentMappingAndOptions([
		advanceOption,
		{
			displayName: 'Remember Position',
			name: 'keepCursor',
			type: 'boolean',
			default: false,
			description:
				'Whether to store where this run stopped (per workspace and document type, in the workflow) and continue from there next time, so each change is returned once. SpotMe asks integrations to keep the last sync time. Only active (production) executions keep it.',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['attendance'], operation: ['getChanges'] } },
	properties,
);

/** Where the cursor of one workspace + document type is kept in the node's static data. */
export function cursorKey(workspaceId: string, type: string): string {
	return `attendanceCursor:${workspaceId}:${type}`;
}

async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const lookups = new Map<string, LeadIdLookup>();
	// Cursors are saved only once every item succeeded (or failed into an error item), so a run
	// that stops half-way reads the same documents again next time instead of losing them.
	const newCursors: IDataObject = {};
	const out = await forEachItem.call(this, items, async (i) => {
		const plan = readPlan.call(this, i);
		const format = sinceFormat.call(this, i);
		const options = this.getNodeParameter('options', i, {}) as IDataObject;
		const keepCursor = options.keepCursor === true;
		const mode = advanceModeOf(options);
		const sinceParam = String(this.getNodeParameter('since', i, '') ?? '').trim();
		if (sinceParam && Number.isNaN(Date.parse(sinceParam)) && !/^\d+$/.test(sinceParam)) {
			throw new NodeOperationError(this.getNode(), `Since "${sinceParam}" is not a date and time`, {
				itemIndex: i,
				description:
					'Use ISO 8601 (2026-05-12T00:00:00Z) or epoch milliseconds, or leave it empty.',
			});
		}
		const key = cursorKey(plan.workspaceId, plan.type);
		const kept = keepCursor
			? ((newCursors[key] as { cursor: string | number } | undefined)?.cursor ??
				startOf(this, key, mode))
			: undefined;
		const since =
			kept !== undefined
				? kept
				: sinceParam
					? formatSince(sinceParam, format)
					: beginningOfTime(format);
		const { docs, cursor } = await readDocuments.call(this, plan, since, Infinity, i);
		const json = await normaliseDocuments.call(this, docs, plan, i, lookups);
		if (keepCursor) newCursors[key] = { cursor, mode };
		return json;
	});
	for (const [key, { cursor, mode }] of Object.entries(newCursors) as Array<
		[string, { cursor: string | number; mode: AdvanceMode }]
	>)
		readUpTo(this, key, cursor, mode);
	return out;
}

export const getChanges: Operation = {
	option: {
		name: 'Get Changes Since',
		value: 'getChanges',
		action: 'Get attendance changes since a time',
		description:
			'Read the attendance documents created or changed since a time (or since the last run), normalised',
	},
	description,
	execute,
};
