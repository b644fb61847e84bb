/**
 * SpotMe attendance status → Marketo program member status, as SpotMe's Marketo module maps it
 * by default (seed 000, "Step 4: Optional: Program Member Status mapping"). Cancelled has "no
 * existing out of the box status in Marketo", so it maps to nothing unless the user names one.
 */
import type { AttendanceStatus } from './model';

export const DEFAULT_PROGRAM_STATUS_MAPPING: Readonly<Record<AttendanceStatus, string>> = {
	Invited: 'Invited',
	Registered: 'Registered',
	Attended: 'Attended',
	'No show': 'No Show',
	Cancelled: '',
};

/**
 * The Marketo program member status for a SpotMe attendance status, or undefined when the
 * mapping leaves it out (then the member's status must not be changed). Case-insensitive, and
 * "No-show" / "no_show" read as "No show".
 */
export function toProgramMemberStatus(
	status: string,
	mapping: Partial<Record<string, string>> = DEFAULT_PROGRAM_STATUS_MAPPING,
): string | undefined {
	const key = (s: string) =>
		s
			.trim()
			.toLowerCase()
			.replace(/[\s_-]+/g, ' ');
	const wanted = key(status);
	for (const [from, to] of Object.entries(mapping)) {
		if (key(from) === wanted) return to && to.trim() ? to.trim() : undefined;
	}
	return undefined;
}
