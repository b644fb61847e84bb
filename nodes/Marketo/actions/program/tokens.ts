import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

/** My Token types the asset API accepts (`type` of /folder/{id}/tokens.json). */
export const tokenTypeProperty: INodeProperties = {
	displayName: 'Token Type',
	name: 'tokenType',
	type: 'options',
	default: 'text',
	options: [
		{ name: 'Date', value: 'date', description: 'A date, sent as yyyy-MM-dd' },
		{ name: 'Number', value: 'number' },
		{ name: 'Rich Text', value: 'rich text', description: 'HTML' },
		{ name: 'Score', value: 'score', description: 'A whole number, optionally signed (e.g. +5)' },
		{ name: 'SFDC Campaign', value: 'sfdc campaign' },
		{ name: 'Text', value: 'text' },
	],
};

export const tokenNameProperty: INodeProperties = {
	displayName: 'Token Name',
	name: 'name',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. spotme_id',
	description:
		'The My Token name without "my." (for {{my.spotme_id}} enter spotme_id); at most 50 characters',
};

/** Accepts "spotme_id", "my.spotme_id" and "{{my.spotme_id}}" alike: users paste what they see in emails. */
export function normalizeTokenName(this: IExecuteFunctions, raw: unknown, i: number): string {
	let name = String(raw ?? '').trim();
	const wrapped = /^\{\{\s*my\.(.+?)\s*\}\}$/i.exec(name);
	if (wrapped) name = wrapped[1];
	else if (/^my\./i.test(name)) name = name.slice(3);
	name = name.trim();
	if (name === '') {
		throw new NodeOperationError(this.getNode(), 'The "Token Name" parameter is empty', {
			itemIndex: i,
			description: 'Enter the My Token name, e.g. spotme_id for {{my.spotme_id}}',
		});
	}
	if (name.length > 50) {
		throw new NodeOperationError(
			this.getNode(),
			`The "Token Name" is ${name.length} characters long; Marketo allows 50`,
			{ itemIndex: i, description: 'Shorten the token name' },
		);
	}
	return name;
}

function pad(n: number): string {
	return String(n).padStart(2, '0');
}

/** Checks and formats a token value for its type, so Marketo does not store something unusable. */
export function formatTokenValue(
	this: IExecuteFunctions,
	type: string,
	raw: unknown,
	i: number,
): string {
	const fail = (why: string, fix: string) =>
		new NodeOperationError(this.getNode(), `The "Value" ${why} for a ${type} token`, {
			itemIndex: i,
			description: fix,
		});
	if (raw === undefined || raw === null) raw = '';
	switch (type) {
		case 'score': {
			const text = String(raw).trim();
			// Score tokens hold a signed 32-bit integer; "+5" / "-3" are kept as the user wrote them.
			if (!/^[+-]?\d+$/.test(text) || Math.abs(Number(text)) > 2147483647) {
				throw fail(`"${text}" is not a whole number`, 'Use a whole number such as 10, +5 or -3');
			}
			return text;
		}
		case 'number': {
			const text = String(raw).trim();
			if (text === '' || !Number.isFinite(Number(text))) {
				throw fail(`"${text}" is not a number`, 'Use a number such as 42 or 3.5');
			}
			return text;
		}
		case 'date': {
			if (raw instanceof Date) {
				return `${raw.getUTCFullYear()}-${pad(raw.getUTCMonth() + 1)}-${pad(raw.getUTCDate())}`;
			}
			const text = String(raw).trim();
			const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
			if (!match) {
				throw fail(
					`"${text}" is not a date`,
					'Marketo stores date tokens as yyyy-MM-dd, e.g. 2026-11-24',
				);
			}
			// Keep the calendar date the user wrote; a time or zone suffix is dropped, not converted.
			return `${match[1]}-${match[2]}-${match[3]}`;
		}
		default:
			return typeof raw === 'string' ? raw : JSON.stringify(raw);
	}
}
