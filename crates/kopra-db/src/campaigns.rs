//! Self-service re-registration: a campaign invites cooperatives with one-time codes; their
//! pengurus confirm or correct their data without an account; the office approves (the
//! change is applied with the campaign as its source) or returns it with a note.

use crate::audit::AuditEntry;
use crate::sessions::secret_hash;
use crate::settings::Office;
use crate::{Actor, Db, DbError, now, on_pool, write_audit};
use kopra_domain::annual_report::AnnualReport;
use kopra_domain::{CooperativeFields, FieldChange, FieldError, FieldErrors, field_changes};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;
use time::Date;

/// Letters easy to read aloud and type on a phone (no 0/O, 1/I/L).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A one-time invitation code: 10 characters, about 49 bits.
pub fn new_code() -> String {
    let bytes: [u8; 10] = rand::random();
    bytes
        .iter()
        .map(|b| CODE_ALPHABET[*b as usize % CODE_ALPHABET.len()] as char)
        .collect()
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Campaign {
    pub id: i64,
    pub name: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub created_by: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Invitation {
    pub id: i64,
    pub campaign_id: i64,
    pub cooperative_id: i64,
    pub code: String,
    /// invited, opened, submitted, approved, returned, not_reached, not_found
    pub outcome: String,
    pub note: Option<String>,
}

/// What a cooperative sends back.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SubmissionReport {
    pub rat_date: Option<Date>,
    pub reported_date: Option<Date>,
    pub members_male: Option<i64>,
    pub members_female: Option<i64>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SubmissionRow {
    pub id: i64,
    pub invitation_id: i64,
    pub proposed: String,
    pub changes: String,
    pub report: Option<String>,
    pub stopped: bool,
    pub note: Option<String>,
    pub status: String,
    pub review_note: Option<String>,
}

/// Per-kecamatan progress of a campaign.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CampaignCounts {
    pub invited: i64,
    pub opened: i64,
    pub submitted: i64,
    pub approved: i64,
    pub returned: i64,
    pub not_reached: i64,
    pub not_found: i64,
}

impl Db {
    /// Opens a campaign and invites every non-archived cooperative in scope
    /// (`supervised_only`, optionally one kecamatan). Returns the campaign id.
    pub async fn create_campaign(
        &self,
        name: &str,
        starts_on: Date,
        ends_on: Date,
        supervised_only: bool,
        kecamatan: Option<&str>,
        actor: &Actor,
    ) -> Result<i64, DbError> {
        let mut e = FieldErrors::default();
        if name.trim().is_empty() {
            e.add("name", FieldError::Required);
        }
        if ends_on < starts_on {
            e.add("ends_on", FieldError::DateFormat);
        }
        if !e.is_empty() {
            return Err(DbError::Invalid(e));
        }
        let ids: Vec<i64> = on_pool!(self, p => sqlx::query_scalar(
            "SELECT id FROM cooperatives WHERE archived = $1 AND ($2 = FALSE OR supervised = $2) AND ($3 IS NULL OR kecamatan_code = $3) ORDER BY id",
        ).bind(false).bind(supervised_only).bind(kecamatan).fetch_all(p).await)?;
        let id: i64 = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar("INSERT INTO campaigns (name, starts_on, ends_on, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
                .bind(name.trim()).bind(starts_on).bind(ends_on).bind(actor.name.clone()).bind(now()).fetch_one(&mut *tx).await?;
            for coop in &ids {
                let code = new_code();
                sqlx::query("INSERT INTO invitations (campaign_id, cooperative_id, code_hash, code, outcome) VALUES ($1, $2, $3, $4, 'invited')")
                    .bind(id).bind(*coop).bind(secret_hash(&code)).bind(&code).execute(&mut *tx).await?;
            }
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "campaign.create", entity_type: "campaign", entity_id: Some(id.to_string()),
                before: None, after: Some(json!({"name": name, "invitations": ids.len()})),
            })?;
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    pub async fn campaigns(&self) -> Result<Vec<Campaign>, DbError> {
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, Campaign>("SELECT id, name, starts_on, ends_on, created_by FROM campaigns ORDER BY id DESC LIMIT 100").fetch_all(p).await)?,
        )
    }

    pub async fn campaign(&self, id: i64) -> Result<Campaign, DbError> {
        on_pool!(self, p => sqlx::query_as::<_, Campaign>("SELECT id, name, starts_on, ends_on, created_by FROM campaigns WHERE id = $1").bind(id).fetch_optional(p).await)?
            .ok_or(DbError::NotFound)
    }

    pub async fn invitations(&self, campaign_id: i64) -> Result<Vec<(Invitation, String, String)>, DbError> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            inv: Invitation,
            name: String,
            kecamatan_code: String,
        }
        let rows: Vec<Row> = on_pool!(self, p => sqlx::query_as::<_, Row>(
            "SELECT i.id, i.campaign_id, i.cooperative_id, i.code, i.outcome, i.note, c.name, c.kecamatan_code \
             FROM invitations i JOIN cooperatives c ON c.id = i.cooperative_id WHERE i.campaign_id = $1 ORDER BY c.kecamatan_code, c.name",
        ).bind(campaign_id).fetch_all(p).await)?;
        Ok(rows.into_iter().map(|r| (r.inv, r.name, r.kecamatan_code)).collect())
    }

    /// Progress per kecamatan code.
    pub async fn campaign_counts(&self, campaign_id: i64) -> Result<BTreeMap<String, CampaignCounts>, DbError> {
        let mut out: BTreeMap<String, CampaignCounts> = BTreeMap::new();
        for (inv, _, kec) in self.invitations(campaign_id).await? {
            let c = out.entry(kec).or_default();
            c.invited += 1;
            match inv.outcome.as_str() {
                "opened" => c.opened += 1,
                "submitted" => c.submitted += 1,
                "approved" => c.approved += 1,
                "returned" => c.returned += 1,
                "not_reached" => c.not_reached += 1,
                "not_found" => c.not_found += 1,
                _ => {}
            }
        }
        Ok(out)
    }

    /// The invitation behind a code, marked opened the first time.
    pub async fn invitation_by_code(&self, code: &str) -> Result<Invitation, DbError> {
        let code = code.trim().to_uppercase();
        let inv = on_pool!(self, p => sqlx::query_as::<_, Invitation>(
            "SELECT id, campaign_id, cooperative_id, code, outcome, note FROM invitations WHERE code_hash = $1",
        ).bind(secret_hash(&code)).fetch_optional(p).await)?
        .ok_or(DbError::NotFound)?;
        if inv.outcome == "invited" {
            on_pool!(self, p => sqlx::query("UPDATE invitations SET outcome = 'opened', opened_at = $1 WHERE id = $2 AND outcome = 'invited'")
                .bind(now()).bind(inv.id).execute(p).await.map(|r| r.rows_affected()))?;
        }
        Ok(inv)
    }

    /// Records what the cooperative sends: corrected fields, its last RAT and members, or
    /// that it has stopped. Waits for the office's review.
    pub async fn submit_invitation(
        &self,
        inv: &Invitation,
        proposed: &CooperativeFields,
        report: &SubmissionReport,
        stopped: bool,
        note: &str,
    ) -> Result<i64, DbError> {
        if matches!(inv.outcome.as_str(), "approved" | "not_found") {
            return Err(DbError::Invalid(FieldErrors::single("code", FieldError::AlreadyUsed)));
        }
        let current = self.cooperative(inv.cooperative_id).await?;
        let changes: Vec<FieldChange> = field_changes(&current.fields.display_fields(), &proposed.display_fields());
        let actor = Actor {
            user_id: None,
            name: format!("pengurus via undangan #{}", inv.id),
            ip: None,
        };
        let id: i64 = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO invitation_submissions (invitation_id, proposed, changes, report, stopped, note, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7) RETURNING id",
            )
            .bind(inv.id).bind(json!(proposed).to_string()).bind(json!(changes).to_string()).bind(json!(report).to_string())
            .bind(stopped).bind(Some(note.trim()).filter(|n| !n.is_empty())).bind(now())
            .fetch_one(&mut *tx).await?;
            sqlx::query("UPDATE invitations SET outcome = 'submitted' WHERE id = $1").bind(inv.id).execute(&mut *tx).await?;
            write_audit!(&mut *tx, &actor, AuditEntry {
                action: "campaign.submit", entity_type: "cooperative", entity_id: Some(inv.cooperative_id.to_string()),
                before: None, after: Some(json!({"invitation": inv.id, "changes": changes, "stopped": stopped})),
            })?;
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    pub async fn latest_submission(&self, invitation_id: i64) -> Result<Option<SubmissionRow>, DbError> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, SubmissionRow>(
            "SELECT id, invitation_id, proposed, changes, report, stopped, note, status, review_note FROM invitation_submissions WHERE invitation_id = $1 ORDER BY id DESC LIMIT 1",
        ).bind(invitation_id).fetch_optional(p).await)?)
    }

    /// Approves (applies the change with the campaign as its source; a RAT becomes a
    /// verified report) or returns the latest submission with a note.
    pub async fn review_submission(
        &self,
        office: &Office,
        invitation_id: i64,
        approve: bool,
        note: &str,
        actor: &Actor,
    ) -> Result<(), DbError> {
        let sub = self
            .latest_submission(invitation_id)
            .await?
            .filter(|s| s.status == "pending")
            .ok_or(DbError::NotFound)?;
        let inv: Invitation = on_pool!(self, p => sqlx::query_as::<_, Invitation>(
            "SELECT id, campaign_id, cooperative_id, code, outcome, note FROM invitations WHERE id = $1",
        ).bind(invitation_id).fetch_one(p).await)?;
        let campaign = self.campaign(inv.campaign_id).await?;
        if !approve && note.trim().is_empty() {
            return Err(DbError::Invalid(FieldErrors::single("note", FieldError::Required)));
        }
        if approve {
            let source = Actor {
                user_id: actor.user_id,
                name: format!("kampanye \"{}\" ({})", campaign.name, actor.name),
                ip: actor.ip.clone(),
            };
            let fields: CooperativeFields =
                serde_json::from_str(&sub.proposed).map_err(|e| DbError::Corrupt(format!("submission: {e}")))?;
            self.update_cooperative(office, inv.cooperative_id, &fields, None, &source)
                .await?;
            let report: SubmissionReport = sub
                .report
                .as_deref()
                .and_then(|r| serde_json::from_str(r).ok())
                .unwrap_or_default();
            if let Some(rat) = report.rat_date {
                let r = AnnualReport {
                    book_year: rat.year() - 1,
                    rat_date: Some(rat),
                    reported_date: report.reported_date,
                    report_channel: Some("kopra".into()),
                    members_male: report.members_male,
                    members_female: report.members_female,
                    members_total: match (report.members_male, report.members_female) {
                        (Some(m), Some(f)) => Some(m + f),
                        _ => None,
                    },
                    ..Default::default()
                };
                match self
                    .create_annual_report(inv.cooperative_id, &r, "entry", &source)
                    .await
                {
                    Ok(_) => {}
                    // The book year already has a report: the answer corrects it, as a new
                    // version (the history keeps the earlier one).
                    Err(DbError::Duplicate(_)) => {
                        let existing = self
                            .annual_reports(inv.cooperative_id)
                            .await?
                            .into_iter()
                            .find(|e| e.report.book_year == r.book_year)
                            .ok_or(DbError::NotFound)?;
                        let mut corrected = existing.report.clone();
                        corrected.rat_date = r.rat_date;
                        corrected.reported_date = r.reported_date.or(corrected.reported_date);
                        if r.members_male.is_some() || r.members_female.is_some() {
                            corrected.members_male = r.members_male;
                            corrected.members_female = r.members_female;
                            corrected.members_total = r.members_total;
                        }
                        self.update_annual_report(existing.id, &corrected, None, &source)
                            .await?;
                    }
                    Err(e) => return Err(e),
                }
            }
            if sub.stopped {
                let c = self.cooperative(inv.cooperative_id).await?;
                self.archive_cooperative(
                    inv.cooperative_id,
                    &format!("berhenti menurut pengurus (kampanye \"{}\")", campaign.name),
                    Some(c.version),
                    &source,
                )
                .await?;
            }
        }
        let (status, outcome) = if approve {
            ("approved", "approved")
        } else {
            ("returned", "returned")
        };
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            sqlx::query("UPDATE invitation_submissions SET status = $1, review_note = $2, reviewed_by = $3 WHERE id = $4")
                .bind(status).bind(Some(note.trim()).filter(|n| !n.is_empty())).bind(actor.name.clone()).bind(sub.id).execute(&mut *tx).await?;
            sqlx::query("UPDATE invitations SET outcome = $1 WHERE id = $2").bind(outcome).bind(invitation_id).execute(&mut *tx).await?;
            write_audit!(&mut *tx, actor, AuditEntry {
                action: if approve { "campaign.approve" } else { "campaign.return" }, entity_type: "cooperative",
                entity_id: Some(inv.cooperative_id.to_string()), before: None, after: Some(json!({"invitation": invitation_id, "note": note})),
            })?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Records that a cooperative could not be reached, or was not found at its address
    /// (the cooperative itself is not deleted or changed).
    pub async fn set_invitation_outcome(
        &self,
        invitation_id: i64,
        outcome: &str,
        note: &str,
        actor: &Actor,
    ) -> Result<(), DbError> {
        if !matches!(outcome, "not_reached" | "not_found") {
            return Err(DbError::Invalid(FieldErrors::single(
                "outcome",
                FieldError::ValueNotInList,
            )));
        }
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let n = sqlx::query("UPDATE invitations SET outcome = $1, note = $2 WHERE id = $3")
                .bind(outcome).bind(Some(note.trim()).filter(|n| !n.is_empty())).bind(invitation_id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(DbError::NotFound);
            }
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "campaign.outcome", entity_type: "invitation", entity_id: Some(invitation_id.to_string()),
                before: None, after: Some(json!({"outcome": outcome, "note": note})),
            })?;
            tx.commit().await?;
        });
        Ok(())
    }
}
