import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { failAllItems } from '../../../shared/kit';
import { marketoApiRequest } from '../../transport';

/**
 * One item per day: `{date, total, users:[{userId, count}]}`. Read once however many items come in,
 * since usage does not depend on the input; each output item pairs with every input item.
 */
export async function usageItems(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	path: string,
): Promise<INodeExecutionData[]> {
	const pairedItem = items.map((_, i) => ({ item: i }));
	try {
		const response = await marketoApiRequest.call(this, 'GET', path);
		return (response.result ?? []).map((day: IDataObject) => ({ json: day, pairedItem }));
	} catch (error) {
		return failAllItems.call(this, error, items);
	}
}
