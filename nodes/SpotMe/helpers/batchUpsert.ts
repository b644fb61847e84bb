import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { MAX_DOCS_PER_CALL, upsertDocuments, type DocResult } from '../transport';
import { errorItem, toNodeError } from '../../shared/kit';
import { mergeSamePerson } from './personIdentity';

/** The "Batch Size" option of the operations that upsert people (an option inside their Options collection). */
export const batchSizeOption: INodeProperties = {
	displayName: 'Batch Size',
	name: 'batchSize',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_DOCS_PER_CALL },
	default: MAX_DOCS_PER_CALL,
	description: 'People per call; SpotMe accepts at most 5 000 documents and 5 MB per call',
};

/** The batch size an item's Options ask for (SpotMe's maximum when unset). */
export function batchSizeOf(options: IDataObject): number {
	return Number(options.batchSize) || MAX_DOCS_PER_CALL;
}

export interface PlannedDoc {
	workspaceId: string;
	doc: IDataObject & { _id: string };
	qs?: IDataObject;
	batchSize?: number;
}

/**
 * Upserts one document per input item, grouped by workspace (and query), in SpotMe-sized batches
 * sent one after another. `plan` reads and validates an item's parameters (throwing a
 * NodeOperationError that names the field); `finish` turns SpotMe's per-document answer into the
 * output item, or throws to make it an error. Every input item ends as one output item.
 */
export async function upsertPerItem(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	type: string,
	plan: (itemIndex: number) => PlannedDoc,
	finish: (result: DocResult, planned: PlannedDoc, itemIndex: number) => Promise<IDataObject>,
): Promise<INodeExecutionData[]> {
	const out: Array<INodeExecutionData | undefined> = new Array(items.length);
	const planned: Array<PlannedDoc | undefined> = new Array(items.length);
	const continueOnFail = this.continueOnFail();

	// Validate every item before sending anything, so bad input never half-applies a run.
	for (let i = 0; i < items.length; i++) {
		try {
			planned[i] = plan(i);
		} catch (error) {
			if (!continueOnFail) throw toNodeError(this, error as Error, i);
			out[i] = errorItem(error as Error, i);
		}
	}

	const groups = new Map<string, number[]>();
	planned.forEach((p, i) => {
		if (!p) return;
		const key = JSON.stringify([p.workspaceId, p.qs ?? {}, p.batchSize ?? 0]);
		const list = groups.get(key) ?? [];
		list.push(i);
		groups.set(key, list);
	});

	let firstFailure: { error: Error; itemIndex: number } | undefined;
	for (const indexes of groups.values()) {
		const first = planned[indexes[0]] as PlannedDoc;
		// One person twice in one input (same _id or email) is one merged record, the last value winning.
		const merged = mergeSamePerson(indexes.map((i) => (planned[i] as PlannedDoc).doc));
		const sent = await upsertDocuments.call(
			this,
			first.workspaceId,
			type,
			merged.map((m) => m.doc),
			first.qs,
			first.batchSize,
		);
		const results: DocResult[] = [];
		const mergedOf: Array<{ doc: PlannedDoc['doc']; items: number[] } | undefined> = [];
		merged.forEach((m, c) => {
			for (const k of m.members) {
				results[k] = sent[c];
				if (m.members.length > 1)
					mergedOf[k] = { doc: m.doc, items: m.members.map((x) => indexes[x]) };
			}
		});
		for (let k = 0; k < indexes.length; k++) {
			const i = indexes[k];
			const result = results[k];
			const merge = mergedOf[k];
			try {
				if (result.requestError) throw result.requestError;
				const own = planned[i] as PlannedDoc;
				const json = await finish(result, merge ? { ...own, doc: merge.doc } : own, i);
				out[i] = {
					json: merge ? { ...json, mergedItems: merge.items } : json,
					pairedItem: { item: i },
				};
			} catch (error) {
				const nodeError =
					error instanceof NodeApiError || error instanceof NodeOperationError
						? error
						: new NodeOperationError(this.getNode(), error as Error, { itemIndex: i });
				if (!continueOnFail) {
					firstFailure ??= { error: nodeError, itemIndex: i };
					continue;
				}
				out[i] = errorItem(nodeError, i, { _id: (planned[i] as PlannedDoc).doc._id });
			}
		}
	}
	// Without continue-on-fail the run stops, but only after every batch was sent: what SpotMe
	// accepted stays accepted, and the error names the first item that failed.
	if (firstFailure) throw toNodeError(this, firstFailure.error, firstFailure.itemIndex);
	return out.filter((o): o is INodeExecutionData => o !== undefined);
}
