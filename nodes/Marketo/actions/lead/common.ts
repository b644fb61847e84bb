import type { INodeProperties } from 'n8n-workflow';

export const leadFieldsProperty: INodeProperties = {
	displayName: 'Field Names or IDs',
	name: 'fields',
	type: 'multiOptions',
	typeOptions: { loadOptionsMethod: 'getLeadFields' },
	default: [],
	description:
		'Lead fields to return; empty returns Marketo\'s defaults (ID, email, first and last name, created and updated dates). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

/** Fields Marketo manages itself: `id` only goes with updateOnly (else 1003), the dates never. */
export const SYSTEM_MANAGED_FIELDS = ['createdAt', 'updatedAt'];
