import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Operation } from '../../../shared/kit';
import { executeFieldCreate, fieldCreateDescription } from '../../helpers/fieldOperations';

/** Admin > Field Management > New Custom Field, for the program member; one field per input item. */
export const create: Operation = {
	option: {
		name: 'Create',
		value: 'create',
		description: 'Create a custom program member field',
		action: 'Create a program member field',
	},
	description: fieldCreateDescription('programMemberField', 'programMember'),
	async execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
		return await executeFieldCreate.call(this, items, 'programMember');
	},
};
