-- Reporting rounds (mignet_core::completeness): when a period opens, when its figures are due and when
-- its edition is published, and which organisation reports on which indicator. Assignments belong to
-- their period and are written and deleted with it; the dataset's rules keep their codes known.
ALTER TABLE periods ADD COLUMN opens TEXT;
ALTER TABLE periods ADD COLUMN due TEXT;
ALTER TABLE periods ADD COLUMN publishes TEXT;
CREATE TABLE period_assignments (
    period TEXT NOT NULL REFERENCES periods(code) DEFERRABLE, organisation TEXT NOT NULL, indicator TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (period, organisation, indicator)
);
