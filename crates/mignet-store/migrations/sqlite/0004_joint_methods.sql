-- How a joint figure's value was obtained (mignet-core::joint): reported (typed jointly, the value of
-- every figure stored before), sum, max, declared_overlap or records, with the records counted and the
-- overlap where the method has them. Counts only: no pseudonym is ever stored.
ALTER TABLE figures ADD COLUMN joint_method TEXT NOT NULL DEFAULT 'reported'
    CHECK (joint_method IN ('reported','sum','max','declared_overlap','records'));
ALTER TABLE figures ADD COLUMN joint_records INTEGER CHECK (joint_records >= 0);
ALTER TABLE figures ADD COLUMN joint_overlap INTEGER CHECK (joint_overlap >= 0);
