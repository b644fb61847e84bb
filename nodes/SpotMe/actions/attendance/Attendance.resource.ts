import type { Resource } from '../../../shared/kit';
import { computeStatus } from './computeStatus.operation';
import { getAll } from './getAll.operation';
import { getChanges } from './getChanges.operation';
import { normalizeReport } from './normalizeReport.operation';

/**
 * Attendance, and the criteria that turn it into an attendance status, are one resource: the
 * criteria only ever run on attendance, and a resource with a single operation would be a
 * dead end in n8n's action list ("Attendance actions" shows all four together).
 */
export const attendanceResource: Resource = {
	option: {
		name: 'Attendance',
		value: 'attendance',
		description: 'Live stream and event attendance of a workspace, and the attendance criteria',
	},
	operations: [getAll, getChanges, normalizeReport, computeStatus],
	defaultOperation: 'getAll',
};
