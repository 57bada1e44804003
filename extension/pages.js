// What the extension pages (panel, options) hand to the wasm: the few
// browser calls it needs, as promise-returning methods.
const api = globalThis.browser ?? globalThis.chrome;

export function pageEnv() {
  return {
    send: (msg) => api.runtime.sendMessage(msg),
    // Whether this page still reaches the background. A reloaded or updated
    // extension leaves an old panel frame behind: Chromium takes its
    // runtime away, Firefox leaves its messages unanswered. Any answer to
    // `ping` (or a refusal by the browser, which did reach the extension) is
    // "yes"; none within `ms` is "no".
    alive: (ping, ms) => new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      const done = (yes) => { clearTimeout(timer); resolve(yes); };
      try {
        if (!api.runtime?.id) { done(false); return; }
        api.runtime.sendMessage(ping).then(() => done(true), () => done(true));
      } catch { done(false); }
    }),
    // (Firefox gives an extension frame inside a web page no permissions API: rejected.)
    requestOrigins: (origins) => (!origins.length ? Promise.resolve(true)
      : api.permissions?.request ? api.permissions.request({ origins }) : Promise.reject(new Error('permissions'))),
    // Firefox gives an extension frame inside a web page neither `tabs` nor
    // `openOptionsPage`: a new tab from the click, as a link would.
    openOptions: () => (api.runtime.openOptionsPage ? api.runtime.openOptionsPage() : openTab(api.runtime.getURL('options.html'))),
    openLink: (url) => (api.tabs?.create ? api.tabs.create({ url }) : openTab(url)),
    // The core decides the language from these (most preferred first).
    languages: [...(navigator.languages ?? []), api.i18n.getUILanguage()],
    openOptionsAt: (hash) => { const url = api.runtime.getURL(`options.html#${hash}`); return api.tabs?.create ? api.tabs.create({ url }) : openTab(url); },
    copyText,
    loadCatalog: (dir) => fetch(api.runtime.getURL(`_locales/${dir}/messages.json`)).then((r) => r.text()),
  };
}

export const wasmUrl = api.runtime.getURL('wasm/deskside_pages_bg.wasm');

// The clipboard API where the page lets the frame use it, else the older
// copy command on a hidden field (focus goes back to the button).
async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const back = document.activeElement;
    const field = document.createElement('textarea');
    field.value = text;
    field.setAttribute('readonly', '');
    field.style.cssText = 'position:fixed;top:0;left:0;opacity:0';
    document.body.append(field);
    field.select();
    let ok = false;
    try { ok = document.execCommand('copy'); } catch { ok = false; }
    field.remove();
    back?.focus?.();
    return ok;
  }
}

function openTab(url) {
  window.open(url, '_blank', 'noopener');
  return Promise.resolve();
}
