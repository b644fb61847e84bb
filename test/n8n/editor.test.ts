/// <reference lib="dom" />
/**
 * The editor as a marketing-ops user sees it: Debian's chromium (/usr/bin/chromium, installed by
 * .ci/run; never a browser downloaded by Playwright) driven by playwright-core against a real n8n
 * (dev/n8n/harness.ts, this package installed from its tarball) and the Marketo and SpotMe
 * emulators. One n8n process and one browser for the whole file.
 *
 * Screenshots of every step go to test/n8n/artifacts/ (git-ignored); with
 * N8N_UPDATE_DOCS_SCREENSHOTS=1 the ones the README shows are copied to docs/screenshots/.
 *
 * Found on n8n 2.40.7: the editor's test ids are `data-test-id`; a credential is tested when it is
 * saved; importing a workflow picks the most recently created credential of each type for its nodes
 * (so the bad credentials are created first); a notice keeps only links and lists of its HTML, a
 * callout keeps bold text and code blocks.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { chromium, selectors, type Browser, type Page } from 'playwright-core';

import type { INodeProperties } from 'n8n-workflow';

import { SpotMe } from '../../nodes/SpotMe/SpotMe.node';
import { startMarketoEmulator, type MarketoEmulator } from '../../dev/emulators/marketo';
import { startSpotMeEmulator, type SpotMeEmulator } from '../../dev/emulators/spotme';
import { eventDayAttendance, marketoSeed, spotMeSeed, SUMMIT_PROGRAM_ID } from '../../dev/lib/seed';
import {
	FIRST_START_TIMEOUT_MS,
	newId,
	PACKAGE_NAME,
	ROOT,
	startN8n,
	type N8nInstance,
	type WorkflowJson,
} from '../../dev/n8n/harness';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test', 'n8n', 'artifacts');
const DOCS_SHOTS = join(ROOT, 'docs', 'screenshots');
const MARKETO_SECRET = 'editor-test-marketo-secret-5b1e';
const SPOTME_TOKEN = 'editor-test-spotme-token-93c7';
const README = 'https://github.com/n8n-nodes-marketo-spotme/n8n-nodes-marketo-spotme';

let n8n: N8nInstance;
let marketo: MarketoEmulator;
let spotme: SpotMeEmulator;
let browser: Browser;
let page: Page;
/** Page loads so far: moving around the editor goes through its router, not a page load. */
let pageLoads = 0;

/**
 * Moves the editor to `path` with its own router (vue-router, as a click on a link does): no page
 * load, which costs up to a minute of script parsing on a loaded 2-core machine. The first visit
 * (no editor yet) loads the page.
 */
async function openInEditor(path: string): Promise<void> {
	const routed = await page
		.evaluate(async (to) => {
			const app = (
				document.querySelector('#app') as
					| (Element & {
							__vue_app__?: {
								config: { globalProperties: { $router?: { push(p: string): Promise<unknown> } } };
							};
					  })
					| null
			)?.__vue_app__;
			const router = app?.config.globalProperties.$router;
			if (!router) return false;
			await router.push(to);
			return true;
		}, path)
		.catch(() => false);
	if (!routed) await page.goto(`${n8n.baseUrl}${path}`);
}

/** Closes the node panel (Escape, or its close button). */
async function closeNdv(): Promise<void> {
	await page.keyboard.press('Escape');
	await page
		.getByTestId('ndv')
		.waitFor({ state: 'hidden', timeout: 10_000 })
		.catch(async () => await page.getByTestId('ndv-close-button').click());
}

/** Workflows imported through the editor: file → the id it was saved under. */
const imported = new Map<string, string>();

/** Screenshots the README shows: artifact name → its name in docs/screenshots/. */
const README_SHOTS: Record<string, string> = {
	'02-marketo-credential-wrong-secret': 'marketo-credential-wrong-secret',
	'30-picker-Apply-Attendance-Criteria': 'apply-attendance-criteria',
	'30-picker-Attendance-Records': 'custom-object-field-mapper',
	'32-lead-mapper': 'lead-field-mapper',
	'31-activity-trigger-programs': 'activity-trigger-programs',
	'40-run-set-up-marketo-for-spotme': 'run-from-editor',
};

async function shot(name: string, docs = false): Promise<void> {
	const file = join(ARTIFACTS, `${name}.png`);
	await page.screenshot({ path: file });
	const docsName = README_SHOTS[name] ?? (docs ? name : undefined);
	if (docsName && process.env.N8N_UPDATE_DOCS_SCREENSHOTS === '1') {
		mkdirSync(DOCS_SHOTS, { recursive: true });
		copyFileSync(file, join(DOCS_SHOTS, `${docsName}.png`));
	}
}

beforeAll(async () => {
	if (!existsSync(CHROMIUM))
		throw new Error(
			`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does`,
		);
	mkdirSync(ARTIFACTS, { recursive: true });
	selectors.setTestIdAttribute('data-test-id');
	marketo = await startMarketoEmulator({ clientSecret: MARKETO_SECRET, seed: marketoSeed() });
	spotme = await startSpotMeEmulator({
		timeScale: 0.01,
		tokens: [SPOTME_TOKEN],
		seed: { ...spotMeSeed(), docs: eventDayAttendance() },
	});
	// The start runs every migration of a fresh database: minutes when the cores are busy.
	n8n = await startN8n({ startTimeoutMs: 600_000 });
	browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	page = await context.newPage();
	page.on('load', () => pageLoads++);
	// 2 cores shared by several test runs: the editor's first load alone can take half a minute.
	page.setDefaultTimeout(90_000);
	page.setDefaultNavigationTimeout(120_000);
}, FIRST_START_TIMEOUT_MS);

afterAll(async () => {
	await browser?.close();
	await n8n?.stop();
	await marketo?.stop();
	await spotme?.stop();
}, 60_000);

describe('the n8n editor with this package (browser)', () => {
	it('signs in as the owner', async () => {
		await page.goto(`${n8n.baseUrl}/signin`);
		await page.getByLabel('Email').fill(n8n.owner.email);
		await page.getByLabel('Password').fill(n8n.owner.password);
		await page.getByRole('button', { name: /sign in/i }).click();
		await page.waitForURL(/\/home\//);
		await shot('01-signed-in');
	}, 180_000);

	/** Creates a credential in the editor's dialog; saving tests it. Returns the dialog's verdict. */
	async function createCredential(
		typeName: string,
		fields: Record<string, string>,
		screenshot: string,
	): Promise<{ ok: boolean; text: string; docs: string | null }> {
		await openInEditor('/home/credentials/create');
		const typeSelect = page.getByTestId('new-credential-type-select').locator('input');
		// On busy cores the editor can still be loading its stores when routed (seen in CI: the
		// dialog never opened): load the page itself then.
		await typeSelect.waitFor({ timeout: 30_000 }).catch(async () => {
			await page.goto(`${n8n.baseUrl}/home/credentials/create`);
			await typeSelect.waitFor({ timeout: 120_000 });
		});
		await typeSelect.fill(typeName);
		await page
			.getByTestId('new-credential-type-select-option')
			.filter({ hasText: typeName })
			.first()
			.click();
		await page.getByTestId('new-credential-type-button').click();
		const dialog = page.getByTestId('credential-edit-dialog');
		await dialog.waitFor();
		const docs = await dialog.getByRole('link', { name: 'docs' }).getAttribute('href');
		for (const [label, value] of Object.entries(fields))
			await dialog
				.getByTestId('credential-connection-parameter')
				.filter({ hasText: label })
				.locator('input')
				.first()
				.fill(value);
		await page.getByTestId('credential-save-button').click();
		const ok = dialog.getByTestId('credentials-config-container-test-success');
		const failed = dialog.getByText(/Couldn.t connect with these settings/);
		await ok.or(failed).first().waitFor({ timeout: 90_000 });
		const passed = await ok.isVisible();
		if (!passed) await dialog.getByText('More details').click();
		await shot(screenshot);
		const text = passed ? await ok.innerText() : await dialog.innerText();
		await page.locator('.el-dialog__headerbtn').first().click();
		await dialog.waitFor({ state: 'hidden' });
		return { ok: passed, text, docs };
	}

	it('creates both credentials; their tests fail in plain words when wrong and pass when right', async () => {
		// The bad ones first: importing a workflow picks the newest credential of each type.
		const marketoFields = (secret: string) => ({
			'REST API Endpoint': marketo.restUrl,
			'Client ID': marketo.clientId,
			'Client Secret': secret,
		});
		const spotmeFields = (token: string) => ({
			'API Token': token,
			'API Base URL': spotme.apiUrl,
			'Organization ID': 'org-demo',
		});
		const marketoBad = await createCredential(
			'Marketo API',
			marketoFields('wrong-secret'),
			'02-marketo-credential-wrong-secret',
		);
		expect(marketoBad.ok).toBe(false);
		expect(marketoBad.text).toContain('Marketo rejected the Client ID or Client Secret');
		const spotmeBad = await createCredential(
			'SpotMe API',
			spotmeFields('revoked-token'),
			'03-spotme-credential-bad-token',
		);
		expect(spotmeBad.ok).toBe(false);
		expect(spotmeBad.text).toContain('SpotMe rejected the API token');
		expect(spotmeBad.docs).toBe(`${README}#spotme-credential`);

		const marketoGood = await createCredential(
			'Marketo API',
			marketoFields(MARKETO_SECRET),
			'04-marketo-credential-ok',
		);
		expect(marketoGood).toMatchObject({
			ok: true,
			text: expect.stringMatching(/tested successfully/),
		});
		const spotmeGood = await createCredential(
			'SpotMe API',
			spotmeFields(SPOTME_TOKEN),
			'05-spotme-credential-ok',
		);
		expect(spotmeGood).toMatchObject({
			ok: true,
			text: expect.stringMatching(/tested successfully/),
		});
	}, 600_000);

	it('node panel: "marketing" and "Adobe" find the nodes, the Marketo entry describes the node, triggers keep their names', async () => {
		await openInEditor('/workflow/new');
		await page.getByTestId('canvas-add-button').click();
		const search = page.getByTestId('node-creator-search-bar');
		/** The entries listed once the search shows `expected` (or 20 s passed, then the check fails). */
		const names = async (expected: string[]) => {
			await page
				.waitForFunction(
					(want) => {
						const shown = Array.from(
							document.querySelectorAll('[data-test-id="node-creator-item-name"]'),
						).map((e) => (e as HTMLElement).innerText.trim());
						return want.every((w) => shown.includes(w));
					},
					expected,
					{ timeout: 20_000 },
				)
				.catch(() => undefined);
			return await page.getByTestId('node-creator-item-name').allInnerTexts();
		};
		await search.fill('marketing');
		expect(await names(['Marketo', 'SpotMe'])).toEqual(
			expect.arrayContaining(['Marketo', 'SpotMe']),
		);
		await search.fill('Adobe');
		expect(await names(['Marketo'])).toEqual(expect.arrayContaining(['Marketo']));
		await search.fill('Marketo');
		const listed = await names(['Marketo', 'Marketo Activity Trigger']);
		// The Marketo Trigger is listed inside the "Marketo" entry; the polling trigger by its full name.
		expect(listed).toEqual(expect.arrayContaining(['Marketo', 'Marketo Activity Trigger']));
		const descriptions = await page.getByTestId('node-creator-item-description').allInnerTexts();
		expect(descriptions[listed.indexOf('Marketo')]).toBe(
			'Create and update leads, program members and more in Adobe Marketo Engage',
		);
		await page.getByTestId('node-creator-item-name').getByText('Marketo', { exact: true }).click();
		await page.getByTestId('node-creator-action-item').first().waitFor();
		await shot('node-panel-marketo', true);
		await page.keyboard.press('Escape');
	}, 300_000);

	const files = readdirSync(join(ROOT, 'workflows'))
		.filter((f) => f.endsWith('.json'))
		.sort();
	const readWorkflow = (file: string) =>
		JSON.parse(readFileSync(join(ROOT, 'workflows', file), 'utf8')) as WorkflowJson;
	/** Node types drawn on the canvas (sticky notes are drawn apart from the nodes). */
	const canvasTypes = (wf: { nodes: Array<Record<string, unknown>> }) =>
		wf.nodes.map((n) => String(n.type)).filter((t) => t !== 'n8n-nodes-base.stickyNote');

	/**
	 * Pastes a workflow's JSON onto a new canvas, as a user pasting it from the README or a file,
	 * and saves it (Ctrl+S). The editor moves with its own router: no page load per workflow, which
	 * on a loaded 2-core machine is what made each import take minutes. Returns the saved
	 * workflow's id once n8n stored all its nodes.
	 */
	async function pasteAsNewWorkflow(wf: {
		nodes: Array<Record<string, unknown>>;
		[key: string]: unknown;
	}): Promise<string> {
		await openInEditor('/workflow/new');
		await page.waitForURL(/[?&]new=true/);
		await page.getByTestId('canvas-add-button').waitFor();
		const expected = canvasTypes(wf).length;
		await page.evaluate((text) => {
			const data = new DataTransfer();
			data.setData('text/plain', text);
			document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
		}, JSON.stringify(wf));
		await page.waitForFunction(
			(n) =>
				document.querySelectorAll(
					'[data-test-id="canvas-node"]:not([data-node-type="n8n-nodes-base.stickyNote"])',
				).length >= n,
			expected,
		);
		await page.keyboard.press('Control+s');
		// A new workflow's URL carries ?new=true until it is saved.
		await page.waitForURL((url) => !url.searchParams.has('new'));
		const id = /\/workflow\/([^/?]+)/.exec(page.url())![1];
		const saved = await n8n.rest<{ nodes: unknown[] }>('GET', `/rest/workflows/${id}`);
		expect(saved.nodes.length).toBe(wf.nodes.length);
		return id;
	}

	it('imports every bundled workflow by pasting it onto the canvas, without a page load; every node type is known', async () => {
		expect(files.length).toBeGreaterThanOrEqual(5);
		const loadsBefore = pageLoads;
		for (const file of files) {
			const wf = readWorkflow(file);
			const id = await pasteAsNewWorkflow(wf);
			imported.set(file, id);
			const types = await page
				.getByTestId('canvas-node')
				.evaluateAll((els) => els.map((e) => e.getAttribute('data-node-type') ?? ''));
			expect({
				file,
				types: types.filter((t) => t !== 'n8n-nodes-base.stickyNote').sort(),
			}).toEqual({ file, types: canvasTypes(wf).sort() });
			// A node type n8n does not know is drawn with a question mark and this class.
			expect(await page.locator('[data-test-id="canvas-node"] [class*="unknown"]').count()).toBe(0);
			await shot(`10-workflow-${file.replace(/\.json$/, '')}`);
		}
		expect(pageLoads).toBe(loadsBefore);
	}, 300_000);

	/** Opens a workflow saved in this n8n, through the editor's router. */
	async function openWorkflow(id: string): Promise<void> {
		await openInEditor(`/workflow/${id}`);
		await page.getByTestId('canvas-node').first().waitFor();
	}

	/**
	 * Labels of the open node panel cut off with an ellipsis (n8n truncates a parameter label that
	 * does not fit its row).
	 */
	async function cutOffLabels(): Promise<string[]> {
		return await page.getByTestId('ndv').evaluate((root) => {
			const cut: string[] = [];
			for (const el of Array.from(root.querySelectorAll('label *, label'))) {
				const e = el as HTMLElement;
				if (!e.offsetParent || !e.innerText?.trim()) continue;
				const style = getComputedStyle(e);
				if (style.textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1)
					cut.push(e.innerText.trim());
			}
			return [...new Set(cut)];
		});
	}

	/**
	 * Opens a node's panel and checks what it shows: every "From list" picker lists entries from the
	 * emulators, every field mapper lists fields, no label is cut off, and no picker or list reports
	 * an error. Waits on the editor's own test ids, never on a fixed time.
	 */
	/**
	 * Labels of the open field mapper whose text does not fit its box, however n8n clips it (an
	 * ellipsis or hidden overflow): the label's text and how wide it is against its box.
	 */
	async function clippedMapperLabels(): Promise<string[]> {
		return await page
			.getByTestId('resource-mapper-container')
			.first()
			.evaluate((root) => {
				const clipped: string[] = [];
				for (const el of Array.from(root.querySelectorAll('label, label *'))) {
					const e = el as HTMLElement;
					if (!e.offsetParent || !e.innerText?.trim()) continue;
					const style = getComputedStyle(e);
					const clips = style.textOverflow === 'ellipsis' || /hidden|clip/.test(style.overflowX);
					if (clips && e.scrollWidth > e.clientWidth + 1)
						clipped.push(`${e.innerText.trim()} (${e.scrollWidth} > ${e.clientWidth} px)`);
				}
				return [...new Set(clipped)];
			});
	}
	let leadMapperClipped: string[] | undefined;

	/** What checkNode found wrong: a node, the errors it shows, its labels cut off. */
	const problems: Array<{ name: string; errors: string[] | null; cutOff: string[] }> = [];
	/** The "From list" pickers checkNode opened: node › picker index. */
	const pickersOpened: string[] = [];

	async function checkNode(name: string, screenshot: string): Promise<string> {
		try {
			return await checkNodeSteps(name, screenshot);
		} catch (error) {
			await shot(`failed-${screenshot}`).catch(() => undefined);
			throw error;
		}
	}

	async function checkNodeSteps(name: string, screenshot: string): Promise<string> {
		await page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).dblclick();
		const ndv = page.getByTestId('ndv');
		await ndv.waitFor();
		await ndv.getByTestId('node-parameters').first().waitFor();
		// "From list" pickers: open each and expect entries (or the picker's error, which fails).
		const containers = ndv.getByTestId('rlc-input-container');
		for (let i = 0; i < (await containers.count()); i++) {
			const container = containers.nth(i);
			// The mode selector sits beside the input container, in the picker's own element; it is
			// a select whose chosen mode is the value of its input. In "From list" mode the input is
			// read-only and opens the list when clicked. Counted first: a locator that matches
			// nothing would wait the whole default timeout.
			const picker = container.locator('xpath=..');
			const selector = picker.getByTestId('rlc-mode-selector');
			const mode = (await selector.count())
				? await selector.first().evaluate((el) => {
						const input = el instanceof HTMLInputElement ? el : el.querySelector('input');
						return input?.value || (el as HTMLElement).innerText || '';
					})
				: '';
			const input = container.getByTestId('rlc-input');
			if (!/list/i.test(mode) || !(await input.count()) || (await input.first().isDisabled()))
				continue;
			await input.first().click();
			pickersOpened.push(`${name} #${i}`);
			const entry = page.locator('[data-test-id="rlc-item"]:visible');
			const error = page.locator('[data-test-id="rlc-error-container"]:visible');
			await entry.or(error).first().waitFor({ timeout: 60_000 });
			expect({
				name,
				picker: i,
				error: await error.count(),
				entries: (await entry.count()) > 0,
			}).toEqual({
				name,
				picker: i,
				error: 0,
				entries: true,
			});
			await page.keyboard.press('Escape');
		}
		// Field mappers: fields listed once their object is known.
		const mappers = ndv.getByTestId('resource-mapper-container');
		for (let i = 0; i < (await mappers.count()); i++) {
			const fields = mappers.nth(i).getByTestId('mapping-fields-container');
			await fields.waitFor({ timeout: 60_000 });
			await fields.locator('[data-test-id^="parameter-input-"]').first().waitFor();
		}
		// Dropdowns that load their options from the service: done loading.
		await page.waitForFunction(
			() =>
				!/Loading options/i.test(document.querySelector('[data-test-id="ndv"]')?.textContent ?? ''),
		);
		const text = await ndv.innerText();
		// Collected, so one run names every node that shows a problem; each test asserts none.
		const errors = text.match(/Error fetching options|No fields found|Could not load|ERROR:/g);
		const cutOff = await cutOffLabels();
		if (errors || cutOff.length) problems.push({ name, errors, cutOff });
		if (name === 'Lead Fields') leadMapperClipped = await clippedMapperLabels();
		await shot(screenshot);
		await closeNdv();
		return text;
	}

	it('opens every node of the package in the bundled workflows: pickers and mappers fill, no label cut off, no errors', async () => {
		for (const file of files) {
			await openWorkflow(imported.get(file)!);
			const nodes = await page
				.locator(`[data-test-id="canvas-node"][data-node-type^="${PACKAGE_NAME}."]`)
				.evaluateAll((els) => els.map((e) => e.getAttribute('data-node-name')!));
			expect({ file, nodes: nodes.length > 0 }).toEqual({ file, nodes: true });
			for (const [i, name] of nodes.entries())
				await checkNode(name, `20-${file.replace(/\.json$/, '')}-${i + 1}`);
		}
		expect(problems.splice(0)).toEqual([]);
	}, 600_000);

	/** An operation's Options collection with every option set to its default. */
	function everyOption(
		node: 'spotMe',
		resource: string,
		operation: string,
	): Record<string, unknown> {
		const options = new SpotMe().description.properties.find(
			(p) =>
				p.name === 'options' &&
				p.displayOptions?.show?.resource?.includes(resource) &&
				p.displayOptions?.show?.operation?.includes(operation),
		);
		expect({ node, operation, options: options?.type }).toEqual({
			node,
			operation,
			options: 'collection',
		});
		return Object.fromEntries(
			((options!.options ?? []) as INodeProperties[]).map((o) => [o.name, o.default]),
		);
	}

	it('opens each node type with its pickers in "From list" mode: programs, workspaces, custom objects and their fields fill; Apply Attendance Criteria shows no "Now" and a Workspace picker; Map Attendance to Statuses lists the program\'s channel statuses', async () => {
		// The newest credential of each type: the good ones, created last.
		const saved = await n8n.rest<
			Array<{ id: string; name: string; type: string; createdAt: string }>
		>('GET', '/rest/credentials');
		const newest = (type: string) =>
			saved
				.filter((c) => c.type === type)
				.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
		const node = (name: string, type: string, parameters: Record<string, unknown>, x: number) => {
			const credential = newest(type === 'spotMe' ? 'spotMeApi' : 'marketoApi');
			return {
				id: newId(),
				name,
				type: `${PACKAGE_NAME}.${type}`,
				typeVersion: 1,
				position: [x, 0],
				parameters,
				credentials: {
					[credential.type]: { id: credential.id, name: credential.name },
				},
			};
		};
		const list = { __rl: true, mode: 'list', value: '' };
		const wf = {
			name: 'Pickers',
			nodes: [
				node(
					'Program Members',
					'marketo',
					{ resource: 'programMember', operation: 'getAll', programId: list },
					0,
				),
				node(
					'People',
					'spotMe',
					{ resource: 'person', operation: 'upsert', workspaceId: list },
					250,
				),
				node(
					'Custom Object Not Chosen',
					'marketo',
					{ resource: 'customObject', operation: 'upsert' },
					500,
				),
				node(
					'Attendance Records',
					'marketo',
					{ resource: 'customObject', operation: 'upsert', customObjectName: 'spotMeAttendance_c' },
					750,
				),
				node(
					'Event Attendance Records',
					'marketo',
					{
						resource: 'customObject',
						operation: 'upsert',
						customObjectName: 'spotMeEventAttendance_c',
					},
					1000,
				),
				node(
					'Apply Attendance Criteria',
					'spotMe',
					{
						resource: 'attendance',
						operation: 'computeStatus',
						// Every option added, so each of their labels is on screen.
						options: { ...everyOption('spotMe', 'attendance', 'computeStatus'), workspaceId: list },
					},
					1250,
				),
				node(
					'Status Mapping',
					'marketo',
					{
						resource: 'program',
						operation: 'mapAttendanceStatuses',
						programId: {
							__rl: true,
							mode: 'list',
							value: String(SUMMIT_PROGRAM_ID),
							cachedResultName: 'Customer Summit 2026',
						},
						attended: 'Attended',
					},
					2000,
				),
				node('Activity Trigger', 'marketoActivityTrigger', { event: 'programStatusChanged' }, 1500),
				node('New Leads', 'marketoActivityTrigger', { event: 'newLead' }, 1750),
			],
			connections: {},
		};
		await pasteAsNewWorkflow(wf);
		pickersOpened.splice(0);
		for (const n of wf.nodes) {
			const text = await checkNode(n.name, `30-picker-${n.name.replace(/\W+/g, '-')}`);
			if (n.name === 'Custom Object Not Chosen')
				// No field mapper (and no red "No fields found") before a custom object is chosen.
				expect(text).not.toMatch(/No fields found|Values to Send/);
			if (n.name === 'Apply Attendance Criteria')
				// "Now" is for tests and replays only; the fallback workspace is a picker (checked above).
				expect(text.split('\n').map((l) => l.trim())).not.toContain('Now');
		}
		// Every "From list" picker of the workflow was opened (and listed entries).
		expect(pickersOpened).toEqual(
			expect.arrayContaining([
				'Program Members #0',
				'People #0',
				expect.stringMatching(/^Apply Attendance Criteria #/),
			]),
		);
		// The Activity Trigger's program filter is a dropdown of the instance's programs.
		await page
			.locator(`[data-test-id="canvas-node"][data-node-name="Activity Trigger"]`)
			.dblclick();
		await page.getByTestId('parameter-input-programIds').click();
		const program = page
			.locator('.el-select-dropdown__item:visible')
			.filter({ hasText: 'Customer Summit 2026' });
		await program.first().waitFor();
		await shot('31-activity-trigger-programs');
		await page.keyboard.press('Escape');
		await closeNdv();
		// Program › Map Attendance to Statuses: with the program picked, each SpotMe outcome's dropdown
		// lists Leave Unchanged and the statuses of that program's channel (read from Marketo).
		await page.locator(`[data-test-id="canvas-node"][data-node-name="Status Mapping"]`).dblclick();
		await page.waitForFunction(
			() =>
				!/Loading options/i.test(document.querySelector('[data-test-id="ndv"]')?.textContent ?? ''),
		);
		await page.getByTestId('parameter-input-attended').locator('input').first().click();
		const statuses = page.locator('.el-select-dropdown__item:visible');
		await statuses.filter({ hasText: 'Attended On-demand' }).first().waitFor();
		const listed = (await statuses.allInnerTexts()).map((t) => t.split('\n')[0].trim());
		expect(listed).toEqual(expect.arrayContaining(['Leave Unchanged', 'No Show', 'Attended']));
		await shot('33-status-mapping-pickers');
		await page.keyboard.press('Escape');
		await closeNdv();
		expect(problems.splice(0)).toEqual([]);
	}, 600_000);

	it("opens the lead mapper (Create or Update Lead): the instance's lead fields by their full names, none clipped", async () => {
		const saved = await n8n.rest<
			Array<{ id: string; name: string; type: string; createdAt: string }>
		>('GET', '/rest/credentials');
		const credential = saved
			.filter((c) => c.type === 'marketoApi')
			.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
		await pasteAsNewWorkflow({
			name: 'Lead mapper',
			nodes: [
				{
					id: newId(),
					name: 'Lead Fields',
					type: `${PACKAGE_NAME}.marketo`,
					typeVersion: 1,
					position: [0, 0],
					parameters: {
						resource: 'lead',
						operation: 'upsert',
						syncAction: 'createOrUpdate',
						lookupField: 'email',
						// Mapped as the bundled lead push maps; the mapper then lists every lead field.
						fields: {
							mappingMode: 'defineBelow',
							value: Object.fromEntries(
								[
									'email',
									'mobilePhone',
									'unsubscribedReason',
									'sfdcOpptyId',
									'spotme_magic_url',
								].map((f) => [f, `={{ $json.${f} }}`]),
							),
							matchingColumns: [],
							schema: [],
						},
					},
					credentials: { marketoApi: { id: credential.id, name: credential.name } },
				},
			],
			connections: {},
		});
		const text = await checkNode('Lead Fields', '32-lead-mapper');
		const lines = new Set(text.split('\n').map((l) => l.trim()));
		for (const label of [
			'Email Address',
			'Mobile Phone Number',
			'Unsubscribed Reason',
			'SFDC Opportunity Id',
			'SpotMe Magic URL',
		])
			expect({ label, shown: lines.has(label) }).toEqual({ label, shown: true });
		expect(leadMapperClipped).toEqual([]);
		expect(problems.splice(0)).toEqual([]);
	}, 300_000);

	it('runs a bundled workflow from the editor ("Execute workflow") and it succeeds against the emulators', async () => {
		// The one bundled workflow that needs no Settings edited: it sets up Marketo for SpotMe.
		const file = files.find((f) => f.startsWith('set-up-marketo'));
		expect(file).toBeDefined();
		const workflowId = imported.get(file!)!;
		await openWorkflow(workflowId);
		await page.getByTestId('execute-workflow-button').first().click();
		// The editor marks each node that ran: wait for the nodes that end the run, or any error.
		const wf = readWorkflow(file!);
		const sources = new Set(Object.keys(wf.connections));
		const ends = wf.nodes
			.filter((n) => n.type !== 'n8n-nodes-base.stickyNote' && !sources.has(String(n.name)))
			.map((n) => String(n.name));
		expect(ends.length).toBeGreaterThan(0);
		const failed = page.getByTestId('canvas-node-status-error');
		for (const end of ends)
			await page
				.locator(
					`[data-test-id="canvas-node"][data-node-name="${end}"] [data-test-id="canvas-node-status-success"]`,
				)
				.or(failed)
				.first()
				.waitFor({ timeout: 180_000 });
		await shot(`40-run-${file!.replace(/\.json$/, '')}`);
		expect(await failed.count()).toBe(0);
		// n8n records the manual run; it may still be finishing when the canvas shows it.
		let status = '';
		for (let i = 0; i < 120 && ['', 'new', 'running', 'waiting'].includes(status); i++) {
			if (i) await new Promise((r) => setTimeout(r, 500));
			status = (await n8n.listExecutions(workflowId))[0]?.status ?? '';
		}
		expect({ file, status }).toEqual({ file, status: 'success' });
	}, 300_000);

	it("shows the Marketo Trigger's set-up as separate steps, the JSON template in a copyable block", async () => {
		const file = files.find((f) => f.includes('marketo-to-spotme'))!;
		// Imported through the editor by the import test when it runs; otherwise through the REST API.
		await openWorkflow(imported.get(file) ?? (await n8n.importWorkflow(readWorkflow(file))));
		await page
			.locator(`[data-test-id="canvas-node"][data-node-type="${PACKAGE_NAME}.marketoTrigger"]`)
			.first()
			.dblclick();
		const ndv = page.getByTestId('ndv');
		await ndv.waitFor();
		const steps = ndv.locator('.parameter-item').filter({ hasText: /^\s*\d+\.\s/ });
		await steps.first().waitFor();
		const texts = await steps.allInnerTexts();
		expect(texts.length).toBeGreaterThanOrEqual(5);
		expect(texts.map((t) => Number(/^\s*(\d+)\./.exec(t)![1]))).toEqual(
			texts.map((_t, i) => i + 1),
		);
		const template = ndv.locator('pre code');
		expect(await template.count()).toBe(1);
		const json = await template.innerText();
		// What a user copies is exactly the template: valid JSON once Marketo fills its tokens.
		const filled = json.replace(/\{\{[^}]+\}\}/g, '"value"');
		expect(Object.keys(JSON.parse(filled))).toEqual(expect.arrayContaining(['email', 'leadId']));
		await template.scrollIntoViewIfNeeded();
		await shot('marketo-trigger-setup', true);
		await closeNdv();
	}, 300_000);
});
