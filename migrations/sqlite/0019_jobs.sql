-- Background jobs (SQLite): one row per job (status recomputation, …) that an app server
-- claims before running it, so several servers run it once; and one row per run.
CREATE TABLE jobs (
    name TEXT PRIMARY KEY,
    last_run_at TEXT,
    locked_by TEXT,
    locked_until TEXT
) STRICT;

CREATE TABLE job_runs (
    id INTEGER PRIMARY KEY,
    job TEXT NOT NULL REFERENCES jobs (name),
    server TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    changed INTEGER NOT NULL,
    error TEXT
) STRICT;
CREATE INDEX job_runs_job ON job_runs (job, started_at);
