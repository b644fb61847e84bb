import { runWorkflow, TestCredentialsHelper } from '../../dev/harness/engine';

describe('the in-process engine harness', () => {
	it('runs a two-node workflow through WorkflowExecute and passes items along', async () => {
		const result = await runWorkflow(
			{
				nodes: [
					{
						name: 'A',
						type: 'test.items',
						parameters: { items: JSON.stringify([{ a: 1 }, { a: 2 }]) },
					},
					{
						name: 'B',
						type: 'test.items',
						parameters: { items: '={{ JSON.stringify([{ b: $json.a }]) }}' },
					},
				],
				connections: { A: { main: [[{ node: 'B', type: 'main' as never, index: 0 }]] } },
			},
			new TestCredentialsHelper(new Map()),
		);
		expect(result.error).toBeUndefined();
		expect(result.output('A').map((i) => i.json)).toEqual([{ a: 1 }, { a: 2 }]);
		expect(result.output('B').map((i) => i.json)).toEqual([{ b: 1 }]);
	});
});
