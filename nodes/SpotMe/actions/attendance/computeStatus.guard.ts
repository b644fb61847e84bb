/**
 * Apply Attendance Criteria, step 3a: before the first person of a workspace is judged, the guard
 * against an empty attendance source (nodes/SpotMe/attendance/guard.ts). It stops the node: an
 * empty or misnamed source is a setting to fix, not a person's failure.
 */
import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';
import { emptySourceProblem, type PersonAttendance } from '../../attendance';
import type { ComputeStatusParameters } from './computeStatus.parameters';

export function guardEmptySource(
	this: IExecuteFunctions,
	person: PersonAttendance,
	eventEnd: Date | undefined,
	parameters: ComputeStatusParameters,
	documentsRead: Map<string, Map<string, number>> | undefined,
	checked: Set<string>,
): void {
	const workspaceId = person.spotMeWorkspaceId || parameters.fallbackWorkspace;
	const counts = documentsRead?.get(workspaceId);
	if (!counts || parameters.allowEmptyAttendance || checked.has(workspaceId)) return;
	checked.add(workspaceId);
	const facts = { workspaceId, documentsRead: counts, eventEnd, now: parameters.now };
	const problem = emptySourceProblem(facts, parameters.criteria);
	if (!problem) return;
	throw new NodeOperationError(this.getNode(), problem, {
		itemIndex: person.itemIndexes[0],
		description:
			'Check Options > Stream Document Type and Event Document Type (the names your workspace uses) and that the workspace holds attendance. If nobody attended, turn on Options > Allow Empty Attendance.',
	});
}
