import type { Resource } from '../../../shared/kit';

import { create } from './create.operation';
import { getAll } from './getAll.operation';

export const leadFieldResource: Resource = {
	option: { name: 'Lead Field', value: 'leadField' },
	defaultOperation: 'getAll',
	operations: [create, getAll],
};
