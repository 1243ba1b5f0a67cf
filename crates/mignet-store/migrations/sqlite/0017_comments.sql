-- The thread of a figure under review: what its focal points and the coordinators say about it
-- between review steps (a step's own comment stays on the step, in figure_reviews). Written once,
-- never changed. `after_review` is the id of the figure's last review step when the comment was
-- written (0 before any), so that the thread reads in the order things happened.
CREATE TABLE figure_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    period TEXT NOT NULL,
    figure TEXT NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    text TEXT NOT NULL,
    after_review INTEGER NOT NULL
);
CREATE INDEX figure_comments_figure ON figure_comments (period, figure, id);
