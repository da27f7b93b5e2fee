//! Whose request it is: the Slack workspace a request comes from, its
//! Enterprise Grid org when it has one, and whether the app is installed
//! org-wide. What is stored (sessions) carries the workspace and the org; the
//! installation that serves a request — its token, the data it may see — is
//! keyed by [`Tenant::install_key`]. `slack::inbound::tenant` resolves a
//! [`Tenant`] from every payload shape Slack sends, in one place.

/// The workspace and org behind one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    /// The workspace (`T…`) the request comes from; for an org-wide install
    /// that is the workspace of the channel or of the user.
    pub team_id: String,
    /// The Enterprise Grid org (`E…`), when the workspace belongs to one.
    pub enterprise_id: Option<String>,
    /// True when the app is installed org-wide (one installation for every
    /// workspace of the org), false for a workspace install.
    pub org_install: bool,
}

/// The installation serving a request: an org-wide install is one for every
/// workspace of its org; otherwise each workspace is its own.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InstallKey {
    Enterprise(String),
    Team(String),
}

impl Tenant {
    /// A workspace outside any org, installed on its own.
    pub fn team(team_id: impl Into<String>) -> Self {
        Self {
            team_id: team_id.into(),
            enterprise_id: None,
            org_install: false,
        }
    }

    /// The installation this request belongs to.
    pub fn install_key(&self) -> InstallKey {
        match (&self.enterprise_id, self.org_install) {
            (Some(enterprise), true) => InstallKey::Enterprise(enterprise.clone()),
            _ => InstallKey::Team(self.team_id.clone()),
        }
    }

    /// Whether something stored for `team_id` (of org `enterprise_id`) belongs
    /// to this request's installation: anything of the org for an org-wide
    /// install, the same workspace otherwise.
    pub fn owns(&self, team_id: &str, enterprise_id: Option<&str>) -> bool {
        match self.install_key() {
            InstallKey::Enterprise(org) => {
                enterprise_id == Some(org.as_str()) || team_id == self.team_id
            }
            InstallKey::Team(team) => team_id == team,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenant(team: &str, enterprise: Option<&str>, org_install: bool) -> Tenant {
        Tenant {
            team_id: team.into(),
            enterprise_id: enterprise.map(str::to_string),
            org_install,
        }
    }

    #[test]
    fn the_installation_is_the_org_only_for_an_org_wide_install() {
        let cases = [
            (tenant("T1", None, false), InstallKey::Team("T1".into())),
            (
                tenant("T1", Some("E1"), false),
                InstallKey::Team("T1".into()),
            ),
            (
                tenant("T1", Some("E1"), true),
                InstallKey::Enterprise("E1".into()),
            ),
            // An org-wide flag without an org cannot key on it.
            (tenant("T1", None, true), InstallKey::Team("T1".into())),
        ];
        for (tenant, want) in cases {
            assert_eq!(tenant.install_key(), want, "{tenant:?}");
        }
    }

    #[test]
    fn an_org_wide_install_owns_every_workspace_of_its_org_and_nothing_else() {
        let org = tenant("T1", Some("E1"), true);
        assert!(org.owns("T1", Some("E1")));
        assert!(org.owns("T2", Some("E1")));
        assert!(org.owns("T1", None), "stored before the org was known");
        assert!(!org.owns("T2", None));
        assert!(!org.owns("T9", Some("E2")));

        let workspace = tenant("T1", Some("E1"), false);
        assert!(workspace.owns("T1", Some("E1")));
        assert!(!workspace.owns("T2", Some("E1")));
        assert!(Tenant::team("T1").owns("T1", None));
        assert!(!Tenant::team("T1").owns("T2", None));
    }
}
