//! `wb teams [--json]`: the workspaces wb is installed in, from the
//! database — who installed it and when, its scopes, whether its token
//! rotates, how many sessions it has. Tokens are never read, let alone shown.

use super::{open_store, write_output};
use crate::cli::CliError;
use crate::clock::Clock;
use crate::config::DbArgs;
use crate::domain::install::Installation;
use crate::domain::truncate_chars;
use crate::flows::install::installations;

pub async fn teams(db: &DbArgs, json: bool, clock: &Clock) -> Result<(), CliError> {
    let store = open_store(db, clock).await?;
    let listed = installations(&store).await;
    store.close().await;
    let listed = listed.map_err(|e| CliError::new(1, format!("reading installations: {e}")))?;
    let text = if json {
        serde_json::to_string_pretty(&listed).map_err(|e| CliError::new(1, e.to_string()))?
    } else {
        table(&listed)
    };
    write_output(None, &text)
}

/// The installations as a table, one line each.
fn table(listed: &[Installation]) -> String {
    if listed.is_empty() {
        return "wb is not installed in any workspace yet: open WB_PUBLIC_URL/slack/install (with SLACK_BOT_TOKEN alone, wb serves that token's workspace)".into();
    }
    let mut t = format!(
        "{:<12}  {:<24}  {:<12}  {:<20}  {:<12}  {:<8}  {:>8}  {}\n",
        "ID", "NAME", "ORG", "INSTALLED", "BY", "ROTATING", "SESSIONS", "SCOPES"
    );
    for i in listed {
        let name = i
            .team_name
            .as_deref()
            .or(i.enterprise_name.as_deref())
            .unwrap_or("-");
        let org = match (&i.enterprise_id, i.org_wide) {
            (Some(e), true) => format!("{e} (all)"),
            (Some(e), false) => e.clone(),
            (None, _) => "-".into(),
        };
        t.push_str(&format!(
            "{:<12}  {:<24}  {:<12}  {:<20}  {:<12}  {:<8}  {:>8}  {}\n",
            i.id,
            truncate_chars(&name.replace('\n', " "), 24),
            org,
            i.installed_at,
            i.installed_by.as_deref().unwrap_or("-"),
            if i.rotating { "yes" } else { "no" },
            i.sessions,
            i.scopes.len()
        ));
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::tenant::InstallKey;

    #[test]
    fn one_line_per_installation_and_no_token_column() {
        let i = Installation {
            id: "T1".into(),
            key: InstallKey::Team("T1".into()),
            team_id: Some("T1".into()),
            team_name: Some("Acme".into()),
            enterprise_id: None,
            enterprise_name: None,
            org_wide: false,
            bot_user_id: Some("UB".into()),
            scopes: vec!["chat:write".into(), "commands".into()],
            installed_by: Some("U1".into()),
            installed_at: "2026-11-30T10:00:00Z".into(),
            rotating: true,
            token_expires_at: None,
            sessions: 3,
        };
        let t = table(&[i]);
        assert_eq!(t.lines().count(), 2, "{t}");
        assert!(
            t.contains("T1") && t.contains("Acme") && t.contains("yes"),
            "{t}"
        );
        assert!(!t.to_lowercase().contains("token"), "{t}");
        assert!(table(&[]).contains("/slack/install"));
    }
}
