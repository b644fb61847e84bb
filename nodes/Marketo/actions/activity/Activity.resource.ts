import type { Resource } from '../../../shared/kit';

import { getAll } from './getAll.operation';
import { getDeletedLeads } from './getDeletedLeads.operation';
import { getLeadChanges } from './getLeadChanges.operation';
import { getTypes } from './getTypes.operation';

export const activityResource: Resource = {
	option: { name: 'Activity', value: 'activity' },
	defaultOperation: 'getAll',
	operations: [getDeletedLeads, getLeadChanges, getAll, getTypes],
};
