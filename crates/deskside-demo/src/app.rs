//! The demo's routes as a pure function, so they are tested without sockets.

use serde::Deserialize;
use serde_json::{json, Value};

const TICKET_HTML: &str = include_str!("ticket.html");
const INDEX_HTML: &str = include_str!("index.html");
const APP_HTML: &str = include_str!("app.html");
const LIST_HTML: &str = include_str!("list.html");
/// A ticket page whose app keeps a toolbar fixed to the window's right edge
/// and a chat launcher in the corner: the panel must dock beside them.
const EDGE_HTML: &str = include_str!("edge.html");
const CUSTOMERS: &str = include_str!("../data/customers.json");
const TICKETS: &str = include_str!("../data/tickets.json");
/// Tickets of several customers whose agent replies carry the team's
/// hotline, a number the admin has not listed as the team's (and one
/// customer with two tickets and their own number on both): what
/// "numbers on many customers' tickets" notices. Served like the others,
/// not in the ticket list or the single-page app.
const SHARED_LINE_TICKETS: &str = include_str!("../data/shared_line_tickets.json");

/// An imitation of a known helpdesk's or CRM's ticket view, for the site
/// adapters (`crates/deskside-core/adapters/`): served at a path its adapter
/// matches on any host, so on 127.0.0.1 the adapter's `detect` selector decides.
struct SitePage {
    /// What the index links to (Zammad routes by `#hash`).
    link: &'static str,
    path: &'static str,
    /// The exact query the page needs, if any.
    query: Option<&'static str>,
    label: &'static str,
    html: &'static str,
}

const SITE_PAGES: &[SitePage] = &[
    SitePage { link: "/agent/tickets/4711", path: "/agent/tickets/4711", query: None, label: "Zendesk agent workspace", html: include_str!("sites/zendesk.html") },
    SitePage { link: "/a/tickets/52", path: "/a/tickets/52", query: None, label: "Freshdesk ticket", html: include_str!("sites/freshdesk.html") },
    SitePage { link: "/zammad/#ticket/zoom/17", path: "/zammad/", query: None, label: "Zammad ticket zoom", html: include_str!("sites/zammad.html") },
    SitePage { link: "/conversation/2231/1", path: "/conversation/2231/1", query: None, label: "Help Scout conversation", html: include_str!("sites/helpscout.html") },
    SitePage { link: "/browse/SUP-12", path: "/browse/SUP-12", query: None, label: "Jira Service Management request", html: include_str!("sites/jira-service-management.html") },
    SitePage { link: "/app/accounts/1/conversations/88", path: "/app/accounts/1/conversations/88", query: None, label: "Chatwoot conversation (phone only)", html: include_str!("sites/chatwoot.html") },
    SitePage { link: "/scp/tickets.php?id=9", path: "/scp/tickets.php", query: Some("id=9"), label: "osTicket staff ticket view", html: include_str!("sites/osticket.html") },
    SitePage { link: "/contacts/4242/record/0-1/5101", path: "/contacts/4242/record/0-1/5101", query: None, label: "HubSpot contact", html: include_str!("sites/hubspot.html") },
    SitePage { link: "/lightning/r/Contact/003XX000004TmiQYAS/view", path: "/lightning/r/Contact/003XX000004TmiQYAS/view", query: None, label: "Salesforce Lightning contact", html: include_str!("sites/salesforce.html") },
    SitePage { link: "/crm/org712345678/tab/Contacts/4876876000000123456", path: "/crm/org712345678/tab/Contacts/4876876000000123456", query: None, label: "Zoho CRM contact", html: include_str!("sites/zoho-crm.html") },
    SitePage { link: "/person/1234", path: "/person/1234", query: None, label: "Pipedrive person", html: include_str!("sites/pipedrive.html") },
];

/// The demo CRM's own contact page (`/crm/contacts/{id}`): no site adapter
/// knows it; the admin marks `/crm/*` as CRM pages.
const CRM_HTML: &str = include_str!("crm.html");

/// The user name of the demo helpdesk's API (Zendesk's form: an agent's
/// address and `/token`); the password is the demo's key.
pub const HELPDESK_AGENT: &str = "agent@acme-support.example/token";

/// The demo helpdesk's end users and their tickets: a Zendesk-shaped API
/// (`/api/v2/users/search`, `/api/v2/search?query=type:ticket requester:…`),
/// so the Zendesk preset, pointed at the demo, is the helpdesk connector.
fn helpdesk_data() -> Value {
    json!({
        "users": [
            {"id": 381001, "name": "James O'Connor", "email": "james.oconnor@northwind.example", "phone": "+442079460958", "organization_id": null, "updated_at": "2026-11-25T09:00:00Z"},
            {"id": 381002, "name": "Priya Raman", "email": "priya.raman@initech.example", "phone": null, "organization_id": null, "updated_at": "2026-11-02T09:00:00Z"},
            {"id": 381003, "name": "Mia Fischer", "email": "mia.fischer@globex.example", "phone": null, "organization_id": null, "updated_at": "2026-11-21T10:15:00Z"}
        ],
        "tickets": [
            {"id": 5101, "requester_id": 381001, "subject": "Invoice shows the wrong VAT rate", "status": "solved", "priority": "normal", "created_at": "2026-11-24T08:00:00Z", "updated_at": "2026-11-25T09:00:00Z"},
            {"id": 5102, "requester_id": 381001, "subject": "Cannot export contacts to CSV", "status": "open", "priority": "high", "created_at": "2026-11-19T08:00:00Z", "updated_at": "2026-11-20T10:00:00Z"},
            {"id": 5103, "requester_id": 381001, "subject": "Add a second admin seat", "status": "pending", "priority": "low", "created_at": "2026-11-22T08:00:00Z", "updated_at": "2026-11-23T08:00:00Z"},
            {"id": 5104, "requester_id": 381001, "subject": "Password reset link expired", "status": "closed", "priority": "normal", "created_at": "2026-09-30T08:00:00Z", "updated_at": "2026-10-01T08:00:00Z"},
            {"id": 5201, "requester_id": 381002, "subject": "SSO login loops back to the start page", "status": "open", "priority": "urgent", "created_at": "2026-11-01T08:00:00Z", "updated_at": "2026-11-02T09:00:00Z"},
            {"id": 5301, "requester_id": 381003, "subject": "Delivery of order ORD-2026-004211 delayed", "status": "open", "priority": "high", "created_at": "2026-11-20T09:00:00Z", "updated_at": "2026-11-21T10:15:00Z"}
        ]
    })
}

/// Standard base64, for the expected Basic credentials.
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The CSP of the strict sample page: what real helpdesks ship, and what
/// stops WebAssembly in a Chromium content script.
pub const STRICT_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'";

#[derive(Debug, Default)]
pub struct DemoRequest {
    pub method: String,
    /// Path and query, as received.
    pub url: String,
    pub authorization: Option<String>,
}

#[derive(Debug, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
    /// Simulated slowness, for the fault cases.
    pub delay_ms: u64,
}

impl Reply {
    fn new(status: u16, content_type: &'static str, body: String) -> Reply {
        Reply { status, content_type, headers: Vec::new(), body, delay_ms: 0 }
    }
    fn json(status: u16, v: Value) -> Reply {
        Reply::new(status, "application/json; charset=utf-8", v.to_string())
    }
    fn html(body: String) -> Reply {
        Reply::new(200, "text/html; charset=utf-8", body)
    }
}

#[derive(Deserialize)]
struct Ticket {
    id: u32,
    csp: String,
    subject: String,
    status: String,
    requester: Requester,
    messages: Vec<Message>,
    /// Routine updates before the messages, none with an identifier: a
    /// thread long enough that the customer's address is far down the page.
    #[serde(default)]
    filler: usize,
}

#[derive(Deserialize)]
struct Requester {
    name: String,
    email: String,
}

#[derive(Deserialize)]
struct Message {
    from: String,
    text: String,
}

pub struct Demo {
    pub api_key: String,
    customers: Vec<Value>,
    tickets: Vec<Ticket>,
    shared_line: Vec<Ticket>,
}

pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn decode_component(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn query_param(query: &str, name: &str) -> Option<String> {
    query.split('&').filter_map(|kv| kv.split_once('=')).find(|(k, _)| *k == name).map(|(_, v)| decode_component(v))
}

impl Demo {
    pub fn new(api_key: &str) -> Demo {
        Demo {
            api_key: api_key.to_string(),
            customers: serde_json::from_str(CUSTOMERS).expect("valid built-in customers"),
            tickets: serde_json::from_str(TICKETS).expect("valid built-in tickets"),
            shared_line: serde_json::from_str(SHARED_LINE_TICKETS).expect("valid built-in tickets"),
        }
    }

    pub fn ticket_paths(&self) -> Vec<String> {
        self.tickets.iter().map(|t| format!("/tickets/{}/{}", t.csp, t.id)).collect()
    }

    pub fn route(&self, req: &DemoRequest, base: &str) -> Reply {
        let (path, query) = req.url.split_once('?').unwrap_or((req.url.as_str(), ""));
        if req.method != "GET" {
            return Reply::json(405, json!({"error": "method_not_allowed"}));
        }
        if path == "/" {
            let list: String = self
                .tickets
                .iter()
                .map(|t| format!("<li><a href=\"/tickets/{}/{}\">#{} {}</a> ({} CSP)</li>", t.csp, t.id, t.id, escape_html(&t.subject), t.csp))
                .collect();
            let list = format!("{list}<li><a href=\"/app/tickets/1001\">The same tickets in a single-page app</a> (history API navigation)</li>");
            let shared: String = self.shared_line.iter().map(|t| format!("<a href=\"/tickets/{}/{}\">#{}</a> ", t.csp, t.id, t.id)).collect();
            let list = format!("{list}<li>Tickets of different customers with the team's unlisted hotline in the agent's replies: {shared}</li>");
            let sites: String = SITE_PAGES.iter().map(|p| format!("<li><a href=\"{}\">{}</a> (imitation, strict CSP)</li>", p.link, p.label)).collect();
            return Reply::html(INDEX_HTML.replace("{tickets}", &format!("{list}{sites}")).replace("{base}", &escape_html(base)));
        }
        // Before the single-page app: Chatwoot's path starts with /app/ too.
        if let Some(page) = SITE_PAGES.iter().find(|p| p.path == path && p.query.is_none_or(|q| q == query)) {
            let mut reply = Reply::html(page.html.to_string());
            reply.headers.push(("Content-Security-Policy", STRICT_CSP.to_string()));
            return reply;
        }
        if path == "/tickets" {
            return self.ticket_list();
        }
        // The demo CRM's "new customer" page: where the panel's "Create in CRM" leads.
        if path == "/crm/customers/new" {
            let email = query_param(query, "email").unwrap_or_default();
            return Reply::html(format!(
                "<!doctype html><meta charset=\"utf-8\"><title>New customer</title><h1>New customer</h1><form><label>Email <input name=\"email\" value=\"{}\"></label> <button>Create</button></form>\n",
                escape_html(&email)
            ));
        }
        if path == "/tickets/edge" {
            let mut reply = Reply::html(EDGE_HTML.to_string());
            reply.headers.push(("Content-Security-Policy", STRICT_CSP.to_string()));
            return reply;
        }
        if let Some(rest) = path.strip_prefix("/tickets/") {
            return self.ticket(rest);
        }
        if path.starts_with("/app/") {
            // `</` must not close the script element the data sits in.
            let data = serde_json::to_string(&serde_json::from_str::<Value>(TICKETS).unwrap_or(Value::Null)).unwrap_or_default().replace("</", "<\\/");
            return Reply::html(APP_HTML.replace("{tickets_json}", &data));
        }
        if let Some(rest) = path.strip_prefix("/api/v1/") {
            return self.api(req, rest, query, base);
        }
        if let Some(rest) = path.strip_prefix("/api/v2/") {
            return self.helpdesk_api(req, rest, query, base);
        }
        if let Some(id) = path.strip_prefix("/crm/contacts/") {
            return self.crm_contact(id);
        }
        Reply::new(404, "text/plain; charset=utf-8", "not found\n".into())
    }

    /// The ticket list (a queue): many requesters, one row each, controls
    /// and the Submitter column at the right edge. No customer to look up.
    fn ticket_list(&self) -> Reply {
        let rows: String = self
            .tickets
            .iter()
            .map(|t| {
                format!(
                    "<tr><td><a href=\"/tickets/{}/{}\">#{}</a></td><td>{}</td><td>{} &lt;<a href=\"mailto:{}\">{}</a>&gt;</td><td>{}</td><td class=\"submitter\"><a href=\"#\">Tom Becker</a></td></tr>\n",
                    t.csp,
                    t.id,
                    t.id,
                    escape_html(&t.subject),
                    escape_html(&t.requester.name),
                    escape_html(&t.requester.email),
                    escape_html(&t.requester.email),
                    escape_html(&t.status)
                )
            })
            .collect();
        Reply::html(LIST_HTML.replace("{rows}", &rows))
    }

    fn ticket(&self, rest: &str) -> Reply {
        let Some((csp, id)) = rest.split_once('/') else {
            return Reply::new(404, "text/plain; charset=utf-8", "no such ticket\n".into());
        };
        let Some(t) = self.tickets.iter().chain(&self.shared_line).find(|t| t.csp == csp && id.parse() == Ok(t.id)) else {
            return Reply::new(404, "text/plain; charset=utf-8", "no such ticket\n".into());
        };
        let filler = (1..=t.filler).map(|i| {
            format!("<div class=\"card message\"><div class=\"from\">Acme Support</div><div class=\"text\">Update {i}: the carrier has not scanned the parcel yet. We keep checking every day and will write again as soon as there is news.</div></div>\n")
        });
        let messages: String = filler
            .chain(t.messages.iter().map(|m| format!("<div class=\"card message\"><div class=\"from\">{}</div><div class=\"text\">{}</div></div>\n", escape_html(&m.from), escape_html(&m.text))))
            .collect();
        let lang = if t.subject.is_ascii() { "en" } else { "zh-CN" };
        let html = TICKET_HTML
            .replace("{lang}", lang)
            .replace("{id}", &t.id.to_string())
            .replace("{subject}", &escape_html(&t.subject))
            .replace("{status}", &escape_html(&t.status))
            .replace("{csp_label}", if t.csp == "strict" { "strict CSP page" } else { "page without CSP" })
            .replace("{requester_name}", &escape_html(&t.requester.name))
            .replace("{requester_email}", &escape_html(&t.requester.email))
            .replace("{messages}", &messages);
        let mut reply = Reply::html(html);
        if t.csp == "strict" {
            reply.headers.push(("Content-Security-Policy", STRICT_CSP.to_string()));
        }
        reply
    }

    /// The demo CRM's contact page for a customer of the demo data.
    fn crm_contact(&self, id: &str) -> Reply {
        let Some(c) = self.customers.iter().find(|c| c["id"] == id) else {
            return Reply::new(404, "text/plain; charset=utf-8", "no such contact\n".into());
        };
        let text = |v: &Value| escape_html(v.as_str().unwrap_or_default());
        let html = CRM_HTML.replace("{id}", &escape_html(id)).replace("{name}", &text(&c["name"])).replace("{company}", &text(&c["company"]["name"])).replace("{email}", &text(&c["email"]));
        let mut reply = Reply::html(html);
        reply.headers.push(("Content-Security-Policy", STRICT_CSP.to_string()));
        reply
    }

    /// The demo helpdesk: Zendesk's users search and ticket search, with
    /// Zendesk's API-token Basic auth.
    fn helpdesk_api(&self, req: &DemoRequest, rest: &str, query: &str, base: &str) -> Reply {
        let expected = format!("Basic {}", base64(format!("{HELPDESK_AGENT}:{}", self.api_key).as_bytes()));
        if req.authorization.as_deref() != Some(expected.as_str()) {
            return Reply::json(401, json!({"error": "Couldn't authenticate you"}));
        }
        let data = helpdesk_data();
        let q = query_param(query, "query").unwrap_or_default();
        let users = data["users"].as_array().cloned().unwrap_or_default();
        match rest {
            "users/search" => {
                let email = q.strip_prefix("email:").map(|e| e.trim().to_lowercase());
                let hits: Vec<Value> = users.into_iter().filter(|u| email.as_deref().is_some_and(|e| u["email"].as_str().is_some_and(|x| x.eq_ignore_ascii_case(e)))).collect();
                Reply::json(200, json!({"users": hits, "count": hits.len(), "next_page": null}))
            }
            "search" => {
                let requester = q.split_whitespace().find_map(|t| t.strip_prefix("requester:")).and_then(|r| r.parse::<u64>().ok());
                if !q.split_whitespace().any(|t| t == "type:ticket") || requester.is_none() {
                    return Reply::json(400, json!({"error": "InvalidSearchParameters", "description": "type:ticket requester:<id> only"}));
                }
                let mut hits: Vec<Value> = data["tickets"].as_array().cloned().unwrap_or_default().into_iter().filter(|t| t["requester_id"].as_u64() == requester).collect();
                hits.sort_by(|a, b| b["created_at"].as_str().cmp(&a["created_at"].as_str()));
                for t in &mut hits {
                    t["url"] = json!(format!("{base}/api/v2/tickets/{}.json", t["id"]));
                    t["result_type"] = json!("ticket");
                }
                Reply::json(200, json!({"results": hits, "count": hits.len(), "next_page": null}))
            }
            _ => Reply::json(404, json!({"error": "InvalidEndpoint", "description": "Not found"})),
        }
    }

    fn api(&self, req: &DemoRequest, rest: &str, query: &str, base: &str) -> Reply {
        let expected = format!("Bearer {}", self.api_key);
        if req.authorization.as_deref() != Some(expected.as_str()) {
            return Reply::json(401, json!({"error": "unauthorized", "message": "missing or invalid API key"}));
        }
        let with_url = |c: &Value| {
            let mut c = c.clone();
            let id = c["id"].as_str().unwrap_or_default().to_string();
            c["url"] = json!(format!("{base}/api/v1/customers/{id}"));
            c
        };
        if rest == "customers" {
            if let Some(phone) = query_param(query, "phone") {
                let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
                let wanted = digits(&phone);
                let matches: Vec<Value> = self
                    .customers
                    .iter()
                    .filter(|c| !wanted.is_empty() && c["phone"].as_str().is_some_and(|p| digits(p) == wanted))
                    .map(with_url)
                    .collect();
                return Reply::json(200, json!({"data": matches, "total": matches.len()}));
            }
            let Some(email) = query_param(query, "email") else {
                return Reply::json(400, json!({"error": "bad_request", "message": "email or phone is required"}));
            };
            let email = email.trim().to_lowercase();
            // Fault cases, for tests of the panel's error states.
            match email.as_str() {
                "slow@faults.example" => return Reply { delay_ms: 20_000, ..Reply::json(200, json!({"data": []})) },
                // A customer the CRM finds, but only after 4 s: for the test
                // that a late answer never lands on the next ticket's panel.
                "late@faults.example" => {
                    let late = json!({"id": "cus_late", "name": "Sam Late", "email": "late@faults.example", "tier": "GOLD"});
                    return Reply { delay_ms: 4_000, ..Reply::json(200, json!({"data": [late], "total": 1})) };
                }
                "ratelimit@faults.example" => {
                    let mut r = Reply::json(429, json!({"error": "rate_limited"}));
                    r.headers.push(("Retry-After", "30".into()));
                    return r;
                }
                "broken@faults.example" => return Reply::new(200, "application/json", "<html><body>Please log in</body></html>".into()),
                // Records whose link only looks like the CRM's (the
                // hostile-page suite's): the panel must offer no link.
                "lookalike-dot@faults.example" | "lookalike-at@faults.example" => {
                    let url = if email.starts_with("lookalike-dot") {
                        format!("{}/crm/cus_evil", base.replacen("127.0.0.1", "127.0.0.1.evil.test", 1))
                    } else {
                        "http://127.0.0.1@evil.test/crm/cus_evil".to_string()
                    };
                    let c = json!({"id": "cus_evil", "name": "Lookalike Link", "email": email, "url": url});
                    return Reply::json(200, json!({"data": [c], "total": 1}));
                }
                "error@faults.example" => return Reply::json(500, json!({"error": "internal"})),
                _ => {}
            }
            let matches: Vec<Value> = self
                .customers
                .iter()
                .filter(|c| {
                    c["email"].as_str().is_some_and(|e| e.eq_ignore_ascii_case(&email))
                        || c["secondary_emails"].as_array().is_some_and(|a| a.iter().any(|e| e.as_str().is_some_and(|e| e.eq_ignore_ascii_case(&email))))
                })
                .map(with_url)
                .collect();
            return Reply::json(200, json!({"data": matches, "total": matches.len()}));
        }
        if let Some(id) = rest.strip_prefix("customers/") {
            return match self.customers.iter().find(|c| c["id"] == id) {
                Some(c) => Reply::json(200, json!({"data": with_url(c)})),
                None => Reply::json(404, json!({"error": "not_found"})),
            };
        }
        Reply::json(404, json!({"error": "not_found"}))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(demo: &Demo, url: &str, auth: Option<&str>) -> Reply {
        demo.route(&DemoRequest { method: "GET".into(), url: url.into(), authorization: auth.map(str::to_string) }, "http://127.0.0.1:1")
    }

    #[test]
    fn the_helpdesk_api_is_zendesk_shaped_and_needs_the_token() {
        let d = Demo::new("k1");
        let auth = format!("Basic {}", base64(format!("{HELPDESK_AGENT}:k1").as_bytes()));
        assert_eq!(base64(b"agent/token:k1"), "YWdlbnQvdG9rZW46azE=");
        assert_eq!(base64(b"ab"), "YWI=");
        let search = "/api/v2/users/search?query=email%3AJAMES.OCONNOR%40northwind.example";
        assert_eq!(get(&d, search, None).status, 401);
        assert_eq!(get(&d, search, Some(&format!("Basic {}", base64(format!("{HELPDESK_AGENT}:k2").as_bytes())))).status, 401);
        let users: Value = serde_json::from_str(&get(&d, search, Some(&auth)).body).unwrap();
        assert_eq!((users["count"].as_u64(), users["users"][0]["id"].as_u64()), (Some(1), Some(381001)));
        let none: Value = serde_json::from_str(&get(&d, "/api/v2/users/search?query=email%3Anobody%40x.example", Some(&auth)).body).unwrap();
        assert_eq!(none["count"], 0);
        let r = get(&d, "/api/v2/search?query=type%3Aticket+requester%3A381001&sort_by=created_at&sort_order=desc", Some(&auth));
        let tickets: Value = serde_json::from_str(&r.body).unwrap();
        let ids: Vec<u64> = tickets["results"].as_array().unwrap().iter().map(|t| t["id"].as_u64().unwrap()).collect();
        assert_eq!(ids, [5101, 5103, 5102, 5104], "newest created first, as asked");
        assert_eq!(get(&d, "/api/v2/search?query=type%3Auser", Some(&auth)).status, 400);
    }

    #[test]
    fn the_crm_contact_page_shows_a_customer_of_the_demo_data() {
        let d = Demo::new("k");
        let r = get(&d, "/crm/contacts/cus_1003", None);
        assert_eq!(r.status, 200);
        assert!(r.body.contains("mailto:james.oconnor@northwind.example") && r.body.contains("Northwind Traders Ltd") && r.body.contains("James O&#39;Connor"));
        assert!(!r.body.to_ascii_lowercase().contains("<script"));
        assert_eq!(get(&d, "/crm/contacts/cus_9", None).status, 404);
    }

    #[test]
    fn api_needs_the_key() {
        let d = Demo::new("k1");
        assert_eq!(get(&d, "/api/v1/customers?email=x", None).status, 401);
        assert_eq!(get(&d, "/api/v1/customers?email=x", Some("Bearer k2")).status, 401);
        assert_eq!(get(&d, "/api/v1/customers?email=x", Some("Bearer k1")).status, 200);
    }

    #[test]
    fn looks_up_by_email_case_insensitively() {
        let d = Demo::new("k");
        let r = get(&d, "/api/v1/customers?email=LI.NA%40yunfan-tech.example", Some("Bearer k"));
        let v: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(v["data"][0]["name"], "李娜");
        assert_eq!(v["data"][0]["url"], "http://127.0.0.1:1/api/v1/customers/cus_1002");
        let r = get(&d, "/api/v1/customers?email=mia%40fischer-family.example", Some("Bearer k"));
        assert!(r.body.contains("Mia Fischer"));
        let r = get(&d, "/api/v1/customers?email=nobody%40x.example", Some("Bearer k"));
        assert_eq!(serde_json::from_str::<Value>(&r.body).unwrap()["data"], json!([]));
    }

    #[test]
    fn looks_up_by_phone() {
        let d = Demo::new("k");
        let r = get(&d, "/api/v1/customers?phone=%2B8613800138000", Some("Bearer k"));
        assert!(r.body.contains("cus_1002"), "{}", r.body);
        let r = get(&d, "/api/v1/customers?phone=%2B10000000000", Some("Bearer k"));
        assert_eq!(serde_json::from_str::<Value>(&r.body).unwrap()["data"], json!([]));
    }

    #[test]
    fn the_shared_hotline_tickets_are_served_but_not_listed() {
        let d = Demo::new("k");
        for id in 2001..=2007 {
            let r = get(&d, &format!("/tickets/strict/{id}"), None);
            assert_eq!(r.status, 200, "{id}");
            assert!(r.body.contains("+86 400 820 8888"), "{id}");
            assert!(r.headers.contains(&("Content-Security-Policy", STRICT_CSP.to_string())));
        }
        // Not in the ticket list (a queue of its own tickets) nor the app.
        assert!(!get(&d, "/tickets", None).body.contains("/tickets/strict/2001"));
        assert!(!d.ticket_paths().iter().any(|p| p.ends_with("/2001")));
        assert!(get(&d, "/", None).body.contains("/tickets/strict/2007"));
    }

    #[test]
    fn strict_ticket_page_has_the_csp() {
        let d = Demo::new("k");
        let r = get(&d, "/tickets/strict/1001", None);
        assert_eq!(r.status, 200);
        assert!(r.headers.contains(&("Content-Security-Policy", STRICT_CSP.to_string())));
        assert!(r.body.contains("href=\"mailto:mia.fischer@globex.example\""));
        let plain = get(&d, "/tickets/plain/1002", None);
        assert!(plain.headers.is_empty());
        assert!(plain.body.contains("lang=\"zh-CN\""));
        assert_eq!(get(&d, "/tickets/plain/1001", None).status, 404);
    }

    #[test]
    fn site_pages_imitate_known_helpdesks_under_the_strict_csp() {
        let d = Demo::new("k");
        // What each page's requester element holds (the e2e tests look these up).
        for (url, requester) in [
            ("/agent/tickets/4711", "mia.fischer@globex.example"),
            ("/a/tickets/52", "james.oconnor@northwind.example"),
            ("/zammad/", "priya.raman@initech.example"),
            ("/conversation/2231/1", "wang.wei@163.example"),
            ("/browse/SUP-12", "li.na@yunfan-tech.example"),
            ("/app/accounts/1/conversations/88", "tel:+8613800138000"),
            ("/scp/tickets.php?id=9", "mia@fischer-family.example"),
            ("/contacts/4242/record/0-1/5101", "james.oconnor@northwind.example"),
            ("/lightning/r/Contact/003XX000004TmiQYAS/view", "priya.raman@initech.example"),
            ("/crm/org712345678/tab/Contacts/4876876000000123456", "li.na@yunfan-tech.example"),
            ("/person/1234", "wang.wei@163.example"),
        ] {
            let r = get(&d, url, None);
            assert_eq!(r.status, 200, "{url}");
            assert!(r.headers.contains(&("Content-Security-Policy", STRICT_CSP.to_string())), "{url}");
            assert!(r.body.contains(requester), "{url}");
            assert!(!r.body.to_ascii_lowercase().contains("<script"), "{url}: the CSP allows no scripts");
            assert!(r.body.contains("@acme-corp.example") && r.body.contains("@acme-support.example"), "{url}: the agent's and the team's addresses");
        }
        assert!(get(&d, "/", None).body.contains("href=\"/zammad/#ticket/zoom/17\""));
        // Other paths keep their old answers.
        assert_eq!(get(&d, "/app/tickets/1001", None).body, get(&d, "/app/accounts/2/conversations/88", None).body);
        assert_eq!(get(&d, "/scp/tickets.php?id=10", None).status, 404);
        assert_eq!(get(&d, "/scp/tickets.php", None).status, 404);
        assert_eq!(get(&d, "/agent/tickets/1", None).status, 404);
    }

    #[test]
    fn the_ticket_list_shows_every_requester() {
        let d = Demo::new("k");
        let r = get(&d, "/tickets", None);
        assert_eq!(r.status, 200);
        assert!(r.body.contains("mailto:mia.fischer@globex.example") && r.body.contains("mailto:li.na@yunfan-tech.example"));
        assert!(r.body.matches("<tr>").count() >= 5);
    }

    #[test]
    fn decodes_query_values() {
        assert_eq!(decode_component("a%2Bb%40x.test"), "a+b@x.test");
        assert_eq!(decode_component("%E6%9D%8E%zz%"), "李%zz%");
    }

    #[test]
    fn the_single_page_app_embeds_every_ticket() {
        let d = Demo::new("k");
        let r = get(&d, "/app/tickets/1002", None);
        assert_eq!(r.status, 200);
        assert!(r.body.contains("li.na@yunfan-tech.example") && r.body.contains("mia.fischer@globex.example"));
        assert!(!r.body.contains("{tickets_json}"));
    }

    #[test]
    fn pages_escape_data() {
        assert_eq!(escape_html("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    }

    #[test]
    fn new_customer_page_escapes_the_address() {
        let d = Demo::new("k");
        let r = get(&d, "/crm/customers/new?email=a%22%3Cb%40x.example", None);
        assert_eq!(r.status, 200);
        assert!(r.body.contains("value=\"a&quot;&lt;b@x.example\""), "{}", r.body);
    }

    #[test]
    fn fault_cases() {
        let d = Demo::new("k");
        let r = get(&d, "/api/v1/customers?email=ratelimit%40faults.example", Some("Bearer k"));
        assert_eq!((r.status, r.headers[0].1.as_str()), (429, "30"));
        assert_eq!(get(&d, "/api/v1/customers?email=slow%40faults.example", Some("Bearer k")).delay_ms, 20_000);
        let late = get(&d, "/api/v1/customers?email=late%40faults.example", Some("Bearer k"));
        assert_eq!((late.status, late.delay_ms), (200, 4_000));
        assert!(late.body.contains("Sam Late"));
        let dot = get(&d, "/api/v1/customers?email=lookalike-dot%40faults.example", Some("Bearer k"));
        assert!(dot.body.contains(r#""url":"http://127.0.0.1.evil.test:1/crm/cus_evil""#), "{}", dot.body);
        let at = get(&d, "/api/v1/customers?email=lookalike-at%40faults.example", Some("Bearer k"));
        assert!(at.body.contains(r#""url":"http://127.0.0.1@evil.test/crm/cus_evil""#), "{}", at.body);
    }
}
