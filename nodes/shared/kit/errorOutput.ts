import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

/**
 * With "Continue on Fail", both nodes return a failed record as an item whose json says why: `error`,
 * plus Marketo's code and reasons, the input sent, and so on. With "On Error: Continue (using error
 * output)", n8n moves an item to the error output only when `item.error` is set (and then keeps nothing
 * but its message) or when its json holds nothing but `error`, `message` and `details` (n8n-core's
 * `handleNodeErrorOutput`, which then adds the input item's fields). So for that mode the failure is
 * reshaped to `{ error, message?, details }`, with everything else it said under `details`.
 */
export function routeErrorItems(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): INodeExecutionData[] {
	if (this.getNode().onError !== 'continueErrorOutput') return items;
	for (const item of items) {
		const { error, message, ...details } = item.json ?? {};
		if (typeof error !== 'string') continue;
		const json: IDataObject = { error };
		if (message !== undefined) json.message = message;
		if (Object.keys(details).length) json.details = details;
		item.json = json;
	}
	return items;
}
