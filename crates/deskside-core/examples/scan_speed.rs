//! The scanner alone, natively, on one file: the best of 60 runs of
//! `identify_text` (region CN), in MB/s. For comparing two builds side by
//! side on the same machine (`docs/BENCHMARKS.md`); tests never time anything.
//!
//!     cargo run --release -p deskside-core --example scan_speed -- FILE
use deskside_core::identify::{identify_text, ScanContext};
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: scan_speed FILE");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1);
    });
    let ctx = ScanContext { default_region: "CN".into(), ..ScanContext::default() };
    let mut best = f64::MAX;
    let mut n = 0;
    for _ in 0..60 {
        let t = std::time::Instant::now();
        n += identify_text(&text, &ctx).len();
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!("{} candidates, {:.1} MB/s", n / 60, text.len() as f64 / best / 1e6);
}
