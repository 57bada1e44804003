import init, { start_options } from './wasm/deskside_pages.js';
import { pageEnv, wasmUrl } from './pages.js';

init({ module_or_path: wasmUrl }).then(() => start_options(pageEnv()));
