/** Registers every non-lead handler module. */
import type { Router } from '../router';
import { registerMembers } from './members';
import { registerCustomObjects } from './customObjects';
import { registerAssets } from './assets';
import { registerActivities } from './activities';
import { registerMerge } from './merge';

export function registerAll(router: Router): void {
	registerMembers(router);
	registerCustomObjects(router);
	registerAssets(router);
	registerActivities(router);
	registerMerge(router);
}
