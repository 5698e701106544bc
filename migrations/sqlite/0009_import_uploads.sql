-- Uploaded files waiting for commit (shared by every app server), and undoing a batch (SQLite).
CREATE TABLE import_uploads (
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    sheet TEXT,
    data BLOB NOT NULL,
    uploaded_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    batch_id INTEGER REFERENCES import_batches (id)
) STRICT;
ALTER TABLE import_batches ADD COLUMN undone_at TEXT;
ALTER TABLE import_batches ADD COLUMN undone_by TEXT;
