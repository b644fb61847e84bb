import type { SpotMeResource } from '../../helpers/interfaces';
import { get } from './get.operation';

export const personResource: SpotMeResource = {
	option: { name: 'Person', value: 'person', description: 'A SpotMe participant (person document) in a workspace' },
	operations: [get],
	defaultOperation: 'get',
};
