import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import {
	getSpotMeSettings,
	MAX_DOCS_PER_CALL,
	upsertDocuments,
	type DocResult,
} from '../transport';
import { coalesce, describeFailures, errorItem, toNodeError } from '../../shared/kit';
import { currentPeopleByEmail, emailKey, mergeSamePerson } from './personIdentity';

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
	/**
	 * Match an existing person by email inside the shared call (webhook executions): the person of
	 * this email under another `_id` is updated instead, and the result names the `requestedId`.
	 */
	matchByEmail?: boolean;
}

/** A document's result, with the `_id` it asked for when it was matched to another person by email. */
export type SharedDocResult = DocResult & { requestedId?: string };

/**
 * How long a webhook execution's documents wait for those of concurrent executions (then also
 * until the previous shared call of the same workspace is answered; see nodes/shared/kit/coalesce.ts).
 */
export const COALESCE_WINDOW_MS = 25;

/**
 * Upserts documents; in a webhook execution (one Marketo delivery, one person) they join those of
 * concurrent executions writing to the same workspace, so a burst shares few calls, each execution
 * getting back its own documents' results. With `matchByEmail`, the people-by-email index is brought
 * up to date once per shared call (one read of SpotMe's changes) and each document whose email belongs
 * to a person with another `_id` is sent under that `_id`.
 */
export async function upsertShared(
	this: IExecuteFunctions,
	workspaceId: string,
	type: string,
	docs: IDataObject[],
	qs: IDataObject = {},
	batchSize = MAX_DOCS_PER_CALL,
	matchByEmail = false,
): Promise<SharedDocResult[]> {
	const send = async (all: IDataObject[]): Promise<SharedDocResult[]> => {
		if (!matchByEmail)
			return await upsertDocuments.call(this, workspaceId, type, all, qs, batchSize);
		const settings = await getSpotMeSettings.call(this);
		const index = await currentPeopleByEmail.call(this, settings.laneKey, workspaceId);
		const requested: Array<string | undefined> = [];
		const matched = all.map((doc, k) => {
			const existing = index.get(emailKey(doc.email));
			if (existing === undefined || existing === String(doc._id)) return doc;
			requested[k] = String(doc._id);
			return { ...doc, _id: existing };
		});
		const results = await upsertDocuments.call(this, workspaceId, type, matched, qs, batchSize);
		return results.map((r, k) =>
			requested[k] === undefined ? r : { ...r, requestedId: requested[k] },
		);
	};
	if (this.getMode() !== 'webhook') return await send(docs);
	const settings = await getSpotMeSettings.call(this);
	const key = JSON.stringify([settings.laneKey, workspaceId, type, qs, batchSize, matchByEmail]);
	return await coalesce<IDataObject, SharedDocResult>(key, docs, send, {
		windowMs: COALESCE_WINDOW_MS,
		maxRecords: Math.max(1, Math.min(batchSize, MAX_DOCS_PER_CALL)),
	});
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
	finish: (result: SharedDocResult, planned: PlannedDoc, itemIndex: number) => Promise<IDataObject>,
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
		const key = JSON.stringify([p.workspaceId, p.qs ?? {}, p.batchSize ?? 0, !!p.matchByEmail]);
		const list = groups.get(key) ?? [];
		list.push(i);
		groups.set(key, list);
	});

	const failures: Array<{ error: NodeApiError | NodeOperationError; itemIndex: number }> = [];
	for (const indexes of groups.values()) {
		const first = planned[indexes[0]] as PlannedDoc;
		// One person twice in one input (same _id or email) is one merged record, the last value winning.
		const merged = mergeSamePerson(indexes.map((i) => (planned[i] as PlannedDoc).doc));
		const sent = await upsertShared.call(
			this,
			first.workspaceId,
			type,
			merged.map((m) => m.doc),
			first.qs,
			first.batchSize,
			first.matchByEmail === true,
		);
		const results: SharedDocResult[] = [];
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
				let doc = merge ? merge.doc : own.doc;
				// Matched by email in the shared call: the person written is the one SpotMe already had.
				if (result.requestedId !== undefined) doc = { ...doc, _id: result._id };
				const json = await finish(result, { ...own, doc }, i);
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
					failures.push({ error: nodeError, itemIndex: i });
					continue;
				}
				out[i] = errorItem(nodeError, i, { _id: (planned[i] as PlannedDoc).doc._id });
			}
		}
	}
	// Without continue-on-fail the run stops, but only after every batch was sent: what SpotMe
	// accepted stays accepted; the error is the first item's, and names every item that failed.
	if (failures.length) {
		const [first] = failures;
		const error = toNodeError(this, first.error, first.itemIndex);
		if (failures.length > 1) {
			const list = describeFailures(
				failures.map((f) => ({
					itemIndex: f.itemIndex,
					key: String((planned[f.itemIndex] as PlannedDoc).doc._id),
					reason: f.error.message,
				})),
			);
			const written = out.filter((o) => o !== undefined).length;
			error.description = `${error.description ? `${error.description} ` : ''}${written} of ${items.length} people were written; ${failures.length} failed: ${list}. Turn on "Continue on Fail" (Settings > On Error) to get the other items through and these as error items`;
		}
		throw error;
	}
	return out.filter((o): o is INodeExecutionData => o !== undefined);
}
