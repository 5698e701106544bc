-- Which petugas follows up which cooperative on the activation worklist (PostgreSQL).
CREATE TABLE worklist_assignments (
    cooperative_id BIGINT PRIMARY KEY REFERENCES cooperatives (id),
    user_id BIGINT REFERENCES users (id),
    assigned_by_name TEXT NOT NULL,
    assigned_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX worklist_assignments_user ON worklist_assignments (user_id);
