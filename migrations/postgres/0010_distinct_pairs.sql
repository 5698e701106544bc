-- Pairs of cooperatives a user decided are different: never proposed as duplicates again (PostgreSQL).
CREATE TABLE distinct_pairs (
    a_id BIGINT NOT NULL REFERENCES cooperatives (id),
    b_id BIGINT NOT NULL REFERENCES cooperatives (id),
    decided_by TEXT NOT NULL,
    decided_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (a_id, b_id)
);
