//! Awards on Hari Koperasi (12 July; domain.md §9): programmes per year with categories and
//! their criteria (the shipped default worksheet unless edited; frozen once scoring
//! starts), jurors, nominations, each juror's scores (re-scoring replaces the row, the
//! audit log keeps every version), the ranking by the jurors' average and nomination
//! upward (province, ministry). Every write is audited in the same transaction.

use crate::audit::AuditEntry;
use crate::{Actor, Db, DbError, now, on_pool, write_audit};
use kopra_domain::award::{AwardCriteria, JurorSheet, JurorTotal, SheetError, rank};
use kopra_domain::{FieldError, FieldErrors, Role};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{LazyLock, Mutex};
use time::{Date, Month, OffsetDateTime};

/// The default criteria as shipped (`data/awards/default.json`).
pub const DEFAULT_CRITERIA_JSON: &str = include_str!("../../../data/awards/default.json");

static DEFAULT_CRITERIA: LazyLock<AwardCriteria> =
    LazyLock::new(|| AwardCriteria::from_json(DEFAULT_CRITERIA_JSON).expect("data/awards/default.json is valid"));

/// The national worksheet's example (domain.md §9), the criteria of a new programme.
pub fn default_criteria() -> &'static AwardCriteria {
    &DEFAULT_CRITERIA
}

/// Field names for indicator codes (field errors are keyed by `&'static str`); each
/// distinct code is kept once.
fn intern(code: &str) -> &'static str {
    static CODES: LazyLock<Mutex<BTreeSet<&'static str>>> = LazyLock::new(Default::default);
    let mut codes = CODES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(c) = codes.get(code) {
        return c;
    }
    let leaked: &'static str = Box::leak(code.to_string().into_boxed_str());
    codes.insert(leaked);
    leaked
}

/// The state of a programme: nominations and jurors while `open`; the criteria freeze
/// with the first score (`scoring`); `closed` once the ranking is final.
pub const STATUSES: [&str; 3] = ["open", "scoring", "closed"];

/// Where a nomination goes upward.
pub const UPWARD_LEVELS: [&str; 2] = ["province", "ministry"];

/// A programme to open.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct NewProgramme {
    pub year: i32,
    pub name: String,
    /// Defaults to 12 July of the year (Hari Koperasi).
    #[serde(default)]
    pub event_date: Option<Date>,
    /// Award categories, e.g. "Simpan Pinjam", "Konsumen"; "Umum" when none.
    #[serde(default)]
    pub categories: Vec<String>,
    /// The criteria (the shape of `data/awards/default.json`); the default when absent.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub criteria: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Juror {
    pub user_id: i64,
    pub username: String,
}

/// One juror's sheet for a nomination.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ScoreRecord {
    pub juror_user_id: i64,
    pub juror_name: String,
    /// Indicator code → the value entered.
    pub values: BTreeMap<String, f64>,
    /// Σ(points × weight) ÷ Σ(weight), 0…100, 2 decimals.
    pub total: f64,
    #[serde(with = "time::serde::rfc3339")]
    pub scored_at: OffsetDateTime,
}

/// A nomination with its jurors' totals and their average.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NominationRecord {
    pub id: i64,
    pub programme_id: i64,
    pub cooperative_id: i64,
    pub cooperative_name: String,
    pub cooperative_nik: Option<String>,
    pub category: String,
    pub nominated_by: String,
    pub note: Option<String>,
    /// `province|ministry` once nominated upward.
    pub upward_level: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub upward_at: Option<OffsetDateTime>,
    pub scores: Vec<ScoreRecord>,
    /// Mean of the jurors' totals, 2 decimals; none before any score.
    pub average: Option<f64>,
}

/// A programme with its jurors and nominations.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProgrammeRecord {
    pub id: i64,
    pub year: i32,
    pub name: String,
    pub event_date: Date,
    pub categories: Vec<String>,
    #[schema(value_type = Object)]
    pub criteria: AwardCriteria,
    /// `open|scoring|closed`
    pub status: String,
    pub jurors: Vec<Juror>,
    pub nominations: Vec<NominationRecord>,
    pub created_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// One line of the programme list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProgrammeSummary {
    pub id: i64,
    pub year: i32,
    pub name: String,
    pub event_date: Date,
    pub categories: Vec<String>,
    pub status: String,
    pub jurors: i64,
    pub nominations: i64,
}

/// One nominee in a category's ranking.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RankingRow {
    /// 1 for the best; equal averages share a rank; none when unscored.
    pub rank: Option<u32>,
    pub nomination_id: i64,
    pub cooperative_id: i64,
    pub cooperative_name: String,
    pub cooperative_nik: Option<String>,
    pub average: Option<f64>,
    /// How many juror sheets the average is over.
    pub jurors: usize,
    pub upward_level: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CategoryRanking {
    pub category: String,
    pub items: Vec<RankingRow>,
}

/// A cooperative found by name, to nominate.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CooperativeHit {
    pub id: i64,
    pub name: String,
    pub nik: Option<String>,
}

type ProgrammeRow = (i64, i64, String, Date, String, String, String, String, OffsetDateTime);

const PROGRAMME_COLUMNS: &str = "id, year, name, event_date, categories, criteria, status, created_by, created_at";

type NominationRow = (
    i64,
    i64,
    i64,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<OffsetDateTime>,
);

const NOMINATION_SELECT: &str = "SELECT n.id, n.programme_id, n.cooperative_id, c.name, c.nik, n.category, n.nominated_by, n.note, \
     n.upward_level, n.upward_at FROM award_nominations n JOIN cooperatives c ON c.id = n.cooperative_id";

type ScoreRow = (i64, i64, String, String, f64, OffsetDateTime);

fn parse_categories(id: i64, text: &str) -> Result<Vec<String>, DbError> {
    serde_json::from_str(text).map_err(|e| DbError::Corrupt(format!("award programme {id}: categories: {e}")))
}

/// Trimmed, non-empty, without repeats (case-insensitive), in the order given.
pub fn clean_categories(list: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in list {
        let c = c.split_whitespace().collect::<Vec<_>>().join(" ");
        if !c.is_empty() && !out.iter().any(|o| o.to_lowercase() == c.to_lowercase()) {
            out.push(c);
        }
    }
    out
}

fn sheet_errors(errors: BTreeMap<String, SheetError>) -> FieldErrors {
    let mut f = FieldErrors::default();
    for (code, e) in errors {
        let error = match e {
            SheetError::Missing => FieldError::Required,
            SheetError::Unknown => FieldError::ValueNotInList,
            SheetError::OutOfRange => FieldError::NumberFormat,
        };
        f.add(intern(&code), error);
    }
    f
}

impl Db {
    /// Opens an award programme; criteria are the default unless given (then checked).
    pub async fn create_programme(&self, p: &NewProgramme, actor: &Actor) -> Result<i64, DbError> {
        let mut errors = FieldErrors::default();
        if !(2000..=2100).contains(&p.year) {
            errors.add("year", FieldError::ValueNotInList);
        }
        let name = p.name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            errors.add("name", FieldError::Required);
        } else if name.chars().count() > 200 {
            errors.add("name", FieldError::TooLong);
        }
        let mut categories = clean_categories(&p.categories);
        if categories.is_empty() {
            categories.push("Umum".into());
        }
        if categories.iter().any(|c| c.chars().count() > 100) {
            errors.add("categories", FieldError::TooLong);
        }
        let criteria = match &p.criteria {
            None => Some(default_criteria().clone()),
            Some(v) => AwardCriteria::from_json(&v.to_string()).ok(),
        };
        if criteria.is_none() {
            errors.add("criteria", FieldError::ValueNotInList);
        }
        let event_date = match p.event_date {
            Some(d) => Some(d),
            None => Date::from_calendar_date(p.year, Month::July, 12).ok(),
        };
        if event_date.is_none() {
            errors.add("event_date", FieldError::DateFormat);
        }
        if !errors.is_empty() {
            return Err(DbError::Invalid(errors));
        }
        let criteria = criteria.expect("checked");
        let criteria_text = serde_json::to_string(&criteria).map_err(|e| DbError::Corrupt(e.to_string()))?;
        let categories_text = json!(categories).to_string();
        let event_date = event_date.expect("checked");
        let t = now();
        let id: i64 = on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO award_programmes (year, name, event_date, categories, criteria, status, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(i64::from(p.year)).bind(name.clone()).bind(event_date).bind(categories_text.clone())
            .bind(criteria_text.clone()).bind("open").bind(actor.name.clone()).bind(t)
            .fetch_one(&mut *tx).await?;
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "award.programme", entity_type: "award_programme", entity_id: Some(id.to_string()),
                before: None, after: Some(json!({"year": p.year, "name": name, "event_date": event_date,
                    "categories": categories, "criteria": criteria.id})),
            })?;
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// The programmes, newest year first.
    pub async fn programmes(&self) -> Result<Vec<ProgrammeSummary>, DbError> {
        let rows: Vec<(i64, i64, String, Date, String, String, i64, i64)> = on_pool!(self, p => sqlx::query_as(
            "SELECT a.id, a.year, a.name, a.event_date, a.categories, a.status, \
             (SELECT COUNT(*) FROM award_jurors j WHERE j.programme_id = a.id), \
             (SELECT COUNT(*) FROM award_nominations n WHERE n.programme_id = a.id) \
             FROM award_programmes a ORDER BY a.year DESC, a.id DESC",
        ).fetch_all(p).await)?;
        rows.into_iter()
            .map(
                |(id, year, name, event_date, categories, status, jurors, nominations)| {
                    Ok(ProgrammeSummary {
                        id,
                        year: year as i32,
                        name,
                        event_date,
                        categories: parse_categories(id, &categories)?,
                        status,
                        jurors,
                        nominations,
                    })
                },
            )
            .collect()
    }

    /// A programme with its jurors and its nominations (each with its scores).
    pub async fn programme(&self, id: i64) -> Result<ProgrammeRecord, DbError> {
        let row: Option<ProgrammeRow> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {PROGRAMME_COLUMNS} FROM award_programmes WHERE id = $1"
        ))).bind(id).fetch_optional(p).await)?;
        let (id, year, name, event_date, categories, criteria, status, created_by, created_at) =
            row.ok_or(DbError::NotFound)?;
        let criteria = AwardCriteria::from_json(&criteria)
            .map_err(|e| DbError::Corrupt(format!("award programme {id}: criteria: {e}")))?;
        let jurors: Vec<Juror> = on_pool!(self, p => sqlx::query_as(
            "SELECT user_id, username FROM award_jurors WHERE programme_id = $1 ORDER BY username",
        ).bind(id).fetch_all(p).await)?;
        let nominations = self.nominations_where("n.programme_id = $1", id).await?;
        Ok(ProgrammeRecord {
            id,
            year: year as i32,
            name,
            event_date,
            categories: parse_categories(id, &categories)?,
            criteria,
            status,
            jurors,
            nominations,
            created_by,
            created_at,
        })
    }

    async fn nominations_where(&self, condition: &str, value: i64) -> Result<Vec<NominationRecord>, DbError> {
        let sql = format!("{NOMINATION_SELECT} WHERE {condition} ORDER BY n.category, c.name, n.id");
        let rows: Vec<NominationRow> =
            on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(value).fetch_all(p).await)?;
        let scores_sql = format!(
            "SELECT s.nomination_id, s.juror_user_id, s.juror_name, s.\"values\", s.total, s.scored_at FROM award_scores s \
             JOIN award_nominations n ON n.id = s.nomination_id WHERE {condition} ORDER BY s.juror_name"
        );
        let scores: Vec<ScoreRow> =
            on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(scores_sql)).bind(value).fetch_all(p).await)?;
        let mut by_nomination: BTreeMap<i64, Vec<ScoreRecord>> = BTreeMap::new();
        for (nid, juror_user_id, juror_name, values, total, scored_at) in scores {
            let values: BTreeMap<String, f64> = serde_json::from_str(&values)
                .map_err(|e| DbError::Corrupt(format!("award score {nid}/{juror_user_id}: {e}")))?;
            by_nomination.entry(nid).or_default().push(ScoreRecord {
                juror_user_id,
                juror_name,
                values,
                total,
                scored_at,
            });
        }
        Ok(rows
            .into_iter()
            .map(
                |(
                    id,
                    programme_id,
                    cooperative_id,
                    name,
                    nik,
                    category,
                    nominated_by,
                    note,
                    upward_level,
                    upward_at,
                )| {
                    let scores = by_nomination.remove(&id).unwrap_or_default();
                    let average = kopra_domain::award::average(&juror_totals(&scores));
                    NominationRecord {
                        id,
                        programme_id,
                        cooperative_id,
                        cooperative_name: name,
                        cooperative_nik: nik,
                        category,
                        nominated_by,
                        note,
                        upward_level,
                        upward_at,
                        scores,
                        average,
                    }
                },
            )
            .collect())
    }

    /// One nomination with its scores.
    pub async fn nomination(&self, id: i64) -> Result<NominationRecord, DbError> {
        self.nominations_where("n.id = $1", id)
            .await?
            .into_iter()
            .next()
            .ok_or(DbError::NotFound)
    }

    /// Replaces a programme's jurors by the office users named (admin or petugas, active).
    pub async fn set_jurors(
        &self,
        programme_id: i64,
        usernames: &[String],
        actor: &Actor,
    ) -> Result<Vec<Juror>, DbError> {
        let programme = self.programme(programme_id).await?;
        let mut wanted: Vec<String> = usernames
            .iter()
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty())
            .collect();
        wanted.sort();
        wanted.dedup();
        let mut jurors = Vec::new();
        for name in &wanted {
            let row: Option<(i64, String, String)> = on_pool!(self, p => sqlx::query_as(
                "SELECT id, username, role FROM users WHERE username = $1 AND active = $2",
            ).bind(name.clone()).bind(true).fetch_optional(p).await)?;
            match row {
                Some((id, username, role))
                    if Role::parse(&role).is_some_and(|r| r.allows(kopra_domain::Permission::ScoreAwards)) =>
                {
                    jurors.push(Juror { user_id: id, username })
                }
                _ => {
                    return Err(DbError::Invalid(FieldErrors::single(
                        "usernames",
                        FieldError::ValueNotInList,
                    )));
                }
            }
        }
        let before: Vec<&str> = programme.jurors.iter().map(|j| j.username.as_str()).collect();
        let after: Vec<&str> = jurors.iter().map(|j| j.username.as_str()).collect();
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            sqlx::query("DELETE FROM award_jurors WHERE programme_id = $1").bind(programme_id).execute(&mut *tx).await?;
            for j in &jurors {
                sqlx::query("INSERT INTO award_jurors (programme_id, user_id, username) VALUES ($1, $2, $3)")
                    .bind(programme_id).bind(j.user_id).bind(j.username.clone()).execute(&mut *tx).await?;
            }
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "award.jurors", entity_type: "award_programme", entity_id: Some(programme_id.to_string()),
                before: Some(json!({"jurors": before})), after: Some(json!({"jurors": after})),
            })?;
            tx.commit().await?;
        });
        Ok(jurors)
    }

    /// Is the user a listed juror of the programme?
    pub async fn is_award_juror(&self, programme_id: i64, user_id: i64) -> Result<bool, DbError> {
        let n: i64 = on_pool!(self, p => sqlx::query_scalar(
            "SELECT COUNT(*) FROM award_jurors WHERE programme_id = $1 AND user_id = $2",
        ).bind(programme_id).bind(user_id).fetch_one(p).await)?;
        Ok(n > 0)
    }

    /// Nominates a cooperative (existing, not archived) in one of the programme's categories.
    pub async fn nominate(
        &self,
        programme_id: i64,
        cooperative_id: i64,
        category: &str,
        note: Option<&str>,
        actor: &Actor,
    ) -> Result<i64, DbError> {
        let programme = self.programme(programme_id).await?;
        let mut errors = FieldErrors::default();
        let category = category.split_whitespace().collect::<Vec<_>>().join(" ");
        let category = if category.is_empty() && programme.categories.len() == 1 {
            programme.categories[0].clone()
        } else {
            category
        };
        let Some(category) = programme
            .categories
            .iter()
            .find(|c| c.to_lowercase() == category.to_lowercase())
            .cloned()
        else {
            errors.add("category", FieldError::ValueNotInList);
            return Err(DbError::Invalid(errors));
        };
        match self.cooperative(cooperative_id).await {
            Ok(c) if !c.archived => {}
            Ok(_) | Err(DbError::NotFound) => errors.add("cooperative_id", FieldError::ValueNotInList),
            Err(e) => return Err(e),
        }
        if programme.status == "closed" {
            errors.add("programme", FieldError::ValueNotInList);
        }
        if programme
            .nominations
            .iter()
            .any(|n| n.cooperative_id == cooperative_id && n.category == category)
        {
            return Err(DbError::Duplicate(FieldErrors::single(
                "cooperative_id",
                FieldError::AlreadyUsed,
            )));
        }
        if !errors.is_empty() {
            return Err(DbError::Invalid(errors));
        }
        let note = note.map(str::trim).filter(|n| !n.is_empty()).map(String::from);
        let t = now();
        let id: i64 = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO award_nominations (programme_id, cooperative_id, category, nominated_by, note, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(programme_id).bind(cooperative_id).bind(category.clone()).bind(actor.name.clone()).bind(note.clone()).bind(t)
            .fetch_one(&mut *tx).await?;
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "award.nominate", entity_type: "award_nomination", entity_id: Some(id.to_string()),
                before: None, after: Some(json!({"programme_id": programme_id, "cooperative_id": cooperative_id,
                    "category": category, "note": note})),
            })?;
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// A juror's sheet for a nomination: checked against the programme's criteria, its
    /// total stored (replacing the juror's earlier sheet; the audit keeps both). The first
    /// score freezes the criteria (status `scoring`).
    pub async fn score_nomination(
        &self,
        nomination_id: i64,
        juror_user_id: i64,
        values: &BTreeMap<String, f64>,
        actor: &Actor,
    ) -> Result<JurorTotal, DbError> {
        let nomination = self.nomination(nomination_id).await?;
        let programme = self.programme(nomination.programme_id).await?;
        let Some(juror) = programme.jurors.iter().find(|j| j.user_id == juror_user_id) else {
            return Err(DbError::Invalid(FieldErrors::single(
                "juror",
                FieldError::ValueNotInList,
            )));
        };
        if programme.status == "closed" {
            return Err(DbError::Invalid(FieldErrors::single(
                "programme",
                FieldError::ValueNotInList,
            )));
        }
        let total = programme
            .criteria
            .total(&JurorSheet {
                juror: juror.username.clone(),
                values: values.clone(),
            })
            .map_err(|e| DbError::Invalid(sheet_errors(e)))?;
        let previous = nomination.scores.iter().find(|s| s.juror_user_id == juror_user_id);
        let before = previous.map(|s| json!({"values": s.values, "total": s.total}));
        let values_text = json!(values).to_string();
        let t = now();
        let programme_id = programme.id;
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            sqlx::query("DELETE FROM award_scores WHERE nomination_id = $1 AND juror_user_id = $2")
                .bind(nomination_id).bind(juror_user_id).execute(&mut *tx).await?;
            sqlx::query(
                "INSERT INTO award_scores (nomination_id, juror_user_id, juror_name, \"values\", total, scored_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(nomination_id).bind(juror_user_id).bind(juror.username.clone()).bind(values_text.clone())
            .bind(total.total).bind(t)
            .execute(&mut *tx).await?;
            sqlx::query("UPDATE award_programmes SET status = $1 WHERE id = $2 AND status = $3")
                .bind("scoring").bind(programme_id).bind("open").execute(&mut *tx).await?;
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "award.score", entity_type: "award_nomination", entity_id: Some(nomination_id.to_string()),
                before, after: Some(json!({"juror": juror.username, "values": values, "total": total.total})),
            })?;
            tx.commit().await?;
        });
        Ok(total)
    }

    /// The ranking of each category (or only `category`): the jurors' average, best first,
    /// equal averages sharing a rank, unscored nominees last.
    pub async fn award_ranking(
        &self,
        programme_id: i64,
        category: Option<&str>,
    ) -> Result<Vec<CategoryRanking>, DbError> {
        let programme = self.programme(programme_id).await?;
        let categories: Vec<String> = match category.map(str::trim).filter(|c| !c.is_empty()) {
            None => programme.categories.clone(),
            Some(c) => match programme
                .categories
                .iter()
                .find(|x| x.to_lowercase() == c.to_lowercase())
            {
                Some(x) => vec![x.clone()],
                None => {
                    return Err(DbError::Invalid(FieldErrors::single(
                        "category",
                        FieldError::ValueNotInList,
                    )));
                }
            },
        };
        Ok(categories
            .into_iter()
            .map(|category| {
                let nominees: Vec<&NominationRecord> = programme
                    .nominations
                    .iter()
                    .filter(|n| n.category == category)
                    .collect();
                let input: Vec<(String, Vec<JurorTotal>)> = nominees
                    .iter()
                    .map(|n| (format!("{:012}", n.id), juror_totals(&n.scores)))
                    .collect();
                let items = rank(&input)
                    .into_iter()
                    .filter_map(|r| {
                        let n = nominees.iter().find(|n| format!("{:012}", n.id) == r.id)?;
                        Some(RankingRow {
                            rank: r.rank,
                            nomination_id: n.id,
                            cooperative_id: n.cooperative_id,
                            cooperative_name: n.cooperative_name.clone(),
                            cooperative_nik: n.cooperative_nik.clone(),
                            average: r.average,
                            jurors: r.jurors,
                            upward_level: n.upward_level.clone(),
                        })
                    })
                    .collect();
                CategoryRanking { category, items }
            })
            .collect())
    }

    /// Nominates upward, to the province or the ministry.
    pub async fn nominate_upward(&self, nomination_id: i64, level: &str, actor: &Actor) -> Result<(), DbError> {
        let nomination = self.nomination(nomination_id).await?;
        let level = level.trim();
        if !UPWARD_LEVELS.contains(&level) {
            return Err(DbError::Invalid(FieldErrors::single(
                "level",
                FieldError::ValueNotInList,
            )));
        }
        let t = now();
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            sqlx::query("UPDATE award_nominations SET upward_level = $1, upward_at = $2 WHERE id = $3")
                .bind(level).bind(t).bind(nomination_id).execute(&mut *tx).await?;
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "award.upward", entity_type: "award_nomination", entity_id: Some(nomination_id.to_string()),
                before: Some(json!({"upward_level": nomination.upward_level})), after: Some(json!({"upward_level": level})),
            })?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Cooperatives (not archived) whose name contains the text, to nominate.
    pub async fn find_cooperatives_by_name(&self, text: &str, limit: i64) -> Result<Vec<CooperativeHit>, DbError> {
        let pattern = format!("%{}%", text.trim().to_lowercase().replace(['%', '_'], ""));
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT id, name, nik FROM cooperatives WHERE archived = $1 AND LOWER(name) LIKE $2 ORDER BY name, id LIMIT $3",
        ).bind(false).bind(pattern.clone()).bind(limit).fetch_all(p).await)?)
    }
}

/// Stored totals as the domain ranks them.
fn juror_totals(scores: &[ScoreRecord]) -> Vec<JurorTotal> {
    scores
        .iter()
        .map(|s| JurorTotal {
            juror: s.juror_name.clone(),
            total: s.total,
            indicators: vec![],
        })
        .collect()
}
