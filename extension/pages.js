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
    loadCatalog: (dir) => fetch(api.runtime.getURL(`_locales/${dir}/messages.json`)).then((r) => r.text()),
  };
}

export const wasmUrl = api.runtime.getURL('wasm/deskside_pages_bg.wasm');
