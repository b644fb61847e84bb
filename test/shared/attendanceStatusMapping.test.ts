import {
	DEFAULT_PROGRAM_STATUS_MAPPING,
	toProgramMemberStatus,
} from '../../nodes/shared/attendance';

describe('SpotMe attendance status → Marketo program member status', () => {
	it.each([
		['Invited', 'Invited'],
		['Registered', 'Registered'],
		['Attended', 'Attended'],
		['No show', 'No Show'],
		['no-show', 'No Show'],
		['ATTENDED', 'Attended'],
	])('%s maps to %s by default (the seed’s table)', (from, to) => {
		expect(toProgramMemberStatus(from)).toBe(to);
	});
	it('Cancelled maps to nothing by default: Marketo has no such status out of the box', () => {
		expect(toProgramMemberStatus('Cancelled')).toBeUndefined();
	});
	it('a custom mapping can give Cancelled a status and rename others', () => {
		const mapping = {
			...DEFAULT_PROGRAM_STATUS_MAPPING,
			Cancelled: 'Not Attended',
			Attended: 'Attended On-demand',
		};
		expect(toProgramMemberStatus('Cancelled', mapping)).toBe('Not Attended');
		expect(toProgramMemberStatus('Attended', mapping)).toBe('Attended On-demand');
		expect(toProgramMemberStatus('Unheard of', mapping)).toBeUndefined();
	});
});
