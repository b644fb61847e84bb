import { typeActionOperation } from './common';

export const discardDraft = typeActionOperation({
	name: 'Discard Draft',
	value: 'discardDraft',
	description: 'Throw the draft away; the approved version (if any) stays',
	action: 'Discard a custom object type draft',
});
