-- Values as reports state them (mignet-core::stated): a qualifier ("over 65,000"), the top of a range,
-- the currency of an amount of money, a percentage's numerator and denominator, a milestone's status
-- and date, a cumulative count and a number the brief writes as a word.
ALTER TABLE figures ADD COLUMN qualifier TEXT
    CHECK (qualifier IN ('over','more_than','at_least','nearly','almost','about','approximately','around','some','up_to','under'));
ALTER TABLE figures ADD COLUMN value_high DOUBLE PRECISION;
ALTER TABLE figures ADD COLUMN currency TEXT CHECK (length(currency) = 3);
ALTER TABLE figures ADD COLUMN numerator DOUBLE PRECISION CHECK (numerator >= 0);
ALTER TABLE figures ADD COLUMN denominator DOUBLE PRECISION CHECK (denominator > 0);
ALTER TABLE figures ADD COLUMN milestone TEXT
    CHECK (milestone IN ('planned','ongoing','achieved','not_achieved','delayed'));
ALTER TABLE figures ADD COLUMN milestone_date TEXT;
ALTER TABLE figures ADD COLUMN cumulative BIGINT NOT NULL DEFAULT 0 CHECK (cumulative IN (0,1));
ALTER TABLE figures ADD COLUMN in_words BIGINT NOT NULL DEFAULT 0 CHECK (in_words IN (0,1));
