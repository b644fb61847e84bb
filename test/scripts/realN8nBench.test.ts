/**
 * The pieces of the real-n8n bench rows (dev/lib/bench/realN8n.ts) that run without n8n: the RSS
 * sampler reads a process and its children from /proc, and the peer workflow file is filled in with
 * the emulator's addresses, client and N (the rows themselves: `npm run bench -- --scenario real-n8n`).
 */
import { spawn, type ChildProcess } from 'child_process';

import { peerWorkflow, processTree, rssBytes, sampleRss } from '../../dev/lib/bench/realN8n';

describe('real-n8n bench: RSS from /proc', () => {
	let child: ChildProcess;
	afterEach(() => child?.kill('SIGKILL'));

	it("counts a child process's memory in its parent's tree", async () => {
		// A child that holds 200 MB resident, then says so.
		child = spawn(
			process.execPath,
			[
				'-e',
				"globalThis.b = Buffer.alloc(200 * 2 ** 20, 1); console.log('ready'); setInterval(() => {}, 1000);",
			],
			{ stdio: ['ignore', 'pipe', 'inherit'] },
		);
		await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
		expect(processTree(process.pid)).toContain(child.pid);
		expect(rssBytes(child.pid!)).toBeGreaterThan(200 * 2 ** 20);
		const sampler = sampleRss(process.pid, 20);
		await new Promise((r) => setTimeout(r, 100));
		const peak = sampler.stop();
		const own = Math.round(rssBytes(process.pid) / 2 ** 20);
		expect(peak.maxProcesses).toBeGreaterThanOrEqual(2);
		expect(peak.peakTotalMb).toBeGreaterThanOrEqual(own + 200);
		expect(peak.peakMainMb).toBeLessThan(peak.peakTotalMb - 150);
	});

	it('a process that is gone reads as 0', () => {
		expect(rssBytes(2 ** 22 + 17)).toBe(0);
	});
});

describe('real-n8n bench: the peer workflow file', () => {
	it('is filled in with the emulator and N, leaving no placeholder', () => {
		const wf = peerWorkflow(
			{
				identityUrl: 'http://127.0.0.1:1/identity',
				restUrl: 'http://127.0.0.1:1/rest',
				clientId: 'cid',
				clientSecret: 'csecret',
			},
			1234,
		);
		const text = JSON.stringify(wf);
		expect(text).not.toContain('REPLACE_WITH');
		const byName = Object.fromEntries(wf.nodes.map((n) => [n.name, n])) as Record<
			string,
			{ type: string; parameters: Record<string, unknown> }
		>;
		expect(byName['Marketo: Push Lead'].type).toBe('n8n-nodes-base.httpRequest');
		expect(byName['Marketo: Push Lead'].parameters.url).toBe(
			'http://127.0.0.1:1/rest/v1/leads.json',
		);
		expect(byName['Marketo: Get Token'].parameters.url).toBe(
			'http://127.0.0.1:1/identity/oauth/token',
		);
		expect(String(byName.Records.parameters.jsCode)).toContain('const n = 1234;');
		// One call per record: no batching option on the push.
		expect(byName['Marketo: Push Lead'].parameters.options).toEqual({});
	});
});
