import type { Resource } from '../../../shared/kit';

import { getAll } from './getAll.operation';
import { remove } from './remove.operation';
import { setStatus } from './setStatus.operation';
import { updateFields } from './updateFields.operation';

export const programMemberResource: Resource = {
	option: { name: 'Program Member', value: 'programMember' },
	defaultOperation: 'setStatus',
	operations: [getAll, remove, setStatus, updateFields],
};
