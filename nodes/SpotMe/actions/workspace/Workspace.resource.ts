import type { Resource } from '../../../shared/kit';
import { get } from './get.operation';
import { getAll } from './getAll.operation';

export const workspaceResource: Resource = {
	option: { name: 'Workspace', value: 'workspace', description: 'A SpotMe workspace (one event)' },
	operations: [get, getAll],
	defaultOperation: 'getAll',
};
