import type { SpotMeResource } from '../../helpers/interfaces';
import { get } from './get.operation';
import { getAll } from './getAll.operation';

export const workspaceResource: SpotMeResource = {
	option: { name: 'Workspace', value: 'workspace', description: 'A SpotMe workspace (one event)' },
	operations: [get, getAll],
	defaultOperation: 'getAll',
};
