-- Confirmations bind to content. Each review step records the SHA-256 of the figure's content it was
-- taken on (the figure without its status, who set it and when): a partner's confirmation of a joint
-- figure holds only while the figure has exactly that content. `same_person` marks an approval by the
-- person who entered or imported the figure's content (separation of duties, shown in the trail).
ALTER TABLE figure_reviews ADD COLUMN content TEXT;
ALTER TABLE figure_reviews ADD COLUMN same_person BIGINT NOT NULL DEFAULT 0 CHECK (same_person IN (0,1));
-- A network may require that a figure is approved by someone other than the person who entered it.
ALTER TABLE network ADD COLUMN separation_of_duties BIGINT NOT NULL DEFAULT 0 CHECK (separation_of_duties IN (0,1));
