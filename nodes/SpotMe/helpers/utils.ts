import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { forEachItemWith } from '../../shared/perItem';

/** The workspace picker every workspace-scoped operation uses ("From list" needs the credential's Organization ID). */
export function workspaceParameter(
	description = 'The SpotMe workspace (event). Its ID is in the Backstage URL.',
): INodeProperties {
	return {
		displayName: 'Workspace',
		name: 'workspaceId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchWorkspaces', searchable: true },
			},
			{
				displayName: 'ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 0f1e2d3c4b5a69788796a5b4c3d2e1f0',
			},
		],
	};
}

export function getWorkspaceId(this: IExecuteFunctions, itemIndex: number): string {
	const value = this.getNodeParameter('workspaceId', itemIndex, '', {
		extractValue: true,
	}) as string;
	const id = String(value ?? '').trim();
	if (!id) {
		throw new NodeOperationError(this.getNode(), 'Workspace is empty', {
			itemIndex,
			description: 'Pick a workspace from the list or enter its ID (from the Backstage URL).',
		});
	}
	return id;
}

export function requireString(
	this: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
	fix: string,
): string {
	const raw = this.getNodeParameter(name, itemIndex, '') as unknown;
	const value = raw === undefined || raw === null ? '' : String(raw).trim();
	if (!value)
		throw new NodeOperationError(this.getNode(), `${label} is empty`, {
			itemIndex,
			description: fix,
		});
	return value;
}

/** The item an operation reports for a failure when "continue on fail" is on. */
export function errorItem(
	error: Error,
	itemIndex: number,
	extra: IDataObject = {},
): INodeExecutionData {
	return {
		json: {
			...extra,
			error: error.message,
			...(errorDescription(error) ? { errorDescription: errorDescription(error) } : {}),
		},
		pairedItem: { item: itemIndex },
	};
}

function errorDescription(error: Error): string | undefined {
	const description = (error as { description?: unknown }).description;
	return typeof description === 'string' && description ? description : undefined;
}

/**
 * Runs `fn` for every item: a success becomes its output items (paired to the input), a failure
 * becomes an error item when continue-on-fail is on, and stops the node otherwise.
 */
export async function forEachItem(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	fn: (itemIndex: number) => Promise<IDataObject | IDataObject[]>,
): Promise<INodeExecutionData[]> {
	return await forEachItemWith.call(this, items, fn, {
		toErrorItem: (error, i) => errorItem(error as Error, i),
		toNodeError: (error, i) => asNodeError(this, error as Error, i),
	});
}

/** Keeps n8n's own errors (they already say why, without secrets); wraps anything else. */
export function asNodeError(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeOperationError | NodeApiError {
	if (error instanceof NodeOperationError || error instanceof NodeApiError) {
		// A batch call's error knows no item; the one that stops the node is named for n8n's error view.
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}
