//! The `deskside lookup` command, run as the built binary: dry runs (secrets
//! redacted), saved answers mapped, definition and usage errors, and live
//! lookups against a tiny server on 127.0.0.1.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Command;
use std::sync::mpsc;

const SECRET_VARS: &[&str] = &["DESKSIDE_KEY", "DESKSIDE_CLIENT_ID", "DESKSIDE_CLIENT_SECRET", "DESKSIDE_USERNAME", "DESKSIDE_PASSWORD"];

struct Run {
    code: Option<i32>,
    out: String,
    err: String,
}

/// A path in this crate's directory, or the repository's.
fn here(p: &str) -> String {
    format!("{}/{p}", env!("CARGO_MANIFEST_DIR"))
}

fn testapi_definition() -> String {
    here("../../tests/testapi/definition.json")
}

fn deskside(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_deskside"));
    cmd.arg("lookup").args(args);
    for v in SECRET_VARS {
        cmd.env_remove(v);
    }
    cmd.envs(env.iter().copied());
    let out = cmd.output().unwrap();
    Run { code: out.status.code(), out: String::from_utf8_lossy(&out.stdout).into_owned(), err: String::from_utf8_lossy(&out.stderr).into_owned() }
}

/// `needle`s appear in `hay` in this order.
fn in_order(hay: &str, needles: &[&str]) -> Result<(), String> {
    let mut at = 0;
    for n in needles {
        match hay[at..].find(n) {
            Some(i) => at += i + n.len(),
            None => return Err(format!("missing (in order) {n:?}")),
        }
    }
    Ok(())
}

struct DryRun {
    name: &'static str,
    connector: String,
    args: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
    /// Lines of the output, in this order.
    expect: &'static [&'static str],
}

/// Each dry run prints the requests it would send, in order, with every
/// secret redacted (the secrets are canaries, checked absent everywhere).
#[test]
fn dry_runs_print_the_requests_with_secrets_redacted() {
    let cases = [
        DryRun {
            name: "demo_crm by email",
            connector: "demo_crm".into(),
            args: &["--email", "Li.Na@Yunfan-Tech.example"],
            env: &[("DESKSIDE_KEY", "canary-key-4711")],
            expect: &["# lookup 1 of 1\n", "GET http://127.0.0.1:7000/api/v1/customers?email=Li.Na%40yunfan-tech.example\n", "Accept: application/json\n", "Authorization: Bearer <redacted>\n"],
        },
        DryRun {
            name: "demo_crm by phone in the region",
            connector: "demo_crm".into(),
            args: &["--phone", "138 0013 8000", "--region", "cn"],
            env: &[("DESKSIDE_KEY", "canary-key-4711")],
            expect: &["GET http://127.0.0.1:7000/api/v1/customers?phone=%2B8613800138000\n", "Authorization: Bearer <redacted>\n"],
        },
        DryRun {
            name: "demo_crm by id",
            connector: "demo_crm".into(),
            args: &["--id", "cus_1002"],
            env: &[("DESKSIDE_KEY", "canary-key-4711")],
            expect: &["GET http://127.0.0.1:7000/api/v1/customers/cus_1002\n"],
        },
        DryRun {
            name: "test API: the token request, then the search with the token",
            connector: testapi_definition(),
            args: &["--email", "mia.fischer@globex.example"],
            env: &[("DESKSIDE_CLIENT_ID", "canary-id-0815"), ("DESKSIDE_CLIENT_SECRET", "canary-secret-0815")],
            expect: &[
                "# token request\n",
                "POST http://127.0.0.1:7000/oauth/token\n",
                "Content-Type: application/x-www-form-urlencoded\n",
                "\ngrant_type=client_credentials&client_id=<redacted>&client_secret=<redacted>\n",
                "# lookup 1 of 1\n",
                "GET http://127.0.0.1:7000/v2/people/search?per_page=20&q=mia.fischer%40globex.example\n",
                "Authorization: Bearer <token>\n",
            ],
        },
        DryRun {
            name: "the key in the query",
            connector: here("tests/data/query_auth_definition.json"),
            args: &["--email", "a@b.example"],
            env: &[("DESKSIDE_KEY", "canary-key-4711")],
            expect: &["GET http://127.0.0.1:7000/people?email=a%40b.example&api_token=<redacted>\n"],
        },
        DryRun {
            name: "the key in a header of its own, a JSON body",
            connector: here("tests/data/header_auth_definition.json"),
            args: &["--email", "a\"b@c.example"],
            env: &[("DESKSIDE_KEY", "canary-key-4711")],
            expect: &["POST http://127.0.0.1:7000/search\n", "X-Partner: <redacted>\n", "Content-Type: application/json\n", "\n{\"filter\":{\"email\":\"a\\\"b@c.example\"}}\n"],
        },
        DryRun {
            name: "HTTP Basic",
            connector: here("tests/data/basic_auth_definition.json"),
            args: &["--id", "C 7/8"],
            env: &[("DESKSIDE_USERNAME", "canary-user-1"), ("DESKSIDE_PASSWORD", "canary-pass-1")],
            expect: &["GET http://127.0.0.1:7000/contacts/C%207%2F8\n", "Authorization: Basic <redacted>\n"],
        },
    ];
    let mut failures = Vec::new();
    for c in &cases {
        let mut args = vec!["--connector", c.connector.as_str(), "--base-url", "http://127.0.0.1:7000", "--dry-run"];
        args.extend_from_slice(c.args);
        let r = deskside(&args, c.env);
        let mut problems = Vec::new();
        if r.code != Some(0) {
            problems.push(format!("exit {:?}", r.code));
        }
        if let Err(e) = in_order(&r.out, c.expect) {
            problems.push(e);
        }
        for (_, secret) in c.env {
            if r.out.contains(secret) || r.err.contains(secret) {
                problems.push(format!("the secret {secret} is printed"));
            }
        }
        if !problems.is_empty() {
            failures.push(format!("{}: {}\n--- stdout\n{}--- stderr\n{}", c.name, problems.join("; "), r.out, r.err));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The client secret of a client-credentials definition is nowhere in what
/// a dry run prints, on either stream, raw or percent-encoded.
#[test]
fn a_dry_run_never_prints_a_secret() {
    let secret = "canary-7f3a+9/Q";
    let id = "canary-client-id-77";
    let def = testapi_definition();
    let r = deskside(
        &["--connector", &def, "--base-url", "http://127.0.0.1:8787/api", "--email", "mia.fischer@globex.example", "--dry-run"],
        &[("DESKSIDE_CLIENT_ID", id), ("DESKSIDE_CLIENT_SECRET", secret)],
    );
    assert_eq!(r.code, Some(0), "{}", r.err);
    assert!(r.out.contains("client_secret=<redacted>"), "{}", r.out);
    for s in [secret, "canary-7f3a%2B9%2FQ", "7f3a", id] {
        assert!(!r.out.contains(s), "stdout shows {s}:\n{}", r.out);
        assert!(!r.err.contains(s), "stderr shows {s}:\n{}", r.err);
    }
}

/// Without the secrets a dry run still prints the requests (placeholders
/// stand for them, named on stderr); a real lookup refuses, naming the variables.
#[test]
fn missing_secrets_are_named() {
    let def = testapi_definition();
    let args = ["--connector", def.as_str(), "--base-url", "http://127.0.0.1:9", "--email", "a@b.example"];
    let r = deskside(&[&args[..], &["--dry-run"]].concat(), &[]);
    assert_eq!(r.code, Some(0), "{}", r.err);
    assert!(r.err.contains("DESKSIDE_CLIENT_ID is not set") && r.err.contains("DESKSIDE_CLIENT_SECRET is not set"), "{}", r.err);
    assert!(r.out.contains("# token request") && r.out.contains("client_secret=<redacted>"), "{}", r.out);
    let r = deskside(&args, &[("DESKSIDE_CLIENT_ID", "x-client")]);
    assert_eq!(r.code, Some(2), "{}", r.err);
    assert!(r.err.contains("DESKSIDE_CLIENT_SECRET not set"), "{}", r.err);
    assert!(!r.err.contains("DESKSIDE_CLIENT_ID"), "{}", r.err);
    let r = deskside(&["--connector", "demo_crm", "--base-url", "http://127.0.0.1:9", "--email", "a@b.example"], &[("DESKSIDE_KEY", "")]);
    assert_eq!(r.code, Some(2));
    assert!(r.err.contains("DESKSIDE_KEY not set"), "{}", r.err);
}

/// A saved answer is mapped as the extension maps it: the customer, the
/// fuzzy search's near miss left out and counted, the API's total.
#[test]
fn a_saved_answer_is_mapped() {
    let def = testapi_definition();
    let answer = here("tests/data/testapi_search_answer.json");
    let r = deskside(&["--connector", &def, "--base-url", "https://api.testapi.example", "--email", "Mia.Fischer@GLOBEX.example", "--answer", &answer], &[]);
    assert_eq!(r.code, Some(0), "{}", r.err);
    let v: serde_json::Value = serde_json::from_str(&r.out).unwrap_or_else(|e| panic!("{e}: {}", r.out));
    let customers = v["customers"].as_array().unwrap();
    assert_eq!(customers.len(), 1, "{}", r.out);
    let c = &customers[0];
    assert_eq!(c["id"], "P-1001");
    assert_eq!(c["name"], "Mia Fischer");
    assert_eq!(c["company"], "Globex GmbH");
    assert_eq!(c["tier"], "platinum");
    assert_eq!(c["source"], "Acme People API");
    assert_eq!(c["custom"][1]["label"], "Seats");
    assert_eq!(c["custom"][1]["value"], "42");
    assert_eq!(v["near_misses"], 1);
    assert_eq!(v["total"], 2);
}

struct AnswerCase {
    name: &'static str,
    connector: String,
    args: &'static [&'static str],
    answer: &'static str,
    code: i32,
    /// In stdout when 0, in stderr otherwise.
    expect: &'static [&'static str],
}

/// Answers that find nobody (exit 0) or are errors (exit 1, the English
/// message the panel would show).
#[test]
fn saved_answers_not_found_and_errors() {
    let cases = [
        AnswerCase {
            name: "nobody",
            connector: "demo_crm".into(),
            args: &["--email", "nobody@example.com"],
            answer: "demo_empty_answer.json",
            code: 0,
            expect: &["\"customers\": []", "\"near_misses\": 0", "\"total\": 0"],
        },
        AnswerCase {
            name: "an error inside a 200",
            connector: testapi_definition(),
            args: &["--email", "a@b.example"],
            answer: "testapi_error_answer.json",
            code: 1,
            expect: &["The CRM sent an answer Deskside cannot read", "daily quota exceeded"],
        },
        AnswerCase {
            name: "an HTML page (a wrong base URL)",
            connector: "demo_crm".into(),
            args: &["--email", "a@b.example"],
            answer: "html_answer.html",
            code: 1,
            expect: &["The connector is not set up correctly", "http://127.0.0.1:7000/api/v1/customers"],
        },
        AnswerCase {
            name: "another shape (the list is missing)",
            connector: "demo_crm".into(),
            args: &["--email", "a@b.example"],
            answer: "testapi_search_answer.json",
            code: 1,
            expect: &["The connector is not set up correctly", "/data"],
        },
    ];
    let mut failures = Vec::new();
    for c in &cases {
        let answer = here(&format!("tests/data/{}", c.answer));
        let mut args = vec!["--connector", c.connector.as_str(), "--base-url", "http://127.0.0.1:7000", "--answer", answer.as_str()];
        args.extend_from_slice(c.args);
        let r = deskside(&args, &[]);
        let shown = if c.code == 0 { &r.out } else { &r.err };
        let missing: Vec<_> = c.expect.iter().filter(|e| !shown.contains(*e)).collect();
        if r.code != Some(c.code) || !missing.is_empty() {
            failures.push(format!("{}: exit {:?} (want {}), missing {missing:?}\n--- stdout\n{}--- stderr\n{}", c.name, r.code, c.code, r.out, r.err));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A definition with mistakes: every problem is printed with its path, exit 2.
#[test]
fn a_broken_definition_lists_its_problems_with_their_paths() {
    let def = here("tests/data/broken_definition.json");
    let r = deskside(&["--connector", &def, "--base-url", "http://127.0.0.1:7000", "--email", "a@b.example", "--dry-run"], &[("DESKSIDE_KEY", "k-1234")]);
    assert_eq!(r.code, Some(2), "{}", r.err);
    assert!(r.out.is_empty(), "{}", r.out);
    assert!(r.err.contains("is not a valid connector definition (4 problems)"), "{}", r.err);
    for path in ["\n  id: ", "\n  lookups.email.0.path: ", "\n  results.list: ", "\n  map.id: "] {
        assert!(r.err.contains(path), "no {path:?} in:\n{}", r.err);
    }
    let r = deskside(&["--connector", &here("tests/data/html_answer.html"), "--base-url", "http://127.0.0.1:7000", "--email", "a@b.example", "--dry-run"], &[]);
    assert_eq!(r.code, Some(2), "{}", r.err);
    assert!(r.err.contains("(the file): "), "{}", r.err);
}

/// Mistakes on the command line: exit 2 and a message saying what is wrong.
#[test]
fn usage_errors() {
    let def = testapi_definition();
    let cases: &[(&[&str], &str)] = &[
        (&["--connector", "demo_crm", "--base-url", "http://127.0.0.1:7000", "--phone", "12", "--dry-run"], "--phone 12: not a phone number for region CN"),
        (&["--connector", "demo_crm", "--base-url", "http://127.0.0.1:7000", "--phone", "call me", "--region", "gb", "--dry-run"], "--phone call me: not a phone number for region GB"),
        (&["--connector", "demo_crm", "--base-url", "http://127.0.0.1:7000", "--email", "not-an-address", "--dry-run"], "--email not-an-address: not an email address"),
        (&["--connector", "nosuch_crm", "--base-url", "http://127.0.0.1:7000", "--email", "a@b.example"], "--connector nosuch_crm: no such file, and not a shipped preset (demo_crm, hubspot, salesforce, zendesk, freshdesk, pipedrive, zoho_crm, intercom)"),
        (&["--connector", "generic", "--base-url", "http://127.0.0.1:7000", "--email", "a@b.example"], "not a shipped preset"),
        (&["--base-url", "http://127.0.0.1:7000", "--email", "a@b.example"], "--connector is required"),
        (&["--connector", "demo_crm", "--email", "a@b.example"], "--base-url is required"),
        (&["--connector", "demo_crm", "--base-url", "http://127.0.0.1:7000"], "an identifier is required"),
        (&["--connector", "demo_crm", "--base-url", "http://127.0.0.1:7000", "--email", "a@b.example", "--id", "7"], "give one identifier"),
        (&["--connector", "demo_crm", "--base-url", "http://crm.example.com", "--email", "a@b.example", "--dry-run"], "--base-url http://crm.example.com: "),
        (&["--connector", "demo_crm", "--base-url", "https://crm.example.com", "--email", "a@b.example"], "live https requests are not built into this CLI yet; use --dry-run, or --answer with a saved response"),
        (&["--connector", &def, "--base-url", "http://127.0.0.1:7000", "--id", "P-1", "--dry-run", "--answer", "x.json"], "--dry-run and --answer do not go together"),
        (&["--connector", "demo_crm", "--base-url", "http://127.0.0.1:7000", "--email", "a@b.example", "--frobnicate"], "unexpected argument '--frobnicate'"),
        (&["--connector", "zendesk", "--email", "a@b.example", "--dry-run"], "--setup subdomain: required"),
        (&["--connector", "zendesk", "--setup", "subdomain=evil.test/x", "--email", "a@b.example", "--dry-run"], "--setup subdomain: 'evil.test/x' does not fit here; for example: acme"),
        (&["--connector", "zendesk", "--setup", "subdomain", "--email", "a@b.example", "--dry-run"], "--setup subdomain: write NAME=VALUE"),
        (&["--connector", "demo_crm", "--base-url", "http://127.0.0.1:7000", "--email", "a@b.example", "--dry-run", "--every-attempt"], "--every-attempt sends the requests"),
        (&["--connector", "demo_crm", "--base-url", "http://127.0.0.1:7000", "--email", "a@b.example", "--answer", "/nonexistent/answer.json"], "cannot read /nonexistent/answer.json"),
    ];
    let mut failures = Vec::new();
    for (args, want) in cases {
        let r = deskside(args, &[("DESKSIDE_KEY", "k-1234")]);
        if r.code != Some(2) || !r.err.contains(want) || !r.out.is_empty() {
            failures.push(format!("{args:?}: exit {:?}, want 2 and {want:?}\n--- stdout\n{}--- stderr\n{}", r.code, r.out, r.err));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // A preset's base URL from its setup values, or fixed.
    let r = deskside(&["--connector", "zendesk", "--setup", "subdomain=acme", "--email", "a@b.example", "--dry-run"], &[("DESKSIDE_USERNAME", "agent@acme.example/token"), ("DESKSIDE_PASSWORD", "t-1234")]);
    assert!(r.code == Some(0) && r.out.contains("GET https://acme.zendesk.com/api/v2/users/search?query=email%3Aa%40b.example"), "{}{}", r.out, r.err);
    let r = deskside(&["--connector", "hubspot", "--email", "a@b.example", "--dry-run"], &[("DESKSIDE_KEY", "k-1234")]);
    assert!(r.code == Some(0) && r.out.contains("POST https://api.hubapi.com/crm/v3/objects/contacts/search") && !r.out.contains("k-1234"), "{}{}", r.out, r.err);
    let r = deskside(&["--help"], &[]);
    assert_eq!(r.code, Some(0));
    assert!(r.out.contains("usage: deskside lookup --connector FILE|PRESET") && r.out.contains("DESKSIDE_CLIENT_SECRET"), "{}", r.out);
}

/// A server on 127.0.0.1 that answers each connection with the next canned
/// answer and reports the requests it received.
fn serve(answers: Vec<String>) -> (String, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for answer in answers {
            let Ok((mut s, _)) = listener.accept() else { return };
            let mut req = Vec::new();
            let mut buf = [0u8; 4096];
            // The head, then as much body as Content-Length says.
            loop {
                let n = s.read(&mut buf).unwrap_or(0);
                req.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&req).into_owned();
                if let Some(end) = text.find("\r\n\r\n") {
                    let len = text.lines().find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap())).unwrap_or(0);
                    if req.len() >= end + 4 + len {
                        break;
                    }
                }
                if n == 0 {
                    break;
                }
            }
            let _ = tx.send(String::from_utf8_lossy(&req).into_owned());
            let _ = s.write_all(answer.as_bytes());
        }
    });
    (base, rx)
}

fn with_length(status: &str, extra: &str, body: &str) -> String {
    format!("HTTP/1.1 {status}\r\nContent-Type: application/json\r\n{extra}Content-Length: {}\r\n\r\n{body}", body.len())
}

/// A live lookup: the request the server receives (request line,
/// Authorization), and the mapped customer printed.
#[test]
fn a_live_lookup_over_loopback_http() {
    let body = r#"{"data": [{"id": "cus_1002", "name": "李娜", "email": "li.na@yunfan-tech.example", "phone": "+8613800138000", "tier": "黄金"},
                            {"id": "cus_9", "name": "Near miss", "email": "li.na.2@yunfan-tech.example"}], "total": 2}"#;
    let (base, requests) = serve(vec![with_length("200 OK", "", body)]);
    let r = deskside(&["--connector", "demo_crm", "--base-url", &base, "--email", "li.na@yunfan-tech.example"], &[("DESKSIDE_KEY", "live-key-31337")]);
    assert_eq!(r.code, Some(0), "{}", r.err);
    let req = requests.recv_timeout(std::time::Duration::from_secs(5)).unwrap();
    assert!(req.starts_with("GET /api/v1/customers?email=li.na%40yunfan-tech.example HTTP/1.1\r\n"), "{req}");
    assert!(req.contains("\r\nAuthorization: Bearer live-key-31337\r\n"), "{req}");
    assert!(req.contains(&format!("\r\nHost: {}\r\n", base.trim_start_matches("http://"))), "{req}");
    assert!(req.contains("\r\nConnection: close\r\n"), "{req}");
    let v: serde_json::Value = serde_json::from_str(&r.out).unwrap_or_else(|e| panic!("{e}: {}", r.out));
    assert_eq!(v["customers"][0]["id"], "cus_1002");
    assert_eq!(v["customers"][0]["tier"], "gold");
    assert_eq!(v["customers"].as_array().unwrap().len(), 1);
    assert_eq!((v["near_misses"].as_u64(), v["total"].as_u64()), (Some(1), Some(2)));
    assert!(!r.out.contains("live-key-31337") && !r.err.contains("live-key-31337"), "{}{}", r.out, r.err);
}

/// Client credentials live: the token exchange first (a form with the
/// client's id and secret), then the search with that token; the search's
/// answer chunked.
#[test]
fn a_live_lookup_exchanges_the_token_first() {
    let token = with_length("200 OK", "", r#"{"access_token": "tok-5150", "token_type": "Bearer", "expires_in": 300}"#);
    let search = std::fs::read_to_string(here("tests/data/testapi_search_answer.json")).unwrap();
    let (a, b) = search.split_at(search.len() / 2);
    let chunked = format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\n\r\n", a.len(), b.len());
    let (base, requests) = serve(vec![token, chunked]);
    let def = testapi_definition();
    let r = deskside(
        &["--connector", &def, "--base-url", &format!("{base}/api"), "--email", "mia.fischer@globex.example"],
        &[("DESKSIDE_CLIENT_ID", "cid-1"), ("DESKSIDE_CLIENT_SECRET", "canary-live-secret")],
    );
    assert_eq!(r.code, Some(0), "{}", r.err);
    let first = requests.recv_timeout(std::time::Duration::from_secs(5)).unwrap();
    let second = requests.recv_timeout(std::time::Duration::from_secs(5)).unwrap();
    assert!(first.starts_with("POST /api/oauth/token HTTP/1.1\r\n"), "{first}");
    assert!(first.ends_with("\r\n\r\ngrant_type=client_credentials&client_id=cid-1&client_secret=canary-live-secret"), "{first}");
    assert!(second.starts_with("GET /api/v2/people/search?per_page=20&q=mia.fischer%40globex.example HTTP/1.1\r\n"), "{second}");
    assert!(second.contains("\r\nAuthorization: Bearer tok-5150\r\n"), "{second}");
    let v: serde_json::Value = serde_json::from_str(&r.out).unwrap_or_else(|e| panic!("{e}: {}", r.out));
    assert_eq!(v["customers"][0]["id"], "P-1001");
    assert_eq!(v["near_misses"], 1);
    assert!(!r.err.contains("canary-live-secret") && !r.out.contains("canary-live-secret"));
}

/// Live errors: a 401 and a 429 with Retry-After are lookup errors (exit 1)
/// with the panel's English message; nothing listening is one too.
#[test]
fn live_errors_exit_1_with_the_message() {
    let cases = [
        (with_length("401 Unauthorized", "", "{}"), "401"),
        (with_length("429 Too Many Requests", "Retry-After: 30\r\n", "{}"), "30"),
        (with_length("404 Not Found", "", "<html>nope</html>"), "/api/v1/customers"),
    ];
    for (answer, want) in cases {
        let (base, _requests) = serve(vec![answer.clone()]);
        let r = deskside(&["--connector", "demo_crm", "--base-url", &base, "--email", "a@b.example"], &[("DESKSIDE_KEY", "k-1234")]);
        assert_eq!(r.code, Some(1), "{answer}: {}", r.err);
        assert!(r.err.contains(want) && r.out.is_empty(), "{answer}:\n{}", r.err);
    }
    // A port nothing listens on.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let r = deskside(&["--connector", "demo_crm", "--base-url", &format!("http://127.0.0.1:{port}"), "--email", "a@b.example"], &[("DESKSIDE_KEY", "k-1234")]);
    assert_eq!(r.code, Some(1), "{}", r.err);
    assert!(r.err.contains("Could not reach the CRM"), "{}", r.err);
}
