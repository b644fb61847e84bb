/** One row of bench/results.json, for every scenario (in-process and real-n8n benchmarks). */
export interface ResultRow {
	scenario: string;
	n: number;
	marketoCalls: number | null;
	/** ceil(N / 300) per write step plus the lookups the scenario needs */
	marketoFloor: number | null;
	spotmeCalls: number | null;
	wallS: number | null;
	/** the rate-limit floor at the run's time scale (real seconds) */
	wallFloorS: number | null;
	/** Marketo's processing latency per call, in Marketo time (the emulator waits latency × time scale) */
	latencyMs: number;
	timeScale: number;
	lost: number | null;
	duplicates: number | null;
	refused606: number | null;
	refused615: number | null;
	peakRssMb: number | null;
	target: string | null;
	met: boolean | null;
	/** lead push: the whole workflow's wall time (wallS is the Marketo node's run within it) */
	workflowWallS?: number;
	/** the machine's 1-minute load average when the row was measured */
	loadAverage?: number;
	/** why the target is not met or not measured, when it is not */
	reason?: string;
	note?: string;
}
