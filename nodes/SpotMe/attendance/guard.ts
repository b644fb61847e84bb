/**
 * The guard against an empty attendance source. After the event (end + grace period) every
 * registered person without attendance becomes a No show: when the source of the attendance
 * returned nothing at all (an empty workspace, a misnamed or non-existent document type), that
 * would call every attendee a No show, and Marketo's Smart Campaigns would act on it. Pure.
 */
import type { AttendanceCriteria } from './criteria';

export interface EmptySourceFacts {
	workspaceId: string;
	/** Documents each type returned, in the order read. */
	documentsRead: Map<string, number>;
	/** The event end of the workspace (undefined: unknown, so nobody becomes a No show). */
	eventEnd: Date | undefined;
	now: Date;
}

/**
 * Why judging this workspace's people now would be silently wrong, or undefined when it would not:
 * every type returned 0 documents and the No-show cut-off (end + grace) has passed.
 */
export function emptySourceProblem(
	facts: EmptySourceFacts,
	criteria: Pick<AttendanceCriteria, 'noShowGraceMinutes'>,
): string | undefined {
	const total = [...facts.documentsRead.values()].reduce((a, b) => a + b, 0);
	if (total > 0 || facts.documentsRead.size === 0 || !facts.eventEnd) return undefined;
	const cutOff = facts.eventEnd.getTime() + criteria.noShowGraceMinutes * 60_000;
	if (facts.now.getTime() < cutOff) return undefined;
	const types = [...facts.documentsRead.keys()].map((t) => `"${t}"`).join(' and ');
	return `No attendance found in SpotMe workspace ${facts.workspaceId} (document types ${types} returned 0 documents) after the event ended at ${facts.eventEnd.toISOString()}: every registered person would become a No show`;
}
