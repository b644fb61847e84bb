import {
	AttendanceValueError,
	parseBoolean,
	parseCount,
	parseDurationMinutes,
	parsePlainNumber,
} from '../../../nodes/SpotMe/attendance';

describe('watch time durations are read in minutes', () => {
	it.each([
		[12.5, 'minutes', 12.5],
		['12.5', 'minutes', 12.5],
		['12,5', 'minutes', 12.5],
		[90, 'seconds', 1.5],
		['90', 'seconds', 1.5],
		['00:12:30', 'minutes', 12.5],
		['1:02:03', 'minutes', 62.05],
		['12:30', 'minutes', 12.5],
		['1h 2m 3s', 'minutes', 62.05],
		['12 min', 'seconds', 12],
		['90 s', 'minutes', 1.5],
		['1.5 hours', 'minutes', 90],
		['', 'minutes', 0],
		['-', 'minutes', 0],
		[null, 'minutes', 0],
		[undefined, 'seconds', 0],
	] as const)('%j (bare numbers in %s) is %d min', (value, unit, minutes) => {
		expect(parseDurationMinutes(value, unit)).toBe(minutes);
	});

	it('rounds seconds to three decimals of a minute, so 59 s stays under one minute', () => {
		expect(parseDurationMinutes(59, 'seconds')).toBe(0.983);
		expect(parseDurationMinutes('00:00:59', 'minutes')).toBeLessThan(1);
	});

	it.each(['abc', '12 parsecs', '-3', '1:99', { minutes: 3 }, true])(
		'%j is refused with a fix',
		(value) => {
			expect(() => parseDurationMinutes(value)).toThrow(AttendanceValueError);
			try {
				parseDurationMinutes(value);
			} catch (e) {
				expect((e as AttendanceValueError).fix).toMatch(/HH:MM:SS/);
			}
		},
	);
});

describe('counts and yes/no cells', () => {
	it('reads whole numbers with thousands separators, empty as 0', () => {
		expect(parseCount('1,250')).toBe(1250);
		expect(parseCount(3)).toBe(3);
		expect(parseCount('')).toBe(0);
		expect(parsePlainNumber('1 234')).toBe(1234);
	});
	it.each(['2.5', '-1', 'many'])('refuses %j as a count', (v) => {
		expect(() => parseCount(v)).toThrow(/not a whole number/);
	});
	it.each([
		['Yes', true],
		['no', false],
		[true, true],
		[0, false],
		[1, true],
		['1', true],
		['TRUE', true],
		['x', true],
		['Checked in', true],
		['', undefined],
	] as const)('%j is %s', (v, expected) => {
		expect(parseBoolean(v)).toBe(expected);
	});
	it('refuses a word that is neither yes nor no', () => {
		expect(() => parseBoolean('maybe')).toThrow(/not a yes\/no value/);
	});
});
