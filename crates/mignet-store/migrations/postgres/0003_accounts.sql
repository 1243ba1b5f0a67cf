-- Accounts, sessions and API tokens for the web application.
CREATE TABLE users (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('administrator','coordinator','focal_point','viewer')),
    organisation TEXT REFERENCES organisations(code) DEFERRABLE,
    disabled BIGINT NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)),
    created_at TEXT NOT NULL,
    CHECK ((role = 'focal_point') = (organisation IS NOT NULL))
);
-- Only hashes of session and API tokens are stored: a copy of the database opens no session.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) DEFERRABLE,
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) DEFERRABLE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
