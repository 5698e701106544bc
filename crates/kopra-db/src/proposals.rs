//! Changes proposed by a cooperative's pengurus, applied or rejected by the office. A
//! proposal keeps the version it started from: applying it over a newer version is a
//! conflict, never a silent overwrite.

use crate::audit::AuditEntry;
use crate::cooperatives::CooperativeRecord;
use crate::settings::Office;
use crate::{Actor, Db, DbError, now, on_pool, write_audit};
use kopra_domain::{CooperativeFields, FieldChange, FieldError, FieldErrors, field_changes};
use serde::Serialize;
use serde_json::json;
use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProposalStatus {
    Pending,
    Applied,
    Rejected,
}

impl ProposalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ProposalStatus::Pending => "pending",
            ProposalStatus::Applied => "applied",
            ProposalStatus::Rejected => "rejected",
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Proposal {
    pub id: i64,
    pub cooperative_id: i64,
    pub cooperative_name: String,
    pub base_version: i64,
    pub changes: Vec<FieldChange>,
    pub note: Option<String>,
    /// pending, applied or rejected
    pub status: String,
    pub proposed_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub proposed_at: OffsetDateTime,
    pub decided_by_name: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub decided_at: Option<OffsetDateTime>,
    pub decision_note: Option<String>,
    #[serde(skip)]
    pub proposed: String,
}

#[derive(sqlx::FromRow)]
struct ProposalRow {
    id: i64,
    cooperative_id: i64,
    cooperative_name: String,
    base_version: i64,
    proposed: String,
    changes: String,
    note: Option<String>,
    status: String,
    proposed_by_name: String,
    proposed_at: OffsetDateTime,
    decided_by_name: Option<String>,
    decided_at: Option<OffsetDateTime>,
    decision_note: Option<String>,
}

impl TryFrom<ProposalRow> for Proposal {
    type Error = DbError;
    fn try_from(r: ProposalRow) -> Result<Self, DbError> {
        let changes =
            serde_json::from_str(&r.changes).map_err(|e| DbError::Corrupt(format!("proposal {}: {e}", r.id)))?;
        Ok(Proposal {
            id: r.id,
            cooperative_id: r.cooperative_id,
            cooperative_name: r.cooperative_name,
            base_version: r.base_version,
            changes,
            note: r.note,
            status: r.status,
            proposed_by_name: r.proposed_by_name,
            proposed_at: r.proposed_at,
            decided_by_name: r.decided_by_name,
            decided_at: r.decided_at,
            decision_note: r.decision_note,
            proposed: r.proposed,
        })
    }
}

const SELECT: &str = "SELECT p.id, p.cooperative_id, c.name AS cooperative_name, p.base_version, p.proposed, p.changes, p.note, \
     p.status, p.proposed_by_name, p.proposed_at, p.decided_by_name, p.decided_at, p.decision_note \
     FROM change_proposals p JOIN cooperatives c ON c.id = p.cooperative_id";

fn clean_note(note: &str) -> Result<Option<String>, DbError> {
    let note = note.trim();
    if note.chars().count() > 2000 {
        return Err(DbError::Invalid(FieldErrors::single("note", FieldError::TooLong)));
    }
    Ok((!note.is_empty()).then(|| note.to_string()))
}

impl Db {
    /// Records a proposal against `current` (the version the pengurus saw).
    pub async fn propose_change(
        &self,
        office: &Office,
        current: &CooperativeRecord,
        proposed: &CooperativeFields,
        note: &str,
        actor: &Actor,
    ) -> Result<Proposal, DbError> {
        let changes = field_changes(&current.fields.display_fields(), &proposed.display_fields());
        if changes.is_empty() {
            return Err(DbError::Invalid(FieldErrors::single("changes", FieldError::Required)));
        }
        self.check_regions(office, proposed).await?;
        let note = clean_note(note)?;
        let user_id = actor
            .user_id
            .ok_or_else(|| DbError::Corrupt("a proposal needs a user".into()))?;
        let id: i64 = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO change_proposals (cooperative_id, base_version, proposed, changes, note, status, proposed_by, proposed_by_name, proposed_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(current.id).bind(current.version).bind(json!(proposed).to_string())
            .bind(serde_json::to_string(&changes).unwrap_or_default()).bind(note.clone())
            .bind(ProposalStatus::Pending.as_str()).bind(user_id).bind(actor.name.clone()).bind(now())
            .fetch_one(&mut *tx).await?;
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "proposal.create", entity_type: "cooperative", entity_id: Some(current.id.to_string()),
                before: None, after: Some(json!({"proposal": id, "changes": changes, "note": note})),
            })?;
            tx.commit().await?;
            id
        });
        self.proposal(id).await
    }

    pub async fn proposal(&self, id: i64) -> Result<Proposal, DbError> {
        let row = on_pool!(self, p => sqlx::query_as::<_, ProposalRow>(sqlx::AssertSqlSafe(format!("{SELECT} WHERE p.id = $1")))
            .bind(id).fetch_optional(p).await)?;
        row.ok_or(DbError::NotFound)?.try_into()
    }

    /// A cooperative's proposals, newest first.
    pub async fn proposals_of(&self, cooperative_id: i64) -> Result<Vec<Proposal>, DbError> {
        let rows = on_pool!(self, p => sqlx::query_as::<_, ProposalRow>(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE p.cooperative_id = $1 ORDER BY p.id DESC LIMIT 200"
        ))).bind(cooperative_id).fetch_all(p).await)?;
        rows.into_iter().map(Proposal::try_from).collect()
    }

    /// Pending proposals, oldest first, optionally within some kecamatan.
    pub async fn pending_proposals(&self, kecamatan: &[String], limit: i64) -> Result<Vec<Proposal>, DbError> {
        let within = if kecamatan.is_empty() {
            String::new()
        } else {
            let list: Vec<String> = (0..kecamatan.len()).map(|i| format!("${}", i + 2)).collect();
            format!(" AND c.kecamatan_code IN ({})", list.join(", "))
        };
        let sql = format!("{SELECT} WHERE p.status = 'pending'{within} ORDER BY p.id LIMIT $1");
        let rows = on_pool!(self, p => {
            let mut q = sqlx::query_as::<_, ProposalRow>(sqlx::AssertSqlSafe(sql)).bind(limit.clamp(1, 1000));
            for k in kecamatan {
                q = q.bind(k.clone());
            }
            q.fetch_all(p).await
        })?;
        rows.into_iter().map(Proposal::try_from).collect()
    }

    /// Applies a pending proposal (as an edit from its base version) or rejects it.
    pub async fn decide_proposal(
        &self,
        office: &Office,
        id: i64,
        apply: bool,
        note: &str,
        actor: &Actor,
    ) -> Result<Proposal, DbError> {
        let proposal = self.proposal(id).await?;
        if proposal.status != ProposalStatus::Pending.as_str() {
            return Err(DbError::Invalid(FieldErrors::single(
                "status",
                FieldError::ValueNotInList,
            )));
        }
        let note = clean_note(note)?;
        if apply {
            let fields: CooperativeFields = serde_json::from_str(&proposal.proposed)
                .map_err(|e| DbError::Corrupt(format!("proposal {id}: {e}")))?;
            self.update_cooperative(
                office,
                proposal.cooperative_id,
                &fields,
                Some(proposal.base_version),
                actor,
            )
            .await?;
        }
        let status = if apply {
            ProposalStatus::Applied
        } else {
            ProposalStatus::Rejected
        };
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let n = sqlx::query(
                "UPDATE change_proposals SET status = $1, decided_by_name = $2, decided_at = $3, decision_note = $4 WHERE id = $5 AND status = 'pending'",
            )
            .bind(status.as_str()).bind(actor.name.clone()).bind(now()).bind(note.clone()).bind(id)
            .execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(DbError::NotFound);
            }
            write_audit!(&mut *tx, actor, AuditEntry {
                action: if apply { "proposal.apply" } else { "proposal.reject" }, entity_type: "cooperative",
                entity_id: Some(proposal.cooperative_id.to_string()),
                before: Some(json!({"proposal": id, "status": "pending"})), after: Some(json!({"proposal": id, "status": status.as_str(), "note": note})),
            })?;
            tx.commit().await?;
        });
        self.proposal(id).await
    }
}
