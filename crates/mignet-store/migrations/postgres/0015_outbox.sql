-- Messages of the reporting cycle (mignet_core::notify). Each is written here first and sent from here
-- until the mail server accepts it, so that none is lost while it is down. `key` names the message's
-- cause and recipient: one row per key, however many processes see the cause. A sender claims a row
-- for a while (`lease_until`, seconds since 1970-01-01 UTC) before it sends it, so that two servers on
-- one store never send it twice; a failed send is tried again from `next_attempt_at`.
CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    next_attempt_at BIGINT NOT NULL DEFAULT 0,
    lease_until BIGINT NOT NULL DEFAULT 0,
    sent_at TEXT
);
CREATE INDEX outbox_unsent ON outbox (next_attempt_at) WHERE sent_at IS NULL;
CREATE INDEX outbox_recipient ON outbox (recipient, id);
-- How far the review log and the audit trail have been read for messages. A new store starts at
-- their end: what happened before messages existed is not announced.
CREATE TABLE outbox_cursor (source TEXT PRIMARY KEY, last_id BIGINT NOT NULL);
INSERT INTO outbox_cursor (source, last_id) SELECT 'reviews', COALESCE(MAX(id), 0) FROM figure_reviews;
INSERT INTO outbox_cursor (source, last_id) SELECT 'audit', COALESCE(MAX(id), 0) FROM audit;
