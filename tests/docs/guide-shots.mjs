// The guides' screenshots (docs/GUIDE.md, docs/GUIDE.zh-CN.md) that the
// end-to-end suites do not already write: the options page's sections, a CRM
// contact page with its helpdesk tickets, and the write-back form and its
// outcome, in real Chromium, English and Chinese, light.
//
//   ./build.sh && node tests/docs/guide-shots.mjs     (writes docs/screenshots/guide-*.png)
//
// Everything is driven as an admin and an agent would, against the demo and
// the test API on loopback; a step that does not reach its state fails loudly.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, addDemoHelpdesk, canaryKey, configure, fillField, launch, openExtensionPage, panelState, saveOptions, startDemo, until, waitLoaded, waitFor, setViewport, click } from '../e2e/harness.mjs';
import { startTestApi } from '../testapi/server.mjs';

const OUT = join(ROOT, 'docs/screenshots');
const DEFINITION = readFileSync(join(ROOT, 'tests/testapi/definition.json'), 'utf8');
const LANGS = (process.env.GUIDE_LANGS || 'en-US,zh-CN').split(',');

/** The panel of `page`, cropped (it sits on the right, full height of its content). */
async function shootPanel(page, frame, file) {
  const box = await frame.evaluate(() => ({ w: innerWidth, h: Math.ceil(document.querySelector('#root').getBoundingClientRect().bottom) }));
  const vp = page.viewport() ?? { width: 1280, height: 800 };
  await page.screenshot({ path: join(OUT, file), clip: { x: vp.width - box.w, y: 0, width: box.w, height: Math.min(vp.height, Math.max(box.h + 12, 120)) } });
  console.log(`wrote docs/screenshots/${file}`);
}

/** One section (or block) of the options page, as the element renders. */
async function shootSection(page, selector, file) {
  const el = await page.$(selector);
  if (!el) throw new Error(`no ${selector} on the options page`);
  await el.scrollIntoView();
  await el.screenshot({ path: join(OUT, file) });
  console.log(`wrote docs/screenshots/${file}`);
}

for (const lang of LANGS) {
  const tag = lang === 'zh-CN' ? 'zh-CN' : 'en';
  const key = canaryKey();
  const secret = `secret-${Math.random().toString(16).slice(2)}`;
  const demo = await startDemo({ key });
  const api = await startTestApi({ clientSecret: secret, tokenTtlSeconds: 3600 });
  const ext = await launch('chromium', { lang, viewport: { width: 1280, height: 900 } });
  try {
    // The admin: the demo CRM, the Zendesk preset as the helpdesk, CRM pages.
    const options = await openExtensionPage(ext, 'options.html');
    await waitLoaded(options);
    await addDemoHelpdesk(options, { base: demo.base, key });
    const saved = await configure(ext, { baseUrl: demo.base, key, page: options });
    if (saved.status.kind !== 'ok') throw new Error(`not saved: ${saved.status.text}`);
    await setViewport(options, { width: 1100, height: 900 });
    await options.evaluate(() => document.querySelector('#profile')?.dispatchEvent(new Event('change')));
    await shootSection(options, '#connectors fieldset.connector', `guide-options-connectors-${tag}.png`);
    await shootSection(options, '#sec-sites', `guide-options-sites-${tag}.png`);
    await shootSection(options, '#sec-finding', `guide-options-finding-${tag}.png`);
    await shootSection(options, '#sec-fields', `guide-options-fields-${tag}.png`);
    await shootSection(options, '#sec-profiles', `guide-options-profiles-${tag}.png`);
    await shootSection(options, '#sec-import-export', `guide-options-import-export-${tag}.png`);

    // The agent on a CRM contact page (the HubSpot imitation): the contact's tickets.
    const hub = await ext.browser.newPage();
    await hub.goto(demo.base + '/contacts/4242/record/0-1/5101');
    const tickets = await until('the contact\'s helpdesk tickets', async () => {
      const p = await panelState(hub);
      const n = await p.frame.$$eval('.helpdesk-tickets li.ticket', (l) => l.length);
      return { ok: p.state === 'found' && n > 0, ...p };
    }, 40_000);
    await shootPanel(hub, tickets.frame, `guide-crm-page-tickets-${tag}.png`);
    await hub.close();
    // The audit trail, with the lookups just made.
    await options.bringToFront();
    await options.click('#audit_refresh');
    await waitFor(options, () => document.querySelectorAll('#audit_rows tr').length > 0, { timeout: 15_000 });
    await shootSection(options, '#audit_section', `guide-options-audit-${tag}.png`);

    // Write-back: the helpdesk removed, connector 1 becomes the test API (a generic connector that can write).
    await options.bringToFront();
    const blocks = await options.$$('#connectors fieldset.connector');
    await (await blocks[1].$('button[data-f="remove"]')).click();
    await waitFor(options, () => document.querySelectorAll('#connectors fieldset.connector').length === 1);
    await options.select('#kind', 'generic');
    await fillField(options, '#label', 'Acme People');
    await fillField(options, '#base_url', api.base);
    await fillField(options, '#definition', DEFINITION);
    await fillField(options, '#client_id', 'deskside-test');
    await fillField(options, '#client_secret', secret);
    const again = await saveOptions(options);
    if (again.kind !== 'ok') throw new Error(`not saved: ${again.text}`);
    const page = await ext.browser.newPage();
    await page.goto(demo.base + '/tickets/strict/1001');
    const found = await until('Mia Fischer from the test API', async () => {
      const p = await panelState(page);
      return { ok: p.state === 'found' && /Mia Fischer/.test(p.text), ...p };
    }, 40_000);
    const { frame } = found;
    await frame.waitForSelector('#writeback .wb-open-note', { timeout: 20_000 });
    await click(frame, '.wb-open-note');
    await frame.waitForSelector('#wb-text');
    await frame.$eval('#wb-text', (e, v) => { e.value = v; e.dispatchEvent(new Event('input', { bubbles: true })); },
      lang === 'zh-CN' ? '已退款，客户确认收到。' : 'Refund sent today; the customer confirmed.');
    await frame.$eval('#writeback', (e) => e.scrollIntoView());
    await shootPanel(page, frame, `guide-writeback-form-${tag}.png`);
    await click(frame, '#wb-send');
    await until('the note saved', async () => {
      const states = await frame.$$eval('.wb-op', (l) => l.map((e) => e.dataset.state));
      return { ok: states.includes('done'), states };
    }, 40_000);
    await frame.$eval('#writeback', (e) => e.scrollIntoView());
    await shootPanel(page, frame, `guide-writeback-done-${tag}.png`);
    await page.close();
  } finally {
    await ext.close();
    demo.stop();
    await api.stop().catch(() => {});
  }
}
