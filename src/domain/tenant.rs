//! Whose request it is: the Slack workspace a request comes from, its
//! Enterprise Grid org when it has one, and whether the app is installed
//! org-wide. What is stored (sessions) carries the workspace and the org; the
//! installation that serves a request — its token, the data it may see — is
//! keyed by [`Tenant::install_key`]. `slack::inbound::tenant` resolves a
//! [`Tenant`] from every payload shape Slack sends, in one place. Work done
//! later (an outbox job) carries its [`Workspace`]: the team and org it is
//! for, which is what finds the installation whose token does the work.

use serde::{Deserialize, Serialize};

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
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstallKey {
    Enterprise(String),
    Team(String),
}

impl InstallKey {
    /// As stored (`installations.install_key`): `T:T123` or `E:E123`.
    pub fn stored(&self) -> String {
        match self {
            InstallKey::Team(t) => format!("T:{t}"),
            InstallKey::Enterprise(e) => format!("E:{e}"),
        }
    }

    /// The stored form back; `None` for anything else.
    pub fn parse(stored: &str) -> Option<Self> {
        let (kind, id) = stored.split_once(':')?;
        let id = id.trim();
        if id.is_empty() {
            return None;
        }
        match kind {
            "T" => Some(InstallKey::Team(id.to_string())),
            "E" => Some(InstallKey::Enterprise(id.to_string())),
            _ => None,
        }
    }

    /// An id as typed (`wb purge --team T123`, or `E123` for an org).
    pub fn of_id(id: &str) -> Option<Self> {
        let id = id.trim();
        let valid = id.len() > 1 && id.len() <= 32 && id.chars().all(|c| c.is_ascii_alphanumeric());
        match id.chars().next() {
            Some('T') if valid => Some(InstallKey::Team(id.to_string())),
            Some('E') if valid => Some(InstallKey::Enterprise(id.to_string())),
            _ => None,
        }
    }

    /// The workspace whose token this installation holds (an org's: no team).
    pub fn workspace(&self) -> Workspace {
        match self {
            InstallKey::Team(t) => Workspace::new(t.clone(), None),
            InstallKey::Enterprise(e) => Workspace::new(String::new(), Some(e.clone())),
        }
    }
}

/// The workspace some work is for — a session's team and org, a job's — as
/// stored with it. It finds the installation whose token does the work: the
/// workspace's own install first, else its org's org-wide install. Empty
/// (`Default`) in jobs queued before wb served several workspaces: those go
/// with the static token.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Workspace {
    #[serde(default)]
    pub team_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise_id: Option<String>,
}

impl Workspace {
    pub fn new(team_id: impl Into<String>, enterprise_id: Option<String>) -> Self {
        Self {
            team_id: team_id.into(),
            enterprise_id: enterprise_id.filter(|e| !e.is_empty()),
        }
    }

    /// True for a job queued before wb knew whose work it was.
    pub fn is_unknown(&self) -> bool {
        self.team_id.is_empty() && self.enterprise_id.is_none()
    }

    /// The installations that may serve it, most specific first: the
    /// workspace's own, then its org's org-wide one.
    pub fn install_keys(&self) -> Vec<InstallKey> {
        let mut keys = Vec::with_capacity(2);
        if !self.team_id.is_empty() {
            keys.push(InstallKey::Team(self.team_id.clone()));
        }
        if let Some(org) = &self.enterprise_id {
            keys.push(InstallKey::Enterprise(org.clone()));
        }
        keys
    }
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

    /// The workspace (and org) the request's work is for.
    pub fn workspace(&self) -> Workspace {
        Workspace::new(self.team_id.clone(), self.enterprise_id.clone())
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

    /// Whether `workspace`'s things (a session, a job) belong to this request.
    pub fn owns_workspace(&self, workspace: &Workspace) -> bool {
        self.owns(&workspace.team_id, workspace.enterprise_id.as_deref())
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

    #[test]
    fn install_keys_are_stored_and_typed_as_ids() {
        for key in [
            InstallKey::Team("T1".into()),
            InstallKey::Enterprise("E9".into()),
        ] {
            assert_eq!(InstallKey::parse(&key.stored()), Some(key.clone()));
        }
        assert_eq!(InstallKey::parse("X:1"), None);
        assert_eq!(InstallKey::parse("T:"), None);
        assert_eq!(
            InstallKey::of_id(" T123 "),
            Some(InstallKey::Team("T123".into()))
        );
        assert_eq!(
            InstallKey::of_id("E1"),
            Some(InstallKey::Enterprise("E1".into()))
        );
        for bad in ["", "T", "U123", "T1;DROP", "C123"] {
            assert_eq!(InstallKey::of_id(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_workspace_is_served_by_its_own_install_then_its_orgs() {
        let ws = Workspace::new("T1", Some("E1".into()));
        assert_eq!(
            ws.install_keys(),
            vec![
                InstallKey::Team("T1".into()),
                InstallKey::Enterprise("E1".into())
            ]
        );
        assert_eq!(
            Workspace::new("T1", Some(String::new())).install_keys(),
            vec![InstallKey::Team("T1".into())]
        );
        assert!(Workspace::default().is_unknown());
        assert!(Workspace::default().install_keys().is_empty());
        assert_eq!(
            InstallKey::Enterprise("E1".into())
                .workspace()
                .install_keys(),
            vec![InstallKey::Enterprise("E1".into())]
        );
        // Jobs queued before the field existed read as unknown.
        let old: Workspace = serde_json::from_str("{}").expect("json");
        assert!(old.is_unknown());
        let org = tenant("T2", Some("E1"), true);
        assert!(org.owns_workspace(&Workspace::new("T1", Some("E1".into()))));
        assert!(!tenant("T2", None, false).owns_workspace(&Workspace::new("T1", None)));
    }
}
