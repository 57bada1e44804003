//! The declarative presets, one per known system.

use super::{Auth, FieldMap, Lookup, Preset};
use crate::config::ConnectorKind;
use crate::identify::IdKind;

fn s(v: &str) -> String {
    v.to_string()
}

pub fn preset(kind: ConnectorKind) -> Preset {
    match kind {
        // The demo CRM (`deskside-demo`): GET /api/v1/customers?email=…
        // (or ?phone=…) answering {"data": [customer…]}, and
        // GET /api/v1/customers/{id} answering {"data": customer} or 404.
        ConnectorKind::DemoCrm => Preset {
            kind,
            auth: Auth::Bearer,
            lookups: vec![
                (IdKind::Email, Lookup::Query { path: s("/api/v1/customers"), param: s("email") }),
                (IdKind::Phone, Lookup::Query { path: s("/api/v1/customers"), param: s("phone") }),
                (IdKind::CustomerId, Lookup::PathSegment { path: s("/api/v1/customers/{id}") }),
            ],
            results: s("/data"),
            fields: FieldMap {
                id: s("/id"),
                name: vec![s("/name")],
                emails: vec![s("/email"), s("/secondary_emails")],
                phones: vec![s("/phone")],
                company: s("/company/name"),
                title: s("/title"),
                tier: s("/tier"),
                city: s("/address/city"),
                country: s("/address/country"),
                url: s("/url"),
                orders: s("/orders"),
                order_id: s("/number"),
                order_status: s("/status"),
                order_total_minor: s("/total_minor"),
                order_currency: s("/currency"),
                order_date: s("/placed_at"),
            },
        },
    }
}
