//! The shipped connector definitions, one JSON file per system in
//! `crates/deskside-core/connectors/` (checked, samples included, by the
//! tests below, so a broken file cannot ship).

use super::def::Definition;
use crate::config::ConnectorKind;
use std::sync::OnceLock;

/// The files, by kind.
pub const SOURCES: &[(ConnectorKind, &str, &str)] = &[
    (ConnectorKind::DemoCrm, "demo_crm.json", include_str!("../../connectors/demo_crm.json")),
    (ConnectorKind::HubSpot, "hubspot.json", include_str!("../../connectors/hubspot.json")),
    (ConnectorKind::Salesforce, "salesforce.json", include_str!("../../connectors/salesforce.json")),
    (ConnectorKind::Zendesk, "zendesk.json", include_str!("../../connectors/zendesk.json")),
    (ConnectorKind::Freshdesk, "freshdesk.json", include_str!("../../connectors/freshdesk.json")),
    (ConnectorKind::Pipedrive, "pipedrive.json", include_str!("../../connectors/pipedrive.json")),
    (ConnectorKind::ZohoCrm, "zoho_crm.json", include_str!("../../connectors/zoho_crm.json")),
    (ConnectorKind::Intercom, "intercom.json", include_str!("../../connectors/intercom.json")),
];

/// A shipped kind's definition (`None` for the generic connector, whose
/// definition is the admin's).
pub fn definition(kind: ConnectorKind) -> Option<&'static Definition> {
    static ALL: OnceLock<Vec<(ConnectorKind, Definition)>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        SOURCES
            .iter()
            .map(|(kind, file, json)| (*kind, Definition::parse(json).unwrap_or_else(|e| panic!("connectors/{file} is not a valid definition: {e:?}"))))
            .collect()
    });
    all.iter().find(|(k, _)| *k == kind).map(|(_, d)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every sample of every shipped definition maps to what it says.
    #[test]
    fn shipped_definitions_parse_and_their_samples_map() {
        for (kind, file, _) in SOURCES {
            let def = definition(*kind).unwrap_or_else(|| panic!("{file}"));
            assert!(!def.samples.is_empty(), "{file} has no sample");
            for (i, s) in def.samples.iter().enumerate() {
                assert_eq!(def.check_sample(s), Ok(()), "{file}: sample {i}");
            }
        }
    }

}

#[cfg(test)]
mod example_tests {
    
    use crate::connector::def::Definition;

    /// The generic connector's definition the end-to-end test types into
    /// the options page (and docs/CONNECTORS.md shows) is valid and maps its
    /// sample.
    #[test]
    fn the_test_api_definition_parses_and_maps_its_sample() {
        let def = Definition::parse(include_str!("../../../../tests/testapi/definition.json")).unwrap();
        assert_eq!(def.auth.secrets(), ["client_id", "client_secret"]);
        for s in &def.samples {
            assert_eq!(def.check_sample(s), Ok(()));
        }
    }
}

#[cfg(test)]
mod shapes;
