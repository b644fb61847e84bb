import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Operation } from '../../../shared/kit';
import { executeFieldGetAll, fieldGetAllDescription } from '../../helpers/fieldOperations';

/** Every program member field with its API name, display name, type and whether it is custom. */
export const getAll: Operation = {
	option: {
		name: 'Get Many',
		value: 'getAll',
		description: 'Get the program member fields of the Marketo instance',
		action: 'Get many program member fields',
	},
	description: fieldGetAllDescription('programMemberField'),
	async execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
		return await executeFieldGetAll.call(this, items, 'programMember');
	},
};
