-- Two levels of approval, where a network wants them: an agency's approver (a focal point marked
-- `approves`) endorses its focal points' submitted figures before the network's coordinator approves
-- them. The step `endorse` joins the review log's actions; SQLite changes a CHECK constraint by
-- rebuilding the table, keeping every row and id.
-- The time zone the network's people read times in (an IANA name; UTC without one).
ALTER TABLE network ADD COLUMN time_zone TEXT;
ALTER TABLE network ADD COLUMN agency_approval INTEGER NOT NULL DEFAULT 0 CHECK (agency_approval IN (0,1));
ALTER TABLE users ADD COLUMN approves INTEGER NOT NULL DEFAULT 0 CHECK (approves IN (0,1));
CREATE TABLE figure_reviews_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    period TEXT NOT NULL, figure TEXT NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('submit','approve','return','confirm','reopen','endorse')),
    organisation TEXT, comment TEXT,
    content TEXT,
    same_person INTEGER NOT NULL DEFAULT 0 CHECK (same_person IN (0,1))
);
INSERT INTO figure_reviews_new (id, period, figure, at, actor, action, organisation, comment, content, same_person)
    SELECT id, period, figure, at, actor, action, organisation, comment, content, same_person FROM figure_reviews;
-- The numbering goes on where it was (the outbox reads the log after the last id it saw).
DELETE FROM sqlite_sequence WHERE name = 'figure_reviews_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'figure_reviews_new', seq FROM sqlite_sequence WHERE name = 'figure_reviews';
DROP TABLE figure_reviews;
ALTER TABLE figure_reviews_new RENAME TO figure_reviews;
CREATE INDEX figure_reviews_figure ON figure_reviews (period, figure);
