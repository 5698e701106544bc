-- Health assessments of savings-and-loan cooperatives; every save is kept (SQLite).
CREATE TABLE health_assessments (
    id INTEGER PRIMARY KEY,
    cooperative_id INTEGER NOT NULL REFERENCES cooperatives (id),
    book_year INTEGER NOT NULL,
    regulation TEXT NOT NULL,
    answers TEXT NOT NULL,
    result TEXT NOT NULL,
    total REAL NOT NULL,
    category TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX health_assessments_cooperative ON health_assessments (cooperative_id, book_year, id);
