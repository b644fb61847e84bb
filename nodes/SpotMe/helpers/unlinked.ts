/**
 * Self-healing reads: people read without a field (e.g. `marketo_lead_id`, set once they are in
 * Marketo) are remembered, and each run reads a bounded number of them again until the field is
 * set, like SpotMe's own Marketo module pushes every user without a lead ID on each sync. A person
 * Marketo refused once is retried without waiting for their profile to change; the oldest go first
 * and each one re-read goes to the back, so one person who always fails cannot block the others.
 * The list lives in the node's static data, which n8n saves for failed runs too: a person read by a
 * run that failed is re-read by the next.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { spotMeApiRequest } from '../transport';
import { personPath } from './person';

export interface UnlinkedPlan {
	/** The field whose absence means "not done yet". */
	field: string;
	/** How many remembered people one run reads again at most. */
	max: number;
}

const keyOf = (workspaceId: string, docType: string) => `unlinked:${docType}:${workspaceId}`;

const without = (field: string) => (doc: IDataObject) =>
	doc[field] === undefined || doc[field] === null || String(doc[field]).trim() === '';

/** `docs` (the changes read) plus, up to `plan.max`, remembered people still without the field. */
export async function withUnlinkedPeople(
	this: IExecuteFunctions,
	workspaceId: string,
	docType: string,
	docs: IDataObject[],
	plan: UnlinkedPlan,
	itemIndex: number,
): Promise<IDataObject[]> {
	const store = this.getWorkflowStaticData('node');
	const key = keyOf(workspaceId, docType);
	const queue = (Array.isArray(store[key]) ? store[key] : []) as string[];
	const changed = new Set(docs.map((d) => String(d._id)));
	const waiting = queue.filter((id) => !changed.has(id));
	const toRead = waiting.slice(0, Math.max(0, plan.max));
	const reread: IDataObject[] = [];
	for (const id of toRead) {
		const doc = (await spotMeApiRequest.call(
			this,
			'GET',
			personPath(workspaceId, id),
			undefined,
			undefined,
			{ itemIndex, allowNotFound: true },
		)) as IDataObject | undefined;
		if (doc) reread.push(doc); // a person deleted since is forgotten
	}
	const isMissing = without(plan.field);
	const stillMissing = [...docs, ...reread].filter(isMissing).map((d) => String(d._id));
	store[key] = [...new Set([...waiting.slice(toRead.length), ...stillMissing])];
	return [...docs, ...reread.filter(isMissing)];
}
