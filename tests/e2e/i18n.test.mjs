// End-to-end in Chinese: the browser's language is zh-CN; the options page
// and each panel state the demo can show are in Chinese, and the admin's
// choice on the options page overrides the browser's language.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { BROWSERS, ROOT, canaryKey, configure, openExtensionPage, panelState, screenshotDir, startSuite, waitLoaded } from './harness.mjs';

// Any Latin-script sentence of three words or more that is not demo data.
const ENGLISH = /\b(?!Deskside|Demo|CRM|HTTP|API)[A-Z]?[a-z]{2,} [a-z]{2,} [a-z]{2,}\b/;

for (const kind of BROWSERS) {
  describe(`${kind}: in Chinese (browser language zh-CN)`, () => {
    const key = canaryKey();
    let demo;
    let ext;
    let env;
    const shots = screenshotDir(`test-screenshots/${kind}-zh-CN`);

    async function openTicket(path, name) {
      const page = await ext.browser.newPage();
      await page.goto(demo.base + path);
      const panel = await panelState(page);
      await page.screenshot({ path: join(shots, `${name}.png`) });
      return { page, panel };
    }

    function noEnglish(text) {
      const m = ENGLISH.exec(text);
      assert.ok(!m, `English left: "${m?.[0]}" in ${text}`);
    }

    before(async () => {
      env = await startSuite(kind, { key, browser: { lang: 'zh-CN' } });
      ({ demo, ext } = env);
    });
    after(() => env?.close());

    test('options page: Chinese text and validation problems', async () => {
      const page = await openExtensionPage(ext, 'options.html');
      await waitLoaded(page);
      const shown = await page.evaluate(() => ({
        lang: document.documentElement.lang,
        title: document.title,
        h1: document.querySelector('h1').textContent,
        text: document.body.innerText,
        key: document.querySelector('#api_key').placeholder,
        language: document.querySelector('#language').value,
        region: document.querySelector('#region option[value="CN"]').textContent,
        regions: [...document.querySelectorAll('#region option')].map((o) => o.textContent),
        regionValue: document.querySelector('#region').value,
      }));
      assert.equal(shown.lang, 'zh-CN');
      assert.equal(shown.title, 'Deskside 设置');
      assert.equal(shown.h1, 'Deskside 设置');
      assert.match(shown.text, /CRM 连接/);
      assert.match(shown.text, /坐席看到的名称/);
      assert.equal(shown.region, '中国大陆 (+86)');
      // The 123 regions in pinyin order (an admin finds their country by name), the chosen one kept.
      assert.equal(shown.regions.length, 123);
      assert.deepEqual(shown.regions, [...shown.regions].sort((a, b) => a.localeCompare(b, 'zh-CN')));
      assert.equal(shown.regions[0], '阿尔巴尼亚 (+355)');
      assert.equal(shown.regionValue, 'CN');
      assert.equal(shown.key, '粘贴 API 密钥');
      assert.equal(shown.language, 'auto');
      noEnglish(shown.text);
      const { status } = await configure(ext, { baseUrl: 'http://crm.example.com', key: '', page });
      assert.deepEqual(status, { kind: 'error', text: '未保存：请修改下方标出的内容。' });
      assert.match(await page.$eval('[data-error-for="base_url"]', (e) => e.textContent), /http:\/\/ 会以明文发送密钥/);
      assert.equal(await page.$eval('[data-error-for="api_key"]', (e) => e.textContent), '请填写 API 密钥');
      await page.click('#add_id_pattern');
      await page.type('#id_pattern_rows tr:last-child .id-pattern-text', 'ORD-(\\d');
      await configure(ext, { baseUrl: demo.base, key, page });
      assert.equal(await page.$eval('#id_pattern_rows .error', (e) => e.textContent), '括号没有闭合（位置 4）');
      assert.equal(await page.$eval('#id_pattern_rows .id-kind option', (e) => e.textContent), '客户编号');
      await page.close();
    });

    test('not configured: the panel says so in Chinese', async () => {
      const page = await openExtensionPage(ext, 'options.html');
      await waitLoaded(page);
      await page.$eval('#enabled', (e) => { e.checked = false; });
      const { status } = await configure(ext, { baseUrl: demo.base, key, page });
      assert.deepEqual(status, { kind: 'ok', text: '已保存。' });
      await page.close();
      const ticket = await openTicket('/tickets/strict/1001', 'panel-not-configured');
      assert.equal(ticket.panel.state, 'not_configured', ticket.panel.text);
      assert.match(ticket.panel.text, /Deskside 尚未连接 CRM。/);
      assert.match(ticket.panel.text, /打开 Deskside 设置/);
      noEnglish(ticket.panel.text);
      await ticket.page.close();
    });

    test('found, not found and no identifier, in Chinese', async () => {
      const page = await openExtensionPage(ext, 'options.html');
      await waitLoaded(page);
      await page.$eval('#enabled', (e) => { e.checked = true; });
      const { status } = await configure(ext, { baseUrl: demo.base, key, page });
      assert.equal(status.kind, 'ok');
      await page.screenshot({ path: join(shots, 'options.png'), fullPage: true });
      await page.close();

      const found = await openTicket('/tickets/plain/1002', 'panel-found');
      assert.equal(found.panel.state, 'found', found.panel.text);
      assert.match(found.panel.text, /李娜/);
      assert.match(found.panel.text, /客户/);
      assert.match(found.panel.text, /邮箱/);
      assert.match(found.panel.text, /最近订单/);
      assert.match(found.panel.text, /来源：/);
      // The demo connector's default label as the options page names it (misc10).
      assert.match(found.panel.text, /来源：Deskside 演示 CRM/);
      assert.doesNotMatch(found.panel.text, /demo CRM/);
      assert.match(found.panel.text, /¥[\d,]+\.\d\d/, 'amounts in yuan, formatted by Intl');
      assert.match(found.panel.text, /\d{4}年\d{1,2}月\d{1,2}日/, 'dates as Chinese writes them');
      noEnglish(found.panel.text);
      await found.page.close();

      const strict = await openTicket('/tickets/strict/1001', 'panel-found-strict-csp');
      assert.equal(strict.panel.state, 'found', strict.panel.text);
      noEnglish(strict.panel.text);
      await strict.page.close();

      const missing = await openTicket('/tickets/strict/1003', 'panel-not-found');
      assert.equal(missing.panel.state, 'not_found', missing.panel.text);
      assert.match(missing.panel.text, /中没有此邮箱对应的客户。/);
      assert.match(missing.panel.text, /Deskside 演示 CRM/);
      assert.doesNotMatch(missing.panel.text, /demo CRM/);
      noEnglish(missing.panel.text);
      await missing.page.close();

      const nothing = await openTicket('/', 'panel-no-identifier');
      assert.equal(nothing.panel.state, 'no_identifier', nothing.panel.text);
      assert.match(nothing.panel.text, /此页面上没有找到客户的邮箱、电话或编号。/);
      await nothing.page.close();

      // A ticket list: collapsed, with the number of customers.
      const list = await openTicket('/tickets', 'panel-list');
      assert.equal(list.panel.state, 'list', list.panel.text);
      assert.match(list.panel.text, /\d/);
      noEnglish(list.panel.text);
      await list.page.close();

      // A panel the page frames itself is refused, in Chinese too.
      const framed = await ext.browser.newPage();
      await framed.goto(demo.base + '/tickets/plain/1002');
      await panelState(framed);
      await framed.evaluate((base) => { const f = document.createElement('iframe'); f.src = `${base}panel.html`; document.body.append(f); }, ext.extensionBase);
      let refused;
      for (let i = 0; i < 100 && !refused; i++) {
        for (const frame of framed.frames()) {
          const info = await frame.evaluate(() => (location.pathname.endsWith('/panel.html') ? { state: document.querySelector('#root')?.dataset.state, text: document.body.innerText } : null)).catch(() => null);
          if (info?.state === 'refused') refused = info;
        }
        if (!refused) await new Promise((r) => setTimeout(r, 150));
      }
      assert.ok(refused, 'the framed panel was not refused');
      noEnglish(refused.text);
      await framed.close();
    });

    test('a rejected key: the error and its action in Chinese', async () => {
      const { status, page } = await configure(ext, { baseUrl: demo.base, key: 'wrong-key-0000' });
      assert.equal(status.kind, 'ok');
      await page.close();
      const { page: ticket, panel } = await openTicket('/tickets/strict/1001', 'panel-error');
      assert.equal(panel.state, 'error', panel.text);
      assert.match(panel.text, /CRM 拒绝了 API 密钥（HTTP 401）/);
      assert.match(panel.text, /重新连接 /);
      noEnglish(panel.text);
      await ticket.close();
    });

    test('the admin\'s language choice overrides the browser\'s', async () => {
      const page = await openExtensionPage(ext, 'options.html');
      await waitLoaded(page);
      await page.select('#language', 'en');
      const { status } = await configure(ext, { baseUrl: demo.base, key, page });
      assert.deepEqual(status, { kind: 'ok', text: 'Saved.' });
      assert.equal(await page.$eval('h1', (e) => e.textContent), 'Deskside settings');
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
      await page.close();
      const { page: ticket, panel } = await openTicket('/tickets/strict/1003', 'panel-not-found-en-override');
      assert.equal(panel.state, 'not_found', panel.text);
      assert.match(panel.text, /No customer with this email in /);
      await ticket.close();
      // Back to Auto: Chinese again.
      const again = await openExtensionPage(ext, 'options.html');
      await waitLoaded(again);
      await again.select('#language', 'auto');
      const saved = await configure(ext, { baseUrl: demo.base, key, page: again });
      assert.deepEqual(saved.status, { kind: 'ok', text: '已保存。' });
      await again.close();
    });

    if (kind === 'chromium') {
      test('the extension\'s name and description come from the zh_CN catalog', async () => {
        const worker = await ext.browser.waitForTarget((t) => t.type() === 'service_worker');
        const sw = await worker.worker();
        const info = await sw.evaluate(() => ({ ui: chrome.i18n.getUILanguage(), description: chrome.i18n.getMessage('ext_description') }));
        assert.match(info.ui, /^zh/);
        assert.equal(info.description, '在处理工单时，直接在旁边查看客户的 CRM 资料。');
      });
    }

    // The README's Chinese screenshots (Chromium's, as the English ones).
    after(() => {
      if (kind !== 'chromium' || !process.env.DESKSIDE_SCREENSHOTS) return;
      const docs = join(ROOT, 'docs/screenshots');
      mkdirSync(docs, { recursive: true });
      for (const [from, to] of [['options.png', 'options-zh-CN.png'], ['panel-found.png', 'panel-chinese-zh-CN.png'], ['panel-found-strict-csp.png', 'panel-strict-csp-zh-CN.png']]) {
        copyFileSync(join(shots, from), join(docs, to));
      }
    });
  });
}
