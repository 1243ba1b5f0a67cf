-- The dataset's texts in other languages (docs/translations.md). A translation is keyed by its
-- language and the text it translates; the key holds the text's SHA-256 (hex) rather than the text,
-- which may be paragraphs long, longer than an index entry may be.
CREATE TABLE translations (
    lang TEXT NOT NULL, digest TEXT NOT NULL, source TEXT NOT NULL, text TEXT NOT NULL,
    PRIMARY KEY (lang, digest)
);
