-- What a user decided for rows held back as possible duplicates (PostgreSQL).
CREATE TABLE import_decisions (
    upload_id BIGINT NOT NULL REFERENCES import_uploads (id),
    line BIGINT NOT NULL,
    decision TEXT NOT NULL,
    target_id BIGINT REFERENCES cooperatives (id),
    decided_by TEXT NOT NULL,
    PRIMARY KEY (upload_id, line)
);
