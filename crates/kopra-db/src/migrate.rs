//! Migrations: one folder per engine (`migrations/sqlite`, `migrations/postgres`) with the
//! same file names, embedded in the binary and applied in order, each in a transaction.

use crate::{Db, DbError, now, on_pool};

/// `(name, sqlite SQL, postgres SQL)` in order. A test checks this list against the folders.
pub const MIGRATIONS: &[(&str, &str, &str)] = &[
    (
        "0001_init",
        include_str!("../../../migrations/sqlite/0001_init.sql"),
        include_str!("../../../migrations/postgres/0001_init.sql"),
    ),
    (
        "0002_change_proposals",
        include_str!("../../../migrations/sqlite/0002_change_proposals.sql"),
        include_str!("../../../migrations/postgres/0002_change_proposals.sql"),
    ),
    (
        "0003_annual_reports_and_status",
        include_str!("../../../migrations/sqlite/0003_annual_reports_and_status.sql"),
        include_str!("../../../migrations/postgres/0003_annual_reports_and_status.sql"),
    ),
    (
        "0004_worklist_assignments",
        include_str!("../../../migrations/sqlite/0004_worklist_assignments.sql"),
        include_str!("../../../migrations/postgres/0004_worklist_assignments.sql"),
    ),
    (
        "0005_health_assessments",
        include_str!("../../../migrations/sqlite/0005_health_assessments.sql"),
        include_str!("../../../migrations/postgres/0005_health_assessments.sql"),
    ),
    (
        "0006_report_attachments",
        include_str!("../../../migrations/sqlite/0006_report_attachments.sql"),
        include_str!("../../../migrations/postgres/0006_report_attachments.sql"),
    ),
    (
        "0007_report_review",
        include_str!("../../../migrations/sqlite/0007_report_review.sql"),
        include_str!("../../../migrations/postgres/0007_report_review.sql"),
    ),
    (
        "0008_import_batches",
        include_str!("../../../migrations/sqlite/0008_import_batches.sql"),
        include_str!("../../../migrations/postgres/0008_import_batches.sql"),
    ),
    (
        "0009_import_uploads",
        include_str!("../../../migrations/sqlite/0009_import_uploads.sql"),
        include_str!("../../../migrations/postgres/0009_import_uploads.sql"),
    ),
    (
        "0010_distinct_pairs",
        include_str!("../../../migrations/sqlite/0010_distinct_pairs.sql"),
        include_str!("../../../migrations/postgres/0010_distinct_pairs.sql"),
    ),
    (
        "0011_campaigns",
        include_str!("../../../migrations/sqlite/0011_campaigns.sql"),
        include_str!("../../../migrations/postgres/0011_campaigns.sql"),
    ),
    (
        "0012_import_decisions",
        include_str!("../../../migrations/sqlite/0012_import_decisions.sql"),
        include_str!("../../../migrations/postgres/0012_import_decisions.sql"),
    ),
    (
        "0013_mapping_templates",
        include_str!("../../../migrations/sqlite/0013_mapping_templates.sql"),
        include_str!("../../../migrations/postgres/0013_mapping_templates.sql"),
    ),
    (
        "0014_board",
        include_str!("../../../migrations/sqlite/0014_board.sql"),
        include_str!("../../../migrations/postgres/0014_board.sql"),
    ),
    (
        "0015_strengthening",
        include_str!("../../../migrations/sqlite/0015_strengthening.sql"),
        include_str!("../../../migrations/postgres/0015_strengthening.sql"),
    ),
    (
        "0016_loans",
        include_str!("../../../migrations/sqlite/0016_loans.sql"),
        include_str!("../../../migrations/postgres/0016_loans.sql"),
    ),
    (
        "0017_coaching",
        include_str!("../../../migrations/sqlite/0017_coaching.sql"),
        include_str!("../../../migrations/postgres/0017_coaching.sql"),
    ),
    (
        "0018_awards",
        include_str!("../../../migrations/sqlite/0018_awards.sql"),
        include_str!("../../../migrations/postgres/0018_awards.sql"),
    ),
    (
        "0019_jobs",
        include_str!("../../../migrations/sqlite/0019_jobs.sql"),
        include_str!("../../../migrations/postgres/0019_jobs.sql"),
    ),
    (
        "0020_status_counts",
        include_str!("../../../migrations/sqlite/0020_status_counts.sql"),
        include_str!("../../../migrations/postgres/0020_status_counts.sql"),
    ),
    (
        "0022_list_kabkota",
        include_str!("../../../migrations/sqlite/0022_list_kabkota.sql"),
        include_str!("../../../migrations/postgres/0022_list_kabkota.sql"),
    ),
    (
        "0023_import_reports",
        include_str!("../../../migrations/sqlite/0023_import_reports.sql"),
        include_str!("../../../migrations/postgres/0023_import_reports.sql"),
    ),
    (
        "0024_instr",
        include_str!("../../../migrations/sqlite/0024_instr.sql"),
        include_str!("../../../migrations/postgres/0024_instr.sql"),
    ),
    (
        "0025_umkm_identity",
        include_str!("../../../migrations/sqlite/0025_umkm_identity.sql"),
        include_str!("../../../migrations/postgres/0025_umkm_identity.sql"),
    ),
    (
        "0026_kecamatan_search",
        include_str!("../../../migrations/sqlite/0026_kecamatan_search.sql"),
        include_str!("../../../migrations/postgres/0026_kecamatan_search.sql"),
    ),
];

const CREATE_TABLE: &str =
    "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)";

/// The key of the PostgreSQL advisory lock that first-start setup (migrations, loading the
/// region reference) holds, so that several servers starting at once on an empty database
/// take turns instead of racing ("kopra" in ASCII, then 1).
pub const SETUP_LOCK_KEY: i64 = 0x6b6f_7072_6101;

/// A session-level advisory lock held on a connection of its own (taken out of the pool,
/// so the lock ends with the connection even if the holder is cancelled or crashes).
/// SQLite needs none: one file, writers wait on each other through `busy_timeout`.
pub(crate) struct SetupLock(Option<sqlx::PgConnection>);

impl SetupLock {
    pub(crate) async fn release(self) {
        if let Some(mut conn) = self.0 {
            let _ = sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(SETUP_LOCK_KEY)
                .execute(&mut conn)
                .await;
            use sqlx::Connection;
            let _ = conn.close().await;
        }
    }
}

impl Db {
    /// Waits for the setup lock (PostgreSQL; a no-op on SQLite).
    pub(crate) async fn setup_lock(&self) -> Result<SetupLock, DbError> {
        match self {
            Db::Sqlite(_) => Ok(SetupLock(None)),
            Db::Postgres(p) => {
                let mut conn = p.acquire().await?.detach();
                sqlx::query("SELECT pg_advisory_lock($1)")
                    .bind(SETUP_LOCK_KEY)
                    .execute(&mut conn)
                    .await?;
                Ok(SetupLock(Some(conn)))
            }
        }
    }

    /// Applies every migration not yet applied. Returns the names applied now. On
    /// PostgreSQL the whole run holds [`SETUP_LOCK_KEY`]: a second server starting at the
    /// same moment waits, then finds the migrations applied.
    pub async fn migrate(&self) -> Result<Vec<&'static str>, DbError> {
        let lock = self.setup_lock().await?;
        let result = self.migrate_locked().await;
        lock.release().await;
        result
    }

    async fn migrate_locked(&self) -> Result<Vec<&'static str>, DbError> {
        on_pool!(self, p => sqlx::query(CREATE_TABLE).execute(p).await.map(|r| r.rows_affected()))?;
        let done: Vec<String> =
            on_pool!(self, p => sqlx::query_scalar("SELECT name FROM schema_migrations").fetch_all(p).await)?;
        let mut applied = Vec::new();
        for (name, sqlite, postgres) in MIGRATIONS {
            if done.iter().any(|d| d == name) {
                continue;
            }
            let stamp = now().to_string();
            let sql = match self {
                Db::Sqlite(_) => *sqlite,
                Db::Postgres(_) => *postgres,
            };
            let result: Result<(), sqlx::Error> = on_pool!(self, p => async {
                let mut tx = p.begin().await?;
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut *tx).await?;
                sqlx::query("INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)")
                    .bind(*name)
                    .bind(&stamp)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await
            }
            .await);
            result.map_err(|e| DbError::Migration(name.to_string(), e.to_string()))?;
            applied.push(*name);
        }
        Ok(applied)
    }
}
