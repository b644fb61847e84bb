import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

/**
 * The one error item of both nodes. Every failed input item, whether it failed before sending (bad
 * input), in a call (the service refused it) or as one record of a batch, ends as this json:
 *
 * - `error`: what happened, in words (always);
 * - `code` / `message`: the service's own code and message, when it gave them (Marketo `1003`, …);
 * - `description`: what to fix, when known;
 * - `status`, `reasons`, `input`, …: facts of the record (its per-record status, the record sent).
 *
 * With "On Error: Continue (using error output)" the kit's router reshapes it for n8n (see
 * `errorOutput.ts`); nothing else builds error items.
 */
export interface ErrorFacts extends IDataObject {
	code?: string | null;
	message?: string | null;
	description?: string;
}

const SERVICE_CODE = 'serviceCode';
const SERVICE_MESSAGE = 'serviceMessage';

interface WithContext {
	message?: string;
	description?: string | null;
	context?: IDataObject;
}

/** Marks an error with the service's own code and message, so error items and batches can read them. */
export function tagServiceError<T extends { context: IDataObject }>(
	error: T,
	code: string,
	message: string,
): T {
	error.context[SERVICE_CODE] = code;
	error.context[SERVICE_MESSAGE] = message;
	return error;
}

/** The service code an error carries (e.g. Marketo's "606"), if a service answered it. */
export function serviceErrorCode(error: unknown): string | undefined {
	const code = (error as WithContext | undefined)?.context?.[SERVICE_CODE];
	return typeof code === 'string' ? code : undefined;
}

function messageOf(error: unknown): string {
	if (typeof error === 'string') return error;
	const message = (error as WithContext | undefined)?.message;
	return typeof message === 'string' ? message : String(error);
}

/**
 * The error item of input item `itemIndex`: `error` is the failure (an Error, or a sentence for a
 * refused record), `facts` what else is known about it. Paired with its input item.
 */
export function errorItem(
	error: unknown,
	itemIndex: number,
	facts: ErrorFacts = {},
): INodeExecutionData {
	const json: IDataObject = { ...facts, error: messageOf(error) };
	if (typeof error === 'object' && error !== null) {
		const e = error as WithContext;
		const code = serviceErrorCode(error);
		if (code !== undefined && json.code === undefined) {
			json.code = code;
			const serviceMessage = e.context?.[SERVICE_MESSAGE];
			if (serviceMessage !== undefined && json.message === undefined) json.message = serviceMessage;
		}
		if (e.description && json.description === undefined) json.description = e.description;
	}
	for (const key of Object.keys(json)) if (json[key] === undefined) delete json[key];
	return { json, pairedItem: { item: itemIndex } };
}

/**
 * What stops the node for item `itemIndex` when Continue on Fail is off: n8n's own errors keep their
 * words (they never hold a secret) and are tagged with the item so n8n's message names it ("[item
 * 2]"); anything else is wrapped in a NodeOperationError.
 */
export function toNodeError(
	ctx: Pick<IExecuteFunctions, 'getNode'>,
	error: unknown,
	itemIndex: number,
): NodeOperationError | NodeApiError {
	if (error instanceof NodeOperationError || error instanceof NodeApiError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/** One record of a batch that was not written, for `describeFailures`. */
export interface RecordFailure {
	itemIndex: number;
	/** the record's key (email, `_id`, …), when it has one */
	key?: string;
	/** why, e.g. "1003: Field 'x' not found" */
	reason: string;
}

/**
 * Every failed record of a run that stops (Continue on Fail off), named: "item 3 [key] (reason); …"
 * for the first 50, then every other one by index and key, grouped by reason. Both nodes' batch
 * writes put it in the error's description, so one failure never hides the others.
 */
export function describeFailures(failures: RecordFailure[]): string {
	const named = (f: RecordFailure) => `${f.itemIndex}${f.key ? ` [${f.key}]` : ''}`;
	const list = failures
		.slice(0, 50)
		.map((f) => `item ${named(f)} (${f.reason})`)
		.join('; ');
	const groups = new Map<string, string[]>();
	for (const f of failures.slice(50)) {
		const names = groups.get(f.reason) ?? [];
		if (!names.length) groups.set(f.reason, names);
		names.push(named(f));
	}
	const more = groups.size
		? `; and ${failures.length - 50} more: ${[...groups]
				.map(([reason, names]) => `(${reason}) items ${names.join(', ')}`)
				.join('; ')}`
		: '';
	return `${list}${more}`;
}
