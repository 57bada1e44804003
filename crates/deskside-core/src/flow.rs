//! The background's decisions, as pure functions; `deskside-wasm` runs them
//! and does the I/O in between (storage, fetch).

use crate::audit::{mask_subject, AuditEntry};
use crate::config::Settings;
use crate::connector::{build_lookup, map_lookup, HttpRequest, HttpResponse, LookupError};
use crate::identify::{identify, Candidate, PageSnapshot, ScanContext};
use crate::messages::Response;
use crate::model::Customer;
use crate::panel::{CustomerView, PanelState, SourceError};
use crate::weburl::origin_of;
use serde::{Deserialize, Serialize};

/// What the background remembers about a tab (in `storage.session`, so it
/// survives the service worker being stopped).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TabState {
    pub page_origin: String,
    pub candidates: Vec<Candidate>,
}

pub fn tab_key(tab_id: i64) -> String {
    format!("tab:{tab_id}")
}

/// A content script reported a page.
pub fn page_scanned(settings: &Settings, page_url: &str, snapshot: &PageSnapshot) -> (TabState, Response) {
    let ctx = ScanContext { team_domains: settings.team_domains.clone(), default_region: settings.default_region.clone() };
    let candidates = identify(snapshot, &ctx);
    let count = candidates.len();
    let state = TabState { page_origin: origin_of(page_url).unwrap_or_default(), candidates };
    // The panel also appears with nothing found or nothing configured: it
    // then says so, rather than leaving the agent guessing.
    (state, Response::Scanned { show_panel: true, candidates: count })
}

/// The lookups the panel needs, or its final state if none is needed.
pub enum PanelPlan {
    Done(PanelState),
    Lookup { identifier: Candidate, requests: Vec<(usize, Result<HttpRequest, LookupError>)> },
}

pub fn plan_panel(settings: &Settings, tab: Option<&TabState>) -> PanelPlan {
    let enabled: Vec<usize> = settings.connectors.iter().enumerate().filter(|(_, c)| c.enabled).map(|(i, _)| i).collect();
    if enabled.is_empty() {
        return PanelPlan::Done(PanelState::NotConfigured);
    }
    // The best identifier the connectors can search by.
    let Some(best) = tab.and_then(|t| t.candidates.iter().find(|c| c.kind.lookupable())) else {
        return PanelPlan::Done(PanelState::NoIdentifier);
    };
    let requests = enabled.into_iter().map(|i| (i, build_lookup(&settings.connectors[i], best))).collect();
    PanelPlan::Lookup { identifier: best.clone(), requests }
}

/// Merges every connector's answer into the panel's state and the audit
/// entries to append.
pub fn finish_panel(
    settings: &Settings,
    tab: &TabState,
    identifier: &Candidate,
    results: Vec<(usize, Result<HttpResponse, LookupError>)>,
    now_ms: f64,
) -> (PanelState, Vec<AuditEntry>) {
    let mut customers: Vec<Customer> = Vec::new();
    let mut errors = Vec::new();
    let mut audit = Vec::new();
    let mut sources = Vec::new();
    for (i, result) in results {
        let Some(cfg) = settings.connectors.get(i) else { continue };
        let mapped = result.and_then(|resp| map_lookup(cfg, &resp));
        let outcome = match &mapped {
            Ok(c) if c.is_empty() => "not_found".to_string(),
            Ok(c) => format!("found:{}", c.len()),
            Err(e) => serde_json::to_value(e).ok().and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_string)).unwrap_or_else(|| "error".into()),
        };
        audit.push(AuditEntry {
            at_ms: now_ms,
            connector: format!("{} ({})", cfg.label, cfg.id),
            action: "lookup".into(),
            subject: mask_subject(&identifier.value),
            page_origin: tab.page_origin.clone(),
            outcome,
        });
        sources.push(cfg.label.clone());
        match mapped {
            Ok(found) => customers.extend(found),
            Err(e) => errors.push(SourceError::new(&cfg.label, &e)),
        }
    }
    let identifier = identifier.value.clone();
    let state = if !customers.is_empty() {
        PanelState::Found { identifier, customers: customers.iter().map(CustomerView::from_customer).collect(), errors }
    } else if !errors.is_empty() {
        PanelState::Error { identifier, errors }
    } else {
        PanelState::NotFound { identifier, sources }
    };
    (state, audit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ConnectorConfig, ConnectorKind};
    use crate::identify::{Field, Source};
    use crate::secret::Secret;

    fn settings(n: usize) -> Settings {
        Settings {
            connectors: (0..n)
                .map(|i| ConnectorConfig {
                    id: format!("c{i}"),
                    kind: ConnectorKind::DemoCrm,
                    label: format!("CRM {i}"),
                    base_url: "http://127.0.0.1:7000".into(),
                    api_key: Secret::new("k"),
                    enabled: true,
                })
                .collect(),
            sites: vec!["http://127.0.0.1/*".into()],
            ..Settings::default()
        }
    }

    fn scanned(s: &Settings) -> TabState {
        let snap = PageSnapshot { fields: vec![Field { source: Source::MailtoLink, text: "mailto:li.na@example.cn".into() }] };
        page_scanned(s, "http://127.0.0.1:8000/tickets/1", &snap).0
    }

    #[test]
    fn not_configured_and_no_identifier() {
        assert!(matches!(plan_panel(&settings(0), None), PanelPlan::Done(PanelState::NotConfigured)));
        assert!(matches!(plan_panel(&settings(1), Some(&TabState::default())), PanelPlan::Done(PanelState::NoIdentifier)));
    }

    #[test]
    fn merges_sources_and_audits_each() {
        let s = settings(2);
        let tab = scanned(&s);
        assert_eq!(tab.page_origin, "http://127.0.0.1:8000");
        let PanelPlan::Lookup { identifier, requests } = plan_panel(&s, Some(&tab)) else { panic!("expected a lookup") };
        assert_eq!(requests.len(), 2);
        let ok = HttpResponse { status: 200, body: r#"{"data":[{"id":"1","name":"Li Na"}]}"#.into(), ..Default::default() };
        let results = vec![(0, Ok(ok)), (1, Err(LookupError::Timeout))];
        let (state, audit) = finish_panel(&s, &tab, &identifier, results, 1.0);
        let PanelState::Found { customers, errors, .. } = state else { panic!("expected found") };
        assert_eq!(customers[0].name, "Li Na");
        assert_eq!(errors[0].source, "CRM 1");
        assert_eq!(audit.iter().map(|a| a.outcome.as_str()).collect::<Vec<_>>(), ["found:1", "timeout"]);
        assert_eq!(audit[0].subject, "l***@example.cn");
    }

    #[test]
    fn all_failed_is_an_error_and_none_found_is_not_found() {
        let s = settings(1);
        let tab = scanned(&s);
        let id = tab.candidates[0].clone();
        let (state, _) = finish_panel(&s, &tab, &id, vec![(0, Ok(HttpResponse { status: 401, ..Default::default() }))], 0.0);
        assert!(matches!(state, PanelState::Error { ref errors, .. } if errors[0].needs_admin));
        let (state, _) = finish_panel(&s, &tab, &id, vec![(0, Ok(HttpResponse { status: 200, body: r#"{"data":[]}"#.into(), ..Default::default() }))], 0.0);
        assert!(matches!(state, PanelState::NotFound { .. }));
    }
}
