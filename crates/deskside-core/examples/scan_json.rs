//! `identify_text` on one file (region CN), the ranked candidates printed as
//! the wasm `scanText` answers them. For checking that a speed change keeps
//! every result: run two builds on the same inputs and compare the outputs
//! byte for byte (`docs/BENCHMARKS.md`).
//!
//!     cargo run --release -p deskside-core --example scan_json -- FILE
fn main() {
    let Some(file) = std::env::args().nth(1) else {
        eprintln!("usage: scan_json FILE");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| {
        eprintln!("{file}: {e}");
        std::process::exit(1);
    });
    let ctx = deskside_core::identify::ScanContext { default_region: "CN".into(), ..Default::default() };
    println!("{}", deskside_core::identify::candidates_to_json(&deskside_core::identify::identify_text(&text, &ctx)));
}
