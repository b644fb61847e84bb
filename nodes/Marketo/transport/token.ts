/**
 * One token refresh at a time per Marketo instance. With batches in flight in parallel, a token that
 * expires meets every call in flight with 602; each would force its own refresh. Instead a call that
 * needs a fresh token waits for a refresh in progress, and sends again without forcing another when a
 * refresh ended after it was sent (it just used the old token).
 */
import { CREDENTIAL_TYPE, type MarketoContext } from './settings';

const refreshes = new Map<
	string,
	{ endedAt: number; pending?: Promise<void>; refused?: boolean }
>();

/**
 * For a call refused 601/602 that was sent at `failedSentAt`: the function that ends the refresh this
 * call must force (call it once the call is answered, with whether Marketo refused the fresh token
 * too: 601 again), or undefined when a newer token is there, or 'refused' when a refresh forced after
 * this call was sent got a token Marketo refused as well: sending again cannot help, and the parallel
 * calls of a batch run do not each fetch a token and try once more (a persistent 601 stops the run once).
 */
export async function tokenRefreshFor(
	key: string,
	failedSentAt: number,
): Promise<((refusedAgain?: boolean) => void) | 'refused' | undefined> {
	for (;;) {
		const state = refreshes.get(key);
		if (state?.pending) {
			await state.pending;
			continue;
		}
		if (state && state.endedAt >= failedSentAt) return state.refused ? 'refused' : undefined;
		let end!: () => void;
		const pending = new Promise<void>((resolve) => (end = resolve));
		refreshes.set(key, { endedAt: state?.endedAt ?? 0, pending });
		let ended = false;
		return (refusedAgain = false) => {
			if (ended) return;
			ended = true;
			refreshes.set(key, { endedAt: Date.now(), refused: refusedAgain });
			end();
		};
	}
}

/**
 * The documented core path (httpRequestWithAuthentication) re-runs the credential's preAuthentication when
 * the expirable field is empty and persists the new token; handing it the stored data with an empty
 * `accessToken` forces exactly that.
 */
export async function freshTokenOptions(this: MarketoContext) {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const reference = this.getNode().credentials?.[CREDENTIAL_TYPE];
	return {
		credentialsDecrypted: {
			id: reference?.id ?? '',
			name: reference?.name ?? '',
			type: CREDENTIAL_TYPE,
			data: { ...credentials, accessToken: '' },
		},
	};
}
