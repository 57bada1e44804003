//! The one typed message set between the extension's contexts, and the
//! background's checks of who may send what.
//!
//! Three tiers, lowest trust first: a content script (it runs beside a page
//! that may be hostile and may be forged by a compromised renderer), the panel
//! (an extension page framed inside a tab), and the options page. Each
//! request is allowed from exactly the tiers listed in [`Request::allowed`].
//! No request carries a URL, host or header: the background builds every
//! outgoing request from the stored settings.

use crate::config::{FieldError, SettingsInput, SettingsView};
use crate::adapters::PageRules;
use crate::i18n::LanguageSetting;
use crate::identify::PageSnapshot;
use crate::panel::PanelState;
use crate::weburl::pattern_matches;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Request {
    /// Content script → background: which elements of this page hold the
    /// requester and the agent (site adapters), decided from the page URL the
    /// browser reports, never from the message.
    GetPageRules,
    /// Content script → background: what the page shows.
    PageScanned { snapshot: PageSnapshot },
    /// Content script → background: what was added to the page since the
    /// last scan (new messages); merged into the tab's candidates.
    PageAppended { snapshot: PageSnapshot },
    /// Panel → background: the customer for the panel's tab.
    GetPanelState,
    /// Panel → background: the agent picked another identifier of this page;
    /// remember it for the ticket and look it up.
    ChooseIdentifier { value: String },
    /// Options page → background.
    GetSettings,
    /// Options page → background.
    SaveSettings { input: SettingsInput },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Response {
    /// The site adapters that may describe this page, most specific first.
    PageRules { rules: Vec<PageRules> },
    /// Whether the content script should show (or, after an append, reload)
    /// the panel on this page.
    Scanned { show_panel: bool, candidates: usize },
    /// With the admin's language choice, which the panel resolves against
    /// the browser's languages (`i18n::resolve_language`).
    PanelState { state: PanelState, language: LanguageSetting },
    Settings { settings: SettingsView, required_origins: Vec<String> },
    SaveFailed { errors: Vec<FieldError> },
    /// The request was refused; nothing happened.
    Rejected { reason: String },
    /// The background failed (storage and the like); nothing was lost.
    Failed { message: String },
}

/// What the browser says about a message's sender (`runtime.MessageSender`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SenderInfo {
    pub id: Option<String>,
    pub url: Option<String>,
    // Firefox's frame ids exceed 32 bits.
    pub tab_id: Option<i64>,
    pub frame_id: Option<i64>,
}

/// Who we are: `runtime.id` and `runtime.getURL("")`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Identity {
    pub id: String,
    pub base_url: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tier {
    ContentScript { tab_id: i64, page_url: String },
    Panel { tab_id: i64 },
    Options,
}

impl Request {
    pub fn name(&self) -> &'static str {
        match self {
            Request::GetPageRules => "GetPageRules",
            Request::PageScanned { .. } => "PageScanned",
            Request::PageAppended { .. } => "PageAppended",
            Request::GetPanelState => "GetPanelState",
            Request::ChooseIdentifier { .. } => "ChooseIdentifier",
            Request::GetSettings => "GetSettings",
            Request::SaveSettings { .. } => "SaveSettings",
        }
    }

    pub fn allowed(&self, tier: &Tier) -> bool {
        matches!(
            (self, tier),
            (Request::GetPageRules | Request::PageScanned { .. } | Request::PageAppended { .. }, Tier::ContentScript { .. })
                | (Request::GetPanelState | Request::ChooseIdentifier { .. }, Tier::Panel { .. })
                | (Request::GetSettings | Request::SaveSettings { .. }, Tier::Options)
        )
    }
}

/// Decides the sender's tier from what the browser (not the sender) reports.
/// `sites` are the configured match patterns: a content script is heard only
/// on those pages, and only from the top frame.
pub fn classify(sender: &SenderInfo, me: &Identity, sites: &[String]) -> Result<Tier, String> {
    if sender.id.as_deref() != Some(me.id.as_str()) {
        return Err("message from another extension".into());
    }
    let url = sender.url.as_deref().ok_or("sender has no URL")?;
    if let Some(path) = url.strip_prefix(me.base_url.as_str()) {
        let page = path.split(['?', '#']).next().unwrap_or("");
        return match (page, sender.tab_id) {
            ("panel.html", Some(tab_id)) if tab_id >= 0 => Ok(Tier::Panel { tab_id }),
            ("panel.html", _) => Err("panel outside a tab".into()),
            ("options.html", _) => Ok(Tier::Options),
            _ => Err(format!("unknown extension page '{page}'")),
        };
    }
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return Err("content script on a non-web page".into());
    }
    let tab_id = sender.tab_id.filter(|t| *t >= 0).ok_or("content script outside a tab")?;
    if sender.frame_id != Some(0) {
        return Err("content script in a sub-frame".into());
    }
    if !sites.iter().any(|p| pattern_matches(p, url)) {
        return Err("page is not a configured site".into());
    }
    Ok(Tier::ContentScript { tab_id, page_url: url.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn me() -> Identity {
        Identity { id: "ext-id".into(), base_url: "chrome-extension://ext-id/".into() }
    }

    fn sender(id: &str, url: &str, tab: Option<i64>, frame: Option<i64>) -> SenderInfo {
        SenderInfo { id: Some(id.into()), url: Some(url.into()), tab_id: tab, frame_id: frame }
    }

    fn sites() -> Vec<String> {
        vec!["http://127.0.0.1/*".into()]
    }

    #[test]
    fn classifies_our_contexts() {
        assert_eq!(
            classify(&sender("ext-id", "http://127.0.0.1:9/t/1", Some(4), Some(0)), &me(), &sites()),
            Ok(Tier::ContentScript { tab_id: 4, page_url: "http://127.0.0.1:9/t/1".into() })
        );
        assert_eq!(classify(&sender("ext-id", "chrome-extension://ext-id/panel.html?x", Some(4), Some(3)), &me(), &sites()), Ok(Tier::Panel { tab_id: 4 }));
        // Firefox: 64-bit frame ids.
        assert_eq!(classify(&sender("ext-id", "chrome-extension://ext-id/panel.html", Some(4), Some(17179869185)), &me(), &sites()), Ok(Tier::Panel { tab_id: 4 }));
        assert_eq!(classify(&sender("ext-id", "chrome-extension://ext-id/options.html", None, None), &me(), &sites()), Ok(Tier::Options));
    }

    #[test]
    fn rejects_hostile_senders() {
        for s in [
            sender("other-ext", "chrome-extension://ext-id/options.html", None, None),
            sender("ext-id", "http://127.0.0.1:9/t/1", Some(4), Some(7)),
            sender("ext-id", "http://127.0.0.1:9/t/1", None, Some(0)),
            sender("ext-id", "https://evil.test/", Some(4), Some(0)),
            sender("ext-id", "http://127.0.0.1@evil.test/", Some(4), Some(0)),
            sender("ext-id", "chrome-extension://ext-id/panel.html", None, None),
            sender("ext-id", "chrome-extension://ext-id/evil.html", None, None),
            sender("ext-id", "chrome-extension://ext-id.evil/options.html", None, None),
            sender("ext-id", "file:///etc/passwd", Some(1), Some(0)),
            SenderInfo::default(),
        ] {
            assert!(classify(&s, &me(), &sites()).is_err(), "{s:?}");
        }
    }

    #[test]
    fn each_request_only_from_its_tier() {
        let content = Tier::ContentScript { tab_id: 1, page_url: "http://127.0.0.1/".into() };
        let panel = Tier::Panel { tab_id: 1 };
        let all = [
            Request::GetPageRules,
            Request::PageScanned { snapshot: PageSnapshot::default() },
            Request::PageAppended { snapshot: PageSnapshot::default() },
            Request::GetPanelState,
            Request::ChooseIdentifier { value: "a@b.example".into() },
            Request::GetSettings,
            Request::SaveSettings { input: SettingsInput::default() },
        ];
        let allowed: Vec<Vec<bool>> = all.iter().map(|r| [&content, &panel, &Tier::Options].iter().map(|t| r.allowed(t)).collect()).collect();
        assert_eq!(allowed, [[true, false, false], [true, false, false], [true, false, false], [false, true, false], [false, true, false], [false, false, true], [false, false, true]]);
    }

    #[test]
    fn unknown_or_url_carrying_messages_do_not_parse() {
        assert!(serde_json::from_str::<Request>(r#"{"type":"Fetch","url":"https://evil.test"}"#).is_err());
        // Extra fields are ignored, never used: there is nowhere to put a URL.
        let r: Request = serde_json::from_str(r#"{"type":"GetPanelState","url":"https://evil.test"}"#).unwrap();
        assert_eq!(r, Request::GetPanelState);
    }
}
