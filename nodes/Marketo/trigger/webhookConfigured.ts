/**
 * Whether the workflow behind the trigger is configured: a bundled workflow ships with
 * placeholders (`REPLACE_WITH_…`) in its Settings node, and a delivery that reaches them fails
 * deep inside a node, which Marketo only sees as 500 "Error in workflow". The trigger reads the
 * nodes after it (n8n's getChildNodes) and refuses the delivery itself, naming the field to set.
 */
import type { IDataObject } from 'n8n-workflow';

const PLACEHOLDER = /REPLACE_WITH_[A-Z0-9_]+/;

export interface Placeholder {
	node: string;
	/** The Settings field's name (an Edit Fields assignment), else the parameter's path. */
	field: string;
	placeholder: string;
}

function walk(value: unknown, path: string, found: (field: string, text: string) => void): void {
	if (typeof value === 'string') {
		const m = PLACEHOLDER.exec(value);
		if (m) found(path, m[0]);
		return;
	}
	if (Array.isArray(value)) {
		value.forEach((v, i) => walk(v, `${path}[${i}]`, found));
		return;
	}
	if (value && typeof value === 'object') {
		const object = value as IDataObject;
		// An Edit Fields assignment: name the field, not the parameter path.
		if (typeof object.name === 'string' && 'value' in object) {
			const m = typeof object.value === 'string' ? PLACEHOLDER.exec(object.value) : null;
			if (m) found(object.name, m[0]);
			return;
		}
		for (const [key, v] of Object.entries(object)) walk(v, path ? `${path}.${key}` : key, found);
	}
}

/** The first placeholder left in an enabled node after the trigger, if any. */
export function firstPlaceholder(
	nodes: Array<{ name: string; disabled?: boolean; parameters?: IDataObject }>,
): Placeholder | undefined {
	for (const node of nodes) {
		if (node.disabled) continue;
		let hit: Placeholder | undefined;
		walk(node.parameters ?? {}, '', (field, placeholder) => {
			hit ??= { node: node.name, field, placeholder };
		});
		if (hit) return hit;
	}
	return undefined;
}

export function notConfiguredMessage(p: Placeholder): string {
	return `This workflow is not configured yet: in n8n, open the "${p.node}" node and set "${p.field}" (it still holds ${p.placeholder}), then save. Marketo's next Call Webhook will go through.`;
}
