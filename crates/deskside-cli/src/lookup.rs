//! `deskside lookup`: runs a connector definition from the terminal, as the
//! extension's background does (same request building, same mapping), so an
//! admin can test a definition and CI can check one.

use crate::http;
use crate::Exit;
use deskside_core::config::ConnectorKind;
use deskside_core::connector::def::{AuthDef, Definition, RequestDef};
use deskside_core::connector::engine::{self, Secrets};
use deskside_core::connector::{presets, HttpRequest, HttpResponse, LookupError, Stamp, ATTEMPT_TIMEOUT_MS};
use deskside_core::i18n::{data, format, Catalog, Msg, Text};
use deskside_core::identify::{Candidate, IdKind, Source};
use deskside_core::model::Customer;
use deskside_core::phone::normalize_phone_typed;
use deskside_core::secret::Secret;
use deskside_core::weburl::{encode_component, is_loopback_host, BaseUrl};
use serde::Serialize;
use std::sync::OnceLock;
use std::time::Duration;

pub const USAGE: &str = "usage: deskside lookup --connector FILE|PRESET [--base-url URL | --setup NAME=VALUE…] (--email X | --phone X | --id X) [--region CN] [--dry-run | --answer FILE | --every-attempt [--related]] [--ca-file PEM] [--plain-http] [--token-url URL]\n\
    Runs a connector definition (a JSON file in the format of docs/CONNECTORS.md, or a shipped preset: demo_crm, hubspot,\n\
    salesforce, zendesk, freshdesk, pipedrive, zoho_crm, intercom)\n\
    for one identifier and prints the mapped result as JSON: {\"customers\": [...], \"near_misses\": N, \"total\": N}.\n\
    \n\
    \x20 --connector FILE|PRESET  the definition file, or a preset's id\n\
    \x20 --base-url URL           the API's base URL (https://, or http:// on this computer); a preset with a base_url\n\
    \x20                         template makes it from its setup values instead, unless --base-url is given\n\
    \x20 --setup NAME=VALUE       a setup value of the definition (subdomain=acme, dc=.eu, instance_url=https://…)\n\
    \x20 --email X | --phone X | --id X   the identifier (--id is a customer id)\n\
    \x20 --region CN              the region a phone number without +country code is read in (default CN)\n\
    \x20 --dry-run                print the request(s) it would send, secrets redacted; send nothing\n\
    \x20 --answer FILE            send nothing: read FILE as the API's answer (status 200) to the first request\n\
    \x20 --every-attempt          send every request of the lookup, even after one finds someone, and print each\n\
    \x20                         one's outcome: {\"attempts\": [{\"url\", \"status\", \"customers\", \"near_misses\", \"error\"}]}\n\
    \x20 --related               with --every-attempt: then send the follow-up requests of the first record found (its\n\
    \x20                         deals, tickets, notes, company) and print each one's outcome too, and the record with\n\
    \x20                         them: {\"attempts\": […], \"related\": [{\"into\", \"url\", \"status\", \"error\"}], \"record\": {…}}\n\
    \x20 --token-url URL         ask for the access token here instead of the definition's token URL (a test server)\n\
    \x20 --ca-file PEM            also trust the certificate authorities in this PEM file (a company proxy's, a test\n\
    \x20                         server's); Mozilla's roots, built in, are always trusted\n\
    \x20 --plain-http             accept plain http:// for the --base-url host, another computer: the key is sent\n\
    \x20                         unencrypted (an intranet CRM); only that host, as the extension's setting\n\
    \n\
    Secrets come from the environment, as the definition's auth kind needs them: DESKSIDE_KEY (api_key),\n\
    DESKSIDE_USERNAME and DESKSIDE_PASSWORD (basic), DESKSIDE_CLIENT_ID and DESKSIDE_CLIENT_SECRET (client_credentials;\n\
    refresh_token also DESKSIDE_REFRESH_TOKEN), DESKSIDE_APP_ID and DESKSIDE_APP_SECRET (app_token),\n\
    DESKSIDE_KEY_ID and DESKSIDE_SECRET (signed): DESKSIDE_ and the secret's name in upper case.\n\
    Signed requests use this computer's clock and a random nonce.\n\
    Live requests go over https:// (or http:// on this computer, or to the --plain-http host), one connection and\n\
    10 seconds at most each; redirects are not followed (a 3xx is the answer, an error).\n\
    Exit status: 0 found or not found, 1 the lookup failed, 2 usage or definition error.";

/// How live requests go out (the CA file and the accepted plain-http host),
/// set once before the first one.
pub(crate) static TRANSPORT: OnceLock<http::Transport> = OnceLock::new();

/// What the command prints on success.
#[derive(Serialize)]
struct Output<'a> {
    customers: &'a [Customer],
    near_misses: usize,
    total: Option<u64>,
}

enum Mode {
    DryRun,
    Answer(String),
    Live,
    EveryAttempt,
}

struct Args {
    connector: String,
    base_url: Option<String>,
    setup: std::collections::BTreeMap<String, String>,
    identifier: (IdKind, String),
    region: String,
    mode: Mode,
    related: bool,
    token_url: Option<String>,
    ca_file: Option<String>,
    plain_http: bool,
}

pub fn run(args: impl Iterator<Item = String>) -> Result<(), Exit> {
    let Some(args) = parse_args(args)? else {
        outln!("{USAGE}");
        return Ok(());
    };
    let mut def = load_definition(&args.connector)?;
    if let Some(url) = &args.token_url {
        use deskside_core::connector::def::TokenEndpoint;
        let at = BaseUrl::parse(url).map_err(|e| Exit::usage(format!("--token-url {url}: {}", english(&e.message().into()))))?;
        match &mut def.auth {
            AuthDef::ClientCredentials { endpoint, .. } | AuthDef::RefreshToken { endpoint, .. } => *endpoint = TokenEndpoint::Url(at.to_string()),
            AuthDef::AppToken(a) => a.endpoint = TokenEndpoint::Url(at.to_string()),
            _ => return Err(Exit::usage(format!("--token-url: connector {} exchanges no token", def.id))),
        }
    }
    let candidate = candidate(args.identifier.0, &args.identifier.1, &args.region)?;
    let base = match &args.base_url {
        Some(url) if args.plain_http => BaseUrl::parse_any(url).map_err(|e| Exit::usage(format!("--base-url {url}: {}", english(&e.message().into()))))?,
        Some(url) => BaseUrl::parse(url).map_err(|e| Exit::usage(format!("--base-url {url}: {}", english(&e.message().into()))))?,
        None if def.asks_base_url() => return Err(Exit::usage(format!("--base-url is required for {}\n{USAGE}", def.id))),
        None => def.base_url_from(&args.setup).map_err(|errors| {
            let lines: Vec<String> = errors.iter().map(|e| format!("--setup {}: {}", e.field, english(&e.message))).collect();
            Exit::usage(lines.join("\n"))
        })?,
    };
    let lookups = def.lookups_for(candidate.kind);
    if lookups.is_empty() {
        return Err(Exit::usage(format!("connector {}: {}", def.id, english(&Text::new(Msg::LookupCannotSearchBy, [candidate.kind.name_in_sentence().into()])))));
    }
    let live_mode = matches!(args.mode, Mode::Live | Mode::EveryAttempt);
    let remote_plain = base.scheme == "http" && !is_loopback_host(&base.host);
    if args.plain_http && !remote_plain {
        return Err(Exit::usage(format!("--plain-http is for an http:// base URL of another computer; {} needs none", base.origin())));
    }
    if live_mode {
        let transport = http::Transport::new(args.ca_file.as_deref(), remote_plain.then(|| base.host.clone())).map_err(Exit::usage)?;
        if remote_plain {
            eprintln!("deskside: --plain-http: the secrets go to {} unencrypted; anyone on the way can read them", base.origin());
        }
        let _ = TRANSPORT.set(transport);
    }
    let (secrets, redactor) = secrets_from_env(&def.auth, !live_mode)?;
    // The setup values a token URL is made of (given, or those the base URL was made from).
    // (Given ones win; a record link may use one the base URL is not made of.)
    let mut setup = def.setup_from_base(&base);
    setup.extend(args.setup.clone());
    let ctx = Ctx { def: &def, base: &base, setup: &setup, secrets: &secrets };
    let result = match &args.mode {
        Mode::DryRun => {
            out!("{}", redactor.clean(&dry_run(&ctx, &candidate, &stamp())?));
            eprintln!("deskside: dry run, nothing sent");
            return Ok(());
        }
        Mode::Answer(file) => from_answer_file(&def, &base, &secrets, &candidate, lookups, file)?,
        Mode::Live => live(&ctx, &candidate, lookups),
        Mode::EveryAttempt => {
            let (json, failed) = every_attempt(&ctx, &candidate, lookups, args.related);
            outln!("{}", redactor.clean(&json));
            return if failed { Err(Exit::lookup("an attempt failed (see \"error\" above)".into())) } else { Ok(()) };
        }
    };
    match result {
        Ok(answer) => {
            let out = Output { customers: &answer.customers, near_misses: answer.near_misses, total: answer.total };
            let json = serde_json::to_string_pretty(&out).map_err(|e| Exit::lookup(e.to_string()))?;
            outln!("{}", redactor.clean(&json));
            Ok(())
        }
        Err(e) => Err(Exit::lookup(redactor.clean(&e))),
    }
}

/// `None`: help was asked for.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, Exit> {
    let (mut connector, mut base_url, mut identifier, mut region) = (None, None, None, "CN".to_string());
    let (mut dry_run, mut answer, mut every, mut related, mut token_url) = (false, None, false, false, None);
    let (mut ca_file, mut plain_http) = (None, false);
    let mut setup = std::collections::BTreeMap::new();
    let need = |flag: &str, v: Option<String>| v.filter(|v| !v.starts_with("--")).ok_or_else(|| Exit::usage(format!("{flag} needs a value\n{USAGE}")));
    while let Some(a) = args.next() {
        match a.as_str() {
            "-h" | "--help" => return Ok(None),
            "--connector" => connector = Some(need("--connector", args.next())?),
            "--base-url" => base_url = Some(need("--base-url", args.next())?),
            "--region" => region = need("--region", args.next())?.to_uppercase(),
            "--dry-run" => dry_run = true,
            "--every-attempt" => every = true,
            "--related" => related = true,
            "--token-url" => token_url = Some(need("--token-url", args.next())?),
            "--ca-file" => ca_file = Some(need("--ca-file", args.next())?),
            "--plain-http" => plain_http = true,
            "--setup" => {
                let v = need("--setup", args.next())?;
                let (k, v) = v.split_once('=').ok_or_else(|| Exit::usage(format!("--setup {v}: write NAME=VALUE\n{USAGE}")))?;
                setup.insert(k.trim().to_string(), v.to_string());
            }
            "--answer" => answer = Some(need("--answer", args.next())?),
            "--email" | "--phone" | "--id" => {
                let kind = match a.as_str() {
                    "--email" => IdKind::Email,
                    "--phone" => IdKind::Phone,
                    _ => IdKind::CustomerId,
                };
                if identifier.is_some() {
                    return Err(Exit::usage(format!("give one identifier: --email, --phone or --id\n{USAGE}")));
                }
                identifier = Some((kind, need(&a, args.next())?));
            }
            other => return Err(Exit::usage(format!("unexpected argument '{other}'\n{USAGE}"))),
        }
    }
    let connector = connector.ok_or_else(|| Exit::usage(format!("--connector is required\n{USAGE}")))?;
    let identifier = identifier.ok_or_else(|| Exit::usage(format!("an identifier is required: --email, --phone or --id\n{USAGE}")))?;
    let mode = match (dry_run, answer, every) {
        (true, Some(_), _) => return Err(Exit::usage(format!("--dry-run and --answer do not go together\n{USAGE}"))),
        (true, None, true) | (false, Some(_), true) => return Err(Exit::usage(format!("--every-attempt sends the requests: not with --dry-run or --answer\n{USAGE}"))),
        (true, None, false) => Mode::DryRun,
        (false, Some(f), false) => Mode::Answer(f),
        (false, None, true) => Mode::EveryAttempt,
        (false, None, false) => Mode::Live,
    };
    if related && !matches!(mode, Mode::EveryAttempt) {
        return Err(Exit::usage(format!("--related goes with --every-attempt\n{USAGE}")));
    }
    Ok(Some(Args { connector, base_url, setup, identifier, region, mode, related, token_url, ca_file, plain_http }))
}

/// A definition file, or a shipped preset by its id.
pub(crate) fn load_definition(connector: &str) -> Result<Definition, Exit> {
    let path = std::path::Path::new(connector);
    if !path.is_file() {
        let preset = ConnectorKind::parse(connector).and_then(presets::definition);
        return preset.cloned().ok_or_else(|| {
            let ids: Vec<&str> = presets::SOURCES.iter().map(|(k, _, _)| k.id()).collect();
            Exit::usage(format!("--connector {connector}: no such file, and not a shipped preset ({})", ids.join(", ")))
        });
    }
    let json = std::fs::read_to_string(path).map_err(|e| Exit::usage(format!("cannot read {connector}: {e}")))?;
    Definition::parse(&json).map_err(|errors| {
        let mut msg = format!("{connector} is not a valid connector definition ({} problem{}):", errors.len(), if errors.len() == 1 { "" } else { "s" });
        for e in errors {
            let at = if e.path.is_empty() { "(the file)" } else { e.path.as_str() };
            msg.push_str(&format!("\n  {at}: {}", english(&e.message)));
        }
        Exit::usage(msg)
    })
}

fn candidate(kind: IdKind, raw: &str, region: &str) -> Result<Candidate, Exit> {
    let raw = raw.trim();
    let value = match kind {
        IdKind::Email => match raw.rsplit_once('@') {
            Some((local, domain)) if !local.is_empty() && !domain.is_empty() && !raw.chars().any(char::is_whitespace) => format!("{local}@{}", domain.to_lowercase()),
            _ => return Err(Exit::usage(format!("--email {raw}: not an email address"))),
        },
        IdKind::Phone => normalize_phone_typed(raw, region).ok_or_else(|| Exit::usage(format!("--phone {raw}: not a phone number for region {region}")))?,
        _ if raw.is_empty() => return Err(Exit::usage("--id needs a value".into())),
        _ => raw.to_string(),
    };
    Ok(Candidate { kind, value, source: Source::Text, score: 1, sensitive: false, label: None })
}

/// The environment variable of a secret: `DESKSIDE_KEY` for the API key,
/// `DESKSIDE_` and the upper-case name for the others.
pub fn env_name(secret: &str) -> String {
    if secret == "api_key" {
        "DESKSIDE_KEY".into()
    } else {
        format!("DESKSIDE_{}", secret.to_ascii_uppercase())
    }
}

/// The secrets the auth kind needs, from the environment. With
/// `placeholders` (nothing is sent) a missing one is a placeholder.
pub(crate) fn secrets_from_env(auth: &AuthDef, placeholders: bool) -> Result<(Secrets, Redactor), Exit> {
    let mut secrets = Secrets::new();
    let mut redactor = Redactor::default();
    let mut missing = Vec::new();
    for name in auth.secrets() {
        let var = env_name(name);
        match std::env::var(&var) {
            Ok(v) if !v.is_empty() => {
                redactor.add(&v);
                secrets.insert((*name).to_string(), Secret::new(v));
            }
            _ if placeholders => {
                eprintln!("deskside: {var} is not set (the {name} of this connector); a placeholder stands for it");
                secrets.insert((*name).to_string(), Secret::new(format!("<{var} unset>")));
            }
            _ => missing.push(var),
        }
    }
    if missing.is_empty() {
        Ok((secrets, redactor))
    } else {
        Err(Exit::usage(format!("{} not set: this connector's auth needs {} (environment variable{})", missing.join(" and "), if missing.len() == 1 { "it" } else { "them" }, if missing.len() == 1 { "" } else { "s" })))
    }
}

/// What a lookup is run with.
struct Ctx<'a> {
    def: &'a Definition,
    base: &'a BaseUrl,
    setup: &'a std::collections::BTreeMap<String, String>,
    secrets: &'a Secrets,
}

/// The requests a lookup would send, one block each, secrets redacted.
fn dry_run(ctx: &Ctx, id: &Candidate, stamp: &Stamp) -> Result<String, Exit> {
    let Ctx { def, base, secrets, .. } = *ctx;
    let mut out = String::new();
    let token = match engine::token_request(def, base, ctx.setup, secrets) {
        Some(req) => {
            let req = req.map_err(|e| Exit::usage(english(&e.user_message())))?;
            out.push_str(&show_request("token request", &req, def));
            out.push('\n');
            Some(Secret::new("<token>"))
        }
        None => None,
    };
    let reqs = engine::build_requests(def, base, secrets, token.as_ref(), id, stamp).map_err(|e| Exit::usage(english(&e.user_message())))?;
    let n = reqs.len();
    for (i, req) in reqs.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&show_request(&format!("lookup {} of {n}", i + 1), req, def));
    }
    Ok(out)
}

/// One request as text: method and URL, headers, body; every secret redacted.
fn show_request(title: &str, req: &HttpRequest, def: &Definition) -> String {
    let method = req.method.as_str();
    let mut out = format!("# {title}\n{method} {}\n", req.shown_url());
    for (k, v) in &req.headers {
        out.push_str(&format!("{k}: {}\n", redact_header(k, v, req, &def.auth)));
    }
    if let Some(body) = req.shown_body() {
        out.push('\n');
        out.push_str(&body);
        out.push('\n');
    }
    out
}

fn redact_header(name: &str, value: &str, req: &HttpRequest, auth: &AuthDef) -> String {
    let n = name.to_ascii_lowercase();
    // The dry run's stand-in for a token exchanged later, in a header of the API's own.
    if value == "<token>" {
        return value.into();
    }
    if n == "authorization" {
        return match value.split_once(' ') {
            // The dry run's stand-in for a token exchanged later.
            Some((scheme, "<token>")) => format!("{scheme} <token>"),
            Some((scheme, _)) => format!("{scheme} <redacted>"),
            None => "<redacted>".into(),
        };
    }
    let named = matches!(auth, AuthDef::Header { name: h } if h.eq_ignore_ascii_case(name));
    if named || req.secret_header(name) {
        "<redacted>".into()
    } else {
        value.to_string()
    }
}

/// The secrets' values, taken out of anything printed: a second line of
/// defence behind the redaction of each place a secret goes.
#[derive(Default)]
pub(crate) struct Redactor {
    values: Vec<String>,
}

impl Redactor {
    fn add(&mut self, v: &str) {
        // Very short values would blank out ordinary text; the places a
        // secret goes are redacted one by one anyway.
        if v.chars().count() >= 4 {
            self.values.push(v.to_string());
            let encoded = encode_component(v);
            if encoded != v {
                self.values.push(encoded);
            }
            if let Ok(json) = serde_json::to_string(v) {
                let inner = json.trim_matches('"').to_string();
                if inner != v {
                    self.values.push(inner);
                }
            }
        }
        // Longest first, so a value's longer form is not half replaced.
        self.values.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }

    pub(crate) fn clean(&self, text: &str) -> String {
        self.values.iter().fold(text.to_string(), |t, v| t.replace(v.as_str(), "<redacted>"))
    }
}

/// `--answer FILE`: the file is the API's answer (200) to the first request.
fn from_answer_file(def: &Definition, base: &BaseUrl, secrets: &Secrets, id: &Candidate, lookups: &[RequestDef], file: &str) -> Result<Result<engine::Answer, String>, Exit> {
    let body = std::fs::read(file).map_err(|e| Exit::usage(format!("cannot read {file}: {e}")))?;
    let token = def.auth.token_endpoint().is_some().then(|| Secret::new("<token>"));
    let reqs = engine::build_requests(def, base, secrets, token.as_ref(), id, &stamp()).map_err(|e| Exit::usage(english(&e.user_message())))?;
    let url = reqs.first().map(|r| r.url.clone()).unwrap_or_default();
    let resp = HttpResponse { status: 200, body: String::from_utf8_lossy(&body).into_owned(), ..HttpResponse::default() };
    Ok(engine::read_answer(def, &lookups[0], &def.name, id, &url, &resp).map_err(|e| english(&e.user_message())))
}

/// Sends the requests: the token exchange when the auth kind has one, then
/// each lookup in order until one finds a record.
fn live(ctx: &Ctx, id: &Candidate, lookups: &[RequestDef]) -> Result<engine::Answer, String> {
    let Ctx { def, base, secrets, .. } = *ctx;
    let say = |e: LookupError| english(&e.user_message());
    let max = def.limits.max_body_bytes + 64 * 1024;
    let token = match engine::token_request(def, base, ctx.setup, secrets) {
        Some(req) => {
            let req = req.map_err(say)?;
            let resp = send(&req, max, def)?;
            Some(engine::read_token(&def.auth, &resp).map_err(say)?.0)
        }
        None => None,
    };
    let reqs = engine::build_requests(def, base, secrets, token.as_ref(), id, &stamp()).map_err(say)?;
    let mut near_misses = 0;
    let mut last = engine::Answer::default();
    for (req, rdef) in reqs.iter().zip(lookups) {
        let resp = send(req, max, def)?;
        let answer = engine::read_answer_with(def, rdef, &def.name, id, &req.url, &resp, ctx.setup).map_err(say)?;
        near_misses += answer.near_misses;
        let found = !answer.customers.is_empty();
        last = answer;
        if found {
            break;
        }
    }
    last.near_misses = near_misses;
    Ok(last)
}

/// One attempt's outcome, for `--every-attempt`.
#[derive(Serialize)]
struct Attempt {
    method: &'static str,
    url: String,
    status: Option<u16>,
    customers: Vec<Customer>,
    near_misses: usize,
    error: Option<String>,
}

/// One follow-up's outcome, for `--related`.
#[derive(Serialize)]
struct FollowUp {
    into: &'static str,
    method: &'static str,
    url: String,
    status: Option<u16>,
    error: Option<String>,
}

/// Sends every request of the lookup (the contract suite checks each one
/// against the vendor's description) and maps each answer; with `related`,
/// then the follow-ups of the first record found. The JSON of every
/// outcome, and whether any failed.
fn every_attempt(ctx: &Ctx, id: &Candidate, lookups: &[RequestDef], related: bool) -> (String, bool) {
    let Ctx { def, base, secrets, .. } = *ctx;
    let say = |e: LookupError| english(&e.user_message());
    let max = def.limits.max_body_bytes + 64 * 1024;
    let mut attempts = Vec::new();
    let token = match engine::token_request(def, base, ctx.setup, secrets) {
        Some(req) => match req.map_err(say).and_then(|req| send(&req, max, def)).and_then(|resp| engine::read_token(&def.auth, &resp).map_err(say)) {
            Ok((t, _)) => Some(t),
            Err(e) => return (serde_json::json!({"attempts": [], "error": e}).to_string(), true),
        },
        None => None,
    };
    let reqs = match engine::build_requests(def, base, secrets, token.as_ref(), id, &stamp()) {
        Ok(r) => r,
        Err(e) => return (serde_json::json!({"attempts": [], "error": say(e)}).to_string(), true),
    };
    for (req, rdef) in reqs.iter().zip(lookups) {
        let url = req.shown_url();
        let method = req.method.as_str();
        let mut a = Attempt { method, url, status: None, customers: Vec::new(), near_misses: 0, error: None };
        match send(req, max, def) {
            Err(e) => a.error = Some(e),
            Ok(resp) => {
                a.status = Some(resp.status);
                match engine::read_answer_with(def, rdef, &def.name, id, &req.url, &resp, ctx.setup) {
                    Ok(answer) => {
                        a.customers = answer.customers;
                        a.near_misses = answer.near_misses;
                    }
                    Err(e) => a.error = Some(say(e)),
                }
            }
        }
        attempts.push(a);
    }
    let mut failed = attempts.iter().any(|a| a.error.is_some());
    if !related {
        return (serde_json::to_string_pretty(&serde_json::json!({ "attempts": attempts })).unwrap_or_default(), failed);
    }
    let Some(mut record) = attempts.iter().find_map(|a| a.customers.first().cloned()) else {
        let out = serde_json::json!({ "attempts": attempts, "related": [], "record": null, "error": "no record found: no follow-up to send" });
        return (serde_json::to_string_pretty(&out).unwrap_or_default(), true);
    };
    let mut follow_ups = Vec::new();
    match engine::related_requests(def, base, secrets, token.as_ref(), &record, &stamp()) {
        Err(e) => {
            failed = true;
            follow_ups.push(FollowUp { into: "", method: "", url: String::new(), status: None, error: Some(say(e)) });
        }
        Ok(reqs) => {
            let intos = engine::related_kinds(def, &record);
            for (k, req) in reqs.iter().enumerate() {
                let method = req.method.as_str();
                let mut f = FollowUp { into: intos.get(k).copied().unwrap_or(""), method, url: req.shown_url(), status: None, error: None };
                match send(req, max, def) {
                    Err(e) => f.error = Some(e),
                    Ok(resp) => {
                        f.status = Some(resp.status);
                        f.error = engine::read_related(def, k, &req.url, &resp, &mut record).err().map(say);
                    }
                }
                failed |= f.error.is_some();
                follow_ups.push(f);
            }
        }
    }
    let out = serde_json::json!({ "attempts": attempts, "related": follow_ups, "record": record });
    (serde_json::to_string_pretty(&out).unwrap_or_default(), failed)
}

pub(crate) fn send(req: &HttpRequest, max: usize, def: &Definition) -> Result<HttpResponse, String> {
    let shown = req.shown_url();
    let method = req.method.as_str();
    let transport = TRANSPORT.get().ok_or("no transport set up for live requests")?;
    let resp = transport.send(req, Duration::from_millis(u64::from(ATTEMPT_TIMEOUT_MS)), max).map_err(|f| match f {
        http::Failure::Timeout => english(&LookupError::Timeout.user_message()),
        http::Failure::TooLarge => english(&LookupError::BadResponse { message: Text::new(Msg::LookupTooLarge, [data(def.limits.max_body_bytes / 1024 / 1024)]) }.user_message()),
        http::Failure::Transport(detail) => format!("{} ({detail})", english(&LookupError::Network { message: Msg::LookupNoService.into() }.user_message())),
        http::Failure::Untrusted(detail) => detail,
    })?;
    eprintln!("deskside: {method} {shown} -> {}", resp.status);
    Ok(resp)
}

/// This computer's time and a random nonce, for signed requests.
pub(crate) fn stamp() -> Stamp {
    use std::hash::{BuildHasher, Hasher};
    let now_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64);
    let mut bytes = [0u8; 16];
    let from_os = std::fs::File::open("/dev/urandom").and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes)).is_ok();
    if !from_os {
        // No /dev/urandom: the standard library's randomly keyed hasher.
        for (i, chunk) in bytes.chunks_mut(8).enumerate() {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u64(now_ms ^ i as u64);
            chunk.copy_from_slice(&h.finish().to_le_bytes());
        }
    }
    let nonce: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Stamp::new(now_ms, &nonce)
}

/// A message in English (the extension's own catalog).
pub fn english(text: &Text) -> String {
    static EN: OnceLock<Catalog> = OnceLock::new();
    let catalog = EN.get_or_init(|| Catalog::parse(include_str!("../../../extension/_locales/en/messages.json")).expect("the English catalog parses"));
    format(catalog, text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use deskside_core::connector::Method;

    #[test]
    fn redaction_of_each_place() {
        let auth = AuthDef::Header { name: "X-Partner".into() };
        let req = HttpRequest { method: Method::Get, url: "http://127.0.0.1:1/".into(), headers: Vec::new(), body: None, redact: Default::default() };
        assert_eq!(redact_header("Authorization", "Bearer abc", &req, &auth), "Bearer <redacted>");
        assert_eq!(redact_header("Authorization", "Bearer <token>", &req, &auth), "Bearer <token>");
        assert_eq!(redact_header("x-partner", "abc", &req, &auth), "<redacted>");
        assert_eq!(redact_header("X-Api-Key", "abc", &req, &AuthDef::Bearer), "<redacted>");
        assert_eq!(redact_header("Accept", "application/json", &req, &auth), "application/json");
        let with = HttpRequest { redact: deskside_core::connector::Redact { headers: vec!["X-Auth".into()], ..Default::default() }, ..req };
        assert_eq!(redact_header("x-auth", "abc", &with, &AuthDef::Bearer), "<redacted>");
        let mut r = Redactor::default();
        r.add("s3cr et+/");
        r.add("ab");
        assert_eq!(r.clean("k=s3cr%20et%2B%2F and s3cr et+/ ab"), "k=<redacted> and <redacted> ab");
    }

    #[test]
    fn env_names() {
        assert_eq!(env_name("api_key"), "DESKSIDE_KEY");
        assert_eq!(env_name("client_secret"), "DESKSIDE_CLIENT_SECRET");
    }
}
