//! Buying and selling coalitions: an anchor cooperative, member UMKM (and possibly other
//! cooperatives), and the joint purchases and sales they record. Savings are computed
//! from the purchases (domain `coalition::savings`). Every write is audited.

use crate::audit::AuditEntry;
use crate::cooperative_list::{Bind, Where, bind_all};
use crate::{Actor, Db, DbError, now, on_pool, write_audit};
use kopra_domain::coalition::{CoalitionStatus, Purpose, Transaction, TransactionInput, TransactionKind};
use kopra_domain::umkm::normalise_tag;
use kopra_domain::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::{Date, OffsetDateTime};

/// A coalition to open.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct NewCoalition {
    pub anchor_cooperative_id: i64,
    pub name: String,
    /// `joint_buying|joint_selling|both`
    pub purpose: String,
    #[serde(default)]
    pub umkm_ids: Vec<i64>,
    /// Other cooperatives taking part.
    #[serde(default)]
    pub cooperative_ids: Vec<i64>,
    #[serde(default)]
    pub commodities: Vec<String>,
    #[serde(default)]
    pub agreement_date: Option<Date>,
    /// A reference to the signed agreement (number, or where it is filed).
    #[serde(default)]
    pub agreement_document: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct CoalitionMember {
    pub umkm_id: Option<i64>,
    pub cooperative_id: Option<i64>,
    pub name: String,
    pub joined_on: Date,
}

/// A coalition with its members and outcomes.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CoalitionRecord {
    pub id: i64,
    pub anchor_cooperative_id: i64,
    pub anchor_name: String,
    pub name: String,
    pub purpose: Purpose,
    pub commodities: Vec<String>,
    pub agreement_date: Option<Date>,
    pub agreement_document: Option<String>,
    pub status: CoalitionStatus,
    pub notes: Option<String>,
    pub members: Vec<CoalitionMember>,
    /// Σ (individual_value − value) over purchases, integer Rupiah.
    pub savings: i64,
    /// Total value of joint purchases and of joint sales, integer Rupiah.
    pub purchases_value: i64,
    pub sales_value: i64,
    pub transactions: i64,
    pub created_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// One line of the coalition list, with its totals.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct CoalitionSummary {
    pub id: i64,
    pub name: String,
    pub anchor_cooperative_id: i64,
    pub anchor_name: String,
    pub purpose: String,
    pub status: String,
    pub members: i64,
    pub purchases_value: i64,
    pub sales_value: i64,
    pub savings: i64,
}

/// A recorded transaction.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TransactionRecord {
    pub id: i64,
    pub coalition_id: i64,
    pub kind: TransactionKind,
    pub date: Date,
    pub goods: String,
    pub quantity: f64,
    pub unit: String,
    pub value: i64,
    pub individual_value: Option<i64>,
    /// individual_value − value, for a purchase with an individual value.
    pub saving: Option<i64>,
    pub member_ids: Vec<i64>,
    pub created_by: String,
}

impl TransactionRecord {
    fn of(id: i64, coalition_id: i64, t: Transaction, created_by: String) -> Self {
        TransactionRecord {
            id,
            coalition_id,
            saving: t.saving(),
            kind: t.kind,
            date: t.date,
            goods: t.goods,
            quantity: t.quantity,
            unit: t.unit,
            value: t.value,
            individual_value: t.individual_value,
            member_ids: t.member_ids,
            created_by,
        }
    }

    /// The transaction as the domain computes with it (savings, outcomes by month).
    pub fn transaction(&self) -> Transaction {
        Transaction {
            kind: self.kind,
            date: self.date,
            goods: self.goods.clone(),
            quantity: self.quantity,
            unit: self.unit.clone(),
            value: self.value,
            individual_value: self.individual_value,
            member_ids: self.member_ids.clone(),
        }
    }
}

type TransactionRow = (
    i64,
    i64,
    String,
    Date,
    String,
    f64,
    String,
    i64,
    Option<i64>,
    String,
    String,
);

fn transaction_from(r: TransactionRow) -> Result<TransactionRecord, DbError> {
    let (id, coalition_id, kind, date, goods, quantity, unit, value, individual_value, members, created_by) = r;
    let kind = TransactionKind::from_code(&kind).ok_or_else(|| DbError::Corrupt(format!("transaction {id}: kind")))?;
    let member_ids: Vec<i64> =
        serde_json::from_str(&members).map_err(|e| DbError::Corrupt(format!("transaction {id}: {e}")))?;
    let t = Transaction {
        kind,
        date,
        goods,
        quantity,
        unit,
        value,
        individual_value,
        member_ids,
    };
    Ok(TransactionRecord::of(id, coalition_id, t, created_by))
}

/// The SQL sums of one coalition's transactions (savings as the domain defines them).
const TOTALS: &str = "SELECT CAST(COALESCE(SUM(CASE WHEN kind = 'purchase' THEN value ELSE 0 END), 0) AS BIGINT), \
     CAST(COALESCE(SUM(CASE WHEN kind = 'sale' THEN value ELSE 0 END), 0) AS BIGINT), \
     CAST(COALESCE(SUM(CASE WHEN kind = 'purchase' AND individual_value IS NOT NULL THEN individual_value - value ELSE 0 END), 0) AS BIGINT), \
     COUNT(*) FROM coalition_transactions WHERE coalition_id = $1";

impl Db {
    /// Opens a coalition around an anchor cooperative, with its first members.
    pub async fn create_coalition(&self, c: &NewCoalition, today: Date, actor: &Actor) -> Result<i64, DbError> {
        let mut errors = FieldErrors::default();
        let name = c.name.trim();
        if name.is_empty() {
            errors.add("name", FieldError::Required);
        } else if name.chars().count() > 200 {
            errors.add("name", FieldError::TooLong);
        }
        let purpose = Purpose::from_code(c.purpose.trim());
        if purpose.is_none() {
            errors.add("purpose", FieldError::ValueNotInList);
        }
        match self.cooperative(c.anchor_cooperative_id).await {
            Ok(anchor) if !anchor.archived => {}
            Ok(_) | Err(DbError::NotFound) => errors.add("anchor_cooperative_id", FieldError::ValueNotInList),
            Err(e) => return Err(e),
        }
        if c.agreement_date.is_some_and(|d| d > today) {
            errors.add("agreement_date", FieldError::DateInFuture);
        }
        let mut umkm_ids = c.umkm_ids.clone();
        umkm_ids.sort_unstable();
        umkm_ids.dedup();
        let found = self.umkm_many(&umkm_ids).await?;
        if found.len() != umkm_ids.len() || found.iter().any(|u| u.archived) {
            errors.add("umkm_ids", FieldError::ValueNotInList);
        }
        let mut coop_ids: Vec<i64> = c
            .cooperative_ids
            .iter()
            .copied()
            .filter(|i| *i != c.anchor_cooperative_id)
            .collect();
        coop_ids.sort_unstable();
        coop_ids.dedup();
        for id in &coop_ids {
            if self.cooperative(*id).await.is_err() {
                errors.add("cooperative_ids", FieldError::ValueNotInList);
            }
        }
        let mut commodities: Vec<String> = c.commodities.iter().filter_map(|t| normalise_tag(t)).collect();
        if commodities.is_empty() {
            // What the members make, most shared first.
            let mut counts: Vec<(String, usize)> = Vec::new();
            for p in found.iter().flat_map(|u| u.fields.products.iter()) {
                match counts.iter_mut().find(|(q, _)| q == p) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((p.clone(), 1)),
                }
            }
            counts.sort_by(|a, b| b.1.cmp(&a.1));
            commodities = counts.into_iter().take(5).map(|(p, _)| p).collect();
        }
        if !errors.is_empty() {
            return Err(DbError::Invalid(errors));
        }
        let purpose = purpose.expect("checked");
        let status = if umkm_ids.is_empty() && coop_ids.is_empty() {
            CoalitionStatus::Draft
        } else {
            CoalitionStatus::Active
        };
        let t = now();
        let commodities_text = commodities.join(",");
        let id: i64 = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO coalitions (anchor_cooperative_id, name, purpose, commodities, agreement_date, agreement_document, status, notes, version, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $10) RETURNING id",
            )
            .bind(c.anchor_cooperative_id).bind(name.to_string()).bind(purpose.as_str()).bind(commodities_text.clone())
            .bind(c.agreement_date).bind(c.agreement_document.clone().filter(|d| !d.trim().is_empty()))
            .bind(status.as_str()).bind(c.notes.clone().filter(|n| !n.trim().is_empty())).bind(actor.name.clone()).bind(t)
            .fetch_one(&mut *tx).await?;
            for u in &umkm_ids {
                sqlx::query("INSERT INTO coalition_members (coalition_id, umkm_id, joined_on) VALUES ($1, $2, $3)")
                    .bind(id).bind(*u).bind(today).execute(&mut *tx).await?;
            }
            for co in &coop_ids {
                sqlx::query("INSERT INTO coalition_members (coalition_id, cooperative_id, joined_on) VALUES ($1, $2, $3)")
                    .bind(id).bind(*co).bind(today).execute(&mut *tx).await?;
            }
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "coalition.create", entity_type: "coalition", entity_id: Some(id.to_string()),
                before: None, after: Some(json!({"anchor_cooperative_id": c.anchor_cooperative_id, "name": name, "purpose": purpose.as_str(),
                    "umkm_ids": umkm_ids, "cooperative_ids": coop_ids, "commodities": commodities})),
            })?;
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// Brings more UMKM into a coalition (those already in it are left as they are).
    pub async fn add_coalition_members(
        &self,
        id: i64,
        umkm_ids: &[i64],
        today: Date,
        actor: &Actor,
    ) -> Result<usize, DbError> {
        let coalition = self.coalition(id).await?;
        let found = self.umkm_many(umkm_ids).await?;
        if found.len() != umkm_ids.iter().collect::<std::collections::BTreeSet<_>>().len() {
            return Err(DbError::Invalid(FieldErrors::single(
                "umkm_ids",
                FieldError::ValueNotInList,
            )));
        }
        let new: Vec<i64> = found
            .iter()
            .map(|u| u.id)
            .filter(|u| !coalition.members.iter().any(|m| m.umkm_id == Some(*u)))
            .collect();
        if new.is_empty() {
            return Ok(0);
        }
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            for u in &new {
                sqlx::query("INSERT INTO coalition_members (coalition_id, umkm_id, joined_on) VALUES ($1, $2, $3)")
                    .bind(id).bind(*u).bind(today).execute(&mut *tx).await?;
            }
            sqlx::query("UPDATE coalitions SET status = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND status = $4")
                .bind(CoalitionStatus::Active.as_str()).bind(now()).bind(id).bind(CoalitionStatus::Draft.as_str())
                .execute(&mut *tx).await?;
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "coalition.members", entity_type: "coalition", entity_id: Some(id.to_string()),
                before: None, after: Some(json!({"added_umkm_ids": new})),
            })?;
            tx.commit().await?;
        });
        Ok(new.len())
    }

    pub async fn coalition(&self, id: i64) -> Result<CoalitionRecord, DbError> {
        #[allow(clippy::type_complexity)]
        let row: Option<(
            i64,
            i64,
            String,
            String,
            String,
            String,
            Option<Date>,
            Option<String>,
            String,
            Option<String>,
            String,
            OffsetDateTime,
        )> = on_pool!(self, p => sqlx::query_as(
                "SELECT co.id, co.anchor_cooperative_id, c.name, co.name, co.purpose, co.commodities, co.agreement_date, co.agreement_document, \
                 co.status, co.notes, co.created_by, co.created_at FROM coalitions co JOIN cooperatives c ON c.id = co.anchor_cooperative_id WHERE co.id = $1",
            ).bind(id).fetch_optional(p).await)?;
        let (
            id,
            anchor,
            anchor_name,
            name,
            purpose,
            commodities,
            agreement_date,
            agreement_document,
            status,
            notes,
            created_by,
            created_at,
        ) = row.ok_or(DbError::NotFound)?;
        let members: Vec<CoalitionMember> = on_pool!(self, p => sqlx::query_as(
            "SELECT m.umkm_id, m.cooperative_id, COALESCE(u.name, c.name) AS name, m.joined_on FROM coalition_members m \
             LEFT JOIN umkm u ON u.id = m.umkm_id LEFT JOIN cooperatives c ON c.id = m.cooperative_id \
             WHERE m.coalition_id = $1 AND m.left_on IS NULL ORDER BY m.cooperative_id IS NULL, name, m.id",
        ).bind(id).fetch_all(p).await)?;
        let (purchases_value, sales_value, savings, transactions): (i64, i64, i64, i64) =
            on_pool!(self, p => sqlx::query_as(TOTALS).bind(id).fetch_one(p).await)?;
        Ok(CoalitionRecord {
            id,
            anchor_cooperative_id: anchor,
            anchor_name,
            name,
            purpose: Purpose::from_code(&purpose)
                .ok_or_else(|| DbError::Corrupt(format!("coalition {id}: purpose")))?,
            commodities: commodities
                .split(',')
                .filter(|c| !c.is_empty())
                .map(String::from)
                .collect(),
            agreement_date,
            agreement_document,
            status: CoalitionStatus::from_code(&status)
                .ok_or_else(|| DbError::Corrupt(format!("coalition {id}: status")))?,
            notes,
            members,
            savings,
            purchases_value,
            sales_value,
            transactions,
            created_by,
            created_at,
        })
    }

    /// Coalitions with their totals, in one query; `anchor` limits them to one cooperative's.
    pub async fn coalitions(
        &self,
        anchor: Option<i64>,
        kecamatan: &[String],
    ) -> Result<Vec<CoalitionSummary>, DbError> {
        let mut w = Where::default();
        if let Some(a) = anchor {
            w.push("co.anchor_cooperative_id = {}", vec![Bind::Int(a)]);
        }
        if !kecamatan.is_empty() {
            w.in_list("c.kecamatan_code", kecamatan.iter().cloned().map(Bind::Text).collect());
        }
        let sql = format!(
            "SELECT co.id, co.name, co.anchor_cooperative_id, c.name AS anchor_name, co.purpose, co.status, \
             (SELECT COUNT(*) FROM coalition_members m WHERE m.coalition_id = co.id AND m.left_on IS NULL) AS members, \
             CAST(COALESCE(t.purchases_value, 0) AS BIGINT) AS purchases_value, CAST(COALESCE(t.sales_value, 0) AS BIGINT) AS sales_value, CAST(COALESCE(t.savings, 0) AS BIGINT) AS savings \
             FROM coalitions co JOIN cooperatives c ON c.id = co.anchor_cooperative_id \
             LEFT JOIN (SELECT coalition_id, SUM(CASE WHEN kind = 'purchase' THEN value ELSE 0 END) AS purchases_value, \
                 SUM(CASE WHEN kind = 'sale' THEN value ELSE 0 END) AS sales_value, \
                 SUM(CASE WHEN kind = 'purchase' AND individual_value IS NOT NULL THEN individual_value - value ELSE 0 END) AS savings \
                 FROM coalition_transactions GROUP BY coalition_id) t ON t.coalition_id = co.id{} ORDER BY co.name, co.id",
            w.sql()
        );
        Ok(
            on_pool!(self, p => bind_all!(sqlx::query_as::<_, CoalitionSummary>(sqlx::AssertSqlSafe(sql)), w.binds.clone()).fetch_all(p).await)?,
        )
    }

    /// Records a joint purchase or sale. Members taking part default to every UMKM member.
    pub async fn add_transaction(
        &self,
        coalition_id: i64,
        input: &TransactionInput,
        today: Date,
        actor: &Actor,
    ) -> Result<TransactionRecord, DbError> {
        let coalition = self.coalition(coalition_id).await?;
        let mut input = input.clone();
        let members: Vec<i64> = coalition.members.iter().filter_map(|m| m.umkm_id).collect();
        if input.member_ids.is_empty() {
            input.member_ids = members.clone();
        }
        let t: Transaction = input
            .validate(coalition.purpose, today)
            .map_err(|e| DbError::Invalid(e.into()))?;
        if t.member_ids.iter().any(|m| !members.contains(m)) {
            return Err(DbError::Invalid(FieldErrors::single(
                "member_ids",
                FieldError::ValueNotInList,
            )));
        }
        let at = now();
        let id: i64 = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO coalition_transactions (coalition_id, kind, on_date, goods, quantity, unit, value, individual_value, member_ids, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(coalition_id).bind(t.kind.as_str()).bind(t.date).bind(t.goods.clone()).bind(t.quantity).bind(t.unit.clone())
            .bind(t.value).bind(t.individual_value).bind(json!(t.member_ids).to_string()).bind(actor.name.clone()).bind(at)
            .fetch_one(&mut *tx).await?;
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "coalition.transaction", entity_type: "coalition", entity_id: Some(coalition_id.to_string()),
                before: None, after: Some(json!({"transaction": id, "kind": t.kind.as_str(), "date": t.date, "goods": t.goods,
                    "quantity": t.quantity, "unit": t.unit, "value": t.value, "individual_value": t.individual_value, "member_ids": t.member_ids})),
            })?;
            tx.commit().await?;
            id
        });
        Ok(TransactionRecord::of(id, coalition_id, t, actor.name.clone()))
    }

    /// Pauses, resumes or ends a coalition (audited; its transactions are kept).
    pub async fn set_coalition_status(&self, id: i64, status: CoalitionStatus, actor: &Actor) -> Result<(), DbError> {
        let current = self.coalition(id).await?;
        if current.status == status {
            return Ok(());
        }
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            sqlx::query("UPDATE coalitions SET status = $1, version = version + 1, updated_at = $2 WHERE id = $3")
                .bind(status.as_str()).bind(now()).bind(id).execute(&mut *tx).await?;
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "coalition.status", entity_type: "coalition", entity_id: Some(id.to_string()),
                before: Some(json!({"status": current.status.as_str()})), after: Some(json!({"status": status.as_str()})),
            })?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// A coalition's transactions, newest first.
    pub async fn coalition_transactions(&self, coalition_id: i64) -> Result<Vec<TransactionRecord>, DbError> {
        let rows: Vec<TransactionRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, coalition_id, kind, on_date, goods, quantity, unit, value, individual_value, member_ids, created_by \
             FROM coalition_transactions WHERE coalition_id = $1 ORDER BY on_date DESC, id DESC",
        ).bind(coalition_id).fetch_all(p).await)?;
        rows.into_iter().map(transaction_from).collect()
    }

    /// The coalitions a cooperative anchors or takes part in (ids), for access checks.
    pub async fn coalitions_of_cooperative(&self, cooperative_id: i64) -> Result<Vec<i64>, DbError> {
        Ok(on_pool!(self, p => sqlx::query_scalar(
            "SELECT id FROM coalitions WHERE anchor_cooperative_id = $1 \
             UNION SELECT coalition_id FROM coalition_members WHERE cooperative_id = $1 ORDER BY 1",
        ).bind(cooperative_id).fetch_all(p).await)?)
    }
}
