import type { Resource } from '../../../shared/kit';

import { addFields } from './addFields.operation';
import { approve } from './approve.operation';
import { createOrUpdate } from './createOrUpdate.operation';
import { deleteType } from './delete.operation';
import { discardDraft } from './discardDraft.operation';
import { get } from './get.operation';

/** Admin > Marketo Custom Objects: the types themselves (their records are the Custom Object resource). */
export const customObjectTypeResource: Resource = {
	option: { name: 'Custom Object Type', value: 'customObjectType' },
	defaultOperation: 'get',
	operations: [createOrUpdate, addFields, approve, discardDraft, get, deleteType],
};
