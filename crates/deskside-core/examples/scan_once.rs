//! Profiling aid: `identify_text` on one file, as the wasm `scanText` runs it
//! (ranked candidates as compact JSON). `cargo run --release --example
//! scan_once -p deskside-core -- FILE [REPEAT [TEAM_DOMAIN…]]`; run under
//! `valgrind --tool=callgrind` to count instructions per function. (Team
//! domains after the count: the rules that read the team's messages and
//! sections run only when the admin has named some.)
fn main() {
    let mut args = std::env::args().skip(1);
    let file = args.next().expect("usage: scan_once FILE [REPEAT [TEAM_DOMAIN…]]");
    let repeat: usize = args.next().map_or(1, |r| r.parse().expect("REPEAT is a number"));
    let text = std::fs::read_to_string(&file).expect("a UTF-8 file");
    let team_domains: Vec<String> = args.collect();
    let ctx = deskside_core::identify::ScanContext { default_region: "CN".into(), team_domains, ..Default::default() };
    let mut len = 0;
    for _ in 0..repeat {
        let found = deskside_core::identify::identify_text(&text, &ctx);
        len += deskside_core::identify::candidates_to_json(&found).len();
    }
    println!("{len}");
}
