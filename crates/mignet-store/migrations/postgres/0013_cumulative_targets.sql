-- Targets (mignet-core::progress): a target is annual (the period's own) or cumulative (everything
-- reported from the baseline year up to its period), and a period may have one of each, so the key
-- takes the kind; targets keep the order they were written in.
ALTER TABLE indicator_targets ADD COLUMN cumulative BIGINT NOT NULL DEFAULT 0
    CHECK (cumulative IN (0,1));
ALTER TABLE indicator_targets ADD COLUMN position BIGINT NOT NULL DEFAULT 0;
ALTER TABLE indicator_targets DROP CONSTRAINT indicator_targets_pkey;
ALTER TABLE indicator_targets ADD PRIMARY KEY (indicator, period, cumulative);
