/**
 * The repair of bodies broken by Marketo tokens sent without JSON encoding, case by case: what is
 * recovered, what is left alone, and what is refused.
 */
import {
	parseMarketoDelivery,
	parseMarketoForm,
	repairMarketoJson,
} from '../../nodes/Marketo/trigger/webhookBody';

function deliver(rawBody: string, contentType = 'application/x-www-form-urlencoded') {
	return parseMarketoDelivery({ method: 'POST', contentType, rawBody, parsedBody: {}, query: {} });
}

describe('repair of JSON templates', () => {
	it('valid JSON is not touched, including its own escapes (\\n, \\", \\u00e9)', () => {
		const raw = '{"title": "Head of\\nEvents", "quote": "say \\"hi\\"", "name": "Ren\\u00e9"}';
		expect(repairMarketoJson(raw)).toEqual({ text: raw, repairs: [] });
		const parsed = deliver(raw);
		expect(parsed).toMatchObject({
			ok: true,
			repaired: false,
			fields: { title: 'Head of\nEvents', quote: 'say "hi"', name: 'René' },
		});
	});

	it('quotes inside values of nested objects and arrays are escaped', () => {
		const parsed = deliver(
			'{"lead": {"company": "The "Best" Co", "tags": ["a "b" c", "d"]}, "id": 7}',
		);
		expect(parsed).toMatchObject({
			ok: true,
			repaired: true,
			fields: { lead: { company: 'The "Best" Co', tags: ['a "b" c', 'd'] }, id: 7 },
		});
	});

	it('a value ending in a quote right before the closing brace is still read as intended', () => {
		const parsed = deliver('{"nickname": "The "Boss""}');
		expect(parsed).toMatchObject({ ok: true, fields: { nickname: 'The "Boss"' } });
	});

	it('CRLF and tab characters inside a value are escaped', () => {
		const parsed = deliver('{"address": "1 Main St\r\nSuite\t4"}');
		expect(parsed).toMatchObject({
			ok: true,
			repaired: true,
			fields: { address: '1 Main St\r\nSuite\t4' },
		});
	});

	it('a truncated body is refused with the Request Token Encoding advice', () => {
		const parsed = deliver('{"email": "ana@example.com", "company": "Acme');
		expect(parsed.ok).toBe(false);
		expect(parsed.ok === false && parsed.message).toMatch(/Request Token Encoding" to JSON/);
	});

	it('a body with a structural error no token can cause is refused, not guessed', () => {
		expect(deliver('{"email" "ana@example.com"}').ok).toBe(false);
		expect(deliver('{"a": 1}}').ok).toBe(false);
	});

	it('a UTF-8 byte order mark is ignored', () => {
		expect(deliver('\uFEFF{"a": 1}')).toMatchObject({
			ok: true,
			fields: { a: 1 },
			repaired: false,
		});
	});
});

describe('form bodies', () => {
	it('a literal "%" in a value sent without encoding is kept', () => {
		expect(parseMarketoForm('discount=100%&name=Ana')).toEqual({
			fields: { discount: '100%', name: 'Ana' },
			repairs: ['kept 1 literal "%"'],
		});
	});

	it('a repeated key becomes a list', () => {
		expect(parseMarketoForm('tag=a&tag=b').fields).toEqual({ tag: ['a', 'b'] });
	});
});

describe('deliveries without a body', () => {
	it('a GET delivery takes its fields from the query string', () => {
		expect(
			parseMarketoDelivery({
				method: 'GET',
				contentType: undefined,
				rawBody: '',
				parsedBody: {},
				query: { email: 'a@b.c' },
			}),
		).toEqual({
			ok: true,
			format: 'query',
			fields: { email: 'a@b.c' },
			repaired: false,
			repairs: [],
		});
	});

	it('an XML body uses what n8n parsed', () => {
		expect(
			parseMarketoDelivery({
				method: 'POST',
				contentType: 'application/xml',
				rawBody: '<lead><email>a@b.c</email></lead>',
				parsedBody: { lead: { email: 'a@b.c' } },
				query: {},
			}),
		).toMatchObject({ ok: true, format: 'xml', fields: { lead: { email: 'a@b.c' } } });
	});
});
