import type { Resource } from '../../../shared/kit';

import { deleteCustomObject } from './delete.operation';
import { getAll } from './getAll.operation';
import { getFields } from './getFields.operation';
import { getTypes } from './getTypes.operation';
import { upsert } from './upsert.operation';

export const customObjectResource: Resource = {
	option: { name: 'Custom Object', value: 'customObject' },
	defaultOperation: 'upsert',
	operations: [upsert, deleteCustomObject, getFields, getAll, getTypes],
};
