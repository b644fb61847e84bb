/**
 * Turns what a user pastes as "REST API endpoint" into the URLs the transport needs.
 *
 * Marketo shows the REST API endpoint in Admin > Web Services as `https://<munchkin-id>.mktorest.com/rest`
 * and the Identity endpoint as `https://<munchkin-id>.mktorest.com/identity`. Users paste many other
 * things (the Munchkin ID, the web app address, an API path); each gets a plain explanation here,
 * because the credential test shows this message as is.
 */

export interface MarketoEndpoints {
	/** `https://<munchkin>.mktorest.com/rest`, no trailing slash. */
	restUrl: string;
	/** `https://<munchkin>.mktorest.com/identity`, no trailing slash. */
	identityUrl: string;
}

/** A message meant for the user as is (no stack, no secret). */
export class MarketoEndpointError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'MarketoEndpointError';
	}
}

const EXAMPLE = 'https://123-ABC-456.mktorest.com/rest';
const WHERE = 'Copy it from Marketo: Admin > Integration > Web Services > REST API > Endpoint';

function stripSlashes(value: string): string {
	return value.replace(/\/+$/, '');
}

function parseUrl(raw: string, label: string): URL {
	let candidate = raw;
	// "123-abc-456.mktorest.com/rest" without a scheme is still clearly meant as https.
	if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(candidate)) candidate = `https://${candidate}`;
	const url = URL.canParse(candidate) ? new URL(candidate) : undefined;
	if (!url) {
		throw new MarketoEndpointError(
			`The ${label} "${raw}" is not a web address. ${WHERE}, e.g. ${EXAMPLE}`,
		);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new MarketoEndpointError(
			`The ${label} must start with https:// (got "${url.protocol}"). ${WHERE}, e.g. ${EXAMPLE}`,
		);
	}
	if (/(^|\.)marketo\.com$/i.test(url.hostname)) {
		throw new MarketoEndpointError(
			`"${url.hostname}" is the address of the Marketo web app, not of its REST API. ${WHERE}, e.g. ${EXAMPLE}`,
		);
	}
	if (url.search || url.hash) {
		throw new MarketoEndpointError(
			`The ${label} "${raw}" contains a query or a # fragment; paste only the endpoint. ${WHERE}, e.g. ${EXAMPLE}`,
		);
	}
	return url;
}

export function resolveMarketoEndpoints(
	restEndpoint: unknown,
	identityEndpoint?: unknown,
): MarketoEndpoints {
	const raw = typeof restEndpoint === 'string' ? restEndpoint.trim() : '';
	if (!raw) {
		throw new MarketoEndpointError(`The REST API endpoint is empty. ${WHERE}, e.g. ${EXAMPLE}`);
	}
	if (/^\d{3}-[a-z]{3}-\d{3}$/i.test(raw)) {
		throw new MarketoEndpointError(
			`"${raw}" is a Munchkin ID, not the REST API endpoint. The endpoint looks like https://${raw}.mktorest.com/rest. ${WHERE}`,
		);
	}
	const url = parseUrl(raw, 'REST API endpoint');
	const path = stripSlashes(url.pathname);
	let restPath: string;
	if (path === '' || path === '/rest') {
		restPath = '/rest';
	} else if (/\/identity(\/oauth\/token)?$/i.test(path)) {
		throw new MarketoEndpointError(
			`"${raw}" is the Identity endpoint. Paste the REST API endpoint (ending in /rest) instead; the Identity endpoint is derived from it. ${WHERE}`,
		);
	} else if (/^\/rest\/.+/i.test(path)) {
		throw new MarketoEndpointError(
			`The REST API endpoint must end at /rest, without an API path such as "${path.slice(5)}". Use ${url.origin}/rest`,
		);
	} else {
		throw new MarketoEndpointError(
			`The REST API endpoint must end in /rest (got path "${path}"). ${WHERE}, e.g. ${EXAMPLE}`,
		);
	}
	const restUrl = `${url.origin}${restPath}`;

	const rawIdentity = typeof identityEndpoint === 'string' ? identityEndpoint.trim() : '';
	if (!rawIdentity) return { restUrl, identityUrl: `${url.origin}/identity` };
	const identity = parseUrl(rawIdentity, 'Identity endpoint');
	// Accept the endpoint with or without the token path Marketo's docs append to it.
	const identityPath = stripSlashes(identity.pathname).replace(/\/oauth\/token$/i, '');
	if (/\/rest$/i.test(identityPath)) {
		throw new MarketoEndpointError(
			`The Identity endpoint "${rawIdentity}" is the REST API endpoint. Leave Identity Endpoint empty to derive it, or paste the one ending in /identity`,
		);
	}
	return { restUrl, identityUrl: `${identity.origin}${identityPath}` };
}
