//! `deskside scan FILE [--region CN] [--team-domain DOMAIN]… [--json]`
//!
//! Runs the same identifier engine the extension runs in the background on a
//! saved page (HTML) or a text file, and prints the ranked candidates.
//!
//! `deskside lookup --connector FILE|PRESET --base-url URL --email X …`
//!
//! Runs a connector definition for one identifier (see [`lookup`]).
//!
//! `deskside write --connector FILE|PRESET --record ID --note|--task …`
//!
//! Sends one write-back of a definition, and its check (see [`write`]).

/// `print!`/`println!` that end the program quietly when the reader of
/// stdout has gone (`deskside scan big.txt | head`): the standard macros
/// panic on a broken pipe. Any other write error ends it with a message.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::write_out(format_args!($($arg)*))
    };
}
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::write_out(format_args!("{}\n", format_args!($($arg)*)))
    };
}

fn write_out(args: std::fmt::Arguments) {
    use std::io::Write;
    if let Err(e) = std::io::stdout().lock().write_fmt(args) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("deskside: cannot write the output: {e}");
        std::process::exit(1);
    }
}

mod http;
mod lookup;
mod write;

use deskside_core::html::{looks_like_html, snapshot_from_html, snapshot_from_text};
use deskside_core::identify::{identify, Candidate, ScanContext};
use deskside_core::phone::normalize_phone;
use serde::Serialize;
use std::process::ExitCode;

const SCAN_USAGE: &str = "usage: deskside scan FILE [--region CN] [--team-domain DOMAIN]... [--team-phone NUMBER]... [--json]\n\
    Prints the identifiers found in FILE (HTML or text), best first.";

fn usage() -> String {
    format!("{SCAN_USAGE}\n\n{}\n\n{}", lookup::USAGE, write::USAGE)
}

/// Why the command stopped, and its exit status: 1 a lookup failed, 2 a
/// usage or definition error.
pub struct Exit {
    pub code: u8,
    pub message: String,
}

impl Exit {
    pub fn usage(message: String) -> Exit {
        Exit { code: 2, message }
    }

    pub fn lookup(message: String) -> Exit {
        Exit { code: 1, message }
    }
}

#[derive(Serialize)]
struct Report<'a> {
    file: &'a str,
    region: &'a str,
    candidates: &'a [Candidate],
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let result = match args.next().as_deref() {
        Some("scan") => scan(args).map_err(Exit::usage),
        Some("lookup") => lookup::run(args),
        Some("write") => write::run(args),
        Some("-h" | "--help" | "help") => {
            outln!("{}", usage());
            Ok(())
        }
        _ => Err(Exit::usage(usage())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("deskside: {}", e.message);
            ExitCode::from(e.code)
        }
    }
}

fn scan(mut args: impl Iterator<Item = String>) -> Result<(), String> {
    let mut file = None;
    let mut json = false;
    let mut ctx = ScanContext { default_region: "CN".into(), ..ScanContext::default() };
    let mut team_phones = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--json" => json = true,
            "--region" => ctx.default_region = args.next().ok_or("--region needs a region code, e.g. CN")?.to_uppercase(),
            "--team-domain" => ctx.team_domains.push(args.next().ok_or("--team-domain needs a domain")?.to_lowercase()),
            "--team-phone" => team_phones.push(args.next().ok_or("--team-phone needs a number")?),
            f if !f.starts_with("--") && file.is_none() => file = Some(f.to_string()),
            "-h" | "--help" => {
                outln!("{SCAN_USAGE}");
                return Ok(());
            }
            other => return Err(format!("unexpected argument '{other}'\n{SCAN_USAGE}")),
        }
    }
    let file = file.ok_or(SCAN_USAGE)?;
    for p in team_phones {
        ctx.team_phones.push(normalize_phone(&p, &ctx.default_region).ok_or(format!("--team-phone {p}: not a phone number for region {}", ctx.default_region))?);
    }
    let bytes = std::fs::read(&file).map_err(|e| format!("cannot read {file}: {e}"))?;
    let input = String::from_utf8_lossy(&bytes);
    let snapshot = if looks_like_html(&input) { snapshot_from_html(&input) } else { snapshot_from_text(&input) };
    let candidates = identify(&snapshot, &ctx);
    if json {
        let report = Report { file: &file, region: &ctx.default_region, candidates: &candidates };
        outln!("{}", serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?);
    } else if candidates.is_empty() {
        outln!("no identifiers found in {file}");
    } else {
        for (i, c) in candidates.iter().enumerate() {
            outln!("{:>2}. {:<12} {:<40} {:<14} score {}", i + 1, format!("{:?}", c.kind), c.value, format!("{:?}", c.source), c.score);
        }
    }
    Ok(())
}
