/**
 * Small helpers to write the demo's workflows the way they look in n8n: named nodes and
 * connections, run through n8n's own engine (dev/harness/engine.ts → WorkflowExecute).
 *
 * `demo.filter` stands in for n8n's Filter node (n8n-nodes-base is not a dependency of this
 * package): it keeps the items for which its `keep` expression is true, each paired with its input.
 */
import {
	type IConnections,
	type IDataObject,
	type IExecuteFunctions,
	type INodeCredentialsDetails,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { nodeTypes, PACKAGE_NAME, type WorkflowSpec } from '../harness/engine';

class DemoFilterNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Filter (demo)',
		name: 'filter',
		group: ['transform'],
		version: 1,
		description: "Keeps the items whose condition is true (a stand-in for n8n's Filter node)",
		defaults: { name: 'Filter' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Keep', name: 'keep', type: 'boolean', default: true }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const kept: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			if (this.getNodeParameter('keep', i, false) === true)
				kept.push({ json: items[i].json, pairedItem: { item: i } });
		}
		return [kept];
	}
}

let registered = false;
/** Adds the demo's stand-in nodes to the engine's node types (once). */
export function registerDemoNodes(): void {
	if (registered) return;
	nodeTypes().types.set('demo.filter', new DemoFilterNode());
	registered = true;
}

export interface DemoNode {
	name: string;
	/** 'marketo' | 'spotMe' (this package), 'items' (test source node) or 'filter' (demo stand-in) */
	type: 'marketo' | 'spotMe' | 'items' | 'filter';
	parameters?: IDataObject;
	credentials?: Record<string, INodeCredentialsDetails>;
	/** n8n's "On Error: Continue": failed items come out as error items that say why */
	continueOnFail?: boolean;
	/** n8n's "Execute Once" setting */
	executeOnce?: boolean;
}

const TYPE: Record<DemoNode['type'], string> = {
	marketo: `${PACKAGE_NAME}.marketo`,
	spotMe: `${PACKAGE_NAME}.spotMe`,
	items: 'test.items',
	filter: 'demo.filter',
};

/** Builds a workflow from nodes and `[from, to]` connections (main output 0 → main input 0). */
export function workflow(
	nodes: DemoNode[],
	edges: Array<[string, string]>,
	staticData?: IDataObject,
): WorkflowSpec {
	registerDemoNodes();
	const connections: IConnections = {};
	for (const [from, to] of edges) {
		if (!nodes.some((n) => n.name === from) || !nodes.some((n) => n.name === to)) {
			throw new Error(`Connection ${from} → ${to} names a node that is not in the workflow`);
		}
		connections[from] ??= { main: [[]] };
		connections[from].main[0]!.push({ node: to, type: 'main' as never, index: 0 });
	}
	return {
		staticData,
		connections,
		nodes: nodes.map((n, i) => ({
			name: n.name,
			type: TYPE[n.type],
			typeVersion: 1,
			position: [i * 220, 0] as [number, number],
			parameters: (n.parameters ?? {}) as never,
			credentials: n.credentials,
			...(n.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			...(n.executeOnce ? { executeOnce: true } : {}),
		})),
	};
}

/** A resource locator value by ID, as the editor stores it. */
export const byId = (value: string | number) => ({ __rl: true, mode: 'id', value: String(value) });
