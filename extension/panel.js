import init, { start_panel } from './wasm/deskside_pages.js';
import { pageEnv, wasmUrl } from './pages.js';

// The content script put its one-time token in the fragment (#t=…).
const token = new URLSearchParams(location.hash.slice(1)).get('t') ?? '';
init({ module_or_path: wasmUrl }).then(() => start_panel(pageEnv(), token));
