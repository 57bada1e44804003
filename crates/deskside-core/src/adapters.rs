//! Site adapters: where a known helpdesk or CRM shows the requester, the
//! signed-in agent and the conversation.
//!
//! Adapters are data, not code (extension stores allow no remote code, and
//! none is needed): one JSON file per site in `crates/deskside-core/adapters/`,
//! compiled in with `include_str!`, each with test URLs beside its patterns
//! (checked by the tests below). An adapter names
//!
//! - the pages it applies to: host globs (`*.zendesk.com`) and path globs
//!   (`/agent/tickets/*`, which may carry a `?query` or `#hash` part:
//!   `/scp/tickets.php?id=*`, `/#ticket/zoom/*`);
//! - `any_host_paths`: paths that apply on any host, but only once the page has
//!   shown the `detect` selector (custom domains, self-hosted installs, the
//!   demo on 127.0.0.1). Adapters with no hosts (self-hosted products) always
//!   need `detect`;
//! - CSS selectors for the requester (customer) identity, the agent's own
//!   identity (never the customer) and the conversation container.
//!
//! The background calls [`matching`] with the tab's URL and sends the
//! [`PageRules`] to the content script, which uses the first rules whose
//! `detect` selector exists on the page (or that have none).
//!
//! Glob rules: `*` matches any run of characters within its part; in a path it
//! may cross `/`. In a host, `*` matches within one label, except a leading
//! `*.` label, which stands for one or more whole labels (`*.zendesk.com`
//! matches `acme.zendesk.com`, never `zendesk.com` nor
//! `acme.zendesk.com.evil.test`). Hosts are compared in lower case, the port
//! is ignored, and a host match counts only on `https:` (plain `http:` falls
//! back to `any_host_paths` and its `detect`).

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// The adapter files, in the order their rules are offered.
const SOURCES: &[(&str, &str)] = &[
    ("zendesk.json", include_str!("../adapters/zendesk.json")),
    ("freshdesk.json", include_str!("../adapters/freshdesk.json")),
    ("zammad.json", include_str!("../adapters/zammad.json")),
    ("helpscout.json", include_str!("../adapters/helpscout.json")),
    ("jira-service-management.json", include_str!("../adapters/jira-service-management.json")),
    ("chatwoot.json", include_str!("../adapters/chatwoot.json")),
    ("osticket.json", include_str!("../adapters/osticket.json")),
    ("hubspot.json", include_str!("../adapters/hubspot.json")),
    ("salesforce.json", include_str!("../adapters/salesforce.json")),
    ("zoho-crm.json", include_str!("../adapters/zoho-crm.json")),
    ("pipedrive.json", include_str!("../adapters/pipedrive.json")),
];

/// One site's adapter, as written in its JSON file.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Adapter {
    pub id: String,
    pub name: String,
    /// Host globs; empty for self-hosted products (then `detect` is required).
    #[serde(default)]
    pub hosts: Vec<String>,
    /// Path globs for `hosts` (or for any host when `hosts` is empty).
    pub paths: Vec<String>,
    /// Path globs that apply on any host, gated by `detect`.
    #[serde(default)]
    pub any_host_paths: Vec<String>,
    /// A selector that must exist on the page before the rules apply.
    #[serde(default)]
    pub detect: Option<String>,
    /// Elements whose text, value or `href` hold the customer's identity, most specific first.
    pub requester: Vec<String>,
    /// Elements holding the signed-in agent's own identity.
    #[serde(default)]
    pub agent: Vec<String>,
    /// The container to observe for new messages.
    #[serde(default)]
    pub conversation: Option<String>,
    /// Messages the helpdesk marks as the team's (agents' replies and
    /// notes): a number they invite people to call is the team's, and an
    /// invitation in any other message is the customer's.
    #[serde(default)]
    pub agent_messages: Vec<String>,
    /// Elements to make narrower when the panel docks beside the page (an
    /// app shell that fills the viewport); the `<html>` element always is.
    #[serde(default)]
    pub shrink: Vec<String>,
    /// The ticket's subject and status on the page, most specific first
    /// (the write-back note starts from them; else from the page title).
    #[serde(default)]
    pub subject: Vec<String>,
    #[serde(default)]
    pub status: Vec<String>,
    /// The ticket page's URL shapes, `{id}` where its number is
    /// (`/agent/tickets/{id}`): "apply priority" takes the ticket id from
    /// the tab's URL as the browser reports it, never from the page.
    #[serde(default)]
    pub ticket_id: Vec<String>,
    /// Where the selectors come from, and which are best-effort.
    #[serde(default)]
    pub notes: String,
    /// A helpdesk's ticket page (the default) or a CRM's contact page
    /// (there the panel shows the contact's helpdesk tickets).
    #[serde(default)]
    pub role: SiteRole,
    pub test_urls: TestUrls,
}

/// What kind of page an adapter describes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteRole {
    #[default]
    Helpdesk,
    Crm,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestUrls {
    /// URLs this adapter (and no other) must match.
    #[serde(rename = "match")]
    pub matches: Vec<String>,
    /// URLs this adapter must not match.
    pub no_match: Vec<String>,
}

/// What the background sends to the content script for one adapter.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct PageRules {
    pub adapter: String,
    /// `None` when the URL alone identifies the site (an https host match).
    pub detect: Option<String>,
    pub requester: Vec<String>,
    pub agent: Vec<String>,
    pub conversation: Option<String>,
    pub shrink: Vec<String>,
    #[serde(default)]
    pub agent_messages: Vec<String>,
    /// The ticket's subject and status elements (their text).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subject: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub status: Vec<String>,
}

/// Every built-in adapter. Panics on first use if a file is malformed or
/// breaks a rule of [`Adapter::validate`]; the tests load them all, so such a
/// file cannot ship.
pub fn all() -> &'static [Adapter] {
    static ALL: OnceLock<Vec<Adapter>> = OnceLock::new();
    ALL.get_or_init(|| {
        let adapters: Vec<Adapter> = SOURCES
            .iter()
            .map(|(file, json)| {
                let adapter: Adapter = serde_json::from_str(json).unwrap_or_else(|e| panic!("adapters/{file} is not a valid adapter: {e}"));
                if let Err(e) = adapter.validate() {
                    panic!("adapters/{file}: {e}");
                }
                adapter
            })
            .collect();
        for (i, a) in adapters.iter().enumerate() {
            if adapters[..i].iter().any(|b| b.id == a.id) {
                panic!("adapters: the id '{}' is used twice", a.id);
            }
        }
        adapters
    })
}

/// The adapter with this id.
pub fn by_id(id: &str) -> Option<&'static Adapter> {
    all().iter().find(|a| a.id == id)
}

/// The rules of every adapter that applies to `url`: first those the URL
/// identifies by itself (https host match, no `detect`), then those that need
/// their `detect` selector on the page. At most one entry per adapter.
pub fn matching(url: &str) -> Vec<PageRules> {
    let Some(page) = PageUrl::parse(url) else { return Vec::new() };
    let mut by_host = Vec::new();
    let mut gated = Vec::new();
    for a in all() {
        let path_in = |globs: &[String]| globs.iter().any(|g| path_matches(g, &page));
        if !a.hosts.is_empty() && page.https && a.hosts.iter().any(|h| host_matches(h, &page.host)) && path_in(&a.paths) {
            by_host.push(a.rules(None));
        } else if (a.hosts.is_empty() && path_in(&a.paths)) || path_in(&a.any_host_paths) {
            gated.push(a.rules(a.detect.clone()));
        }
    }
    by_host.extend(gated);
    by_host
}

impl Adapter {
    fn rules(&self, detect: Option<String>) -> PageRules {
        PageRules {
            adapter: self.id.clone(),
            detect,
            requester: self.requester.clone(),
            agent: self.agent.clone(),
            conversation: self.conversation.clone(),
            shrink: self.shrink.clone(),
            agent_messages: self.agent_messages.clone(),
            subject: self.subject.clone(),
            status: self.status.clone(),
        }
    }

    /// The ticket's id in `url` by this adapter's `ticket_id` shapes: the
    /// path segment where `{id}` is (1 to 20 letters, digits, `-`, `_`);
    /// more segments may follow (`/agent/tickets/4711/events`).
    pub fn ticket_id_in(&self, url: &str) -> Option<String> {
        let page = PageUrl::parse(url)?;
        let have: Vec<&str> = page.path.split('/').collect();
        self.ticket_id.iter().find_map(|shape| {
            let want: Vec<&str> = shape.split('/').collect();
            if have.len() < want.len() {
                return None;
            }
            let mut id = None;
            for (w, h) in want.iter().zip(&have) {
                if *w == "{id}" {
                    let ok = (1..=20).contains(&h.len()) && h.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
                    id = Some(h.to_string()).filter(|_| ok);
                    id.as_ref()?;
                } else if w != h {
                    return None;
                }
            }
            id
        })
    }

    /// The rules every adapter file must follow.
    pub fn validate(&self) -> Result<(), String> {
        let id_ok = !self.id.is_empty() && self.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !id_ok {
            return Err(format!("id '{}': use lower-case letters, digits and '-'", self.id));
        }
        if self.name.trim().is_empty() {
            return Err(format!("{}: name is empty", self.id));
        }
        if self.paths.is_empty() {
            return Err(format!("{}: paths is empty", self.id));
        }
        if (self.hosts.is_empty() || !self.any_host_paths.is_empty()) && self.detect.is_none() {
            return Err(format!("{}: an adapter that can match any host (no hosts, or any_host_paths) needs detect", self.id));
        }
        for h in &self.hosts {
            check_host_glob(h).map_err(|e| format!("{}: host '{h}': {e}", self.id))?;
        }
        for p in self.paths.iter().chain(&self.any_host_paths) {
            check_path_glob(p).map_err(|e| format!("{}: path '{p}': {e}", self.id))?;
        }
        if self.requester.is_empty() {
            return Err(format!("{}: requester is empty", self.id));
        }
        for t in &self.ticket_id {
            if !t.starts_with('/') || t.matches("{id}").count() != 1 || t.split('/').any(|seg| seg.contains("{id}") && seg != "{id}") || t.contains(['*', '?', '#']) {
                return Err(format!("{}: ticket_id '{t}': a path with one whole segment {{id}}", self.id));
            }
        }
        let selectors = self.detect.iter().chain(&self.requester).chain(&self.agent).chain(&self.conversation).chain(&self.agent_messages).chain(&self.subject).chain(&self.status);
        for s in selectors {
            check_selector(s).map_err(|e| format!("{}: selector '{s}': {e}", self.id))?;
        }
        if self.test_urls.matches.is_empty() || self.test_urls.no_match.is_empty() {
            return Err(format!("{}: test_urls needs at least one match and one no_match", self.id));
        }
        Ok(())
    }
}

/// The ticket id of the page at `page_url` (as the browser reported it),
/// by the adapter the content script used (`adapter`, counted only when it
/// applies to this URL): what "apply priority" writes to.
pub fn ticket_id(page_url: &str, adapter: Option<&str>) -> Option<String> {
    let id = adapter?;
    if !matching(page_url).iter().any(|r| r.adapter == id) {
        return None;
    }
    by_id(id)?.ticket_id_in(page_url)
}

/// The parts of a page URL that adapters look at.
#[derive(Debug, PartialEq)]
struct PageUrl<'a> {
    https: bool,
    /// Lower case, without the port.
    host: String,
    /// `/` when the URL has none.
    path: &'a str,
    query: Option<&'a str>,
    fragment: Option<&'a str>,
}

impl<'a> PageUrl<'a> {
    /// http(s) URLs only; `None` for anything with user info or a host we would not trust.
    fn parse(url: &'a str) -> Option<PageUrl<'a>> {
        let (scheme, rest) = url.trim().split_once("://")?;
        let https = if scheme.eq_ignore_ascii_case("https") {
            true
        } else if scheme.eq_ignore_ascii_case("http") {
            false
        } else {
            return None;
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, rest) = rest.split_at(end);
        if authority.contains(['@', '\\']) {
            return None;
        }
        let host = match authority.strip_prefix('[') {
            Some(v6) => {
                let close = v6.find(']')?;
                let port = &v6[close + 1..];
                if !(port.is_empty() || port.strip_prefix(':').is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))) {
                    return None;
                }
                format!("[{}]", &v6[..close])
            }
            None => {
                let host = match authority.rsplit_once(':') {
                    Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
                    Some(_) => return None,
                    None => authority,
                };
                let ok = !host.is_empty() && host.split('.').all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
                if !ok {
                    return None;
                }
                host.to_ascii_lowercase()
            }
        };
        let (before_hash, fragment) = match rest.split_once('#') {
            Some((b, f)) => (b, Some(f)),
            None => (rest, None),
        };
        let (path, query) = match before_hash.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (before_hash, None),
        };
        let path = if path.is_empty() { "/" } else { path };
        Some(PageUrl { https, host, path, query, fragment })
    }
}

/// A path glob with its optional `?query` and `#hash` parts; a part the glob
/// leaves out is not looked at.
fn path_matches(glob_str: &str, page: &PageUrl) -> bool {
    let (before_hash, hash) = match glob_str.split_once('#') {
        Some((b, h)) => (b, Some(h)),
        None => (glob_str, None),
    };
    let (path, query) = match before_hash.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (before_hash, None),
    };
    let part = |want: Option<&str>, have: Option<&str>| match want {
        None => true,
        Some(w) => have.is_some_and(|h| glob(w, h)),
    };
    glob(path, page.path) && part(query, page.query) && part(hash, page.fragment)
}

fn host_matches(glob_str: &str, host: &str) -> bool {
    let pattern: Vec<&str> = glob_str.split('.').collect();
    let labels: Vec<&str> = host.split('.').collect();
    let (prefix_any, pattern) = match pattern.split_first() {
        Some((&"*", rest)) => (true, rest),
        _ => (false, &pattern[..]),
    };
    if labels.len() < pattern.len() + usize::from(prefix_any) || (!prefix_any && labels.len() != pattern.len()) {
        return false;
    }
    let tail = &labels[labels.len() - pattern.len()..];
    tail.iter().zip(pattern).all(|(label, p)| glob(p, label))
}

/// `*` matches any run of characters (possibly empty); everything else is
/// literal (the match-pattern glob of `weburl`).
fn glob(pattern: &str, s: &str) -> bool {
    crate::weburl::glob(pattern.as_bytes(), s.as_bytes())
}

fn check_host_glob(h: &str) -> Result<(), String> {
    if !h.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'*')) {
        return Err("use lower-case letters, digits, '-', '.' and '*'".into());
    }
    let labels: Vec<&str> = h.split('.').collect();
    if labels.iter().any(|l| l.is_empty()) {
        return Err("empty label".into());
    }
    if labels.iter().skip(1).any(|l| *l == "*") {
        return Err("a whole-label '*' may only start the host".into());
    }
    if labels.len() < 2 || labels[labels.len() - 2..].iter().any(|l| l.contains('*')) {
        return Err("the last two labels must be literal (no '*.com')".into());
    }
    Ok(())
}

fn check_path_glob(p: &str) -> Result<(), String> {
    if !p.starts_with('/') {
        return Err("must start with '/'".into());
    }
    if p.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("no spaces".into());
    }
    if p.matches('#').count() > 1 {
        return Err("at most one '#'".into());
    }
    Ok(())
}

/// A small sanity check of a CSS selector: not a parser, but it catches typos
/// that would make `querySelector` throw, and anything that is not a selector.
fn check_selector(s: &str) -> Result<(), String> {
    if s.trim().is_empty() {
        return Err("empty".into());
    }
    if s.trim() != s {
        return Err("leading or trailing space".into());
    }
    if s.len() > 300 {
        return Err("longer than 300 characters".into());
    }
    if s.chars().any(|c| c.is_control()) {
        return Err("control characters".into());
    }
    let lower = s.to_ascii_lowercase();
    if lower.contains("javascript:") || s.contains(['<', '{', '}', ';']) {
        return Err("not a selector".into());
    }
    if s.starts_with(',') || s.ends_with(',') || s.split(',').any(|part| part.trim().is_empty()) {
        return Err("an empty entry in the selector list".into());
    }
    let mut stack = Vec::new();
    let mut quote = None;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (_, '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '(') => stack.push(c),
            (None, ']') if stack.pop() != Some('[') => return Err("unbalanced ']'".into()),
            (None, ')') if stack.pop() != Some('(') => return Err("unbalanced ')'".into()),
            _ => {}
        }
    }
    if quote.is_some() {
        return Err("unclosed quote".into());
    }
    if !stack.is_empty() {
        return Err("unclosed bracket".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(url: &str) -> Vec<(String, bool)> {
        matching(url).into_iter().map(|r| (r.adapter, r.detect.is_some())).collect()
    }

    #[test]
    fn every_adapter_loads_and_follows_the_rules() {
        assert!(all().len() >= 9);
        for a in all() {
            a.validate().unwrap_or_else(|e| panic!("{e}"));
            assert!(!a.notes.trim().is_empty(), "{}: say where the selectors come from", a.id);
        }
        let mut seen = std::collections::HashSet::new();
        for a in all() {
            assert!(seen.insert(a.id.as_str()), "duplicate id {}", a.id);
        }
    }

    #[test]
    fn agent_messages_reach_the_content_script_and_are_checked() {
        let rules = matching("https://support.acme.example/scp/tickets.php?id=9");
        let os = rules.iter().find(|r| r.adapter == "osticket").expect("osticket matches");
        assert!(os.agent_messages.iter().any(|s| s.contains(".thread-entry.response")));
        let mut a = by_id("osticket").expect("osticket").clone();
        a.agent_messages = vec!["javascript:alert(1)".into()];
        assert!(a.validate().is_err());
    }

    #[test]
    fn every_adapter_file_is_compiled_in() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/adapters");
        let mut files: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        files.sort();
        let mut included: Vec<String> = SOURCES.iter().map(|(f, _)| f.to_string()).collect();
        included.sort();
        assert_eq!(files, included, "add new files in adapters/ to SOURCES");
        for (file, _) in SOURCES {
            let id = file.trim_end_matches(".json");
            assert!(by_id(id).is_some(), "{file} should hold the adapter '{id}'");
        }
    }

    #[test]
    fn test_urls_match_their_adapter_and_no_other() {
        for a in all() {
            for url in &a.test_urls.matches {
                let found = ids(url);
                assert_eq!(found.len(), 1, "{}: {url} matched {found:?}", a.id);
                assert_eq!(found[0].0, a.id, "{url}");
            }
            for url in &a.test_urls.no_match {
                assert!(!ids(url).iter().any(|(id, _)| *id == a.id), "{}: {url} must not match", a.id);
            }
        }
    }

    #[test]
    fn hosts_alone_never_admit_look_alikes() {
        for a in all() {
            for url in &a.test_urls.matches {
                let page = PageUrl::parse(url).unwrap();
                let Some(glob) = a.hosts.iter().find(|h| host_matches(h, &page.host)) else { continue };
                let rest = &url[url.find(&page.host).unwrap() + page.host.len()..];
                // The literal domain the glob pins down: `zendesk.com` for `*.zendesk.com`.
                let domain = glob.strip_prefix("*.").unwrap_or(&page.host);
                for evil in [
                    format!("https://{}.evil.test{rest}", page.host),
                    format!("https://evil{domain}{rest}"),
                    format!("https://{}{rest}", domain.replace('.', "-")),
                    format!("https://{domain}.evil.test{rest}"),
                    format!("http://{}{rest}", page.host),
                    format!("https://{}@evil.test{rest}", page.host),
                ] {
                    for r in matching(&evil) {
                        assert!(r.detect.is_some(), "{evil} matched {} without detect", r.adapter);
                    }
                }
            }
        }
    }

    #[test]
    fn host_matches_only_real_subdomains() {
        assert!(host_matches("*.zendesk.com", "acme.zendesk.com"));
        assert!(host_matches("*.zendesk.com", "a.b.zendesk.com"));
        assert!(!host_matches("*.zendesk.com", "zendesk.com"));
        assert!(!host_matches("*.zendesk.com", "zendesk.com.evil.test"));
        assert!(!host_matches("*.zendesk.com", "acme.zendesk.com.evil.test"));
        assert!(!host_matches("*.zendesk.com", "evilzendesk.com"));
        assert!(host_matches("*.lightning.force.com", "acme--uat.sandbox.lightning.force.com"));
        assert!(host_matches("app-*.hubspot.com", "app-eu1.hubspot.com"));
        assert!(!host_matches("app-*.hubspot.com", "app.hubspot.com"));
        assert!(!host_matches("app-*.hubspot.com", "x.app-eu1.hubspot.com"));
        assert!(host_matches("secure.helpscout.net", "secure.helpscout.net"));
        assert!(!host_matches("secure.helpscout.net", "x.secure.helpscout.net"));
    }

    #[test]
    fn urls_are_split_into_the_parts_adapters_use() {
        let u = PageUrl::parse("HTTPS://Acme.Zendesk.COM:443/agent/tickets/1?x=1#top").unwrap();
        assert_eq!(u, PageUrl { https: true, host: "acme.zendesk.com".into(), path: "/agent/tickets/1", query: Some("x=1"), fragment: Some("top") });
        let z = PageUrl::parse("http://127.0.0.1:8642/zammad/#ticket/zoom/17?x").unwrap();
        assert_eq!((z.path, z.query, z.fragment), ("/zammad/", None, Some("ticket/zoom/17?x")));
        assert_eq!(PageUrl::parse("https://h.test").unwrap().path, "/");
        assert_eq!(PageUrl::parse("http://[::1]:9/a").unwrap().host, "[::1]");
        for bad in ["ftp://h.test/", "https://user@h.test/", "https://h.test:x/", "https://h..test/", "https://h\\test/", "h.test/agent", "https:///x"] {
            assert_eq!(PageUrl::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn path_globs_with_query_and_hash() {
        let p = |url: &'static str| PageUrl::parse(url).unwrap();
        assert!(path_matches("/scp/tickets.php?id=*", &p("https://h.test/scp/tickets.php?id=9")));
        assert!(!path_matches("/scp/tickets.php?id=*", &p("https://h.test/scp/tickets.php")));
        assert!(!path_matches("/scp/tickets.php?id=*", &p("https://h.test/scp/tickets.php?a=open")));
        assert!(path_matches("/#ticket/zoom/*", &p("https://h.test/#ticket/zoom/17")));
        assert!(!path_matches("/#ticket/zoom/*", &p("https://h.test/#dashboard")));
        assert!(path_matches("/agent/tickets/*", &p("https://h.test/agent/tickets/1?a#b")));
        assert!(!path_matches("/agent/tickets/*", &p("https://h.test/agent/ticket/1")));
        assert!(glob("a*b*c", "aXbYc") && glob("*", "") && !glob("a*", "b") && glob("/x/*-*", "/x/SUP-1"));
    }

    #[test]
    fn the_crm_contact_pages_are_marked_as_crm_pages() {
        let crm: Vec<&str> = all().iter().filter(|a| a.role == SiteRole::Crm).map(|a| a.id.as_str()).collect();
        assert_eq!(crm, ["hubspot", "salesforce", "zoho-crm", "pipedrive"]);
    }

    #[test]
    fn host_matches_come_first_and_need_no_detect() {
        let rules = matching("https://acme.zendesk.com/agent/tickets/4711");
        assert_eq!(rules.len(), 1);
        assert_eq!(rules[0].detect, None);
        assert_eq!(rules[0].conversation.as_deref(), Some("[data-test-id=\"omni-log-container\"]"));
        // The same path elsewhere (custom domain, demo): the detect selector decides.
        let rules = matching("http://127.0.0.1:8642/agent/tickets/4711");
        assert_eq!(rules.len(), 1);
        assert!(rules[0].detect.is_some());
        // Jira's /browse/ is shared with Jira Software: gated even on atlassian.net.
        assert_eq!(ids("https://acme.atlassian.net/browse/SUP-12"), vec![("jira-service-management".to_string(), true)]);
        assert!(matching("not a url").is_empty());
        assert!(matching("https://example.com/").is_empty());
    }

    #[test]
    fn page_rules_round_trip_as_json() {
        let rules = matching("https://app.chatwoot.com/app/accounts/1/conversations/88");
        let json = serde_json::to_string(&rules).unwrap();
        assert!(json.contains("\"adapter\":\"chatwoot\""));
        assert_eq!(serde_json::from_str::<Vec<PageRules>>(&json).unwrap(), rules);
    }

    #[test]
    fn selector_sanity_check() {
        for good in [
            "[data-test-id=\"x\"] .a",
            "table.ticket_info span[id^=\"user-\"][id$=\"-email\"]",
            "a[href^='mailto:'], a[href^=\"tel:\"]",
            "div:not(.x) > span",
            "[title=\"a]b\"]",
            "records-highlights2",
        ] {
            assert_eq!(check_selector(good), Ok(()), "{good}");
        }
        for bad in ["", " .a", "[x=\"y\"", "a)", "a[href=\"x]", "javascript:alert(1)", "a, ", ",a", "a,,b", "<script>", "a { color: red }", "a\nb"] {
            assert!(check_selector(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn validation_catches_broken_adapters() {
        let base = by_id("zendesk").unwrap().clone();
        let broken = |f: &dyn Fn(&mut Adapter)| {
            let mut a = base.clone();
            f(&mut a);
            a.validate()
        };
        assert_eq!(broken(&|_| {}), Ok(()));
        assert!(broken(&|a| a.detect = None).is_err(), "any_host_paths without detect");
        assert!(broken(&|a| {
            a.hosts.clear();
            a.any_host_paths.clear();
            a.detect = None;
        })
        .is_err());
        assert!(broken(&|a| a.hosts = vec!["*.com".into()]).is_err());
        assert!(broken(&|a| a.hosts = vec!["x.*.com".into()]).is_err());
        assert!(broken(&|a| a.hosts = vec!["Acme.zendesk.com".into()]).is_err());
        assert!(broken(&|a| a.paths = vec!["agent/*".into()]).is_err());
        assert!(broken(&|a| a.paths.clear()).is_err());
        assert!(broken(&|a| a.requester = vec!["[data-x=\"1\"".into()]).is_err());
        assert!(broken(&|a| a.requester.clear()).is_err());
        assert!(broken(&|a| a.agent = vec!["javascript:void(0)".into()]).is_err());
        assert!(broken(&|a| a.id = "Zendesk".into()).is_err());
        assert!(broken(&|a| a.test_urls.no_match.clear()).is_err());
        assert!(serde_json::from_str::<Adapter>(r#"{"id":"x","name":"X","paths":["/"],"requester":["a"],"test_urls":{"match":[],"no_match":[]},"typo":1}"#).is_err());
    }

    #[test]
    fn the_ticket_id_comes_from_the_adapters_url_shape_and_the_browsers_url() {
        assert_eq!(ticket_id("https://acme.zendesk.com/agent/tickets/4711", Some("zendesk")).as_deref(), Some("4711"));
        assert_eq!(ticket_id("https://acme.zendesk.com/agent/tickets/4711/events?x=1#y", Some("zendesk")).as_deref(), Some("4711"));
        assert_eq!(ticket_id("http://127.0.0.1:8642/agent/tickets/4711", Some("zendesk")).as_deref(), Some("4711"), "the demo, by detect");
        assert_eq!(ticket_id("https://acme.freshdesk.com/a/tickets/52", Some("freshdesk")).as_deref(), Some("52"));
        assert_eq!(ticket_id("https://support.acme.example/helpdesk/tickets/52", Some("freshdesk")).as_deref(), Some("52"));
        // Not without the adapter the content script used, nor one that does not apply to the URL.
        assert_eq!(ticket_id("https://acme.zendesk.com/agent/tickets/4711", None), None);
        assert_eq!(ticket_id("https://acme.zendesk.com/agent/tickets/4711", Some("freshdesk")), None);
        assert_eq!(ticket_id("https://app.chatwoot.com/app/accounts/1/conversations/88", Some("chatwoot")), None, "no ticket_id shape");
        for bad in ["https://acme.zendesk.com/agent/tickets/", "https://acme.zendesk.com/agent/tickets/%2e%2e", "https://acme.zendesk.com/agent/tickets/123456789012345678901"] {
            assert_eq!(ticket_id(bad, Some("zendesk")), None, "{bad}");
        }
        let mut a = by_id("zendesk").unwrap().clone();
        for bad in ["agent/tickets/{id}", "/agent/tickets/x{id}", "/a/{id}/{id}", "/agent/*/{id}", "/agent/tickets"] {
            a.ticket_id = vec![bad.into()];
            assert!(a.validate().is_err(), "{bad}");
        }
        a.subject = vec!["input[data-x=\"1\"".into()];
        a.ticket_id.clear();
        assert!(a.validate().is_err(), "the subject selector is checked like the others");
    }

    #[test]
    fn subject_and_status_selectors_reach_the_content_script() {
        for (url, id) in [("https://acme.zendesk.com/agent/tickets/4711", "zendesk"), ("https://acme.freshdesk.com/a/tickets/52", "freshdesk")] {
            let rules = matching(url);
            let r = rules.iter().find(|r| r.adapter == id).unwrap();
            assert!(!r.subject.is_empty() && !r.status.is_empty(), "{id}");
        }
        let json = serde_json::to_string(&matching("https://app.chatwoot.com/app/accounts/1/conversations/88")).unwrap();
        assert!(!json.contains("subject"), "left out where an adapter has none: {json}");
    }

    /// The demo's imitation pages hold the elements the subject and status
    /// selectors name (the e2e tests read them there in real browsers); a
    /// small check of the simple selectors used: `tag[attr="v"]`, `.class`.
    #[test]
    fn subject_and_status_selectors_find_their_element_on_the_demo_pages() {
        fn finds(html: &str, sel: &str) -> Option<String> {
            let (tag, rest) = match sel.find(['[', '.']) {
                Some(i) => (&sel[..i], &sel[i..]),
                None => (sel, ""),
            };
            let needle = if let Some(attr) = rest.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
                attr.to_string()
            } else if let Some(class) = rest.strip_prefix('.') {
                format!("class=\"{class}\"")
            } else {
                return None;
            };
            // Each place the attribute is written inside a start tag (not the style sheet).
            html.match_indices(&needle).find_map(|(at, _)| {
                let open = html[..at].rfind('<')?;
                if html[open..at].contains('>') {
                    return None;
                }
                let name: String = html[open + 1..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
                if !tag.is_empty() && name != tag {
                    return None;
                }
                let end = html[at..].find('>')? + at;
                if name == "input" {
                    let v = &html[open..end];
                    let i = v.find("value=\"")? + 7;
                    return Some(v[i..i + v[i..].find('"')?].to_string());
                }
                let close = html[end..].find(&format!("</{name}>"))? + end;
                Some(html[end + 1..close].trim().to_string())
            })
        }
        let page = |id: &str| std::fs::read_to_string(format!("{}/../deskside-demo/src/sites/{id}.html", env!("CARGO_MANIFEST_DIR"))).unwrap();
        for (id, subject, status) in [("zendesk", "Delivery of order ORD-2026-004211 delayed", "Open"), ("freshdesk", "Invoice INV-88213 shows the wrong VAT number", "Pending")] {
            let a = by_id(id).unwrap();
            let html = page(id);
            assert_eq!(a.subject.iter().find_map(|s| finds(&html, s)).as_deref(), Some(subject), "{id}");
            assert_eq!(a.status.iter().find_map(|s| finds(&html, s)).as_deref(), Some(status), "{id}");
        }
        // The finder itself: no element, no text.
        assert_eq!(finds("<p class=\"x\">a</p>", ".y"), None);
        assert_eq!(finds("<p class=\"x\">a</p>", "span.x"), None);
    }

    /// The demo serves one imitation page per adapter on 127.0.0.1; the e2e
    /// tests rely on these URLs reaching the adapter through its detect selector.
    #[test]
    fn every_adapter_has_a_demo_page() {
        let demo = [
            ("zendesk", "/agent/tickets/4711"),
            ("freshdesk", "/a/tickets/52"),
            ("zammad", "/zammad/#ticket/zoom/17"),
            ("helpscout", "/conversation/2231/1"),
            ("jira-service-management", "/browse/SUP-12"),
            ("chatwoot", "/app/accounts/1/conversations/88"),
            ("osticket", "/scp/tickets.php?id=9"),
            ("hubspot", "/contacts/4242/record/0-1/5101"),
            ("salesforce", "/lightning/r/Contact/003XX000004TmiQYAS/view"),
            ("zoho-crm", "/crm/org712345678/tab/Contacts/4876876000000123456"),
            ("pipedrive", "/person/1234"),
        ];
        for a in all() {
            let (_, path) = demo.iter().find(|(id, _)| *id == a.id).unwrap_or_else(|| panic!("{}: add a demo page", a.id));
            assert_eq!(ids(&format!("http://127.0.0.1:8642{path}")), vec![(a.id.clone(), true)], "{path}");
            let page = format!("{}/../deskside-demo/src/sites/{}.html", env!("CARGO_MANIFEST_DIR"), a.id);
            let html = std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{page}: {e}"));
            assert!(!html.to_ascii_lowercase().contains("<script"), "{page}: the demo pages run under a CSP without scripts");
        }
    }
}
