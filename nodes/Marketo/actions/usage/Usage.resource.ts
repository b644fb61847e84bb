import type { Resource } from '../../../shared/kit';

import { getLast7Days } from './getLast7Days.operation';
import { getToday } from './getToday.operation';

export const usageResource: Resource = {
	option: { name: 'API Usage', value: 'usage' },
	defaultOperation: 'getToday',
	operations: [getLast7Days, getToday],
};
