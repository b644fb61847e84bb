/**
 * Per-item parameter reads that skip n8n's expression engine where the answer needs no engine.
 *
 * n8n 2.x evaluates every expression of every item in an isolate (isolated-vm): for a run of
 * 50 000 people with a few expressions per node, that is most of the run's time and nearly all of
 * the garbage that grows n8n's memory (bench row "n8n RSS for a 50 000-person push"). Three shapes
 * that only read data are answered here from the same data n8n would read, without the isolate:
 *
 * - `{{ $json.field }}` (also `$json.a.b`, `$json["field"]`): the item's own field;
 * - `{{ $('Node').first().json.field }}`: the same for every item, read once per node run;
 * - `{{ $('Node').item.json.field }}`: the item's paired item in that node, found by n8n's own
 *   paired-item lookup (`getWorkflowDataProxy`), so missing or ambiguous pairings fail as in n8n.
 *
 * Anything else (code, calls, string templates, `$input`, other nodes' `.all()` …) goes through
 * `getNodeParameter` exactly as before.
 */
import type { IExecuteFunctions, IGetNodeParameterOptions } from 'n8n-workflow';

type Path = string[];
type Shape =
	| { kind: 'json'; path: Path }
	| { kind: 'first'; node: string; path: Path }
	| { kind: 'item'; node: string; path: Path };

const IDENT = String.raw`[A-Za-z_$][\w$]*`;
const STEP = String.raw`(?:\.${IDENT}|\[\s*(?:'[^'\\]*'|"[^"\\]*")\s*\])`;
const PATH = `((?:${STEP})+)`;
const NODE = String.raw`\$\(\s*(?:'([^'\\]*)'|"([^"\\]*)")\s*\)`;
const JSON_RE = new RegExp(String.raw`^=\{\{\s*\$json${PATH}\s*\}\}$`);
const FIRST_RE = new RegExp(String.raw`^=\{\{\s*${NODE}\.first\(\)\.json${PATH}\s*\}\}$`);
const ITEM_RE = new RegExp(String.raw`^=\{\{\s*${NODE}\.item\.json${PATH}\s*\}\}$`);
const STEP_RE = new RegExp(String.raw`\.(${IDENT})|\[\s*(?:'([^'\\]*)'|"([^"\\]*)")\s*\]`, 'g');

function pathOf(text: string): Path {
	return [...text.matchAll(STEP_RE)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/** The shape of an expression this module answers itself, or undefined. */
export function shapeOf(raw: unknown): Shape | undefined {
	if (typeof raw !== 'string' || !raw.startsWith('={{')) return undefined;
	let m = JSON_RE.exec(raw);
	if (m) return { kind: 'json', path: pathOf(m[1]) };
	m = FIRST_RE.exec(raw);
	if (m) return { kind: 'first', node: m[1] ?? m[2], path: pathOf(m[3]) };
	m = ITEM_RE.exec(raw);
	if (m) return { kind: 'item', node: m[1] ?? m[2], path: pathOf(m[3]) };
	return undefined;
}

function walk(value: unknown, path: Path): unknown {
	let at = value;
	for (const key of path) {
		if (at === undefined || at === null) return undefined;
		at = (at as Record<string, unknown>)[key];
	}
	return at;
}

const NEEDS_ENGINE = Symbol('needs the expression engine');

/**
 * A reader of the node's parameters for many items: `read(name, i)` answers what
 * `this.getNodeParameter(name, i, fallback, options)` answers.
 */
export function parameterReader(ctx: IExecuteFunctions) {
	const firsts = new Map<string, unknown>();
	const answer = (raw: unknown, i: number): unknown => {
		const shape = shapeOf(raw);
		if (!shape) {
			if (typeof raw === 'string') return raw.startsWith('=') ? NEEDS_ENGINE : raw;
			if (raw === null || typeof raw !== 'object') return raw;
			if (Array.isArray(raw)) {
				const out: unknown[] = [];
				for (const v of raw) {
					const a = answer(v, i);
					if (a === NEEDS_ENGINE) return NEEDS_ENGINE;
					out.push(a);
				}
				return out;
			}
			const out: Record<string, unknown> = {};
			for (const [k, v] of Object.entries(raw)) {
				const a = answer(v, i);
				if (a === NEEDS_ENGINE) return NEEDS_ENGINE;
				out[k] = a;
			}
			return out;
		}
		if (shape.kind === 'json') {
			const items = ctx.getInputData();
			if (!items[i]) return NEEDS_ENGINE;
			return walk(items[i].json, shape.path);
		}
		if (shape.kind === 'first') {
			const key = String(raw);
			if (!firsts.has(key)) {
				const first = ctx.getWorkflowDataProxy(0).$(shape.node).first() as
					| { json?: unknown }
					| undefined;
				firsts.set(key, walk(first?.json, shape.path));
			}
			return firsts.get(key);
		}
		const paired = ctx.getWorkflowDataProxy(i).$(shape.node).item as { json?: unknown } | undefined;
		return walk(paired?.json, shape.path);
	};
	return function read(
		name: string,
		i: number,
		fallback?: unknown,
		options?: IGetNodeParameterOptions,
	): unknown {
		if (!options?.ensureType && !options?.contextNode) {
			const raw = ctx.getNodeParameter(name, i, fallback, { rawExpressions: true }) as unknown;
			const locator =
				raw !== null && typeof raw === 'object' && (raw as { __rl?: unknown }).__rl === true
					? (raw as { mode?: unknown; value?: unknown })
					: undefined;
			// A resource locator's URL mode may extract its value with a regex: n8n's to do.
			if (locator?.mode !== 'url' && (!options?.extractValue || locator)) {
				let fast: unknown = NEEDS_ENGINE;
				try {
					fast = answer(locator && options?.extractValue ? locator.value : raw, i);
				} catch {
					fast = NEEDS_ENGINE; // n8n's own evaluation says what went wrong
				}
				if (fast !== NEEDS_ENGINE) return fast;
			}
		}
		return ctx.getNodeParameter(name, i, fallback, options);
	};
}

const readers = new WeakMap<IExecuteFunctions, ReturnType<typeof parameterReader>>();

/**
 * `ctx.getNodeParameter(name, i, fallback, options)`, answered without n8n's expression engine for
 * the shapes above (one reader per node execution, so `$('Node').first()` is read once per run).
 */
export function nodeParameter(
	ctx: IExecuteFunctions,
	name: string,
	i: number,
	fallback?: unknown,
	options?: IGetNodeParameterOptions,
): unknown {
	let read = readers.get(ctx);
	if (!read) {
		read = parameterReader(ctx);
		readers.set(ctx, read);
	}
	return read(name, i, fallback, options);
}
