//! *Test connection* on the options page: a connector as typed (not yet
//! saved) run against a sample identifier, with every step shown to the
//! admin: the request (secrets redacted), the answer (shortened), and the
//! customer it maps to or the precise failure.

use super::{HttpRequest, HttpResponse, LookupError};
use crate::config::FieldError;
use crate::i18n::Text;
use crate::identify::{Candidate, IdKind, Source};
use crate::panel::CustomerView;
use serde::{Deserialize, Serialize};

/// Most characters of an answer shown.
pub const ANSWER_SHOWN: usize = 1500;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConnectorTest {
    pub steps: Vec<TestStep>,
    pub outcome: TestOutcome,
}

/// One request and what came back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TestStep {
    /// Method, URL, headers and body, secrets redacted.
    pub request: String,
    pub status: Option<u16>,
    /// The body, shortened.
    pub answer: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TestOutcome {
    /// The form's connector is not valid yet: its problems, as Save shows them.
    Invalid { errors: Vec<FieldError> },
    /// `fields`: where each value of the first customer came from.
    Found {
        customers: Vec<CustomerView>,
        near_misses: usize,
        #[serde(default)]
        fields: Vec<super::engine::FieldSource>,
    },
    /// The connection works; nobody has this identifier.
    NotFound { identifier: String, id_kind: IdKind, near_misses: usize },
    Failed { message: Text, needs_admin: bool },
}

impl ConnectorTest {
    pub fn failed(steps: Vec<TestStep>, e: &LookupError) -> ConnectorTest {
        ConnectorTest { steps, outcome: TestOutcome::Failed { message: e.user_message(), needs_admin: matches!(e, LookupError::Unauthorized { .. } | LookupError::MissingPermission { .. } | LookupError::Config { .. }) } }
    }
}

/// The sample the admin typed, as an identifier: an address, a phone
/// number (in the default region), or else a customer id.
pub fn sample_identifier(text: &str, region: &str) -> Option<Candidate> {
    let t = text.trim();
    if t.is_empty() || t.len() > 200 || t.chars().any(char::is_control) {
        return None;
    }
    let (kind, value) = if t.contains('@') {
        (IdKind::Email, t.to_lowercase())
    } else if let Some(e164) = crate::phone::normalize_phone_typed(t, region).filter(|_| t.chars().filter(char::is_ascii_digit).count() >= 7) {
        (IdKind::Phone, e164)
    } else if t.chars().any(char::is_alphanumeric) {
        (IdKind::CustomerId, t.to_string())
    } else {
        return None;
    };
    Some(Candidate { kind, value, source: Source::Text, score: 1, sensitive: false, label: None })
}

/// A request as the admin sees it: secrets redacted.
pub fn describe(req: &HttpRequest) -> String {
    let mut out = format!("{} {}\n", req.method.as_str(), req.shown_url());
    for (k, v) in &req.headers {
        let shown = if req.secret_header(k) {
            match v.split_once(' ') {
                Some((scheme @ ("Bearer" | "Basic"), _)) => format!("{scheme} <redacted>"),
                _ => "<redacted>".to_string(),
            }
        } else {
            v.clone()
        };
        out.push_str(&format!("{k}: {shown}\n"));
    }
    if let Some(body) = req.shown_body() {
        out.push('\n');
        out.push_str(&body);
    }
    out
}

/// A step from a request and its answer (or the failure to get one). A
/// token endpoint's tokens are shown as `<redacted>`: only the background
/// ever holds them.
pub fn step(req: &HttpRequest, resp: &Result<HttpResponse, LookupError>) -> TestStep {
    match resp {
        Ok(r) => TestStep { request: describe(req), status: Some(r.status), answer: redact_tokens(&r.body).chars().take(ANSWER_SHOWN).collect() },
        Err(_) => TestStep { request: describe(req), status: None, answer: String::new() },
    }
}

/// Every string under a key that names a token (`access_token`,
/// `tenant_access_token`, `accessToken`, `data.token`…) replaced: app-token
/// answers put theirs wherever the vendor likes.
fn redact_tokens(body: &str) -> String {
    fn walk(v: &mut serde_json::Value) -> bool {
        let mut changed = false;
        match v {
            serde_json::Value::Object(map) => {
                for (k, x) in map.iter_mut() {
                    if x.is_string() && k.to_ascii_lowercase().contains("token") {
                        *x = serde_json::Value::String("<redacted>".into());
                        changed = true;
                    } else {
                        changed |= walk(x);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(|x| changed |= walk(x)),
            _ => {}
        }
        changed
    }
    match serde_json::from_str::<serde_json::Value>(body) {
        Ok(mut v) => {
            if walk(&mut v) {
                v.to_string()
            } else {
                body.to_string()
            }
        }
        Err(_) => body.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connector::{Method, Redact};

    #[test]
    fn samples_are_read_as_the_kind_they_are() {
        assert_eq!(sample_identifier(" Mia@Globex.example ", "CN").map(|c| (c.kind, c.value)), Some((IdKind::Email, "mia@globex.example".into())));
        assert_eq!(sample_identifier("138 0013 8000", "CN").map(|c| (c.kind, c.value)), Some((IdKind::Phone, "+8613800138000".into())));
        assert_eq!(sample_identifier("P-1001", "CN").map(|c| c.kind), Some(IdKind::CustomerId));
        assert_eq!(sample_identifier("..", "CN"), None);
        assert_eq!(sample_identifier("", "CN"), None);
    }

    #[test]
    fn requests_are_shown_without_their_secrets() {
        let req = HttpRequest {
            method: Method::Post,
            url: "https://api.test/oauth/token?api_token=canary-1".into(),
            headers: vec![("Authorization".into(), "Bearer canary-2".into()), ("X-Api-Key".into(), "canary-3".into()), ("Accept".into(), "application/json".into())],
            body: Some("grant_type=client_credentials&client_id=canary-4&client_secret=canary-5".into()),
            redact: Redact { params: vec!["api_token".into(), "client_id".into(), "client_secret".into()], ..Redact::default() },
        };
        let shown = describe(&req);
        assert!(!shown.contains("canary"), "{shown}");
        assert!(shown.starts_with("POST https://api.test/oauth/token?api_token=<redacted>\n"), "{shown}");
        assert!(shown.contains("Authorization: Bearer <redacted>") && shown.contains("Accept: application/json") && shown.contains("grant_type=client_credentials"));
        let token = HttpResponse { status: 200, body: r#"{"access_token":"canary-6","token_type":"Bearer","expires_in":3600}"#.into(), ..Default::default() };
        let s = step(&req, &Ok(token));
        assert!(!s.answer.contains("canary") && s.answer.contains("<redacted>") && s.answer.contains("expires_in"), "{}", s.answer);
    }
}
