/**
 * Queue mode (issue 10), SpotMe side: each n8n process takes its share of the token's 3 requests/s
 * and burst as the credential declares, and 429s slow the lane and, when they persist, produce the
 * warning that names the credential's setting.
 */
import { emptyBucket, laneFor, takeToken } from '../../nodes/SpotMe/transport/pacing';
import { getSpotMeSettings } from '../../nodes/SpotMe/transport/settings';

function context(credentials: Record<string, unknown>) {
	return {
		getCredentials: async () => credentials,
		getNode: () => ({ name: 'SpotMe', credentials: { spotMeApi: { id: `c-${Math.random()}` } } }),
	} as never;
}

describe('SpotMe queue mode: one token pace across processes', () => {
	it("each process takes its declared share of the token's requests per second and burst", async () => {
		const one = await getSpotMeSettings.call(context({ apiToken: 't' }));
		expect(one).toMatchObject({ requestsPerSecond: 3, burst: 5, processes: 1 });
		const three = await getSpotMeSettings.call(context({ apiToken: 't', sharingProcesses: 3 }));
		expect(three).toMatchObject({ requestsPerSecond: 1, burst: 1, processes: 3 });
	});

	it('429s slow the lane down and, three within 10 s, say which credential setting is wrong', async () => {
		const settings = await getSpotMeSettings.call(
			context({ apiToken: 't', requestsPerSecond: 200, burst: 1, sharingProcesses: 2 }),
		);
		const lane = laneFor(settings);
		await takeToken(lane, settings);
		expect(lane.factor ?? 1).toBe(1);
		expect(emptyBucket(lane, settings)).toBeUndefined();
		expect(emptyBucket(lane, settings)).toBeUndefined();
		const advice = emptyBucket(lane, settings);
		expect(advice).toMatch(
			/429 three times within 10 s although this n8n process kept to 100.00 requests\/s \(the credential's pace shared by 2 processes\).*Processes Sharing This Token/,
		);
		// Three 429s: the lane runs at 0.7³ of its share (a quarter at the least).
		expect(lane.factor).toBeCloseTo(0.343, 3);
	});
});
