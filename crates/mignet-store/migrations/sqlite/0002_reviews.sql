-- The review conversation on a figure: submissions, approvals, returns with their comments,
-- and the confirmations of each organisation named on a joint figure.
CREATE TABLE figure_reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    period TEXT NOT NULL, figure TEXT NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('submit','approve','return','confirm','reopen')),
    organisation TEXT, comment TEXT
);
CREATE INDEX figure_reviews_figure ON figure_reviews (period, figure);
-- Bumped by every write, so that caches of rendered pages know when to refresh.
CREATE TABLE store_generation (id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER NOT NULL);
INSERT INTO store_generation (id, generation) VALUES (1, 0);
