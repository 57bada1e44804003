//! The one typed message set between the extension's contexts, and the
//! background's checks of who may send what.
//!
//! Three tiers, lowest trust first: a content script (it runs beside a page
//! that may be hostile and may be forged by a compromised renderer), the panel
//! (an extension page framed inside a tab), and the options page. Each
//! request is allowed from exactly the tiers listed in [`Request::allowed`].
//! No request carries a URL, host or header: the background builds every
//! outgoing request from the stored settings.

use crate::config::{ConnectorInput, FieldError, SettingsInput, SettingsView};
use crate::adapters::PageRules;
use crate::i18n::LanguageSetting;
use crate::identify::PageSnapshot;
use crate::layout::PanelLayout;
use crate::panel::PanelState;
use crate::weburl::site_matches;
use serde::{Deserialize, Serialize};

/// Externally tagged in Rust (`{"Name": {...}}`); the contexts exchange
/// `{type: "Name", ...}`, and the wasm crate's `message_to_js` /
/// `message_from_js` move the tag (issue 23: no buffering through `Content`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Content script → background: which elements of this page hold the
    /// requester and the agent (site adapters), decided from the page URL the
    /// browser reports, never from the message.
    GetPageRules,
    /// Content script → background: what the page shows. `list_rows`: the
    /// text of table rows that hold an identifier (a ticket list, a queue),
    /// from which the background tells a page of many customers.
    PageScanned {
        snapshot: PageSnapshot,
        #[serde(default)]
        list_rows: Vec<String>,
        /// The site adapter whose rules the content script used (its
        /// `detect` selector found); counts only where it applies to the
        /// page URL the browser reported (`flow::crm_page`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        adapter: Option<String>,
        /// The ticket's subject and status as that adapter's `subject` and
        /// `status` elements show them (text only; the write-back note
        /// starts from them, else from the page title).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        subject: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        status: String,
    },
    /// Content script → background: what was added to the page since the
    /// last scan (new messages); merged into the tab's candidates.
    PageAppended { snapshot: PageSnapshot },
    /// Content script → background: a token for the panel frame it is about
    /// to make (put in the frame's URL fragment). It replaces the tab's
    /// previous one, and binds to the first frame that presents it: a page
    /// that frames `panel.html` itself has no token and gets nothing.
    PanelToken,
    /// Panel → background: the customer for the panel's tab.
    GetPanelState { token: String },
    /// Panel → background: the agent's "Refresh": the same as
    /// `GetPanelState`, with answers still fresh in the cache fetched anew.
    RefreshPanel { token: String },
    /// Browser side panel → background: "Refresh" for the tab it follows.
    RefreshTabPanel { tab_id: i64 },
    /// Panel → background: the agent picked another identifier of this page;
    /// remember it for the ticket and look it up.
    ChooseIdentifier { value: String, token: String },
    /// Panel → background: of the several records a source returned, the
    /// agent says which is this ticket's customer; remembered for the ticket.
    /// `record` is the chooser's opaque handle (`flow::record_handle`), never
    /// the record's id: the background resolves it among the records found.
    ChooseRecord { token: String, connector: String, record: String },
    /// Browser side panel → background: the same for the tab it follows.
    ChooseTabRecord { tab_id: i64, connector: String, record: String },
    /// Browser side panel → background: the customer for the tab it follows
    /// (the active tab of its window).
    GetTabPanelState { tab_id: i64 },
    /// Browser side panel → background: the agent picked another identifier
    /// of that tab's page.
    ChooseTabIdentifier { tab_id: i64, value: String },
    /// Panel → background: the agent collapsed, expanded or moved the panel;
    /// remembered for the site and passed to the tab's content script.
    SetPanelLayout { token: String, layout: PanelLayout },
    /// Options page → background.
    GetSettings,
    /// Options page → background.
    SaveSettings { input: SettingsInput },
    /// Options page → background: run the connector as typed (not saved)
    /// against a sample identifier and show every step.
    TestConnector { input: ConnectorInput, sample: String },
    /// Options page → background: the audit trail and each connector's
    /// monitoring numbers (options page only: no other context reads them).
    GetActivity,
    /// Panel → background: the write-back forms (which connectors can
    /// write a note or a task, and what they ask for), the ticket's subject
    /// and status to start from, and this ticket's writes; resumes any
    /// write left unfinished. The ticket is the tab's URL as the browser
    /// reports it.
    GetWrites { token: String },
    /// Panel → background: write a note or a task to `record` of
    /// `connector` (a record the tab's lookup found), for this tab's
    /// ticket. Recorded before it is sent; the answer is `Writes`.
    Write { token: String, connector: String, record: String, kind: crate::connector::writes::WriteKind, fields: WriteFields },
    /// Panel → background: try a failed write of this ticket again (it is
    /// checked first when its last send's fate is unknown).
    RetryWrite { token: String, op: String },
    /// Browser side panel → background: `GetWrites` for the tab it follows.
    GetTabWrites { tab_id: i64 },
    /// Browser side panel → background: `Write` for the tab it follows.
    TabWrite { tab_id: i64, connector: String, record: String, kind: crate::connector::writes::WriteKind, fields: WriteFields },
    /// Browser side panel → background: `RetryWrite` for the tab it follows.
    RetryTabWrite { tab_id: i64, op: String },
    /// Options page → background: the whole configuration as one file's
    /// JSON; the secrets only when the admin ticked the box (the one answer
    /// that may carry keys, to the options page only, for the file).
    ExportConfig { with_secrets: bool },
    /// Options page → background: a configuration file to check whole and
    /// store; `passcode` unlocks a locked profile.
    ImportConfig {
        text: String,
        #[serde(default)]
        passcode: String,
    },
    /// Options page → background: the phone numbers seen on the tickets of
    /// many different customers, suggested as probably the team's own
    /// (`noticed::Noticed::suggestions`). Adding one is `AddTeamPhone`.
    GetNoticedNumbers,
    /// Options page → background: "Not ours": the number (E.164) is
    /// forgotten and never suggested again. Answered with the suggestions.
    DismissNoticedNumber { number: String },
    /// Options page → background: "Forget what Deskside noticed".
    ForgetNoticedNumbers,
    /// Options page → background: "Add to our numbers": `number` joins the
    /// stored team numbers (`config::Settings::with_team_phone`, normalised
    /// as a Save normalises them; the organisation's policy laid over it as
    /// over every save), and nothing else changes: not a `SaveSettings`,
    /// which would store the whole form with the admin's unsaved edits.
    /// Answered `Settings`, or `SaveFailed` (not a number; the policy sets
    /// the team's numbers).
    AddTeamPhone { number: String },
    /// Panel → background: whether this frame still reaches the background.
    /// An extension reloaded or updated leaves the old frame behind, whose
    /// messages are never answered; an answer (`Pong`) says the frame is
    /// live and its question is still being worked on. Nothing is done.
    Ping,
}

/// What the agent typed for a write (the ticket's link is not here: it is
/// the tab's URL as the browser reports it).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WriteFields {
    pub subject: String,
    pub status: String,
    pub text: String,
    pub due: String,
    pub owner: String,
    pub priority: String,
}

/// Externally tagged, like [`Request`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// The site adapters that may describe this page, most specific first.
    PageRules { rules: Vec<PageRules> },
    /// Whether the content script should show (or, after an append, reload)
    /// the panel on this page.
    /// `list`: how many customers the page shows when it is a list of them
    /// (0 on a ticket): the panel then stays collapsed and says so.
    Scanned {
        show_panel: bool,
        candidates: usize,
        #[serde(default)]
        list: usize,
    },
    /// The panel frame's token, and where the panel sits on this site;
    /// `in_page` false when the admin chose the browser's side panel (the
    /// content script then shows nothing on the page).
    PanelToken { token: String, layout: PanelLayout, in_page: bool },
    /// To the extension's pages: what the background holds for this tab
    /// changed (a browser side panel following it reloads).
    TabChanged { tab_id: i64 },
    /// With the admin's language choice, which the panel resolves against
    /// the browser's languages (`i18n::resolve_language`).
    PanelState { state: PanelState, layout: PanelLayout, language: LanguageSetting },
    Layout { layout: PanelLayout },
    Settings { settings: SettingsView, required_origins: Vec<String> },
    SaveFailed { errors: Vec<FieldError> },
    TestResult { result: crate::connector::trial::ConnectorTest },
    /// The audit trail (oldest first) and the connectors' numbers.
    Activity {
        audit: Vec<crate::audit::AuditEntry>,
        monitor: Vec<crate::monitor::ConnectorStats>,
        now_ms: f64,
        /// Audit forwarding, when the admin has set an endpoint.
        #[serde(default)]
        forward: Option<crate::forward::ForwardStatus>,
    },
    /// The write-back forms, the ticket's subject and status to start
    /// from, its link (the tab's URL), and this ticket's writes, newest first.
    Writes { forms: Vec<crate::write::WriteForm>, subject: String, status: String, ticket_url: String, writes: Vec<crate::write::WriteView> },
    /// A write was not accepted (the agent's values), nothing recorded.
    WriteInvalid { message: crate::i18n::Text },
    /// The configuration file's text, and the secrets it holds (named).
    ConfigExport { text: String, secrets: Vec<crate::i18n::Text> },
    /// An imported file's problems, each with its JSON path; nothing changed.
    ImportFailed { problems: Vec<crate::configfile::ImportProblem> },
    /// The request was refused; nothing happened.
    Rejected { reason: String },
    /// The background failed (storage and the like); nothing was lost.
    Failed { message: String },
    /// The answer to `Ping`.
    Pong,
    /// The numbers seen on many customers' tickets that the team's numbers
    /// do not list, most customers first.
    NoticedNumbers { suggestions: Vec<crate::noticed::Suggestion> },
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
    /// The URL of the tab the sender is in (`sender.tab.url`): present when
    /// Deskside may see it, i.e. on the sites it was granted.
    pub tab_url: Option<String>,
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
    /// A panel frame inside a configured site's tab (`tab_url`, as the
    /// browser reports it), in the frame `frame_id`.
    Panel { tab_id: i64, frame_id: i64, tab_url: String },
    /// The browser's own side panel (`sidepanel.html`, not web-accessible:
    /// no page can frame it); trusted like the options page.
    SidePanel,
    Options,
}

impl Request {
    pub fn name(&self) -> &'static str {
        match self {
            Request::GetPageRules => "GetPageRules",
            Request::PageScanned { .. } => "PageScanned",
            Request::PageAppended { .. } => "PageAppended",
            Request::PanelToken => "PanelToken",
            Request::GetPanelState { .. } => "GetPanelState",
            Request::ChooseIdentifier { .. } => "ChooseIdentifier",
            Request::SetPanelLayout { .. } => "SetPanelLayout",
            Request::GetTabPanelState { .. } => "GetTabPanelState",
            Request::ChooseTabIdentifier { .. } => "ChooseTabIdentifier",
            Request::ChooseRecord { .. } => "ChooseRecord",
            Request::ChooseTabRecord { .. } => "ChooseTabRecord",
            Request::GetSettings => "GetSettings",
            Request::SaveSettings { .. } => "SaveSettings",
            Request::TestConnector { .. } => "TestConnector",
            Request::GetActivity => "GetActivity",
            Request::GetWrites { .. } => "GetWrites",
            Request::Write { .. } => "Write",
            Request::RetryWrite { .. } => "RetryWrite",
            Request::GetTabWrites { .. } => "GetTabWrites",
            Request::TabWrite { .. } => "TabWrite",
            Request::RetryTabWrite { .. } => "RetryTabWrite",
            Request::ExportConfig { .. } => "ExportConfig",
            Request::ImportConfig { .. } => "ImportConfig",
            Request::RefreshPanel { .. } => "RefreshPanel",
            Request::RefreshTabPanel { .. } => "RefreshTabPanel",
            Request::Ping => "Ping",
            Request::GetNoticedNumbers => "GetNoticedNumbers",
            Request::DismissNoticedNumber { .. } => "DismissNoticedNumber",
            Request::ForgetNoticedNumbers => "ForgetNoticedNumbers",
            Request::AddTeamPhone { .. } => "AddTeamPhone",
        }
    }

    pub fn allowed(&self, tier: &Tier) -> bool {
        matches!(
            (self, tier),
            (Request::GetPageRules | Request::PageScanned { .. } | Request::PageAppended { .. } | Request::PanelToken, Tier::ContentScript { .. })
                | (Request::GetPanelState { .. } | Request::ChooseIdentifier { .. } | Request::ChooseRecord { .. } | Request::SetPanelLayout { .. }, Tier::Panel { .. })
                | (Request::GetWrites { .. } | Request::Write { .. } | Request::RetryWrite { .. }, Tier::Panel { .. })
                | (Request::GetTabPanelState { .. } | Request::ChooseTabIdentifier { .. } | Request::ChooseTabRecord { .. }, Tier::SidePanel)
                | (Request::RefreshPanel { .. } | Request::Ping, Tier::Panel { .. })
                | (Request::RefreshTabPanel { .. }, Tier::SidePanel)
                | (Request::GetTabWrites { .. } | Request::TabWrite { .. } | Request::RetryTabWrite { .. }, Tier::SidePanel)
                | (Request::GetSettings | Request::SaveSettings { .. } | Request::TestConnector { .. } | Request::GetActivity, Tier::Options)
                | (Request::ExportConfig { .. } | Request::ImportConfig { .. }, Tier::Options)
                | (Request::GetNoticedNumbers | Request::DismissNoticedNumber { .. } | Request::ForgetNoticedNumbers | Request::AddTeamPhone { .. }, Tier::Options)
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
            ("panel.html", Some(tab_id)) if tab_id >= 0 => {
                // A frame (never the tab itself: a page can open panel.html
                // as a top-level document) in a tab showing a configured site.
                let frame_id = sender.frame_id.filter(|f| *f > 0).ok_or("panel outside a frame")?;
                let tab_url = sender.tab_url.as_deref().ok_or("panel in a tab Deskside may not see")?;
                if !is_web_url(tab_url) || !site_matches(sites, tab_url) {
                    return Err("panel in a tab that is not a configured site".into());
                }
                Ok(Tier::Panel { tab_id, frame_id, tab_url: tab_url.to_string() })
            }
            ("panel.html", _) => Err("panel outside a tab".into()),
            ("options.html", _) => Ok(Tier::Options),
            // Chrome's side panel and Firefox's sidebar are in no tab; the
            // same page may also be a tab of its own (never a frame: it is
            // not web-accessible, and a tab showing it is ours).
            ("sidepanel.html", None) => Ok(Tier::SidePanel),
            ("sidepanel.html", Some(_)) if sender.frame_id == Some(0) && sender.tab_url.as_deref().is_some_and(|u| u.starts_with(me.base_url.as_str())) => Ok(Tier::SidePanel),
            ("sidepanel.html", _) => Err("side panel inside another page".into()),
            _ => Err(format!("unknown extension page '{page}'")),
        };
    }
    if !is_web_url(url) {
        return Err("content script on a non-web page".into());
    }
    let tab_id = sender.tab_id.filter(|t| *t >= 0).ok_or("content script outside a tab")?;
    if sender.frame_id != Some(0) {
        return Err("content script in a sub-frame".into());
    }
    if !site_matches(sites, url) {
        return Err("page is not a configured site".into());
    }
    Ok(Tier::ContentScript { tab_id, page_url: url.to_string() })
}

fn is_web_url(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn me() -> Identity {
        Identity { id: "ext-id".into(), base_url: "chrome-extension://ext-id/".into() }
    }

    fn sender(id: &str, url: &str, tab: Option<i64>, frame: Option<i64>) -> SenderInfo {
        SenderInfo { id: Some(id.into()), url: Some(url.into()), tab_id: tab, frame_id: frame, tab_url: Some("http://127.0.0.1:9/t/1".into()) }
    }

    fn panel(tab: Option<i64>, frame: Option<i64>, tab_url: Option<&str>) -> SenderInfo {
        SenderInfo { tab_url: tab_url.map(str::to_string), ..sender("ext-id", "chrome-extension://ext-id/panel.html#t=x", tab, frame) }
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
        let tab_url = "http://127.0.0.1:9/t/1".to_string();
        assert_eq!(classify(&sender("ext-id", "chrome-extension://ext-id/panel.html?x", Some(4), Some(3)), &me(), &sites()), Ok(Tier::Panel { tab_id: 4, frame_id: 3, tab_url: tab_url.clone() }));
        // Firefox: 64-bit frame ids.
        assert_eq!(
            classify(&sender("ext-id", "chrome-extension://ext-id/panel.html", Some(4), Some(17179869185)), &me(), &sites()),
            Ok(Tier::Panel { tab_id: 4, frame_id: 17179869185, tab_url })
        );
        assert_eq!(classify(&sender("ext-id", "chrome-extension://ext-id/options.html", None, None), &me(), &sites()), Ok(Tier::Options));
        assert_eq!(classify(&sender("ext-id", "chrome-extension://ext-id/sidepanel.html", None, None), &me(), &sites()), Ok(Tier::SidePanel));
        let own_tab = SenderInfo { tab_url: Some("chrome-extension://ext-id/sidepanel.html?tab=4".into()), ..sender("ext-id", "chrome-extension://ext-id/sidepanel.html?tab=4", Some(9), Some(0)) };
        assert_eq!(classify(&own_tab, &me(), &sites()), Ok(Tier::SidePanel));
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
            // A panel framed by a site that is not configured (the tab left
            // the helpdesk), or whose tab Deskside may not see, or opened as
            // the tab's own document.
            panel(Some(4), Some(3), Some("http://localhost:9/hostile")),
            panel(Some(4), Some(3), Some("http://127.0.0.1@evil.test/")),
            panel(Some(4), Some(3), Some("chrome-extension://ext-id/options.html")),
            panel(Some(4), Some(3), None),
            panel(Some(4), Some(0), Some("http://127.0.0.1:9/t/1")),
            panel(Some(4), None, Some("http://127.0.0.1:9/t/1")),
            sender("ext-id", "chrome-extension://ext-id/evil.html", None, None),
            // The side panel page inside a web page's tab is not the side panel.
            sender("ext-id", "chrome-extension://ext-id/sidepanel.html", Some(4), Some(0)),
            panel(Some(4), Some(3), Some("chrome-extension://ext-id/sidepanel.html")),
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
        let panel = Tier::Panel { tab_id: 1, frame_id: 2, tab_url: "http://127.0.0.1/".into() };
        let all = [
            Request::GetPageRules,
            Request::PageScanned { snapshot: PageSnapshot::default(), list_rows: Vec::new(), adapter: None, subject: String::new(), status: String::new() },
            Request::PageAppended { snapshot: PageSnapshot::default() },
            Request::PanelToken,
            Request::GetPanelState { token: "t".into() },
            Request::ChooseIdentifier { value: "a@b.example".into(), token: "t".into() },
            Request::SetPanelLayout { token: "t".into(), layout: PanelLayout::initial(false) },
            Request::GetTabPanelState { tab_id: 1 },
            Request::ChooseTabIdentifier { tab_id: 1, value: "a@b.example".into() },
            Request::ChooseRecord { token: "t".into(), connector: "c1".into(), record: "r1".into() },
            Request::ChooseTabRecord { tab_id: 1, connector: "c1".into(), record: "r1".into() },
            Request::GetSettings,
            Request::SaveSettings { input: SettingsInput::default() },
            Request::TestConnector { input: ConnectorInput::default(), sample: "a@b.example".into() },
            Request::GetActivity,
            Request::GetWrites { token: "t".into() },
            Request::Write { token: "t".into(), connector: "c1".into(), record: "r1".into(), kind: crate::connector::writes::WriteKind::Note, fields: WriteFields::default() },
            Request::RetryWrite { token: "t".into(), op: "op-0123456789abcdef".into() },
            Request::GetTabWrites { tab_id: 1 },
            Request::TabWrite { tab_id: 1, connector: "c1".into(), record: "r1".into(), kind: crate::connector::writes::WriteKind::Priority, fields: WriteFields::default() },
            Request::RetryTabWrite { tab_id: 1, op: "op-0123456789abcdef".into() },
            Request::ExportConfig { with_secrets: true },
            Request::ImportConfig { text: "{}".into(), passcode: String::new() },
            Request::GetNoticedNumbers,
            Request::DismissNoticedNumber { number: "+864008208888".into() },
            Request::ForgetNoticedNumbers,
            Request::AddTeamPhone { number: "+864008208888".into() },
        ];
        let allowed: Vec<Vec<bool>> = all.iter().map(|r| [&content, &panel, &Tier::SidePanel, &Tier::Options].iter().map(|t| r.allowed(t)).collect()).collect();
        assert_eq!(
            allowed,
            [
                [true, false, false, false],
                [true, false, false, false],
                [true, false, false, false],
                [true, false, false, false],
                [false, true, false, false],
                [false, true, false, false],
                [false, true, false, false],
                [false, false, true, false],
                [false, false, true, false],
                [false, true, false, false],
                [false, false, true, false],
                [false, false, false, true],
                [false, false, false, true],
                [false, false, false, true],
                [false, false, false, true],
                [false, true, false, false],
                [false, true, false, false],
                [false, true, false, false],
                [false, false, true, false],
                [false, false, true, false],
                [false, false, true, false],
                [false, false, false, true],
                [false, false, false, true],
                [false, false, false, true],
                [false, false, false, true],
                [false, false, false, true],
                [false, false, false, true]
            ]
        );
    }

    #[test]
    fn unknown_or_url_carrying_messages_do_not_parse() {
        // The Rust form (the wasm crate moves the contexts' `type` tag; its
        // tests send the wire form).
        assert!(serde_json::from_str::<Request>(r#"{"Fetch":{"url":"https://evil.test"}}"#).is_err());
        assert!(serde_json::from_str::<Request>(r#""Fetch""#).is_err());
        // Extra fields are ignored, never used: there is nowhere to put a URL.
        let r: Request = serde_json::from_str(r#"{"GetPanelState":{"type":"GetPanelState","token":"t","url":"https://evil.test"}}"#).unwrap();
        assert_eq!(r, Request::GetPanelState { token: "t".into() });
        // A panel request without its token does not parse either.
        assert!(serde_json::from_str::<Request>(r#""GetPanelState""#).is_err());
        assert!(serde_json::from_str::<Request>(r#"{"GetPanelState":{"type":"GetPanelState"}}"#).is_err());
        // A write takes no ticket link: the tab's URL is the browser's.
        let w: Request = serde_json::from_str(r#"{"Write":{"token":"t","connector":"c","record":"1","kind":"note","fields":{"text":"hi","ticket_url":"https://evil.test/"},"ticket_url":"https://evil.test/"}}"#).unwrap();
        assert!(!format!("{w:?}").contains("evil"));
    }
}
