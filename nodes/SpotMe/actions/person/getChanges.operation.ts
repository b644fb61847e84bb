import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { forEachItem, type Operation, readLimit, returnAllProperties } from '../../../shared/kit';
import { advanceModeOf, advanceOption, readUpTo, startOf } from '../../helpers/positions';
import { withUnlinkedPeople } from '../../helpers/unlinked';
import { getWorkspaceId, workspaceParameter } from '../../helpers/utils';
import { formatSince, getChangesSince, type SinceFormat } from '../../transport';

const properties: INodeProperties[] = [
	workspaceParameter(),
	{
		displayName: 'Since',
		name: 'since',
		type: 'string',
		default: '',
		placeholder: 'e.g. 2026-05-01T00:00:00Z or {{ $now.minus(1, "day").toISO() }}',
		description:
			'Return people created or changed after this moment (ISO date or epoch milliseconds). Empty means from the beginning. Ignored once a remembered position exists (see Options).',
	},
	...returnAllProperties({ returnAllByDefault: true }),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: (
			[
				advanceOption,
				{
					displayName: 'Re-Read If Field Missing',
					name: 'retryWithoutField',
					type: 'string',
					default: '',
					placeholder: 'e.g. marketo_lead_id',
					description:
						'Remember the people read without this field and read them again on later runs until it is set (e.g. people Marketo refused once), besides the changes. Empty: off.',
				},
				{
					displayName: 'Max Re-Reads per Run',
					name: 'retryMax',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 100,
					description:
						'With Re-Read If Field Missing: how many remembered people one run reads again at most (one call each, oldest first)',
				},
				{
					displayName: 'Remember Position',
					name: 'keepCursor',
					type: 'boolean',
					default: false,
					description:
						'Whether to store where this run stopped (per workspace, in the workflow) and continue from there next time, so each change is returned once. Only active (production) executions keep it.',
				},
				{
					displayName: 'Since Format',
					name: 'sinceFormat',
					type: 'options',
					default: 'iso',
					description:
						'How "since" is sent. SpotMe does not publish the format; ISO 8601 is an assumption.',
					options: [
						{ name: 'ISO 8601 Date', value: 'iso' },
						{ name: 'Epoch Milliseconds', value: 'epochMs' },
					],
				},
				{
					displayName: 'Document Type',
					name: 'docType',
					type: 'string',
					default: 'person',
					description:
						'SpotMe document type to read changes of (person unless your workspace differs)',
				},
			] as INodeProperties[]
		).sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['person'], operation: ['getChanges'] } },
	properties,
);

export function cursorKey(workspaceId: string, docType: string): string {
	return `changesSince:${docType}:${workspaceId}`;
}

/**
 * SpotMe's CRM recipe: `POST …/person/changes/since` with the last sync time in the body, and the
 * caller keeps that time for the next run. The remembered position is the cursor SpotMe answered
 * (or the newest document's time), never "now", so a change written during the run is not lost.
 */
async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem.call(this, items, async (i) => {
		const workspaceId = getWorkspaceId.call(this, i);
		const options = this.getNodeParameter('options', i, {}) as IDataObject;
		const format = (options.sinceFormat as SinceFormat) ?? 'iso';
		const docType = String(options.docType ?? 'person').trim() || 'person';
		const keepCursor = options.keepCursor === true;
		const key = cursorKey(workspaceId, docType);
		const rawSince = String(this.getNodeParameter('since', i, '') ?? '').trim();
		if (rawSince && !/^\d+$/.test(rawSince) && Number.isNaN(Date.parse(rawSince))) {
			throw new NodeOperationError(this.getNode(), `Since "${rawSince}" is not a date`, {
				itemIndex: i,
				description:
					'Use an ISO date such as 2026-05-01T00:00:00Z, epoch milliseconds, or leave it empty.',
			});
		}
		const mode = advanceModeOf(options);
		const stored = keepCursor ? startOf(this, key, mode) : undefined;
		const since = formatSince(stored !== undefined ? stored : rawSince, format);
		const limit = readLimit.call(this, i, { returnAllByDefault: true });
		const { docs, cursor } = await getChangesSince.call(
			this,
			workspaceId,
			docType,
			since,
			limit,
			i,
		);
		if (keepCursor) readUpTo(this, key, cursor, mode);
		const field = String(options.retryWithoutField ?? '').trim();
		if (!field) return docs;
		const max = Number(options.retryMax ?? 100);
		return await withUnlinkedPeople.call(this, workspaceId, docType, docs, { field, max }, i);
	});
}

export const getChanges: Operation = {
	option: {
		name: 'Get Changes Since',
		value: 'getChanges',
		action: 'Get people changed since a date',
		description:
			'Get people created or updated since a moment, optionally continuing where the last run stopped',
	},
	description,
	execute,
};
