//! `deskside write`: sends one write-back of a connector definition (a note
//! or a follow-up task on a record) as the extension's background does (same
//! request building, same reading of the answer), and with `--verify` then the
//! request that checks whether it landed. The contract suite runs every
//! preset's writes through it against the vendors' own API descriptions.

use crate::lookup::{english, load_definition, secrets_from_env, send, stamp, TRANSPORT};
use crate::{http, Exit};
use deskside_core::connector::def::{AuthDef, TokenEndpoint};
use deskside_core::connector::engine;
use deskside_core::connector::writes::{build_verify, build_write, read_created, read_verify, Created, WriteInput, WriteKind};
use deskside_core::connector::{HttpRequest, LookupError, Method};
use deskside_core::weburl::{is_loopback_host, BaseUrl};
use serde::Serialize;

pub const USAGE: &str = "usage: deskside write --connector FILE|PRESET [--base-url URL | --setup NAME=VALUE…] --record ID [--record-type T] (--note | --task) [--subject S] [--status S] [--text T] [--ticket-url URL] [--due YYYY-MM-DD] [--owner ID] [--priority P] [--op OP] [--verify] [--token-url URL] [--ca-file PEM] [--plain-http]\n\
    Sends one write of a connector definition (its writes.note or writes.task) for the record ID, as the extension does,\n\
    and prints the outcome as JSON: {\"op\", \"write\": {\"method\", \"url\", \"status\", \"created\": {\"id\", \"link\"}, \"error\"}, \"verify\"}.\n\
    \n\
    \x20 --note | --task          what to write: a note on the record (ticket subject, status, link, the text) or a follow-up task\n\
    \x20 --record-type T          the record's type as the lookup that found it names it (`{record_type}`: Zoho's Contacts, Leads)\n\
    \x20 --subject, --status, --text, --ticket-url, --due, --owner, --priority   the write's values, as the panel's form gives them\n\
    \x20 --op OP                  the operation id (op- and 8 to 64 letters, digits or -): its marker, its idempotency key;\n\
    \x20                         default a fresh random one\n\
    \x20 --verify                 then send the definition's check for the operation (a search for its marker; none for a\n\
    \x20                         definition whose check is the idempotency key) and print \"verify\": {…, \"found\"}\n\
    \x20 other options and the secrets' environment variables: as `deskside lookup`\n\
    Exit status: 0 written (and checked), 1 the CRM refused or failed, 2 usage or definition error.";

#[derive(Serialize)]
struct Sent {
    method: &'static str,
    url: String,
    status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created: Option<Created>,
    #[serde(skip_serializing_if = "Option::is_none")]
    found: Option<Option<Created>>,
    error: Option<String>,
}

fn method_name(req: &HttpRequest) -> &'static str {
    if req.method == Method::Get { "GET" } else { "POST" }
}

pub fn run(mut args: impl Iterator<Item = String>) -> Result<(), Exit> {
    let (mut connector, mut base_url, mut kind, mut token_url, mut ca_file, mut plain_http, mut verify, mut op) = (None, None, None, None, None, false, false, None);
    let mut setup = std::collections::BTreeMap::new();
    let mut input = WriteInput::default();
    let need = |flag: &str, v: Option<String>| v.ok_or_else(|| Exit::usage(format!("{flag} needs a value\n{USAGE}")));
    while let Some(a) = args.next() {
        match a.as_str() {
            "-h" | "--help" => {
                outln!("{USAGE}");
                return Ok(());
            }
            "--connector" => connector = Some(need(&a, args.next())?),
            "--base-url" => base_url = Some(need(&a, args.next())?),
            "--token-url" => token_url = Some(need(&a, args.next())?),
            "--ca-file" => ca_file = Some(need(&a, args.next())?),
            "--plain-http" => plain_http = true,
            "--verify" => verify = true,
            "--op" => op = Some(need(&a, args.next())?),
            "--note" | "--task" if kind.is_some() => return Err(Exit::usage(format!("give one of --note and --task\n{USAGE}"))),
            "--note" => kind = Some(WriteKind::Note),
            "--task" => kind = Some(WriteKind::Task),
            "--record" => input.record_id = need(&a, args.next())?,
            "--record-type" => input.record_type = need(&a, args.next())?,
            "--subject" => input.subject = need(&a, args.next())?,
            "--status" => input.status = need(&a, args.next())?,
            "--text" => input.text = need(&a, args.next())?,
            "--ticket-url" => input.ticket_url = need(&a, args.next())?,
            "--due" => input.due = need(&a, args.next())?,
            "--owner" => input.owner = need(&a, args.next())?,
            "--priority" => input.priority = need(&a, args.next())?,
            "--setup" => {
                let v = need(&a, args.next())?;
                let (k, v) = v.split_once('=').ok_or_else(|| Exit::usage(format!("--setup {v}: write NAME=VALUE\n{USAGE}")))?;
                setup.insert(k.trim().to_string(), v.to_string());
            }
            other => return Err(Exit::usage(format!("unexpected argument '{other}'\n{USAGE}"))),
        }
    }
    let connector = connector.ok_or_else(|| Exit::usage(format!("--connector is required\n{USAGE}")))?;
    let kind = kind.ok_or_else(|| Exit::usage(format!("--note or --task is required\n{USAGE}")))?;
    let mut def = load_definition(&connector)?;
    let wd = def.writes.get(kind).ok_or_else(|| Exit::usage(format!("connector {}: no writes.{} (it cannot write a {} back)", def.id, kind.name(), kind.name())))?;
    let input = input.cleaned();
    if let Some(problem) = input.problem(kind, wd) {
        return Err(Exit::usage(english(&problem)));
    }
    if let Some(url) = &token_url {
        let at = BaseUrl::parse(url).map_err(|e| Exit::usage(format!("--token-url {url}: {}", english(&e.message().into()))))?;
        match &mut def.auth {
            AuthDef::ClientCredentials { endpoint, .. } | AuthDef::RefreshToken { endpoint, .. } => *endpoint = TokenEndpoint::Url(at.to_string()),
            AuthDef::AppToken(a) => a.endpoint = TokenEndpoint::Url(at.to_string()),
            _ => return Err(Exit::usage(format!("--token-url: connector {} exchanges no token", def.id))),
        }
    }
    let base = match &base_url {
        Some(url) => (if plain_http { BaseUrl::parse_any(url) } else { BaseUrl::parse(url) }).map_err(|e| Exit::usage(format!("--base-url {url}: {}", english(&e.message().into()))))?,
        None if def.asks_base_url() => return Err(Exit::usage(format!("--base-url is required for {}\n{USAGE}", def.id))),
        None => def.base_url_from(&setup).map_err(|errors| Exit::usage(errors.iter().map(|e| format!("--setup {}: {}", e.field, english(&e.message))).collect::<Vec<_>>().join("\n")))?,
    };
    let remote_plain = base.scheme == "http" && !is_loopback_host(&base.host);
    let transport = http::Transport::new(ca_file.as_deref(), remote_plain.then(|| base.host.clone())).map_err(Exit::usage)?;
    let _ = TRANSPORT.set(transport);
    let (secrets, redactor) = secrets_from_env(&def.auth, false)?;
    let mut all_setup = def.setup_from_base(&base);
    all_setup.extend(setup);
    let op = op.unwrap_or_else(|| format!("op-{}", &stamp().nonce[..16]));
    let say = |e: LookupError| english(&e.user_message());
    let max = def.limits.max_body_bytes + 64 * 1024;
    let token = match engine::token_request(&def, &base, &all_setup, &secrets) {
        Some(req) => {
            let req = req.map_err(|e| Exit::lookup(say(e)))?;
            let resp = send(&req, max, &def).map_err(Exit::lookup)?;
            Some(engine::read_token(&def.auth, &resp).map_err(|e| Exit::lookup(say(e)))?.0)
        }
        None => None,
    };
    let req = build_write(&def, &base, &secrets, token.as_ref(), &stamp(), kind, &input, &op).map_err(|e| Exit::usage(say(e)))?;
    let mut write = Sent { method: method_name(&req), url: req.shown_url(), status: None, created: None, found: None, error: None };
    match send(&req, max, &def) {
        Err(e) => write.error = Some(e),
        Ok(resp) if (200..300).contains(&resp.status) => {
            write.status = Some(resp.status);
            write.created = Some(read_created(&def, kind, &base.origin(), &input.record_id, &resp.body));
        }
        Ok(resp) => {
            write.status = Some(resp.status);
            write.error = Some(format!("the CRM answered {}: {}", resp.status, resp.body.chars().take(500).collect::<String>()));
        }
    }
    let mut failed = write.error.is_some();
    let checked = match verify.then(|| build_verify(&def, &base, &secrets, token.as_ref(), &stamp(), kind, &input.record_id, &input.record_type, &op)).flatten() {
        None => None,
        Some(Err(e)) => return Err(Exit::usage(say(e))),
        Some(Ok(req)) => {
            let mut v = Sent { method: method_name(&req), url: req.shown_url(), status: None, created: None, found: None, error: None };
            match send(&req, max, &def) {
                Err(e) => v.error = Some(e),
                Ok(resp) => {
                    v.status = Some(resp.status);
                    match read_verify(&def, kind, &base.origin(), &input.record_id, &op, &req.url, &resp) {
                        Ok(found) => v.found = Some(found),
                        Err(e) => v.error = Some(say(e)),
                    }
                }
            }
            failed |= v.error.is_some();
            Some(v)
        }
    };
    let out = serde_json::json!({ "op": op, "write": write, "verify": checked });
    outln!("{}", redactor.clean(&serde_json::to_string_pretty(&out).unwrap_or_default()));
    if failed {
        Err(Exit::lookup("the write or its check failed (see \"error\" above)".into()))
    } else {
        Ok(())
    }
}
