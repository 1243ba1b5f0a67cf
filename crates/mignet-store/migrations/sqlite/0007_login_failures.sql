-- Failed sign-ins, counted per account and per address by every server process on the store, so that
-- the limit holds however many processes serve it. Keys are SHA-256 hashes of `account:EMAIL` or
-- `address:IP`: the table names no one. Rows older than the window are deleted as new ones come.
CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key_hash TEXT NOT NULL,
    at INTEGER NOT NULL -- seconds since 1970-01-01 UTC
);
CREATE INDEX login_failures_key ON login_failures (key_hash, at);
CREATE INDEX login_failures_at ON login_failures (at);
