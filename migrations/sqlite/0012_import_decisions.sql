-- What a user decided for rows held back as possible duplicates (SQLite).
CREATE TABLE import_decisions (
    upload_id INTEGER NOT NULL REFERENCES import_uploads (id),
    line INTEGER NOT NULL,
    decision TEXT NOT NULL,
    target_id INTEGER REFERENCES cooperatives (id),
    decided_by TEXT NOT NULL,
    PRIMARY KEY (upload_id, line)
) STRICT;
