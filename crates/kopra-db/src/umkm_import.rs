//! Importing a UMKM spreadsheet: plan (dry run) with a message per problem, then commit in
//! one transaction. Rows match existing UMKM by NIB; a matched row updates only what
//! changed (a new version, the import as the actor); importing the same file again
//! changes nothing.

use crate::audit::AuditEntry;
use crate::settings::Office;
use crate::umkm::bind_umkm_fields;
use crate::umkm_stream_import::{identity, registered_umkm};
use crate::{Actor, Db, DbError, now, on_pool, write_audit};
use kopra_domain::umkm_input::UmkmFields;
use kopra_domain::{FieldChange, RegionCode, field_changes};
use kopra_import::ImportError;
use kopra_import::table::read_table;
use kopra_import::umkm_rows::{UmkmMapping, detect_umkm_mapping, read_umkm_rows};
use serde::Serialize;
use serde_json::json;
use std::collections::{HashMap, HashSet};
use time::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UmkmRowAction {
    Create,
    Update,
    Unchanged,
    Rejected,
}

/// One row of the plan: what committing would do, and why.
#[derive(Debug, Clone, Serialize)]
pub struct UmkmPlanRow {
    pub line: u64,
    pub name: String,
    pub action: UmkmRowAction,
    pub umkm_id: Option<i64>,
    pub changes: Vec<FieldChange>,
    /// (column, value, severity, message code)
    pub messages: Vec<(String, String, String, &'static str)>,
    #[serde(skip)]
    fields: Option<UmkmFields>,
    #[serde(skip)]
    from_version: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UmkmImportPlan {
    pub file_name: String,
    pub sheet: String,
    pub mapping: UmkmMapping,
    pub rows: Vec<UmkmPlanRow>,
}

impl UmkmImportPlan {
    pub fn count(&self, a: UmkmRowAction) -> usize {
        self.rows.iter().filter(|r| r.action == a).count()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum UmkmImportFailure {
    #[error(transparent)]
    File(#[from] ImportError),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl Db {
    pub async fn plan_umkm_import(
        &self,
        bytes: &[u8],
        file_name: &str,
        office: &Office,
        sheet: Option<&str>,
        today: Date,
    ) -> Result<UmkmImportPlan, UmkmImportFailure> {
        let table = read_table(bytes, file_name, sheet)?;
        let mapping = detect_umkm_mapping(&table).ok_or(ImportError::NoHeader)?;
        let index = self.region_index(&office.home).await?;
        let rows = read_umkm_rows(&table, &mapping, &index, &office.home);
        let mut seen: HashMap<String, u64> = HashMap::new();
        let mut seen_identity: HashSet<(String, String, String)> = HashSet::new();
        let mut planned = Vec::with_capacity(rows.len());
        for row in rows {
            let mut messages: Vec<(String, String, String, &'static str)> = row
                .messages
                .iter()
                .map(|m| {
                    (
                        m.column.clone(),
                        m.value.clone(),
                        format!("{:?}", m.severity).to_lowercase(),
                        m.code,
                    )
                })
                .collect();
            let mut p = UmkmPlanRow {
                line: row.line,
                name: row.name.clone(),
                action: UmkmRowAction::Rejected,
                umkm_id: None,
                changes: vec![],
                messages: vec![],
                fields: None,
                from_version: None,
            };
            let fields = match row.input.as_ref().map(|i| i.parse(today)) {
                None => None,
                Some(Ok(f)) => Some(f),
                Some(Err(errors)) => {
                    for (field, e) in errors.iter() {
                        messages.push((field.to_string(), String::new(), "error".into(), e.code()));
                    }
                    None
                }
            };
            let Some(fields) = fields else {
                p.messages = messages;
                planned.push(p);
                continue;
            };
            if let Some(nib) = &fields.nib {
                if let Some(line) = seen.get(nib) {
                    messages.push((
                        "NIB".into(),
                        format!("{nib} (baris {line})"),
                        "error".into(),
                        "nib_in_file",
                    ));
                    p.messages = messages;
                    planned.push(p);
                    continue;
                }
                seen.insert(nib.clone(), row.line);
            } else if !seen_identity.insert(identity(&fields)) {
                messages.push((String::new(), fields.name.clone(), "error".into(), "umkm_in_file"));
                p.messages = messages;
                planned.push(p);
                continue;
            }
            p.action = UmkmRowAction::Create;
            p.fields = Some(fields);
            p.messages = messages;
            planned.push(p);
        }
        // What the register already holds, by NIB or (without one) by kelurahan, name and
        // owner: 400 rows a query.
        let to_match: Vec<usize> = (0..planned.len()).filter(|&i| planned[i].fields.is_some()).collect();
        for chunk in to_match.chunks(400) {
            let fields: Vec<&UmkmFields> = chunk.iter().filter_map(|&i| planned[i].fields.as_ref()).collect();
            let registered: Vec<Option<crate::umkm::UmkmRecord>> = on_pool!(self, p => {
                let found: Result<_, sqlx::Error> = async { Ok(registered_umkm!(p, &fields)) }.await;
                found
            })
            .map_err(DbError::from)?;
            for (&i, stored) in chunk.iter().zip(registered) {
                let Some(stored) = stored else { continue };
                let p = &mut planned[i];
                let fields = p.fields.as_ref().expect("matched rows have fields");
                p.umkm_id = Some(stored.id);
                p.changes = field_changes(&stored.fields.display_fields(), &fields.display_fields());
                p.action = if p.changes.is_empty() {
                    UmkmRowAction::Unchanged
                } else {
                    UmkmRowAction::Update
                };
                p.from_version = Some(stored.version);
            }
        }
        Ok(UmkmImportPlan {
            file_name: file_name.to_string(),
            sheet: table.sheet,
            mapping,
            rows: planned,
        })
    }

    /// Writes a plan's creates and updates in one transaction (all or nothing); returns
    /// (created, updated). A record changed since the plan was made is a conflict.
    pub async fn commit_umkm_import(&self, plan: &UmkmImportPlan, actor: &Actor) -> Result<(usize, usize), DbError> {
        let t = now();
        let batch_actor = Actor {
            user_id: actor.user_id,
            name: format!("impor UMKM {} ({})", plan.file_name, actor.name),
            ip: actor.ip.clone(),
        };
        let mut created = 0;
        let mut updated = 0;
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            for row in &plan.rows {
                let Some(f) = row.fields.as_ref() else { continue };
                let kabkota = RegionCode::parse(&f.kelurahan_code).ok().and_then(|c| c.truncate(2)).map(|c| c.as_str().to_string()).unwrap_or_default();
                match (row.action, row.umkm_id, row.from_version) {
                    (UmkmRowAction::Create, _, _) => {
                        let id: i64 = bind_umkm_fields!(sqlx::query_scalar(crate::umkm::INSERT), f, kabkota.clone(), false)
                            .bind(t).fetch_one(&mut *tx).await.map_err(crate::umkm::nib_taken)?;
                        sqlx::query(crate::umkm::INSERT_VERSION)
                            .bind(id).bind(1i64).bind("create").bind(json!({"fields": f, "archived": false}).to_string())
                            .bind(serde_json::to_string(&field_changes(&[], &f.display_fields())).unwrap_or_default()).bind(None::<String>)
                            .bind(batch_actor.user_id).bind(batch_actor.name.clone()).bind(t)
                            .execute(&mut *tx).await?;
                        created += 1;
                    }
                    (UmkmRowAction::Update, Some(id), Some(version)) => {
                        let n = bind_umkm_fields!(sqlx::query(crate::umkm::UPDATE), f, kabkota.clone(), false)
                            .bind(t).bind(id).bind(version).execute(&mut *tx).await.map_err(crate::umkm::nib_taken)?.rows_affected();
                        if n != 1 {
                            return Err(DbError::Conflict(json!({"umkm_id": id, "line": row.line})));
                        }
                        sqlx::query(crate::umkm::INSERT_VERSION)
                            .bind(id).bind(version + 1).bind("update").bind(json!({"fields": f, "archived": false}).to_string())
                            .bind(serde_json::to_string(&row.changes).unwrap_or_default()).bind(None::<String>)
                            .bind(batch_actor.user_id).bind(batch_actor.name.clone()).bind(t)
                            .execute(&mut *tx).await?;
                        updated += 1;
                    }
                    _ => {}
                }
            }
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "umkm.import", entity_type: "umkm", entity_id: None, before: None,
                after: Some(json!({"file": plan.file_name, "created": created, "updated": updated,
                    "rejected": plan.count(UmkmRowAction::Rejected)})),
            })?;
            tx.commit().await?;
        });
        Ok((created, updated))
    }
}
