import type { Resource } from '../../../shared/kit';

import { setUp } from './setUp.operation';

/**
 * Everything SpotMe's guide makes an admin build by hand (two fields, two custom objects), compared
 * and set up in one operation. Its own resource, not an operation of Custom Object Type, because it
 * covers person and program member fields too.
 */
export const spotMeSchemaResource: Resource = {
	option: { name: 'SpotMe Schema', value: 'spotMeSchema' },
	defaultOperation: 'setUp',
	operations: [setUp],
};
