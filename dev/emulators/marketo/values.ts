/** Field-value checks shared by leads, program members and custom objects (1001 / 1006 reasons). */
import type { DataType } from './state';

/** Returns the normalised value, or an error message for a 1001 "Invalid value" reason. */
export function coerceValue(
	value: unknown,
	dataType: DataType,
	field: string,
): { value: unknown } | { error: string } {
	if (value === null || value === '') return { value: null };
	const bad = () => ({
		error: `Invalid value '${String(value)}'. Required of type '${dataType}' for field '${field}'`,
	});
	switch (dataType) {
		case 'integer':
		case 'score':
		case 'reference': {
			const n =
				typeof value === 'number'
					? value
					: typeof value === 'string' && /^-?\d+$/.test(value.trim())
						? Number(value)
						: NaN;
			return Number.isInteger(n) ? { value: n } : bad();
		}
		case 'float':
		case 'currency':
		case 'percent': {
			const n =
				typeof value === 'number'
					? value
					: typeof value === 'string' && value.trim() !== ''
						? Number(value)
						: NaN;
			return Number.isFinite(n) ? { value: n } : bad();
		}
		case 'boolean': {
			if (typeof value === 'boolean') return { value };
			if (value === 'true' || value === '1' || value === 1) return { value: true };
			if (value === 'false' || value === '0' || value === 0) return { value: false };
			return bad();
		}
		case 'email': {
			// Marketo: email values must be ASCII and look like an address.
			if (typeof value !== 'string' || !/^[\x21-\x7e]+@[\x21-\x7e]+$/.test(value)) return bad();
			return { value };
		}
		case 'date': {
			if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return bad();
			return { value };
		}
		case 'datetime': {
			if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) return bad();
			return { value };
		}
		case 'string':
		case 'phone':
		case 'url':
			if (typeof value === 'object') return bad();
			if (String(value).length > 255)
				return { error: `Value for field '${field}' exceeds max length 255` };
			return { value: String(value) };
		case 'text':
			if (typeof value === 'object') return bad();
			return { value: String(value) };
		case 'link':
			return { value };
		default:
			return { value };
	}
}

export function sameValue(a: unknown, b: unknown, caseInsensitive = false): boolean {
	if (a === undefined || a === null) return b === undefined || b === null;
	if (caseInsensitive && typeof a === 'string' && typeof b === 'string')
		return a.toLowerCase() === b.toLowerCase();
	return String(a) === String(b);
}
