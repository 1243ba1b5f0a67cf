-- Published editions of a period: its files frozen as they were published, served unchanged ever
-- after. A correction makes the next number; `errata` (JSON) names what changed from the one
-- before, and `lines` (JSON) what the edition's figures said, for the next edition to compare with.
-- `content_hash` is the SHA-256 of the files' names and hashes (mignet-app's edition.rs).
CREATE TABLE editions (
    period TEXT NOT NULL,
    number INTEGER NOT NULL,
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    lines TEXT NOT NULL,
    errata TEXT NOT NULL,
    PRIMARY KEY (period, number)
);
CREATE TABLE edition_files (
    period TEXT NOT NULL,
    number INTEGER NOT NULL,
    name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (period, number, name),
    FOREIGN KEY (period, number) REFERENCES editions (period, number)
);
