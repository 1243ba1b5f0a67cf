-- Targets (mignet-core::progress): a target is annual (the period's own) or cumulative (everything
-- reported from the baseline year up to its period), and a period may have one of each, so the key
-- takes the kind; targets keep the order they were written in. SQLite cannot change a primary key:
-- the table is made again and its rows copied.
CREATE TABLE indicator_targets_0013 (
    indicator TEXT NOT NULL REFERENCES indicators(code), period TEXT NOT NULL, value REAL NOT NULL,
    cumulative INTEGER NOT NULL DEFAULT 0 CHECK (cumulative IN (0,1)),
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (indicator, period, cumulative)
);
INSERT INTO indicator_targets_0013 (indicator, period, value, cumulative, position)
    SELECT indicator, period, value, 0, 0 FROM indicator_targets;
DROP TABLE indicator_targets;
ALTER TABLE indicator_targets_0013 RENAME TO indicator_targets;
