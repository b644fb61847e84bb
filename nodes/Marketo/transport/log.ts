/**
 * n8n's logger for the transport's waits (retries, 606/615 back-offs, token refreshes, lost answers),
 * so a user can see why a run took long. Lines name the path and the code, never a token or secret.
 */
import type { Logger } from 'n8n-workflow';

export function logger(context: unknown): Logger | undefined {
	const found = (context as { logger?: Logger } | undefined)?.logger;
	return found && typeof found.info === 'function' ? found : undefined;
}
