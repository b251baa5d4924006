// "Why did it happen?": clicking a facility on the map opens the inspector with its name, its
// monthly books (one point per month simulated), its stances and what it learned in
// sentences; Esc closes it; the list under the map opens it from the keyboard; clicking a
// band of the referral diagram shows what the model counts about that flow. In English and
// in Chinese, at a laptop's and a phone's size (screenshots in tests/e2e/artifacts/).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, stepMonths, screenshot } from './browser.mjs';

const QUERY = 'population=20000&years=2&seed=3';
const browsers = [];

after(async () => {
  for (const b of browsers) await b.close();
});

async function openPage({ width, height, lang }) {
  const browser = await launch({ width, height, locale: lang === 'zh-CN' ? 'zh-CN' : 'en-US' });
  browsers.push(browser);
  const page = await browser.newPage(`?${QUERY}${lang ? `&lang=${lang}` : ''}`);
  return { browser, page };
}

/** The map's first tertiary hospital: its id and where it is drawn on the screen. */
const tertiaryOnScreen = (page) =>
  page.evaluate(() => {
    const chart = window.__explorer.charts.get('map');
    const data = window.__explorer.chartData('map').find((s) => s.id === 'tier-2').data[0];
    const [px, py] = chart.convertToPixel({ seriesId: 'tier-2' }, [data[0], data[1]]);
    const box = chart.getDom().getBoundingClientRect();
    return { id: data[2], x: box.left + px, y: box.top + py };
  });

/** What the inspector shows: title, texts, and the number of points of its two charts. */
const panelState = (page) =>
  page.evaluate(() => {
    const panel = document.querySelector('[data-inspector]');
    const points = (sel) => {
      const chart = window.__explorer.echarts.getInstanceByDom(panel.querySelector(sel));
      return chart ? (chart.getOption().series || []).map((s) => s.data.length) : [];
    };
    return {
      open: !panel.hidden,
      title: panel.querySelector('[data-inspector-title]').textContent,
      now: panel.querySelector('[data-inspector-now]').textContent,
      headings: [...panel.querySelectorAll('h3')].map((h) => h.textContent),
      events: [...panel.querySelectorAll('[data-inspector-events] li')].map((li) => ({ kind: li.dataset.kind || null, text: li.textContent })),
      books: points('[data-inspector-books]'),
      stances: points('[data-inspector-stance]'),
      focus: document.activeElement?.dataset ? Object.keys(document.activeElement.dataset) : [],
    };
  });

const waitLoaded = (page) =>
  page.waitForFunction(() => {
    const panel = document.querySelector('[data-inspector]');
    return !panel.hidden && panel.querySelector('[data-inspector-events] li');
  }, null, { timeout: 20_000 });

/** Picks facilities from the list under the map until one shows a learning event; its sentences. */
async function findLearningFacility(page) {
  const ids = await page.$$eval('[data-inspector-picker] option', (os) => os.map((o) => o.value).filter(Boolean));
  for (const id of ids) {
    await page.selectOption('[data-inspector-picker]', id);
    await page.waitForFunction((id) => window.__explorer.inspector.facility === Number(id), id);
    await waitLoaded(page);
    // The history of the facility picked (not the previous one's) is shown.
    await page.waitForFunction(() => !document.querySelector('[data-inspector-now]').textContent.includes('…'));
    const state = await panelState(page);
    if (state.events.some((e) => e.kind)) return state;
  }
  return null;
}

test('clicking a facility on the map opens its books, stances and learning; Esc closes it', async () => {
  const { browser, page } = await openPage({ width: 1280, height: 720 });
  await stepMonths(page, 14);
  const months = 14;

  // A real click at the facility's pixel.
  const target = await tertiaryOnScreen(page);
  await page.mouse.click(target.x, target.y);
  await waitLoaded(page);
  let state = await panelState(page);
  assert.ok(state.open, 'the inspector opened');
  assert.equal(state.title, `Tertiary hospital #${target.id}`);
  assert.deepEqual(state.books, [months, months, months, months, months], 'four sources and the cost, one point per month simulated');
  assert.deepEqual(state.stances, [months, months, months], 'cooperation and two stances, one point per month closed');
  assert.match(state.now, /^End of month 14: cooperation \d\.\d\d, admissions (restrain|neutral|induce), stays (shorter|neutral|longer); margin -?\d+\.\d%/);
  assert.deepEqual(state.headings, ['Monthly revenue by source, and costs (yuan)', "Cooperation and stances chosen at each month's end", 'What it learned (newest first)']);
  assert.ok(state.events.length > 0 && state.events.every((e) => e.text.length > 10), JSON.stringify(state.events));
  await screenshot(page, 'inspector-1280-en.png');

  // Esc closes it, and the focus goes back to the map.
  await page.keyboard.press('Escape');
  state = await panelState(page);
  assert.equal(state.open, false);

  // The same through the chart instance (as a click event from ECharts), for another facility.
  const other = await page.evaluate(() => {
    const chart = window.__explorer.charts.get('map');
    const data = window.__explorer.chartData('map').find((s) => s.id === 'tier-0').data[1];
    chart.trigger('click', { componentType: 'series', seriesType: 'scatter', seriesId: 'tier-0', value: data });
    return data[2];
  });
  await waitLoaded(page);
  state = await panelState(page);
  assert.equal(state.title, `Primary centre #${other}`);
  await page.click('[data-inspector-close]');
  assert.equal((await panelState(page)).open, false, 'the close button closes it');

  // From the keyboard: the list under the map; somewhere a facility has learned something,
  // and it reads as sentences with the margins compared.
  const learned = await findLearningFacility(page);
  assert.ok(learned, 'some facility tried, kept, dropped or copied a strategy in 14 months');
  const sentences = learned.events.filter((e) => e.kind).map((e) => e.text);
  for (const s of sentences) {
    assert.match(s, /^Month \d+: (started trying|kept|tried|copied a peer of its tier)/, s);
    assert.match(s, /-?\d+\.\d%/, `a margin in: ${s}`);
  }
  const dropped = learned.events.find((e) => e.kind === 'dropped');
  if (dropped) assert.match(dropped.text, /margin (rose|fell|held).*went back\.$/);
  await page.keyboard.press('Escape');
  assert.deepEqual(browser.problems, []);
});

test('clicking a band of the referral diagram shows what the model counts about that flow', async () => {
  const { browser, page } = await openPage({ width: 1280, height: 720 });
  await stepMonths(page, 4);
  // Downward referrals from tertiary hospitals: the last band drawn.
  await page.evaluate(() => {
    const chart = window.__explorer.charts.get('sankey');
    chart.trigger('click', { componentType: 'series', dataType: 'edge', dataIndex: 6 });
  });
  await page.waitForFunction(() => document.querySelectorAll('[data-flow-lines] li').length >= 3);
  const shown = await page.$eval('[data-flow-reasons]', (el) => ({ hidden: el.hidden, title: el.querySelector('h3').textContent, lines: [...el.querySelectorAll('li')].map((li) => li.textContent) }));
  assert.equal(shown.hidden, false);
  assert.equal(shown.title, 'Why: Downward referrals from tertiary hospitals');
  assert.match(shown.lines[0], /^Recovering inpatients transferred down: [\d.,]+; chronic patients handed back to their centre: [\d.,]+ per 1,000/);
  assert.match(shown.lines[1], /proposed to patients .*refused by the patient: [\d.,]+ \([\d.]+%\)/);

  // From the keyboard: the list under the diagram; the tertiary inflow splits into
  // self-referred and referred visits.
  await page.selectOption('[data-flow-picker]', 'entryTertiary');
  await page.waitForFunction(() => /Without a referral/.test(document.querySelector('[data-flow-lines]').textContent));
  const tertiary = await page.$$eval('[data-flow-lines] li', (lis) => lis.map((li) => li.textContent));
  const selfShare = Number(tertiary[0].match(/([\d.]+)% of tertiary visits/)[1]);
  assert.ok(selfShare > 50 && selfShare <= 100, `most tertiary visits are self-referred: ${tertiary[0]}`);
  await screenshot(page, 'flow-reasons-1280-en.png');
  assert.deepEqual(browser.problems, []);
});

test('in Chinese, and at a phone size', async () => {
  for (const [width, height] of [
    [1280, 720],
    [390, 844],
  ]) {
    for (const lang of ['zh-CN', 'en']) {
      if (width === 1280 && lang === 'en') continue; // the first test took that one
      const { browser, page } = await openPage({ width, height, lang });
      await stepMonths(page, 9);
      await page.locator('[data-chart="map"]').scrollIntoViewIfNeeded();
      const target = await tertiaryOnScreen(page);
      await page.mouse.click(target.x, target.y);
      await waitLoaded(page);
      const state = await panelState(page);
      const zh = lang === 'zh-CN';
      assert.equal(state.title, zh ? `三级医院 #${target.id}` : `Tertiary hospital #${target.id}`);
      assert.equal(state.books[0], 9);
      if (zh) {
        assert.match(state.now, /^第9月末：协作/);
        assert.deepEqual(state.headings, ['每月收入来源与成本（元）', '每月末选择的协作水平与诊疗倾向', '从自身账本中学到了什么（最新在前）']);
        assert.ok(state.events.every((e) => /\p{Script=Han}/u.test(e.text)), JSON.stringify(state.events));
      }
      const box = await page.$eval('[data-inspector]', (el) => el.getBoundingClientRect().toJSON());
      assert.ok(box.width <= width && box.left >= 0, `the panel fits the screen: ${JSON.stringify(box)}`);
      await screenshot(page, `inspector-${width}-${lang}.png`);
      if (zh) {
        // The switch in the header rewrites the open panel in the other language.
        await page.selectOption('[data-language]', 'en');
        await page.waitForFunction(() => document.documentElement.lang === 'en');
        const english = await panelState(page);
        assert.equal(english.title, `Tertiary hospital #${target.id}`);
        assert.match(english.now, /^End of month 9: cooperation/);
        await page.selectOption('[data-language]', 'zh-CN');
        await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
      }
      await page.keyboard.press('Escape');
      if (zh) {
        await page.selectOption('[data-flow-picker]', 'upFromPrimary');
        await page.waitForFunction(() => /上转至二级医院/.test(document.querySelector('[data-flow-lines]')?.textContent || ''));
        await page.locator('[data-flow-reasons]').scrollIntoViewIfNeeded();
        await screenshot(page, `flow-reasons-${width}-${lang}.png`);
      }
      const missing = await page.evaluate(() => window.__explorer.missingStrings);
      assert.deepEqual(missing, []);
      assert.deepEqual(browser.problems, []);
    }
  }
});
