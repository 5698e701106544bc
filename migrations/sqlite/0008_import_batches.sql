-- Import batches: who imported which file, how, with what result; and what each row did (SQLite).
CREATE TABLE import_batches (
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    sheet TEXT NOT NULL,
    mapping TEXT NOT NULL,
    summary TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE import_batch_rows (
    id INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES import_batches (id),
    line INTEGER NOT NULL,
    cooperative_id INTEGER REFERENCES cooperatives (id),
    action TEXT NOT NULL,
    from_version INTEGER
) STRICT;
CREATE INDEX import_batch_rows_batch ON import_batch_rows (batch_id, line);
