//! `deskside-demo`: sample helpdesk ticket pages and a demo CRM REST API,
//! served on 127.0.0.1 only.
//!
//! Usage: deskside-demo [--port N] [--key KEY]
//! Prints `listening on http://127.0.0.1:PORT` once ready (port 0 picks a free one).

mod app;

use app::{Demo, DemoRequest};
use std::sync::Arc;
use std::time::Duration;

pub const DEFAULT_KEY: &str = "demo-key-7f3a9c2e5b1d4e86";

fn main() {
    let mut port: u16 = 8642;
    let mut key = DEFAULT_KEY.to_string();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--port" => port = args.next().and_then(|p| p.parse().ok()).unwrap_or_else(|| die("--port needs a number")),
            "--key" => key = args.next().unwrap_or_else(|| die("--key needs a value")),
            "-h" | "--help" => {
                println!("deskside-demo [--port N] [--key KEY]\nServes sample ticket pages and a demo CRM API on 127.0.0.1.");
                return;
            }
            other => die(&format!("unknown argument '{other}' (try --help)")),
        }
    }
    let server = tiny_http::Server::http(("127.0.0.1", port)).unwrap_or_else(|e| die(&format!("cannot listen on 127.0.0.1:{port}: {e}")));
    let port = server.server_addr().to_ip().map(|a| a.port()).unwrap_or(port);
    let base = format!("http://127.0.0.1:{port}");
    let demo = Arc::new(Demo::new(&key));
    println!("listening on {base}");
    println!("  demo CRM API: {base}/api/v1/customers?email=…  (Authorization: Bearer {key})");
    for path in demo.ticket_paths() {
        println!("  ticket: {base}{path}");
    }
    for request in server.incoming_requests() {
        let demo = demo.clone();
        let base = base.clone();
        std::thread::spawn(move || serve(&demo, &base, request));
    }
}

fn serve(demo: &Demo, base: &str, request: tiny_http::Request) {
    let req = DemoRequest {
        method: request.method().as_str().to_string(),
        url: request.url().to_string(),
        authorization: request.headers().iter().find(|h| h.field.equiv("Authorization")).map(|h| h.value.as_str().to_string()),
    };
    let reply = demo.route(&req, base);
    // One line per request, for people watching the demo and for the e2e
    // tests (which check the key is sent to the API and nowhere else).
    println!("request {} {} auth={} status={}", req.method, req.url, if req.authorization.is_some() { "yes" } else { "no" }, reply.status);
    if reply.delay_ms > 0 {
        std::thread::sleep(Duration::from_millis(reply.delay_ms));
    }
    let mut response = tiny_http::Response::from_string(reply.body).with_status_code(reply.status);
    let mut headers = vec![("Content-Type", reply.content_type.to_string()), ("Cache-Control", "no-store".to_string())];
    headers.extend(reply.headers);
    for (k, v) in headers {
        if let Ok(h) = tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()) {
            response.add_header(h);
        }
    }
    let _ = request.respond(response);
}

fn die(msg: &str) -> ! {
    eprintln!("deskside-demo: {msg}");
    std::process::exit(2);
}
