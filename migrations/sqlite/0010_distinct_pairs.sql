-- Pairs of cooperatives a user decided are different: never proposed as duplicates again (SQLite).
CREATE TABLE distinct_pairs (
    a_id INTEGER NOT NULL REFERENCES cooperatives (id),
    b_id INTEGER NOT NULL REFERENCES cooperatives (id),
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (a_id, b_id)
) STRICT;
