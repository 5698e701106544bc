-- Column mappings saved under a name for the next file, and the mapping chosen for an upload (SQLite).
CREATE TABLE mapping_templates (
    name TEXT PRIMARY KEY,
    mapping TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
ALTER TABLE import_uploads ADD COLUMN mapping TEXT;
