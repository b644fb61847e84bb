/**
 * Source (b): rows of the attendance report exported from Backstage (read with n8n's Extract
 * From File node), normalised into the same shape as the document-store records.
 *
 * ASSUMPTION: SpotMe does not publish the report's columns. The default column names are our
 * reading of Backstage's export; the usual variants ("Live watch time (min)", "Watch time",
 * seconds, HH:MM:SS, Yes/No) are recognised too, and every name can be changed.
 * Runs without calling SpotMe.
 */
import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { failItem, type Operation } from '../../../shared/kit';
import { normaliseAttendanceRecord, type NormalisedAttendance } from '../../attendance';
import {
	attendedMinutesOption,
	columnsParameter,
	levelParameter,
	outputFieldsOption,
	failRecord,
	readNormaliseOptions,
	separatorOption,
	toOutput,
	watchTimeUnitOption,
	type AttendanceLevel,
} from './common';
import { leadIdOptions, withLeadId, type LeadIdLookup } from './leadIds';

const properties: INodeProperties[] = [
	{
		displayName:
			'Each input item is one row of the Backstage attendance report (e.g. from Extract From File). This operation does not call SpotMe.',
		name: 'reportNotice',
		type: 'notice',
		default: '',
	},
	levelParameter(),
	{
		displayName: 'Workspace ID',
		name: 'reportWorkspaceId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 0f1e2d3c4b5a69788796a5b4c3d2e1f0',
		description:
			'The workspace the report was exported from, used when the rows have no workspace column. Its ID is in the Backstage URL.',
	},
	columnsParameter(
		'Column Names',
		'Which report column holds what. The defaults are assumptions about the Backstage export; variants such as "Live watch time (min)" or "Watch time" are recognised too.',
	),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: (
			[
				attendedMinutesOption,
				{
					displayName: 'Include Original Row',
					name: 'includeRow',
					type: 'boolean',
					default: false,
					description: 'Whether to add the report row as it was read, under "row"',
				},
				outputFieldsOption,
				{
					displayName: 'Try Known Column Variants',
					name: 'tryVariants',
					type: 'boolean',
					default: true,
					description:
						'Whether to also look for the usual other names of each column when the mapped name is absent',
				},
				watchTimeUnitOption,
				separatorOption,
				...leadIdOptions,
			] as INodeProperties[]
		).sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['attendance'], operation: ['normalizeReport'] } },
	properties,
);

async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	const lookups = new Map<string, LeadIdLookup>();
	for (let i = 0; i < items.length; i++) {
		// "row N" counts from 1 like a spreadsheet's data rows, so the user finds it.
		const row = i + 1;
		try {
			const level = this.getNodeParameter('level', i, 'session') as AttendanceLevel;
			const workspaceId = String(this.getNodeParameter('reportWorkspaceId', i, '') ?? '').trim();
			const options = this.getNodeParameter('options', i, {}) as IDataObject;
			let normalised: NormalisedAttendance;
			try {
				normalised = normaliseAttendanceRecord(
					items[i].json,
					readNormaliseOptions.call(this, i, workspaceId),
				);
			} catch (error) {
				out.push(failRecord.call(this, error, i, `Row ${row}`, { row }));
				continue;
			}
			const record = await withLeadId(this, lookups, normalised, i);
			if (!record) continue;
			const json = toOutput(record, level, String(options.outputFields ?? 'all'));
			if (options.includeRow === true) json.row = items[i].json;
			out.push({ json, pairedItem: { item: i } });
		} catch (error) {
			out.push(failItem.call(this, error, i, { row }));
		}
	}
	return out;
}

export const normalizeReport: Operation = {
	option: {
		name: 'Normalize Backstage Report',
		value: 'normalizeReport',
		action: 'Normalize backstage attendance report rows',
		description:
			'Turn rows of the attendance report exported from Backstage into attendance records for Marketo',
	},
	description,
	execute,
};
