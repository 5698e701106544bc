//! Importing a list of annual reports (RAT) in one pass: each row is checked by the domain
//! rules, its cooperative found by NIK, and written in multi-row statements inside one
//! transaction as it is read, so a national list (about a million rows) streams through
//! without being held in memory. A report for a cooperative and book year already on record
//! is left as it is (the office corrects single reports in the form, as a new version).
//! Nothing is kept when a row is rejected, unless the office accepts the valid rows.
//!
//! The trail: every report gets its first version (action `import`, snapshot, actor); the
//! import as a whole gets one audit entry naming the file, its SHA-256 and the counts.
//! Statuses are recomputed afterwards (the reports are evidence for them).

use crate::audit::AuditEntry;
use crate::{Actor, Db, DbError, now, on_pool, write_audit};
use kopra_domain::annual_report::AnnualReport;
use kopra_import::ImportError;
use kopra_import::RowMessage;
use kopra_import::report_rows::ReportRow;
use serde::Serialize;
use serde_json::json;
use std::collections::{HashMap, HashSet};
use time::Date;

/// Rows written per statement: 28 values each, 11,200 in all, under SQLite's 32,766 and
/// PostgreSQL's 65,535 bound values.
const BATCH: usize = 400;
/// Row problems listed in the summary (all are counted).
const LISTED: usize = 1000;

#[derive(Debug, Clone, Copy, Default)]
pub struct ReportImportOptions {
    /// Keep the valid rows even when some were rejected.
    pub accept_valid: bool,
    /// Check only; write nothing.
    pub dry_run: bool,
}

/// One problem with one row. `message_key` is `import.<code>` for a value that cannot be
/// read, or `error.<code>` for a value the domain rules refuse (`column` is then the field).
#[derive(Debug, Clone, Serialize)]
pub struct ReportRowError {
    pub line: u64,
    pub column: String,
    pub value: String,
    pub message_key: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ReportImportSummary {
    pub rows: u64,
    pub created: u64,
    /// A report for that cooperative and book year was already on record.
    pub already_recorded: u64,
    /// Rows with a problem (nothing of them is stored).
    pub rejected: u64,
    /// The first problems, in file order.
    pub errors: Vec<ReportRowError>,
    pub committed: bool,
    pub statuses_changed: usize,
}

impl ReportImportSummary {
    fn reject(&mut self, e: ReportRowError) {
        self.rejected += 1;
        if self.errors.len() < LISTED {
            self.errors.push(e);
        }
    }
    fn reject_messages(&mut self, messages: Vec<RowMessage>) {
        self.rejected += 1;
        for m in messages {
            if self.errors.len() < LISTED {
                self.errors.push(ReportRowError {
                    line: m.line,
                    column: m.column,
                    value: m.value,
                    message_key: format!("import.{}", m.code),
                });
            }
        }
    }
}

/// Why an import of reports stopped as a whole.
#[derive(Debug, thiserror::Error)]
pub enum ReportImportError {
    #[error(transparent)]
    File(#[from] ImportError),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for ReportImportError {
    fn from(e: sqlx::Error) -> Self {
        ReportImportError::Db(e.into())
    }
}

/// A checked report waiting for its statement.
pub(crate) struct Pending {
    pub(crate) cooperative_id: i64,
    pub(crate) report: AnnualReport,
}

/// Writes checked reports (source `import`, verified) in one multi-row statement, then
/// their first versions (the actor named with `$source`); evaluates to the
/// `(id, cooperative_id, book_year)` of those written. A report for a cooperative and book
/// year already on record is left as it is and not returned. Built with `QueryBuilder`,
/// whose SQLite placeholders are anonymous `?`: binding numbered `$n` ones costs sqlx a name
/// lookup per parameter that grows with the statement (quadratic; perf showed 70 % of the
/// time there).
macro_rules! write_reports {
    ($tx:expr, $pending:expr, $source:expr, $t:expr) => {{
        let pending: &[$crate::report_import::Pending] = $pending;
        let mut q = sqlx::QueryBuilder::new(format!(
            "INSERT INTO annual_reports (cooperative_id, {}, source, review_status, version, created_at, updated_at) ",
            $crate::annual_reports::COLUMNS
        ));
        q.push_values(pending, |mut b, p| {
            b.push_bind(p.cooperative_id);
            $crate::annual_reports::bind_report!(b, &p.report, push_bind);
            b.push_bind("import")
                .push_bind("verified")
                .push_bind(1i64)
                .push_bind($t)
                .push_bind($t);
        });
        q.push(" ON CONFLICT (cooperative_id, book_year) DO NOTHING RETURNING id, cooperative_id, book_year");
        let ids: Vec<(i64, i64, i32)> = q.build_query_as().fetch_all(&mut *$tx).await?;
        let by_key: std::collections::HashMap<(i64, i32), &kopra_domain::annual_report::AnnualReport> = pending
            .iter()
            .map(|p| ((p.cooperative_id, p.report.book_year), &p.report))
            .collect();
        let mut rows = Vec::with_capacity(ids.len());
        for (id, c, y) in &ids {
            let report = by_key
                .get(&(*c, *y))
                .ok_or_else(|| $crate::DbError::Corrupt("a written report was not asked for".into()))?;
            let changes = kopra_domain::field_changes(&[], &report.display_fields());
            rows.push((
                *id,
                serde_json::to_string(report).map_err(|e| $crate::DbError::Corrupt(format!("report snapshot: {e}")))?,
                serde_json::to_string(&changes).unwrap_or_default(),
            ));
        }
        if !rows.is_empty() {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO annual_report_versions (report_id, version, action, snapshot, changes, actor_name, at) ",
            );
            q.push_values(rows, |mut b, (id, snapshot, changes)| {
                b.push_bind(id)
                    .push_bind(1i64)
                    .push_bind("import")
                    .push_bind(snapshot)
                    .push_bind(changes)
                    .push_bind($source.to_string())
                    .push_bind($t);
            });
            q.build().execute(&mut *$tx).await?;
        }
        ids
    }};
}
pub(crate) use write_reports;

impl Db {
    /// Imports `rows` (from [`kopra_import::report_rows::ReportCsv`] or a sheet) as verified
    /// reports with source `import`. `today` bounds the dates.
    pub async fn import_annual_reports<I>(
        &self,
        rows: I,
        file_name: &str,
        sha256: &str,
        options: ReportImportOptions,
        today: Date,
        actor: &Actor,
    ) -> Result<ReportImportSummary, ReportImportError>
    where
        I: Iterator<Item = Result<Result<ReportRow, Vec<RowMessage>>, ImportError>>,
    {
        let by_nik: HashMap<String, i64> = on_pool!(self, p => sqlx::query_as::<_, (String, i64)>(
            "SELECT nik, id FROM cooperatives WHERE nik IS NOT NULL AND archived = $1",
        ).bind(false).fetch_all(p).await)?
        .into_iter()
        .collect();
        let mut recorded: HashSet<(i64, i32)> = on_pool!(self, p => sqlx::query_as::<_, (i64, i32)>(
            "SELECT cooperative_id, book_year FROM annual_reports",
        ).fetch_all(p).await)?
        .into_iter()
        .collect();
        let mut summary = ReportImportSummary::default();
        let t = now();
        let source = format!("{} (impor laporan {file_name})", actor.name);
        let sqlite = matches!(self, Db::Sqlite(_));
        let summary = on_pool!(self, p => {
            use sqlx::Connection as _;
            let mut conn = p.acquire().await?;
            crate::with_import_cache!(sqlite, conn, async {
            let mut tx = conn.begin().await?;
            let mut pending: Vec<Pending> = Vec::with_capacity(BATCH);
            for row in rows {
                summary.rows += 1;
                let row = match row? {
                    Ok(row) => row,
                    Err(messages) => {
                        summary.reject_messages(messages);
                        continue;
                    }
                };
                let Some(&cooperative_id) = by_nik.get(&row.nik) else {
                    summary.reject(ReportRowError {
                        line: row.line,
                        column: "NIK".into(),
                        value: row.nik.clone(),
                        message_key: "import.report_nik_unknown".into(),
                    });
                    continue;
                };
                let report = match row.input.parse(today) {
                    Ok(r) => r,
                    Err(errors) => {
                        summary.rejected += 1;
                        for (field, e) in errors.iter() {
                            if summary.errors.len() < LISTED {
                                summary.errors.push(ReportRowError {
                                    line: row.line,
                                    column: field.to_string(),
                                    value: String::new(),
                                    message_key: format!("error.{}", e.code()),
                                });
                            }
                        }
                        continue;
                    }
                };
                if !recorded.insert((cooperative_id, report.book_year)) {
                    summary.already_recorded += 1;
                    continue;
                }
                if options.dry_run {
                    summary.created += 1;
                    continue;
                }
                pending.push(Pending { cooperative_id, report });
                if pending.len() == BATCH {
                    summary.created += write_reports!(tx, &pending, &source, t).len() as u64;
                    pending.clear();
                }
            }
            if !pending.is_empty() {
                summary.created += write_reports!(tx, &pending, &source, t).len() as u64;
            }
            let keep = !options.dry_run && (summary.rejected == 0 || options.accept_valid) && summary.created > 0;
            if keep {
                write_audit!(&mut *tx, actor, AuditEntry {
                    action: "annual_report.import", entity_type: "annual_report_import", entity_id: None,
                    before: None,
                    after: Some(json!({"file_name": file_name, "sha256": sha256, "rows": summary.rows,
                        "created": summary.created, "already_recorded": summary.already_recorded, "rejected": summary.rejected})),
                })?;
                tx.commit().await?;
                summary.committed = true;
            } else {
                // `created` still says how many would be: `committed` says none were.
                tx.rollback().await?;
            }
            Ok::<_, ReportImportError>(summary)
            }.await)?
        });
        let mut summary = summary;
        if summary.committed {
            summary.statuses_changed = self.recompute_statuses(crate::status::wib_today()).await?;
        }
        Ok(summary)
    }
}

/// The SHA-256 of a file, read in pieces (for the audit entry of an import).
pub fn file_sha256(path: &std::path::Path) -> std::io::Result<String> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}
