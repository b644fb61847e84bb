import { typeActionOperation } from './common';

export const approve = typeActionOperation({
	name: 'Approve',
	value: 'approve',
	description: 'Approve the draft: it becomes the live version that records use',
	action: 'Approve a custom object type',
});
