// Content script: plain JavaScript (WebAssembly cannot run here on a page
// with a strict CSP in Chromium). It reads what the page shows, sends it to
// the background, and frames the panel page. It never sees a key or a
// customer record: the panel is an extension page the helpdesk cannot read.
(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  if (globalThis.__desksideContent) return;
  globalThis.__desksideContent = true;

  const CHUNK = 4096;
  const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'DESKSIDE-PANEL']);
  let host = null;
  let shadow = null;
  let frame = null;
  let lastUrl = location.href;

  function snapshot() {
    const fields = [];
    for (const a of document.querySelectorAll('a[href^="mailto:" i]')) fields.push({ source: 'mailto_link', text: a.getAttribute('href') });
    for (const a of document.querySelectorAll('a[href^="tel:" i]')) fields.push({ source: 'tel_link', text: a.getAttribute('href') });
    for (const i of document.querySelectorAll('input:not([type=password]):not([type=hidden])')) {
      if (i.value) fields.push({ source: 'input_value', text: i.value });
    }
    if (document.body) {
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
        acceptNode(n) {
          const p = n.parentElement;
          return p && !SKIP.has(p.tagName.toUpperCase()) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
        },
      });
      let chunk = '';
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        chunk += n.data + '\n';
        if (chunk.length >= CHUNK) { fields.push({ source: 'text', text: chunk }); chunk = ''; }
      }
      if (chunk) fields.push({ source: 'text', text: chunk });
    }
    return { fields };
  }

  function newFrame() {
    const f = document.createElement('iframe');
    f.title = 'Deskside customer panel';
    f.src = api.runtime.getURL('panel.html');
    const fs = f.style;
    fs.setProperty('width', '100%');
    fs.setProperty('height', '100%');
    fs.setProperty('border', '1px solid #c5d0dc');
    fs.setProperty('border-radius', '10px');
    fs.setProperty('box-shadow', '0 6px 24px rgba(16,42,67,.18)');
    fs.setProperty('background', '#fff');
    fs.setProperty('color-scheme', 'normal');
    return f;
  }

  function showPanel() {
    if (host && frame) {
      // A new frame, not a new src: changing src would add an entry to the
      // tab's history, and the agent's Back button would move our panel
      // instead of the helpdesk. A new document also guarantees nothing of
      // the previous ticket survives.
      const next = newFrame();
      frame.replaceWith(next);
      frame = next;
      if (!host.isConnected) document.documentElement.append(host);
      return;
    }
    host = document.createElement('deskside-panel');
    // CSSOM, not style attributes: a strict style-src cannot block it.
    const hs = host.style;
    hs.setProperty('all', 'initial', 'important');
    hs.setProperty('position', 'fixed', 'important');
    hs.setProperty('top', '12px', 'important');
    hs.setProperty('right', '12px', 'important');
    hs.setProperty('bottom', '12px', 'important');
    hs.setProperty('width', '340px', 'important');
    hs.setProperty('z-index', '2147483646', 'important');
    shadow = host.attachShadow({ mode: 'closed' });
    frame = newFrame();
    shadow.append(frame);
    document.documentElement.append(host);
  }

  let seq = 0;
  async function scan() {
    const mine = ++seq;
    let answer;
    try {
      answer = await api.runtime.sendMessage({ type: 'PageScanned', snapshot: snapshot() });
    } catch (e) {
      return; // extension reloaded or background unavailable: the next navigation retries
    }
    // A newer scan (the app navigated meanwhile) owns the panel now.
    if (mine !== seq) return;
    if (answer && answer.type === 'Scanned' && answer.show_panel) showPanel();
  }

  // Single-page apps: re-scan when the URL changes (history API or hash).
  let timer = 0;
  function maybeNavigated() {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (location.href !== lastUrl) { lastUrl = location.href; scan(); return; }
      // The app re-rendered and dropped our panel: put it back.
      if (host && !host.isConnected) document.documentElement.append(host);
    }, 300);
  }
  addEventListener('popstate', maybeNavigated);
  addEventListener('hashchange', maybeNavigated);
  new MutationObserver(maybeNavigated).observe(document.documentElement, { childList: true, subtree: true });

  scan();
})();
