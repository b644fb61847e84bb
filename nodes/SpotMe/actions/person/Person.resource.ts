import type { Resource } from '../../../shared/kit';
import { commitPosition } from './commitPosition.operation';
import { get } from './get.operation';
import { getChanges } from './getChanges.operation';
import { setMarketoLeadId } from './setMarketoLeadId.operation';
import { upsert } from './upsert.operation';

export const personResource: Resource = {
	option: {
		name: 'Person',
		value: 'person',
		description: 'A SpotMe participant (person document) in a workspace',
	},
	operations: [upsert, get, getChanges, setMarketoLeadId, commitPosition],
	defaultOperation: 'upsert',
};
