-- Installed in many workspaces (SPEC §5.4, issue 15): each OAuth install's
-- bot token, sealed, and the OAuth `state` values handed out by the install
-- page (kept in the database, so any replica can check one).

-- One installation per workspace ('T:T123'), or per Enterprise Grid org for
-- an org-wide install ('E:E123', no team). Tokens are never stored in clear:
-- `bot_token` and `bot_refresh_token` are sealed by wb's vault
-- (XChaCha20-Poly1305 under WB_ENCRYPTION_KEY, `wb1.<key id>.<base64>`), so a
-- copy of the database holds no usable token. An uninstall deletes the row.
CREATE TABLE installations (
    install_key             TEXT COLLATE "C" PRIMARY KEY,
    team_id                 TEXT COLLATE "C",                 -- NULL for an org-wide install
    team_name               TEXT COLLATE "C",
    enterprise_id           TEXT COLLATE "C",
    enterprise_name         TEXT COLLATE "C",
    is_enterprise_install   BIGINT NOT NULL DEFAULT 0,
    app_id                  TEXT COLLATE "C",
    bot_user_id             TEXT COLLATE "C",
    bot_scopes              TEXT COLLATE "C" NOT NULL,        -- comma-separated, as Slack granted them
    installed_by            TEXT COLLATE "C",                 -- the authorizing user
    bot_token               TEXT COLLATE "C" NOT NULL,        -- sealed
    bot_refresh_token       TEXT COLLATE "C",                 -- sealed; NULL without token rotation
    bot_token_issued_at_ms  BIGINT,              -- when the current token was issued (unix ms)
    bot_token_expires_at_ms BIGINT,              -- NULL: the token does not expire
    installed_at            TEXT COLLATE "C" NOT NULL,
    updated_at              TEXT COLLATE "C" NOT NULL
);
CREATE INDEX installations_by_enterprise ON installations (enterprise_id);

-- The `state` of each "Add to Slack" link: only its SHA-256 is kept. Good
-- until `expires_at_ms` (ten minutes) and once: `used_at_ms` is set by the
-- redirect that uses it. Rows expired for an hour are deleted when new ones
-- are made.
CREATE TABLE oauth_states (
    state_hash    TEXT COLLATE "C" PRIMARY KEY,
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    used_at_ms    BIGINT
);

-- Purging a workspace (`wb purge`, WB_PURGE_ON_UNINSTALL) finds its sessions
-- by org as well as by team.
CREATE INDEX sessions_by_enterprise ON sessions (enterprise_id);
