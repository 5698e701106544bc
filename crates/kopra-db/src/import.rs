//! Importing a spreadsheet into the register: plan (dry run), then commit in one
//! transaction as an import batch. Rows match existing cooperatives by NIK, then by
//! legal-entity number; a NIK is decisive. Rows without a NIK that resemble a record (or an
//! earlier row) are held back; two rows resolving to one cooperative are never both
//! applied. Importing the same file again changes nothing.

use crate::audit::AuditEntry;
use crate::cooperatives::{FIELD_COLUMNS, UPDATE, bind_fields, nik_taken, push_fields, snapshot};
use crate::demo::nik_prefix_crosswalk;
use crate::settings::Office;
use crate::{Actor, Db, DbError, now, on_pool, write_audit};
use kopra_domain::annual_report::{AnnualReport, AnnualReportInput};
use kopra_domain::duplicates::{Candidate, find_pairs, legal_number_key};
use kopra_domain::{CooperativeFields, FieldChange, RegionCode, field_changes};
use kopra_import::ImportError;
use kopra_import::mapping::{Field, Mapping, detect_mapping};
use kopra_import::rows::{ImportRow, ReportFigures, read_rows};
use kopra_import::table::read_table;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use time::Date;

/// Largest file accepted for import.
pub use kopra_import::table::MAX_FILE_BYTES;

/// Rows per multi-row INSERT of a commit. The widest (a cooperative) binds 33 values a
/// row: 400 rows stay well under SQLite's 32,766 and PostgreSQL's 65,535 bound values.
pub const ROWS_PER_INSERT: usize = 400;

/// Score from which a resemblance holds a row back or flags a pair.
pub const DUPLICATE_MIN_SCORE: u32 = 90;

/// Executes one multi-row statement per chunk of `$chunks`, each built by `$build`, and
/// builds the next chunk's statement while the current one executes (SQLite works on its
/// own thread, PostgreSQL in its own process), so building and writing overlap. `$after`
/// sees the executed chunk's result as `$written` and its length as `$len`.
macro_rules! pipelined {
    ($tx:expr, $chunks:expr, $build:expr, |$written:ident, $len:ident| $after:expr) => {{
        let mut chunks = $chunks;
        let build = $build;
        let mut next = chunks.next().map(|c| (c.len(), build(c)));
        while let Some((len, mut q)) = next.take() {
            let (written, built) = tokio::join!(
                biased;
                q.build().execute(&mut *$tx),
                async { chunks.next().map(|c| (c.len(), build(c))) }
            );
            let ($written, $len) = (written, len);
            $after;
            next = built;
        }
    }};
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    Create,
    Update,
    Unchanged,
    Rejected,
    HeldBack,
}

impl RowAction {
    /// The name stored and shown (as serialised).
    pub fn as_str(self) -> &'static str {
        match self {
            RowAction::Create => "create",
            RowAction::Update => "update",
            RowAction::Unchanged => "unchanged",
            RowAction::Rejected => "rejected",
            RowAction::HeldBack => "held_back",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DuplicateMatch {
    /// The register record, or `None` when the match is an earlier row of the file.
    pub id: Option<i64>,
    pub row: Option<u64>,
    pub name: String,
    pub score: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlannedRow {
    pub line: u64,
    pub name: String,
    pub action: RowAction,
    pub cooperative_id: Option<i64>,
    pub changes: Vec<FieldChange>,
    /// Created, but resembling another record: goes to the duplicate review.
    pub flagged: bool,
    pub matches: Vec<DuplicateMatch>,
    pub messages: Vec<(String, String, String, &'static str)>,
    /// The book year of the annual report this row makes from its last RAT date (and its
    /// members, assets, volume and SHU), when the cooperative has none for that year yet.
    pub report_book_year: Option<i32>,
    #[serde(skip)]
    fields: Option<CooperativeFields>,
    #[serde(skip)]
    report: Option<AnnualReport>,
    #[serde(skip)]
    from_version: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportPlan {
    pub file_name: String,
    pub sha256: String,
    pub sheet: String,
    pub mapping: Mapping,
    pub rows: Vec<PlannedRow>,
    /// The file's data rows as read, by line, for the report workbook.
    #[serde(skip)]
    pub original: Vec<(u64, Vec<kopra_import::table::Cell>)>,
}

impl ImportPlan {
    /// The report workbook: the file's rows as they were, plus a status and a message
    /// column (in `label`'s words), to fix and upload again.
    pub fn report_xlsx(
        &self,
        action_label: &dyn Fn(RowAction) -> String,
        message: &dyn Fn(&str) -> String,
    ) -> Result<Vec<u8>, DbError> {
        let mut headers = self.mapping.headers.clone();
        headers.push("STATUS".into());
        headers.push("PESAN".into());
        let by_line: HashMap<u64, &PlannedRow> = self.rows.iter().map(|r| (r.line, r)).collect();
        let rows: Vec<Vec<String>> = self
            .original
            .iter()
            .map(|(line, cells)| {
                let mut out: Vec<String> = cells.iter().map(kopra_import::table::Cell::text).collect();
                out.resize(self.mapping.headers.len(), String::new());
                match by_line.get(line) {
                    Some(r) => {
                        out.push(action_label(r.action));
                        let mut msgs: Vec<String> = r
                            .messages
                            .iter()
                            .map(|(col, val, _, code)| format!("{col} [{val}]: {}", message(code)))
                            .collect();
                        msgs.extend(r.matches.iter().map(|m| format!("~ {} ({}%)", m.name, m.score)));
                        out.push(msgs.join("; "));
                    }
                    None => out.extend([String::new(), String::new()]),
                }
                out
            })
            .collect();
        kopra_report::xlsx::table_workbook(
            "Hasil Pemeriksaan",
            &[format!("{} ({})", self.file_name, self.sheet)],
            &headers,
            &rows,
        )
        .map_err(|e| DbError::Corrupt(format!("report workbook: {e}")))
    }
    pub fn count(&self, a: RowAction) -> usize {
        self.rows.iter().filter(|r| r.action == a).count()
    }
    /// Rows that make an annual report (from their last RAT date).
    pub fn reports(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| {
                r.report.is_some() && matches!(r.action, RowAction::Create | RowAction::Update | RowAction::Unchanged)
            })
            .count()
    }
    pub fn flagged(&self) -> usize {
        self.rows.iter().filter(|r| r.flagged).count()
    }
}

/// What a user decided for a row held back as a possible duplicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeldBackDecision {
    /// It is a different cooperative: create it (flagged for review).
    Create,
    /// It is this registered cooperative: apply the row to it.
    Apply(i64),
}

/// Where an import reports how far it is: `(phase, rows done, rows in all)`.
/// Phases: `read` (the file, no row count yet), `check` (rows checked), `write` (rows
/// written by the commit).
#[derive(Clone)]
pub struct Progress(pub std::sync::Arc<ProgressFn>);

/// The callback behind [`Progress`].
pub type ProgressFn = dyn Fn(&str, u64, u64) + Send + Sync;

/// A register row as the matcher reads it: id, NIK, name, legal-entity number, kecamatan,
/// kelurahan, phone.
type MatchRow = (
    i64,
    Option<String>,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
);
/// A register row as the duplicate detector reads it: id, name, legal-entity number,
/// kecamatan, kelurahan, phone.
type PairRow = (i64, String, Option<String>, String, Option<String>, Option<String>);
/// A stored upload: file name, sheet, bytes, batch.
type UploadRow = (String, Option<String>, Vec<u8>, Option<i64>);

impl Progress {
    fn report(&self, phase: &str, done: usize, total: usize) {
        (self.0)(phase, done as u64, total as u64);
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub sheet: Option<String>,
    /// Told how far the plan is (the CLI's progress bar).
    pub progress: Option<Progress>,
    /// The kecamatan the importing officer may change; empty means all. A row outside
    /// them, or matching a record outside them, is rejected.
    pub kecamatan_scope: Vec<String>,
    /// Decisions for held-back rows, by line.
    pub decisions: HashMap<u64, HeldBackDecision>,
    /// A saved mapping: header text → field (overrides what was detected).
    pub saved_mapping: Vec<(String, Option<Field>)>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportFailure {
    #[error(transparent)]
    File(#[from] ImportError),
    #[error(transparent)]
    Db(#[from] DbError),
}

struct Existing {
    id: i64,
    nik: Option<String>,
    legal: Option<String>,
    candidate: Candidate,
}

/// The imported fields laid over the stored ones: mapped columns with a value replace,
/// the others keep what is stored.
fn merge(stored: &CooperativeFields, imported: &CooperativeFields, mapping: &Mapping) -> CooperativeFields {
    let has = |f: Field| mapping.column_of(f).is_some();
    let pick = |new: &Option<String>, old: &Option<String>, f: Field| {
        if has(f) && new.is_some() {
            new.clone()
        } else {
            old.clone()
        }
    };
    let pick_date = |new: Option<Date>, old: Option<Date>, f: Field| if has(f) && new.is_some() { new } else { old };
    let mut m = stored.clone();
    m.nik = pick(&imported.nik, &stored.nik, Field::Nik);
    if has(Field::Name) {
        m.name = imported.name.clone();
    }
    m.legal_entity_number = pick(
        &imported.legal_entity_number,
        &stored.legal_entity_number,
        Field::LegalEntityNumber,
    );
    m.legal_entity_date = pick_date(
        imported.legal_entity_date,
        stored.legal_entity_date,
        Field::LegalEntityDate,
    );
    if has(Field::AmendmentNumber) && !imported.amendments.is_empty() {
        for a in &imported.amendments {
            if !m.amendments.iter().any(|x| x.number == a.number) {
                m.amendments.push(a.clone());
            }
        }
    }
    m.address = pick(&imported.address, &stored.address, Field::Address);
    if has(Field::Kecamatan) {
        m.kecamatan_code = imported.kecamatan_code.clone();
        if imported.kelurahan_code.is_some()
            || imported.kelurahan_text.is_some()
            || stored.kecamatan_code != imported.kecamatan_code
        {
            m.kelurahan_code = imported.kelurahan_code.clone();
            m.kelurahan_text = imported.kelurahan_text.clone();
        }
    }
    m.bentuk = pick(&imported.bentuk, &stored.bentuk, Field::Bentuk);
    m.jenis = pick(&imported.jenis, &stored.jenis, Field::Jenis);
    m.kelompok = pick(&imported.kelompok, &stored.kelompok, Field::Kelompok);
    m.sektor = pick(&imported.sektor, &stored.sektor, Field::Sektor);
    m.phone = pick(&imported.phone, &stored.phone, Field::Phone);
    m.email = pick(&imported.email, &stored.email, Field::Email);
    m.certificate_valid_until = pick_date(
        imported.certificate_valid_until,
        stored.certificate_valid_until,
        Field::CertificateValidUntil,
    );
    m.ods_grade = pick(&imported.ods_grade, &stored.ods_grade, Field::OdsGrade);
    m.notes = pick(&imported.notes, &stored.notes, Field::Notes);
    m.chair_name = pick(&imported.chair_name, &stored.chair_name, Field::ChairName);
    m.chair_phone = pick(&imported.chair_phone, &stored.chair_phone, Field::ChairPhone);
    m.secretary_name = pick(&imported.secretary_name, &stored.secretary_name, Field::SecretaryName);
    m.treasurer_name = pick(&imported.treasurer_name, &stored.treasurer_name, Field::TreasurerName);
    m.supervisor_name = pick(
        &imported.supervisor_name,
        &stored.supervisor_name,
        Field::SupervisorName,
    );
    m.manager_name = pick(&imported.manager_name, &stored.manager_name, Field::ManagerName);
    m
}

/// The annual report a register row carries: its last RAT date files the row's members,
/// assets, volume and SHU under the book year before the meeting (a RAT is held after its
/// book year ends, `domain.md` "RAT"; the ODS loader reads the column the same way). `None`
/// without a RAT date; the column of the first figure the report rules refuse.
fn report_from_figures(f: &ReportFigures, today: Date) -> Result<Option<AnnualReport>, Field> {
    let Some(rat) = f.last_rat else { return Ok(None) };
    let input = AnnualReportInput {
        book_year: Some(rat.year() - 1),
        rat_date: Some(rat.to_string()),
        members_male: f.members_male,
        members_female: f.members_female,
        members_total: f.members_total,
        assets: f.assets,
        business_volume: f.business_volume,
        shu: f.shu,
        ..Default::default()
    };
    input.parse(today).map(Some).map_err(|errors| {
        match errors.iter().next().map(|(field, _)| field.to_string()).as_deref() {
            Some("members_total") => Field::MembersTotal,
            Some("members_male") => Field::MembersMale,
            Some("members_female") => Field::MembersFemale,
            Some("assets") => Field::Assets,
            Some("business_volume") => Field::BusinessVolume,
            _ => Field::LastRat,
        }
    })
}

impl Db {
    /// Reads, checks and matches a file against the register; writes nothing.
    pub async fn plan_import(
        &self,
        bytes: &[u8],
        file_name: &str,
        office: &Office,
        options: &ImportOptions,
        today: Date,
    ) -> Result<ImportPlan, ImportFailure> {
        let progress = |phase: &str, done: usize, total: usize| {
            if let Some(p) = &options.progress {
                p.report(phase, done, total);
            }
        };
        progress("read", 0, 0);
        let started = std::time::Instant::now();
        let table = read_table(bytes, file_name, options.sheet.as_deref())?;
        let mapping = detect_mapping(&table)
            .ok_or(ImportError::NoHeader)?
            .with_saved(&options.saved_mapping);
        let index = self.region_index(&office.home).await?;
        let rows: Vec<ImportRow> = read_rows(&table, &mapping, &index, &office.home, &nik_prefix_crosswalk(), today);
        tracing::debug!(
            rows = rows.len(),
            ms = started.elapsed().as_millis() as u64,
            "import plan: file read and rows checked"
        );

        // The register, as the detector and the matcher see it.
        let records: Vec<MatchRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, nik, name, legal_entity_number, kecamatan_code, kelurahan_code, phone FROM cooperatives WHERE archived = $1",
        ).bind(false).fetch_all(p).await).map_err(DbError::from)?;
        let existing: Vec<Existing> = records
            .into_iter()
            .map(|(id, nik, name, legal, kec, kel, phone)| Existing {
                id,
                nik,
                legal: legal.as_deref().map(legal_number_key).filter(|k| k.len() >= 4),
                candidate: Candidate {
                    name,
                    kecamatan: Some(kec),
                    kelurahan: kel,
                    legal_entity_number: legal,
                    phone,
                },
            })
            .collect();
        let by_nik: HashMap<&str, usize> = existing
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.nik.as_deref().map(|n| (n, i)))
            .collect();
        let mut by_legal: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, e) in existing.iter().enumerate() {
            if let Some(l) = e.legal.as_deref() {
                by_legal.entry(l).or_default().push(i);
            }
        }

        // Candidates: the register first, then the file's valid rows.
        let mut candidates: Vec<Candidate> = existing.iter().map(|e| e.candidate.clone()).collect();
        let file_base = candidates.len();
        let valid: Vec<usize> = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.rejected())
            .map(|(i, _)| i)
            .collect();
        for &i in &valid {
            let f = rows[i].fields.as_ref().expect("valid rows have fields");
            candidates.push(Candidate {
                name: f.name.clone(),
                kecamatan: Some(f.kecamatan_code.clone()),
                kelurahan: f.kelurahan_code.clone(),
                legal_entity_number: f.legal_entity_number.clone(),
                phone: f.phone.clone(),
            });
        }
        tracing::debug!(
            records = existing.len(),
            ms = started.elapsed().as_millis() as u64,
            "import plan: register loaded"
        );
        let pairs = find_pairs(&candidates, DUPLICATE_MIN_SCORE);
        tracing::debug!(
            pairs = pairs.len(),
            ms = started.elapsed().as_millis() as u64,
            "import plan: look-alikes found"
        );
        // For each file row (by candidate index), what it resembles.
        let mut resembles: HashMap<usize, Vec<(usize, u32)>> = HashMap::new();
        for p in &pairs {
            if p.b >= file_base {
                resembles.entry(p.b).or_default().push((p.a, p.score));
            }
            if p.a >= file_base {
                resembles.entry(p.a).or_default().push((p.b, p.score));
            }
        }

        // The candidate index of each valid row.
        let candidate_of: HashMap<usize, usize> = valid.iter().enumerate().map(|(k, &i)| (i, file_base + k)).collect();
        // The records that rows match by NIK or legal-entity number, loaded in one go.
        let matched_ids: Vec<i64> = {
            let mut ids: Vec<i64> = rows
                .iter()
                .filter_map(|r| r.fields.as_ref())
                .filter_map(|f| match f.nik.as_deref() {
                    Some(n) => by_nik.get(n).copied(),
                    None => f
                        .legal_entity_number
                        .as_deref()
                        .map(legal_number_key)
                        .filter(|k| k.len() >= 4)
                        .and_then(|k| match by_legal.get(k.as_str()).map(Vec::as_slice) {
                            Some([one]) => Some(*one),
                            _ => None,
                        }),
                })
                .map(|m| existing[m].id)
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        };
        let mut stored_records = self.cooperatives_by_ids(&matched_ids).await?;
        tracing::debug!(
            matched = stored_records.len(),
            ms = started.elapsed().as_millis() as u64,
            "import plan: matched records loaded"
        );

        let mut planned: Vec<PlannedRow> = Vec::with_capacity(rows.len());
        let mut planned_by_line: HashMap<u64, usize> = HashMap::new(); // line → index in `planned`
        let mut taken: HashMap<i64, u64> = HashMap::new(); // existing id → line that claimed it
        let mut nik_in_file: HashMap<String, u64> = HashMap::new();
        let mut created_lines: HashMap<usize, u64> = HashMap::new(); // candidate index → line
        for (i, row) in rows.iter().enumerate() {
            if i % 256 == 0 {
                progress("check", i, rows.len());
            }
            let messages = row
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
            let in_scope = |kecamatan: Option<&str>| {
                options.kecamatan_scope.is_empty()
                    || kecamatan.is_some_and(|k| options.kecamatan_scope.iter().any(|s| s == k))
            };
            let outside = row.fields.as_ref().and_then(|f| {
                let stored = f.nik.as_deref().and_then(|n| by_nik.get(n)).map(|&m| &existing[m]);
                if !in_scope(Some(&f.kecamatan_code)) {
                    Some(f.kecamatan_code.clone())
                } else {
                    stored
                        .and_then(|e| e.candidate.kecamatan.clone())
                        .filter(|k| !in_scope(Some(k)))
                }
            });
            let fields = if outside.is_some() { None } else { row.fields.clone() };
            let mut messages: Vec<(String, String, String, &'static str)> = messages;
            if let Some(k) = outside {
                let column = mapping
                    .column_of(Field::Kecamatan)
                    .and_then(|c| mapping.headers.get(c))
                    .cloned()
                    .unwrap_or_default();
                messages.push((column, k, "error".into(), "outside_officer_scope"));
            }
            let Some(fields) = fields else {
                planned_by_line.insert(row.line, planned.len());
                planned.push(PlannedRow {
                    line: row.line,
                    name: row.name.clone(),
                    action: RowAction::Rejected,
                    cooperative_id: None,
                    changes: vec![],
                    flagged: false,
                    matches: vec![],
                    messages,
                    report_book_year: None,
                    fields: None,
                    report: None,
                    from_version: None,
                });
                continue;
            };
            let ci = *candidate_of.get(&i).expect("valid row");
            let mut p = PlannedRow {
                line: row.line,
                name: row.name.clone(),
                action: RowAction::Create,
                cooperative_id: None,
                changes: vec![],
                flagged: false,
                matches: vec![],
                messages,
                report_book_year: None,
                fields: None,
                report: None,
                from_version: None,
            };
            // 1. NIK, then 2. legal-entity number (when it names exactly one record).
            let matched = fields.nik.as_deref().and_then(|n| by_nik.get(n).copied()).or_else(|| {
                if fields.nik.is_some() {
                    return None; // a new NIK is a new cooperative
                }
                let key = fields
                    .legal_entity_number
                    .as_deref()
                    .map(legal_number_key)
                    .filter(|k| k.len() >= 4)?;
                match by_legal.get(key.as_str()).map(Vec::as_slice) {
                    Some([one]) => Some(*one),
                    _ => None,
                }
            });
            let earlier_same_nik = fields.nik.as_ref().and_then(|n| nik_in_file.get(n).copied());
            if let Some(line) = earlier_same_nik.or_else(|| matched.and_then(|m| taken.get(&existing[m].id).copied())) {
                p.action = RowAction::HeldBack;
                let earlier = planned_by_line
                    .get(&line)
                    .map_or_else(|| p.name.clone(), |&x| planned[x].name.clone());
                p.matches.push(DuplicateMatch {
                    id: matched.map(|m| existing[m].id),
                    row: Some(line),
                    name: earlier,
                    score: 100,
                });
            } else if let Some(m) = matched {
                let stored = match stored_records.remove(&existing[m].id) {
                    Some(s) => s,
                    None => self.cooperative(existing[m].id).await?,
                };
                let merged = merge(&stored.fields, &fields, &mapping);
                p.cooperative_id = Some(stored.id);
                p.changes = field_changes(&stored.fields.display_fields(), &merged.display_fields());
                p.action = if p.changes.is_empty() {
                    RowAction::Unchanged
                } else {
                    RowAction::Update
                };
                p.from_version = Some(stored.version);
                p.fields = Some(merged);
                taken.insert(stored.id, row.line);
            } else {
                // Resemblances to the register and to earlier created rows of this file.
                let others: Vec<(usize, u32)> = resembles
                    .get(&ci)
                    .map(|v| {
                        v.iter()
                            .copied()
                            .filter(|(o, _)| *o < file_base || created_lines.contains_key(o))
                            .collect()
                    })
                    .unwrap_or_default();
                p.matches = others
                    .iter()
                    .map(|(o, s)| {
                        if *o < file_base {
                            DuplicateMatch {
                                id: Some(existing[*o].id),
                                row: None,
                                name: existing[*o].candidate.name.clone(),
                                score: *s,
                            }
                        } else {
                            DuplicateMatch {
                                id: None,
                                row: created_lines.get(o).copied(),
                                name: candidates[*o].name.clone(),
                                score: *s,
                            }
                        }
                    })
                    .collect();
                let decision = options.decisions.get(&row.line).copied();
                if let Some(HeldBackDecision::Apply(target)) =
                    decision.filter(|_| fields.nik.is_none() && !p.matches.is_empty())
                {
                    let stored = self.cooperative(target).await?;
                    if !in_scope(Some(&stored.fields.kecamatan_code)) {
                        let column = mapping
                            .column_of(Field::Kecamatan)
                            .and_then(|c| mapping.headers.get(c))
                            .cloned()
                            .unwrap_or_default();
                        p.messages.push((
                            column,
                            stored.fields.kecamatan_code.clone(),
                            "error".into(),
                            "outside_officer_scope",
                        ));
                        p.action = RowAction::Rejected;
                        planned_by_line.insert(row.line, planned.len());
                        planned.push(p);
                        continue;
                    }
                    let merged = merge(&stored.fields, &fields, &mapping);
                    p.cooperative_id = Some(stored.id);
                    p.changes = field_changes(&stored.fields.display_fields(), &merged.display_fields());
                    p.action = if p.changes.is_empty() {
                        RowAction::Unchanged
                    } else {
                        RowAction::Update
                    };
                    p.from_version = Some(stored.version);
                    p.fields = Some(merged);
                    taken.insert(stored.id, row.line);
                } else if fields.nik.is_none() && !p.matches.is_empty() && decision != Some(HeldBackDecision::Create) {
                    p.action = RowAction::HeldBack;
                } else {
                    p.flagged = !p.matches.is_empty();
                    p.fields = Some(fields.clone());
                    created_lines.insert(ci, row.line);
                }
            }
            if let Some(n) = &fields.nik {
                nik_in_file.entry(n.clone()).or_insert(row.line);
            }
            if p.fields.is_some() {
                match report_from_figures(&row.figures, today) {
                    Ok(report) => p.report = report,
                    Err(column) => p.messages.push((
                        mapping
                            .column_of(column)
                            .and_then(|c| mapping.headers.get(c))
                            .cloned()
                            .unwrap_or_default(),
                        String::new(),
                        "warning".into(),
                        "report_figures_invalid",
                    )),
                }
            }
            planned_by_line.insert(row.line, planned.len());
            planned.push(p);
        }
        // A report the cooperative already has for that book year stays as it is.
        let report_of: Vec<i64> = planned
            .iter()
            .filter(|p| p.report.is_some())
            .filter_map(|p| p.cooperative_id)
            .collect();
        let mut recorded: std::collections::HashSet<(i64, i32)> = std::collections::HashSet::new();
        for chunk in report_of.chunks(ROWS_PER_INSERT) {
            let pairs: Vec<(i64, i32)> = on_pool!(self, p => {
                let mut q = sqlx::QueryBuilder::new("SELECT cooperative_id, book_year FROM annual_reports WHERE cooperative_id IN (");
                let mut ids = q.separated(", ");
                for id in chunk {
                    ids.push_bind(*id);
                }
                q.push(")");
                q.build_query_as().fetch_all(p).await
            })
            .map_err(DbError::from)?;
            recorded.extend(pairs);
        }
        for p in &mut planned {
            if let (Some(id), Some(r)) = (p.cooperative_id, &p.report)
                && recorded.contains(&(id, r.book_year))
            {
                p.report = None;
            }
            p.report_book_year = p.report.as_ref().map(|r| r.book_year);
        }
        let original = table
            .rows
            .into_iter()
            .enumerate()
            .skip(mapping.header_row + 1)
            .filter(|(_, r)| !r.iter().all(kopra_import::table::Cell::is_empty))
            .map(|(i, r)| (i as u64 + 1, r))
            .collect();
        progress("check", rows.len(), rows.len());
        tracing::debug!(ms = started.elapsed().as_millis() as u64, "import plan: rows matched");
        Ok(ImportPlan {
            original,
            file_name: file_name.to_string(),
            sha256: Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect(),
            sheet: table.sheet,
            mapping,
            rows: planned,
        })
    }

    /// Applies a plan's creates and updates in one transaction, as an import batch.
    /// Returns the batch id.
    pub async fn commit_import(&self, plan: &ImportPlan, office: &Office, actor: &Actor) -> Result<i64, DbError> {
        self.commit_import_with_progress(plan, office, actor, None).await
    }

    /// [`Db::commit_import`], telling `progress` how many rows are written.
    ///
    /// One transaction: updates one statement each (each checks the version the plan saw),
    /// then the new records, their first versions, their audit rows and the batch's rows
    /// in multi-row INSERTs of [`ROWS_PER_INSERT`] rows.
    pub async fn commit_import_with_progress(
        &self,
        plan: &ImportPlan,
        office: &Office,
        actor: &Actor,
        progress: Option<&Progress>,
    ) -> Result<i64, DbError> {
        let t = now();
        let started = std::time::Instant::now();
        let summary = json!({
            "rows": plan.rows.len(), "created": plan.count(RowAction::Create), "updated": plan.count(RowAction::Update),
            "unchanged": plan.count(RowAction::Unchanged), "errors": plan.count(RowAction::Rejected),
            "reports": plan.reports(),
            "duplicates": plan.count(RowAction::HeldBack), "flagged": plan.flagged(),
        });
        let mapping = serde_json::to_string(&plan.mapping).unwrap_or_default();
        let creates = plan
            .rows
            .iter()
            .filter(|r| r.action == RowAction::Create && r.fields.is_some())
            .count();
        let sqlite = matches!(self, Db::Sqlite(_));
        let batch_id: i64 = on_pool!(self, p => {
            use sqlx::Connection as _;
            let mut conn = p.acquire().await?;
            crate::with_import_cache!(sqlite, conn, async {
                let mut tx = conn.begin().await?;
                let batch_id: i64 = sqlx::query_scalar(
                    "INSERT INTO import_batches (file_name, sha256, sheet, mapping, summary, actor_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(&plan.file_name).bind(&plan.sha256).bind(&plan.sheet).bind(&mapping).bind(summary.to_string()).bind(actor.name.clone()).bind(t)
                .fetch_one(&mut *tx).await?;
                // The batch is the actor of every version it writes.
                let batch_actor = Actor { user_id: actor.user_id, name: format!("impor #{batch_id} ({})", actor.name), ip: actor.ip.clone() };
                let reason = format!("impor #{batch_id}");
                // Ids for the new records, in row order. SQLite: this transaction has written,
                // so it holds the write lock and no one else inserts until it ends; PostgreSQL:
                // sequence values are never handed out twice.
                let mut new_ids: Vec<i64> = if creates == 0 {
                    vec![]
                } else if sqlite {
                    let max: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM cooperatives").fetch_one(&mut *tx).await?;
                    (max + 1..=max + creates as i64).collect()
                } else {
                    sqlx::query_scalar("SELECT nextval(pg_get_serial_sequence('cooperatives', 'id')) FROM generate_series(1, $1)")
                        .bind(creates as i64).fetch_all(&mut *tx).await?
                };
                new_ids.sort_unstable();
                let mut new_ids = new_ids.into_iter();

                // What each row writes, in row order; updates are applied here.
                let mut new_records: Vec<(i64, &CooperativeFields)> = Vec::with_capacity(creates);
                let mut versions: Vec<(i64, i64, &PlannedRow, &CooperativeFields)> = Vec::with_capacity(creates);
                let mut batch_rows: Vec<(i64, Option<i64>, &'static str, Option<i64>)> = Vec::with_capacity(plan.rows.len());
                let mut reports: Vec<crate::report_import::Pending> = Vec::new();
                for row in &plan.rows {
                    let line = row.line as i64;
                    let Some(f) = row.fields.as_ref() else {
                        batch_rows.push((line, row.cooperative_id, row.action.as_str(), None));
                        continue;
                    };
                    let id = match (row.action, row.cooperative_id, row.from_version) {
                        (RowAction::Create, _, _) => {
                            let id = new_ids.next().ok_or_else(|| DbError::Corrupt("import: fewer ids than new records".into()))?;
                            new_records.push((id, f));
                            versions.push((id, 1, row, f));
                            id
                        }
                        (RowAction::Update, Some(id), Some(from)) => {
                            let kabkota = RegionCode::parse(&f.kecamatan_code).ok().and_then(|k| k.truncate(2)).map(String::from).unwrap_or_default();
                            let n = bind_fields!(sqlx::query(UPDATE), f, kabkota, Db::supervised(office, f), false)
                                .bind(t).bind(id).bind(from)
                                .execute(&mut *tx).await.map_err(nik_taken)?.rows_affected();
                            if n != 1 {
                                // Changed since the plan was made: nothing of the batch is kept.
                                return Err(DbError::Corrupt(format!("cooperative {id} changed while importing; run the import again")));
                            }
                            versions.push((id, from + 1, row, f));
                            id
                        }
                        (_, Some(id), _) => id,
                        _ => continue,
                    };
                    if let Some(report) = &row.report {
                        reports.push(crate::report_import::Pending { cooperative_id: id, report: report.clone() });
                    }
                    batch_rows.push((line, Some(id), row.action.as_str(), row.from_version));
                }
                let steps = new_records.len() + versions.len() + batch_rows.len();
                let mut done = 0;
                let mut report = |n: usize| {
                    done += n;
                    if let Some(p) = progress {
                        p.report("write", done, steps);
                    }
                };

                // SQLite, into an empty register: the secondary indexes of the records are
                // dropped and built again after the load (one sort each instead of a B-tree
                // insert per row and index), inside this transaction.
                let rebuild: Vec<String> = if sqlite && !new_records.is_empty() {
                    let empty: bool = sqlx::query_scalar("SELECT NOT EXISTS (SELECT 1 FROM cooperatives)").fetch_one(&mut *tx).await?;
                    let defs: Vec<(String, String)> = if empty {
                        sqlx::query_as("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cooperatives' AND sql IS NOT NULL")
                            .fetch_all(&mut *tx).await?
                    } else {
                        vec![]
                    };
                    for (name, _) in &defs {
                        sqlx::query(sqlx::AssertSqlSafe(format!("DROP INDEX \"{name}\""))).execute(&mut *tx).await?;
                    }
                    defs.into_iter().map(|(_, sql)| sql).collect()
                } else {
                    vec![]
                };

                // The new records.
                let insert_records = format!("INSERT INTO cooperatives (id, {FIELD_COLUMNS}, version, created_at, updated_at) ");
                pipelined!(tx, new_records.chunks(ROWS_PER_INSERT), |chunk: &[(i64, &CooperativeFields)]| {
                    let mut q = sqlx::QueryBuilder::new(insert_records.as_str());
                    q.push_values(chunk, |mut b, (id, f)| {
                        let kabkota = RegionCode::parse(&f.kecamatan_code).ok().and_then(|k| k.truncate(2)).map(String::from).unwrap_or_default();
                        b.push_bind(*id);
                        push_fields!(b, f, kabkota, Db::supervised(office, f), false);
                        b.push_bind(1i64).push_bind(t).push_bind(t);
                    });
                    q
                }, |written, n| {
                    written.map_err(nik_taken)?;
                    report(n);
                });
                for sql in rebuild {
                    sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *tx).await?;
                }
                tracing::debug!(records = new_records.len(), ms = started.elapsed().as_millis() as u64, "import commit: records written");

                // A version for each record created or changed, and its audit row. The
                // version holds the fields; the audit row names the batch and the version.
                pipelined!(tx, versions.chunks(ROWS_PER_INSERT), |chunk: &[(i64, i64, &PlannedRow, &CooperativeFields)]| {
                    let mut q = sqlx::QueryBuilder::new(
                        "INSERT INTO cooperative_versions (cooperative_id, version, action, snapshot, changes, reason, actor_user_id, actor_name, at) ",
                    );
                    q.push_values(chunk, |mut b, (id, version, row, f)| {
                        // A new record's changes are all its fields: kept once, in the snapshot
                        // (the history reads them from there), not a second time as a list.
                        let (action, changes) = if row.action == RowAction::Create {
                            ("create", Ok("[]".to_string()))
                        } else {
                            ("update", serde_json::to_string(&row.changes))
                        };
                        b.push_bind(*id).push_bind(*version).push_bind(action).push_bind(snapshot(f, false, None))
                            .push_bind(changes.unwrap_or_default()).push_bind(reason.clone())
                            .push_bind(batch_actor.user_id).push_bind(batch_actor.name.clone()).push_bind(t);
                    });
                    q
                }, |written, _n| {
                    written?;
                });
                let at = now();
                pipelined!(tx, versions.chunks(ROWS_PER_INSERT), |chunk: &[(i64, i64, &PlannedRow, &CooperativeFields)]| {
                    let mut q = sqlx::QueryBuilder::new(
                        "INSERT INTO audit_log (at, actor_user_id, actor_name, action, entity_type, entity_id, before, after, ip) ",
                    );
                    q.push_values(chunk, |mut b, (id, version, row, _)| {
                        let (action, before, after) = if row.action == RowAction::Create {
                            ("cooperative.create", None, json!({"import_batch": batch_id, "version": version}))
                        } else {
                            (
                                "cooperative.update",
                                Some(json!({"version": version - 1}).to_string()),
                                json!({"import_batch": batch_id, "version": version, "changes": row.changes}),
                            )
                        };
                        b.push_bind(at).push_bind(batch_actor.user_id).push_bind(batch_actor.name.clone())
                            .push_bind(action).push_bind("cooperative").push_bind(id.to_string())
                            .push_bind(before).push_bind(Some(after.to_string())).push_bind(batch_actor.ip.clone());
                    });
                    q
                }, |written, n| {
                    written?;
                    report(n);
                });
                tracing::debug!(versions = versions.len(), ms = started.elapsed().as_millis() as u64, "import commit: versions and audit written");

                // The annual reports made from the rows' last RAT dates.
                let mut report_of: HashMap<i64, i64> = HashMap::with_capacity(reports.len());
                for chunk in reports.chunks(ROWS_PER_INSERT) {
                    for (report_id, cooperative_id, _) in crate::report_import::write_reports!(tx, chunk, batch_actor.name, t) {
                        report_of.insert(cooperative_id, report_id);
                    }
                }
                tracing::debug!(reports = report_of.len(), ms = started.elapsed().as_millis() as u64, "import commit: annual reports written");

                // What each row of the file did.
                pipelined!(tx, batch_rows.chunks(ROWS_PER_INSERT), |chunk: &[(i64, Option<i64>, &'static str, Option<i64>)]| {
                    let mut q = sqlx::QueryBuilder::new(
                        "INSERT INTO import_batch_rows (batch_id, line, cooperative_id, action, from_version, report_id) ",
                    );
                    q.push_values(chunk, |mut b, (line, id, action, from)| {
                        b.push_bind(batch_id).push_bind(*line).push_bind(*id).push_bind(*action).push_bind(*from)
                            .push_bind(id.and_then(|id| report_of.get(&id).copied()));
                    });
                    q
                }, |written, n| {
                    written?;
                    report(n);
                });
                write_audit!(&mut *tx, actor, AuditEntry {
                    action: "import.commit", entity_type: "import_batch", entity_id: Some(batch_id.to_string()),
                    before: None, after: Some(json!({"file_name": plan.file_name, "sha256": plan.sha256, "summary": summary})),
                })?;
                tracing::debug!(ms = started.elapsed().as_millis() as u64, "import commit: rows written");
                tx.commit().await?;
                Ok::<i64, DbError>(batch_id)
            }
            .await)?
        });
        tracing::debug!(ms = started.elapsed().as_millis() as u64, "import commit: committed");
        // Statuses of what was created or changed.
        self.recompute_statuses(crate::status::wib_today()).await?;
        tracing::debug!(
            ms = started.elapsed().as_millis() as u64,
            "import commit: statuses recomputed"
        );
        Ok(batch_id)
    }
}

/// An import batch as listed.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct BatchRow {
    pub id: i64,
    pub file_name: String,
    pub sha256: String,
    pub sheet: String,
    pub summary: String,
    pub actor_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: time::OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub undone_at: Option<time::OffsetDateTime>,
    pub undone_by: Option<String>,
}

/// What undoing a batch did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct UndoReport {
    /// Created records archived.
    pub archived: usize,
    /// Updated records restored to their previous version (as a new version).
    pub restored: usize,
    /// Records changed since the batch: left as they are (ids).
    pub skipped: Vec<i64>,
    /// Annual reports the batch made from last RAT dates, now withdrawn (no longer evidence).
    pub reports_withdrawn: usize,
    /// Reports the batch made that were changed since: left as they are (report ids).
    pub reports_skipped: Vec<i64>,
}

impl Db {
    /// Keeps an uploaded file until it is committed (so any app server can commit it).
    pub async fn store_upload(
        &self,
        file_name: &str,
        sheet: Option<&str>,
        data: &[u8],
        actor: &Actor,
    ) -> Result<i64, DbError> {
        let sha: String = Sha256::digest(data).iter().map(|b| format!("{b:02x}")).collect();
        Ok(on_pool!(self, p => sqlx::query_scalar(
            "INSERT INTO import_uploads (file_name, sha256, sheet, data, uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        ).bind(file_name).bind(sha).bind(sheet).bind(data).bind(actor.name.clone()).bind(now()).fetch_one(p).await)?)
    }

    /// The stored upload: file name, sheet, bytes, and the batch it became (if committed).
    pub async fn upload(&self, id: i64) -> Result<UploadRow, DbError> {
        let row: Option<UploadRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT file_name, sheet, data, batch_id FROM import_uploads WHERE id = $1",
        ).bind(id).fetch_optional(p).await)?;
        row.ok_or(DbError::NotFound)
    }

    pub async fn mark_upload_committed(&self, id: i64, batch_id: i64) -> Result<(), DbError> {
        on_pool!(self, p => sqlx::query("UPDATE import_uploads SET batch_id = $1 WHERE id = $2 AND batch_id IS NULL")
            .bind(batch_id).bind(id).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn import_batches(&self, limit: i64) -> Result<Vec<BatchRow>, DbError> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, BatchRow>(
            "SELECT id, file_name, sha256, sheet, summary, actor_name, created_at, undone_at, undone_by FROM import_batches ORDER BY id DESC LIMIT $1",
        ).bind(limit.clamp(1, 1000)).fetch_all(p).await)?)
    }

    pub async fn import_batch(
        &self,
        id: i64,
    ) -> Result<(BatchRow, Vec<(i64, Option<i64>, String, Option<i64>)>), DbError> {
        let batch = on_pool!(self, p => sqlx::query_as::<_, BatchRow>(
            "SELECT id, file_name, sha256, sheet, summary, actor_name, created_at, undone_at, undone_by FROM import_batches WHERE id = $1",
        ).bind(id).fetch_optional(p).await)?.ok_or(DbError::NotFound)?;
        let rows = on_pool!(self, p => sqlx::query_as(
            "SELECT line, cooperative_id, action, from_version FROM import_batch_rows WHERE batch_id = $1 ORDER BY line",
        ).bind(id).fetch_all(p).await)?;
        Ok((batch, rows))
    }

    /// Undoes a batch as a whole: its created records are archived, its updated records get
    /// their previous fields back as a new version (history keeps both). Records changed
    /// since the batch are left alone and reported.
    pub async fn undo_import(&self, batch_id: i64, office: &Office, actor: &Actor) -> Result<UndoReport, DbError> {
        let (batch, rows) = self.import_batch(batch_id).await?;
        if batch.undone_at.is_some() {
            return Err(DbError::Invalid(kopra_domain::FieldErrors::single(
                "batch",
                kopra_domain::FieldError::AlreadyUsed,
            )));
        }
        let reason = format!("impor #{batch_id} dibatalkan");
        let mut report = UndoReport::default();
        for (_, id, action, from) in rows {
            let Some(id) = id else { continue };
            let current = self.cooperative(id).await?;
            match action.as_str() {
                "create" if current.version == 1 && !current.archived => {
                    self.archive_cooperative(id, &reason, Some(1), actor).await?;
                    report.archived += 1;
                }
                "update" => {
                    let Some(from) = from else { continue };
                    if current.version != from + 1 {
                        report.skipped.push(id);
                        continue;
                    }
                    let snap: Option<String> = on_pool!(self, p => sqlx::query_scalar(
                        "SELECT snapshot FROM cooperative_versions WHERE cooperative_id = $1 AND version = $2",
                    ).bind(id).bind(from).fetch_optional(p).await)?;
                    let Some(snap) = snap else {
                        report.skipped.push(id);
                        continue;
                    };
                    let v: serde_json::Value =
                        serde_json::from_str(&snap).map_err(|e| DbError::Corrupt(format!("snapshot: {e}")))?;
                    let fields: CooperativeFields = serde_json::from_value(v["fields"].clone())
                        .map_err(|e| DbError::Corrupt(format!("snapshot: {e}")))?;
                    self.update_cooperative(office, id, &fields, Some(current.version), actor)
                        .await?;
                    report.restored += 1;
                }
                "create" => report.skipped.push(id),
                _ => {}
            }
        }
        // The annual reports the batch made are withdrawn (kept, with a version saying so),
        // unless someone has changed them since.
        let made: Vec<(i64, i64, i64, String, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT r.id, r.cooperative_id, r.version, r.review_status, r.source FROM import_batch_rows b JOIN annual_reports r ON r.id = b.report_id \
             WHERE b.batch_id = $1 ORDER BY r.id",
        ).bind(batch_id).fetch_all(p).await)?;
        let t = now();
        let mut touched = Vec::new();
        for (id, cooperative_id, version, review, source) in made {
            if version != 1 || review != "verified" || source != "import" {
                report.reports_skipped.push(id);
                continue;
            }
            let withdrawn = on_pool!(self, p => {
                let mut tx = p.begin().await?;
                let n = sqlx::query("UPDATE annual_reports SET review_status = 'withdrawn', review_note = $1, reviewed_by = $2, version = 2, updated_at = $3 \
                     WHERE id = $4 AND version = 1 AND review_status = 'verified'")
                    .bind(&reason).bind(actor.name.clone()).bind(t).bind(id).execute(&mut *tx).await?.rows_affected();
                if n == 1 {
                    sqlx::query(crate::annual_reports::INSERT_VERSION)
                        .bind(id).bind(2i64).bind("withdraw").bind(json!({"review_status": "withdrawn", "review_note": reason}).to_string())
                        .bind(json!([{"field": "review_status", "from": "verified", "to": "withdrawn"}]).to_string()).bind(actor.name.clone()).bind(t)
                        .execute(&mut *tx).await?;
                    write_audit!(&mut *tx, actor, AuditEntry {
                        action: "annual_report.withdraw", entity_type: "cooperative", entity_id: Some(cooperative_id.to_string()),
                        before: Some(json!({"report": id, "review_status": "verified"})),
                        after: Some(json!({"report": id, "review_status": "withdrawn", "import_batch": batch_id})),
                    })?;
                    tx.commit().await?;
                }
                n == 1
            });
            if withdrawn {
                report.reports_withdrawn += 1;
                touched.push(cooperative_id);
            } else {
                report.reports_skipped.push(id);
            }
        }
        for id in touched {
            self.refresh_status(id).await?;
        }
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            sqlx::query("UPDATE import_batches SET undone_at = $1, undone_by = $2 WHERE id = $3")
                .bind(now()).bind(actor.name.clone()).bind(batch_id).execute(&mut *tx).await?;
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "import.undo", entity_type: "import_batch", entity_id: Some(batch_id.to_string()),
                before: None, after: Some(json!(report)),
            })?;
            tx.commit().await?;
        });
        Ok(report)
    }
}

/// A candidate pair in the register, for the CLI and the review queue.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterPair {
    pub a_id: i64,
    pub a_name: String,
    pub b_id: i64,
    pub b_name: String,
    pub score: u32,
    pub evidence: Vec<String>,
}

impl Db {
    /// Candidate duplicate pairs among non-archived cooperatives, best first; pairs marked
    /// distinct are not proposed again.
    pub async fn duplicate_pairs(&self, min_score: u32) -> Result<Vec<RegisterPair>, DbError> {
        let records: Vec<PairRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, name, legal_entity_number, kecamatan_code, kelurahan_code, phone FROM cooperatives WHERE archived = $1 ORDER BY id",
        ).bind(false).fetch_all(p).await)?;
        let distinct: Vec<(i64, i64)> =
            on_pool!(self, p => sqlx::query_as("SELECT a_id, b_id FROM distinct_pairs").fetch_all(p).await)?;
        let candidates: Vec<Candidate> = records
            .iter()
            .map(|(_, name, legal, kec, kel, phone)| Candidate {
                name: name.clone(),
                kecamatan: Some(kec.clone()),
                kelurahan: kel.clone(),
                legal_entity_number: legal.clone(),
                phone: phone.clone(),
            })
            .collect();
        Ok(find_pairs(&candidates, min_score)
            .into_iter()
            .map(|p| RegisterPair {
                a_id: records[p.a].0,
                a_name: records[p.a].1.clone(),
                b_id: records[p.b].0,
                b_name: records[p.b].1.clone(),
                score: p.score,
                evidence: p.evidence,
            })
            .filter(|p| !distinct.contains(&(p.a_id.min(p.b_id), p.a_id.max(p.b_id))))
            .collect())
    }

    /// Remembers that two records are different cooperatives: never proposed again.
    pub async fn mark_distinct(&self, a: i64, b: i64, actor: &Actor) -> Result<(), DbError> {
        self.cooperative(a).await?;
        self.cooperative(b).await?;
        let (x, y) = (a.min(b), a.max(b));
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            sqlx::query("INSERT INTO distinct_pairs (a_id, b_id, decided_by, decided_at) VALUES ($1, $2, $3, $4) ON CONFLICT (a_id, b_id) DO NOTHING")
                .bind(x).bind(y).bind(actor.name.clone()).bind(now()).execute(&mut *tx).await?;
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "duplicate.distinct", entity_type: "cooperative", entity_id: Some(x.to_string()),
                before: None, after: Some(json!({"a": x, "b": y})),
            })?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Merges `merged` into `survivor`: the survivor keeps its record and gains what it
    /// lacked; the other is archived as merged into it. Both histories stay; annual reports
    /// of book years the survivor lacks move to it.
    pub async fn merge_cooperatives(
        &self,
        office: &Office,
        survivor: i64,
        merged: i64,
        actor: &Actor,
    ) -> Result<CooperativeFieldsMerge, DbError> {
        if survivor == merged {
            return Err(DbError::Invalid(kopra_domain::FieldErrors::single(
                "merged",
                kopra_domain::FieldError::ValueNotInList,
            )));
        }
        let keep = self.cooperative(survivor).await?;
        let gone = self.cooperative(merged).await?;
        let mut fields = keep.fields.clone();
        let fill = |a: &mut Option<String>, b: &Option<String>| {
            if a.is_none() {
                *a = b.clone();
            }
        };
        // The NIK moves only when the survivor has none (a NIK is unique).
        let moved_nik = fields.nik.is_none() && gone.fields.nik.is_some();
        fill(&mut fields.legal_entity_number, &gone.fields.legal_entity_number);
        if fields.legal_entity_date.is_none() {
            fields.legal_entity_date = gone.fields.legal_entity_date;
        }
        fill(&mut fields.address, &gone.fields.address);
        fill(&mut fields.phone, &gone.fields.phone);
        fill(&mut fields.email, &gone.fields.email);
        fill(&mut fields.bentuk, &gone.fields.bentuk);
        fill(&mut fields.jenis, &gone.fields.jenis);
        fill(&mut fields.kelompok, &gone.fields.kelompok);
        fill(&mut fields.sektor, &gone.fields.sektor);
        // The chair's phone belongs to the chair: it moves only with the chair's name.
        if fields.chair_name.is_none() && gone.fields.chair_name.is_some() {
            fields.chair_name = gone.fields.chair_name.clone();
            fields.chair_phone = gone.fields.chair_phone.clone();
        } else if fields.chair_name == gone.fields.chair_name {
            fill(&mut fields.chair_phone, &gone.fields.chair_phone);
        }
        fill(&mut fields.secretary_name, &gone.fields.secretary_name);
        fill(&mut fields.treasurer_name, &gone.fields.treasurer_name);
        fill(&mut fields.supervisor_name, &gone.fields.supervisor_name);
        fill(&mut fields.manager_name, &gone.fields.manager_name);
        let reason = format!("digabung ke #{survivor}");
        self.archive_cooperative(merged, &reason, Some(gone.version), actor)
            .await?;
        if moved_nik {
            // Free the NIK on the archived record first, keeping it in its history.
            let mut g = gone.fields.clone();
            g.nik = None;
            let now_gone = self.cooperative(merged).await?;
            self.update_cooperative(office, merged, &g, Some(now_gone.version), actor)
                .await?;
            fields.nik = gone.fields.nik.clone();
        }
        self.update_cooperative(office, survivor, &fields, None, actor).await?;
        let moved_reports: u64 = on_pool!(self, p => sqlx::query(
            "UPDATE annual_reports SET cooperative_id = $1 WHERE cooperative_id = $2 AND book_year NOT IN (SELECT book_year FROM annual_reports WHERE cooperative_id = $1)",
        ).bind(survivor).bind(merged).execute(p).await.map(|r| r.rows_affected()))?;
        self.audit(
            actor,
            AuditEntry {
                action: "duplicate.merge",
                entity_type: "cooperative",
                entity_id: Some(survivor.to_string()),
                before: None,
                after: Some(json!({"survivor": survivor, "merged": merged, "reports_moved": moved_reports})),
            },
        )
        .await?;
        self.refresh_status(survivor).await?;
        Ok(CooperativeFieldsMerge {
            survivor,
            merged,
            reports_moved: moved_reports,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CooperativeFieldsMerge {
    pub survivor: i64,
    pub merged: i64,
    pub reports_moved: u64,
}

impl Db {
    /// Records a decision for a held-back row of an upload (the latest decision counts).
    pub async fn decide_held_back(
        &self,
        upload_id: i64,
        line: u64,
        decision: HeldBackDecision,
        actor: &Actor,
    ) -> Result<(), DbError> {
        let (kind, target) = match decision {
            HeldBackDecision::Create => ("create", None),
            HeldBackDecision::Apply(id) => {
                self.cooperative(id).await?;
                ("apply", Some(id))
            }
        };
        on_pool!(self, p => sqlx::query(
            "INSERT INTO import_decisions (upload_id, line, decision, target_id, decided_by) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (upload_id, line) DO UPDATE SET decision = excluded.decision, target_id = excluded.target_id, decided_by = excluded.decided_by",
        ).bind(upload_id).bind(line as i64).bind(kind).bind(target).bind(actor.name.clone()).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn held_back_decisions(&self, upload_id: i64) -> Result<HashMap<u64, HeldBackDecision>, DbError> {
        let rows: Vec<(i64, String, Option<i64>)> = on_pool!(self, p => sqlx::query_as(
            "SELECT line, decision, target_id FROM import_decisions WHERE upload_id = $1",
        ).bind(upload_id).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .filter_map(|(line, d, t)| match (d.as_str(), t) {
                ("create", _) => Some((line as u64, HeldBackDecision::Create)),
                ("apply", Some(t)) => Some((line as u64, HeldBackDecision::Apply(t))),
                _ => None,
            })
            .collect())
    }
}

/// Every importable field.
pub const FIELDS: [Field; Field::ALL.len()] = Field::ALL;

pub fn field_from_key(key: &str) -> Option<Field> {
    Field::from_key(key)
}

/// A saved mapping: header text → field (`None`: ignore the column).
pub type SavedMapping = Vec<(String, Option<Field>)>;

impl Db {
    pub async fn save_mapping_template(
        &self,
        name: &str,
        mapping: &SavedMapping,
        actor: &Actor,
    ) -> Result<(), DbError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(DbError::Invalid(kopra_domain::FieldErrors::single(
                "name",
                kopra_domain::FieldError::Required,
            )));
        }
        let json = serde_json::to_string(mapping).map_err(|e| DbError::Corrupt(e.to_string()))?;
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO mapping_templates (name, mapping, updated_by, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (name) DO UPDATE SET mapping = excluded.mapping, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            ).bind(name).bind(&json).bind(actor.name.clone()).bind(now()).execute(&mut *tx).await?;
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "import.template", entity_type: "mapping_template", entity_id: Some(name.to_string()),
                before: None, after: Some(json!(mapping)),
            })?;
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn mapping_template_names(&self) -> Result<Vec<String>, DbError> {
        Ok(
            on_pool!(self, p => sqlx::query_scalar("SELECT name FROM mapping_templates ORDER BY name").fetch_all(p).await)?,
        )
    }

    pub async fn mapping_template(&self, name: &str) -> Result<SavedMapping, DbError> {
        let json: Option<String> = on_pool!(self, p => sqlx::query_scalar("SELECT mapping FROM mapping_templates WHERE name = $1").bind(name).fetch_optional(p).await)?;
        serde_json::from_str(&json.ok_or(DbError::NotFound)?)
            .map_err(|e| DbError::Corrupt(format!("template {name}: {e}")))
    }

    /// The mapping chosen for an upload (from a template or edited in the preview).
    pub async fn set_upload_mapping(&self, upload_id: i64, mapping: &SavedMapping) -> Result<(), DbError> {
        let json = serde_json::to_string(mapping).map_err(|e| DbError::Corrupt(e.to_string()))?;
        on_pool!(self, p => sqlx::query("UPDATE import_uploads SET mapping = $1 WHERE id = $2 AND batch_id IS NULL")
            .bind(json).bind(upload_id).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn upload_mapping(&self, upload_id: i64) -> Result<SavedMapping, DbError> {
        let json: Option<Option<String>> = on_pool!(self, p => sqlx::query_scalar("SELECT mapping FROM import_uploads WHERE id = $1").bind(upload_id).fetch_optional(p).await)?;
        match json.ok_or(DbError::NotFound)? {
            Some(j) => serde_json::from_str(&j).map_err(|e| DbError::Corrupt(e.to_string())),
            None => Ok(vec![]),
        }
    }
}
