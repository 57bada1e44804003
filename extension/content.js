// Content script: plain JavaScript (WebAssembly cannot run here on a page
// with a strict CSP in Chromium). It reads what the page shows, sends it to
// the background, and frames the panel page. It never sees a key or a
// customer record: the panel is an extension page the helpdesk cannot read.
//
// Cost on the agent's page matters: the DOM is read with a TreeWalker (no
// innerText, which forces layout), mutations are only queued in the observer
// callback, and after a quiet moment (QUIET_MS without a change, or at most
// MAX_WAIT_MS after the first one, for apps that never stop changing) only
// what was added is read and sent. A switched ticket (the URL changed and
// the changes bring an identifier) is read at the next task instead.
// Past BULK_NODES added nodes (the app re-rendered) the page is read once,
// whole. A whole read is sliced: the first slice (adapter fields, links and
// the start of the text, at most FIRST_MS) is sent at once so the panel can
// appear; the rest follows in slices of at most SLICE_MS, each sent as an
// append once the background has answered the one before, so no task on the
// page's main thread grows with the page. `stats` records the main-thread
// time of each pass for the benchmark.
(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  if (globalThis.__desksideContent) return;
  const stats = { full: [], rest: [], restTotal: 0, restMax: 0, append: [], appendRead: [], observer: 0 };
  globalThis.__desksideContent = stats;
  // The extension was reloaded or updated while this page was open: its
  // background injects this script again (Firefox ends the old one; Chromium
  // leaves it running without a runtime, and first calls its `stop`). The
  // old script's panel is still on the page, its frame cut off from the
  // background: removed here, and this script makes its own.
  let stopped = false;
  for (const stale of document.querySelectorAll('deskside-panel')) stale.remove();

  const CHUNK = 64 * 1024; // text per field: few objects to serialise
  const MAX_TEXT = 2 * 1024 * 1024; // the background reads no more than this
  const MAX_FIELDS = 5000;
  const BULK_NODES = 150;
  const CONTACT_LINKS = 'a[href^="mailto:" i], a[href^="tel:" i]';
  const QUIET_MS = 250;
  const MAX_WAIT_MS = 1000;
  // A whole read's slices: at most this long to read and this much text
  // each (posting costs about as much as reading, per character).
  const FIRST_MS = 3;
  const SLICE_MS = 3;
  const SLICE_CHARS = CHUNK;
  // Parents whose text is not shown (nodeName: upper case for HTML, as
  // written for SVG and other XML).
  const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA', 'svg', 'style', 'script', 'DESKSIDE-PANEL']);
  let host = null;
  let shadow = null;
  let frame = null;
  let frameToken = '';
  const EXTENSION_ORIGIN = new URL(api.runtime.getURL('')).origin;
  let lastUrl = location.href;
  let rules = [];
  let active = null;
  let reading = 0; // which whole read is current (a newer one stops the older)

  // --- Reading the page --------------------------------------------------

  class Reader {
    // Text is gathered in an array and joined once per field: a string
    // grown with += is a rope that the browser must flatten (copy again)
    // when the message is serialised.
    constructor() { this.fields = []; this.size = 0; this.parts = []; this.chunkLen = 0; }
    push(source, text) {
      if (!text || this.size >= MAX_TEXT || this.fields.length >= MAX_FIELDS) return;
      this.size += text.length;
      this.fields.push({ source, text });
    }
    // One text node's text, with the line break that separates it.
    text(d) {
      this.parts.push(d, '\n');
      this.chunkLen += d.length + 1;
    }
    flush() {
      if (this.chunkLen) { this.push('text', this.parts.join('')); this.parts = []; this.chunkLen = 0; }
    }
    full() { return this.size + this.chunkLen >= MAX_TEXT || this.fields.length >= MAX_FIELDS; }
    // Links and inputs under `root` (an element or the document).
    links(root) {
      for (const a of root.querySelectorAll('a[href^="mailto:" i]')) this.push('mailto_link', a.getAttribute('href'));
      for (const a of root.querySelectorAll('a[href^="tel:" i]')) this.push('tel_link', a.getAttribute('href'));
      for (const i of root.querySelectorAll('input:not([type=password]):not([type=hidden])')) this.push('input_value', i.value);
    }
    // Visible text under `root`, in document order, whole.
    walk(root) {
      if (root.nodeType === Node.TEXT_NODE) {
        const p = root.parentElement;
        if (p && !SKIP.has(p.nodeName)) this.text(root.data);
        return;
      }
      this.walkFor(document.createTreeWalker(root, NodeFilter.SHOW_TEXT), Infinity);
    }
    // Text from `walker` until `deadline` (performance.now()); true when
    // the walker is done or the reader is full.
    walkFor(walker, deadline, maxChars = Infinity) {
      // No filter callback (a call into JS per node); the parent's name is
      // checked here instead. The clock is read every 64 nodes.
      for (let k = 1; ; k++) {
        const n = walker.nextNode();
        if (!n) return true;
        if (SKIP.has(n.parentNode.nodeName)) continue;
        this.text(n.data);
        if (this.chunkLen >= CHUNK) {
          this.flush();
          if (this.full()) return true;
          if ((maxChars -= CHUNK) <= 0) return false;
        }
        if ((k & 63) === 0 && performance.now() >= deadline) return false;
      }
    }
    // Elements a site adapter names: their value, links and text.
    role(selectors, source) {
      for (const sel of selectors) {
        let found;
        try { found = document.querySelectorAll(sel); } catch { continue; }
        for (const el of found) {
          const parts = [];
          if ('value' in el && typeof el.value === 'string') parts.push(el.value);
          for (const a of el.matches('a[href]') ? [el] : el.querySelectorAll(CONTACT_LINKS)) {
            parts.push(a.getAttribute('href'));
          }
          parts.push(el.textContent);
          this.push(source, parts.join('\n').slice(0, 4096));
        }
      }
    }
    snapshot() { this.flush(); return { fields: this.fields }; }
  }

  // A whole read of the page in slices: `first()` reads the adapter's
  // fields, the links, inputs and the start of the text; `next()` each
  // further slice of text (null when done). The background caps what it
  // reads per page (MAX_TEXT), so the reader stops there too.
  class PageRead {
    constructor() {
      this.walker = document.body ? document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT) : null;
      this.size = 0;
      this.done = !this.walker;
    }
    first() {
      const deadline = performance.now() + FIRST_MS;
      const r = new Reader();
      if (active) {
        r.role(active.requester, 'requester_field');
        r.role(active.agent, 'agent_field');
        // The team's own messages: whose invitation to call is whose.
        r.role(active.agent_messages || [], 'team_text');
      }
      r.links(document);
      return this.slice(r, deadline);
    }
    next() {
      if (this.done) return null;
      return this.slice(new Reader(), performance.now() + SLICE_MS);
    }
    slice(r, deadline) {
      if (!this.done) {
        r.size += this.size; // the first slice's links and fields count too
        this.done = r.walkFor(this.walker, deadline, SLICE_CHARS);
        this.size = r.size + r.chunkLen;
      }
      return r.snapshot();
    }
  }

  // The rows of a table (a ticket list, a queue) that hold something like an
  // identifier: the background tells from them a page of many customers.
  function listRows() {
    const out = [];
    const rows = document.querySelectorAll('tr, [role="row"]');
    for (let i = 0; i < rows.length && out.length < 500; i++) {
      const text = rows[i].textContent.slice(0, 1000);
      if (identifierLike(text)) out.push(text);
    }
    return out;
  }

  function readAdded(nodes) {
    const r = new Reader();
    for (const n of nodes) {
      if (n.nodeType === Node.ELEMENT_NODE) r.links(n);
      r.walk(n);
    }
    return r.snapshot();
  }

  // --- The panel ---------------------------------------------------------

  function newFrame(token) {
    const f = document.createElement('iframe');
    // (The browser's language: the page side has no settings to read.)
    f.title = api.i18n.getMessage('frame_title');
    // The token in the fragment: the background answers only the frame that
    // presents it (a page framing panel.html itself has none). And the
    // page's address, which the frame cannot read: a frame cut off from the
    // background by an update offers to load this page again.
    f.src = `${api.runtime.getURL('panel.html')}#t=${encodeURIComponent(token)}&u=${encodeURIComponent(location.href)}`;
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

  // One panel at a time: each needs its own token, asked in order, so the
  // frame shown is always the one holding the tab's current token.
  let showing = Promise.resolve();
  function showPanel() {
    showing = showing.then(makePanel, makePanel);
    return showing;
  }

  async function makePanel() {
    const answer = await request({ type: 'PanelToken' });
    if (answer?.type !== 'PanelToken') return; // background unavailable: the next change retries
    layout = answer.layout ?? layout;
    // The admin chose the browser's side panel: nothing on the page.
    if (answer.in_page === false) { removePanel(); return; }
    // A new frame, not a new src: changing src would add an entry to the
    // tab's history, and the agent's Back button would move our panel
    // instead of the helpdesk. Another ticket in the same tab keeps the
    // frame (and its started wasm): it is told (tellFrame) and asks again
    // with its token; a new frame comes only for a first panel, a restored
    // one, or one whose token went void.
    const next = newFrame(answer.token);
    frameToken = answer.token;
    stats.frameAt = performance.timeOrigin + performance.now();
    if (host && frame) {
      frame.replaceWith(next);
      frame = next;
      if (!host.isConnected) attachHost();
      applyLayout();
      return;
    }
    host = document.createElement('deskside-panel');
    // CSSOM, not style attributes: a strict style-src cannot block it.
    const hs = host.style;
    hs.setProperty('all', 'initial', 'important');
    hs.setProperty('position', 'fixed', 'important');
    hs.setProperty('z-index', '2147483646', 'important');
    hs.setProperty('display', 'flex', 'important');
    hs.setProperty('flex-direction', 'column', 'important');
    shadow = host.attachShadow({ mode: 'closed' });
    grip = document.createElement('div');
    grip.title = api.i18n.getMessage('frame_grip_title');
    const gs = grip.style;
    gs.setProperty('height', '12px');
    gs.setProperty('cursor', 'move');
    gs.setProperty('background', 'repeating-linear-gradient(90deg,#c5d0dc 0 2px,transparent 2px 5px)');
    gs.setProperty('display', 'none');
    grip.addEventListener('pointerdown', startDrag);
    frame = next;
    shadow.append(grip, frame);
    attachHost();
    applyLayout();
  }

  // --- Where the panel sits ----------------------------------------------
  //
  // Collapsed: a small tab on the page's edge. Expanded: docked beside the
  // page, which is made narrower by the panel's width (the <html> element's
  // margin, and the elements a site adapter names in `shrink`, for apps that
  // fill the viewport with fixed positioning), so none of the page's
  // controls is covered. Where docking still leaves a control under the
  // panel, it becomes an overlay the agent can drag by its grip. A page that
  // lists many customers keeps it collapsed. The layout comes from the
  // background (remembered per site; the panel's buttons and the keyboard
  // shortcut change it).
  const EXPANDED_W = 360;
  const MIN_EXPANDED_W = 280;
  const TAB_W = 40;
  const TAB_H = 200;
  let layout = { collapsed: true, side: 'right' };
  let listPage = 0;
  let grip = null;
  let docked = []; // [element, property, old value, old priority]
  let dragged = null; // {left, top} once the agent moved the overlay

  function setStyle(el, prop, value) {
    docked.push([el, prop, el.style.getPropertyValue(prop), el.style.getPropertyPriority(prop)]);
    el.style.setProperty(prop, value, 'important');
  }

  function undock() {
    for (const [el, prop, old, priority] of docked.reverse()) {
      if (old) el.style.setProperty(prop, old, priority); else el.style.removeProperty(prop);
    }
    docked = [];
  }

  function applyLayout() {
    if (!host) return;
    const collapsed = layout.collapsed || listPage > 0;
    applyWidth(layout.side === 'left' ? 'left' : 'right', collapsed ? TAB_W : EXPANDED_W);
  }

  function applyWidth(side, width) {
    const collapsed = width === TAB_W;
    const other = side === 'left' ? 'right' : 'left';
    const hs = host.style;
    undock();
    hs.setProperty(other, 'auto', 'important');
    hs.setProperty('width', `${width}px`, 'important');
    if (collapsed) {
      hs.setProperty(side, '0', 'important');
      hs.setProperty('top', `max(0px, calc(50% - ${TAB_H / 2}px))`, 'important');
      hs.setProperty('height', `${TAB_H}px`, 'important');
      hs.setProperty('bottom', 'auto', 'important');
    } else {
      hs.setProperty(side, '0', 'important');
      hs.setProperty('top', '0', 'important');
      hs.setProperty('bottom', '0', 'important');
      hs.setProperty('height', 'auto', 'important');
    }
    const fs = frame.style;
    fs.setProperty('border-radius', collapsed ? (side === 'right' ? '8px 0 0 8px' : '0 8px 8px 0') : '0');
    fs.setProperty('box-shadow', collapsed ? '0 2px 10px rgba(16,42,67,.18)' : `${side === 'right' ? '-' : ''}2px 0 12px rgba(16,42,67,.12)`);
    fs.setProperty('flex', '1');
    fs.setProperty('min-height', '0');
    // Make room: the page is narrower by the panel's width.
    setStyle(document.documentElement, `margin-${side}`, `${width}px`);
    for (const sel of active?.shrink ?? []) {
      let found = [];
      try { found = document.querySelectorAll(sel); } catch { /* not this browser's selector */ }
      for (const el of found) {
        const pos = getComputedStyle(el).position;
        if (pos === 'fixed' || pos === 'absolute') setStyle(el, side, `${width}px`);
        else setStyle(el, `margin-${side}`, `${width}px`);
      }
    }
    grip.style.setProperty('display', 'none');
    host.dataset.mode = collapsed ? 'collapsed' : 'docked';
    // A page of fixed width wider than what is left: a narrower panel, if
    // it can be one, rather than a page running under it.
    // (The body's own overflow: content running into the panel's margin.)
    const overflow = document.body ? document.body.scrollWidth - document.body.clientWidth : 0;
    if (!collapsed && overflow > 0 && width - overflow >= MIN_EXPANDED_W) {
      undock();
      return applyWidth(side, width - overflow);
    }
    let covered = coveredControls();
    // The tab covers a control fixed at the edge: another height on the edge.
    if (collapsed && covered.length) {
      const free = freeHeight();
      if (free !== null) { hs.setProperty('top', `${free}px`, 'important'); covered = coveredControls(); }
    }
    // Controls fixed at the edge itself (a toolbar): dock beside them.
    if (covered.length) {
      const inset = Math.min(innerWidth / 3, Math.max(...covered.map((c) => {
        const r = c.getBoundingClientRect();
        return side === 'right' ? innerWidth - r.left : r.right;
      })));
      hs.setProperty(side, `${Math.ceil(inset)}px`, 'important');
      setStyle(document.documentElement, `margin-${side}`, `${width + Math.ceil(inset)}px`);
      covered = coveredControls();
    }
    // Docking could not clear the panel's place: an overlay the agent can
    // drag away by its grip.
    if (!collapsed && covered.length) {
      host.dataset.mode = 'overlay';
      grip.style.setProperty('display', 'block');
      if (dragged) placeAt(dragged.left, dragged.top);
    }
  }

  // A height on the edge where the collapsed tab covers no control, nearest
  // the middle; null when there is none.
  function freeHeight() {
    const hs = host.style;
    const middle = Math.max(0, innerHeight / 2 - TAB_H / 2);
    const tops = [];
    for (let y = 0; y + TAB_H <= innerHeight; y += 20) tops.push(y);
    tops.sort((a, b) => Math.abs(a - middle) - Math.abs(b - middle));
    for (const y of tops.slice(0, 40)) {
      hs.setProperty('top', `${y}px`, 'important');
      if (!coveredControls().length) return y;
    }
    hs.setProperty('top', `${middle}px`, 'important');
    return null;
  }

  // The page's controls the panel's host covers (the host is what
  // elementFromPoint finds at a control's centre).
  function coveredControls() {
    if (!host?.isConnected) return [];
    const r = host.getBoundingClientRect();
    const out = [];
    const controls = document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, [role="button"]');
    for (let i = 0; i < controls.length && i < 5000; i++) {
      const b = controls[i].getBoundingClientRect();
      if (!b.width || !b.height || b.right <= r.left || b.left >= r.right || b.bottom <= r.top || b.top >= r.bottom) continue;
      // Its centre and near its corners: partly covered is covered.
      const points = [[b.left + b.width / 2, b.top + b.height / 2], [b.left + 2, b.top + 2], [b.right - 2, b.top + 2], [b.left + 2, b.bottom - 2], [b.right - 2, b.bottom - 2]];
      if (points.some(([x, y]) => document.elementFromPoint(Math.min(Math.max(x, 0), innerWidth - 1), Math.min(Math.max(y, 0), innerHeight - 1)) === host)) out.push(controls[i]);
    }
    return out;
  }

  function placeAt(left, top) {
    const hs = host.style;
    const w = host.getBoundingClientRect().width;
    left = Math.min(Math.max(0, left), innerWidth - 60);
    top = Math.min(Math.max(0, top), innerHeight - 60);
    hs.setProperty('left', `${left}px`, 'important');
    hs.setProperty('right', 'auto', 'important');
    hs.setProperty('top', `${top}px`, 'important');
    hs.setProperty('bottom', 'auto', 'important');
    hs.setProperty('height', `${Math.min(innerHeight - top, 640)}px`, 'important');
    hs.setProperty('width', `${w}px`, 'important');
    dragged = { left, top };
  }

  function startDrag(e) {
    e.preventDefault();
    const r = host.getBoundingClientRect();
    const dx = e.clientX - r.left;
    const dy = e.clientY - r.top;
    const move = (m) => placeAt(m.clientX - dx, m.clientY - dy);
    const stop = () => { removeEventListener('pointermove', move, true); removeEventListener('pointerup', stop, true); };
    addEventListener('pointermove', move, true);
    addEventListener('pointerup', stop, true);
  }

  // The background tells this tab's content script where the panel sits
  // (the agent used the panel's buttons or the keyboard shortcut).
  api.runtime.onMessage.addListener((msg, sender) => {
    if (sender.id !== api.runtime.id || sender.tab || msg?.type !== 'Layout') return;
    layout = msg.layout;
    applyLayout();
  });
  addEventListener('resize', () => { if (host && !layout.collapsed) applyLayout(); });
  // The customer changed: the frame asks the background again. The message
  // carries the frame's token, which the page cannot read (the frame's
  // address is inside a closed shadow root), so the page cannot make the
  // frame ask; and it goes only to a document of the extension's origin.
  // (A frame still starting asks anyway once it is up.)
  function tellFrame() {
    if (!frame?.contentWindow) { showPanel(); return; }
    stats.toldAt = performance.timeOrigin + performance.now();
    frame.contentWindow.postMessage({ deskside: 'tab-changed', token: frameToken, url: location.href }, EXTENSION_ORIGIN);
  }

  // Our frame's token went void (the tab left the site and came back): a
  // new frame with a new token. Only from our frame's own window: the page
  // can post messages too, but not as that window.
  addEventListener('message', (e) => {
    if (!frame || e.source !== frame.contentWindow || e.data?.deskside !== 'panel-refused') return;
    showPanel();
  });

  function removePanel() {
    if (!host) return;
    hostWatch.disconnect();
    clearTimeout(restoreTimer);
    restoreTimer = 0;
    undock();
    host.remove();
    host = null;
    frame = null;
  }

  // The page (an app re-rendering, or a hostile script) may remove our host.
  // It is put back at once the first time; while the page keeps removing it
  // right after each restore, each wait doubles (up to RESTORE_MAX_MS), so
  // there is no fight loop, and once the page settles one restore brings it
  // back. A restored frame is a new one with a new token: an iframe put back
  // into the document loads again, as another frame.
  const RESTORE_QUICK_MS = 1000;
  const RESTORE_MAX_MS = 4000;
  let restoreDelay = 0;
  let restoredAt = -Infinity;
  let restoreTimer = 0;
  const hostWatch = new MutationObserver(() => {
    if (!host || host.isConnected || restoreTimer) return;
    // Removed again right after a restore: back off.
    restoreDelay = performance.now() - restoredAt < RESTORE_QUICK_MS ? Math.min(RESTORE_MAX_MS, Math.max(250, restoreDelay * 2)) : 0;
    restoreTimer = setTimeout(restoreHost, restoreDelay);
  });

  function restoreHost() {
    restoreTimer = 0;
    if (!host || host.isConnected) return;
    restoredAt = performance.now();
    showPanel();
  }

  function attachHost() {
    document.documentElement.append(host);
    hostWatch.disconnect();
    hostWatch.observe(document, { childList: true }); // the whole <html> replaced
    hostWatch.observe(document.documentElement, { childList: true });
  }

  // --- Talking to the background -----------------------------------------

  // One long-lived port to the background: a one-off sendMessage opens and
  // closes a channel each time (about 0.3 ms of the page's main thread in
  // Chromium, most of what an appended message costs); a message on an open
  // port costs a fraction. The port closes when the background's service
  // worker stops; a request caught by that is sent again on a new port.
  let port = null;
  let nextId = 0;
  const waiting = new Map();

  function connect() {
    const p = api.runtime.connect({ name: 'deskside-page' });
    p.onMessage.addListener((reply) => {
      const done = waiting.get(reply?.id);
      waiting.delete(reply?.id);
      done?.(reply.answer);
    });
    p.onDisconnect.addListener(() => {
      void api.runtime.lastError; // read, so Chromium does not log it as unchecked
      if (port === p) port = null;
      for (const done of waiting.values()) done(undefined);
      waiting.clear();
    });
    return p;
  }

  async function request(msg, retry = true) {
    const id = ++nextId;
    const answer = await new Promise((resolve) => {
      waiting.set(id, resolve);
      try {
        port ??= connect();
        port.postMessage({ id, msg });
      } catch {
        port = null; // extension reloaded, or the port just closed
        waiting.delete(id);
        resolve(undefined);
      }
    });
    if (answer === undefined && retry) return request(msg, false);
    return answer;
  }

  function firstText(selectors) {
    for (const sel of selectors || []) {
      let el;
      try { el = document.querySelector(sel); } catch { continue; }
      if (!el) continue;
      const text = (typeof el.value === 'string' && el.matches('input, textarea') ? el.value : el.textContent).trim().slice(0, 300);
      if (text) return text;
    }
    return '';
  }

  // Resolves true when the background took the snapshot. An answer that
  // arrives after a newer whole read began (the app navigated meanwhile)
  // changes nothing: that read owns the panel now.
  async function send(type, snapshot, listRows) {
    const gen = reading;
    const msg = listRows ? { type, snapshot, list_rows: listRows } : { type, snapshot };
    // Which adapter's rules were used: a CRM's contact page shows the contact's tickets.
    if (type === 'PageScanned' && active) {
      msg.adapter = active.adapter;
      // The ticket's subject and status, where the adapter names them: the
      // first element found, its value (an input) or text; the note starts there.
      msg.subject = firstText(active.subject);
      msg.status = firstText(active.status);
    }
    const answer = await request(msg);
    // Background unavailable (extension reloaded): the next change retries.
    if (answer === undefined || gen !== reading) return false;
    if (type === 'PageScanned' && answer?.type === 'Scanned' && answer.list !== listPage) {
      listPage = answer.list ?? 0;
      applyLayout();
    }
    // (A page without a panel yet gets one; another customer in a page
    // that has one is shown by that frame, told here.)
    if (answer?.type === 'Scanned' && !frame) showPanel();
    else if (answer?.type === 'Scanned' && answer.show_panel) tellFrame();
    // An append the background cannot place (state lost, another ticket).
    else if (type === 'PageAppended' && answer?.type === 'Rejected') { fullScan(); return false; }
    return answer?.type === 'Scanned';
  }

  function fullScan() {
    const t0 = performance.now();
    pending.clear();
    const mine = ++reading;
    const read = new PageRead();
    const snap = read.first();
    const rows = listRows();
    const t1 = performance.now();
    const answered = send('PageScanned', snap, rows);
    const t2 = performance.now();
    stats.full.push(t2 - t0);
    stats.scanAt = performance.timeOrigin + t0; // (absolute, for tests/bench/product.mjs)
    stats.fullParts = { read: t1 - t0, send: t2 - t1, fields: snap.fields.length, chars: read.size };
    stats.rest = [];
    stats.restDone = read.done;
    observe();
    // The rest of the page, a slice per task, each once the background has
    // taken the one before (an append must find the scan stored).
    const more = async (ok) => {
      if (!ok || mine !== reading) return;
      await new Promise((r) => setTimeout(r, 0));
      if (mine !== reading) return;
      const s0 = performance.now();
      const slice = read.next();
      if (!slice || !slice.fields.length) { stats.restDone = true; return; }
      const next = send('PageAppended', slice);
      const took = performance.now() - s0;
      stats.rest.push(took);
      stats.restTotal += took;
      stats.restMax = Math.max(stats.restMax, took);
      more(await next);
    };
    answered.then((ok) => { stats.answeredAt = performance.timeOrigin + performance.now(); more(ok); });
  }

  function pickRules() {
    const before = active;
    active = rules.find((r) => {
      try { return !r.detect || document.querySelector(r.detect); } catch { return false; }
    }) ?? null;
    return active !== before;
  }

  // --- Watching the page -------------------------------------------------

  const pending = {
    // Added or changed nodes; removed nodes and the old values of changed
    // text (checked once things are quiet: did an identifier go away?).
    nodes: [], count: 0, bulk: false, removed: [], oldTexts: [],
    clear() { this.nodes = []; this.count = 0; this.bulk = false; this.removed = []; this.oldTexts = []; },
  };
  const MAX_REMOVED = 200;
  let target = null;
  let timer = 0;

  function ignorable(n) {
    const p = n.nodeType === Node.TEXT_NODE ? n.parentElement : n;
    return !p || SKIP.has(p.nodeName) || p.isContentEditable; // the agent typing a reply
  }

  // Only queues: the reading happens once things are quiet, or, for a
  // switched ticket, at once (`arrived`).
  const observer = new MutationObserver((records) => {
    const t0 = performance.now();
    const quick = !quickWait && location.href !== lastUrl && arrived(records);
    for (const r of records) {
      if (pending.bulk) break;
      if (r.type === 'characterData') {
        if (!ignorable(r.target)) {
          pending.nodes.push(r.target); pending.count++;
          if (r.oldValue && pending.oldTexts.length < MAX_REMOVED) pending.oldTexts.push(r.oldValue);
        }
        continue;
      }
      // (Not from the agent's reply box, or a script: `r.target` is the parent.)
      if (r.removedNodes.length && !ignorable(r.target)) {
        for (const n of r.removedNodes) if (pending.removed.length < MAX_REMOVED) pending.removed.push(n);
      }
      for (const n of r.addedNodes) {
        if (n.nodeType !== Node.ELEMENT_NODE && n.nodeType !== Node.TEXT_NODE) continue;
        if (ignorable(n)) continue;
        pending.nodes.push(n);
        if (++pending.count > BULK_NODES) { pending.bulk = true; pending.nodes = []; break; }
      }
    }
    schedule(quick);
    stats.observer += performance.now() - t0;
  });

  // The app navigated (the URL is not the one last read) and these changes
  // bring an identifier: a contact link, the site adapter's requester
  // element, or text like one. The switched ticket is read at the next task
  // rather than after the quiet wait: an app renders a ticket's view in one
  // task (a framework's commit), and what it adds in the same task or in its
  // microtasks is in by then. Later changes take the usual path (appends,
  // or a whole read when an identifier goes away), so an app that renders
  // in steps is still read whole.
  function arrived(records) {
    const requester = active?.requester ?? [];
    for (const r of records) {
      if (r.type === 'characterData') {
        if (!ignorable(r.target) && identifierLike(r.target.data)) return true;
        continue;
      }
      for (const n of r.addedNodes) {
        if (n === host || ignorable(n)) continue;
        if (n.nodeType === Node.ELEMENT_NODE) {
          for (const sel of requester) {
            try { if (n.matches(sel) || n.querySelector(sel)) return true; } catch { /* not this browser's selector */ }
          }
        }
        if (heldIdentifier(n)) return true;
      }
    }
    return false;
  }

  // The conversation container when a site adapter names one and it exists,
  // else the body; the body's direct children are watched too, to notice an
  // app replacing its whole view.
  function observe() {
    let next = null;
    if (active?.conversation) {
      try { next = document.querySelector(active.conversation); } catch { next = null; }
    }
    next ??= document.body;
    if (next === target && target?.isConnected) return;
    observer.disconnect();
    target = next;
    if (!target) return;
    observer.observe(target, { childList: true, subtree: true, characterData: true, characterDataOldValue: true });
    if (target !== document.body && document.body) observer.observe(document.body, { childList: true });
  }

  // An email address, or a number long enough to be a phone or an id:
  // worth a whole read when it disappears.
  function identifierLike(text) {
    const s = text.length > CHUNK ? text.slice(0, CHUNK) : text;
    if (s.includes('@')) return true;
    let digits = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if ((c >= 48 && c <= 57) || (c >= 0xff10 && c <= 0xff19)) { if (++digits >= 7) return true; }
    }
    return false;
  }

  function heldIdentifier(n) {
    if (n === host) return false;
    if (n.nodeType === Node.TEXT_NODE) return identifierLike(n.data);
    if (n.nodeType !== Node.ELEMENT_NODE || SKIP.has(n.nodeName)) return false;
    if (n.matches(CONTACT_LINKS) || n.querySelector(CONTACT_LINKS)) return true;
    return identifierLike(n.textContent);
  }

  let waitingSince = 0;
  let quickWait = false; // this wait ends at the next task (a switched ticket arrived)
  // When the last such read was due: at most one per QUIET_MS (a later one
  // waits for its turn), so a page that keeps changing its URL and
  // identifiers (a hostile one) is read no more often than a page that
  // pauses QUIET_MS between changes was before.
  let quickAt = -Infinity;

  // Reads once the page has been quiet for QUIET_MS, but no later than
  // MAX_WAIT_MS after the first change: a ticking clock or a stream of
  // typing indicators must not keep a re-rendered ticket unread. `quick`:
  // at the next task (changes until then are read with it; they do not
  // postpone it).
  function schedule(quick = false) {
    if (quickWait || stopped) return;
    const now = performance.now();
    waitingSince ||= now;
    clearTimeout(timer);
    quickWait = quick === true;
    if (quickWait) {
      const due = Math.max(now, quickAt + QUIET_MS);
      quickAt = due;
      timer = setTimeout(settle, due - now);
      return;
    }
    timer = setTimeout(settle, Math.max(0, Math.min(QUIET_MS, waitingSince + MAX_WAIT_MS - now)));
  }

  function settle() {
    waitingSince = 0;
    quickWait = false;
    // The app navigated (history API, hash): another ticket.
    if (location.href !== lastUrl) {
      lastUrl = location.href;
      pickRules();
      fullScan();
      return;
    }
    // (A removed panel is put back by hostWatch, with its backoff.)
    if (pickRules() || !target?.isConnected || pending.bulk) { fullScan(); return; }
    // Text that held an identifier was removed or rewritten (the app
    // re-rendered the ticket in place, the requester was changed): what was
    // read before may be stale, read the whole page once.
    if (pending.removed.some(heldIdentifier) || pending.oldTexts.some(identifierLike)) { fullScan(); return; }
    if (!pending.nodes.length) return;
    const t0 = performance.now();
    // Nodes still on the page, not inside another queued node.
    const queued = new Set(pending.nodes);
    const roots = pending.nodes.filter((n) => {
      if (!n.isConnected) return false;
      for (let p = n.parentNode; p && p !== target; p = p.parentNode) if (queued.has(p)) return false;
      return true;
    });
    pending.clear();
    // A site adapter's requester or agent element among them: the layout
    // changed under us, read the whole page once.
    const named = active ? [...active.requester, ...active.agent] : [];
    for (const n of roots) {
      const el = n.nodeType === Node.ELEMENT_NODE ? n : n.parentElement;
      if (!el) continue;
      for (const sel of named) {
        try {
          // Added inside one (its text changed), or holding one.
          if (el.closest(sel) || (el === n && n.querySelector(sel))) { fullScan(); return; }
        } catch { /* a selector this browser does not support */ }
      }
    }
    if (!roots.length) return;
    const snap = readAdded(roots);
    const t1 = performance.now();
    send('PageAppended', snap);
    const t2 = performance.now();
    stats.append.push(t2 - t0);
    stats.appendRead.push(t1 - t0);
  }

  addEventListener('popstate', schedule);
  addEventListener('hashchange', schedule);
  globalThis.navigation?.addEventListener?.('navigatesuccess', schedule);
  // History API navigations that change nothing we observe. (Not while a
  // read is already waiting: settle() sees the new URL, and re-arming the
  // quiet timer would only delay it, by up to QUIET_MS; issue 23's bench.)
  setInterval(() => { if (location.href !== lastUrl && !waitingSince) schedule(); }, 1000);

  // Called by the background before it injects a newer copy of this script
  // (an update, in Chromium, where this one keeps running): no more reads,
  // the panel and the page's margins as they were.
  stats.stop = () => {
    stopped = true;
    clearTimeout(timer);
    observer.disconnect();
    removePanel();
  };

  async function start() {
    const asked = performance.now();
    const answer = await request({ type: 'GetPageRules' });
    stats.firstAnswer = performance.now() - asked; // a stopped service worker's wake-up included
    if (answer?.type === 'PageRules') rules = answer.rules; // else no adapters: generic detection
    pickRules();
    fullScan();
  }
  start();
})();
