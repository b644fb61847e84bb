import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Operation } from '../../../shared/kit';
import { executeFieldCreate, fieldCreateDescription } from '../../helpers/fieldOperations';

/** Admin > Field Management > New Custom Field, for the person; one field per input item. */
export const create: Operation = {
	option: {
		name: 'Create',
		value: 'create',
		description: 'Create a custom person field',
		action: 'Create a person field',
	},
	description: fieldCreateDescription('leadField', 'lead'),
	async execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
		return await executeFieldCreate.call(this, items, 'lead');
	},
};
