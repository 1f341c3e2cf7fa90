// The console's first render in Debian's headless Chromium: navigation start to the
// 'waf-console-rendered' performance mark that app.js sets once the chart and the first page of the
// list are on screen. Usage: node bench/console_bench.js BASE_URL TOKEN RUNS  (console_bench.py runs it)
// Prints one JSON object: per view, the render times and the API request durations, in ms.
'use strict';
const path = require('node:path');
const { chromium } = require(path.join(__dirname, '..', 'test', 'console', 'node_modules', 'playwright-core'));

const [baseUrl, token, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 7);
const VIEWS = { 'last hour': '', 'last 24 hours': '#range=24h', 'class=xss': '#class=xss', 'ip=/24': '#ip=203.0.113.0%2F24' };

async function measure(browser, hash) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  await context.addInitScript((t) => sessionStorage.setItem('waf.console.token', t), token);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/${hash}`);
  await page.waitForFunction(() => performance.getEntriesByName('waf-console-rendered').length > 0, null, { timeout: 30000 });
  const out = await page.evaluate(() => {
    const api = (p) => performance.getEntriesByType('resource').filter((r) => new URL(r.name).pathname === p).map((r) => r.duration)[0];
    return {
      render: performance.getEntriesByName('waf-console-rendered')[0].startTime,
      stats: api('/api/v1/stats'),
      events: api('/api/v1/events'),
      rows: document.querySelectorAll('#events tbody tr').length,
      matched: document.getElementById('page-info').textContent,
    };
  });
  await context.close();
  return out;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-background-networking'] });
  const result = {};
  try {
    for (const [name, hash] of Object.entries(VIEWS)) {
      await measure(browser, hash);  // warm-up: the first context pays Chromium's start
      const samples = [];
      for (let i = 0; i < runs; i++) samples.push(await measure(browser, hash));
      const pick = (k) => samples.map((s) => s[k]);
      result[name] = {
        render_ms_median: median(pick('render')), render_ms_max: Math.max(...pick('render')),
        stats_api_ms_median: median(pick('stats')), events_api_ms_median: median(pick('events')),
        rows: samples[0].rows, page_info: samples[0].matched,
      };
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
})().catch((e) => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(1);
});
