// Shared set-up of the page tests: one headless Debian Chromium per test file (through
// playwright-core, no browser download), a fresh profile, and guards that fail a test on
// any page error, console error or request that leaves localhost.

import { chromium } from 'playwright-core';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BASE_URL = process.env.BASE_URL || 'http://127.0.0.1:8000/';
export const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');

/** The lever keys of the brief (a contract), and Model 2's `kpi_appraisal` (issue 16): each
 * must have exactly one control. */
export const BRIEF_LEVERS = [
  'reimbursement_primary',
  'reimbursement_secondary',
  'reimbursement_tertiary',
  'payment_method',
  'integration',
  'info_sharing',
  'specialist_outreach',
  'referral_bonus',
  'gatekeeping',
  'awareness_campaign',
  'unified_drug_list',
  'family_doctor_coverage',
  'primary_investment',
  'tertiary_capacity',
  'kpi_appraisal',
];

/** The chart containers the issue asks for. */
export const CHARTS = [
  'visit-shares',
  'admission-shares',
  'referrals',
  'waits',
  'occupancy',
  'spending',
  'fund',
  'trust-cooperation',
  'margins',
  'workload',
  'sankey',
  'map',
];

/** Chromium's flags for headless runs here (also used by benches/page-bench.mjs). */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches Chromium with a fresh profile; `close()` removes the profile. */
export async function launch({ width = 1366, height = 768, locale = 'en-US' } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'consortium-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width, height },
    // The browser's language picks the page's (i18n.js); tests name it rather than inherit it.
    locale,
  });
  const origin = new URL(BASE_URL).origin;
  const problems = [];
  // Nothing may leave this machine: abort, and record, any request to another origin.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    problems.push(`request to a non-localhost URL: ${url}`);
    return route.abort();
  });
  return {
    context,
    problems,
    /** Opens a page at `path` (relative to BASE_URL) with error guards attached. */
    async open(path = '') {
      const page = context.pages()[0] || (await context.newPage());
      watch(page, problems);
      await page.goto(new URL(path, BASE_URL).href);
      await waitReady(page);
      return page;
    },
    async newPage(path = '') {
      const page = await context.newPage();
      watch(page, problems);
      await page.goto(new URL(path, BASE_URL).href);
      await waitReady(page);
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const watched = new WeakSet();
function watch(page, problems) {
  if (watched.has(page)) return;
  watched.add(page);
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('requestfailed', (req) => {
    if (!problems.some((p) => p.includes(req.url()))) problems.push(`failed request: ${req.url()}`);
  });
}

/** Waits until the page has set up its first run. */
export async function waitReady(page, timeout = 20_000) {
  await page.waitForFunction(() => window.__explorer && window.__explorer.ready && window.__explorer.setups > 0, null, {
    timeout,
  });
}

/** Presses a run button and waits until the page has reached `day` (and stopped) and its
 * clock shows it: the clock and key figures are drawn with the charts, a few frames after the
 * model reports a day (chart-board.js). */
export async function runTo(page, day, timeout = 60_000) {
  await page.waitForFunction(
    (d) =>
      window.__explorer.day >= d &&
      !window.__explorer.running &&
      Number(document.querySelector('[data-day]').textContent.replace(/\D/g, '')) === window.__explorer.day,
    day,
    { timeout },
  );
}

/** Steps `months` months with the Step button, each time until the page shows the new day. */
export async function stepMonths(page, months) {
  for (let i = 0; i < months; i++) {
    const before = await page.evaluate(() => window.__explorer.day);
    await page.click('[data-action="step"]');
    await page.waitForFunction(
      (b) => window.__explorer.day > b && Number(document.querySelector('[data-day]').textContent.replace(/\D/g, '')) === window.__explorer.day,
      before,
      { timeout: 30_000 },
    );
  }
}

/** Sets a range input's value the way a user's drag would (input + change events). */
export async function setRange(page, selector, value) {
  await page.$eval(
    selector,
    (el, v) => {
      el.value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    },
    value,
  );
}

export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, name);
  await page.screenshot({ path });
  return path;
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Loads axe-core into the page once. Through the DevTools protocol, not a <script> tag: the
 * page's Content-Security-Policy refuses inline scripts, and rightly. */
export async function injectAxe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
}

/** The command line the page's results are checked against: CONSORTIUM_SIM_CLI, else the
 * newer of the release and "quick" builds (scripts/test.sh builds the latter), so a stale
 * binary left by an older build is not used when a fresh one exists. */
export function cliPath() {
  if (process.env.CONSORTIUM_SIM_CLI) return process.env.CONSORTIUM_SIM_CLI;
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const builds = ['release', 'quick'].map((p) => join(root, 'target', p, 'consortium-sim')).filter((p) => existsSync(p));
  builds.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return builds[0] || join(root, 'target', 'quick', 'consortium-sim');
}
