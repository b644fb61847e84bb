/** Minimal method + path-template router. Templates use `{name}` like the OpenAPI files. */
import type { Ctx, Reply } from './context';

export type Handler = (ctx: Ctx) => Reply | Promise<Reply>;

export interface RouteOptions {
	/** the POST body must be JSON (Lead Database writes) — other content types get 612 */
	json?: boolean;
	/** the handler spends the call's latency itself (between reading and writing) */
	ownLatency?: boolean;
}

interface Route {
	method: string;
	template: string;
	regex: RegExp;
	names: string[];
	handler: Handler;
	options: RouteOptions;
}

export function templateToRegex(template: string): { regex: RegExp; names: string[] } {
	const names: string[] = [];
	const src = template
		.split(/(\{[^}]+\})/)
		.map((part) => {
			const m = /^\{([^}]+)\}$/.exec(part);
			if (m) {
				names.push(m[1]);
				return '([^/]+?)';
			}
			return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		})
		.join('');
	return { regex: new RegExp(`^${src}$`), names };
}

export class Router {
	private routes: Route[] = [];

	add(method: string, template: string, handler: Handler, options: RouteOptions = {}): void {
		const { regex, names } = templateToRegex(template);
		this.routes.push({ method, template, regex, names, handler, options });
	}

	get(t: string, h: Handler, o?: RouteOptions): void {
		this.add('GET', t, h, o);
	}

	post(t: string, h: Handler, o?: RouteOptions): void {
		this.add('POST', t, h, o);
	}

	/** Literal templates win over parameterised ones (e.g. `program/byName.json` vs `program/{id}.json`). */
	match(
		method: string,
		path: string,
	): { route: Route; params: Record<string, string> } | { methodMismatch: true } | undefined {
		let pathMatched = false;
		const candidates = this.routes
			.map((r) => ({ r, m: r.regex.exec(path) }))
			.filter((x) => x.m)
			.sort((a, b) => a.r.names.length - b.r.names.length);
		for (const { r, m } of candidates) {
			pathMatched = true;
			if (r.method !== method) continue;
			const params: Record<string, string> = {};
			r.names.forEach((n, i) => (params[n] = decodeURIComponent(m![i + 1])));
			return { route: r, params };
		}
		return pathMatched ? { methodMismatch: true } : undefined;
	}
}
