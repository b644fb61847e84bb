import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { forEachItem, type Operation } from '../../../shared/kit';
import { recordOutcome } from '../../helpers/schemaApi';
import { marketoApiError, marketoApiRequest } from '../../transport';

/** The type, by API name; the list shows drafts too (they can be edited, approved or discarded). */
export const typeProperty: INodeProperties = {
	displayName: 'Custom Object Type Name or ID',
	name: 'apiName',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getCustomObjectTypesAnyState' },
	required: true,
	default: '',
	description:
		'The custom object type (its API name, e.g. spotMeAttendance_c), approved or draft. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Reads and checks an API name parameter of item `i` (it becomes a path segment). */
export function apiNameParameter(
	this: IExecuteFunctions,
	i: number,
	parameter = 'apiName',
	label = 'Custom Object Type',
): string {
	const name = String(this.getNodeParameter(parameter, i, '') ?? '').trim();
	if (!API_NAME.test(name)) {
		throw new NodeOperationError(
			this.getNode(),
			name === '' ? `"${label}" is empty` : `"${name}" is not a custom object API name`,
			{
				itemIndex: i,
				description: `Set "${label}" to an API name: a letter, then letters, digits or underscores, e.g. spotMeAttendance_c (not the display name)`,
			},
		);
	}
	return name;
}

export const schemaPath = (apiName: string, action: string) =>
	`/v1/customobjects/schema/${encodeURIComponent(apiName)}/${action}.json`;

/**
 * A one-record schema write (create/update, approve, discard, delete): its result, or an error with
 * Marketo's per-record reason when it skipped it.
 */
export async function schemaWrite(
	this: IExecuteFunctions,
	path: string,
	i: number,
	body: IDataObject = {},
): Promise<IDataObject> {
	const response = await marketoApiRequest.call(this, 'POST', path, { body, itemIndex: i });
	const result = response.result?.[0];
	const outcome = recordOutcome(result);
	if (!outcome.ok) {
		throw marketoApiError(
			this.getNode(),
			{ code: outcome.code ?? outcome.status, message: outcome.message ?? 'skipped' },
			{ requestId: response.requestId, itemIndex: i, path },
		);
	}
	return { ...(result ?? {}) };
}

/**
 * Approve, Discard Draft and Delete are one call each on `/customobjects/{apiName}/{action}.json`
 * with nothing but the type: one operation per file, built here.
 */
export function typeActionOperation(option: Operation['option']): Operation {
	return {
		option,
		description: updateDisplayOptions(
			{ show: { resource: ['customObjectType'], operation: [option.value] } },
			[typeProperty],
		),
		async execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
			return await forEachItem.call(this, items, async (i) => {
				const apiName = apiNameParameter.call(this, i);
				const result = await schemaWrite.call(this, schemaPath(apiName, option.value), i);
				return { apiName, status: result.status };
			});
		},
	};
}
