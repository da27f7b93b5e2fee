//! A slash command's fields as Slack sends them: a form over HTTP, a JSON
//! object of strings over Socket Mode. Read in one pass into the few fields
//! wb uses, borrowed from the body where nothing was escaped, then checked
//! into a [`SlashCommand`] that borrows them. (A `Value` map built first and
//! then deserialized took 44,000 instructions per command, this 23,000:
//! bench/README.md, seventh round; slack-morphism's command type, which
//! copied every field and parsed the `response_url` into a `Url`, 6,800
//! more: tenth round.)

use std::borrow::Cow;

use serde_json::Value;

use crate::domain::tenant::Tenant;

/// A slash command, checked: the fields every handler may rely on, borrowed
/// from the request's [`CommandFields`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlashCommand<'a> {
    pub team_id: &'a str,
    pub channel_id: &'a str,
    pub user_id: &'a str,
    /// The command as typed (`/wb`).
    pub command: &'a str,
    /// What follows the command ("" when nothing does).
    pub text: &'a str,
    /// Where ephemeral replies go (an `http(s)://` URL).
    pub response_url: &'a str,
    /// Lets a modal open within three seconds.
    pub trigger_id: &'a str,
}

/// The fields of a slash command wb reads; the others are skipped.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CommandFields<'a> {
    pub team_id: Option<Cow<'a, str>>,
    pub enterprise_id: Option<Cow<'a, str>>,
    pub is_enterprise_install: Option<Cow<'a, str>>,
    pub channel_id: Option<Cow<'a, str>>,
    pub user_id: Option<Cow<'a, str>>,
    pub command: Option<Cow<'a, str>>,
    pub text: Option<Cow<'a, str>>,
    pub response_url: Option<Cow<'a, str>>,
    pub trigger_id: Option<Cow<'a, str>>,
    /// Slack's certificate check ("1"), which carries none of the above.
    pub ssl_check: Option<Cow<'a, str>>,
}

impl<'a> CommandFields<'a> {
    /// The fields of a form body (`application/x-www-form-urlencoded`); the
    /// last of a repeated field wins, bytes that are no UTF-8 become U+FFFD.
    pub fn from_form(body: &'a [u8]) -> Self {
        let mut fields = Self::default();
        for (name, value) in form_urlencoded::parse(body) {
            if let Some(slot) = fields.slot(&name) {
                *slot = Some(value);
            }
        }
        fields
    }

    /// The fields of a JSON object (Socket Mode's command payload); values
    /// that are not strings count as absent, but a boolean
    /// `is_enterprise_install` is read as its text.
    pub fn from_json(value: &'a Value) -> Self {
        let mut fields = Self::default();
        let Some(object) = value.as_object() else {
            return fields;
        };
        for (name, value) in object {
            if let Some(slot) = fields.slot(name) {
                *slot = match value {
                    Value::String(s) => Some(Cow::Borrowed(s.as_str())),
                    Value::Bool(true) => Some(Cow::Borrowed("true")),
                    Value::Bool(false) => Some(Cow::Borrowed("false")),
                    _ => None,
                };
            }
        }
        fields
    }

    fn slot(&mut self, name: &str) -> Option<&mut Option<Cow<'a, str>>> {
        Some(match name {
            "team_id" => &mut self.team_id,
            "enterprise_id" => &mut self.enterprise_id,
            "is_enterprise_install" => &mut self.is_enterprise_install,
            "channel_id" => &mut self.channel_id,
            "user_id" => &mut self.user_id,
            "command" => &mut self.command,
            "text" => &mut self.text,
            "response_url" => &mut self.response_url,
            "trigger_id" => &mut self.trigger_id,
            "ssl_check" => &mut self.ssl_check,
            _ => return None,
        })
    }

    /// The command, or why it is malformed (a reason that names a field,
    /// never quotes a value).
    pub fn command(&self) -> Result<SlashCommand<'_>, String> {
        fn required<'f>(value: &'f Option<Cow<'_, str>>, name: &str) -> Result<&'f str, String> {
            value
                .as_deref()
                .ok_or_else(|| format!("missing field `{name}`"))
        }
        let command = SlashCommand {
            team_id: required(&self.team_id, "team_id")?,
            channel_id: required(&self.channel_id, "channel_id")?,
            user_id: required(&self.user_id, "user_id")?,
            command: required(&self.command, "command")?,
            text: self.text.as_deref().unwrap_or_default(),
            response_url: required(&self.response_url, "response_url")?,
            trigger_id: required(&self.trigger_id, "trigger_id")?,
        };
        if !is_url(command.response_url) {
            return Err("`response_url` is not a URL".into());
        }
        Ok(command)
    }

    /// Whose command it is: its team, and its Enterprise Grid org when the
    /// form names one (blank fields count as absent).
    pub fn tenant(&self) -> Option<Tenant> {
        let text = |v: &Option<Cow<'a, str>>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        Some(Tenant {
            team_id: text(&self.team_id)?,
            enterprise_id: text(&self.enterprise_id),
            org_install: self.is_enterprise_install.as_deref() == Some("true"),
        })
    }
}

/// An absolute `http(s)://` URL with a host and no spaces or control
/// characters: what Slack sends as a `response_url` (and all wb can post to).
fn is_url(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        !rest.is_empty()
            && !rest.starts_with('/')
            && !rest.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const FULL: &str = "token=x&team_id=T1&team_domain=acme&channel_id=C1&channel_name=product\
        &user_id=U1&user_name=steve&command=%2Fwb&text=pressrelease+Fridge+%3Ccam%3E\
        &api_app_id=A1&is_enterprise_install=false\
        &response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1%2F2&trigger_id=13.73.88";

    #[test]
    fn a_form_is_read_into_its_fields() {
        let fields = CommandFields::from_form(FULL.as_bytes());
        let command = fields.command().expect("a whole command");
        assert_eq!(
            command,
            SlashCommand {
                team_id: "T1",
                channel_id: "C1",
                user_id: "U1",
                command: "/wb",
                text: "pressrelease Fridge <cam>",
                response_url: "https://hooks.slack.com/commands/1/2",
                trigger_id: "13.73.88",
            }
        );
        assert_eq!(fields.tenant(), Some(Tenant::team("T1")));
        // Unescaped values are borrowed from the body.
        assert!(matches!(fields.team_id, Some(Cow::Borrowed("T1"))));
    }

    #[test]
    fn the_same_fields_come_from_socket_modes_json() {
        let form = CommandFields::from_form(FULL.as_bytes());
        let value = json!({
            "team_id": "T1", "team_domain": "acme", "channel_id": "C1", "channel_name": "product",
            "user_id": "U1", "command": "/wb", "text": "pressrelease Fridge <cam>",
            "is_enterprise_install": false, "api_app_id": "A1",
            "response_url": "https://hooks.slack.com/commands/1/2", "trigger_id": "13.73.88",
        });
        let json = CommandFields::from_json(&value);
        assert_eq!(json.command(), form.command());
        assert_eq!(json.tenant(), form.tenant());
        assert_eq!(
            CommandFields::from_json(&json!([1])),
            CommandFields::default()
        );
    }

    #[test]
    fn forms_are_read_as_slack_would_send_them_or_refused_by_name() {
        // (form, the reason it is refused, if it is)
        let cases: &[(&str, Option<&str>)] = &[
            (FULL, None),
            ("team_id=T1&text=hi", Some("missing field `channel_id`")),
            ("", Some("missing field `team_id`")),
            (
                "team_id=T1&channel_id=C1&user_id=U1&command=%2Fwb&response_url=nope&trigger_id=1",
                Some("`response_url` is not a URL"),
            ),
            (
                "team_id=T1&channel_id=C1&user_id=U1&command=%2Fwb&trigger_id=1",
                Some("missing field `response_url`"),
            ),
            (
                "team_id=T1&channel_id=C1&user_id=U1&command=%2Fwb&response_url=http%3A%2F%2F127.0.0.1%3A9%2Fr&trigger_id=1",
                None,
            ),
            (
                "team_id=T1&channel_id=C1&user_id=U1&command=%2Fwb&response_url=https%3A%2F%2F&trigger_id=1",
                Some("`response_url` is not a URL"),
            ),
            (
                "team_id=T1&channel_id=C1&user_id=U1&command=%2Fwb&response_url=https%3A%2F%2Fa+b&trigger_id=1",
                Some("`response_url` is not a URL"),
            ),
            (
                "team_id=T1&channel_id=C1&user_id=U1&command=%2Fwb&response_url=ftp%3A%2F%2Fa&trigger_id=1",
                Some("`response_url` is not a URL"),
            ),
        ];
        for (form, refused) in cases {
            let fields = CommandFields::from_form(form.as_bytes());
            let got = fields.command().err();
            assert_eq!(got.as_deref(), *refused, "{form}");
        }
    }

    #[test]
    fn repeats_blanks_and_bad_bytes() {
        let fields = CommandFields::from_form(b"text=a&text=b&enterprise_id=&team_id=%FF");
        assert_eq!(fields.text.as_deref(), Some("b"));
        assert_eq!(fields.enterprise_id.as_deref(), Some(""));
        assert_eq!(fields.team_id.as_deref(), Some("\u{FFFD}"));
        assert_eq!(fields.ssl_check.as_deref(), None);
        let check = CommandFields::from_form(b"ssl_check=1&token=x");
        assert_eq!(check.ssl_check.as_deref(), Some("1"));
    }

    #[test]
    fn a_commands_org_comes_from_its_fields() {
        let org = |form: &str| CommandFields::from_form(form.as_bytes()).tenant();
        let tenant = |team: &str, org: Option<&str>, install: bool| Tenant {
            team_id: team.into(),
            enterprise_id: org.map(str::to_string),
            org_install: install,
        };
        assert_eq!(
            org("team_id=T1&enterprise_id=E1&is_enterprise_install=true"),
            Some(tenant("T1", Some("E1"), true))
        );
        assert_eq!(
            org("team_id=T1&enterprise_id=+&is_enterprise_install=false"),
            Some(tenant("T1", None, false))
        );
        assert_eq!(org("enterprise_id=E1"), None);
    }
}
