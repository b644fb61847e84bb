/**
 * Person > Commit Position: the end of a run that reads with "Advance Position: After Commit
 * Position" (nodes/SpotMe/helpers/positions.ts). Placed so that it runs only when everything read
 * was written, it moves each pending position to committed; the next run starts there.
 */
import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import type { Operation } from '../../../shared/kit';
import { commitPositions } from '../../helpers/positions';

const properties: INodeProperties[] = [
	{
		displayName:
			'Place this step where it runs last, after every write of the people read with "Advance Position: After Commit Position". A run that fails before it reads the same changes again next time.',
		name: 'commitNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Only Positions Containing',
		name: 'positionFilter',
		type: 'string',
		default: '',
		placeholder: 'e.g. person',
		description: 'Commit only the positions whose key contains this text. Empty: all of them.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['person'], operation: ['commitPosition'] } },
	properties,
);

async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const filter = String(this.getNodeParameter('positionFilter', 0, '') ?? '').trim();
	const moved = commitPositions(this, filter);
	const pairedItem = items.map((_, item) => ({ item }));
	return [{ json: { committed: moved.length, positions: moved }, pairedItem }];
}

export const commitPosition: Operation = {
	option: {
		name: 'Commit Position',
		value: 'commitPosition',
		action: 'Commit the remembered position',
		description:
			'Let the next run continue after what this run read (for Get Changes Since with Advance Position: After Commit Position)',
	},
	description,
	execute,
};
