//! What the panel shows: a state machine rendered by the panel page, with
//! every value already formatted and masked here.

use crate::connector::LookupError;
use crate::mask::mask_phone;
use crate::model::Customer;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum PanelState {
    /// No connector set up yet: link to the options page.
    NotConfigured,
    /// Nothing on the page identifies a customer.
    NoIdentifier,
    // `identifier` is what was looked up; `alternatives` every identifier on
    // the page the agent may switch to (it included), best first.
    NotFound { identifier: String, alternatives: Vec<IdentifierChoice>, sources: Vec<String> },
    Found { identifier: String, alternatives: Vec<IdentifierChoice>, customers: Vec<CustomerView>, errors: Vec<SourceError> },
    Error { identifier: String, alternatives: Vec<IdentifierChoice>, errors: Vec<SourceError> },
    /// A page of many customers (a ticket list, a queue): nobody is looked up.
    ListPage { customers: usize },
    /// The browser's side panel follows a tab that is not a configured site.
    NotASite,
}

/// An identifier the agent may pick: its value and how it is shown
/// (phone numbers masked like everywhere else in the panel).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IdentifierChoice {
    pub value: String,
    pub label: String,
}

/// One source that failed, while others may have answered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceError {
    pub source: String,
    pub message: String,
    pub retryable: bool,
    /// The admin must act (key rejected, bad config): show "open settings".
    pub needs_admin: bool,
}

impl SourceError {
    pub fn new(source: &str, e: &LookupError) -> SourceError {
        SourceError {
            source: source.to_string(),
            message: e.user_message(),
            retryable: e.retryable(),
            needs_admin: matches!(e, LookupError::Unauthorized { .. } | LookupError::Config { .. }),
        }
    }
}

/// A customer ready to show: text only, never markup.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerView {
    pub name: String,
    pub company: String,
    pub tier: String,
    pub source: String,
    /// `(label, value)` rows in display order.
    pub details: Vec<(String, String)>,
    pub orders: Vec<OrderView>,
    /// Link to the record; https (or loopback) only.
    pub url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderView {
    pub id: String,
    pub status: String,
    pub total: String,
    pub date: String,
}

/// Formats an amount in minor units: `129900, CNY` → `¥1,299.00`.
pub fn format_money(minor: i64, currency: Option<&str>) -> String {
    let (symbol, code) = match currency.unwrap_or("") {
        "CNY" | "RMB" => ("¥", ""),
        "USD" => ("$", ""),
        "EUR" => ("€", ""),
        "GBP" => ("£", ""),
        "JPY" => ("¥", " JPY"),
        other => ("", other),
    };
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let units = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let space = if code.is_empty() { "" } else { " " };
    format!("{sign}{symbol}{grouped}.{:02}{space}{}", abs % 100, code.trim())
}

impl CustomerView {
    pub fn from_customer(c: &Customer) -> CustomerView {
        let mut details = Vec::new();
        for e in &c.emails {
            details.push(("Email".to_string(), e.clone()));
        }
        for p in &c.phones {
            details.push(("Phone".to_string(), mask_phone(p)));
        }
        if let Some(t) = &c.title {
            details.push(("Title".to_string(), t.clone()));
        }
        let place: Vec<&str> = [c.city.as_deref(), c.country.as_deref()].into_iter().flatten().collect();
        if !place.is_empty() {
            details.push(("Location".to_string(), place.join(", ")));
        }
        details.push(("Record".to_string(), c.id.clone()));
        CustomerView {
            name: if c.name.is_empty() { "(no name)".into() } else { c.name.clone() },
            company: c.company.clone().unwrap_or_default(),
            tier: c.tier.as_ref().map(|t| t.label().to_string()).unwrap_or_default(),
            source: c.source.clone(),
            details,
            orders: c
                .orders
                .iter()
                .map(|o| OrderView {
                    id: o.id.clone(),
                    status: o.status.clone(),
                    total: o.total_minor.map(|m| format_money(m, o.currency.as_deref())).unwrap_or_default(),
                    date: o.date.clone().unwrap_or_default(),
                })
                .collect(),
            url: c.url.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Order, VipTier};

    #[test]
    fn money() {
        assert_eq!(format_money(129900, Some("CNY")), "¥1,299.00");
        assert_eq!(format_money(-5, Some("USD")), "-$0.05");
        assert_eq!(format_money(123456789, Some("CHF")), "1,234,567.89 CHF");
    }

    #[test]
    fn view_masks_phones_and_formats() {
        let c = Customer {
            id: "cus_1".into(),
            name: "Li Na".into(),
            phones: vec!["+8613800138000".into()],
            tier: Some(VipTier::Gold),
            orders: vec![Order { id: "O1".into(), status: "paid".into(), total_minor: Some(100), currency: Some("CNY".into()), date: None }],
            ..Default::default()
        };
        let v = CustomerView::from_customer(&c);
        assert_eq!(v.tier, "Gold");
        assert!(v.details.contains(&("Phone".into(), "+86 138****8000".into())));
        assert_eq!(v.orders[0].total, "¥1.00");
    }
}
