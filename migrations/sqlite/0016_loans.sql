-- Soft-loan facilitation (SQLite): applications per cooperative or UMKM, moved through the
-- pipeline's stages (domain.md §8), each move kept as an event.
CREATE TABLE loan_applications (
    id INTEGER PRIMARY KEY,
    cooperative_id INTEGER REFERENCES cooperatives (id),
    umkm_id INTEGER REFERENCES umkm (id),
    kecamatan_code TEXT NOT NULL,
    channel TEXT NOT NULL,
    amount INTEGER NOT NULL,
    rate REAL,
    tenor_months INTEGER,
    purpose TEXT,
    stage TEXT NOT NULL,
    stage_on TEXT NOT NULL,
    rejected_reason TEXT,
    in_arrears INTEGER NOT NULL DEFAULT 0,
    applied_year INTEGER NOT NULL,
    version INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX loan_applications_cooperative ON loan_applications (cooperative_id);
CREATE INDEX loan_applications_umkm ON loan_applications (umkm_id);
CREATE INDEX loan_applications_board ON loan_applications (channel, stage, applied_year);

CREATE TABLE loan_stage_events (
    id INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES loan_applications (id),
    stage TEXT NOT NULL,
    on_date TEXT NOT NULL,
    note TEXT,
    actor_name TEXT NOT NULL,
    at TEXT NOT NULL
) STRICT;
CREATE INDEX loan_stage_events_application ON loan_stage_events (application_id, id);
