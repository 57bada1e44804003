//! The `deskside scan` command on real files.

use std::process::Command;

fn scan(name: &str, content: &str, args: &[&str]) -> (bool, String, String) {
    let dir = std::env::temp_dir().join(format!("deskside-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(name);
    std::fs::write(&file, content).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_deskside")).arg("scan").arg(&file).args(args).output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn scans_a_saved_ticket_page_as_json() {
    let html = include_str!("../../deskside-demo/src/ticket.html")
        .replace("{requester_email}", "mia.fischer@globex.example")
        .replace("{messages}", "<div class=text>Tel. +49 30 901820</div><div class=from>Tom</div><div class=text>Acme Support | support@acme-support.example</div>");
    let (ok, out, err) = scan("ticket.html", &html, &["--json", "--team-domain", "acme-support.example", "--region", "DE"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON output");
    let c = &v["candidates"];
    assert_eq!(c[0]["kind"], "email");
    assert_eq!(c[0]["value"], "mia.fischer@globex.example");
    assert_eq!(c[0]["source"], "mailto_link");
    assert!(c.as_array().unwrap().iter().any(|x| x["value"] == "+4930901820"), "{out}");
    assert!(!out.contains("acme-support.example"), "team addresses never count: {out}");
}

#[test]
fn scans_text_with_the_default_region() {
    let (ok, out, _) = scan("t.txt", "您好，我的手机是 138 0013 8000，座机 (0755) 8888-6666 转 8001。\n", &["--region", "CN"]);
    assert!(ok);
    assert!(out.contains("+8613800138000") && out.contains("+8675588886666"), "{out}");
}

#[test]
fn bad_input_gets_a_clear_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_deskside")).args(["scan", "/nonexistent/file.html"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /nonexistent/file.html"));
    let out = Command::new(env!("CARGO_BIN_EXE_deskside")).arg("frobnicate").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: deskside scan"));
}

/// `deskside scan big.txt --json | head -c 10`: the reader goes away before the output is written; the
/// command ends quietly (status 0, no panic) instead of panicking on the broken pipe.
#[test]
fn a_reader_that_goes_away_ends_the_scan_quietly() {
    use std::process::Stdio;
    let dir = std::env::temp_dir().join(format!("deskside-cli-{}-pipe", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("many.txt");
    // Far more output than a pipe holds (64 KiB on Linux).
    let text: String = (0..3000).map(|i| format!("Contact {i}: person.number{i}@customer-{i}.test\n")).collect();
    std::fs::write(&file, text).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_deskside"))
        .arg("scan")
        .arg(&file)
        .arg("--json")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.status.success(), "status {:?}: {err}", out.status);
}
