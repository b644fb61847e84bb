import { Registry } from '../../shared/kit';
import { attendanceResource } from './attendance/Attendance.resource';
import { personResource } from './person/Person.resource';
import { workspaceResource } from './workspace/Workspace.resource';

/**
 * Every resource of the SpotMe node. Adding one is two lines: import its `*.resource.ts` and list it
 * here; the node's parameters and routing follow from this registry.
 */
export const registry = new Registry(
	[personResource, workspaceResource, attendanceResource],
	'person',
);
