/**
 * Node parameters the tests, the demo and the benchmarks use again and again, written once.
 */

/** Marketo › Lead › Create or Update by email, every input field mapped as it comes. */
export const LEAD_UPSERT_BY_EMAIL = {
	resource: 'lead',
	operation: 'upsert',
	syncAction: 'createOrUpdate',
	lookupField: 'email',
	fields: { mappingMode: 'autoMapInputData', value: null },
};
