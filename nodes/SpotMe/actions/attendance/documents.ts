/**
 * Source (a): attendance documents from SpotMe's document store, normalised.
 *
 * Reading uses `POST /workspace/{eid}/global/docs/{type}/changes/since`, the one listing route
 * SpotMe documents (for people); "all" is changes since the beginning of time. ASSUMPTION: that
 * attendance documents are served by the same document store route as people.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import {
	normaliseAttendanceRecord,
	type NormalisedAttendance,
	type NormaliseOptions,
} from '../../attendance';
import { getWorkspaceId } from '../../helpers/utils';
import { formatSince, getChangesSince, type SinceFormat } from '../../transport';
import { failRecord, readNormaliseOptions, toOutput, type AttendanceLevel } from './common';
import { withLeadId, type LeadIdLookup } from './leadIds';

export interface DocumentReadPlan {
	workspaceId: string;
	level: AttendanceLevel;
	type: string;
}

export function readPlan(this: IExecuteFunctions, itemIndex: number): DocumentReadPlan {
	const workspaceId = getWorkspaceId.call(this, itemIndex);
	const level = this.getNodeParameter('level', itemIndex, 'session') as AttendanceLevel;
	const type = String(
		this.getNodeParameter(
			level === 'event' ? 'eventDocumentType' : 'sessionDocumentType',
			itemIndex,
			'',
		) ?? '',
	).trim();
	if (!type) {
		throw new NodeOperationError(this.getNode(), 'Document Type is empty', {
			itemIndex,
			description:
				'Enter the SpotMe document type that holds attendance (see your workspace API page in Backstage).',
		});
	}
	if (/[/?#]/.test(type)) {
		throw new NodeOperationError(
			this.getNode(),
			`Document Type "${type}" contains "/", "?" or "#"`,
			{
				itemIndex,
				description: 'Enter only the type name, e.g. stream_attendance, not a path.',
			},
		);
	}
	return { workspaceId, level, type };
}

/** Reads documents changed since `since` (all when since is the epoch). */
export async function readDocuments(
	this: IExecuteFunctions,
	plan: DocumentReadPlan,
	since: string | number,
	maxDocs: number,
	itemIndex: number,
): Promise<{ docs: IDataObject[]; cursor: string | number }> {
	return await getChangesSince.call(this, plan.workspaceId, plan.type, since, maxDocs, itemIndex);
}

export function sinceFormat(this: IExecuteFunctions, itemIndex: number): SinceFormat {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return options.sinceFormat === 'epochMs' ? 'epochMs' : 'iso';
}

export function beginningOfTime(format: SinceFormat): string | number {
	return formatSince(0, format);
}

/**
 * One document normalised, or, when it cannot be read, item `itemIndex`'s error item naming the
 * document and the field (with Continue on Fail; otherwise the node stops). Never dropped.
 */
export function normaliseDocument(
	this: IExecuteFunctions,
	doc: IDataObject,
	options: NormaliseOptions,
	type: string,
	itemIndex: number,
): { record: NormalisedAttendance } | { failed: INodeExecutionData } {
	try {
		// The document's own _id is not the person's: the person is fp_owner / user_id / ...
		return { record: normaliseAttendanceRecord(doc, { ...options, ignoreKeys: ['_id', '_rev'] }) };
	} catch (error) {
		const documentId = String(doc._id ?? '');
		const where = `Document "${documentId}" of type "${type}"`;
		return {
			failed: failRecord.call(this, error, itemIndex, where, { documentId, documentType: type }),
		};
	}
}

/**
 * The output of one input item's documents: each normalised record (with its lead ID when asked),
 * and the error item of each document that cannot be read. The per-item runner pairs them.
 */
export async function normaliseDocuments(
	this: IExecuteFunctions,
	docs: IDataObject[],
	plan: DocumentReadPlan,
	itemIndex: number,
	lookups: Map<string, LeadIdLookup>,
): Promise<IDataObject[]> {
	const base = readNormaliseOptions.call(this, itemIndex, plan.workspaceId);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const outputFields = String(options.outputFields ?? 'all');
	const includeDocument = options.includeDocument === true;
	const out: IDataObject[] = [];
	for (const doc of docs) {
		const read = normaliseDocument.call(this, doc, base, plan.type, itemIndex);
		if ('failed' in read) {
			out.push(read.failed.json);
			continue;
		}
		const record = await withLeadId(this, lookups, read.record, itemIndex);
		if (!record) continue;
		const json = toOutput(record, plan.level, outputFields);
		if (includeDocument) json.document = doc;
		out.push(json);
	}
	return out;
}
