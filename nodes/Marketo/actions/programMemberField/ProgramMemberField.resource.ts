import type { Resource } from '../../../shared/kit';

import { create } from './create.operation';
import { getAll } from './getAll.operation';

export const programMemberFieldResource: Resource = {
	option: { name: 'Program Member Field', value: 'programMemberField' },
	defaultOperation: 'getAll',
	operations: [create, getAll],
};
