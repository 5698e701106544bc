//! Coaching (pembinaan): the office's visits and trainings of cooperatives and UMKM, the
//! follow-up actions agreed at them, each officer's agenda, counts per kecamatan and type,
//! and visit plans drawn from the activation worklist. Every write is audited in the
//! same transaction.

use crate::audit::AuditEntry;
use crate::worklist::WorklistFilter;
use crate::{Actor, Db, DbError, now, on_pool, write_audit};
use kopra_domain::coaching::{
    FollowUpStatus, Visit, VisitKind, is_overdue, spread_over_working_days, suggested_visit_type,
};
use kopra_domain::{FieldError, FieldErrors, Role, Scope};
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use time::{Date, OffsetDateTime};

/// Where a planned visit came from.
pub const SOURCE_MANUAL: &str = "manual";
pub const SOURCE_WORKLIST: &str = "worklist";

/// How many visits a plan from the worklist puts on one working day.
pub const PLANS_PER_DAY: usize = 4;

/// One visit or training as listed (planned when `held_on` is empty).
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct VisitSummary {
    pub id: i64,
    pub cooperative_id: Option<i64>,
    pub cooperative_name: Option<String>,
    pub umkm_id: Option<i64>,
    pub umkm_name: Option<String>,
    /// `visit|training`
    pub kind: String,
    /// `rat_assistance|bookkeeping|legal|business|digital`
    pub visit_type: String,
    pub planned_on: Date,
    /// When it was held; empty while only planned.
    pub held_on: Option<Date>,
    pub officer_user_id: Option<i64>,
    pub officer_name: String,
    pub kecamatan_code: Option<String>,
    pub kecamatan_name: Option<String>,
    pub title: String,
    pub findings: Option<String>,
    pub participants: Option<i64>,
    /// `manual|worklist`
    pub source: String,
    pub open_follow_ups: i64,
    pub created_by: String,
    pub version: i64,
}

impl VisitSummary {
    /// The date that counts: when held, else when planned.
    pub fn date(&self) -> Date {
        self.held_on.unwrap_or(self.planned_on)
    }
    /// The cooperative's or UMKM's name, if it concerns one.
    pub fn subject(&self) -> Option<&str> {
        self.cooperative_name.as_deref().or(self.umkm_name.as_deref())
    }
}

/// A follow-up action agreed at a visit.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FollowUp {
    pub id: i64,
    pub visit_id: i64,
    pub action: String,
    pub due_on: Date,
    pub status: FollowUpStatus,
    pub done_on: Option<Date>,
    /// Still open after its due date.
    pub overdue: bool,
}

/// A visit with its follow-ups.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VisitRecord {
    #[serde(flatten)]
    pub visit: VisitSummary,
    pub follow_ups: Vec<FollowUp>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// An open follow-up on an agenda, with what it belongs to.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AgendaFollowUp {
    #[serde(flatten)]
    pub follow_up: FollowUp,
    pub visit_title: String,
    pub subject: Option<String>,
    pub cooperative_id: Option<i64>,
}

/// An officer's (or a cooperative's) agenda: visits in the period, planned and held, by
/// date; open follow-ups, overdue first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Agenda {
    pub from: Date,
    pub to: Date,
    pub visits: Vec<VisitSummary>,
    pub follow_ups: Vec<AgendaFollowUp>,
}

/// Visits and trainings of one kecamatan and type in a year.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct CoachingCount {
    /// Empty for general trainings.
    pub kecamatan_code: Option<String>,
    pub kecamatan_name: Option<String>,
    pub visit_type: String,
    /// All, planned or held.
    pub total: i64,
    pub held: i64,
}

/// Which visits to list. Empty lists and `None` mean "no limit"; `kecamatan` limits to
/// those kecamatan (and general trainings, which belong to none).
#[derive(Debug, Clone, Default)]
pub struct VisitFilter {
    pub officer: Option<i64>,
    pub cooperative: Option<i64>,
    pub umkm: Option<i64>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub kecamatan: Option<Vec<String>>,
    pub limit: Option<i64>,
}

impl VisitFilter {
    /// The filter a user's scope imposes.
    pub fn of_scope(scope: &Scope) -> VisitFilter {
        let mut f = VisitFilter::default();
        match scope {
            Scope::All => {}
            Scope::Kecamatan(list) => f.kecamatan = Some(list.clone()),
            Scope::Cooperative(id) => f.cooperative = Some(*id),
            Scope::Nothing => f.cooperative = Some(-1),
        }
        f
    }
}

/// What a plan from the worklist did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlanResult {
    /// The visits planned now.
    pub created: Vec<VisitSummary>,
    /// Worklist cooperatives left out because a visit is already planned for them.
    pub already_planned: usize,
}

/// A bound value (dates bound as dates, so both engines compare them as such).
#[derive(Debug, Clone)]
enum B {
    Text(String),
    Int(i64),
    Date(Date),
}

#[derive(Default)]
struct Clauses {
    sql: Vec<String>,
    binds: Vec<B>,
}

impl Clauses {
    fn push(&mut self, clause: &str, b: B) {
        self.binds.push(b);
        self.sql.push(clause.replace("{}", &format!("${}", self.binds.len())));
    }
    fn kecamatan(&mut self, list: &[String]) {
        let mut names = Vec::new();
        for k in list {
            self.binds.push(B::Text(k.clone()));
            names.push(format!("${}", self.binds.len()));
        }
        self.sql.push(if names.is_empty() {
            "v.kecamatan_code IS NULL".into()
        } else {
            format!(
                "(v.kecamatan_code IN ({}) OR v.kecamatan_code IS NULL)",
                names.join(", ")
            )
        });
    }
    fn apply(&mut self, f: &VisitFilter) {
        if let Some(o) = f.officer {
            self.push("v.officer_user_id = {}", B::Int(o));
        }
        if let Some(c) = f.cooperative {
            self.push("v.cooperative_id = {}", B::Int(c));
        }
        if let Some(u) = f.umkm {
            self.push("v.umkm_id = {}", B::Int(u));
        }
        if let Some(d) = f.from {
            self.push("COALESCE(v.held_on, v.planned_on) >= {}", B::Date(d));
        }
        if let Some(d) = f.to {
            self.push("COALESCE(v.held_on, v.planned_on) <= {}", B::Date(d));
        }
        if let Some(list) = &f.kecamatan {
            self.kecamatan(list);
        }
    }
    fn where_sql(&self) -> String {
        if self.sql.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.sql.join(" AND "))
        }
    }
}

macro_rules! bind_b {
    ($q:expr, $binds:expr) => {{
        let mut q = $q;
        for b in $binds {
            q = match b {
                B::Text(s) => q.bind(s),
                B::Int(i) => q.bind(i),
                B::Date(d) => q.bind(d),
            };
        }
        q
    }};
}

const SELECT_VISIT: &str = "SELECT v.id, v.cooperative_id, c.name AS cooperative_name, v.umkm_id, u.name AS umkm_name, v.kind, v.visit_type, \
     v.planned_on, v.held_on, v.officer_user_id, v.officer_name, v.kecamatan_code, kec.name AS kecamatan_name, v.title, v.findings, \
     v.participants, v.source, \
     (SELECT COUNT(*) FROM coaching_follow_ups f WHERE f.visit_id = v.id AND f.status = 'open') AS open_follow_ups, \
     v.created_by, v.version \
     FROM coaching_visits v LEFT JOIN cooperatives c ON c.id = v.cooperative_id LEFT JOIN umkm u ON u.id = v.umkm_id \
     LEFT JOIN regions kec ON kec.code = v.kecamatan_code";

type FollowUpRow = (i64, i64, String, Date, String, Option<Date>);

fn follow_up_from(r: FollowUpRow, today: Date) -> Result<FollowUp, DbError> {
    let (id, visit_id, action, due_on, status, done_on) = r;
    let status =
        FollowUpStatus::from_code(&status).ok_or_else(|| DbError::Corrupt(format!("follow-up {id}: status")))?;
    Ok(FollowUp {
        id,
        visit_id,
        action,
        due_on,
        status,
        done_on,
        overdue: is_overdue(due_on, status, today),
    })
}

/// The officer a visit is given to: an active office user (not a pengurus).
async fn officer(db: &Db, user_id: i64) -> Result<(i64, String), DbError> {
    match db.user_by_id(user_id).await? {
        Some(u) if u.role != Role::Pengurus => Ok((u.id, u.username)),
        _ => Err(DbError::Invalid(FieldErrors::single(
            "officer_user_id",
            FieldError::ValueNotInList,
        ))),
    }
}

impl Db {
    /// Plans a visit or training (checked by [`kopra_domain::coaching::VisitInput::validate`]),
    /// for `officer_user_id` or, without one, for the actor.
    pub async fn plan_visit(&self, v: &Visit, officer_user_id: Option<i64>, actor: &Actor) -> Result<i64, DbError> {
        let mut errors = FieldErrors::default();
        let mut kecamatan = None;
        if let Some(c) = v.cooperative_id {
            match self.cooperative(c).await {
                Ok(coop) if !coop.archived => kecamatan = Some(coop.fields.kecamatan_code.clone()),
                Ok(_) | Err(DbError::NotFound) => errors.add("cooperative_id", FieldError::ValueNotInList),
                Err(e) => return Err(e),
            }
        }
        if let Some(u) = v.umkm_id {
            match self.umkm(u).await {
                Ok(umkm) if !umkm.archived => kecamatan = Some(umkm.fields.kecamatan_code.clone()),
                Ok(_) | Err(DbError::NotFound) => errors.add("umkm_id", FieldError::ValueNotInList),
                Err(e) => return Err(e),
            }
        }
        let officer = match officer_user_id.or(actor.user_id) {
            Some(id) => match officer(self, id).await {
                Ok(o) => Some(o),
                Err(DbError::Invalid(_)) => {
                    errors.add("officer_user_id", FieldError::ValueNotInList);
                    None
                }
                Err(e) => return Err(e),
            },
            None => None,
        };
        if !errors.is_empty() {
            return Err(DbError::Invalid(errors));
        }
        let (officer_id, officer_name) = match officer {
            Some((id, name)) => (Some(id), name),
            None => (None, actor.name.clone()),
        };
        let t = now();
        let id: i64 = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO coaching_visits (cooperative_id, umkm_id, kind, visit_type, planned_on, officer_user_id, officer_name, kecamatan_code, \
                 title, participants, source, created_by, created_at, updated_at, version) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, 1) RETURNING id",
            )
            .bind(v.cooperative_id).bind(v.umkm_id).bind(v.kind.as_str()).bind(v.visit_type.as_str()).bind(v.planned_on)
            .bind(officer_id).bind(officer_name.clone()).bind(kecamatan.clone()).bind(v.title.clone()).bind(v.participants)
            .bind(SOURCE_MANUAL).bind(actor.name.clone()).bind(t)
            .fetch_one(&mut *tx).await?;
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "coaching.plan", entity_type: "coaching_visit", entity_id: Some(id.to_string()),
                before: None, after: Some(json!({"cooperative_id": v.cooperative_id, "umkm_id": v.umkm_id, "kind": v.kind.as_str(),
                    "visit_type": v.visit_type.as_str(), "planned_on": v.planned_on, "officer_user_id": officer_id,
                    "officer_name": officer_name, "title": v.title, "participants": v.participants, "source": SOURCE_MANUAL})),
            })?;
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// Records that a visit was held, with what was found.
    pub async fn record_visit(
        &self,
        id: i64,
        held_on: Date,
        findings: Option<&str>,
        participants: Option<i64>,
        actor: &Actor,
    ) -> Result<(), DbError> {
        let before = self.visit_summary(id).await?;
        let participants = participants.or(before.participants);
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "UPDATE coaching_visits SET held_on = $1, findings = $2, participants = $3, updated_at = $4, version = version + 1 WHERE id = $5",
            )
            .bind(held_on).bind(findings.map(String::from)).bind(participants).bind(now()).bind(id)
            .execute(&mut *tx).await?;
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "coaching.record", entity_type: "coaching_visit", entity_id: Some(id.to_string()),
                before: Some(json!({"held_on": before.held_on, "findings": before.findings, "participants": before.participants})),
                after: Some(json!({"held_on": held_on, "findings": findings, "participants": participants})),
            })?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Adds a follow-up action (open) to a visit.
    pub async fn add_follow_up(
        &self,
        visit_id: i64,
        action: &str,
        due_on: Date,
        actor: &Actor,
    ) -> Result<i64, DbError> {
        self.visit_summary(visit_id).await?;
        let id: i64 = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO coaching_follow_ups (visit_id, action, due_on, status, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(visit_id).bind(action.to_string()).bind(due_on).bind(FollowUpStatus::Open.as_str()).bind(now())
            .fetch_one(&mut *tx).await?;
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "coaching.follow_up", entity_type: "coaching_visit", entity_id: Some(visit_id.to_string()),
                before: None, after: Some(json!({"follow_up": id, "action": action, "due_on": due_on, "status": "open"})),
            })?;
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// One follow-up.
    pub async fn follow_up(&self, id: i64, today: Date) -> Result<FollowUp, DbError> {
        let row: Option<FollowUpRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, visit_id, action, due_on, status, done_on FROM coaching_follow_ups WHERE id = $1",
        ).bind(id).fetch_optional(p).await)?;
        follow_up_from(row.ok_or(DbError::NotFound)?, today)
    }

    /// Marks a follow-up open, done (today) or cancelled.
    pub async fn set_follow_up_status(
        &self,
        id: i64,
        status: &str,
        today: Date,
        actor: &Actor,
    ) -> Result<FollowUp, DbError> {
        let before = self.follow_up(id, today).await?;
        let status = FollowUpStatus::from_code(status.trim())
            .ok_or_else(|| DbError::Invalid(FieldErrors::single("status", FieldError::ValueNotInList)))?;
        let done_on = (status == FollowUpStatus::Done).then_some(today);
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            sqlx::query("UPDATE coaching_follow_ups SET status = $1, done_on = $2 WHERE id = $3")
                .bind(status.as_str()).bind(done_on).bind(id).execute(&mut *tx).await?;
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "coaching.follow_up_status", entity_type: "coaching_visit", entity_id: Some(before.visit_id.to_string()),
                before: Some(json!({"follow_up": id, "status": before.status.as_str()})),
                after: Some(json!({"follow_up": id, "status": status.as_str(), "done_on": done_on})),
            })?;
            tx.commit().await?;
        });
        self.follow_up(id, today).await
    }

    async fn visit_summary(&self, id: i64) -> Result<VisitSummary, DbError> {
        let sql = format!("{SELECT_VISIT} WHERE v.id = $1");
        let row: Option<VisitSummary> =
            on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await)?;
        row.ok_or(DbError::NotFound)
    }

    /// One visit with its follow-ups (overdue as of `today`).
    pub async fn visit(&self, id: i64, today: Date) -> Result<VisitRecord, DbError> {
        let visit = self.visit_summary(id).await?;
        let created_at: OffsetDateTime = on_pool!(self, p => sqlx::query_scalar(
            "SELECT created_at FROM coaching_visits WHERE id = $1",
        ).bind(id).fetch_one(p).await)?;
        let rows: Vec<FollowUpRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, visit_id, action, due_on, status, done_on FROM coaching_follow_ups WHERE visit_id = $1 ORDER BY due_on, id",
        ).bind(id).fetch_all(p).await)?;
        let follow_ups = rows
            .into_iter()
            .map(|r| follow_up_from(r, today))
            .collect::<Result<_, _>>()?;
        Ok(VisitRecord {
            visit,
            follow_ups,
            created_at,
        })
    }

    /// Visits and trainings, newest date first.
    pub async fn visits(&self, f: &VisitFilter) -> Result<Vec<VisitSummary>, DbError> {
        let mut w = Clauses::default();
        w.apply(f);
        let limit = f.limit.unwrap_or(500).clamp(1, 5000);
        let sql = format!(
            "{SELECT_VISIT}{} ORDER BY COALESCE(v.held_on, v.planned_on) DESC, v.id DESC LIMIT {limit}",
            w.where_sql()
        );
        Ok(
            on_pool!(self, p => bind_b!(sqlx::query_as::<_, VisitSummary>(sqlx::AssertSqlSafe(sql)), w.binds.clone()).fetch_all(p).await)?,
        )
    }

    /// An agenda: the visits of `f` between `from` and `to` (planned and held) by date, and
    /// every open follow-up of the visits `f` selects (whatever their date), overdue first.
    pub async fn agenda(&self, f: &VisitFilter, from: Date, to: Date, today: Date) -> Result<Agenda, DbError> {
        let mut w = Clauses::default();
        w.apply(&VisitFilter {
            from: Some(from),
            to: Some(to),
            limit: None,
            ..f.clone()
        });
        let sql = format!(
            "{SELECT_VISIT}{} ORDER BY COALESCE(v.held_on, v.planned_on), v.id",
            w.where_sql()
        );
        let visits: Vec<VisitSummary> = on_pool!(self, p => bind_b!(sqlx::query_as::<_, VisitSummary>(sqlx::AssertSqlSafe(sql)), w.binds.clone()).fetch_all(p).await)?;
        let mut w = Clauses::default();
        w.apply(&VisitFilter {
            from: None,
            to: None,
            limit: None,
            ..f.clone()
        });
        w.push("fu.status = {}", B::Text(FollowUpStatus::Open.as_str().into()));
        let sql = format!(
            "SELECT fu.id, fu.visit_id, fu.action, fu.due_on, fu.status, fu.done_on, v.title, COALESCE(c.name, u.name), v.cooperative_id \
             FROM coaching_follow_ups fu JOIN coaching_visits v ON v.id = fu.visit_id \
             LEFT JOIN cooperatives c ON c.id = v.cooperative_id LEFT JOIN umkm u ON u.id = v.umkm_id{} ORDER BY fu.due_on, fu.id",
            w.where_sql()
        );
        #[allow(clippy::type_complexity)]
        let rows: Vec<(
            i64,
            i64,
            String,
            Date,
            String,
            Option<Date>,
            String,
            Option<String>,
            Option<i64>,
        )> =
            on_pool!(self, p => bind_b!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), w.binds.clone()).fetch_all(p).await)?;
        let mut follow_ups = rows
            .into_iter()
            .map(
                |(id, visit_id, action, due_on, status, done_on, visit_title, subject, cooperative_id)| {
                    Ok(AgendaFollowUp {
                        follow_up: follow_up_from((id, visit_id, action, due_on, status, done_on), today)?,
                        visit_title,
                        subject,
                        cooperative_id,
                    })
                },
            )
            .collect::<Result<Vec<_>, DbError>>()?;
        // Overdue first; within each, by due date (the query's order, kept by a stable sort).
        follow_ups.sort_by_key(|f| !f.follow_up.overdue);
        Ok(Agenda {
            from,
            to,
            visits,
            follow_ups,
        })
    }

    /// Visits and trainings per kecamatan and type in `year` (by the date held, else
    /// planned), in one GROUP BY, within the filter's scope.
    pub async fn coaching_counts(&self, year: i32, f: &VisitFilter) -> Result<Vec<CoachingCount>, DbError> {
        let (Ok(first), Ok(last)) = (
            Date::from_calendar_date(year, time::Month::January, 1),
            Date::from_calendar_date(year, time::Month::December, 31),
        ) else {
            return Err(DbError::Invalid(FieldErrors::single(
                "year",
                FieldError::ValueNotInList,
            )));
        };
        let mut w = Clauses::default();
        w.apply(&VisitFilter {
            from: Some(first),
            to: Some(last),
            limit: None,
            ..f.clone()
        });
        let sql = format!(
            "SELECT v.kecamatan_code, kec.name AS kecamatan_name, v.visit_type, COUNT(*) AS total, \
             CAST(COALESCE(SUM(CASE WHEN v.held_on IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS held \
             FROM coaching_visits v LEFT JOIN regions kec ON kec.code = v.kecamatan_code{} \
             GROUP BY v.kecamatan_code, kec.name, v.visit_type ORDER BY v.kecamatan_code, v.visit_type",
            w.where_sql()
        );
        Ok(
            on_pool!(self, p => bind_b!(sqlx::query_as::<_, CoachingCount>(sqlx::AssertSqlSafe(sql)), w.binds.clone()).fetch_all(p).await)?,
        )
    }

    /// Plans visits for the activation worklist within `scope`: the cooperatives assigned to
    /// the officer or to nobody, strongest first, that have no visit planned and not yet
    /// held; at most `limit`, [`PLANS_PER_DAY`] a working day from `start` (counting the
    /// officer's visits already planned), each of the type its reasons suggest. Running it
    /// again plans nothing twice.
    pub async fn plan_from_worklist(
        &self,
        officer_user_id: i64,
        scope: &Scope,
        limit: usize,
        start: Date,
        today: Date,
        actor: &Actor,
    ) -> Result<PlanResult, DbError> {
        let (officer_id, officer_name) = officer(self, officer_user_id).await?;
        let items = self.worklist(&WorklistFilter::default(), scope, today).await?;
        let planned: BTreeSet<i64> = on_pool!(self, p => sqlx::query_scalar::<_, i64>(
            "SELECT DISTINCT cooperative_id FROM coaching_visits WHERE held_on IS NULL AND cooperative_id IS NOT NULL",
        ).fetch_all(p).await)?
        .into_iter()
        .collect();
        let mine: Vec<_> = items
            .into_iter()
            .filter(|i| i.assigned_to.as_deref().is_none_or(|a| a == officer_name))
            .collect();
        let already_planned = mine.iter().filter(|i| planned.contains(&i.cooperative_id)).count();
        let chosen: Vec<_> = mine
            .into_iter()
            .filter(|i| !planned.contains(&i.cooperative_id))
            .take(limit)
            .collect();
        if chosen.is_empty() {
            return Ok(PlanResult {
                created: vec![],
                already_planned,
            });
        }
        let taken_rows: Vec<(Date, i64)> = on_pool!(self, p => sqlx::query_as(
            "SELECT planned_on, COUNT(*) FROM coaching_visits WHERE officer_user_id = $1 AND held_on IS NULL AND planned_on >= $2 GROUP BY planned_on",
        ).bind(officer_id).bind(start).fetch_all(p).await)?;
        let taken: BTreeMap<Date, usize> = taken_rows
            .into_iter()
            .map(|(d, n)| (d, usize::try_from(n).unwrap_or(0)))
            .collect();
        let dates = spread_over_working_days(start, chosen.len(), PLANS_PER_DAY, &taken);
        let t = now();
        let ids: Vec<i64> = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let mut ids = Vec::new();
            for (item, day) in chosen.iter().zip(dates.iter()) {
                let visit_type = suggested_visit_type(&item.reasons);
                let title = visit_type.label_id().to_string();
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO coaching_visits (cooperative_id, kind, visit_type, planned_on, officer_user_id, officer_name, kecamatan_code, \
                     title, source, created_by, created_at, updated_at, version) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, 1) RETURNING id",
                )
                .bind(item.cooperative_id).bind(VisitKind::Visit.as_str()).bind(visit_type.as_str()).bind(*day)
                .bind(officer_id).bind(officer_name.clone()).bind(item.kecamatan_code.clone()).bind(title.clone())
                .bind(SOURCE_WORKLIST).bind(actor.name.clone()).bind(t)
                .fetch_one(&mut *tx).await?;
                write_audit!(&mut *tx, actor, AuditEntry {
                    action: "coaching.plan", entity_type: "coaching_visit", entity_id: Some(id.to_string()),
                    before: None, after: Some(json!({"cooperative_id": item.cooperative_id, "kind": "visit",
                        "visit_type": visit_type.as_str(), "planned_on": day, "officer_user_id": officer_id,
                        "officer_name": officer_name, "title": title, "source": SOURCE_WORKLIST, "worklist_score": item.score})),
                })?;
                ids.push(id);
            }
            tx.commit().await?;
            ids
        });
        let mut created = Vec::with_capacity(ids.len());
        for id in ids {
            created.push(self.visit_summary(id).await?);
        }
        Ok(PlanResult {
            created,
            already_planned,
        })
    }
}
