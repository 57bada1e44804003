//! VIP rules: the admin names the customers to serve first (a tier in a set,
//! a lifetime value of at least an amount, at least N open tickets or
//! complaints, a tag), and the panel shows the first matching rule's name as
//! a badge. Rules are evaluated on the merged customer (every source's
//! record in one [`CustomerView`]); a rule matches when all its conditions
//! hold, and the first match in the admin's order wins.

use crate::config::FieldError;
use crate::i18n::{currency_code, data, minor_unit_digits, Arg, Msg, Text};
use crate::model::VipTier;
use crate::panel::CustomerView;
use serde::{Deserialize, Serialize};

/// At most this many rules.
pub const MAX_VIP_RULES: usize = 20;
/// Longest rule name (it is the badge), in characters.
pub const MAX_VIP_NAME: usize = 40;
/// Largest count a rule may ask for (open tickets, complaints).
pub const MAX_VIP_COUNT: u32 = 10_000;

/// One rule, as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VipRule {
    /// Shown on the badge.
    pub name: String,
    /// The tier is one of these (ids of known tiers, `gold`, or a CRM's
    /// own label in lower case); empty: any tier.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_lifetime_value: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_open_tickets: Option<u32>,
    /// Complaints: the number in the customer's field labelled
    /// "Complaints" (or "投诉"), as mapped by the connector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_complaints: Option<u32>,
    /// A tag the customer carries (any case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}

/// An amount in minor units of an ISO 4217 currency: only a lifetime value
/// in the same currency is compared with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amount {
    pub minor: i64,
    pub currency: String,
}

/// One rule as the options form submits it (every field as typed).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VipRuleInput {
    pub name: String,
    /// Tier names separated by commas (`gold, platinum`, `黄金`).
    pub tiers: String,
    /// A decimal amount (`10000`, `12,500.50`).
    pub min_lifetime_value: String,
    pub currency: String,
    pub min_open_tickets: String,
    pub min_complaints: String,
    pub tag: String,
}

impl VipRule {
    /// The rule as the form shows it again.
    pub fn input(&self) -> VipRuleInput {
        let amount = self.min_lifetime_value.as_ref().map(|a| {
            let digits = minor_unit_digits(&a.currency) as usize;
            let s = format!("{:0width$}", a.minor.unsigned_abs(), width = digits + 1);
            let (units, frac) = s.split_at(s.len() - digits);
            if frac.is_empty() { units.to_string() } else { format!("{units}.{frac}") }
        });
        VipRuleInput {
            name: self.name.clone(),
            tiers: self.tiers.join(", "),
            min_lifetime_value: amount.unwrap_or_default(),
            currency: self.min_lifetime_value.as_ref().map(|a| a.currency.clone()).unwrap_or_default(),
            min_open_tickets: self.min_open_tickets.map(|n| n.to_string()).unwrap_or_default(),
            min_complaints: self.min_complaints.map(|n| n.to_string()).unwrap_or_default(),
            tag: self.tag.clone().unwrap_or_default(),
        }
    }

    /// Whether every condition holds for `c` (a rule has at least one).
    pub fn matches(&self, c: &CustomerView) -> bool {
        let tier_ok = self.tiers.is_empty() || tier_id(c).is_some_and(|t| self.tiers.contains(&t));
        let value_ok = self.min_lifetime_value.as_ref().is_none_or(|min| {
            c.lifetime_value.as_ref().is_some_and(|(m, _)| m.currency.as_deref() == Some(min.currency.as_str()) && m.minor >= min.minor)
        });
        let open_ok = self.min_open_tickets.is_none_or(|n| open_tickets(c) >= n as usize);
        let complaints_ok = self.min_complaints.is_none_or(|n| complaints(c).is_some_and(|k| k >= u64::from(n)));
        let tag_ok = self.tag.as_deref().is_none_or(|t| c.tags.iter().any(|(x, _)| x.trim().to_lowercase() == t.to_lowercase()));
        self.has_condition() && tier_ok && value_ok && open_ok && complaints_ok && tag_ok
    }

    fn has_condition(&self) -> bool {
        !self.tiers.is_empty() || self.min_lifetime_value.is_some() || self.min_open_tickets.is_some() || self.min_complaints.is_some() || self.tag.is_some()
    }
}

/// The first rule (in the admin's order) that `c` matches.
pub fn first_match<'a>(rules: &'a [VipRule], c: &CustomerView) -> Option<&'a VipRule> {
    rules.iter().find(|r| r.matches(c))
}

/// Statuses of a finished ticket, in the helpdesks' and CRMs' words (any case).
const CLOSED: &[&str] = &["closed", "solved", "resolved", "done", "cancelled", "canceled", "archived", "deleted", "已关闭", "已解决", "关闭", "已完成", "完成"];

/// Whether a ticket with this status is still open (unknown or empty: open).
pub fn ticket_open(status: &str) -> bool {
    let s = status.trim().to_lowercase();
    !CLOSED.contains(&s.as_str())
}

fn open_tickets(c: &CustomerView) -> usize {
    c.tickets.iter().filter(|t| ticket_open(&t.status)).count()
}

/// The number in the customer's "Complaints" field, if mapped.
fn complaints(c: &CustomerView) -> Option<u64> {
    c.custom.iter().find(|(label, ..)| matches!(label.trim().to_lowercase().as_str(), "complaints" | "complaint" | "投诉" | "投诉次数")).and_then(|(_, v, ..)| v.trim().parse().ok())
}

/// The customer's tier as a rule names it.
fn tier_id(c: &CustomerView) -> Option<String> {
    if !c.tier_class.is_empty() {
        return Some(c.tier_class.clone());
    }
    match &c.tier {
        Some(Arg::Data(s)) => Some(s.trim().to_lowercase()),
        _ => None,
    }
}

/// A tier name as typed → the id a rule stores.
fn tier_name(typed: &str) -> Option<String> {
    Some(match VipTier::from_label(typed)? {
        VipTier::Platinum => "platinum".into(),
        VipTier::Gold => "gold".into(),
        VipTier::Silver => "silver".into(),
        VipTier::Standard => "standard".into(),
        VipTier::Other(s) => s.to_lowercase(),
    })
}

/// A decimal amount as typed → minor units of `currency` (commas and
/// spaces as thousands separators); `None` when it is no such amount.
pub fn parse_amount(typed: &str, currency: &str) -> Option<i64> {
    let s: String = typed.trim().chars().filter(|c| *c != ',' && *c != ' ').collect();
    let (units, frac) = s.split_once('.').unwrap_or((&s, ""));
    let digits = minor_unit_digits(currency) as usize;
    if units.is_empty() || units.len() > 15 || !units.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) || frac.len() > digits || (s.contains('.') && frac.is_empty()) {
        return None;
    }
    format!("{units}{frac:0<digits$}").parse().ok()
}

/// The rules to store, with a [`FieldError`] per problem
/// (`vip_rules.{row}.name|tiers|min_lifetime_value|currency|min_open_tickets|min_complaints|tag`).
/// Rows left blank are skipped.
pub fn validate_rules(rows: &[VipRuleInput], errors: &mut Vec<FieldError>) -> Vec<VipRule> {
    let mut out: Vec<VipRule> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let f = |name: &str| format!("vip_rules.{i}.{name}");
        let mut push = |field: &str, message: Text| errors.push(FieldError { field: f(field), message });
        let blank = [&row.name, &row.tiers, &row.min_lifetime_value, &row.currency, &row.min_open_tickets, &row.min_complaints, &row.tag].iter().all(|s| s.trim().is_empty());
        if blank {
            continue;
        }
        if out.len() == MAX_VIP_RULES {
            push("name", Text::new(Msg::CfgVipTooMany, [data(MAX_VIP_RULES)]));
            break;
        }
        let name = row.name.trim();
        if name.is_empty() {
            push("name", Msg::CfgVipNameRequired.into());
        } else if name.chars().count() > MAX_VIP_NAME || name.chars().any(char::is_control) {
            push("name", Text::new(Msg::CfgLabelTooLong, [data(MAX_VIP_NAME)]));
        } else if out.iter().any(|r| r.name.eq_ignore_ascii_case(name)) {
            push("name", Text::new(Msg::CfgVipDuplicateName, [data(name)]));
        }
        let mut tiers: Vec<String> = Vec::new();
        for t in row.tiers.split([',', '，', '\n']).filter_map(tier_name) {
            if !tiers.contains(&t) {
                tiers.push(t);
            }
        }
        let (amount, currency) = (row.min_lifetime_value.trim(), row.currency.trim());
        let min_lifetime_value = if amount.is_empty() && currency.is_empty() {
            None
        } else {
            match currency_code(currency) {
                None => {
                    push("currency", Text::new(Msg::CfgVipBadCurrency, [data(currency)]));
                    None
                }
                Some(code) => match parse_amount(amount, &code) {
                    Some(minor) => Some(Amount { minor, currency: code }),
                    None => {
                        push("min_lifetime_value", Text::new(Msg::CfgVipBadAmount, [data(amount), data(&code)]));
                        None
                    }
                },
            }
        };
        let mut count = |field: &str, typed: &str| -> Option<u32> {
            let t = typed.trim();
            if t.is_empty() {
                return None;
            }
            match t.parse::<u32>() {
                Ok(n) if (1..=MAX_VIP_COUNT).contains(&n) => Some(n),
                _ => {
                    push(field, Text::new(Msg::CfgVipBadCount, [data(MAX_VIP_COUNT)]));
                    None
                }
            }
        };
        let min_open_tickets = count("min_open_tickets", &row.min_open_tickets);
        let min_complaints = count("min_complaints", &row.min_complaints);
        let tag = Some(row.tag.trim()).filter(|t| !t.is_empty()).map(str::to_string);
        let rule = VipRule { name: name.to_string(), tiers, min_lifetime_value, min_open_tickets, min_complaints, tag };
        let typed_condition = [&row.tiers, &row.min_lifetime_value, &row.currency, &row.min_open_tickets, &row.min_complaints, &row.tag].iter().any(|s| !s.trim().is_empty());
        if !typed_condition {
            errors.push(FieldError { field: f("name"), message: Msg::CfgVipNoCondition.into() });
        } else if !row.tiers.trim().is_empty() && rule.tiers.is_empty() {
            errors.push(FieldError { field: f("tiers"), message: Text::new(Msg::CfgVipBadTiers, [data(row.tiers.trim())]) });
        }
        out.push(rule);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Customer, CustomField, FieldType, Ticket};

    fn rule(name: &str) -> VipRule {
        VipRule { name: name.into(), tiers: Vec::new(), min_lifetime_value: None, min_open_tickets: None, min_complaints: None, tag: None }
    }

    fn view(c: Customer) -> CustomerView {
        CustomerView::from_customer(&c)
    }

    fn ticket(status: &str) -> Ticket {
        Ticket { id: status.into(), subject: "s".into(), status: status.into(), ..Ticket::default() }
    }

    #[test]
    fn a_tier_in_the_set() {
        let r = VipRule { tiers: vec!["gold".into(), "platinum".into(), "diamond club".into()], ..rule("Key") };
        assert!(r.matches(&view(Customer { tier: VipTier::from_label("Gold"), ..Customer::default() })));
        assert!(r.matches(&view(Customer { tier: VipTier::from_label("铂金"), ..Customer::default() })));
        assert!(r.matches(&view(Customer { tier: VipTier::from_label("Diamond Club"), ..Customer::default() })), "a CRM's own label, any case");
        assert!(!r.matches(&view(Customer { tier: VipTier::from_label("silver"), ..Customer::default() })));
        assert!(!r.matches(&view(Customer::default())), "no tier");
    }

    #[test]
    fn a_lifetime_value_of_at_least_an_amount_in_its_currency() {
        let r = VipRule { min_lifetime_value: Some(Amount { minor: 1_000_000, currency: "CNY".into() }), ..rule("Big") };
        let ltv = |minor: i64, cur: &str| view(Customer { lifetime_value_minor: Some(minor), lifetime_currency: Some(cur.into()), ..Customer::default() });
        assert!(r.matches(&ltv(1_000_000, "CNY")), "exactly the amount");
        assert!(r.matches(&ltv(2_500_000, "RMB")), "RMB is CNY");
        assert!(!r.matches(&ltv(999_999, "CNY")));
        assert!(!r.matches(&ltv(5_000_000, "USD")), "another currency is not compared");
        assert!(!r.matches(&view(Customer::default())), "no value");
    }

    #[test]
    fn open_tickets_and_complaints_at_least_n() {
        let r = VipRule { min_open_tickets: Some(2), ..rule("Busy") };
        let with = |statuses: &[&str]| view(Customer { tickets: statuses.iter().map(|s| ticket(s)).collect(), ..Customer::default() });
        assert!(r.matches(&with(&["open", "Pending", "solved"])));
        assert!(!r.matches(&with(&["open", "Solved", "closed", "已解决"])), "finished tickets do not count");
        assert!(!r.matches(&with(&[])));
        let c = VipRule { min_complaints: Some(3), ..rule("Unhappy") };
        let complaints = |v: &str, label: &str| view(Customer { custom: vec![CustomField { label: label.into(), value: v.into(), kind: FieldType::Number }], ..Customer::default() });
        assert!(c.matches(&complaints("3", "Complaints")));
        assert!(c.matches(&complaints("7", "投诉")));
        assert!(!c.matches(&complaints("2", "Complaints")));
        assert!(!c.matches(&complaints("9", "Orders")), "another field");
        assert!(!c.matches(&complaints("many", "complaints")));
    }

    #[test]
    fn a_tag_present_and_every_condition_must_hold() {
        let r = VipRule { tag: Some("key account".into()), ..rule("Key") };
        let tagged = |tags: &[&str], tier: &str| view(Customer { tags: tags.iter().map(|t| t.to_string()).collect(), tier: VipTier::from_label(tier), ..Customer::default() });
        assert!(r.matches(&tagged(&["Renewal", "Key Account"], "")));
        assert!(!r.matches(&tagged(&["Key"], "")));
        let both = VipRule { tiers: vec!["gold".into()], ..r.clone() };
        assert!(both.matches(&tagged(&["key account"], "gold")));
        assert!(!both.matches(&tagged(&["key account"], "silver")), "the tier fails");
        assert!(!both.matches(&tagged(&[], "gold")), "the tag fails");
        assert!(!rule("Empty").matches(&tagged(&["x"], "gold")), "a rule without conditions matches nobody");
    }

    #[test]
    fn the_first_matching_rule_in_the_admins_order_wins() {
        let rules = vec![VipRule { tiers: vec!["platinum".into()], ..rule("Platinum") }, VipRule { tag: Some("vip".into()), ..rule("Tagged") }, VipRule { tiers: vec!["gold".into(), "platinum".into()], ..rule("Gold+") }];
        let c = |tier: &str, tags: &[&str]| view(Customer { tier: VipTier::from_label(tier), tags: tags.iter().map(|t| t.to_string()).collect(), ..Customer::default() });
        assert_eq!(first_match(&rules, &c("platinum", &["vip"])).map(|r| r.name.as_str()), Some("Platinum"));
        assert_eq!(first_match(&rules, &c("gold", &["vip"])).map(|r| r.name.as_str()), Some("Tagged"));
        assert_eq!(first_match(&rules, &c("gold", &[])).map(|r| r.name.as_str()), Some("Gold+"));
        assert_eq!(first_match(&rules, &c("silver", &[])), None);
    }

    fn row(name: &str) -> VipRuleInput {
        VipRuleInput { name: name.into(), ..VipRuleInput::default() }
    }

    #[test]
    fn rules_are_validated_per_field() {
        let rows = vec![
            VipRuleInput { tiers: "Gold, 铂金, gold".into(), min_lifetime_value: "12,500.50".into(), currency: "rmb".into(), min_open_tickets: "2".into(), tag: " Key Account ".into(), ..row(" Key account ") },
            VipRuleInput::default(),
            VipRuleInput { tiers: "gold".into(), ..row("") },
            VipRuleInput { min_lifetime_value: "10.555".into(), currency: "USD".into(), ..row("Cents") },
            VipRuleInput { min_lifetime_value: "100".into(), currency: "dollars".into(), ..row("Cur") },
            VipRuleInput { min_open_tickets: "0".into(), min_complaints: "lots".into(), ..row("Counts") },
            row("Nothing"),
            VipRuleInput { tag: "x".into(), ..row("key ACCOUNT") },
            VipRuleInput { min_lifetime_value: "1000".into(), currency: "JPY".into(), ..row("Yen") },
        ];
        let mut errors = Vec::new();
        let rules = validate_rules(&rows, &mut errors);
        let got: Vec<(&str, String)> = errors.iter().map(|e| (e.field.as_str(), crate::i18n::english(&e.message))).collect();
        assert_eq!(
            got,
            [
                ("vip_rules.2.name", "Give the rule a name: it is shown on the badge.".to_string()),
                ("vip_rules.3.min_lifetime_value", "'10.555' is not an amount in USD (digits, at most the currency's decimals).".to_string()),
                ("vip_rules.4.currency", "'dollars' is not a currency code (three letters, e.g. CNY, USD).".to_string()),
                ("vip_rules.5.min_open_tickets", "Enter a whole number from 1 to 10000.".to_string()),
                ("vip_rules.5.min_complaints", "Enter a whole number from 1 to 10000.".to_string()),
                ("vip_rules.6.name", "A rule needs at least one condition.".to_string()),
                ("vip_rules.7.name", "There is already a rule named 'key ACCOUNT'.".to_string()),
            ]
        );
        assert_eq!(
            rules[0],
            VipRule {
                name: "Key account".into(),
                tiers: vec!["gold".into(), "platinum".into()],
                min_lifetime_value: Some(Amount { minor: 1_250_050, currency: "CNY".into() }),
                min_open_tickets: Some(2),
                min_complaints: None,
                tag: Some("Key Account".into()),
            }
        );
        assert_eq!(rules.last().unwrap().min_lifetime_value, Some(Amount { minor: 1000, currency: "JPY".into() }), "yen have no minor unit");
        // What the form shows again reads back to the same rule.
        let again = validate_rules(&[rules[0].input()], &mut Vec::new());
        assert_eq!(again, [rules[0].clone()]);
        assert_eq!(rules[0].input().min_lifetime_value, "12500.50");
        let mut errors = Vec::new();
        validate_rules(&[VipRuleInput { tiers: " , ".into(), ..row("Commas") }], &mut errors);
        assert_eq!(errors[0].field, "vip_rules.0.tiers");
    }

    #[test]
    fn too_many_rules() {
        let rows: Vec<VipRuleInput> = (0..MAX_VIP_RULES + 1).map(|i| VipRuleInput { tag: "t".into(), ..row(&format!("R{i}")) }).collect();
        let mut errors = Vec::new();
        assert_eq!(validate_rules(&rows, &mut errors).len(), MAX_VIP_RULES);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, format!("vip_rules.{MAX_VIP_RULES}.name"));
    }

    #[test]
    fn amounts() {
        assert_eq!(parse_amount("10000", "CNY"), Some(1_000_000));
        assert_eq!(parse_amount("1 000.5", "EUR"), Some(100_050));
        assert_eq!(parse_amount("1.234", "KWD"), Some(1234));
        for bad in ["", "-5", "1.", ".5", "1e3", "12.345", "abc"] {
            assert_eq!(parse_amount(bad, "USD"), None, "{bad}");
        }
        assert!(ticket_open("Open") && ticket_open("pending") && ticket_open("") && !ticket_open(" Solved ") && !ticket_open("已关闭"));
    }
}
