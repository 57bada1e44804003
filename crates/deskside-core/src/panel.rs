//! What the panel shows: a state machine rendered by the panel page, with
//! every value masked here and every label a message id; the page renders
//! them, and amounts and dates, in its language.

use crate::connector::LookupError;
use crate::i18n::{currency_code, data, minor_unit_digits, Arg, Msg, Text};
use crate::identify::IdKind;
use crate::mask::mask_phone;
use crate::model::{Customer, VipTier};
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
    /// `kind` names what was looked up ("No customer with this customer ID…").
    /// `near_misses`: records a fuzzy search returned that are not this
    /// identifier (another address that merely contains it), not shown.
    NotFound {
        identifier: IdentifierChoice,
        kind: IdKind,
        alternatives: Vec<IdentifierChoice>,
        sources: Vec<String>,
        #[serde(default)]
        near_misses: usize,
    },
    Found {
        identifier: IdentifierChoice,
        alternatives: Vec<IdentifierChoice>,
        customers: Vec<CustomerView>,
        errors: Vec<SourceError>,
        #[serde(default)]
        near_misses: usize,
    },
    Error { identifier: IdentifierChoice, alternatives: Vec<IdentifierChoice>, errors: Vec<SourceError> },
    /// A page of many customers (a ticket list, a queue): nobody is looked up.
    ListPage { customers: usize },
    /// The page's identifiers are all in a table block (an export pasted
    /// into a ticket that shows no author): several people, none of them
    /// tied to the ticket. Nobody is looked up until the agent picks one of
    /// `alternatives` (best first).
    Choose { alternatives: Vec<IdentifierChoice> },
    /// The browser's side panel follows a tab that is not a configured site.
    NotASite,
}

/// An identifier the agent may pick: its value and how it is shown
/// (phone numbers masked like everywhere else in the panel; with the
/// admin's name or the kind's for the team's own ids).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IdentifierChoice {
    pub value: String,
    pub label: Arg,
}

/// One source that failed, while others may have answered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceError {
    pub source: String,
    pub message: Text,
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

/// A customer ready to show: text only, never markup. Labels are message
/// ids; amounts and dates are raw, formatted by the page for its language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerView {
    /// `None`: the record has no name.
    pub name: Option<String>,
    pub company: String,
    /// The tier's name (a known tier's message, or the CRM's own label).
    pub tier: Option<Arg>,
    /// A known tier's id for styling (`gold`), else empty.
    pub tier_class: String,
    pub source: String,
    /// `(label, value)` rows in display order.
    pub details: Vec<(Msg, String)>,
    /// The admin's own fields: `(label, value, type)`.
    #[serde(default)]
    pub custom: Vec<(String, String, crate::model::FieldType)>,
    pub orders: Vec<OrderView>,
    /// Link to the record; https (or loopback) only.
    pub url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderView {
    pub id: String,
    pub status: String,
    pub total: Option<Money>,
    /// As the CRM gave it (ISO 8601 dates are formatted by the page).
    pub date: Option<String>,
}

/// An amount in minor units (`129900`, `CNY`, 2 digits = ¥1,299.00).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    /// An ISO 4217 code (`RMB` given as `CNY`), or `None` when the CRM gave
    /// none or no code: the page shows the number alone (then with the raw
    /// text in `unit`).
    pub currency: Option<String>,
    pub unit: Option<String>,
    /// Fraction digits of the currency's minor unit.
    pub digits: u32,
}

impl Money {
    pub fn new(minor: i64, currency: Option<&str>) -> Money {
        let code = currency.and_then(currency_code);
        let digits = code.as_deref().map_or(2, minor_unit_digits);
        let unit = match (&code, currency.map(str::trim)) {
            (None, Some(raw)) if !raw.is_empty() => Some(raw.to_string()),
            _ => None,
        };
        Money { minor, currency: code, unit, digits }
    }
}

fn tier_view(t: &VipTier) -> (Arg, String) {
    let known = |m: Msg, class: &str| (Arg::from(m), class.to_string());
    match t {
        VipTier::Platinum => known(Msg::TierPlatinum, "platinum"),
        VipTier::Gold => known(Msg::TierGold, "gold"),
        VipTier::Silver => known(Msg::TierSilver, "silver"),
        VipTier::Standard => known(Msg::TierStandard, "standard"),
        VipTier::Other(s) => (data(s), String::new()),
    }
}

impl CustomerView {
    pub fn from_customer(c: &Customer) -> CustomerView {
        let mut details = Vec::new();
        for e in &c.emails {
            details.push((Msg::DetailEmail, e.clone()));
        }
        for p in &c.phones {
            details.push((Msg::DetailPhone, mask_phone(p)));
        }
        if let Some(t) = &c.title {
            details.push((Msg::DetailTitle, t.clone()));
        }
        let place: Vec<&str> = [c.city.as_deref(), c.country.as_deref()].into_iter().flatten().collect();
        if !place.is_empty() {
            details.push((Msg::DetailLocation, place.join(", ")));
        }
        details.push((Msg::DetailRecord, c.id.clone()));
        let tier = c.tier.as_ref().map(tier_view);
        CustomerView {
            name: (!c.name.is_empty()).then(|| c.name.clone()),
            company: c.company.clone().unwrap_or_default(),
            tier_class: tier.as_ref().map(|t| t.1.clone()).unwrap_or_default(),
            tier: tier.map(|t| t.0),
            source: c.source.clone(),
            details,
            custom: c.custom.iter().map(|f| (f.label.clone(), f.value.clone(), f.kind)).collect(),
            orders: c
                .orders
                .iter()
                .map(|o| OrderView {
                    id: o.id.clone(),
                    status: o.status.clone(),
                    total: o.total_minor.map(|m| Money::new(m, o.currency.as_deref())),
                    date: o.date.clone(),
                })
                .collect(),
            url: c.url.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Order;

    #[test]
    fn money_is_raw_minor_units_with_a_currency_code() {
        assert_eq!(Money::new(129900, Some("RMB")), Money { minor: 129900, currency: Some("CNY".into()), unit: None, digits: 2 });
        assert_eq!(Money::new(1299, Some("jpy")).digits, 0);
        assert_eq!(Money::new(5, Some("points")), Money { minor: 5, currency: None, unit: Some("points".into()), digits: 2 });
        assert_eq!(Money::new(5, None).unit, None);
    }

    #[test]
    fn view_masks_phones_and_names_labels() {
        let c = Customer {
            id: "cus_1".into(),
            name: "Li Na".into(),
            phones: vec!["+8613800138000".into()],
            tier: Some(VipTier::Gold),
            orders: vec![Order { id: "O1".into(), status: "paid".into(), total_minor: Some(100), currency: Some("CNY".into()), date: Some("2026-03-14".into()) }],
            ..Default::default()
        };
        let v = CustomerView::from_customer(&c);
        assert_eq!((v.tier, v.tier_class.as_str()), (Some(Arg::from(Msg::TierGold)), "gold"));
        assert!(v.details.contains(&(Msg::DetailPhone, "+86 138****8000".into())));
        assert_eq!(v.orders[0].total.as_ref().map(|m| m.minor), Some(100));
        assert_eq!(v.orders[0].date.as_deref(), Some("2026-03-14"));
        let unnamed = CustomerView::from_customer(&Customer { tier: Some(VipTier::Other("Bronze".into())), ..Default::default() });
        assert_eq!((unnamed.name, unnamed.tier, unnamed.tier_class.as_str()), (None, Some(data("Bronze")), ""));
    }
}
