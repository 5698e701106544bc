//! Soft-loan readiness from the register: the facts a channel's criteria are checked
//! against (domain.md §8), gathered for one cooperative. The criteria themselves are
//! configuration (`data/loans/*.json`), evaluated by `kopra_domain::loan::evaluate`.

use crate::audit::AuditEntry;
use crate::cooperative_list::{Bind, Where, bind_all};
use crate::{Actor, Db, DbError, now, on_pool, write_audit};
use kopra_domain::loan::{
    Channel, ChannelCriteria, HealthCategory, Readiness, ReadinessFacts, Stage, evaluate, transition,
};
use kopra_domain::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::sync::LazyLock;
use time::Date;

/// The readiness criteria of each channel, as shipped in `data/loans/`.
static CRITERIA: LazyLock<Vec<ChannelCriteria>> = LazyLock::new(|| {
    [
        include_str!("../../../data/loans/lpdb.json"),
        include_str!("../../../data/loans/kur.json"),
        include_str!("../../../data/loans/himbara.json"),
        include_str!("../../../data/loans/bprs.json"),
    ]
    .iter()
    .filter_map(|text| ChannelCriteria::from_json(text).ok())
    .collect()
});

/// The configured criteria of a channel (`None` for a channel without criteria).
pub fn channel_criteria(channel: Channel) -> Option<&'static ChannelCriteria> {
    CRITERIA.iter().find(|c| c.channel == channel)
}

impl Db {
    /// What the register knows about a cooperative that a lender's criteria ask about.
    pub async fn readiness_facts(&self, cooperative_id: i64, today: Date) -> Result<ReadinessFacts, DbError> {
        let c = self.cooperative(cooperative_id).await?;
        let reports = self.annual_reports(cooperative_id).await?;
        let verified: Vec<_> = reports.iter().filter(|r| r.review_status == "verified").collect();
        let last_book_year = verified
            .iter()
            .max_by_key(|r| r.report.book_year)
            .map(|r| (r.report.book_year, r.report.shu));
        let last_rat_date = verified.iter().filter_map(|r| r.report.rat_date).max();
        let health = self
            .health_assessments(cooperative_id)
            .await?
            .into_iter()
            .max_by_key(|a| a.id)
            .and_then(|a| match a.result.category.as_str() {
                "sehat" => Some(HealthCategory::Sehat),
                "cukup_sehat" => Some(HealthCategory::CukupSehat),
                "dalam_pengawasan" => Some(HealthCategory::DalamPengawasan),
                "dalam_pengawasan_khusus" => Some(HealthCategory::DalamPengawasanKhusus),
                _ => None,
            });
        let mut facts = ReadinessFacts::new(today);
        facts.has_legal_entity = c.fields.legal_entity_number.is_some();
        facts.legal_entity_number = c.fields.legal_entity_number.clone();
        facts.last_rat_date = last_rat_date;
        facts.last_book_year = last_book_year;
        facts.nik = c.fields.nik.clone();
        facts.office_address = c.fields.address.clone();
        facts.business_started = c.fields.legal_entity_date;
        facts.active = Some(c.status == "active");
        facts.health_category = health;
        facts.arrears_channels = self.arrears_channels(cooperative_id).await?;
        Ok(facts)
    }

    /// A cooperative's readiness for a channel: each criterion met or missing, in words.
    pub async fn loan_readiness(
        &self,
        cooperative_id: i64,
        channel: Channel,
        today: Date,
    ) -> Result<Option<Readiness>, DbError> {
        let Some(criteria) = channel_criteria(channel) else {
            return Ok(None);
        };
        let facts = self.readiness_facts(cooperative_id, today).await?;
        Ok(Some(evaluate(criteria, &facts)))
    }
}

/// A loan application to record.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct NewApplication {
    pub cooperative_id: Option<i64>,
    pub umkm_id: Option<i64>,
    /// `lpdb|kur|himbara|bprs|other`
    pub channel: String,
    /// Integer Rupiah asked for.
    pub amount: i64,
    /// Percent a year.
    #[serde(default)]
    pub rate: Option<f64>,
    #[serde(default)]
    pub tenor_months: Option<i64>,
    #[serde(default)]
    pub purpose: Option<String>,
}

/// An application as stored, with its stage history.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Application {
    pub id: i64,
    pub cooperative_id: Option<i64>,
    pub umkm_id: Option<i64>,
    /// The cooperative's or UMKM's name.
    pub applicant: String,
    pub kecamatan_code: String,
    pub channel: Channel,
    pub amount: i64,
    pub rate: Option<f64>,
    pub tenor_months: Option<i64>,
    pub purpose: Option<String>,
    pub stage: Stage,
    pub stage_on: Date,
    pub rejected_reason: Option<String>,
    pub in_arrears: bool,
    pub applied_year: i64,
    pub version: i64,
    pub events: Vec<StageEvent>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct StageEvent {
    pub stage: String,
    pub on_date: Date,
    pub note: Option<String>,
    pub actor_name: String,
}

/// Totals of one channel, stage and year.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct LoanTotal {
    pub channel: String,
    pub stage: String,
    pub applied_year: i64,
    pub applications: i64,
    pub amount: i64,
}

type ApplicationRow = (
    i64,
    Option<i64>,
    Option<i64>,
    String,
    String,
    String,
    i64,
    Option<f64>,
    Option<i64>,
    Option<String>,
    String,
    Date,
    Option<String>,
    bool,
    i64,
    i64,
);

const SELECT_APPLICATION: &str = "SELECT a.id, a.cooperative_id, a.umkm_id, COALESCE(c.name, u.name, '') AS applicant, a.kecamatan_code, \
     a.channel, a.amount, a.rate, a.tenor_months, a.purpose, a.stage, a.stage_on, a.rejected_reason, a.in_arrears, a.applied_year, a.version \
     FROM loan_applications a LEFT JOIN cooperatives c ON c.id = a.cooperative_id LEFT JOIN umkm u ON u.id = a.umkm_id";

fn application_from(r: ApplicationRow) -> Result<Application, DbError> {
    let (
        id,
        cooperative_id,
        umkm_id,
        applicant,
        kecamatan_code,
        channel,
        amount,
        rate,
        tenor_months,
        purpose,
        stage,
        stage_on,
        rejected_reason,
        in_arrears,
        applied_year,
        version,
    ) = r;
    Ok(Application {
        id,
        cooperative_id,
        umkm_id,
        applicant,
        kecamatan_code,
        channel: Channel::from_code(&channel).ok_or_else(|| DbError::Corrupt(format!("loan {id}: channel")))?,
        amount,
        rate,
        tenor_months,
        purpose,
        stage: Stage::from_code(&stage).ok_or_else(|| DbError::Corrupt(format!("loan {id}: stage")))?,
        stage_on,
        rejected_reason,
        in_arrears,
        applied_year,
        version,
        events: vec![],
    })
}

/// Which applications a list shows.
#[derive(Debug, Clone, Default)]
pub struct LoanFilter {
    pub cooperative_id: Option<i64>,
    pub umkm_id: Option<i64>,
    pub channel: Option<String>,
    pub stage: Option<String>,
    pub year: Option<i64>,
    /// Limit to these kecamatan (a petugas limited to some); empty: all.
    pub kecamatan: Vec<String>,
}

impl Db {
    /// Records a new application (stage "prepared").
    pub async fn create_application(
        &self,
        a: &NewApplication,
        today: Date,
        actor: &Actor,
    ) -> Result<Application, DbError> {
        let mut errors = FieldErrors::default();
        let channel = Channel::from_code(a.channel.trim());
        if channel.is_none() {
            errors.add("channel", FieldError::ValueNotInList);
        }
        if a.amount <= 0 {
            errors.add("amount", FieldError::NotPositive);
        }
        if a.rate.is_some_and(|r| !(0.0..=100.0).contains(&r)) {
            errors.add("rate", FieldError::ValueNotInList);
        }
        if a.tenor_months.is_some_and(|t| !(1..=360).contains(&t)) {
            errors.add("tenor_months", FieldError::ValueNotInList);
        }
        if a.purpose.as_deref().is_some_and(|p| p.chars().count() > 2000) {
            errors.add("purpose", FieldError::TooLong);
        }
        let kecamatan = match (a.cooperative_id, a.umkm_id) {
            (Some(c), None) => match self.cooperative(c).await {
                Ok(c) if !c.archived => Some(c.fields.kecamatan_code),
                Ok(_) | Err(DbError::NotFound) => None,
                Err(e) => return Err(e),
            },
            (None, Some(u)) => match self.umkm(u).await {
                Ok(u) if !u.archived => Some(u.fields.kecamatan_code),
                Ok(_) | Err(DbError::NotFound) => None,
                Err(e) => return Err(e),
            },
            _ => None,
        };
        if kecamatan.is_none() {
            // None named is missing; one named but not in the register (or archived) is unknown.
            let given = a.cooperative_id.is_some() || a.umkm_id.is_some();
            errors.add(
                "cooperative_id",
                if given {
                    FieldError::ValueNotInList
                } else {
                    FieldError::Required
                },
            );
        }
        if !errors.is_empty() {
            return Err(DbError::Invalid(errors));
        }
        let channel = channel.expect("checked");
        let t = now();
        let purpose = a
            .purpose
            .clone()
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty());
        let id: i64 = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO loan_applications (cooperative_id, umkm_id, kecamatan_code, channel, amount, rate, tenor_months, purpose, stage, stage_on, \
                 applied_year, version, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12, $13, $13) RETURNING id",
            )
            .bind(a.cooperative_id).bind(a.umkm_id).bind(kecamatan.clone()).bind(channel.as_str()).bind(a.amount).bind(a.rate)
            .bind(a.tenor_months).bind(purpose.clone()).bind(Stage::Prepared.as_str()).bind(today).bind(i64::from(today.year()))
            .bind(actor.name.clone()).bind(t)
            .fetch_one(&mut *tx).await?;
            sqlx::query("INSERT INTO loan_stage_events (application_id, stage, on_date, note, actor_name, at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(id).bind(Stage::Prepared.as_str()).bind(today).bind(None::<String>).bind(actor.name.clone()).bind(t)
                .execute(&mut *tx).await?;
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "loan.create", entity_type: "loan", entity_id: Some(id.to_string()),
                before: None, after: Some(json!({"cooperative_id": a.cooperative_id, "umkm_id": a.umkm_id, "channel": channel.as_str(),
                    "amount": a.amount, "rate": a.rate, "tenor_months": a.tenor_months, "purpose": purpose})),
            })?;
            tx.commit().await?;
            id
        });
        self.application(id).await
    }

    pub async fn application(&self, id: i64) -> Result<Application, DbError> {
        let sql = format!("{SELECT_APPLICATION} WHERE a.id = $1");
        let row: Option<ApplicationRow> =
            on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await)?;
        let mut a = application_from(row.ok_or(DbError::NotFound)?)?;
        a.events = on_pool!(self, p => sqlx::query_as::<_, StageEvent>(
            "SELECT stage, on_date, note, actor_name FROM loan_stage_events WHERE application_id = $1 ORDER BY id",
        ).bind(id).fetch_all(p).await)?;
        Ok(a)
    }

    /// Applications, newest first (without their events).
    pub async fn applications(&self, f: &LoanFilter) -> Result<Vec<Application>, DbError> {
        let mut w = Where::default();
        if let Some(c) = f.cooperative_id {
            w.push("a.cooperative_id = {}", vec![Bind::Int(c)]);
        }
        if let Some(u) = f.umkm_id {
            w.push("a.umkm_id = {}", vec![Bind::Int(u)]);
        }
        if let Some(c) = f.channel.as_deref().filter(|c| !c.is_empty()) {
            w.push("a.channel = {}", vec![Bind::Text(c.to_string())]);
        }
        if let Some(s) = f.stage.as_deref().filter(|s| !s.is_empty()) {
            w.push("a.stage = {}", vec![Bind::Text(s.to_string())]);
        }
        if let Some(y) = f.year {
            w.push("a.applied_year = {}", vec![Bind::Int(y)]);
        }
        if !f.kecamatan.is_empty() {
            w.in_list(
                "a.kecamatan_code",
                f.kecamatan.iter().cloned().map(Bind::Text).collect(),
            );
        }
        let sql = format!("{SELECT_APPLICATION}{} ORDER BY a.id DESC LIMIT 2000", w.sql());
        let rows: Vec<ApplicationRow> = on_pool!(self, p => bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), w.binds.clone()).fetch_all(p).await)?;
        rows.into_iter().map(application_from).collect()
    }

    /// Moves an application to its next stage, or rejects it with a reason (domain rules:
    /// one step forward at a time; rejected up to the contract). `expected_version` guards
    /// against two officers moving it at once.
    pub async fn move_application(
        &self,
        id: i64,
        to: Stage,
        on_date: Date,
        reason: Option<&str>,
        expected_version: Option<i64>,
        actor: &Actor,
    ) -> Result<Application, DbError> {
        let current = self.application(id).await?;
        if expected_version.is_some_and(|v| v != current.version) {
            return Err(DbError::Conflict(json!(current)));
        }
        transition(current.stage, to, reason).map_err(|e| {
            let field = if matches!(e, kopra_domain::loan::StageError::ReasonRequired) {
                "reason"
            } else {
                "stage"
            };
            let code = if field == "reason" {
                FieldError::Required
            } else {
                FieldError::ValueNotInList
            };
            DbError::Invalid(FieldErrors::single(field, code))
        })?;
        if on_date < current.stage_on {
            return Err(DbError::Invalid(FieldErrors::single(
                "date",
                FieldError::BeforePreviousStage,
            )));
        }
        let t = now();
        let reason = reason.map(str::trim).filter(|r| !r.is_empty()).map(String::from);
        let moved = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let n = sqlx::query(
                "UPDATE loan_applications SET stage = $1, stage_on = $2, rejected_reason = $3, version = version + 1, updated_at = $4 WHERE id = $5 AND version = $6",
            )
            .bind(to.as_str()).bind(on_date).bind(if to == Stage::Rejected { reason.clone() } else { None }).bind(t).bind(id).bind(current.version)
            .execute(&mut *tx).await?.rows_affected();
            if n == 1 {
                sqlx::query("INSERT INTO loan_stage_events (application_id, stage, on_date, note, actor_name, at) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(id).bind(to.as_str()).bind(on_date).bind(reason.clone()).bind(actor.name.clone()).bind(t)
                    .execute(&mut *tx).await?;
                write_audit!(&mut *tx, actor, AuditEntry {
                    action: "loan.stage", entity_type: "loan", entity_id: Some(id.to_string()),
                    before: Some(json!({"stage": current.stage.as_str()})), after: Some(json!({"stage": to.as_str(), "on": on_date, "reason": reason})),
                })?;
                tx.commit().await?;
            }
            n == 1
        });
        let now_record = self.application(id).await?;
        if moved {
            Ok(now_record)
        } else {
            Err(DbError::Conflict(json!(now_record)))
        }
    }

    /// Records whether a disbursed loan is in arrears (a readiness criterion for the next).
    pub async fn set_arrears(&self, id: i64, in_arrears: bool, actor: &Actor) -> Result<Application, DbError> {
        let current = self.application(id).await?;
        if !matches!(current.stage, Stage::Disbursed | Stage::Repaying) {
            return Err(DbError::Invalid(FieldErrors::single(
                "in_arrears",
                FieldError::ValueNotInList,
            )));
        }
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            sqlx::query("UPDATE loan_applications SET in_arrears = $1, version = version + 1, updated_at = $2 WHERE id = $3")
                .bind(in_arrears).bind(now()).bind(id).execute(&mut *tx).await?;
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "loan.arrears", entity_type: "loan", entity_id: Some(id.to_string()),
                before: Some(json!({"in_arrears": current.in_arrears})), after: Some(json!({"in_arrears": in_arrears})),
            })?;
            tx.commit().await?;
        });
        self.application(id).await
    }

    /// Channels on which the cooperative has a loan in arrears.
    async fn arrears_channels(&self, cooperative_id: i64) -> Result<Vec<Channel>, DbError> {
        let codes: Vec<String> = on_pool!(self, p => sqlx::query_scalar(
            "SELECT DISTINCT channel FROM loan_applications WHERE cooperative_id = $1 AND in_arrears = $2",
        ).bind(cooperative_id).bind(true).fetch_all(p).await)?;
        Ok(codes.iter().filter_map(|c| Channel::from_code(c)).collect())
    }

    /// Count and amount per channel, stage and year (one GROUP BY).
    pub async fn loan_totals(&self, kecamatan: &[String]) -> Result<Vec<LoanTotal>, DbError> {
        let mut w = Where::default();
        if !kecamatan.is_empty() {
            w.in_list("kecamatan_code", kecamatan.iter().cloned().map(Bind::Text).collect());
        }
        let sql = format!(
            "SELECT channel, stage, applied_year, COUNT(*) AS applications, CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS amount \
             FROM loan_applications{} GROUP BY channel, stage, applied_year ORDER BY applied_year DESC, channel, stage",
            w.sql()
        );
        Ok(
            on_pool!(self, p => bind_all!(sqlx::query_as::<_, LoanTotal>(sqlx::AssertSqlSafe(sql)), w.binds.clone()).fetch_all(p).await)?,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_channel_file_parses() {
        for channel in [Channel::Lpdb, Channel::Kur, Channel::Himbara, Channel::Bprs] {
            assert!(channel_criteria(channel).is_some(), "{channel:?}");
        }
    }
}
