//! Health assessments in storage, and the regulation configurations shipped in the binary.

use crate::audit::AuditEntry;
use crate::{Actor, Db, DbError, now, on_pool, write_audit};
use kopra_domain::health::{AnswerError, HealthResult, Regulation};
use kopra_domain::{FieldError, FieldErrors};
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;
use time::OffsetDateTime;

const CONFIGS: [&str; 2] = [
    include_str!("../../../data/health/permenkop-9-2020.json"),
    include_str!("../../../data/health/perdep-06-2016.json"),
];

/// Every regulation version Kopra can score, newest first.
pub fn regulations() -> Vec<Regulation> {
    CONFIGS.iter().filter_map(|c| serde_json::from_str(c).ok()).collect()
}

/// The regulation for a book year: Permenkop 9/2020 (Juknis 15/2021) from 2021 on, before
/// that Perdep 06/2016.
pub fn regulation_for_year(book_year: i32) -> &'static str {
    if book_year >= 2021 {
        "permenkop-9-2020"
    } else {
        "perdep-06-2016"
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AssessmentRecord {
    pub id: i64,
    pub cooperative_id: i64,
    pub book_year: i32,
    pub regulation: String,
    #[schema(value_type = Object)]
    pub answers: BTreeMap<String, f64>,
    pub result: HealthResult,
    pub actor_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    cooperative_id: i64,
    book_year: i32,
    regulation: String,
    answers: String,
    result: String,
    actor_name: String,
    created_at: OffsetDateTime,
}

impl TryFrom<Row> for AssessmentRecord {
    type Error = DbError;
    fn try_from(r: Row) -> Result<Self, DbError> {
        let corrupt = |e: serde_json::Error| DbError::Corrupt(format!("assessment {}: {e}", r.id));
        Ok(AssessmentRecord {
            id: r.id,
            cooperative_id: r.cooperative_id,
            book_year: r.book_year,
            answers: serde_json::from_str(&r.answers).map_err(corrupt)?,
            result: serde_json::from_str(&r.result).map_err(corrupt)?,
            regulation: r.regulation,
            actor_name: r.actor_name,
            created_at: r.created_at,
        })
    }
}

/// The indicator keys as `&'static str`, for field errors (built once from the fixed
/// configurations); "answers" for a key no regulation has.
pub fn field_name(key: &str) -> &'static str {
    static KEYS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    let keys = KEYS.get_or_init(|| {
        regulations()
            .into_iter()
            .flat_map(|r| {
                r.aspects
                    .into_iter()
                    .flat_map(|a| a.indicators.into_iter().map(|i| &*Box::leak(i.key.into_boxed_str())))
            })
            .collect()
    });
    keys.iter().copied().find(|k| *k == key).unwrap_or("answers")
}

impl Db {
    /// Scores and stores an assessment (a new row each time; the newest counts).
    pub async fn create_health_assessment(
        &self,
        cooperative_id: i64,
        book_year: i32,
        regulation: &str,
        answers: &BTreeMap<String, f64>,
        actor: &Actor,
    ) -> Result<AssessmentRecord, DbError> {
        let c = self.cooperative(cooperative_id).await?;
        let savings_and_loan = c.fields.jenis.as_deref() == Some("Simpan Pinjam")
            || c.fields
                .kelompok
                .as_deref()
                .is_some_and(|k| k.contains("Simpan Pinjam"));
        if !savings_and_loan {
            return Err(DbError::Invalid(FieldErrors::single(
                "jenis",
                FieldError::ValueNotInList,
            )));
        }
        let Some(reg) = regulations().into_iter().find(|r| r.id == regulation) else {
            return Err(DbError::Invalid(FieldErrors::single(
                "regulation",
                FieldError::ValueNotInList,
            )));
        };
        let result = reg.assess(answers).map_err(|errs| {
            let mut fe = FieldErrors::default();
            for (k, e) in errs {
                fe.add(
                    field_name(&k),
                    match e {
                        AnswerError::Missing => FieldError::Required,
                        AnswerError::OutOfRange => FieldError::NumberFormat,
                        AnswerError::Unknown => FieldError::ValueNotInList,
                    },
                );
            }
            DbError::Invalid(fe)
        })?;
        let id: i64 = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO health_assessments (cooperative_id, book_year, regulation, answers, result, total, category, actor_name, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(cooperative_id).bind(book_year).bind(regulation).bind(json!(answers).to_string()).bind(json!(result).to_string())
            .bind(result.total).bind(result.category.clone()).bind(actor.name.clone()).bind(now())
            .fetch_one(&mut *tx).await?;
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "health.assess", entity_type: "cooperative", entity_id: Some(cooperative_id.to_string()),
                before: None, after: Some(json!({"assessment": id, "book_year": book_year, "regulation": regulation, "total": result.total, "category": result.category})),
            })?;
            tx.commit().await?;
            id
        });
        self.health_assessment(id).await
    }

    pub async fn health_assessment(&self, id: i64) -> Result<AssessmentRecord, DbError> {
        let row = on_pool!(self, p => sqlx::query_as::<_, Row>(
            "SELECT id, cooperative_id, book_year, regulation, answers, result, actor_name, created_at FROM health_assessments WHERE id = $1",
        ).bind(id).fetch_optional(p).await)?;
        row.ok_or(DbError::NotFound)?.try_into()
    }

    /// A cooperative's assessments, newest first.
    pub async fn health_assessments(&self, cooperative_id: i64) -> Result<Vec<AssessmentRecord>, DbError> {
        let rows = on_pool!(self, p => sqlx::query_as::<_, Row>(
            "SELECT id, cooperative_id, book_year, regulation, answers, result, actor_name, created_at FROM health_assessments \
             WHERE cooperative_id = $1 ORDER BY book_year DESC, id DESC LIMIT 100",
        ).bind(cooperative_id).fetch_all(p).await)?;
        rows.into_iter().map(AssessmentRecord::try_from).collect()
    }

    /// Cooperatives per category of their newest assessment (non-archived).
    pub async fn health_categories(&self) -> Result<Vec<(String, i64)>, DbError> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, (String, i64)>(
            // From the assessments to their cooperatives (CROSS JOIN keeps SQLite from walking
            // every cooperative to look for assessments).
            "SELECT h.category, COUNT(*) FROM health_assessments h CROSS JOIN cooperatives c \
             WHERE c.id = h.cooperative_id AND c.archived = $1 AND h.id = (SELECT MAX(h2.id) FROM health_assessments h2 WHERE h2.cooperative_id = h.cooperative_id) \
             GROUP BY h.category ORDER BY h.category",
        ).bind(false).fetch_all(p).await)?)
    }
}
