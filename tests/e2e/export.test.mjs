// Export (issue 19, item 3): every chart downloads as a PNG at twice its pixels and as an SVG
// whose series are paths; the monthly CSV holds a header and one row per run and month, with
// the values the charts draw to the last digit and a saved run's name quoted as RFC 4180 says;
// the scenario file has the command line's shape (contract C1) and the command line runs it to
// the page's summary; and the page opens a file the command line printed and runs it to the
// command line's summary. The menu works from the keyboard and in both languages.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, runTo, screenshot, CHARTS, BRIEF_LEVERS, cliPath } from './browser.mjs';
import { TIME_CHARTS, seriesNeeded } from '../../www/charts.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The command line (browser.mjs `cliPath`: the newest build, or CONSORTIUM_SIM_CLI). */
const CLI = cliPath();
const EN = JSON.parse(readFileSync(join(ROOT, 'www/strings/en.json'), 'utf8'));

/** A small scenario with a lever change at the start of month 4 (day 92, C3). */
const SCENARIO = '?preset=close_consortium&population=3000&years=1&seed=7&at=4%3Areferral_bonus%3A300';
const HORIZON = 365;
/** Month 4 (from 1) starts on the core's `month_start(3)`: ⌈3 × 365 / 12⌉. */
const MONTH_4_DAY = 92;
/** A saved run's name that needs quoting in CSV: a comma and a quote. */
const SAVED_NAME = 'Bonus, "from month 4"';

let browser;
let page;
const scratch = mkdtempSync(join(tmpdir(), 'export-test-'));

before(async () => {
  browser = await launch({ width: 1280, height: 720 });
  page = await browser.open(SCENARIO);
  await page.click('[data-action="go"]');
  await runTo(page, HORIZON);
});

after(async () => {
  await browser?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** The least time between two downloads the tests start (Chromium's limit is 10 a second). */
const DOWNLOAD_SPACING_MS = 150;
let lastDownload = 0;

/** Clicks `selector` (after `prepare`, e.g. opening the menu) and returns the download's
 * suggested name and bytes. */
async function downloadOf(selector, prepare = async () => {}) {
  await prepare();
  // Chromium lets a page start at most 10 downloads a second and drops the rest silently
  // (chromedp/chromedp#791); a person never clicks that fast, the test loops do.
  const since = Date.now() - lastDownload;
  if (since < DOWNLOAD_SPACING_MS) await new Promise((r) => setTimeout(r, DOWNLOAD_SPACING_MS - since));
  lastDownload = Date.now();
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 20_000 }).catch((err) => {
      throw new Error(`no download from ${selector}: ${err.message}; page problems: ${browser.problems.join('; ')}`);
    }),
    // Shorter than the wait for the download: a click that cannot land says why.
    page.click(selector, { timeout: 10_000 }),
  ]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}

async function openMenu() {
  if (!(await page.$eval('[data-export-menu]', (d) => d.open))) await page.click('[data-export-menu] > summary');
}

/** A PNG's width and height, from its IHDR chunk. */
function pngSize(bytes) {
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The pixel size of chart `name` as ECharts lays it out. */
function chartSize(name) {
  return page.evaluate((n) => {
    const c = window.__explorer.charts.get(n);
    return { width: c.getWidth(), height: c.getHeight() };
  }, name);
}

/** Parses CSV text (RFC 4180: quoted fields, doubled quotes, CRLF) into rows of fields. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  assert.equal(field + row.join(''), '', 'the CSV ends with a line break');
  return rows;
}

/** Whether the command line reads scenario files (H1's `run --scenario`). */
function cliHasScenario() {
  return existsSync(CLI) && execFileSync(CLI, ['run', '--help'], { encoding: 'utf8' }).includes('--scenario');
}

test('every chart downloads as a PNG twice its pixel size, named after the chart, the preset and the day', async () => {
  for (const name of CHARTS) {
    const { name: file, bytes } = await downloadOf(`[data-chart-export="${name}"] [data-export="png"]`);
    assert.equal(file, `${name}_close_consortium_day-${HORIZON}.png`);
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${name}: the PNG signature`);
    const size = await chartSize(name);
    assert.deepEqual(pngSize(bytes), { width: size.width * 2, height: size.height * 2 }, `${name}: twice the chart's pixels`);
  }
});

test("every chart downloads as an SVG of the chart's size; a time chart's series are paths in their colours", async () => {
  for (const name of CHARTS) {
    const { name: file, bytes } = await downloadOf(`[data-chart-export="${name}"] [data-export="svg"]`);
    assert.equal(file, `${name}_close_consortium_day-${HORIZON}.svg`);
    const text = bytes.toString('utf8');
    const parsed = await page.evaluate((svg) => {
      const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
      const root = doc.documentElement;
      return {
        error: doc.querySelector('parsererror')?.textContent || null,
        tag: root.tagName,
        width: Number(root.getAttribute('width')),
        height: Number(root.getAttribute('height')),
        strokes: [...doc.querySelectorAll('path')].map((p) => (p.getAttribute('stroke') || '').toLowerCase()),
        texts: [...doc.querySelectorAll('text')].map((t) => t.textContent),
      };
    }, text);
    assert.equal(parsed.error, null, `${name}: the SVG parses`);
    assert.equal(parsed.tag, 'svg');
    assert.deepEqual({ width: parsed.width, height: parsed.height }, await chartSize(name), `${name}: the chart's size`);
    const spec = TIME_CHARTS.find((c) => c.name === name);
    if (spec) {
      for (const s of spec.series) assert.ok(parsed.strokes.includes(s.color), `${name}: ${s.key} is a path stroked ${s.color}`);
      // The legend names the series as the chart on the page does.
      const legend = await page.evaluate((n) => window.__explorer.charts.get(n).getOption().legend[0].data, name);
      for (const label of legend) assert.ok(parsed.texts.includes(label), `${name}: the legend names ${label}`);
    } else {
      assert.ok(parsed.strokes.length + parsed.texts.length > 0, `${name}: the SVG draws something`);
    }
  }
});

test('the CSV holds a header and one row per run and month, the values the charts draw, and quoted run names', async () => {
  await page.fill('[data-save-name]', SAVED_NAME);
  await page.click('[data-action="save-run"]');
  await page.waitForFunction((n) => window.__explorer.savedRuns.some((r) => r.name === n), SAVED_NAME);
  const { name: file, bytes } = await downloadOf('[data-action="export-csv"]', openMenu);
  assert.equal(file, `monthly_close_consortium_day-${HORIZON}.csv`);
  const text = bytes.toString('utf8');
  assert.ok(text.includes(`\r\n"saved: Bonus, ""from month 4""",`), 'the saved run name is quoted, its quotes doubled');
  const rows = parseCsv(text);
  const outputs = seriesNeeded();
  assert.deepEqual(rows[0], ['run', 'month', 'day', ...outputs]);
  // Three runs (this one, the status quo, the saved one) of 12 months each.
  const body = rows.slice(1);
  assert.equal(body.length, 3 * 12);
  for (const row of body) assert.equal(row.length, 3 + outputs.length);
  assert.deepEqual([...new Set(body.map((r) => r[0]))], ['current', 'status_quo', `saved: ${SAVED_NAME}`]);
  assert.deepEqual(body.slice(0, 12).map((r) => Number(r[1])), Array.from({ length: 12 }, (_, i) => i + 1));
  assert.equal(body[11][2], String(HORIZON), 'the last month ends on the horizon');
  // Full precision: each value is the number the chart draws, to the last bit.
  const column = (key) => 3 + outputs.indexOf(key);
  const drawn = await page.evaluate(() => window.__explorer.chartData('visit-shares'));
  for (const [run, id] of [['current', 'primary_visit_share'], ['status_quo', 'primary_visit_share:baseline']]) {
    const values = body.filter((r) => r[0] === run).map((r) => Number(r[column('primary_visit_share')]));
    assert.deepEqual(values, drawn.find((s) => s.id === id).data.map((p) => p[1]), `${run}: the charted values`);
  }
  const savedRow = body.find((r) => r[0] === `saved: ${SAVED_NAME}`);
  assert.equal(savedRow[column('primary_visit_share')], body[0][column('primary_visit_share')], 'the saved run is this run');
});

/** The scenario file the page downloads, as text. */
async function scenarioText() {
  const { name, bytes } = await downloadOf('[data-action="export-scenario"]', openMenu);
  assert.equal(name, 'scenario_close_consortium_seed-7.json');
  return bytes.toString('utf8');
}

test("the scenario file has the command line's shape: preset, every lever, settings, the timeline as day changes, seeds", async () => {
  const text = await scenarioText();
  const file = JSON.parse(text);
  const version = await page.evaluate(() => document.querySelector('[data-version]').textContent);
  assert.ok(version.includes(file.model_version), `model_version ${file.model_version} is the page's (${version})`);
  assert.deepEqual(Object.keys(file), ['model_version', 'scenario', 'seeds']);
  assert.deepEqual(Object.keys(file.scenario), ['preset', 'levers', 'population', 'urban_share', 'years', 'seed', 'changes']);
  assert.equal(file.scenario.preset, 'close_consortium');
  assert.deepEqual(Object.keys(file.scenario.levers).sort(), [...BRIEF_LEVERS].sort());
  const scenario = await page.evaluate(() => window.__explorer.scenario);
  assert.deepEqual(file.scenario.levers, scenario.levers);
  assert.equal(file.scenario.population, 3000);
  assert.equal(file.scenario.years, 1);
  assert.equal(file.scenario.urban_share, scenario.urban_share);
  // Seeds are bare digits in the text, never strings.
  assert.match(text, /"seed": 7,/);
  assert.deepEqual(file.seeds, [7]);
  assert.deepEqual(file.scenario.changes, [{ day: MONTH_4_DAY, lever: 'referral_bonus', value: 300 }]);
});

test('the command line runs the downloaded scenario file to the summary the page shows, to the last digit', async () => {
  assert.ok(cliHasScenario(), `${CLI} run --help offers --scenario`);
  const path = join(scratch, 'from-page.json');
  writeFileSync(path, await scenarioText());
  const cli = JSON.parse(execFileSync(CLI, ['run', '--scenario', path], { encoding: 'utf8' }));
  const shown = await page.evaluate(() => window.__explorer.summary);
  for (const [key, value] of Object.entries(cli.summary)) assert.equal(shown[key], value, `summary ${key}`);
});

test("the page opens a file the command line printed and runs it to the command line's summary", async () => {
  assert.ok(existsSync(CLI), `${CLI} exists (cargo build --profile quick)`);
  const printed = execFileSync(CLI, ['run', '--preset', 'gatekeeping', '--set', 'referral_bonus=150', '--population', '3000', '--years', '1', '--seed', '11'], { encoding: 'utf8' });
  const path = join(scratch, 'from-cli.json');
  writeFileSync(path, printed);
  await openMenu();
  const setups = await page.evaluate(() => window.__explorer.setups);
  await page.setInputFiles('[data-export-open]', path);
  await page.waitForFunction((n) => window.__explorer.setups > n && !window.__explorer.settingUp, setups);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('preset'), 'gatekeeping');
  assert.equal(url.searchParams.get('referral_bonus'), '150');
  assert.equal(url.searchParams.get('seed'), '11');
  assert.equal(url.searchParams.get('at'), null, 'no timeline: the file has no changes');
  assert.equal(await page.$eval('[data-preset]', (e) => e.value), 'gatekeeping');
  assert.match(await page.textContent('[data-export-message]'), /Opened from-cli\.json/);
  await page.click('[data-action="go"]');
  await runTo(page, HORIZON);
  const shown = await page.evaluate(() => window.__explorer.summary);
  const cli = JSON.parse(printed).summary;
  for (const [key, value] of Object.entries(cli)) assert.equal(shown[key], value, `summary ${key}`);
});

test("a file's changes (dropped on the page) become the page's timeline; a change off a month start is refused beside the menu", async () => {
  const base = JSON.parse(execFileSync(CLI, ['run', '--population', '3000', '--years', '1', '--seed', '3'], { encoding: 'utf8' }));
  const good = JSON.stringify({ ...base, scenario: { ...base.scenario, changes: [{ day: MONTH_4_DAY, lever: 'gatekeeping', value: 'soft' }] } });
  const setups = await page.evaluate(() => window.__explorer.setups);
  // Dropped on the page, as from a file manager.
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.items.add(new File([text], 'changes.json', { type: 'application/json' }));
    document.querySelector('#results .grid').dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, good);
  await page.waitForFunction((n) => window.__explorer.setups > n && !window.__explorer.settingUp, setups);
  assert.equal(new URL(page.url()).searchParams.get('at'), '4:gatekeeping:soft');
  assert.equal(new URL(page.url()).searchParams.get('seed'), '3');
  assert.match(await page.textContent('[data-export-message]'), /Opened changes\.json/);

  const bad = join(scratch, 'off-month.json');
  writeFileSync(bad, JSON.stringify({ ...base, scenario: { ...base.scenario, changes: [{ day: MONTH_4_DAY + 1, lever: 'gatekeeping', value: 'soft' }] } }));
  const before = page.url();
  await openMenu();
  await page.setInputFiles('[data-export-open]', bad);
  await page.waitForFunction(() => document.querySelector('[data-export-message]').dataset.kind === 'error');
  const message = await page.textContent('[data-export-message]');
  assert.match(message, /off-month\.json was not opened/);
  assert.match(message, /day 93 is not at the start of a model month/);
  assert.equal(page.url(), before, 'the scenario on the page is unchanged');
  assert.ok(await page.isVisible('[data-export-message]'), 'the message shows beside the menu');

  const junk = join(scratch, 'junk.json');
  writeFileSync(junk, 'not json');
  await page.setInputFiles('[data-export-open]', junk);
  await page.waitForFunction(() => /junk\.json/.test(document.querySelector('[data-export-message]').textContent));
  assert.match(await page.textContent('[data-export-message]'), /it is not JSON/);
});

test('the menu works from the keyboard: open, download the scenario, close with Escape', async () => {
  await page.evaluate(() => {
    document.querySelector('[data-export-menu]').open = false;
  });
  await page.focus('[data-export-menu] > summary');
  await page.keyboard.press('Enter');
  assert.equal(await page.$eval('[data-export-menu]', (d) => d.open), true);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.action), 'export-scenario');
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  assert.match(download.suggestedFilename(), /^scenario_.*\.json$/);
  await page.keyboard.press('Escape');
  assert.equal(await page.$eval('[data-export-menu]', (d) => d.open), false);
  assert.equal(await page.evaluate(() => document.activeElement.tagName), 'SUMMARY');
  // A chart's buttons are reached with Tab and pressed with Enter.
  await page.focus('[data-chart-export="fund"] [data-export="svg"]');
  const [svg] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  assert.match(svg.suggestedFilename(), /^fund_.*\.svg$/);
});

test('in Chinese the menu and the chart buttons are Chinese, named after the chart; presentation mode hides them', async () => {
  assert.equal(await page.textContent('[data-export-menu] > summary'), EN.export.menu);
  assert.equal(await page.getAttribute('[data-chart-export="fund"] [data-export="png"]', 'aria-label'), 'Download “Insurance fund” as a PNG image');
  // A message beside the menu, then the switch.
  await openMenu();
  await page.setInputFiles('[data-export-open]', join(scratch, 'junk.json'));
  await page.waitForFunction(() => /junk\.json/.test(document.querySelector('[data-export-message]').textContent));
  await page.selectOption('[data-language]', 'zh-CN');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  assert.equal(await page.textContent('[data-export-menu] > summary'), '导出');
  assert.equal(await page.textContent('[data-action="export-csv"]'), '逐月数据表');
  assert.equal(await page.textContent('[data-chart-export="fund"] [data-export="png"]'), '图片');
  assert.equal(await page.getAttribute('[data-chart-export="fund"] [data-export="png"]', 'aria-label'), '将“医保基金”下载为图片');
  // The message written from code is written again in Chinese.
  assert.match(await page.textContent('[data-export-message]'), /^未能打开 junk\.json：文件格式无法解析/);
  await openMenu();
  await screenshot(page, 'export-menu-zh.png');
  assert.deepEqual(await page.evaluate(() => window.__explorer.missingStrings), []);
  await page.selectOption('[data-language]', 'en');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await page.click('[data-action="present"]');
  assert.equal(await page.isVisible('.presented [data-chart-export]'), false);
  await page.keyboard.press('Escape');
});

test('on a phone the export buttons are 44 px touch targets', async () => {
  const phone = await launch({ width: 390, height: 844 });
  try {
    const p = await phone.newPage('?population=3000&years=1');
    for (const sel of ['[data-chart-export="visit-shares"] [data-export="png"]', '[data-chart-export="visit-shares"] [data-export="svg"]', '[data-export-menu] > summary']) {
      const box = await p.locator(sel).boundingBox();
      assert.ok(box.width >= 44 && box.height >= 44, `${sel}: ${box.width}×${box.height}`);
    }
    await p.click('[data-export-menu] > summary');
    const open = await p.locator('.export-open').boundingBox();
    assert.ok(open.height >= 44 && open.x >= 0 && open.x + open.width <= 390, 'the menu fits the screen');
    await screenshot(p, 'export-phone.png');
    assert.deepEqual(phone.problems, []);
  } finally {
    await phone.close();
  }
  assert.deepEqual(browser.problems, []);
});
