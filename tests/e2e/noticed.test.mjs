// End-to-end: "Numbers on many customers' tickets", in real Chromium and
// Firefox ESR. The demo's tickets 2001–2006 are five customers' (one of
// them, Wang Wei, on two tickets with his own number on both) whose agent
// replies are signed with the team's hotline, which the admin never listed.
// After the agent has opened them, the options page suggests the hotline
// (and not the customer's number); "Add to our numbers" stores that number
// alone in the team numbers (not the rest of the form: the admin's unsaved
// edits stay unsaved), and a later ticket no longer offers it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { BROWSERS, canaryKey, fillField, openExtensionPage, panelState, saveOptions, screenshotDir, startConfigured, until, waitFor, waitLoaded } from './harness.mjs';

const HOTLINE = '+864008208888';
const WANG_OWN = '+861088886666';
const SEEN = [2001, 2002, 2003, 2004, 2005, 2006];

/** The identifiers the panel offers on its chooser (none when it has only one). */
async function offered(panel) {
  return panel.frame.$$eval('#identifier-choice option', (os) => os.map((o) => o.value)).catch(() => []);
}

/** The options page's suggestions, as shown. */
function suggestions(page) {
  return page.evaluate(() => ({
    items: [...document.querySelectorAll('#noticed_list li.noticed-item')].map((li) => ({
      number: li.dataset.number,
      shown: li.querySelector('.noticed-number').textContent,
      count: li.querySelector('.noticed-count').textContent,
      buttons: [...li.querySelectorAll('button')].map((b) => b.textContent),
    })),
    empty: !document.querySelector('#noticed_empty').hidden,
    emptyText: document.querySelector('#noticed_empty').textContent,
  }));
}

for (const kind of BROWSERS) {
  describe(`${kind}: numbers on many customers' tickets`, () => {
    const key = canaryKey();
    let demo;
    let ext;
    let env;
    const shots = screenshotDir(`test-screenshots/${kind}`);

    before(async () => {
      env = await startConfigured(kind, { key });
      ({ demo, ext } = env);
    });
    after(() => env?.close());

    test('the team\'s unlisted hotline is suggested, the customer\'s own number is not, and Add makes it the team\'s', async () => {
      // Nothing noticed yet: the empty state.
      let options = await openExtensionPage(ext, 'options.html');
      await waitLoaded(options);
      const before = await until('the empty state', async () => {
        const s = await suggestions(options);
        return { ok: s.empty && s.items.length === 0, ...s };
      });
      assert.match(before.emptyText, /Nothing noticed yet/);
      await options.close();

      for (const id of SEEN) {
        const ticket = await ext.browser.newPage();
        await ticket.goto(`${demo.base}/tickets/strict/${id}`);
        const panel = await panelState(ticket);
        assert.ok(['found', 'not_found'].includes(panel.state), `${id}: ${panel.state} ${panel.text}`);
        // The problem: the hotline is a customer candidate on every one.
        assert.ok((await offered(panel)).includes(HOTLINE), `${id} offers the hotline: ${await offered(panel)}`);
        await ticket.close();
      }

      options = await openExtensionPage(ext, 'options.html');
      await waitLoaded(options);
      const seen = await until('the hotline suggested', async () => {
        const s = await suggestions(options);
        return { ok: s.items.some((i) => i.number === HOTLINE), ...s };
      });
      assert.deepEqual(seen.items.map((i) => i.number), [HOTLINE], 'only the hotline: not Wang Wei\'s own number');
      assert.ok(!JSON.stringify(seen).includes(WANG_OWN.slice(3)));
      const [hotline] = seen.items;
      assert.equal(hotline.shown, '+86 400 820 8888');
      assert.equal(hotline.count, 'on the tickets of 5 different customers');
      assert.deepEqual(hotline.buttons, ['Add to our numbers', 'Not ours']);
      assert.equal(seen.empty, false);
      await options.$eval('#noticed', (e) => e.scrollIntoView({ block: 'center' }));
      const section = await options.$('#noticed');
      await section.screenshot({ path: join(shots, 'options-noticed-numbers.png') });

      // The admin has edits under way, not meant to be saved yet: another
      // team domain, and a number typed in the team numbers field.
      const domainsStored = await options.$eval('#team_domains', (e) => e.value);
      const phonesStored = await options.$eval('#team_phones', (e) => e.value);
      assert.equal(phonesStored, '', 'no team number stored before Add');
      const domainsTyped = `${domainsStored}\nnot-saved-yet.example`;
      await fillField(options, '#team_domains', domainsTyped);
      await fillField(options, '#team_phones', '010 6552 9988');

      // Add to our numbers: that number alone is stored, and the page says so.
      await options.$eval('#noticed_status', (e) => { e.textContent = ''; e.dataset.kind = ''; });
      await options.click(`#noticed_list li[data-number="${HOTLINE}"] button.noticed-add`);
      await waitFor(options, () => ['ok', 'error'].includes(document.querySelector('#noticed_status').dataset.kind), { timeout: 30_000 });
      // (Said beside the button, in the section's own status line, not at the foot of the page.)
      const status = await options.$eval('#noticed_status', (e) => ({ kind: e.dataset.kind, text: e.textContent }));
      assert.equal(status.kind, 'ok', status.text);
      assert.match(status.text, /\+86 400 820 8888/, 'the status names the number');
      await options.$eval('#noticed_status', (e) => e.scrollIntoView({ block: 'center' }));
      await section.screenshot({ path: join(shots, 'options-noticed-added.png') });
      // The form keeps the edits as typed; the team numbers field gains the number.
      assert.equal(await options.$eval('#team_domains', (e) => e.value), domainsTyped, 'the unsaved domain was overwritten');
      assert.equal(await options.$eval('#team_phones', (e) => e.value), '010 6552 9988\n+864008208888');
      await until('the list empty again', async () => {
        const s = await suggestions(options);
        return { ok: s.empty && s.items.length === 0, ...s };
      });
      await options.close();

      // Stored: a fresh options page shows it in the team numbers, and
      // neither of the edits the admin did not save.
      options = await openExtensionPage(ext, 'options.html');
      await waitLoaded(options);
      await until('the stored team number', async () => ({ ok: /^\+864008208888$/m.test(await options.$eval('#team_phones', (e) => e.value)) }));
      assert.equal(await options.$eval('#team_phones', (e) => e.value), HOTLINE, 'only the added number is stored');
      assert.equal(await options.$eval('#team_domains', (e) => e.value), domainsStored, 'an unsaved edit was saved by Add');
      assert.equal((await suggestions(options)).items.length, 0);
      await options.close();

      // A later ticket with the hotline no longer offers it.
      const later = await ext.browser.newPage();
      await later.goto(`${demo.base}/tickets/strict/2007`);
      const panel = await panelState(later);
      assert.ok(['found', 'not_found'].includes(panel.state), panel.text);
      assert.ok(!(await offered(panel)).includes(HOTLINE), `the hotline is still offered: ${await offered(panel)}`);
      assert.ok(!panel.text.includes('400 820 8888') && !panel.text.includes(HOTLINE), panel.text);
      await later.close();
    });

    test('"Forget what Deskside noticed" leaves nothing, and Save keeps working', async () => {
      const options = await openExtensionPage(ext, 'options.html');
      await waitLoaded(options);
      await options.click('#noticed_forget');
      await until('the empty state', async () => {
        const s = await suggestions(options);
        return { ok: s.empty && s.items.length === 0, ...s };
      });
      assert.equal((await saveOptions(options)).kind, 'ok');
      await options.close();
    });
  });
}
