import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import { nodeParameter } from '../../shared/kit';

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
	const value = nodeParameter(this, 'workspaceId', itemIndex, '', {
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
	const raw = nodeParameter(this, name, itemIndex, '');
	const value = raw === undefined || raw === null ? '' : String(raw).trim();
	if (!value)
		throw new NodeOperationError(this.getNode(), `${label} is empty`, {
			itemIndex,
			description: fix,
		});
	return value;
}
