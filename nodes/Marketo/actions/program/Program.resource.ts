import type { Resource } from '../../../shared/kit';

import { clone } from './clone.operation';
import { deleteToken } from './deleteToken.operation';
import { get } from './get.operation';
import { getAll } from './getAll.operation';
import { getStatuses } from './getStatuses.operation';
import { getTokens } from './getTokens.operation';
import { mapAttendanceStatuses } from './mapAttendanceStatuses.operation';
import { setToken } from './setToken.operation';

export const programResource: Resource = {
	option: { name: 'Program', value: 'program' },
	defaultOperation: 'get',
	operations: [
		clone,
		deleteToken,
		get,
		getAll,
		getStatuses,
		getTokens,
		mapAttendanceStatuses,
		setToken,
	],
};
