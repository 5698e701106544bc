//! Importing a long UMKM list (a province's or the country's: millions of rows) in one pass:
//! rows are read as a stream, checked by the same rules as the UMKM import's preview
//! ([`kopra_import::umkm_rows::umkm_row`], then the domain's [`UmkmInput::parse`]), matched
//! by NIB against the register 400 at a time, and written in multi-row statements inside
//! one transaction, so memory stays flat however long the file is.
//!
//! What it keeps: a row whose NIB is on record updates that UMKM only where it differs (a
//! new version; an unchanged one writes nothing). So does a row without a NIB that names a
//! UMKM without one in the same kelurahan, with the same name key and owner (`identity`).
//! Any other row creates one (its first version). The import as a whole gets one audit entry naming the file, its SHA-256 and
//! the counts, as the preview's import does. Nothing is kept when a row is rejected, unless
//! the office accepts the valid rows; a business that appears twice in the file (the same
//! NIB, or without one the same identity) is rejected the second time.

use crate::audit::AuditEntry;
use crate::settings::Office;
use crate::umkm::{COLUMNS, UmkmRecord, bind_umkm_fields, snapshot};
use crate::{Actor, Db, DbError, now, on_pool, write_audit};
use kopra_domain::names::{compact_key, cooperative_search_key};
use kopra_domain::umkm_input::UmkmFields;
use kopra_domain::{FieldChange, RegionCode, field_changes};
use kopra_import::ImportError;
use kopra_import::table::Cell;
use kopra_import::umkm_rows::{UmkmColumn, UmkmMapping, umkm_row};
use serde::Serialize;
use serde_json::json;
use std::collections::HashSet;
use time::Date;

/// Rows per statement: 25 values each, 10,000 in all, under SQLite's 32,766 and
/// PostgreSQL's 65,535 bound values.
const BATCH: usize = 400;
/// Row problems listed in the summary (all are counted).
const LISTED: usize = 1000;

#[derive(Debug, Clone, Copy, Default)]
pub struct UmkmStreamOptions {
    /// Keep the valid rows even when some were rejected.
    pub accept_valid: bool,
    /// Check and match only; write nothing.
    pub dry_run: bool,
}

/// One problem with one row. `message_key` is `import.<code>` for a cell the reader
/// refuses or doubts, `error.<code>` for a value the domain rules refuse (`column` is then
/// the field).
#[derive(Debug, Clone, Serialize)]
pub struct UmkmRowProblem {
    pub line: u64,
    pub column: String,
    pub value: String,
    /// `error` (the row is not kept) or `warning` (kept; the value was left out).
    pub severity: &'static str,
    pub message_key: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct UmkmStreamSummary {
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Rows not kept (each has at least one error).
    pub rejected: u64,
    /// Rows kept with a warning.
    pub warned: u64,
    /// The first problems, in file order.
    pub problems: Vec<UmkmRowProblem>,
    pub committed: bool,
}

impl UmkmStreamSummary {
    fn note(&mut self, p: UmkmRowProblem) {
        if self.problems.len() < LISTED {
            self.problems.push(p);
        }
    }
}

/// Why an import stopped as a whole.
#[derive(Debug, thiserror::Error)]
pub enum UmkmStreamError {
    #[error(transparent)]
    File(#[from] ImportError),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for UmkmStreamError {
    fn from(e: sqlx::Error) -> Self {
        UmkmStreamError::Db(e.into())
    }
}

/// A checked row waiting for its batch.
struct Checked {
    fields: UmkmFields,
}

/// What a batch does to one row, once matched.
enum Outcome<'a> {
    Create(&'a UmkmFields),
    Update {
        id: i64,
        version: i64,
        archived: bool,
        archive_reason: Option<String>,
        fields: &'a UmkmFields,
        changes: Vec<FieldChange>,
    },
    Unchanged,
}

/// Who a UMKM without a NIB is: its kelurahan, its name's search key, its owner (compact).
pub(crate) fn identity(f: &UmkmFields) -> (String, String, String) {
    (
        f.kelurahan_code.clone(),
        cooperative_search_key(&f.name),
        f.owner_name.as_deref().map(compact_key).unwrap_or_default(),
    )
}

fn kabkota_of(f: &UmkmFields) -> String {
    RegionCode::parse(&f.kelurahan_code)
        .ok()
        .and_then(|c| c.truncate(2))
        .map(|c| c.as_str().to_string())
        .unwrap_or_default()
}

/// The register's UMKM that each of `$fields` names, in one or two queries on `$exec`: by
/// NIB, or for one without a NIB by `identity` (the lowest id when the register has several).
macro_rules! registered_umkm {
    ($exec:expr, $fields:expr) => {{
        let fields: &[&kopra_domain::umkm_input::UmkmFields] = $fields;
        let nibs: Vec<&str> = fields.iter().filter_map(|f| f.nib.as_deref()).collect();
        let mut stored: std::collections::HashMap<String, $crate::umkm::UmkmRecord> = std::collections::HashMap::new();
        if !nibs.is_empty() {
            let mut q = sqlx::QueryBuilder::new(format!("{} WHERE u.nib IN (", $crate::umkm::SELECT));
            let mut list = q.separated(", ");
            for nib in &nibs {
                list.push_bind(*nib);
            }
            q.push(")");
            let rows: Vec<$crate::umkm::UmkmRow> = q.build_query_as().fetch_all($exec).await?;
            for r in rows {
                let record = $crate::umkm::UmkmRecord::from(r);
                if let Some(nib) = record.fields.nib.clone() {
                    stored.insert(nib, record);
                }
            }
        }
        // Rows without a NIB: the UMKM without one in the same kelurahan with the same name
        // key and owner (the lowest id when the register has several).
        let unnumbered: Vec<(&str, String)> = fields
            .iter()
            .filter(|f| f.nib.is_none())
            .map(|f| {
                (
                    f.kelurahan_code.as_str(),
                    kopra_domain::names::cooperative_search_key(&f.name),
                )
            })
            .collect();
        let mut known: std::collections::HashMap<(String, String, String), $crate::umkm::UmkmRecord> =
            std::collections::HashMap::new();
        if !unnumbered.is_empty() {
            // One OR of pairs: SQLite searches `umkm_identity` once per pair (a row-value
            // `IN (VALUES …)` would scan the table).
            let mut q = sqlx::QueryBuilder::new(format!("{} WHERE ", $crate::umkm::SELECT));
            let mut pairs = q.separated(" OR ");
            for (kelurahan, key) in &unnumbered {
                pairs.push("(u.kelurahan_code = ");
                pairs.push_bind_unseparated(*kelurahan);
                pairs.push_unseparated(" AND u.search_key = ");
                pairs.push_bind_unseparated(key.as_str());
                pairs.push_unseparated(")");
            }
            let rows: Vec<$crate::umkm::UmkmRow> = q.build_query_as().fetch_all($exec).await?;
            // Those with a NIB are left out here, not in SQL: `nib IS NULL` would lead SQLite
            // to the NIB index (every UMKM without one) instead of `umkm_identity`.
            for r in rows {
                let record = $crate::umkm::UmkmRecord::from(r);
                if record.fields.nib.is_none() {
                    let id = $crate::umkm_stream_import::identity(&record.fields);
                    if known.get(&id).is_none_or(|k| k.id > record.id) {
                        known.insert(id, record);
                    }
                }
            }
        }
        fields
            .iter()
            .map(|f| match f.nib.as_deref() {
                Some(n) => stored.remove(n),
                None => known.get(&$crate::umkm_stream_import::identity(f)).cloned(),
            })
            .collect::<Vec<Option<$crate::umkm::UmkmRecord>>>()
    }};
}
pub(crate) use registered_umkm;

/// Matches a batch by NIB (inside the transaction: rows written earlier in the file are
/// seen) and writes it unless `write` is false; adds to the counts.
macro_rules! flush_batch {
    ($tx:expr, $batch:expr, $summary:expr, $write:expr, $sqlite:expr, $actor:expr, $t:expr, $was_empty:expr) => {{
        let batch: &[Checked] = $batch;
        let fields: Vec<&UmkmFields> = batch.iter().map(|c| &c.fields).collect();
        // Into a register that had no UMKM, a match could only be an earlier row of this
        // file, and those are refused as listed twice before they get here.
        let registered: Vec<Option<UmkmRecord>> = if $was_empty {
            vec![None; fields.len()]
        } else {
            registered_umkm!(&mut *$tx, &fields)
        };
        let outcomes: Vec<Outcome<'_>> = batch
            .iter()
            .zip(&registered)
            .map(|(c, r)| match r {
                None => Outcome::Create(&c.fields),
                Some(s) => {
                    let changes = field_changes(&s.fields.display_fields(), &c.fields.display_fields());
                    if changes.is_empty() {
                        Outcome::Unchanged
                    } else {
                        Outcome::Update {
                            id: s.id,
                            version: s.version,
                            archived: s.archived,
                            archive_reason: s.archive_reason.clone(),
                            fields: &c.fields,
                            changes,
                        }
                    }
                }
            })
            .collect();
        let creates: Vec<&UmkmFields> = outcomes
            .iter()
            .filter_map(|o| match o {
                Outcome::Create(f) => Some(*f),
                _ => None,
            })
            .collect();
        for o in &outcomes {
            match o {
                Outcome::Create(_) => $summary.created += 1,
                Outcome::Update { .. } => $summary.updated += 1,
                Outcome::Unchanged => $summary.unchanged += 1,
            }
        }
        if $write {
            // Ids for the new rows. SQLite: a stale read cannot become a write (the insert
            // fails instead), so no one else's rows take these ids; PostgreSQL: sequence
            // values are never handed out twice.
            let ids: Vec<i64> = if creates.is_empty() {
                vec![]
            } else if $sqlite {
                let max: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM umkm").fetch_one(&mut *$tx).await?;
                (max + 1..=max + creates.len() as i64).collect()
            } else {
                sqlx::query_scalar("SELECT nextval(pg_get_serial_sequence('umkm', 'id')) FROM generate_series(1, $1)")
                    .bind(creates.len() as i64)
                    .fetch_all(&mut *$tx)
                    .await?
            };
            if !creates.is_empty() {
                let mut q = sqlx::QueryBuilder::new(format!("INSERT INTO umkm (id, {COLUMNS}, version, created_at, updated_at) "));
                q.push_values(ids.iter().zip(&creates), |mut b, (id, f)| {
                    b.push_bind(*id);
                    bind_umkm_fields!(b, *f, kabkota_of(f), false, push_bind);
                    b.push_bind(1i64).push_bind($t).push_bind($t);
                });
                q.build().execute(&mut *$tx).await.map_err(crate::umkm::nib_taken)?;
            }
            // Updates, one statement each (each checks the version it matched).
            let mut versions: Vec<(i64, i64, &'static str, String, String)> = ids
                .iter()
                .zip(&creates)
                .map(|(id, f)| {
                    let changes = field_changes(&[], &f.display_fields());
                    (*id, 1, "create", snapshot(f, false, None), serde_json::to_string(&changes).unwrap_or_default())
                })
                .collect();
            for o in &outcomes {
                if let Outcome::Update { id, version, archived, archive_reason, fields, changes } = o {
                    let n = bind_umkm_fields!(sqlx::query(crate::umkm::UPDATE), *fields, kabkota_of(fields), *archived)
                        .bind($t)
                        .bind(*id)
                        .bind(*version)
                        .execute(&mut *$tx)
                        .await
                        .map_err(crate::umkm::nib_taken)?
                        .rows_affected();
                    if n != 1 {
                        return Err(DbError::Conflict(json!({"umkm_id": id})).into());
                    }
                    versions.push((
                        *id,
                        version + 1,
                        "update",
                        snapshot(fields, *archived, archive_reason.as_deref()),
                        serde_json::to_string(changes).unwrap_or_default(),
                    ));
                }
            }
            if !versions.is_empty() {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO umkm_versions (umkm_id, version, action, snapshot, changes, reason, actor_user_id, actor_name, at) ",
                );
                q.push_values(&versions, |mut b, (id, version, action, snapshot, changes)| {
                    b.push_bind(*id)
                        .push_bind(*version)
                        .push_bind(*action)
                        .push_bind(snapshot.as_str())
                        .push_bind(changes.as_str())
                        .push_bind(None::<String>)
                        .push_bind($actor.user_id)
                        .push_bind($actor.name.as_str())
                        .push_bind($t);
                });
                q.build().execute(&mut *$tx).await?;
            }
        }
    }};
}

impl Db {
    /// Imports the rows of a UMKM list read with `mapping` (from
    /// [`kopra_import::umkm_rows::UmkmCsv`], or a sheet's rows): `(line, cells)` each.
    /// `today` bounds the dates.
    #[allow(clippy::too_many_arguments)]
    pub async fn import_umkm_stream<I>(
        &self,
        rows: I,
        mapping: &UmkmMapping,
        file_name: &str,
        sha256: &str,
        office: &Office,
        options: UmkmStreamOptions,
        today: Date,
        actor: &Actor,
    ) -> Result<UmkmStreamSummary, UmkmStreamError>
    where
        I: Iterator<Item = Result<(u64, Vec<Cell>), ImportError>>,
    {
        let regions = self.region_index(&office.home).await?;
        let batch_actor = Actor {
            user_id: actor.user_id,
            name: format!("impor UMKM {file_name} ({})", actor.name),
            ip: actor.ip.clone(),
        };
        let t = now();
        let write = !options.dry_run;
        // NIBs are 13 digits: kept as numbers, 5 million fit in about 100 MB.
        let mut nibs_seen: HashSet<u64> = HashSet::new();
        // Rows without a NIB, by a hash of who they are (see `identity`).
        let identity_hasher = std::collections::hash_map::RandomState::new();
        let mut identities_seen: HashSet<u64> = HashSet::new();
        let mut summary = UmkmStreamSummary::default();
        let sqlite = matches!(self, Db::Sqlite(_));
        let summary = on_pool!(self, p => {
            use sqlx::Connection as _;
            let mut conn = p.acquire().await?;
            crate::with_import_cache!(sqlite, conn, async {
            let mut tx = conn.begin().await?;
            let was_empty: bool = sqlx::query_scalar("SELECT NOT EXISTS (SELECT 1 FROM umkm)").fetch_one(&mut *tx).await?;
            // SQLite, into an empty table: the secondary indexes are dropped and built again
            // before the commit (one sort each instead of a B-tree insert per row and index;
            // the national list's 5 million rows outgrow the page cache otherwise). Inside
            // the transaction, so a rollback keeps them.
            let rebuild: Vec<String> = if sqlite && write && was_empty {
                let defs: Vec<(String, String)> = sqlx::query_as(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'umkm' AND sql IS NOT NULL",
                )
                .fetch_all(&mut *tx)
                .await?;
                for (name, _) in &defs {
                    sqlx::query(sqlx::AssertSqlSafe(format!("DROP INDEX \"{name}\""))).execute(&mut *tx).await?;
                }
                defs.into_iter().map(|(_, sql)| sql).collect()
            } else {
                vec![]
            };
            let mut batch: Vec<Checked> = Vec::with_capacity(BATCH);
            for row in rows {
                let (line, cells) = row?;
                let Some(row) = umkm_row(mapping, line, &cells, &regions, &office.home) else { continue };
                summary.rows += 1;
                let mut rejected = false;
                let mut warned = false;
                for m in &row.messages {
                    let error = m.severity == kopra_import::Severity::Error;
                    rejected |= error;
                    warned |= !error;
                    summary.note(UmkmRowProblem {
                        line,
                        column: m.column.clone(),
                        value: m.value.clone(),
                        severity: if error { "error" } else { "warning" },
                        message_key: format!("import.{}", m.code),
                    });
                }
                let fields = match row.input.as_ref().map(|i| i.parse(today)) {
                    Some(Ok(f)) if !rejected => Some(f),
                    Some(Err(errors)) => {
                        for (field, e) in errors.iter() {
                            summary.note(UmkmRowProblem {
                                line,
                                column: field.to_string(),
                                value: String::new(),
                                severity: "error",
                                message_key: format!("error.{}", e.code()),
                            });
                        }
                        None
                    }
                    _ => None,
                };
                let Some(fields) = fields else {
                    summary.rejected += 1;
                    continue;
                };
                if let Some(nib) = fields.nib.as_deref() {
                    let key: u64 = nib.parse().map_err(|_| DbError::Corrupt(format!("NIB {nib} is not digits")))?;
                    if !nibs_seen.insert(key) {
                        summary.rejected += 1;
                        summary.note(UmkmRowProblem {
                            line,
                            column: header_of(mapping, UmkmColumn::Nib),
                            value: nib.to_string(),
                            severity: "error",
                            message_key: "import.nib_in_file".into(),
                        });
                        continue;
                    }
                }
                if fields.nib.is_none() {
                    use std::hash::BuildHasher as _;
                    if !identities_seen.insert(identity_hasher.hash_one(identity(&fields))) {
                        summary.rejected += 1;
                        summary.note(UmkmRowProblem {
                            line,
                            column: header_of(mapping, UmkmColumn::Name),
                            value: fields.name.clone(),
                            severity: "error",
                            message_key: "import.umkm_in_file".into(),
                        });
                        continue;
                    }
                }
                summary.warned += u64::from(warned);
                batch.push(Checked { fields });
                if batch.len() == BATCH {
                    flush_batch!(tx, &batch, summary, write, sqlite, batch_actor, t, was_empty);
                    batch.clear();
                }
            }
            if !batch.is_empty() {
                flush_batch!(tx, &batch, summary, write, sqlite, batch_actor, t, was_empty);
            }
            let keep = write && (summary.rejected == 0 || options.accept_valid) && summary.created + summary.updated > 0;
            if keep {
                for sql in rebuild {
                    sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *tx).await?;
                }
                write_audit!(&mut *tx, actor, AuditEntry {
                    action: "umkm.import", entity_type: "umkm", entity_id: None, before: None,
                    after: Some(json!({"file": file_name, "sha256": sha256, "rows": summary.rows,
                        "created": summary.created, "updated": summary.updated, "unchanged": summary.unchanged,
                        "rejected": summary.rejected})),
                })?;
                tx.commit().await?;
                summary.committed = true;
            } else {
                // The counts still say what would be written: `committed` says nothing was.
                tx.rollback().await?;
            }
            Ok::<_, UmkmStreamError>(summary)
            }.await)?
        });
        Ok(summary)
    }
}

/// The file's header of a column (for messages).
fn header_of(mapping: &UmkmMapping, column: UmkmColumn) -> String {
    mapping
        .columns
        .iter()
        .position(|c| *c == Some(column))
        .and_then(|i| mapping.headers.get(i))
        .cloned()
        .unwrap_or_default()
}
