/** Registers every non-lead handler module. */
import type { Router } from '../router';

export function registerAll(_router: Router): void {}
