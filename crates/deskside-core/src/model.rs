//! The one customer model every connector maps onto and the panel shows.

use serde::{Deserialize, Serialize};

/// A customer as Deskside knows it, whatever system it came from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Customer {
    /// The record's id in its source system.
    pub id: String,
    /// Which configured connector it came from (its label).
    pub source: String,
    pub name: String,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    pub tier: Option<VipTier>,
    pub city: Option<String>,
    pub country: Option<String>,
    /// A link to the record in its own system (https only when shown).
    pub url: Option<String>,
    /// When the record was last changed in its system (ISO date), when known.
    pub updated: Option<String>,
    /// When the record was made in its system (ISO date), when known.
    pub created: Option<String>,
    /// The CRM's labels for the customer (segments, lists).
    pub tags: Vec<String>,
    /// What the customer has spent, in minor units, with its currency.
    pub lifetime_value_minor: Option<i64>,
    pub lifetime_currency: Option<String>,
    pub orders: Vec<Order>,
    pub deals: Vec<Deal>,
    pub tickets: Vec<Ticket>,
    pub notes: Vec<Note>,
    /// Fields the admin mapped beyond the common ones, in order.
    pub custom: Vec<CustomField>,
    /// The configured connector's id (`source` is its label).
    pub connector: String,
    /// When Deskside fetched it (ms since the epoch; 0 when not yet known).
    pub fetched_ms: f64,
    /// What the connector's follow-up requests need of the vendor's record
    /// (its type, fields other than the id). Never shown (the panel gets a
    /// `CustomerView`), but kept with the record wherever it goes (the
    /// request layer's cache, a lookup job's answer): a record the agent
    /// chooses later, or whose follow-ups are sent again, needs them.
    #[serde(default, skip_serializing_if = "RecordRefs::is_empty")]
    pub refs: RecordRefs,
}

/// Values of a vendor's record that follow-up requests are built from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordRefs {
    /// The `record_type` of the lookup request that found it (`Contacts`,
    /// `Leads`): follow-ups `for` other types are not sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_type: Option<String>,
    /// The text at each path the definition's follow-ups name
    /// (`{record:/AccountId}`), by path; absent paths are not here.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub values: std::collections::BTreeMap<String, String>,
    /// Labels a `labels` follow-up read for a list's field (`deals.stage`):
    /// the vendor's id → its label, applied to the items read after it.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub labels: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
}

impl RecordRefs {
    pub fn is_empty(&self) -> bool {
        self.record_type.is_none() && self.values.is_empty() && self.labels.is_empty()
    }
}

/// A field the admin mapped with its own label.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomField {
    pub label: String,
    /// As text: numbers as written, dates `YYYY-MM-DD`, yes/no `true`/`false`.
    pub value: String,
    pub kind: FieldType,
}

/// How a custom field is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    #[default]
    Text,
    Number,
    Money,
    Date,
    Url,
    YesNo,
}

/// VIP tier, ordered from the most valuable. Unknown labels are kept as-is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VipTier {
    Platinum,
    Gold,
    Silver,
    Standard,
    Other(String),
}

impl VipTier {
    /// Maps a vendor's tier label (any case, English or Chinese) onto a tier.
    pub fn from_label(label: &str) -> Option<VipTier> {
        let l = label.trim();
        if l.is_empty() {
            return None;
        }
        Some(match l.to_lowercase().as_str() {
            "platinum" | "vip" | "enterprise" | "铂金" | "白金" | "钻石" => VipTier::Platinum,
            "gold" | "premium" | "黄金" | "金牌" => VipTier::Gold,
            "silver" | "plus" | "白银" | "银牌" => VipTier::Silver,
            "standard" | "basic" | "free" | "普通" | "标准" => VipTier::Standard,
            _ => VipTier::Other(l.to_string()),
        })
    }

    pub fn label(&self) -> &str {
        match self {
            VipTier::Platinum => "Platinum",
            VipTier::Gold => "Gold",
            VipTier::Silver => "Silver",
            VipTier::Standard => "Standard",
            VipTier::Other(s) => s,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Order {
    pub id: String,
    pub status: String,
    /// Minor units (cents, fen) to stay exact.
    pub total_minor: Option<i64>,
    pub currency: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Note {
    pub id: String,
    pub date: Option<String>,
    pub text: String,
    pub author: Option<String>,
}

/// A sales opportunity (HubSpot deal, Salesforce Opportunity, Pipedrive deal).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Deal {
    pub id: String,
    pub name: String,
    pub stage: String,
    pub amount_minor: Option<i64>,
    pub currency: Option<String>,
    /// Expected or actual close date (ISO).
    pub close_date: Option<String>,
    pub url: Option<String>,
}

/// A support ticket or case of the customer's (in the helpdesk, or the CRM's cases).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Ticket {
    pub id: String,
    pub subject: String,
    pub status: String,
    pub priority: String,
    /// Last changed (ISO).
    pub updated: Option<String>,
    pub url: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tier_labels() {
        assert_eq!(VipTier::from_label(" GOLD "), Some(VipTier::Gold));
        assert_eq!(VipTier::from_label("铂金"), Some(VipTier::Platinum));
        assert_eq!(VipTier::from_label("Bronze"), Some(VipTier::Other("Bronze".into())));
        assert_eq!(VipTier::from_label(""), None);
    }
}
