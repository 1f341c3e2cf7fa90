// Drives the console in Debian's headless Chromium as a person would, against a running
// `waf postanalytics` that test_console.py filled: sign in, read the chart, tops and list, filter,
// paginate, open a detail, copy an exception, and check that an XSS payload stays text.
// Usage: node console_check.js CONFIG.json  (baseUrl, token, artifacts, expected: console_data.expected)
// Prints one JSON line of what it saw; exits non-zero on the first failed check.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const want = config.expected;
const TIMEOUT_MS = 15000;
const seen = {};

async function text(page, selector) {
  return (await page.locator(selector).first().textContent()).trim();
}

const num = (s) => Number(String(s).replace(/[^\d]/g, ''));

async function waitPageInfo(page, pattern) {
  await page.waitForFunction((src) => new RegExp(src).test(document.getElementById('page-info').textContent),
    pattern.source, { timeout: TIMEOUT_MS });
  return text(page, '#page-info');
}

// Runs `action` (which changes the view) and waits for the console to finish the load it causes.
async function reloadAfter(page, action) {
  const before = await page.evaluate(() => Number(document.body.dataset.loaded || 0));
  await action();
  await page.waitForFunction((n) => Number(document.body.dataset.loaded || 0) > n, before, { timeout: TIMEOUT_MS });
}

async function filterIp(page, ip) {
  await reloadAfter(page, async () => {
    await page.fill('#f-ip', ip);
    await page.click('#filters button[type=submit]');
  });
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(config.artifacts, `${name}.png`), fullPage: true });
}

async function main() {
  fs.mkdirSync(config.artifacts, { recursive: true });
  const browser = await chromium.launch({
    executablePath: config.chromium || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking'],
  });
  const problems = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: config.baseUrl });
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      // A CSP violation or a script error shows up here; failed requests are reported below, with their URL.
      if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) problems.push(`console error: ${m.text()}`);
    });
    page.on('response', (r) => {
      // 401: the first, token-less load and the wrong token, on purpose.
      if (r.status() >= 400 && r.status() !== 401) problems.push(`${r.status()} for ${r.url()}`);
    });
    page.on('dialog', (d) => {
      problems.push(`a JavaScript dialog opened: ${d.message()}`);
      d.dismiss();
    });

    // 1. The API needs a token: the page asks for it, refuses a wrong one, takes the right one.
    const response = await page.goto(`${config.baseUrl}/`);
    assert.equal(response.status(), 200);
    seen.csp = response.headers()['content-security-policy'] || null;
    await page.locator('#login').waitFor({ state: 'visible' });
    await shot(page, '01-token-prompt');
    await page.fill('#token', 'not-the-token');
    await page.click('#login-form button[type=submit]');
    await page.locator('#login-error').waitFor({ state: 'visible' });
    assert.match(await text(page, '#login-error'), /rejected/);
    await reloadAfter(page, async () => {
      await page.fill('#token', config.token);
      await page.click('#login-form button[type=submit]');
    });
    assert.equal(await page.locator('#login').isVisible(), false);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('waf.console.token')), config.token);

    // 2. Totals, chart, legend, tops and the first page of the list carry the numbers we sent.
    assert.equal(num(await text(page, '#t-attacks')), want.total, 'attacks tile');
    for (const a of ['blocked', 'monitored', 'denied']) assert.equal(num(await text(page, `#t-${a}`)), want.by_action[a], `${a} tile`);
    const chartTotal = await page.$$eval('#chart svg g.bar', (gs) => gs.reduce((s, g) => s + Number(g.dataset.total), 0));
    assert.equal(chartTotal, want.total, 'sum of the chart bars');
    const segClasses = await page.$$eval('#chart svg rect.seg', (rs) => [...new Set(rs.map((r) => r.dataset.class))].sort());
    assert.deepEqual(segClasses, Object.keys(want.by_class).sort(), 'classes stacked in the chart');
    const legend = await page.$$eval('#legend button', (bs) => bs.map((b) => [b.dataset.value, Number(b.querySelector('.count').textContent.replace(/[^\d]/g, ''))]));
    assert.deepEqual(Object.fromEntries(legend), want.by_class, 'legend counts');
    const topIp = await page.$eval('#top-ips tbody tr', (tr) => [tr.querySelector('code').textContent, tr.querySelector('.count').textContent]);
    assert.ok(want.top_ips.includes(topIp[0]), `top IP ${topIp[0]} is one of ${want.top_ips}`);
    assert.equal(num(topIp[1]), want.top_ip_count);
    assert.equal(await page.locator('#top-apps tbody tr').count(), Math.min(10, want.apps), 'top apps rows');
    assert.equal(await page.locator('#top-paths tbody tr').count(), Math.min(10, want.paths), 'top paths rows');
    const info = await waitPageInfo(page, /of/);
    assert.equal(info.replace(/[\s,.\u202f\u00a0]/g, ''), `1–50of${want.total}matching`);
    assert.equal(await page.locator('#events tbody tr').count(), 50);
    seen.firstPage = info;
    await shot(page, '02-overview');

    // 3. Pagination: older, then newer again, by cursor.
    const firstId = await page.$eval('#events tbody tr', (tr) => tr.dataset.id);
    await reloadAfter(page, () => page.click('#older'));
    await waitPageInfo(page, /^51/);
    const secondId = await page.$eval('#events tbody tr', (tr) => tr.dataset.id);
    assert.notEqual(secondId, firstId);
    const firstPageIds = new Set();
    await reloadAfter(page, () => page.click('#newer'));
    await waitPageInfo(page, /^1–/);
    for (const id of await page.$$eval('#events tbody tr', (trs) => trs.map((tr) => tr.dataset.id))) firstPageIds.add(id);
    assert.ok(firstPageIds.has(firstId) && !firstPageIds.has(secondId), 'pages do not overlap');

    // 4. Filter by class: the list, the chart and the tiles follow.
    await reloadAfter(page, () => page.selectOption('#f-class', 'xss'));
    const xssInfo = await waitPageInfo(page, new RegExp(`of ${want.by_class.xss} matching`));
    seen.xssFilter = xssInfo;
    assert.equal(num(await text(page, '#t-attacks')), want.by_class.xss);
    const rowClasses = await page.$$eval('#events tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('.chip')].map((c) => c.textContent)));
    assert.ok(rowClasses.length > 0 && rowClasses.every((cs) => cs.includes('xss')), 'every row is an xss attack');
    assert.match(page.url(), /class=xss/);
    await shot(page, '03-filter-xss');
    await reloadAfter(page, () => page.click('#f-clear'));
    await waitPageInfo(page, new RegExp(`of ${want.total} matching`));

    // 5. Detail of one attack: the evidence is highlighted in the excerpt, the exception copies.
    await filterIp(page, want.detail_ip);
    await waitPageInfo(page, /of 1 matching/);
    await page.click('#events tbody tr');
    await page.locator('#detail').waitFor({ state: 'visible' });
    await page.waitForSelector('#d-excerpt mark');
    const meta = await page.$$eval('#d-meta dt', (dts) => Object.fromEntries(dts.map((dt) => [dt.textContent, dt.nextElementSibling.textContent])));
    assert.equal(meta['Client IP'], want.detail_ip);
    assert.equal(meta.Action, 'blocked');
    // The engine reports the evidence decoded; the excerpt has it as sent: what is highlighted must
    // decode back to the evidence.
    const evidence = await text(page, '#d-findings code.evidence');
    const marks = await page.$$eval('#d-excerpt mark', (ms) => ms.map((m) => m.textContent));
    assert.ok(marks.length >= 1, 'evidence highlighted');
    const decode = (m) => decodeURIComponent(m.replace(/\+/g, ' ')).toLowerCase();
    assert.equal(decode(marks[0]), evidence.toLowerCase(), `highlight ${marks[0]} is the evidence ${evidence}`);
    if (want.detail_evidence_raw) assert.deepEqual(marks, [want.detail_evidence_raw]);
    seen.highlighted = marks;
    await page.click('#d-findings button.copy');
    await page.waitForFunction(() => /Copied/.test(document.querySelector('#d-findings button.copy').textContent));
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    assert.deepEqual(JSON.parse(clip), want.detail_exception, 'copied exception');
    assert.equal(await text(page, '#d-exception'), clip);
    seen.exception = clip;
    await shot(page, '04-detail');
    await page.click('#d-close');
    await page.locator('#detail').waitFor({ state: 'hidden' });

    // 6. The XSS payload event: shown as text in the list and in the detail, nothing executes.
    await filterIp(page, want.xss_ip);
    await waitPageInfo(page, /of 1 matching/);
    const request = await text(page, '#events tbody tr td.request');
    assert.ok(request.includes(want.xss_path), `the payload path is shown as text: ${request}`);
    await page.click('#events tbody tr');
    await page.waitForSelector('#d-excerpt mark');
    const evidences = await page.$$eval('#d-findings code.evidence', (cs) => cs.map((c) => c.textContent));
    assert.ok(evidences.includes(want.xss_evidence), `evidence shown as text: ${evidences}`);
    const xssMarks = await page.$$eval('#d-excerpt mark', (ms) => ms.map((m) => m.textContent));
    assert.ok(xssMarks.includes(want.xss_evidence), `evidence highlighted as text: ${xssMarks}`);
    await shot(page, '05-xss-event');
    const injected = await page.evaluate((mark) => ({
      executed: mark in window,
      img: document.querySelectorAll('img').length,
      svgOutsideChart: [...document.querySelectorAll('svg')].filter((s) => !s.closest('#chart')).length,
      scripts: [...document.querySelectorAll('script')].map((s) => s.getAttribute('src')),
      b: document.querySelectorAll('b').length,
    }), want.xss_mark);
    assert.deepEqual(injected, { executed: false, img: 0, svgOutsideChart: 0, scripts: ['/console/app.js'], b: 0 }, 'no payload became markup');

    // 7. A reload keeps the token (sessionStorage) and the view (fragment).
    await page.reload();
    await page.waitForSelector('body[data-loaded]');
    await waitPageInfo(page, /of 1 matching/);
    assert.equal(await page.locator('#login').isVisible(), false);

    assert.deepEqual(problems, [], 'no script errors, CSP violations or dialogs');
    seen.ok = true;
  } catch (error) {
    const pages = browser.contexts().flatMap((c) => c.pages());
    if (pages.length) await shot(pages[0], 'failure').catch(() => {});
    throw error;
  } finally {
    await browser.close();
    seen.problems = problems;
    process.stdout.write(`${JSON.stringify(seen)}\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
