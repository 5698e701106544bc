//! Background jobs that must run once even when several app servers share the database
//! (today: the bulk status recompute, at start and every 6 hours).
//!
//! **Choice: a job table claimed by one conditional `UPDATE`, not an advisory lock.** Each
//! job has a row in `jobs` (`last_run_at`, `locked_by`, `locked_until`). A server claims it
//! with
//!
//! ```sql
//! UPDATE jobs SET locked_by = $me, locked_until = $now + lease
//!  WHERE name = $job AND (locked_until IS NULL OR locked_until < $now)
//!    AND (last_run_at IS NULL OR last_run_at <= $now - min_interval)
//! RETURNING name
//! ```
//!
//! The statement is atomic on both engines (PostgreSQL row lock: a concurrent claimer waits,
//! re-reads the row and no longer matches; SQLite: one writer at a time), so exactly one
//! server gets the row. The others skip. Unlike `pg_try_advisory_lock`, which only stops two
//! servers running *at the same moment*, the `last_run_at` condition also stops a server
//! that starts a minute after another from running the job again, and the lease
//! (`locked_until`) frees the job by itself when the holder dies mid-run. The same code
//! serves SQLite. Every run is recorded in `job_runs` (server, start, end, rows changed,
//! error) so an administrator — and the multi-server test — can see who ran what.
//!
//! Times come from the servers' clocks (bound from Rust, like every time in Kopra): the
//! servers' clocks should agree to well under the intervals used (minutes).

use crate::{Db, DbError, now, on_pool};
use serde::Serialize;
use time::{Date, Duration, OffsetDateTime};

/// The bulk status recompute (`Db::recompute_statuses`).
pub const STATUS_RECOMPUTE: &str = "status_recompute";

/// How long a claim holds a job; a server that dies mid-run frees it after this.
pub const JOB_LEASE: Duration = Duration::hours(1);

/// Why a server did not run a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// Another server holds the job now.
    Running { by: String, until: OffsetDateTime },
    /// It ran recently enough.
    NotDue { last_run_at: OffsetDateTime },
}

/// A job this server claimed: finish it with [`Db::finish_job`].
#[derive(Debug, Clone)]
pub struct JobClaim {
    pub job: String,
    pub server: String,
    pub started_at: OffsetDateTime,
}

/// What happened when a server tried a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobOutcome {
    Ran { changed: usize },
    Skipped(Skip),
}

/// One recorded run.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct JobRun {
    pub id: i64,
    pub job: String,
    pub server: String,
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub finished_at: OffsetDateTime,
    pub changed: i64,
    pub error: Option<String>,
}

impl Db {
    /// Claims `job` for `server` when nobody holds it and its last run is at least
    /// `min_interval` old; otherwise says why not.
    pub async fn claim_job(
        &self,
        job: &str,
        server: &str,
        min_interval: Duration,
    ) -> Result<Result<JobClaim, Skip>, DbError> {
        let t = now();
        on_pool!(self, p => sqlx::query("INSERT INTO jobs (name) VALUES ($1) ON CONFLICT (name) DO NOTHING")
            .bind(job).execute(p).await.map(|r| r.rows_affected()))?;
        let claimed: Option<String> = on_pool!(self, p => sqlx::query_scalar(
            "UPDATE jobs SET locked_by = $2, locked_until = $3 \
             WHERE name = $1 AND (locked_until IS NULL OR locked_until < $4) \
               AND (last_run_at IS NULL OR last_run_at <= $5) RETURNING name",
        ).bind(job).bind(server).bind(t + JOB_LEASE).bind(t).bind(t - min_interval).fetch_optional(p).await)?;
        if claimed.is_some() {
            return Ok(Ok(JobClaim {
                job: job.to_string(),
                server: server.to_string(),
                started_at: t,
            }));
        }
        let (last, by, until): (Option<OffsetDateTime>, Option<String>, Option<OffsetDateTime>) = on_pool!(self, p => sqlx::query_as(
            "SELECT last_run_at, locked_by, locked_until FROM jobs WHERE name = $1",
        ).bind(job).fetch_one(p).await)?;
        Ok(Err(match (by, until, last) {
            (Some(by), Some(until), _) if until >= t => Skip::Running { by, until },
            (_, _, Some(last_run_at)) => Skip::NotDue { last_run_at },
            // Freed between the two statements: report it as held by nobody known.
            _ => Skip::Running {
                by: String::new(),
                until: t,
            },
        }))
    }

    /// Ends a claim and records the run. A failed run (`error`) leaves `last_run_at` as it
    /// was, so the next attempt by any server runs the job again.
    pub async fn finish_job(&self, claim: &JobClaim, changed: usize, error: Option<&str>) -> Result<(), DbError> {
        let t = now();
        // A claim another server took over after the lease ran out is left alone.
        let set = if error.is_none() {
            "UPDATE jobs SET last_run_at = $3, locked_by = NULL, locked_until = NULL WHERE name = $1 AND locked_by = $2"
        } else {
            "UPDATE jobs SET locked_by = NULL, locked_until = NULL WHERE name = $1 AND locked_by = $2"
        };
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let q = sqlx::query(set).bind(&claim.job).bind(&claim.server);
            let q = if error.is_none() { q.bind(claim.started_at) } else { q };
            q.execute(&mut *tx).await?;
            sqlx::query("INSERT INTO job_runs (job, server, started_at, finished_at, changed, error) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(&claim.job).bind(&claim.server).bind(claim.started_at).bind(t)
                .bind(i64::try_from(changed).unwrap_or(i64::MAX)).bind(error.map(String::from))
                .execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The recorded runs of `job`, newest first (at most 1000).
    pub async fn job_runs(&self, job: &str) -> Result<Vec<JobRun>, DbError> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, JobRun>(
            "SELECT id, job, server, started_at, finished_at, changed, error FROM job_runs WHERE job = $1 ORDER BY id DESC LIMIT 1000",
        ).bind(job).fetch_all(p).await)?)
    }

    /// The status recompute as a job: runs it when this server can claim it (see the
    /// module documentation), records the run, and says what happened.
    pub async fn recompute_statuses_job(
        &self,
        server: &str,
        min_interval: Duration,
        today: Date,
    ) -> Result<JobOutcome, DbError> {
        let claim = match self.claim_job(STATUS_RECOMPUTE, server, min_interval).await? {
            Ok(c) => c,
            Err(skip) => return Ok(JobOutcome::Skipped(skip)),
        };
        match self.recompute_statuses(today).await {
            Ok(changed) => {
                self.finish_job(&claim, changed, None).await?;
                Ok(JobOutcome::Ran { changed })
            }
            Err(e) => {
                let _ = self.finish_job(&claim, 0, Some(&e.to_string())).await;
                Err(e)
            }
        }
    }
}
