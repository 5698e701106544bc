-- Awards (SQLite): award programmes per year (Hari Koperasi, 12 July) with their criteria
-- frozen once scoring starts, jurors, nominations with upward nomination, and each
-- juror's scores (the audit log keeps every version of a score).
CREATE TABLE award_programmes (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    name TEXT NOT NULL,
    event_date TEXT NOT NULL,
    categories TEXT NOT NULL,
    criteria TEXT NOT NULL,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX award_programmes_year ON award_programmes (year);

CREATE TABLE award_jurors (
    programme_id INTEGER NOT NULL REFERENCES award_programmes (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    username TEXT NOT NULL,
    PRIMARY KEY (programme_id, user_id)
) STRICT;

CREATE TABLE award_nominations (
    id INTEGER PRIMARY KEY,
    programme_id INTEGER NOT NULL REFERENCES award_programmes (id),
    cooperative_id INTEGER NOT NULL REFERENCES cooperatives (id),
    category TEXT NOT NULL,
    nominated_by TEXT NOT NULL,
    note TEXT,
    upward_level TEXT,
    upward_at TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (programme_id, cooperative_id, category)
) STRICT;
CREATE INDEX award_nominations_cooperative ON award_nominations (cooperative_id);

CREATE TABLE award_scores (
    nomination_id INTEGER NOT NULL REFERENCES award_nominations (id),
    juror_user_id INTEGER NOT NULL REFERENCES users (id),
    juror_name TEXT NOT NULL,
    "values" TEXT NOT NULL,
    total REAL NOT NULL,
    scored_at TEXT NOT NULL,
    PRIMARY KEY (nomination_id, juror_user_id)
) STRICT;
