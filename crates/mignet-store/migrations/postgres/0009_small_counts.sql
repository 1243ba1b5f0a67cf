-- Small counts that could identify people (mignet-core::disclosure): the network's threshold, and
-- which indicators are sensitive, with a threshold of their own where they set one.
ALTER TABLE network ADD COLUMN small_count_threshold BIGINT NOT NULL DEFAULT 10
    CHECK (small_count_threshold >= 1);
ALTER TABLE indicators ADD COLUMN sensitive BIGINT NOT NULL DEFAULT 0 CHECK (sensitive IN (0,1));
ALTER TABLE indicators ADD COLUMN small_count_threshold BIGINT CHECK (small_count_threshold >= 1);
