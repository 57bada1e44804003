//! The `deskside lookup` command, run as the built binary: dry runs (secrets
//! redacted), saved answers mapped, definition and usage errors, and live
//! lookups against a tiny server on 127.0.0.1, over http and https (a CA
//! made at test time with the openssl command).

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Command;
use std::sync::mpsc;

const SECRET_VARS: &[&str] = &[
    "DESKSIDE_KEY",
    "DESKSIDE_CLIENT_ID",
    "DESKSIDE_CLIENT_SECRET",
    "DESKSIDE_USERNAME",
    "DESKSIDE_PASSWORD",
    "DESKSIDE_REFRESH_TOKEN",
    "DESKSIDE_APP_ID",
    "DESKSIDE_APP_SECRET",
    "DESKSIDE_KEY_ID",
    "DESKSIDE_SECRET",
];

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
            // (A number the country's plan refuses, typed whole in international
            // form, is searched as typed: Pipedrive's own example is one.)
            name: "demo_crm by a typed international number the plan refuses",
            connector: "demo_crm".into(),
            args: &["--phone", "+372 555555555"],
            env: &[("DESKSIDE_KEY", "canary-key-4711")],
            expect: &["GET http://127.0.0.1:7000/api/v1/customers?phone=%2B372555555555\n"],
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
        (&["--connector", "demo_crm", "--base-url", "https://crm.example.com", "--email", "a@b.example", "--plain-http"], "--plain-http is for an http:// base URL of another computer; https://crm.example.com needs none"),
        (&["--connector", "demo_crm", "--base-url", "http://127.0.0.1:7000", "--email", "a@b.example", "--plain-http", "--dry-run"], "--plain-http is for an http:// base URL of another computer; http://127.0.0.1:7000 needs none"),
        (&["--connector", "demo_crm", "--base-url", "https://127.0.0.1:9", "--email", "a@b.example", "--ca-file", "/nonexistent/ca.pem"], "--ca-file /nonexistent/ca.pem: cannot read it"),
        (&["--connector", "demo_crm", "--base-url", "https://127.0.0.1:9", "--email", "a@b.example", "--ca-file"], "--ca-file needs a value"),
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
    // Plain http to another computer, accepted for that host: the dry run shows where it would go.
    let r = deskside(&["--connector", "demo_crm", "--base-url", "http://crm.intranet:8080", "--plain-http", "--email", "a@b.example", "--dry-run"], &[("DESKSIDE_KEY", "k-1234")]);
    assert!(r.code == Some(0) && r.out.contains("GET http://crm.intranet:8080/api/v1/customers?email=a%40b.example"), "{}{}", r.out, r.err);
    let r = deskside(&["--help"], &[]);
    assert_eq!(r.code, Some(0));
    assert!(r.out.contains("usage: deskside lookup --connector FILE|PRESET") && r.out.contains("DESKSIDE_CLIENT_SECRET"), "{}", r.out);
    assert!(r.out.contains("--ca-file PEM") && r.out.contains("--plain-http") && r.out.contains("redirects are not followed"), "{}", r.out);
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
            let _ = tx.send(read_request(&mut s));
            let _ = s.write_all(answer.as_bytes());
        }
    });
    (base, rx)
}

/// One request: the head, then as much body as Content-Length says.
fn read_request(s: &mut impl Read) -> String {
    let mut req = Vec::new();
    let mut buf = [0u8; 4096];
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
    String::from_utf8_lossy(&req).into_owned()
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

/// The test API (`tests/testapi/server.mjs`, Node) on two loopback ports: the
/// API and its accounts origin. Stopped when dropped.
struct TestApi {
    child: std::process::Child,
    base: String,
    accounts: String,
}

impl TestApi {
    fn start() -> TestApi {
        TestApi::start_with(&[])
    }

    /// With more arguments for the server (`--tls-cert`, `--tls-key`).
    fn start_with(extra: &[&str]) -> TestApi {
        use std::io::BufRead;
        let script = here("../../tests/testapi/server.mjs");
        let mut child = Command::new("node")
            .args([script.as_str(), "--port", "0", "--client-secret", "cli-live-secret", "--token-ttl", "120"])
            .args(extra)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit())
            .spawn()
            .expect("node runs the test API (Node.js 20 is needed for these tests)");
        let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
        let mut next = |prefix: &str| lines.next().and_then(Result::ok).and_then(|l| l.strip_prefix(prefix).map(str::to_string)).unwrap_or_else(|| panic!("no '{prefix}' line from the test API"));
        let base = next("listening on ");
        let accounts = next("accounts on ");
        // Keep reading (one line per request) so the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        TestApi { child, base, accounts }
    }
}

impl Drop for TestApi {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The test API's definition with another auth, written to a file of its own.
fn testapi_with_auth(name: &str, auth: serde_json::Value) -> String {
    let mut def: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(testapi_definition()).unwrap()).unwrap();
    def["auth"] = auth;
    let path = std::env::temp_dir().join(format!("deskside-{}-{name}.json", std::process::id()));
    std::fs::write(&path, def.to_string()).unwrap();
    path.to_string_lossy().into_owned()
}

struct LiveAuth {
    name: &'static str,
    connector: String,
    base: String,
    args: &'static [&'static str],
    env: Vec<(&'static str, &'static str)>,
    /// A wrong secret, and what the error then says.
    wrong: (&'static str, &'static str),
    customer: (&'static str, &'static str),
    /// Lines on stderr (the requests sent), in this order.
    sent: Vec<String>,
}

/// Every exchange and signed kind, live against the test API, which checks
/// exactly what the vendor would: the refresh grant on the accounts origin
/// (another port: another origin), WeCom's gettoken with the token in the
/// query, Udesk's and Qiyu's signatures. A wrong secret is refused; no
/// secret is ever printed.
#[test]
fn live_lookups_with_every_exchange_and_signature() {
    let api = TestApi::start();
    let cases = vec![
        LiveAuth {
            name: "refresh_token at a token URL on another origin",
            connector: testapi_with_auth("refresh", serde_json::json!({"kind": "refresh_token", "token_url": format!("{}/oauth/token", api.accounts)})),
            base: api.base.clone(),
            args: &["--email", "mia.fischer@globex.example"],
            env: vec![("DESKSIDE_CLIENT_ID", "deskside-test"), ("DESKSIDE_CLIENT_SECRET", "cli-live-secret"), ("DESKSIDE_REFRESH_TOKEN", "deskside-refresh-token-1")],
            wrong: ("DESKSIDE_REFRESH_TOKEN", "The CRM refused the API key (HTTP 400)"),
            customer: ("P-1001", "Mia Fischer"),
            sent: vec![format!("POST {}/oauth/token -> 200", api.accounts), format!("GET {}/v2/people/search?per_page=20&q=mia.fischer%40globex.example -> 200", api.base)],
        },
        LiveAuth {
            name: "app_token (WeCom gettoken), the token in the query",
            connector: testapi_with_auth(
                "app",
                serde_json::json!({"kind": "app_token", "token_path": "/cgi-bin/gettoken", "query": {"corpid": "{app_id}", "corpsecret": "{app_secret}"},
                    "success": {"path": "/errcode", "ok": [0], "message": "/errmsg"}, "place": {"in": "query", "name": "access_token"}}),
            ),
            base: api.base.clone(),
            args: &["--phone", "+86 138 0013 8000"],
            env: vec![("DESKSIDE_APP_ID", "ww-deskside-test"), ("DESKSIDE_APP_SECRET", "app-secret-test")],
            wrong: ("DESKSIDE_APP_SECRET", "(code 40001): invalid credential"),
            customer: ("P-1003", "娜 李"),
            sent: vec![
                format!("GET {}/cgi-bin/gettoken?corpid=<redacted>&corpsecret=<redacted> -> 200", api.base),
                format!("GET {}/v2/people/search?per_page=20&q=%2B8613800138000&access_token=<redacted> -> 200", api.base),
            ],
        },
        LiveAuth {
            name: "signed, Udesk (docs/examples/udesk.json)",
            connector: here("../../docs/examples/udesk.json"),
            base: format!("{}/open_api_v1", api.base),
            args: &["--email", "li.na@yunfan-tech.example"],
            env: vec![("DESKSIDE_KEY_ID", "admin@testapi.example"), ("DESKSIDE_SECRET", "udesk-open-api-token-test")],
            wrong: ("DESKSIDE_SECRET", "The CRM refused the API key (HTTP 401)"),
            customer: ("1003", "娜 李"),
            sent: vec![format!("GET {}/open_api_v1/customers/get_customer?content=li.na%40yunfan-tech.example&type=email&email=<redacted>&nonce=", api.base)],
        },
        LiveAuth {
            name: "signed, Qiyu (docs/examples/qiyu.json)",
            connector: here("../../docs/examples/qiyu.json"),
            base: api.base.clone(),
            args: &["--email", "mia.fischer@globex.example"],
            env: vec![("DESKSIDE_KEY_ID", "qiyu-app-key-test"), ("DESKSIDE_SECRET", "qiyu-app-secret-test")],
            wrong: ("DESKSIDE_SECRET", "The CRM refused the API key (HTTP 401)"),
            customer: ("P-1001", "Mia Fischer"),
            sent: vec![format!("POST {}/openapi/crm/customer/query?appKey=<redacted>&checksum=", api.base)],
        },
    ];
    let mut failures = Vec::new();
    for c in &cases {
        let mut args = vec!["--connector", c.connector.as_str(), "--base-url", c.base.as_str()];
        args.extend_from_slice(c.args);
        let r = deskside(&args, &c.env);
        let mut problems = Vec::new();
        if r.code != Some(0) {
            problems.push(format!("exit {:?}", r.code));
        }
        match serde_json::from_str::<serde_json::Value>(&r.out) {
            Ok(v) if v["customers"][0]["id"] == c.customer.0 && v["customers"][0]["name"] == c.customer.1 => {}
            _ => problems.push(format!("not the customer {:?}", c.customer)),
        }
        let sent: Vec<&str> = c.sent.iter().map(String::as_str).collect();
        if let Err(e) = in_order(&r.err, &sent) {
            problems.push(e);
        }
        // The same lookup with one secret wrong: refused, exit 1, the reason said.
        let env: Vec<(&str, &str)> = c.env.iter().map(|&(k, v)| if k == c.wrong.0 { (k, "wrong-secret-value") } else { (k, v) }).collect();
        let bad = deskside(&args, &env);
        if bad.code != Some(1) || !bad.err.contains(c.wrong.1) {
            problems.push(format!("with {} wrong: exit {:?}, want 1 and {:?}:\n{}", c.wrong.0, bad.code, c.wrong.1, bad.err));
        }
        for (_, secret) in c.env.iter().filter(|(k, _)| *k != "DESKSIDE_CLIENT_ID") {
            if [&r.out, &r.err, &bad.out, &bad.err].iter().any(|t| t.contains(secret)) {
                problems.push(format!("the secret {secret} is printed"));
            }
        }
        if !problems.is_empty() {
            failures.push(format!("{}: {}\n--- stdout\n{}--- stderr\n{}", c.name, problems.join("; "), r.out, r.err));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A dry run of each new kind prints its requests, secrets redacted (the
/// signature, timestamp and nonce are shown: they are no secret).
#[test]
fn dry_runs_of_the_exchange_and_signed_kinds() {
    let refresh = testapi_with_auth("dry-refresh", serde_json::json!({"kind": "refresh_token", "token_url": "https://login.salesforce.com/services/oauth2/token", "place": {"in": "header", "name": "Authorization", "prefix": "OAuth "}}));
    let r = deskside(
        &["--connector", &refresh, "--base-url", "https://acme.my.salesforce.example", "--email", "a@b.example", "--dry-run"],
        &[("DESKSIDE_CLIENT_ID", "canary-id-1"), ("DESKSIDE_CLIENT_SECRET", "canary-cs-2"), ("DESKSIDE_REFRESH_TOKEN", "canary-rt-3")],
    );
    assert_eq!(r.code, Some(0), "{}", r.err);
    in_order(&r.out, &["# token request\n", "POST https://login.salesforce.com/services/oauth2/token\n", "\ngrant_type=refresh_token&refresh_token=<redacted>&client_id=<redacted>&client_secret=<redacted>\n", "# lookup 1 of 1\n", "Authorization: OAuth <token>\n"]).unwrap_or_else(|e| panic!("{e}\n{}", r.out));
    assert!(!r.out.contains("canary") && !r.err.contains("canary"), "{}{}", r.out, r.err);
    let r = deskside(
        &["--connector", &here("../../docs/examples/udesk.json"), "--base-url", "https://acme.udesk.cn/open_api_v1", "--email", "a@b.example", "--dry-run"],
        &[("DESKSIDE_KEY_ID", "canary-admin@x.example"), ("DESKSIDE_SECRET", "canary-token-4")],
    );
    assert_eq!(r.code, Some(0), "{}", r.err);
    let line = r.out.lines().find(|l| l.starts_with("GET ")).unwrap_or_default();
    assert!(line.starts_with("GET https://acme.udesk.cn/open_api_v1/customers/get_customer?content=a%40b.example&type=email&email=<redacted>&nonce="), "{line}");
    let sign = line.split("&sign=").nth(1).and_then(|r| r.split('&').next()).unwrap_or_default();
    assert!(sign.len() == 64 && sign.bytes().all(|b| b.is_ascii_hexdigit()), "{line}");
    assert!(!r.out.contains("canary") && !r.err.contains("canary"), "{}{}", r.out, r.err);
}

/// A certificate authority made at test time, and a server certificate it
/// signs for 127.0.0.1 only (not `localhost`), by the openssl command, in a
/// directory of their own (removed when dropped).
struct TestCa {
    dir: std::path::PathBuf,
}

impl TestCa {
    fn make(name: &str) -> TestCa {
        let dir = std::env::temp_dir().join(format!("deskside-tls-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("server.ext"), "subjectAltName=IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n").unwrap();
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
        let steps: [Vec<&str>; 3] = [
            [&["req", "-x509"][..], &ec, &["-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Deskside test CA"]].concat(),
            [&["req"][..], &ec, &["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"]].concat(),
            vec!["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", "0x5eed", "-days", "2", "-extfile", "server.ext", "-out", "server.pem"],
        ];
        for args in steps {
            let out = Command::new("openssl")
                .args(&args)
                .current_dir(&dir)
                .output()
                .expect("the openssl command makes the test certificates (apt-get install openssl)");
            assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        }
        TestCa { dir }
    }

    fn file(&self, name: &str) -> String {
        self.dir.join(name).to_string_lossy().into_owned()
    }
}

impl Drop for TestCa {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The test API over https (its certificate from a CA made here): with
/// `--ca-file` the token exchange and the search go over TLS and find the
/// customer; without it, or with the wrong file, or by a name the
/// certificate is not for, the lookup fails saying the certificate of that
/// host is not trusted, and nothing is sent.
#[test]
fn a_live_lookup_over_https_trusts_the_ca_file() {
    let ca = TestCa::make("lookup");
    let api = TestApi::start_with(&["--tls-cert", &ca.file("server.pem"), "--tls-key", &ca.file("server.key")]);
    assert!(api.base.starts_with("https://127.0.0.1:"), "{}", api.base);
    let def = testapi_definition();
    let env = [("DESKSIDE_CLIENT_ID", "deskside-test"), ("DESKSIDE_CLIENT_SECRET", "cli-live-secret")];
    let lookup = |base: &str, extra: &[&str]| {
        let mut args = vec!["--connector", def.as_str(), "--base-url", base, "--email", "mia.fischer@globex.example"];
        args.extend_from_slice(extra);
        deskside(&args, &env)
    };
    let ca_file = ca.file("ca.pem");
    let r = lookup(&api.base, &["--ca-file", &ca_file]);
    assert_eq!(r.code, Some(0), "{}", r.err);
    let v: serde_json::Value = serde_json::from_str(&r.out).unwrap_or_else(|e| panic!("{e}: {}", r.out));
    assert_eq!((v["customers"][0]["id"].as_str(), v["customers"][0]["name"].as_str()), (Some("P-1001"), Some("Mia Fischer")), "{}", r.out);
    assert_eq!(v["near_misses"], 1);
    in_order(&r.err, &[&format!("POST {}/oauth/token -> 200", api.base), &format!("GET {}/v2/people/search?per_page=20&q=mia.fischer%40globex.example -> 200", api.base)]).unwrap_or_else(|e| panic!("{e}\n{}", r.err));

    let authority = api.base.trim_start_matches("https://").to_string();
    let untrusted = format!("certificate not trusted: the certificate of {authority} is not signed by a known certificate authority (a self-signed certificate, or a company proxy's): give the authority's certificate with --ca-file PEM");
    let server_pem = ca.file("server.pem");
    let localhost = api.base.replace("127.0.0.1", "localhost");
    let cases: [(&str, &str, Vec<&str>, String); 3] = [
        ("without --ca-file", api.base.as_str(), vec![], untrusted.clone()),
        ("the server's own certificate as the CA", api.base.as_str(), vec!["--ca-file", server_pem.as_str()], untrusted.clone()),
        ("a name the certificate is not for", localhost.as_str(), vec!["--ca-file", ca_file.as_str()], format!("certificate not trusted: the certificate of {} is not issued for localhost", localhost.trim_start_matches("https://"))),
    ];
    for (name, base, extra, want) in cases {
        let r = lookup(base, &extra);
        assert_eq!(r.code, Some(1), "{name}: {}", r.err);
        assert!(r.err.contains(&want) && r.out.is_empty(), "{name}: want {want:?}\n{}", r.err);
        assert!(!r.err.contains(" -> "), "{name}: an answer was read:\n{}", r.err);
        assert!(!r.err.contains("cli-live-secret"), "{name}: {}", r.err);
    }
}

/// A server on 127.0.0.1 speaking TLS with the CA's server certificate: each
/// connection gets the next answer, `None` none at all (the request is read,
/// then the connection held until the client gives up). Reports the requests.
fn serve_tls(ca: &TestCa, answers: Vec<Option<String>>) -> (String, mpsc::Receiver<String>) {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs = CertificateDer::pem_file_iter(ca.file("server.pem")).unwrap().collect::<Result<Vec<_>, _>>().unwrap();
    let key = PrivateKeyDer::from_pem_file(ca.file("server.key")).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let config = std::sync::Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("https://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for answer in answers {
            let Ok((sock, _)) = listener.accept() else { return };
            sock.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
            let mut tls = rustls::StreamOwned::new(rustls::ServerConnection::new(config.clone()).unwrap(), sock);
            let _ = tx.send(read_request(&mut tls));
            match answer {
                Some(a) => {
                    let _ = tls.write_all(a.as_bytes());
                    tls.conn.send_close_notify();
                    let _ = tls.flush();
                }
                // Hold the connection: read until the client closes it.
                None => while tls.read(&mut [0u8; 256]).is_ok_and(|n| n > 0) {},
            }
        }
    });
    (base, rx)
}

/// A redirect is the answer, not followed: the lookup fails with its status
/// and the place it points to is never asked, though it would answer.
#[test]
fn a_redirect_over_https_is_not_followed() {
    let ca = TestCa::make("redirect");
    let found = with_length("200 OK", "", r#"{"data": [{"id": "cus_1002", "name": "李娜", "email": "li.na@yunfan-tech.example"}], "total": 1}"#);
    let moved = "HTTP/1.1 302 Found\r\nLocation: /api/v2/customers?email=li.na%40yunfan-tech.example\r\nContent-Length: 0\r\n\r\n".to_string();
    let (base, requests) = serve_tls(&ca, vec![Some(moved), Some(found)]);
    let r = deskside(&["--connector", "demo_crm", "--base-url", &base, "--email", "li.na@yunfan-tech.example", "--ca-file", &ca.file("ca.pem")], &[("DESKSIDE_KEY", "k-1234")]);
    assert_eq!(r.code, Some(1), "{}{}", r.out, r.err);
    assert!(r.out.is_empty(), "{}", r.out);
    assert!(r.err.contains(&format!("GET {base}/api/v1/customers?email=li.na%40yunfan-tech.example -> 302")) && r.err.contains("(HTTP 302)"), "{}", r.err);
    let first = requests.recv_timeout(std::time::Duration::from_secs(5)).unwrap();
    assert!(first.starts_with("GET /api/v1/customers?email=li.na%40yunfan-tech.example HTTP/1.1\r\n"), "{first}");
    assert!(requests.recv_timeout(std::time::Duration::from_millis(500)).is_err(), "the redirect was followed");
}

/// A server that takes the connection and never answers (in the TLS
/// handshake, or after the request) times out after the 10 seconds an
/// attempt has, with the panel's message.
#[test]
fn a_hung_https_server_times_out() {
    let ca = TestCa::make("hung");
    // Accepts, and never says a word: not even the TLS handshake.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_base = format!("https://{}", silent.local_addr().unwrap());
    std::thread::spawn(move || {
        if let Ok((mut s, _)) = silent.accept() {
            while s.read(&mut [0u8; 256]).is_ok_and(|n| n > 0) {}
        }
    });
    // The handshake and the request, then nothing.
    let (after_base, requests) = serve_tls(&ca, vec![None]);
    let ca_file = ca.file("ca.pem");
    let runs: Vec<_> = [silent_base, after_base]
        .into_iter()
        .map(|base| {
            let ca_file = ca_file.clone();
            std::thread::spawn(move || {
                let started = std::time::Instant::now();
                let r = deskside(&["--connector", "demo_crm", "--base-url", &base, "--email", "a@b.example", "--ca-file", &ca_file], &[("DESKSIDE_KEY", "k-1234")]);
                (base, r, started.elapsed())
            })
        })
        .collect();
    for run in runs {
        let (base, r, took) = run.join().unwrap();
        assert_eq!(r.code, Some(1), "{base}: {}", r.err);
        assert!(r.err.contains("The CRM did not answer in time."), "{base}: {}", r.err);
        assert!(took >= std::time::Duration::from_millis(9_500) && took < std::time::Duration::from_secs(20), "{base}: gave up after {took:?}");
    }
    let req = requests.recv_timeout(std::time::Duration::from_secs(1)).unwrap();
    assert!(req.starts_with("GET /api/v1/customers?email=a%40b.example HTTP/1.1\r\n"), "{req}");
}

/// Over https too, an answer past the definition's size limit (2 MB for the
/// demo connector, and a margin) is refused before it is all read.
#[test]
fn a_huge_answer_over_https_is_refused() {
    let ca = TestCa::make("huge");
    let body = format!("{{\"data\": [], \"pad\": \"{}\"}}", "x".repeat(3 * 1024 * 1024));
    let (base, _requests) = serve_tls(&ca, vec![Some(with_length("200 OK", "", &body))]);
    let r = deskside(&["--connector", "demo_crm", "--base-url", &base, "--email", "a@b.example", "--ca-file", &ca.file("ca.pem")], &[("DESKSIDE_KEY", "k-1234")]);
    assert_eq!(r.code, Some(1), "{}", r.err);
    assert!(r.err.contains("the answer is larger than 2 MB") && r.out.is_empty(), "{}", r.err);
}
