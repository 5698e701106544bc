-- Annual reports (RAT), legal states set by decree, and each cooperative's current status (SQLite).
CREATE TABLE annual_reports (
    id INTEGER PRIMARY KEY,
    cooperative_id INTEGER NOT NULL REFERENCES cooperatives (id),
    book_year INTEGER NOT NULL,
    rat_date TEXT,
    reported_date TEXT,
    report_channel TEXT,
    members_male INTEGER,
    members_female INTEGER,
    members_total INTEGER,
    pengurus INTEGER,
    pengawas INTEGER,
    managers_male INTEGER,
    managers_female INTEGER,
    employees_male INTEGER,
    employees_female INTEGER,
    simpanan_pokok INTEGER,
    simpanan_wajib INTEGER,
    modal_sendiri INTEGER,
    modal_luar INTEGER,
    modal_penyertaan INTEGER,
    assets INTEGER,
    business_volume INTEGER,
    shu INTEGER,
    savings_received INTEGER,
    loans_given INTEGER,
    source TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (cooperative_id, book_year)
) STRICT;
CREATE INDEX annual_reports_rat ON annual_reports (cooperative_id, rat_date);

CREATE TABLE annual_report_versions (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES annual_reports (id),
    version INTEGER NOT NULL,
    action TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    changes TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    at TEXT NOT NULL,
    UNIQUE (report_id, version)
) STRICT;

CREATE TABLE legal_states (
    id INTEGER PRIMARY KEY,
    cooperative_id INTEGER NOT NULL REFERENCES cooperatives (id),
    status TEXT NOT NULL,
    decree_number TEXT NOT NULL,
    decree_date TEXT NOT NULL,
    note TEXT,
    actor_name TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX legal_states_cooperative ON legal_states (cooperative_id, id);

ALTER TABLE cooperatives ADD COLUMN status TEXT NOT NULL DEFAULT 'no_data';
ALTER TABLE cooperatives ADD COLUMN status_since TEXT;
ALTER TABLE cooperatives ADD COLUMN last_rat_date TEXT;
CREATE INDEX cooperatives_status ON cooperatives (status, kecamatan_code);
