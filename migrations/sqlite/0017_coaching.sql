-- Coaching (SQLite): the office's visits and trainings of cooperatives and UMKM, and the
-- follow-up actions agreed at them. A visit concerns one cooperative or one UMKM; a general
-- training neither. `held_on` NULL means planned, not yet held. `kecamatan_code` is copied
-- from the cooperative or UMKM for the counts per kecamatan.
CREATE TABLE coaching_visits (
    id INTEGER PRIMARY KEY,
    cooperative_id INTEGER REFERENCES cooperatives (id),
    umkm_id INTEGER REFERENCES umkm (id),
    kind TEXT NOT NULL,
    visit_type TEXT NOT NULL,
    planned_on TEXT NOT NULL,
    held_on TEXT,
    officer_user_id INTEGER REFERENCES users (id),
    officer_name TEXT NOT NULL,
    kecamatan_code TEXT,
    title TEXT NOT NULL,
    findings TEXT,
    participants INTEGER,
    source TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL
) STRICT;
CREATE INDEX coaching_visits_officer ON coaching_visits (officer_user_id, planned_on);
CREATE INDEX coaching_visits_cooperative ON coaching_visits (cooperative_id);
CREATE INDEX coaching_visits_umkm ON coaching_visits (umkm_id);
CREATE INDEX coaching_visits_kecamatan ON coaching_visits (kecamatan_code, visit_type);

CREATE TABLE coaching_follow_ups (
    id INTEGER PRIMARY KEY,
    visit_id INTEGER NOT NULL REFERENCES coaching_visits (id),
    action TEXT NOT NULL,
    due_on TEXT NOT NULL,
    status TEXT NOT NULL,
    done_on TEXT,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX coaching_follow_ups_visit ON coaching_follow_ups (visit_id);
CREATE INDEX coaching_follow_ups_open ON coaching_follow_ups (status, due_on);
