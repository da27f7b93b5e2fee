//! `users.info` (scope `users:read`): the name Slack shows for a user (the
//! export's display names) and the user's time zone (daily reminders).

use serde_json::Value;

use super::{ApiError, SlackApi};
use crate::domain::tenant::Workspace;
use crate::domain::truncate_chars;

/// What wb reads of a user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserInfo {
    /// Display name, real name, then handle; `None` when Slack gave none.
    pub display_name: Option<String>,
    /// IANA time zone (`Europe/Paris`), when Slack gives it.
    pub tz: Option<String>,
}

/// Asks Slack about `user_id` of `workspace` (with its token).
pub async fn info(
    api: &SlackApi,
    workspace: &Workspace,
    user_id: &str,
) -> Result<UserInfo, ApiError> {
    let answer = api
        .get(workspace, "users.info", &[("user", user_id.to_string())])
        .await?;
    Ok(read(&answer["user"]))
}

fn read(user: &Value) -> UserInfo {
    UserInfo {
        display_name: display_name(user),
        tz: user["tz"]
            .as_str()
            .map(str::trim)
            .filter(|tz| !tz.is_empty())
            .map(str::to_string),
    }
}

/// The name Slack shows for a user: display name, real name, then handle.
fn display_name(user: &Value) -> Option<String> {
    [
        &user["profile"]["display_name"],
        &user["profile"]["real_name"],
        &user["real_name"],
        &user["name"],
    ]
    .into_iter()
    .filter_map(Value::as_str)
    .map(str::trim)
    .find(|s| !s.is_empty())
    .map(|s| truncate_chars(s, 80))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_come_from_the_profile_first_and_the_zone_is_read() {
        let user = json!({"name": "ada.l", "real_name": "Ada L", "tz": "Europe/London",
                          "profile": {"display_name": "", "real_name": "Ada Lovelace"}});
        assert_eq!(
            read(&user),
            UserInfo {
                display_name: Some("Ada Lovelace".into()),
                tz: Some("Europe/London".into())
            }
        );
        assert_eq!(
            read(&json!({"name": "bob"})).display_name,
            Some("bob".into())
        );
        assert_eq!(read(&json!({})), UserInfo::default());
    }
}
