// What the extension pages (panel, options) hand to the wasm: the few
// browser calls it needs, as promise-returning methods.
const api = globalThis.browser ?? globalThis.chrome;

export function pageEnv() {
  return {
    send: (msg) => api.runtime.sendMessage(msg),
    requestOrigins: (origins) => (origins.length ? api.permissions.request({ origins }) : Promise.resolve(true)),
    openOptions: () => api.runtime.openOptionsPage(),
    openLink: (url) => api.tabs.create({ url }),
    // The core decides the language from these (most preferred first).
    languages: [...(navigator.languages ?? []), api.i18n.getUILanguage()],
    openOptionsAt: (hash) => api.tabs.create({ url: api.runtime.getURL(`options.html#${hash}`) }),
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
