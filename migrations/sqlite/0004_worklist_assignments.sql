-- Which petugas follows up which cooperative on the activation worklist (SQLite).
CREATE TABLE worklist_assignments (
    cooperative_id INTEGER PRIMARY KEY REFERENCES cooperatives (id),
    user_id INTEGER REFERENCES users (id),
    assigned_by_name TEXT NOT NULL,
    assigned_at TEXT NOT NULL
) STRICT;
CREATE INDEX worklist_assignments_user ON worklist_assignments (user_id);
