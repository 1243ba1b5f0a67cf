-- Two levels of approval, where a network wants them: an agency's approver (a focal point marked
-- `approves`) endorses its focal points' submitted figures before the network's coordinator approves
-- them. The step `endorse` joins the review log's actions.
-- The time zone the network's people read times in (an IANA name; UTC without one).
ALTER TABLE network ADD COLUMN time_zone TEXT;
ALTER TABLE network ADD COLUMN agency_approval BIGINT NOT NULL DEFAULT 0 CHECK (agency_approval IN (0,1));
ALTER TABLE users ADD COLUMN approves BIGINT NOT NULL DEFAULT 0 CHECK (approves IN (0,1));
ALTER TABLE figure_reviews DROP CONSTRAINT figure_reviews_action_check;
ALTER TABLE figure_reviews ADD CONSTRAINT figure_reviews_action_check
    CHECK (action IN ('submit','approve','return','confirm','reopen','endorse'));
