// Checks provspec's HTML report in a real headless Chromium, as a person would use it.
//
//   NODE_PATH=NPM/node_modules PROVSPEC_CHROMIUM=/usr/bin/chromium \
//     node check-html-report.js REPORT.html RUNNER_STDERR SCREENSHOT.png
//
// The page must load with no network request; its counts by status must equal the runner's
// closing lines ("provspec: N passed, M failed", "K scenario(s) skipped by backend tag", "F
// scenario(s) passed only on a retry"), as
// buttons and as scenarios; the "failed" filter shows only failed scenarios; the search finds a
// scenario by name; in a red run, a failed scenario whose failure has a diff unfolds to its
// coloured sides and its call timeline. A screenshot of the page, that scenario unfolded, goes to SCREENSHOT.png.
// Prints one line; exits 1 on any problem.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const [report, stderrFile, screenshot] = process.argv.slice(2);
if (!report || !stderrFile || !screenshot) {
  console.error('usage: check-html-report.js REPORT.html RUNNER_STDERR SCREENSHOT.png');
  process.exit(2);
}

function runnerCounts(file) {
  const text = fs.readFileSync(file, 'utf-8');
  const closing = [...text.matchAll(/^provspec: (\d+) passed, (\d+) failed$/gm)].pop();
  if (!closing) throw new Error(`no 'provspec: N passed, M failed' line in ${file}`);
  const skipped = [...text.matchAll(/^provspec: (\d+) scenario\(s\) skipped by backend tag/gm)].pop();
  const flaky = [...text.matchAll(/^provspec: (\d+) scenario\(s\) passed only on a retry/gm)].pop();
  // The runner's "passed" counts the flaky among them; the page shows them apart.
  const flakyCount = flaky ? +flaky[1] : 0;
  return {
    passed: +closing[1] - flakyCount, flaky: flakyCount, failed: +closing[2],
    skipped: skipped ? +skipped[1] : 0,
  };
}

async function check(page, expected, problems) {
  for (const [status, n] of Object.entries(expected)) {
    const button = await page.textContent(`#summary button[data-status="${status}"] .n`);
    const blocks = await page.locator(`details.scenario[data-status="${status}"]`).count();
    if (+button !== n || blocks !== n) {
      problems.push(`${status}: the page counts ${button} and shows ${blocks} scenario(s); the runner said ${n}`);
    }
  }
  await page.click('#summary button[data-status="failed"]');
  const visible = await page.locator('details.scenario:visible').count();
  const notFailed = await page.locator('details.scenario:visible:not([data-status="failed"])').count();
  if (visible !== expected.failed || notFailed !== 0) {
    problems.push(`the "failed" filter shows ${visible} scenario(s), ${notFailed} not failed`);
  }
  await page.click('#summary button[data-status="all"]');
  const name = await page.getAttribute('details.scenario >> nth=0', 'data-name');
  await page.fill('#search', name);
  const found = await page.locator('details.scenario:visible').count();
  if (found < 1) problems.push(`the search for ${JSON.stringify(name)} shows nothing`);
  await page.fill('#search', 'no scenario is called this');
  if (await page.locator('details.scenario:visible').count() !== 0 || !(await page.isVisible('#nothing-shown'))) {
    problems.push('a search that matches nothing still shows scenarios, or does not say so');
  }
  await page.fill('#search', '');
  if (expected.failed === 0) return; // a green run: no failure to unfold
  const withDiff = page.locator('details.scenario.failed', { has: page.locator('.failure .expected') }).first();
  if (await withDiff.count() === 0) {
    problems.push('no failed scenario shows a diff');
    return;
  }
  await withDiff.locator(':scope > summary').click();
  for (const part of ['.failure .expected', '.failure .actual', '.timeline table']) {
    if (!(await withDiff.locator(part).first().isVisible())) {
      problems.push(`the unfolded failed scenario does not show ${part}`);
    }
  }
  const colour = await withDiff.locator('.failure .expected').first()
    .evaluate((e) => getComputedStyle(e).color);
  if (colour === 'rgb(31, 35, 40)') problems.push('the expected side of the diff is not coloured');
}

(async () => {
  const problems = [];
  const expected = runnerCounts(stderrFile);
  const userData = fs.mkdtempSync(path.join(require('os').tmpdir(), 'provspec-chromium-'));
  const browser = await chromium.launchPersistentContext(userData, {
    executablePath: process.env.PROVSPEC_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = browser.pages()[0] || await browser.newPage();
    const requests = [];
    page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('file://' + path.resolve(report));
    await check(page, expected, problems);
    await page.screenshot({ path: screenshot, fullPage: true });
    if (requests.length) problems.push(`the page asked the network for ${requests.join(', ')}`);
    if (errors.length) problems.push(`the page's script failed: ${errors.join('; ')}`);
  } finally {
    await browser.close();
    fs.rmSync(userData, { recursive: true, force: true });
  }
  for (const problem of problems) console.log(`html report: ${problem}`);
  if (problems.length) process.exit(1);
  console.log(`html report: ok in Chromium (${expected.passed} passed, ${expected.flaky} flaky, ` +
    `${expected.failed} failed, ${expected.skipped} skipped, as the runner said; screenshot ${screenshot})`);
})().catch((e) => { console.error(`html report: ${e.stack || e}`); process.exit(1); });
