//! Kopra's storage: one code path over SQLite (embedded default) and PostgreSQL.
//!
//! [`Db`] holds a pool of either engine; [`on_pool!`] runs the same SQL text on whichever
//! it is (portable SQL, `$1` placeholders, times bound from Rust). Every write goes
//! through a repository function that writes its audit row in the same transaction.

pub mod annual_reports;
pub mod attachments;
pub mod audit;
pub mod awards;
pub mod campaigns;
pub mod coaching;
pub mod coalitions;
pub mod cooperative_list;
pub mod cooperatives;
pub mod demo;
pub mod demo_umkm;
pub mod error;
pub mod health;
pub mod import;
pub mod jobs;
pub mod loans;
pub mod matches;
pub mod migrate;
pub mod ods_export;
pub mod proposals;
pub mod regions;
pub mod report_import;
pub mod sessions;
pub mod settings;
pub mod status;
pub mod umkm;
pub mod umkm_import;
pub mod umkm_stream_import;
pub mod users;
pub mod worklist;

pub use error::DbError;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;
use time::OffsetDateTime;

/// A pool of one of the two engines.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the engine's pool; the body is compiled once per
/// engine, so the same SQL text serves both.
#[macro_export]
macro_rules! on_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::Db::Sqlite($pool) => $body,
            $crate::Db::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body` (an expression using the pooled connection `$conn`) with SQLite's page cache
/// raised to 256 MB, then puts it back whatever `$body` gave. An import is one large
/// transaction: with the default 2 MB SQLite spills half-built pages into the WAL and reads
/// them back again (perf: most of a UMKM import's time in `pwrite` and `pread`).
macro_rules! with_import_cache {
    ($sqlite:expr, $conn:ident, $body:expr) => {{
        let before: Option<i64> = if $sqlite {
            let b: i64 = sqlx::query_scalar("PRAGMA cache_size").fetch_one(&mut *$conn).await?;
            sqlx::query("PRAGMA cache_size = -262144").execute(&mut *$conn).await?;
            Some(b)
        } else {
            None
        };
        let out = $body;
        if let Some(b) = before {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA cache_size = {b}")))
                .execute(&mut *$conn)
                .await;
        }
        out
    }};
}
pub(crate) use with_import_cache;

/// Who does something: a user, or the system itself (`user_id` absent).
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub name: String,
    pub ip: Option<String>,
}

impl Actor {
    pub fn system() -> Self {
        Actor {
            user_id: None,
            name: "system".into(),
            ip: None,
        }
    }
}

/// Now, to the microsecond (what PostgreSQL keeps), in UTC.
pub fn now() -> OffsetDateTime {
    let t = OffsetDateTime::now_utc();
    t.replace_nanosecond(t.nanosecond() / 1000 * 1000).unwrap_or(t)
}

impl Db {
    /// Opens `url` when given (`postgres://…` or `sqlite://…`), else `DATA_DIR/kopra.db`.
    pub async fn connect(url: Option<&str>, data_dir: &Path) -> Result<Db, DbError> {
        match url {
            Some(u) if u.starts_with("postgres://") || u.starts_with("postgresql://") => {
                let opts = PgConnectOptions::from_str(u).map_err(|e| DbError::Connect(e.to_string()))?;
                // One direct connection first, so a wrong address or password is reported as
                // such at once rather than as a pool timeout.
                use sqlx::Connection;
                let probe = sqlx::PgConnection::connect_with(&opts)
                    .await
                    .map_err(|e| DbError::Connect(e.to_string()))?;
                let _ = probe.close().await;
                let pool = PgPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(opts)
                    .await
                    .map_err(|e| DbError::Connect(e.to_string()))?;
                Ok(Db::Postgres(pool))
            }
            Some(u) if u.starts_with("sqlite:") => {
                let opts = SqliteConnectOptions::from_str(u).map_err(|e| DbError::Connect(e.to_string()))?;
                Self::open_sqlite(opts.create_if_missing(true)).await
            }
            Some(other) => Err(DbError::Connect(format!(
                "unsupported database URL {other:?}: use postgres://… or sqlite://…"
            ))),
            None => {
                std::fs::create_dir_all(data_dir)
                    .map_err(|e| DbError::Connect(format!("cannot create {}: {e}", data_dir.display())))?;
                let opts = SqliteConnectOptions::new()
                    .filename(data_dir.join("kopra.db"))
                    .create_if_missing(true);
                Self::open_sqlite(opts).await
            }
        }
    }

    async fn open_sqlite(opts: SqliteConnectOptions) -> Result<Db, DbError> {
        let opts = opts
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        // An embedded connection cannot go stale: no ping before each checkout (sqlx's
        // default sends one to the connection's thread and waits for the answer).
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .test_before_acquire(false)
            .connect_with(opts)
            .await
            .map_err(|e| DbError::Connect(e.to_string()))?;
        Ok(Db::Sqlite(pool))
    }

    pub fn engine(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// True when the database answers.
    pub async fn ping(&self) -> bool {
        on_pool!(self, p => sqlx::query("SELECT 1").execute(p).await.is_ok())
    }

    pub async fn close(&self) {
        on_pool!(self, p => p.close().await)
    }
}
