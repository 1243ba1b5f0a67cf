-- Any country, any level of place (docs/dataset-format.md, "Places"): the network's countries (the
-- `country` column of `network` keeps the first), its own gazetteer of administrative areas with their
-- boundaries, and a figure's named sites and counted locations.
CREATE TABLE network_countries (
    code TEXT PRIMARY KEY, position BIGINT NOT NULL
);
CREATE TABLE gazetteer (
    pcode TEXT PRIMARY KEY, name TEXT NOT NULL, local_name TEXT, parent TEXT,
    level BIGINT NOT NULL CHECK (level BETWEEN 1 AND 3), position BIGINT NOT NULL
);
CREATE TABLE boundaries (
    id BIGINT PRIMARY KEY CHECK (id = 1), geojson TEXT NOT NULL
);
CREATE TABLE figure_sites (
    period TEXT NOT NULL, figure TEXT NOT NULL, site TEXT NOT NULL, position BIGINT NOT NULL,
    PRIMARY KEY (period, figure, site), FOREIGN KEY (period, figure) REFERENCES figures(period, id)
);
ALTER TABLE figures ADD COLUMN locations BIGINT CHECK (locations >= 1);
ALTER TABLE figures ADD COLUMN in_areas BIGINT CHECK (in_areas >= 1);
