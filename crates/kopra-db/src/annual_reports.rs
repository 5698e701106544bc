//! Annual reports (RAT) per cooperative and book year, with versions and audit; each write
//! refreshes the cooperative's stored status.

use crate::audit::AuditEntry;
use crate::{Actor, Db, DbError, now, on_pool, write_audit};
use kopra_domain::annual_report::{AnnualReport, ReportFlag};
use kopra_domain::{FieldChange, FieldError, FieldErrors, field_changes};
use serde::Serialize;
use serde_json::json;
use time::{Date, OffsetDateTime};

/// A stored report.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AnnualReportRecord {
    pub id: i64,
    pub cooperative_id: i64,
    #[serde(flatten)]
    pub report: AnnualReport,
    /// entry, ods or import
    pub source: String,
    /// verified (counts as evidence), proposed (by a pengurus, waiting) or returned (with a note)
    pub review_status: String,
    pub review_note: Option<String>,
    pub reviewed_by: Option<String>,
    pub flags: Vec<ReportFlag>,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    cooperative_id: i64,
    book_year: i32,
    rat_date: Option<Date>,
    reported_date: Option<Date>,
    report_channel: Option<String>,
    members_male: Option<i64>,
    members_female: Option<i64>,
    members_total: Option<i64>,
    pengurus: Option<i64>,
    pengawas: Option<i64>,
    managers_male: Option<i64>,
    managers_female: Option<i64>,
    employees_male: Option<i64>,
    employees_female: Option<i64>,
    simpanan_pokok: Option<i64>,
    simpanan_wajib: Option<i64>,
    modal_sendiri: Option<i64>,
    modal_luar: Option<i64>,
    modal_penyertaan: Option<i64>,
    assets: Option<i64>,
    business_volume: Option<i64>,
    shu: Option<i64>,
    savings_received: Option<i64>,
    loans_given: Option<i64>,
    source: String,
    review_status: String,
    review_note: Option<String>,
    reviewed_by: Option<String>,
    version: i64,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl From<Row> for AnnualReportRecord {
    fn from(r: Row) -> Self {
        let report = AnnualReport {
            book_year: r.book_year,
            rat_date: r.rat_date,
            reported_date: r.reported_date,
            report_channel: r.report_channel,
            members_male: r.members_male,
            members_female: r.members_female,
            members_total: r.members_total,
            pengurus: r.pengurus,
            pengawas: r.pengawas,
            managers_male: r.managers_male,
            managers_female: r.managers_female,
            employees_male: r.employees_male,
            employees_female: r.employees_female,
            simpanan_pokok: r.simpanan_pokok,
            simpanan_wajib: r.simpanan_wajib,
            modal_sendiri: r.modal_sendiri,
            modal_luar: r.modal_luar,
            modal_penyertaan: r.modal_penyertaan,
            assets: r.assets,
            business_volume: r.business_volume,
            shu: r.shu,
            savings_received: r.savings_received,
            loans_given: r.loans_given,
        };
        AnnualReportRecord {
            id: r.id,
            cooperative_id: r.cooperative_id,
            flags: report.flags(),
            report,
            source: r.source,
            review_status: r.review_status,
            review_note: r.review_note,
            reviewed_by: r.reviewed_by,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

pub(crate) const COLUMNS: &str = "book_year, rat_date, reported_date, report_channel, members_male, members_female, members_total, pengurus, pengawas, \
     managers_male, managers_female, employees_male, employees_female, simpanan_pokok, simpanan_wajib, modal_sendiri, modal_luar, \
     modal_penyertaan, assets, business_volume, shu, savings_received, loans_given";

/// Binds the 23 report columns in `COLUMNS` order: on a query (`bind`, the default) or on a
/// row of a multi-row `VALUES` list (`push_bind`).
macro_rules! bind_report {
    ($q:expr, $r:expr) => {
        bind_report!($q, $r, bind)
    };
    ($q:expr, $r:expr, $m:ident) => {{
        let r: &AnnualReport = $r;
        $q.$m(r.book_year)
            .$m(r.rat_date)
            .$m(r.reported_date)
            .$m(r.report_channel.clone())
            .$m(r.members_male)
            .$m(r.members_female)
            .$m(r.members_total)
            .$m(r.pengurus)
            .$m(r.pengawas)
            .$m(r.managers_male)
            .$m(r.managers_female)
            .$m(r.employees_male)
            .$m(r.employees_female)
            .$m(r.simpanan_pokok)
            .$m(r.simpanan_wajib)
            .$m(r.modal_sendiri)
            .$m(r.modal_luar)
            .$m(r.modal_penyertaan)
            .$m(r.assets)
            .$m(r.business_volume)
            .$m(r.shu)
            .$m(r.savings_received)
            .$m(r.loans_given)
    }};
}
pub(crate) use bind_report;

fn placeholders(from: usize, n: usize) -> String {
    (from..from + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

pub(crate) const INSERT_VERSION: &str = "INSERT INTO annual_report_versions (report_id, version, action, snapshot, changes, actor_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7)";

fn year_taken(e: sqlx::Error) -> DbError {
    if DbError::is_unique_violation(&e) {
        DbError::Duplicate(FieldErrors::single("book_year", FieldError::AlreadyUsed))
    } else {
        e.into()
    }
}

impl Db {
    /// Records a report entered by the office (verified at once); one per cooperative and
    /// book year.
    pub async fn create_annual_report(
        &self,
        cooperative_id: i64,
        r: &AnnualReport,
        source: &str,
        actor: &Actor,
    ) -> Result<AnnualReportRecord, DbError> {
        self.insert_annual_report(cooperative_id, r, source, "verified", actor)
            .await
    }

    /// Records a report proposed by the cooperative's pengurus: it waits for verification
    /// and is no evidence for the status until then.
    pub async fn propose_annual_report(
        &self,
        cooperative_id: i64,
        r: &AnnualReport,
        actor: &Actor,
    ) -> Result<AnnualReportRecord, DbError> {
        self.insert_annual_report(cooperative_id, r, "entry", "proposed", actor)
            .await
    }

    async fn insert_annual_report(
        &self,
        cooperative_id: i64,
        r: &AnnualReport,
        source: &str,
        review: &str,
        actor: &Actor,
    ) -> Result<AnnualReportRecord, DbError> {
        self.cooperative(cooperative_id).await?;
        let changes = field_changes(&[], &r.display_fields());
        let t = now();
        let sql = format!(
            "INSERT INTO annual_reports (cooperative_id, {COLUMNS}, source, review_status, version, created_at, updated_at) VALUES ($1, {}, $25, $27, 1, $26, $26) RETURNING id",
            placeholders(2, 23)
        );
        let id: i64 = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let id: i64 = bind_report!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(cooperative_id), r)
                .bind(source.to_string()).bind(t).bind(review.to_string())
                .fetch_one(&mut *tx).await.map_err(year_taken)?;
            sqlx::query(INSERT_VERSION)
                .bind(id).bind(1i64).bind("create").bind(json!(r).to_string())
                .bind(serde_json::to_string(&changes).unwrap_or_default()).bind(actor.name.clone()).bind(t)
                .execute(&mut *tx).await?;
            write_audit!(&mut *tx, actor, AuditEntry {
                action: if review == "proposed" { "annual_report.propose" } else { "annual_report.create" },
                entity_type: "cooperative", entity_id: Some(cooperative_id.to_string()),
                before: None, after: Some(json!({"report": id, "source": source, "review_status": review, "fields": r})),
            })?;
            tx.commit().await?;
            id
        });
        self.refresh_status(cooperative_id).await?;
        self.annual_report(id).await
    }

    /// Changes a report; with `expected_version`, a newer one is not overwritten.
    pub async fn update_annual_report(
        &self,
        id: i64,
        r: &AnnualReport,
        expected_version: Option<i64>,
        actor: &Actor,
    ) -> Result<AnnualReportRecord, DbError> {
        let current = self.annual_report(id).await?;
        if expected_version.is_some_and(|v| v != current.version) {
            return Err(DbError::StaleReport(Box::new(current)));
        }
        let changes: Vec<FieldChange> = field_changes(&current.report.display_fields(), &r.display_fields());
        if changes.is_empty() {
            return Ok(current);
        }
        let t = now();
        let sets: Vec<String> = COLUMNS
            .split(", ")
            .enumerate()
            .map(|(i, c)| format!("{} = ${}", c.trim(), i + 1))
            .collect();
        let sql = format!(
            "UPDATE annual_reports SET {}, version = version + 1, updated_at = $24 WHERE id = $25 AND version = $26",
            sets.join(", ")
        );
        let updated = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let n = bind_report!(sqlx::query(sqlx::AssertSqlSafe(sql)), r)
                .bind(t).bind(id).bind(current.version)
                .execute(&mut *tx).await.map_err(year_taken)?.rows_affected();
            if n == 1 {
                sqlx::query(INSERT_VERSION)
                    .bind(id).bind(current.version + 1).bind("update").bind(json!(r).to_string())
                    .bind(serde_json::to_string(&changes).unwrap_or_default()).bind(actor.name.clone()).bind(t)
                    .execute(&mut *tx).await?;
                write_audit!(&mut *tx, actor, AuditEntry {
                    action: "annual_report.update", entity_type: "cooperative", entity_id: Some(current.cooperative_id.to_string()),
                    before: Some(json!({"report": id, "fields": current.report})), after: Some(json!({"report": id, "fields": r})),
                })?;
                tx.commit().await?;
            }
            n == 1
        });
        self.refresh_status(current.cooperative_id).await?;
        let now_record = self.annual_report(id).await?;
        if updated {
            Ok(now_record)
        } else {
            Err(DbError::StaleReport(Box::new(now_record)))
        }
    }

    pub async fn annual_report(&self, id: i64) -> Result<AnnualReportRecord, DbError> {
        let sql = format!(
            "SELECT id, cooperative_id, {COLUMNS}, source, review_status, review_note, reviewed_by, version, created_at, updated_at FROM annual_reports WHERE id = $1"
        );
        let row =
            on_pool!(self, p => sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await)?;
        row.map(AnnualReportRecord::from).ok_or(DbError::NotFound)
    }

    /// A cooperative's reports, newest book year first.
    pub async fn annual_reports(&self, cooperative_id: i64) -> Result<Vec<AnnualReportRecord>, DbError> {
        let sql = format!(
            "SELECT id, cooperative_id, {COLUMNS}, source, review_status, review_note, reviewed_by, version, created_at, updated_at FROM annual_reports WHERE cooperative_id = $1 ORDER BY book_year DESC LIMIT 200"
        );
        let rows = on_pool!(self, p => sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(sql)).bind(cooperative_id).fetch_all(p).await)?;
        Ok(rows.into_iter().map(AnnualReportRecord::from).collect())
    }
}

impl Db {
    /// Verifies a proposed report (it becomes evidence) or returns it with a note.
    pub async fn review_annual_report(
        &self,
        id: i64,
        verify: bool,
        note: &str,
        actor: &Actor,
    ) -> Result<AnnualReportRecord, DbError> {
        let current = self.annual_report(id).await?;
        if current.review_status != "proposed" {
            return Err(DbError::Invalid(FieldErrors::single(
                "review_status",
                FieldError::ValueNotInList,
            )));
        }
        let note = Some(note.trim().to_string()).filter(|n| !n.is_empty());
        if !verify && note.is_none() {
            return Err(DbError::Invalid(FieldErrors::single("note", FieldError::Required)));
        }
        let status = if verify { "verified" } else { "returned" };
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let n = sqlx::query("UPDATE annual_reports SET review_status = $1, review_note = $2, reviewed_by = $3, updated_at = $4 WHERE id = $5 AND review_status = 'proposed'")
                .bind(status).bind(note.clone()).bind(actor.name.clone()).bind(now()).bind(id)
                .execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(DbError::NotFound);
            }
            write_audit!(&mut *tx, actor, AuditEntry {
                action: if verify { "annual_report.verify" } else { "annual_report.return" }, entity_type: "cooperative",
                entity_id: Some(current.cooperative_id.to_string()),
                before: Some(json!({"report": id, "review_status": "proposed"})), after: Some(json!({"report": id, "review_status": status, "note": note})),
            })?;
            tx.commit().await?;
        });
        self.refresh_status(current.cooperative_id).await?;
        self.annual_report(id).await
    }

    /// A pengurus corrects a returned (or still proposed) report: it is proposed again.
    pub async fn repropose_annual_report(
        &self,
        id: i64,
        r: &AnnualReport,
        actor: &Actor,
    ) -> Result<AnnualReportRecord, DbError> {
        let current = self.annual_report(id).await?;
        if current.review_status == "verified" {
            return Err(DbError::Invalid(FieldErrors::single(
                "review_status",
                FieldError::ValueNotInList,
            )));
        }
        self.update_annual_report(id, r, Some(current.version), actor).await?;
        on_pool!(self, p => sqlx::query("UPDATE annual_reports SET review_status = 'proposed' WHERE id = $1")
            .bind(id).execute(p).await.map(|r| r.rows_affected()))?;
        self.annual_report(id).await
    }

    /// Reports waiting for verification, oldest first, within some kecamatan if given.
    pub async fn proposed_reports(&self, kecamatan: &[String]) -> Result<Vec<(AnnualReportRecord, String)>, DbError> {
        let sql = format!(
            "SELECT r.id, r.cooperative_id, {}, r.source, r.review_status, r.review_note, r.reviewed_by, r.version, r.created_at, r.updated_at, c.name AS cooperative_name, c.kecamatan_code \
             FROM annual_reports r JOIN cooperatives c ON c.id = r.cooperative_id WHERE r.review_status = 'proposed' ORDER BY r.id LIMIT 1000",
            COLUMNS
                .split(", ")
                .map(|c| format!("r.{}", c.trim()))
                .collect::<Vec<_>>()
                .join(", ")
        );
        #[derive(sqlx::FromRow)]
        struct WithName {
            #[sqlx(flatten)]
            row: Row,
            cooperative_name: String,
            kecamatan_code: String,
        }
        let rows: Vec<WithName> =
            on_pool!(self, p => sqlx::query_as::<_, WithName>(sqlx::AssertSqlSafe(sql)).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .filter(|w| kecamatan.is_empty() || kecamatan.contains(&w.kecamatan_code))
            .map(|w| (AnnualReportRecord::from(w.row), w.cooperative_name))
            .collect())
    }
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    version: i64,
    action: String,
    changes: String,
    actor_name: String,
    at: OffsetDateTime,
}

impl Db {
    /// Every version of a report, newest first (same shape as a cooperative's history).
    pub async fn annual_report_history(&self, id: i64) -> Result<Vec<crate::cooperatives::VersionEntry>, DbError> {
        self.annual_report(id).await?;
        let rows = on_pool!(self, p => sqlx::query_as::<_, VersionRow>(
            "SELECT version, action, changes, actor_name, at FROM annual_report_versions WHERE report_id = $1 ORDER BY version DESC",
        ).bind(id).fetch_all(p).await)?;
        rows.into_iter()
            .map(|r| {
                let changes =
                    serde_json::from_str(&r.changes).map_err(|e| DbError::Corrupt(format!("report changes: {e}")))?;
                Ok(crate::cooperatives::VersionEntry {
                    version: r.version,
                    action: r.action,
                    changes,
                    reason: None,
                    actor_name: r.actor_name,
                    at: r.at,
                })
            })
            .collect()
    }
}
