import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { routeErrorItems } from '../../shared/errorOutput';
import type { SpotMeResource } from '../helpers/interfaces';
import { attendanceResource } from './attendance/Attendance.resource';
import { personResource } from './person/Person.resource';
import { workspaceResource } from './workspace/Workspace.resource';

/**
 * Every resource of the SpotMe node. Adding one is two lines: import its `*.resource.ts`
 * and list it here; the node's parameters and routing follow from this list.
 */
export const resources: SpotMeResource[] = [personResource, workspaceResource, attendanceResource];

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resourceName = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const resource = resources.find((r) => r.option.value === resourceName);
	const operation = resource?.operations.find((o) => o.option.value === operationName);
	if (!operation) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" of resource "${resourceName}" is not known`,
			{
				description: 'Pick a resource and an operation again in the node.',
			},
		);
	}
	return [routeErrorItems.call(this, await operation.execute.call(this, items))];
}
