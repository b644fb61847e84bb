import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { routeErrorItems } from '../../shared/errorOutput';
import type { MarketoOperation } from '../helpers/interfaces';
import * as activity from './activity';
import * as customObject from './customObject';
import * as lead from './lead';
import * as program from './program';
import * as programMember from './programMember';
import * as usage from './usage';

/** resource → its operations. Adding a resource: import its folder and add it here and in Marketo.node.ts. */
const resources: Record<string, Record<string, unknown>> = {
	activity,
	customObject,
	lead,
	program,
	programMember,
	usage,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const candidate = resources[resource]?.[operation] as MarketoOperation | undefined;
	if (!candidate || typeof candidate.execute !== 'function') {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" is not supported for the resource "${resource}"`,
		);
	}
	return [routeErrorItems.call(this, await candidate.execute.call(this, items))];
}
