// The staff page in a real browser against the real `rulebook serve`: a person decides a case
// through the form, reads and prints the letter, browses the rules, and finds the decisions in
// the log. The expected words are outcomes of the measures, so they live here (JavaScript),
// never in tests/*.rs.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { startServer, launchBrowser, screenshotPath, REPO } from './harness.js';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const ELIGIBLE = JSON.parse(readFileSync(join(REPO, 'examples', 'eligible-filing.json'), 'utf8'));

/** The page's id for a form field (web/form.js `fieldId`). */
function fieldId(path) {
  return `f-${path.join('-')}`.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** Money as staff type it: 1180000000 → "11.8亿元", 12000000 → "1200万元", else the digits. */
function typed(value) {
  const n = BigInt(value);
  if (n >= 100000000n && n % 1000000n === 0n) return `${Number(n / 1000000n) / 100}亿元`;
  if (n >= 10000n && n % 10000n === 0n) return `${n / 10000n}万元`;
  return String(value);
}

const MONEY = new Set(['main_business_revenue', 'sales_revenue', 'rnd_expense', 'matching_funds', 'national_funding', 'provincial_funding', 'total_investment']);

/** Open every folded part around an element by clicking its summary, as a person would. */
async function reveal(page, id) {
  for (let i = 0; i < 10; i++) {
    const closed = page.locator(`details:not([open]):has(#${id}) > summary, details#${id}:not([open]) > summary`);
    if ((await closed.count()) === 0) return;
    await closed.first().click();
  }
}

/** Fill the form from a case object, field by field, adding list rows with the Add buttons. */
async function fillForm(page, obj, path = []) {
  for (const [key, value] of Object.entries(obj)) {
    const here = [...path, key];
    const id = fieldId(here);
    if (Array.isArray(value)) {
      await reveal(page, id);
      if (value.length === 0) {
        await page.locator(`#${id} > fieldset button.link`).click();
      }
      for (let i = 0; i < value.length; i++) {
        await page.locator(`#${id} > fieldset > .list-actions > button`).click();
        await fillForm(page, value[i], [...here, i]);
      }
    } else if (value && typeof value === 'object') {
      await fillForm(page, value, here);
    } else {
      await reveal(page, id);
      const field = page.locator(`#${id}`);
      const tag = await field.evaluate((el) => el.tagName);
      if (tag === 'SELECT') await field.selectOption(String(value));
      else await field.fill(MONEY.has(key) ? typed(value) : String(value));
    }
  }
}

async function decide(page) {
  const before = await page.locator('#record-id').textContent().catch(() => null);
  await page.getByRole('button', { name: '作出决策' }).click();
  await page.waitForFunction((prev) => {
    const id = document.querySelector('#record-id');
    return id && id.textContent !== prev && document.querySelector(`#letter[data-record="${id.textContent}"]`);
  }, before);
}

async function axeScan(page, label) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${label}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`), []);
}

describe('the staff page', () => {
  let server;
  let browser;
  let page;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
    await page.goto(server.base + '/');
    // The first load of the articles runs the version's scenario files for their coverage
    // (seconds in a debug build on a busy machine); later loads are served from memory.
    await page.waitForSelector('#case-upload', { timeout: 120_000 });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('is served from the binary with the right content types, offline', async () => {
    const html = await fetch(server.base + '/');
    assert.match(html.headers.get('content-type'), /^text\/html/);
    const js = await fetch(server.base + '/web/app.js');
    assert.match(js.headers.get('content-type'), /^text\/javascript/);
    const css = await fetch(server.base + '/web/style.css');
    assert.match(css.headers.get('content-type'), /^text\/css/);
    // Nothing is fetched from anywhere but the service itself.
    const hosts = await page.evaluate(() => performance.getEntriesByType('resource').map((r) => new URL(r.name).host));
    assert.ok(hosts.length > 5);
    assert.deepEqual([...new Set(hosts)], [new URL(server.base).host]);
  });

  it('decides an eligible consortium filled in through the form: 符合备案条件', async () => {
    const { as_of: asOf, ...facts } = ELIGIBLE;
    await fillForm(page, facts);
    await page.fill('#as-of', asOf);
    // Money typed in 亿元 is shown exactly.
    const hint = await page.locator(`#${fieldId(['consortium', 'members', 0, 'financials', 0, 'main_business_revenue'])}-hint`).textContent();
    assert.match(hint, /11\.8亿元（1,180,000,000元）/);
    await decide(page);
    const outcome = page.locator('#decision-filing .outcome');
    assert.equal(await outcome.textContent(), '符合备案条件');
    assert.equal(await outcome.getAttribute('data-outcome'), 'eligible');
    // Satisfied findings are folded away.
    assert.equal(await page.locator('#decision-filing > ul.findings').count(), 0);
    assert.match(await page.locator('#decision-filing details.folded summary').textContent(), /已满足的条件（\d+项）/);
    await page.screenshot({ path: screenshotPath('decide-eligible.png') });
  });

  it('starts from an example of the version, and decides it', async () => {
    const fresh = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await fresh.goto(server.base + '/');
    await fresh.selectOption('#case-example', 'ineligible-filing');
    assert.equal(await fresh.inputValue('#as-of'), JSON.parse(readFileSync(join(REPO, 'examples', 'ineligible-filing.json'), 'utf8')).as_of);
    assert.notEqual(await fresh.inputValue(`#${fieldId(['consortium', 'name'])}`), '');
    await fresh.getByRole('button', { name: '作出决策' }).click();
    await fresh.waitForSelector('#decision-filing .outcome');
    assert.equal(await fresh.locator('#decision-filing .outcome').textContent(), '不符合备案条件');
    await fresh.close();
  });

  it('links each fact to supply to its field in the form', async () => {
    const id = fieldId(['consortium', 'members', 0, 'fulltime_rnd_team']);
    await reveal(page, id);
    await page.selectOption(`#${id}`, '');
    await decide(page);
    assert.equal(await page.locator('#decision-filing .outcome').getAttribute('data-outcome'), 'undetermined');
    const link = page.locator('#decision-filing .missing a[data-path="consortium.members[lead].fulltime_rnd_team"]');
    await link.click();
    assert.equal(await page.evaluate(() => document.activeElement.id), id);
    await page.selectOption(`#${id}`, 'true');
    await decide(page);
  });

  it('lowering one member count gives 不符合备案条件 with 第六条第（一）项, and says what changed', async () => {
    // Remove the research institute: one "other" unit is left where two are needed.
    const members = ELIGIBLE.consortium.members;
    const index = members.findIndex((m) => m.kind === 'research_institute');
    await page.locator(`#${fieldId(['consortium', 'members', index])} .row-actions button`).click();
    await decide(page);
    assert.equal(await page.locator('#decision-filing .outcome').textContent(), '不符合备案条件');
    const violated = page.locator('#decision-filing > ul.findings > li.violated');
    assert.equal(await violated.count(), 1);
    assert.equal(await violated.locator('.cite').textContent(), '第六条第（一）项');
    assert.match(await violated.locator('.counterfactual').textContent(), /1/);
    const changes = await page.locator('#changes').textContent();
    assert.match(changes, /符合备案条件 → 现为 不符合备案条件/);
    await page.screenshot({ path: screenshotPath('decide-ineligible.png') });
  });

  it('previews the letter, prints it alone, and downloads it', async () => {
    const letter = page.locator('#letter');
    const text = await letter.textContent();
    assert.match(text, /不符合备案条件/);
    assert.match(text, /第六条第（一）项/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#letter-md')]);
    assert.match(download.suggestedFilename(), /\.md$/);
    assert.match(readFileSync(await download.path(), 'utf8'), /第六条第（一）项/);
    const [html] = await Promise.all([page.waitForEvent('download'), page.click('#letter-html')]);
    assert.match(readFileSync(await html.path(), 'utf8'), /^<!doctype html>[\s\S]*不符合备案条件/);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await letter.isVisible(), true);
    assert.equal(await page.locator('.case-col').isVisible(), false);
    assert.equal(await page.locator('#results').isVisible(), false);
    await page.screenshot({ path: screenshotPath('letter-print.png'), fullPage: true });
    const pdf = await page.pdf({ format: 'A4' });
    assert.ok(pdf.length > 10_000);
    await page.emulateMedia({ media: 'screen' });
  });

  it('passes an axe-core scan of the decide view', async () => {
    await axeScan(page, 'decide');
  });

  it('lists the 18 articles beside their rules', async () => {
    await page.getByRole('tab', { name: '规则' }).click();
    await page.waitForSelector('#articles .article');
    assert.equal(await page.locator('#articles > .article').count(), 18);
    const art6 = page.locator('#article-6');
    assert.match(await art6.locator('.law').textContent(), /^第六条/);
    const rule = page.locator('#rule-member-count');
    assert.match(await rule.locator('h4').textContent(), /第六条第（一）项/);
    assert.match(await rule.locator('.says').textContent(), /7个（含）以上/);
    assert.match(await page.locator('table.versions').textContent(), /2025-08-10/);
    await page.screenshot({ path: screenshotPath('rules.png') });
    await axeScan(page, 'rules');
  });

  it('shows the decisions just made in the log, and renders a letter again', async () => {
    await page.getByRole('tab', { name: '记录' }).click();
    await page.waitForSelector('#log-table tbody tr');
    const rows = page.locator('#log-table tbody tr');
    assert.ok((await rows.count()) >= 5, `five decisions were made, the log shows ${await rows.count()}`);
    const texts = await rows.allTextContents();
    assert.ok(texts.some((t) => t.includes('不符合备案条件')));
    assert.ok(texts.some((t) => t.includes('符合备案条件') && !t.includes('不符合备案条件')));
    const ineligible = rows.filter({ hasText: '不符合备案条件' }).first();
    await ineligible.getByRole('button').click();
    await page.waitForSelector('#log-detail pre');
    assert.match(await page.locator('#log-detail pre').first().textContent(), /"ineligible"/);
    // The case was logged exactly as typed: 11.8亿元 went out as 1180000000 yuan.
    assert.match(await page.locator('#log-detail pre').nth(1).textContent({ timeout: 1000 }), /1180000000/);
    await page.click('#log-letter');
    await page.waitForSelector('#log-detail #letter');
    assert.match(await page.locator('#log-detail #letter').textContent(), /第六条第（一）项/);
    await page.screenshot({ path: screenshotPath('log.png') });
    await axeScan(page, 'log');
  });

  it('switches to English and back', async () => {
    await page.getByRole('tab', { name: '决策' }).click();
    await page.click('#lang');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.locator('#tab-decide').textContent(), 'Decide');
    assert.equal(await page.locator('#decision-filing .outcome').textContent(), 'not eligible for filing');
    assert.match(await page.locator('#decision-filing li.violated .cite').textContent(), /^Article 6\(1\)$/);
    await page.click('#lang');
    assert.equal(await page.locator('#tab-decide').textContent(), '决策');
  });

  it('works by keyboard: arrow keys move between the views', async () => {
    await page.focus('#tab-decide');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.getAttribute('#tab-rules', 'aria-selected'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-rules');
    await page.keyboard.press('End');
    assert.equal(await page.getAttribute('#tab-log', 'aria-selected'), 'true');
    await page.keyboard.press('Home');
    assert.equal(await page.getAttribute('#tab-decide', 'aria-selected'), 'true');
  });

  it('fits a phone screen', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await phone.goto(server.base + '/#rules');
    await phone.waitForSelector('#articles .article');
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the rules view is ${overflow}px wider than the phone`);
    await phone.getByRole('tab', { name: '决策' }).click();
    await phone.waitForSelector('#case-upload');
    assert.ok((await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)) <= 0);
    await phone.screenshot({ path: screenshotPath('phone-decide.png') });
    await phone.close();
  });
});

after(() => {
  // Copies for the README (docs/screenshots), refreshed when asked: UPDATE_SCREENSHOTS=1.
  if (!process.env.UPDATE_SCREENSHOTS) return;
  const docs = join(REPO, 'docs', 'screenshots');
  mkdirSync(docs, { recursive: true });
  for (const name of ['decide-ineligible.png', 'rules.png']) copyFileSync(screenshotPath(name), join(docs, name));
});
