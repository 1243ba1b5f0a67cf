-- Sessions and tokens are looked up by account (sign-out everywhere, account disabled) and expired
-- sessions are deleted by expiry when a new session starts; both without reading the whole table.
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
