//! Statuses in storage: the evidence for the status engine (RAT dates, founding date,
//! decrees), the stored current status for lists, the bulk recompute, legal states set by
//! hand, and the activation figures as of any date.

use crate::audit::AuditEntry;
use crate::{Actor, Db, DbError, now, on_pool, write_audit};
use kopra_domain::plan::Plan;
use kopra_domain::status::{LegalState, Status, StatusAt, StatusRules, status_on};
use kopra_domain::{FieldError, FieldErrors};
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use time::Date;

pub const STATUS_RULES: &str = "status_rules";
pub const PLAN: &str = "plan";
/// The date (ISO) that every stored status was last computed for by the bulk recompute
/// ([`Db::recompute_statuses`]). Single writes keep the stored status current for today
/// ([`Db::refresh_status`]), so while this is today the stored statuses are today's.
pub const STATUSES_AS_OF: &str = "statuses_as_of";

/// The evidence about one cooperative.
#[derive(Debug, Clone, Default)]
pub struct StatusEvidence {
    pub rat_dates: Vec<Date>,
    pub founded: Option<Date>,
    pub legal: Option<LegalState>,
}

impl StatusEvidence {
    pub fn status_on(&self, date: Date, rules: StatusRules) -> StatusAt {
        status_on(date, &self.rat_dates, self.founded, self.legal.as_ref(), rules)
    }
}

/// A legal state as stored, with who set it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct LegalStateRow {
    pub id: i64,
    pub cooperative_id: i64,
    pub status: String,
    pub decree_number: String,
    pub decree_date: Date,
    pub note: Option<String>,
    pub actor_name: String,
}

/// Which cooperatives count: those the office supervises, or all in the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ActivationScope {
    Supervised,
    All,
}

impl ActivationScope {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "supervised" => Some(ActivationScope::Supervised),
            "all" => Some(ActivationScope::All),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            ActivationScope::Supervised => "supervised",
            ActivationScope::All => "all",
        }
    }
}

/// Counts for one area. `registered` excludes archived records and cooperatives dissolved,
/// merged or in liquidation by decree; `inactive` includes dissolution candidates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ActivationCounts {
    pub registered: i64,
    pub active: i64,
    pub inactive: i64,
    pub dissolution_candidate: i64,
    pub no_data: i64,
    pub rate: f64,
}

impl ActivationCounts {
    fn add(&mut self, s: Status) {
        self.add_many(s, 1);
    }
    fn add_many(&mut self, s: Status, n: i64) {
        match s {
            Status::Dissolved | Status::Merged | Status::InLiquidation => return,
            Status::Active => self.active += n,
            Status::Inactive => self.inactive += n,
            Status::DissolutionCandidate => {
                self.inactive += n;
                self.dissolution_candidate += n;
            }
            Status::NoData => self.no_data += n,
        }
        self.registered += n;
    }
    fn finish(&mut self) {
        self.rate = if self.registered == 0 {
            0.0
        } else {
            (self.active as f64 / self.registered as f64 * 10000.0).round() / 10000.0
        };
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct KecamatanActivation {
    pub code: String,
    pub name: String,
    #[serde(flatten)]
    pub counts: ActivationCounts,
}

/// Where the figures came from: the statuses stored for today (kept current on every
/// write and by the daily recompute), or the status engine run over every cooperative's
/// evidence for the date asked. Both give the same counts; the first is an index scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CountedFrom {
    StoredStatuses,
    Evidence,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Activation {
    pub as_of: Date,
    pub scope: ActivationScope,
    pub counted_from: CountedFrom,
    #[serde(flatten)]
    pub counts: ActivationCounts,
    pub by_kecamatan: Vec<KecamatanActivation>,
}

#[derive(sqlx::FromRow)]
struct EvidenceRow {
    kecamatan_code: String,
    legal_entity_date: Option<Date>,
    last_rat: Option<Date>,
    legal_status: Option<String>,
    legal_number: Option<String>,
    legal_date: Option<Date>,
}

const EVIDENCE_AS_OF: &str = "SELECT c.id, c.kecamatan_code, c.legal_entity_date, \
     (SELECT MAX(r.rat_date) FROM annual_reports r WHERE r.cooperative_id = c.id AND r.rat_date <= $1 AND r.review_status = 'verified') AS last_rat, \
     (SELECT l.status FROM legal_states l WHERE l.cooperative_id = c.id AND l.decree_date <= $1 ORDER BY l.id DESC LIMIT 1) AS legal_status, \
     (SELECT l.decree_number FROM legal_states l WHERE l.cooperative_id = c.id AND l.decree_date <= $1 ORDER BY l.id DESC LIMIT 1) AS legal_number, \
     (SELECT l.decree_date FROM legal_states l WHERE l.cooperative_id = c.id AND l.decree_date <= $1 ORDER BY l.id DESC LIMIT 1) AS legal_date \
     FROM cooperatives c WHERE c.archived = $2";

fn legal_of(status: Option<String>, number: Option<String>, date: Option<Date>) -> Option<LegalState> {
    Some(LegalState {
        status: Status::parse(&status?)?,
        decree_number: number.unwrap_or_default(),
        decree_date: date?,
    })
}

/// A cooperative as the status recompute reads it: id, founding date, stored status and
/// since when, last RAT.
type StatusRow = (i64, Option<Date>, String, Option<Date>, Option<Date>);

impl Db {
    pub async fn status_rules(&self) -> Result<StatusRules, DbError> {
        Ok(match self.setting(STATUS_RULES).await? {
            Some(s) => serde_json::from_str(&s).map_err(|e| DbError::Corrupt(format!("status rules: {e}")))?,
            None => StatusRules::default(),
        })
    }

    pub async fn plan(&self) -> Result<Plan, DbError> {
        Ok(match self.setting(PLAN).await? {
            Some(s) => serde_json::from_str(&s).map_err(|e| DbError::Corrupt(format!("plan: {e}")))?,
            None => Plan::default(),
        })
    }

    pub async fn set_plan(&self, plan: &Plan, actor: &Actor) -> Result<Plan, DbError> {
        if let Err((field, _)) = plan.validate() {
            return Err(DbError::Invalid(FieldErrors::single(field, FieldError::ValueNotInList)));
        }
        let before = self.plan().await?;
        let value = serde_json::to_string(plan).map_err(|e| DbError::Corrupt(e.to_string()))?;
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
                .bind(PLAN).bind(&value).execute(&mut *tx).await?;
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "plan.update", entity_type: "plan", entity_id: None, before: Some(json!(before)), after: Some(json!(plan)),
            })?;
            tx.commit().await?;
        });
        Ok(plan.clone())
    }

    /// Everything the status engine needs about one cooperative.
    pub async fn status_evidence(&self, cooperative_id: i64) -> Result<StatusEvidence, DbError> {
        let c = self.cooperative(cooperative_id).await?;
        let rat_dates: Vec<Date> = on_pool!(self, p => sqlx::query_scalar(
            "SELECT rat_date FROM annual_reports WHERE cooperative_id = $1 AND rat_date IS NOT NULL AND review_status = 'verified' ORDER BY rat_date",
        ).bind(cooperative_id).fetch_all(p).await)?;
        let legal = self
            .legal_states(cooperative_id)
            .await?
            .into_iter()
            .next()
            .and_then(|l| {
                Some(LegalState {
                    status: Status::parse(&l.status)?,
                    decree_number: l.decree_number,
                    decree_date: l.decree_date,
                })
            });
        Ok(StatusEvidence {
            rat_dates,
            founded: c.fields.legal_entity_date,
            legal,
        })
    }

    /// Decrees for a cooperative, newest first (never deleted).
    pub async fn legal_states(&self, cooperative_id: i64) -> Result<Vec<LegalStateRow>, DbError> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, LegalStateRow>(
            "SELECT id, cooperative_id, status, decree_number, decree_date, note, actor_name FROM legal_states WHERE cooperative_id = $1 ORDER BY id DESC",
        ).bind(cooperative_id).fetch_all(p).await)?)
    }

    /// Records a decree: dissolved, in liquidation or merged.
    pub async fn set_legal_state(
        &self,
        cooperative_id: i64,
        status: Status,
        decree_number: &str,
        decree_date: Date,
        note: &str,
        actor: &Actor,
    ) -> Result<LegalStateRow, DbError> {
        let mut e = FieldErrors::default();
        if !status.is_legal() {
            e.add("status", FieldError::ValueNotInList);
        }
        if decree_number.trim().is_empty() {
            e.add("decree_number", FieldError::Required);
        }
        if !e.is_empty() {
            return Err(DbError::Invalid(e));
        }
        self.cooperative(cooperative_id).await?;
        let row = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let row = sqlx::query_as::<_, LegalStateRow>(
                "INSERT INTO legal_states (cooperative_id, status, decree_number, decree_date, note, actor_name, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, cooperative_id, status, decree_number, decree_date, note, actor_name",
            )
            .bind(cooperative_id).bind(status.as_str()).bind(decree_number.trim()).bind(decree_date)
            .bind(Some(note.trim()).filter(|n| !n.is_empty())).bind(actor.name.clone()).bind(now())
            .fetch_one(&mut *tx).await?;
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "cooperative.legal_state", entity_type: "cooperative", entity_id: Some(cooperative_id.to_string()),
                before: None, after: Some(json!({"status": status.as_str(), "decree_number": decree_number, "decree_date": decree_date.to_string()})),
            })?;
            tx.commit().await?;
            row
        });
        self.refresh_status(cooperative_id).await?;
        Ok(row)
    }

    /// Stores one cooperative's status as of today (for lists and filters).
    pub async fn refresh_status(&self, cooperative_id: i64) -> Result<StatusAt, DbError> {
        let rules = self.status_rules().await?;
        let ev = self.status_evidence(cooperative_id).await?;
        let s = ev.status_on(wib_today(), rules);
        let last = ev.rat_dates.last().copied();
        on_pool!(self, p => sqlx::query("UPDATE cooperatives SET status = $1, status_since = $2, last_rat_date = $3 WHERE id = $4")
            .bind(s.status.as_str()).bind(s.since).bind(last).bind(cooperative_id).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(s)
    }

    /// Recomputes every cooperative's stored status in one pass: three queries for the
    /// evidence (cooperatives, RAT dates, decrees), then updates of the rows that changed,
    /// in transactions of 1,000. Returns how many changed.
    pub async fn recompute_statuses(&self, today: Date) -> Result<usize, DbError> {
        let rules = self.status_rules().await?;
        let coops: Vec<StatusRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, legal_entity_date, status, status_since, last_rat_date FROM cooperatives",
        ).fetch_all(p).await)?;
        let rats: Vec<(i64, Date)> = on_pool!(self, p => sqlx::query_as(
            "SELECT cooperative_id, rat_date FROM annual_reports WHERE rat_date IS NOT NULL AND rat_date <= $1 AND review_status = 'verified' ORDER BY cooperative_id, rat_date",
        ).bind(today).fetch_all(p).await)?;
        let decrees: Vec<(i64, String, String, Date)> = on_pool!(self, p => sqlx::query_as(
            "SELECT cooperative_id, status, decree_number, decree_date FROM legal_states WHERE decree_date <= $1 ORDER BY id",
        ).bind(today).fetch_all(p).await)?;
        let mut rat_by: HashMap<i64, Vec<Date>> = HashMap::new();
        for (id, d) in rats {
            rat_by.entry(id).or_default().push(d);
        }
        let mut legal_by: HashMap<i64, LegalState> = HashMap::new();
        for (id, status, number, date) in decrees {
            if let Some(status) = Status::parse(&status) {
                legal_by.insert(
                    id,
                    LegalState {
                        status,
                        decree_number: number,
                        decree_date: date,
                    },
                );
            }
        }
        let mut changed = Vec::new();
        for (id, founded, status, since, last) in coops {
            let dates = rat_by.remove(&id).unwrap_or_default();
            let s = status_on(today, &dates, founded, legal_by.get(&id), rules);
            let new_last = dates.last().copied();
            if s.status.as_str() != status || s.since != since || new_last != last {
                changed.push((id, s, new_last, (status, since, last)));
            }
        }
        // One statement per 1,000 changes (7 values each, under both engines' limits): on
        // PostgreSQL a statement per cooperative was a round trip each, 100,000 of them after
        // a national import. `VALUES` columns are `column1`… on both engines.
        for chunk in changed.chunks(1000) {
            on_pool!(self, p => {
                let mut q = sqlx::QueryBuilder::new(
                    "UPDATE cooperatives SET status = v.column2, status_since = v.column3, last_rat_date = v.column4 FROM (",
                );
                q.push_values(chunk, |mut b, (id, s, last, (old_status, old_since, old_last))| {
                    b.push_bind(*id).push_bind(s.status.as_str()).push_bind(s.since).push_bind(*last)
                        .push_bind(old_status.as_str()).push_bind(*old_since).push_bind(*old_last);
                });
                // Only a row still as it was read: a status refreshed by a write since (on this
                // or another server) is newer than this pass's and is kept.
                q.push(") AS v WHERE cooperatives.id = v.column1 AND cooperatives.status = v.column5 \
                        AND cooperatives.status_since IS NOT DISTINCT FROM v.column6 \
                        AND cooperatives.last_rat_date IS NOT DISTINCT FROM v.column7");
                q.build().execute(p).await?;
            });
        }
        self.set_setting(STATUSES_AS_OF, &today.to_string()).await?;
        Ok(changed.len())
    }

    /// The date the stored statuses hold for, when every one of them was computed for it.
    pub async fn statuses_as_of(&self) -> Result<Option<String>, DbError> {
        self.setting(STATUSES_AS_OF).await
    }

    /// Activation as of a date, in total and by kecamatan. For today, once the bulk
    /// recompute has run today, the stored statuses are counted (one `GROUP BY` over the
    /// covering index `cooperatives_activation`); for any other date, or before that, the
    /// status engine runs over every cooperative's evidence (its last RAT up to the date
    /// and any decree by then). Both count the same (tested).
    pub async fn activation(
        &self,
        as_of: Date,
        scope: ActivationScope,
        office: &crate::settings::Office,
    ) -> Result<Activation, DbError> {
        let stored_for_today =
            as_of == wib_today() && self.statuses_as_of().await?.as_deref() == Some(as_of.to_string().as_str());
        let from = if stored_for_today {
            CountedFrom::StoredStatuses
        } else {
            CountedFrom::Evidence
        };
        self.activation_counted(as_of, scope, office, from).await
    }

    /// Activation counted one way or the other (see [`Db::activation`]); `StoredStatuses`
    /// is only right for the date the stored statuses hold for.
    pub async fn activation_counted(
        &self,
        as_of: Date,
        scope: ActivationScope,
        office: &crate::settings::Office,
        from: CountedFrom,
    ) -> Result<Activation, DbError> {
        let supervised_only = scope == ActivationScope::Supervised;
        let mut total = ActivationCounts::default();
        let mut by: BTreeMap<String, ActivationCounts> = BTreeMap::new();
        match from {
            CountedFrom::StoredStatuses => {
                let sql = if supervised_only {
                    "SELECT kecamatan_code, status, COUNT(*) FROM cooperatives WHERE archived = $1 AND supervised = $2 \
                     GROUP BY kecamatan_code, status"
                } else {
                    "SELECT kecamatan_code, status, COUNT(*) FROM cooperatives WHERE archived = $1 AND $2 = $2 \
                     GROUP BY kecamatan_code, status"
                };
                let rows: Vec<(String, String, i64)> = on_pool!(self, p => sqlx::query_as(sql)
                    .bind(false).bind(true).fetch_all(p).await)?;
                for (kecamatan, status, n) in rows {
                    let s = Status::parse(&status)
                        .ok_or_else(|| DbError::Corrupt(format!("unknown stored status {status:?}")))?;
                    total.add_many(s, n);
                    by.entry(kecamatan).or_default().add_many(s, n);
                }
            }
            CountedFrom::Evidence => {
                let rules = self.status_rules().await?;
                let sql = if supervised_only {
                    format!("{EVIDENCE_AS_OF} AND c.supervised = $3")
                } else {
                    format!("{EVIDENCE_AS_OF} AND $3 = $3")
                };
                let rows: Vec<EvidenceRow> = on_pool!(self, p => sqlx::query_as::<_, EvidenceRow>(sqlx::AssertSqlSafe(sql))
                    .bind(as_of).bind(false).bind(true).fetch_all(p).await)?;
                for r in rows {
                    let ev = StatusEvidence {
                        rat_dates: r.last_rat.into_iter().collect(),
                        founded: r.legal_entity_date,
                        legal: legal_of(r.legal_status, r.legal_number, r.legal_date),
                    };
                    let s = ev.status_on(as_of, rules).status;
                    total.add(s);
                    by.entry(r.kecamatan_code).or_default().add(s);
                }
            }
        }
        total.finish();
        // A kab/kota office lists every one of its kecamatan, with or without cooperatives;
        // a province or the country only those with cooperatives (thousands otherwise).
        let (names, every_kecamatan): (HashMap<String, String>, bool) = match office.home {
            kopra_domain::HomeRegion::KabKota(_) => (
                self.kecamatan_in(&office.home)
                    .await?
                    .into_iter()
                    .map(|r| (r.code, r.name))
                    .collect(),
                true,
            ),
            _ => {
                let all = crate::regions::area_names();
                let names = by
                    .keys()
                    .filter_map(|code| all.get(code).map(|n| (code.clone(), n.clone())))
                    .collect();
                (names, false)
            }
        };
        let mut by_kecamatan: Vec<KecamatanActivation> = Vec::with_capacity(by.len().max(names.len()));
        if every_kecamatan {
            for (code, name) in &names {
                if !by.contains_key(code) {
                    by_kecamatan.push(KecamatanActivation {
                        code: code.clone(),
                        name: name.clone(),
                        counts: ActivationCounts::default(),
                    });
                }
            }
        }
        for (code, mut counts) in by {
            counts.finish();
            if !every_kecamatan && counts.registered == 0 {
                continue;
            }
            by_kecamatan.push(KecamatanActivation {
                // Kecamatan outside the list (should not happen) still count, by code.
                name: names.get(&code).cloned().unwrap_or_else(|| code.clone()),
                code,
                counts,
            });
        }
        by_kecamatan.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(Activation {
            as_of,
            scope,
            counted_from: from,
            counts: total,
            by_kecamatan,
        })
    }
}

/// Today in WIB (UTC+7).
pub fn wib_today() -> Date {
    (time::OffsetDateTime::now_utc() + time::Duration::hours(7)).date()
}

/// The steps from no data to active, as of a date (domain.md §5, "activation").
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Funnel {
    pub registered: i64,
    /// With at least one verified RAT on record.
    pub with_rat_on_record: i64,
    /// With a RAT held for the last closed book year (by the date).
    pub rat_held_last_year: i64,
    /// … whose report reached the office.
    pub reported_last_year: i64,
    pub active: i64,
}

impl Db {
    pub async fn funnel(
        &self,
        as_of: Date,
        scope: ActivationScope,
        office: &crate::settings::Office,
    ) -> Result<Funnel, DbError> {
        let a = self.activation(as_of, scope, office).await?;
        let year = i64::from(as_of.year() - 1);
        let supervised = if scope == ActivationScope::Supervised {
            "AND c.supervised = $4"
        } else {
            "AND $4 = $4"
        };
        let sql = format!(
            "SELECT \
               COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM annual_reports r WHERE r.cooperative_id = c.id AND r.review_status = 'verified' AND r.rat_date <= $1)), \
               COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM annual_reports r WHERE r.cooperative_id = c.id AND r.review_status = 'verified' AND r.book_year = $2 AND r.rat_date <= $1)), \
               COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM annual_reports r WHERE r.cooperative_id = c.id AND r.review_status = 'verified' AND r.book_year = $2 AND r.reported_date <= $1)) \
             FROM cooperatives c WHERE c.archived = $3 {supervised} \
             AND NOT EXISTS (SELECT 1 FROM legal_states l WHERE l.cooperative_id = c.id AND l.decree_date <= $1)"
        );
        let (rat, held, reported): (i64, i64, i64) = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(as_of).bind(year).bind(false).bind(true).fetch_one(p).await)?;
        Ok(Funnel {
            registered: a.counts.registered,
            with_rat_on_record: rat,
            rat_held_last_year: held,
            reported_last_year: reported,
            active: a.counts.active,
        })
    }
}
