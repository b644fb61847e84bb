import type { Resource } from '../../../shared/kit';

import { deleteLead } from './delete.operation';
import { get } from './get.operation';
import { getAll } from './getAll.operation';
import { getFields } from './getFields.operation';
import { upsert } from './upsert.operation';

export const leadResource: Resource = {
	option: { name: 'Lead', value: 'lead' },
	defaultOperation: 'upsert',
	operations: [upsert, deleteLead, get, getFields, getAll],
};
