-- The results core: network, framework, pledges, working groups, periods and their figures, audit.
-- Portable types only (INTEGER, REAL, TEXT) so that one query text reads both databases.
CREATE TABLE network (
    code TEXT PRIMARY KEY, name TEXT NOT NULL, short_name TEXT NOT NULL, tagline TEXT, country TEXT NOT NULL
);
CREATE TABLE organisations (
    code TEXT PRIMARY KEY, short_name TEXT NOT NULL, name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('un_agency','government','ngo','coalition','other')),
    member INTEGER NOT NULL CHECK (member IN (0,1)), parent TEXT REFERENCES organisations(code),
    position INTEGER NOT NULL
);
CREATE TABLE roles (
    role TEXT NOT NULL CHECK (role IN ('coordinator','secretariat','co_chair')),
    organisation TEXT NOT NULL REFERENCES organisations(code), note TEXT, position INTEGER NOT NULL,
    PRIMARY KEY (role, organisation)
);
CREATE TABLE frameworks (version TEXT PRIMARY KEY, title TEXT);
CREATE TABLE priorities (code TEXT PRIMARY KEY, title TEXT NOT NULL, summary TEXT, position INTEGER NOT NULL);
CREATE TABLE outcomes (
    code TEXT PRIMARY KEY, priority TEXT NOT NULL REFERENCES priorities(code), statement TEXT NOT NULL,
    position INTEGER NOT NULL
);
CREATE TABLE indicators (
    code TEXT PRIMARY KEY, outcome TEXT NOT NULL REFERENCES outcomes(code), statement TEXT NOT NULL,
    unit TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('count','percentage','milestone')),
    figure_source_required INTEGER NOT NULL CHECK (figure_source_required IN (0,1)),
    baseline_value REAL, baseline_year INTEGER, baseline_note TEXT, position INTEGER NOT NULL
);
CREATE TABLE indicator_disaggregations (
    indicator TEXT NOT NULL REFERENCES indicators(code), key TEXT NOT NULL, label TEXT NOT NULL,
    position INTEGER NOT NULL, PRIMARY KEY (indicator, key)
);
CREATE TABLE indicator_places (
    indicator TEXT NOT NULL REFERENCES indicators(code), province TEXT NOT NULL, position INTEGER NOT NULL,
    PRIMARY KEY (indicator, province)
);
CREATE TABLE indicator_tags (
    indicator TEXT NOT NULL REFERENCES indicators(code), scheme TEXT NOT NULL CHECK (scheme IN ('gcm','sdg')),
    code TEXT NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (indicator, scheme, code)
);
CREATE TABLE indicator_targets (
    indicator TEXT NOT NULL REFERENCES indicators(code), period TEXT NOT NULL, value REAL NOT NULL,
    PRIMARY KEY (indicator, period)
);
CREATE TABLE pledges (
    id TEXT PRIMARY KEY, forum TEXT NOT NULL, made_by TEXT REFERENCES organisations(code), text TEXT NOT NULL,
    wording TEXT NOT NULL CHECK (wording IN ('verbatim','paraphrase')), source TEXT, position INTEGER NOT NULL
);
CREATE TABLE pledge_priorities (
    pledge TEXT NOT NULL REFERENCES pledges(id), priority TEXT NOT NULL REFERENCES priorities(code),
    PRIMARY KEY (pledge, priority)
);
CREATE TABLE working_groups (
    code TEXT PRIMARY KEY, name TEXT NOT NULL, established TEXT,
    status TEXT NOT NULL CHECK (status IN ('active','renamed','closed')), renamed_to TEXT, renamed_in TEXT,
    members_note TEXT, description TEXT NOT NULL, position INTEGER NOT NULL
);
CREATE TABLE working_group_members (
    grp TEXT NOT NULL REFERENCES working_groups(code), organisation TEXT NOT NULL REFERENCES organisations(code),
    role TEXT NOT NULL CHECK (role IN ('co_chair','secretariat','member')), position INTEGER NOT NULL,
    PRIMARY KEY (grp, organisation, role)
);
CREATE TABLE periods (
    code TEXT PRIMARY KEY, title TEXT NOT NULL, starts TEXT, ends TEXT,
    status TEXT NOT NULL CHECK (status IN ('open','closed')), framework TEXT NOT NULL REFERENCES frameworks(version),
    introduction TEXT
);
CREATE TABLE sections (
    period TEXT NOT NULL REFERENCES periods(code), position INTEGER NOT NULL,
    priority TEXT REFERENCES priorities(code), outcome TEXT REFERENCES outcomes(code),
    kind TEXT NOT NULL CHECK (kind IN ('context','lead','ways_forward','closing')), text TEXT NOT NULL,
    PRIMARY KEY (period, position)
);
CREATE TABLE footnotes (
    period TEXT NOT NULL REFERENCES periods(code), id TEXT NOT NULL, marker TEXT, text TEXT NOT NULL,
    position INTEGER NOT NULL, PRIMARY KEY (period, id)
);
CREATE TABLE statistics (
    period TEXT NOT NULL REFERENCES periods(code), id TEXT NOT NULL, label TEXT NOT NULL, value REAL NOT NULL,
    unit TEXT, display TEXT NOT NULL CHECK (display IN ('plain','millions','percent')), qualifier TEXT,
    source TEXT NOT NULL, source_org TEXT REFERENCES organisations(code), as_of TEXT, footnote TEXT,
    position INTEGER NOT NULL, PRIMARY KEY (period, id)
);
CREATE TABLE derived (
    period TEXT NOT NULL REFERENCES periods(code), id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('percent_change','difference','share','coverage')),
    a TEXT NOT NULL, b TEXT NOT NULL, decimals INTEGER NOT NULL, position INTEGER NOT NULL,
    PRIMARY KEY (period, id)
);
CREATE TABLE claims (
    period TEXT NOT NULL REFERENCES periods(code), id TEXT NOT NULL, derived TEXT NOT NULL,
    published REAL NOT NULL, text TEXT NOT NULL, location TEXT, position INTEGER NOT NULL,
    PRIMARY KEY (period, id)
);
CREATE TABLE figures (
    period TEXT NOT NULL REFERENCES periods(code), id TEXT NOT NULL,
    indicator TEXT NOT NULL REFERENCES indicators(code),
    value_kind TEXT NOT NULL CHECK (value_kind IN ('count','percentage','milestone')),
    value_count INTEGER CHECK (value_count >= 0), value_percent REAL, achieved INTEGER,
    note TEXT, evidence TEXT,
    status TEXT NOT NULL CHECK (status IN ('draft','submitted','approved','returned')),
    status_by TEXT, status_at TEXT, version INTEGER NOT NULL DEFAULT 1, position INTEGER NOT NULL,
    PRIMARY KEY (period, id)
);
CREATE TABLE figure_organisations (
    period TEXT NOT NULL, figure TEXT NOT NULL, organisation TEXT NOT NULL REFERENCES organisations(code),
    position INTEGER NOT NULL, PRIMARY KEY (period, figure, organisation),
    FOREIGN KEY (period, figure) REFERENCES figures(period, id)
);
CREATE TABLE figure_parts (
    period TEXT NOT NULL, figure TEXT NOT NULL, key TEXT NOT NULL, value INTEGER NOT NULL CHECK (value >= 0),
    PRIMARY KEY (period, figure, key), FOREIGN KEY (period, figure) REFERENCES figures(period, id)
);
CREATE TABLE figure_places (
    period TEXT NOT NULL, figure TEXT NOT NULL, province TEXT NOT NULL, position INTEGER NOT NULL,
    PRIMARY KEY (period, figure, province), FOREIGN KEY (period, figure) REFERENCES figures(period, id)
);
CREATE TABLE figure_footnotes (
    period TEXT NOT NULL, figure TEXT NOT NULL, footnote TEXT NOT NULL, position INTEGER NOT NULL,
    PRIMARY KEY (period, figure, footnote), FOREIGN KEY (period, figure) REFERENCES figures(period, id)
);
CREATE TABLE lines (
    period TEXT NOT NULL REFERENCES periods(code), position INTEGER NOT NULL,
    outcome TEXT NOT NULL REFERENCES outcomes(code), text TEXT NOT NULL, PRIMARY KEY (period, position)
);
CREATE TABLE line_figures (
    period TEXT NOT NULL, line INTEGER NOT NULL, figure TEXT NOT NULL, position INTEGER NOT NULL,
    PRIMARY KEY (period, line, figure), FOREIGN KEY (period, line) REFERENCES lines(period, position),
    FOREIGN KEY (period, figure) REFERENCES figures(period, id)
);
-- Every change, with the item as it was and as it became (JSON text), so nothing changes without a trace.
CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('create','update','delete','status')),
    entity TEXT NOT NULL, entity_key TEXT NOT NULL, before TEXT, after TEXT
);
CREATE INDEX audit_entity ON audit (entity, entity_key);
