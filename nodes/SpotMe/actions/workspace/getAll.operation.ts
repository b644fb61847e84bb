import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { forEachItem, type Operation, readLimit, returnAllProperties } from '../../../shared/kit';
import type { SpotMeWorkspace } from '../../helpers/workspace';
import { getSpotMeSettings, spotMeApiRequest } from '../../transport';

const properties: INodeProperties[] = [
	{
		displayName: 'Organization ID',
		name: 'organizationId',
		type: 'string',
		default: '',
		placeholder: 'Leave empty to use the Organization ID of the credential',
		description: 'The SpotMe organization whose workspaces (events) to list',
	},
	...returnAllProperties(),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Include Inactive',
				name: 'includeInactive',
				type: 'boolean',
				default: false,
				description: 'Whether to keep workspaces whose is_active flag is false',
			},
			{
				displayName: 'Include Test Workspaces',
				name: 'includeTest',
				type: 'boolean',
				default: false,
				description: 'Whether to keep workspaces whose is_test flag is true',
			},
			{
				displayName: 'Name Contains',
				name: 'nameContains',
				type: 'string',
				default: '',
				description: 'Keep only workspaces whose name contains this text (case-insensitive)',
			},
			{
				displayName: 'Starts After',
				name: 'startsAfter',
				type: 'dateTime',
				default: '',
				description: 'Keep only workspaces that start at or after this date',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['workspace'], operation: ['getAll'] } },
	properties,
);

/**
 * `GET /orgs/{orgId}/workspaces` returns every workspace of the organization as a bare array;
 * SpotMe's CRM recipe filters test / inactive ones client-side, and so do we.
 */
async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem.call(this, items, async (i) => {
		const settings = await getSpotMeSettings.call(this);
		const organizationId = String(
			this.getNodeParameter('organizationId', i, '') || settings.organizationId,
		).trim();
		if (!organizationId) {
			throw new NodeOperationError(this.getNode(), 'Organization ID is empty', {
				itemIndex: i,
				description: 'Enter the organization ID here or in the SpotMe credential.',
			});
		}
		const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
		const limit = readLimit.call(this, i);
		const answer = await spotMeApiRequest.call(
			this,
			'GET',
			`/orgs/${encodeURIComponent(organizationId)}/workspaces`,
			undefined,
			undefined,
			{
				itemIndex: i,
				notFoundMessage: `Organization ${organizationId} not found`,
			},
		);
		const all = (
			Array.isArray(answer)
				? answer
				: (((answer as IDataObject)?.workspaces as SpotMeWorkspace[]) ?? [])
		) as SpotMeWorkspace[];
		const needle = String(filters.nameContains ?? '').toLowerCase();
		const startsAfter = filters.startsAfter ? Date.parse(String(filters.startsAfter)) : undefined;
		return all
			.filter((w) => filters.includeTest === true || w.is_test !== true)
			.filter((w) => filters.includeInactive === true || w.is_active !== false)
			.filter(
				(w) =>
					!needle ||
					String(w.name ?? '')
						.toLowerCase()
						.includes(needle),
			)
			.filter(
				(w) =>
					startsAfter === undefined ||
					(w.start !== undefined && Date.parse(String(w.start)) >= startsAfter),
			)
			.slice(0, limit) as IDataObject[];
	});
}

export const getAll: Operation = {
	option: {
		name: 'Get Many',
		value: 'getAll',
		action: 'Get many workspaces',
		description: 'List the workspaces (events) of an organization, without test or inactive ones',
	},
	description,
	execute,
};
