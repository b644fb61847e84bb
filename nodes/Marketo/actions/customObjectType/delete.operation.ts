import { typeActionOperation } from './common';

export const deleteType = typeActionOperation({
	name: 'Delete',
	value: 'delete',
	description: 'Delete a custom object type (it must have no records and be used by no asset)',
	action: 'Delete a custom object type',
});
