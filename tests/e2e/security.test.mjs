// The page's Content-Security-Policy and the development server's answers to hostile paths.
//
// The policy (scripts/serve.py's header, www/index.html's <meta> for static hosting) forbids
// inline script and eval, allows wasm to compile, and keeps every request on the page's own
// origin; only embed.html may be framed by other sites. The page must still work under it:
// set-up, a month's run and the charts, with no violation reported. The server answers a NUL
// byte with a 400 and a directory without an index with a 404, and keeps serving.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, stepMonths, BASE_URL } from './browser.mjs';

let browser;

before(async () => {
  browser = await launch({ width: 1280, height: 720 });
});

after(async () => {
  await browser?.close();
});

/** The policy's directives as a map, without frame-ancestors (which a <meta> cannot carry). */
function directives(policy) {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter(([name]) => name && name !== 'frame-ancestors')
      .map(([name, ...values]) => [name, values.join(' ')]),
  );
}

test('the server sends the policy, the page states the same one, and only the embed may be framed elsewhere', async () => {
  const page = await fetch(BASE_URL);
  const header = page.headers.get('content-security-policy');
  assert.ok(header, 'the page has a Content-Security-Policy header');
  const policy = directives(header);
  assert.equal(policy.get('script-src'), "'self' 'wasm-unsafe-eval'", 'no inline script, no eval, wasm compiles');
  assert.equal(policy.get('default-src'), "'self'");
  assert.match(header, /frame-ancestors 'self'/);
  const embed = await fetch(new URL('embed.html', BASE_URL));
  assert.match(embed.headers.get('content-security-policy') || '', /frame-ancestors \*/, 'the embed page may be framed');

  const html = readFileSync(new URL('../../www/index.html', import.meta.url), 'utf8');
  const meta = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/);
  assert.ok(meta, 'index.html states the policy in a <meta>');
  assert.deepEqual(directives(meta[1]), policy, 'the <meta> and the header say the same');
  assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)[^>]*>/, 'no inline <script> in index.html');
});

test('the page works under the policy, which blocks inline script and eval', async () => {
  const page = await browser.context.newPage();
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(BASE_URL);
  await page.waitForFunction(() => window.__explorer?.ready && window.__explorer.setups > 0, null, { timeout: 30_000 });
  await stepMonths(page, 1);
  const drawn = await page.evaluate(() => window.__explorer.day);
  assert.ok(drawn > 0, 'a month ran');
  // Code run through the DevTools protocol (page.evaluate) is exempt from the policy, so the
  // probes are code the page itself would run: an inline <script> element, and a timer
  // given a string, which is eval by another name.
  const blocked = await page.evaluate(async () => {
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true';
    document.head.append(script);
    setTimeout('window.__evalRan = true', 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    return { inline: window.__inlineRan === true, evalRan: window.__evalRan === true, violations: window.__violations };
  });
  assert.equal(blocked.inline, false, 'an inline script does not run');
  assert.equal(blocked.evalRan, false, 'eval is refused');
  // Each probe is reported once per policy in force (the header and the <meta>), and
  // nothing else is: the page itself never trips the policy.
  assert.deepEqual(
    [...blocked.violations].sort(),
    ['script-src eval', 'script-src eval', 'script-src-elem inline', 'script-src-elem inline'],
    'only the two probes were blocked',
  );
  await page.close();
});

test('the server answers a NUL byte with 400, hides directory listings, and keeps serving', async () => {
  for (const path of ['a%00b', 'pkg/%00', '%00']) {
    const r = await fetch(new URL(path, BASE_URL));
    assert.equal(r.status, 400, `${path}: ${r.status}`);
  }
  for (const dir of ['pkg/', 'vendor/', 'strings/']) {
    const r = await fetch(new URL(dir, BASE_URL));
    assert.equal(r.status, 404, `${dir} lists nothing`);
    assert.doesNotMatch(await r.text(), /Directory listing/);
  }
  const page = await fetch(BASE_URL);
  assert.equal(page.status, 200, 'the server still serves the page');
});
