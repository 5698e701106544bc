//! Storage errors. Each maps to one HTTP status in the web crate.

use crate::cooperatives::CooperativeRecord;
use kopra_domain::FieldErrors;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot open the database: {0}")]
    Connect(String),
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migration {0} failed: {1}")]
    Migration(String, String),
    #[error("not found")]
    NotFound,
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// A unique value (a NIK, a username) is already used.
    #[error("already exists")]
    Duplicate(FieldErrors),
    /// The edit started from an older version; the current record is attached.
    #[error("stale version")]
    StaleVersion(Box<CooperativeRecord>),
    /// An annual report changed since the edit started; the current one is attached.
    #[error("stale report version")]
    StaleReport(Box<crate::annual_reports::AnnualReportRecord>),
    /// Another record (a UMKM, a coalition) changed since the edit started; its current
    /// state is attached as JSON.
    #[error("stale version")]
    Conflict(serde_json::Value),
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
}

impl DbError {
    /// True when the error is a unique-constraint violation.
    pub fn is_unique_violation(e: &sqlx::Error) -> bool {
        matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
    }
}
