//! Where the panel sits on the page: collapsed to a small tab on an edge, or
//! expanded beside the page (docked: the page is made narrower, so nothing
//! of it is covered), on the left or the right. Remembered per site; a site
//! the agent has not expanded the panel on yet opens it collapsed, unless the
//! admin chose "expanded" for everyone.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    #[default]
    Right,
    Left,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelLayout {
    pub collapsed: bool,
    pub side: Side,
}

impl PanelLayout {
    /// A site's layout before the agent changed it there.
    pub fn initial(opens_expanded: bool) -> PanelLayout {
        PanelLayout { collapsed: !opens_expanded, side: Side::Right }
    }

    /// The keyboard shortcut: expanded ↔ collapsed, on the same side.
    pub fn toggled(self) -> PanelLayout {
        PanelLayout { collapsed: !self.collapsed, ..self }
    }
}

/// The `storage.local` key of the layouts per site.
pub const LAYOUTS_KEY: &str = "panel_layouts";
/// How many sites' layouts are remembered (the least recently changed go first).
pub const LAYOUTS_CAP: usize = 200;

/// The layout per site (page origin), most recently changed last.
pub type Layouts = Vec<(String, PanelLayout)>;

/// The layout for a site: the agent's own, else the admin's default.
pub fn layout_for(layouts: &Layouts, site: &str, opens_expanded: bool) -> PanelLayout {
    layouts.iter().rev().find(|(s, _)| s == site).map_or_else(|| PanelLayout::initial(opens_expanded), |(_, l)| *l)
}

/// Records the agent's layout for a site, keeping the newest [`LAYOUTS_CAP`].
pub fn remember_layout(layouts: &mut Layouts, site: &str, layout: PanelLayout) {
    crate::audit::remember(layouts, site, layout, LAYOUTS_CAP);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_opens_collapsed_until_the_agent_expands_it_there() {
        let mut layouts = Layouts::new();
        let a = "https://acme.zendesk.com";
        assert_eq!(layout_for(&layouts, a, false), PanelLayout { collapsed: true, side: Side::Right });
        // The admin chose "expanded" for the team.
        assert_eq!(layout_for(&layouts, a, true), PanelLayout { collapsed: false, side: Side::Right });
        remember_layout(&mut layouts, a, PanelLayout { collapsed: false, side: Side::Left });
        assert_eq!(layout_for(&layouts, a, false), PanelLayout { collapsed: false, side: Side::Left });
        // Another site is unaffected; the agent's own choice beats the admin's.
        assert!(layout_for(&layouts, "https://crm.example.com", false).collapsed);
        let toggled = layout_for(&layouts, a, true).toggled();
        remember_layout(&mut layouts, a, toggled);
        assert!(layout_for(&layouts, a, true).collapsed);
        for i in 0..LAYOUTS_CAP + 5 {
            remember_layout(&mut layouts, &format!("https://s{i}.example"), PanelLayout::initial(true));
        }
        assert_eq!(layouts.len(), LAYOUTS_CAP);
    }

    #[test]
    fn layouts_serialise_for_the_content_script() {
        let l = PanelLayout { collapsed: true, side: Side::Left };
        assert_eq!(serde_json::to_string(&l).unwrap(), r#"{"collapsed":true,"side":"left"}"#);
    }
}
