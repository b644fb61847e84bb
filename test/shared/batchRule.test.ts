/**
 * The kit's batch rule with `concurrency`: batches go out up to N at once, results stay aligned with
 * the input whatever order the answers come in, every batch is sent, and a fatal failure stops new
 * batches and reports each unsent record.
 */
import { sendInBatches, type BatchRule } from '../../nodes/shared/kit/batch';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function rule(
	send: (batch: number[]) => Promise<string[]>,
	extra: Partial<BatchRule<number, string>> = {},
): BatchRule<number, string> {
	return {
		size: 10,
		send,
		failed: (r) => `failed ${r}`,
		unsent: (r) => `unsent ${r}`,
		isFatal: (e) => (e as Error).message === 'fatal',
		...extra,
	};
}

describe('kit: sendInBatches with concurrency', () => {
	const records = Array.from({ length: 100 }, (_, i) => i);

	it('runs up to `concurrency` batches at once and keeps results in input order', async () => {
		let inFlight = 0;
		let most = 0;
		const out = await sendInBatches(
			records,
			rule(
				async (batch) => {
					inFlight++;
					most = Math.max(most, inFlight);
					// later batches answer first
					await wait(50 - batch[0] / 4);
					inFlight--;
					return batch.map((r) => `ok ${r}`);
				},
				{ concurrency: 4 },
			),
		);
		expect(most).toBe(4);
		expect(out).toEqual(records.map((r) => `ok ${r}`));
	});

	it('`firstAlone` holds the other batches until the first answers, or with `until` until that resolves', async () => {
		const started = async (firstAlone: BatchRule<number, string>['firstAlone']) => {
			const events: string[] = [];
			let release!: () => void;
			const ready = new Promise<void>((r) => (release = r));
			const until = firstAlone === undefined ? undefined : { until: ready };
			const out = await sendInBatches(
				records.slice(0, 30),
				rule(
					async (batch) => {
						events.push(`start ${batch[0]}`);
						// the first batch lets the others go (its "token") and answers only when they have begun
						if (batch[0] === 0) {
							release();
							while (until && events.length < 3) await wait(1);
						}
						await wait(1);
						events.push(`end ${batch[0]}`);
						return batch.map((r) => `ok ${r}`);
					},
					{ concurrency: 3, firstAlone: until ?? true },
				),
			);
			expect(out).toEqual(records.slice(0, 30).map((r) => `ok ${r}`));
			return events;
		};
		// plain firstAlone: nothing starts before the first batch has answered
		expect((await started(undefined)).slice(0, 2)).toEqual(['start 0', 'end 0']);
		// with `until`: the other batches start while the first is still in flight
		expect((await started(true)).slice(0, 3)).toEqual(['start 0', 'start 10', 'start 20']);
	});

	it('without `concurrency` sends one batch at a time', async () => {
		let inFlight = 0;
		let most = 0;
		await sendInBatches(
			records,
			rule(async (batch) => {
				inFlight++;
				most = Math.max(most, inFlight);
				await wait(2);
				inFlight--;
				return batch.map(String);
			}),
		);
		expect(most).toBe(1);
	});

	it('a batch failure fails only its records; a fatal one starts no new batch and reports the rest unsent', async () => {
		const started: number[] = [];
		const out = await sendInBatches(
			records,
			rule(
				async (batch) => {
					started.push(batch[0]);
					await wait(5);
					if (batch[0] === 10) throw new Error('one batch');
					if (batch[0] === 40) throw new Error('fatal');
					return batch.map((r) => `ok ${r}`);
				},
				{ concurrency: 3 },
			),
		);
		expect(out.slice(10, 20)).toEqual(records.slice(10, 20).map((r) => `failed ${r}`));
		expect(out.slice(40, 50)).toEqual(records.slice(40, 50).map((r) => `failed ${r}`));
		// batches already in flight when the fatal failure came answer normally
		for (const b of started.filter((b) => b !== 10 && b !== 40)) expect(out[b]).toBe(`ok ${b}`);
		const unsent = out.filter((r) => r.startsWith('unsent'));
		expect(unsent.length).toBe(100 - started.length * 10);
		expect(unsent.length).toBeGreaterThan(0);
		expect(out.every((r) => r !== undefined)).toBe(true);
	});
});
