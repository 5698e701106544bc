-- Changes a cooperative's pengurus proposes, for the office to apply or reject (SQLite).
CREATE TABLE change_proposals (
    id INTEGER PRIMARY KEY,
    cooperative_id INTEGER NOT NULL REFERENCES cooperatives (id),
    base_version INTEGER NOT NULL,
    proposed TEXT NOT NULL,
    changes TEXT NOT NULL,
    note TEXT,
    status TEXT NOT NULL,
    proposed_by INTEGER NOT NULL REFERENCES users (id),
    proposed_by_name TEXT NOT NULL,
    proposed_at TEXT NOT NULL,
    decided_by_name TEXT,
    decided_at TEXT,
    decision_note TEXT
) STRICT;
CREATE INDEX change_proposals_cooperative ON change_proposals (cooperative_id, status);
CREATE INDEX change_proposals_status ON change_proposals (status, id);
