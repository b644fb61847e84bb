import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { forEachItem, type Operation, readLimit, returnAllProperties } from '../../../shared/kit';
import { marketoApiRequest } from '../../transport';
import {
	flattenAttributes,
	getActivityPages,
	leadFilterProperties,
	leadFilterQuery,
	sinceIso,
	sinceProperty,
} from './common';

const properties: INodeProperties[] = [
	sinceProperty,
	{
		displayName: 'Activity Type Names or IDs',
		name: 'activityTypeIds',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getActivityTypes' },
		required: true,
		default: [],
		description:
			'Up to 10 activity types. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	...returnAllProperties(),
	leadFilterProperties,
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: 'Whether to return a simplified version of the response instead of the raw data',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['activity'], operation: ['getAll'] } },
	properties,
);

/** Reads the activity types; Marketo takes at most 10 per call. */
function activityTypeIds(this: IExecuteFunctions, i: number): number[] {
	const raw = this.getNodeParameter('activityTypeIds', i, []) as unknown;
	const list = (Array.isArray(raw) ? raw : String(raw ?? '').split(','))
		.map((v) => String(v).trim())
		.filter((v) => v !== '');
	const bad = list.find((v) => !/^\d+$/.test(v));
	if (bad !== undefined) {
		throw new NodeOperationError(
			this.getNode(),
			`"${bad}" in "Activity Type Names or IDs" is not an activity type ID`,
			{
				itemIndex: i,
				description: 'Pick the types from the list, or give numeric IDs (see Activity > Get Types)',
			},
		);
	}
	if (list.length === 0) {
		throw new NodeOperationError(
			this.getNode(),
			'No activity type is selected in "Activity Type Names or IDs"',
			{
				itemIndex: i,
				description: 'Pick between 1 and 10 activity types',
			},
		);
	}
	const ids = [...new Set(list.map(Number))];
	if (ids.length > 10) {
		throw new NodeOperationError(
			this.getNode(),
			`"Activity Type Names or IDs" has ${ids.length} types; Marketo accepts at most 10 per call`,
			{ itemIndex: i, description: 'Keep 10 types, or use one Marketo node per group of 10 types' },
		);
	}
	return ids;
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	let typeNames: Map<number, string> | undefined;
	return await forEachItem.call(this, items, async (i) => {
		const ids = activityTypeIds.call(this, i);
		const since = sinceIso.call(this, i);
		const qs: IDataObject = { activityTypeIds: ids.join(','), ...leadFilterQuery.call(this, i) };
		const limit = readLimit.call(this, i);
		const simplify = this.getNodeParameter('simplify', i, true) as boolean;
		const activities = await getActivityPages.call(this, '/v1/activities.json', since, qs, limit);
		if (simplify && activities.length > 0 && !typeNames) {
			// Records carry only the numeric type; the simplified output names it (one call per execution).
			const types = await marketoApiRequest.call(this, 'GET', '/v1/activities/types.json');
			typeNames = new Map((types.result ?? []).map((t) => [Number(t.id), String(t.name)]));
		}
		return activities.map((activity) =>
			simplify
				? {
						activityType: typeNames?.get(Number(activity.activityTypeId)),
						...flattenAttributes(activity),
					}
				: activity,
		);
	});
}

export const getAll: Operation = {
	option: {
		name: 'Get Many',
		value: 'getAll',
		description: 'Get activities of chosen types since a date',
		action: 'Get many activities',
	},
	description,
	execute,
};
