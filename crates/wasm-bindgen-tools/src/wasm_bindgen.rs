//! `wasm-bindgen` CLI, pinned by the workspace lock file. (The binary cannot be
//! named `wasm-bindgen`: rustc mistakes a crate of that name for an old wasm-bindgen.)
fn main() {
    env_logger::init();
    if let Err(e) = wasm_bindgen_cli::wasm_bindgen::run_cli_with_args(std::env::args_os()) {
        eprintln!("error: {e:?}");
        std::process::exit(1);
    }
}
