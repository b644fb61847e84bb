/** Registers every non-lead handler module. */
import type { Router } from '../router';
import { registerMembers } from './members';

export function registerAll(router: Router): void {
	registerMembers(router);
}
