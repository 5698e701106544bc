//! `kopra import-reports FILE`: a list of annual reports (RAT), one row per cooperative and
//! book year, found by NIK. A CSV streams (national lists of a million rows); a workbook is
//! read whole (the sheet's header is the first row that names a NIK and a book year).

use anyhow::{Context, Result};
use kopra_db::report_import::{ReportImportOptions, file_sha256};
use kopra_db::{Actor, Db};
use kopra_import::ImportError;
use kopra_import::report_rows::{ReportColumns, ReportCsv, report_row};
use std::path::Path;

/// The flags of the streamed imports (`import-reports`, `import-umkm`).
pub struct Flags {
    pub sheet: Option<String>,
    pub dry_run: bool,
    pub accept_valid: bool,
    pub json: bool,
}

/// Runs the import and prints the outcome; the exit code (0 committed, a clean dry run or
/// nothing to do; 2 rows rejected and nothing kept, as `kopra import`).
pub async fn run(database: &Db, file: &Path, flags: Flags) -> Result<i32> {
    let StreamedFile {
        name,
        sha256,
        actor,
        today,
        is_csv,
    } = StreamedFile::of(file)?;
    let options = ReportImportOptions {
        accept_valid: flags.accept_valid,
        dry_run: flags.dry_run,
    };
    let summary = if is_csv {
        let rows = ReportCsv::open(file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
        database
            .import_annual_reports(rows, &name, &sha256, options, today, &actor)
            .await?
    } else {
        let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        let table = kopra_import::table::read_table(&bytes, &name, flags.sheet.as_deref())
            .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
        let (header_at, columns) = table
            .rows
            .iter()
            .take(30)
            .enumerate()
            .find_map(|(i, r)| {
                let headers: Vec<String> = r.iter().map(|c| c.text().trim().to_string()).collect();
                ReportColumns::from_headers(&headers).ok().map(|c| (i, c))
            })
            .ok_or_else(|| anyhow::anyhow!("{}: {}", file.display(), ImportError::MissingColumn("NIK")))?;
        let rows = table
            .rows
            .iter()
            .enumerate()
            .skip(header_at + 1)
            .filter(|(_, r)| r.iter().any(|c| !c.is_empty()))
            .map(|(i, r)| Ok(report_row(&columns, i as u64 + 1, r)));
        database
            .import_annual_reports(rows, &name, &sha256, options, today, &actor)
            .await?
    };
    let tr = kopra_web::i18n::Tr::new(kopra_web::i18n::Lang::Id);
    if flags.json {
        print_json(serde_json::to_value(&summary)?, "errors", &tr)?;
    } else {
        println!(
            "{name}: {} rows: {} new reports, {} already on record, {} rejected",
            summary.rows, summary.created, summary.already_recorded, summary.rejected
        );
        for e in summary.errors.iter().take(50) {
            println!(
                "  row {}, column {}: {} ({:?})",
                e.line,
                e.column,
                tr.key(&e.message_key),
                e.value
            );
        }
        if summary.committed {
            println!("committed; statuses recomputed ({} changed)", summary.statuses_changed);
        } else if flags.dry_run {
            println!("dry run: nothing was written");
        } else if summary.created == 0 {
            println!("nothing to write");
        } else {
            println!("nothing was written: fix the rejected rows, or run again with --accept-valid");
        }
    }
    Ok(exit_code(
        summary.committed,
        flags.dry_run,
        summary.rejected,
        summary.created,
    ))
}

/// Prints a summary (`out`) as one JSON object, each entry of its `list` given a `message`
/// beside its `message_key`, in Indonesian.
pub fn print_json(mut out: serde_json::Value, list: &str, tr: &kopra_web::i18n::Tr) -> Result<()> {
    if let Some(entries) = out[list].as_array_mut() {
        for e in entries {
            let key = e["message_key"].as_str().unwrap_or_default().to_string();
            e["message"] = serde_json::Value::String(tr.key(&key));
        }
    }
    println!("{out}");
    Ok(())
}

/// What the streamed imports (`import-reports`, `import-umkm`) know of their file.
pub struct StreamedFile {
    pub name: String,
    /// For the import's audit entry.
    pub sha256: String,
    /// The command line as the actor.
    pub actor: Actor,
    pub today: time::Date,
    /// A CSV (or .txt) streams; anything else is read whole as a workbook.
    pub is_csv: bool,
}

impl StreamedFile {
    pub fn of(file: &Path) -> Result<StreamedFile> {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let sha256 = file_sha256(file).with_context(|| format!("cannot read {}", file.display()))?;
        let lower = name.to_lowercase();
        Ok(StreamedFile {
            is_csv: lower.ends_with(".csv") || lower.ends_with(".txt"),
            name,
            sha256,
            actor: Actor {
                user_id: None,
                name: "cli".into(),
                ip: None,
            },
            today: kopra_db::status::wib_today(),
        })
    }
}

/// 0 when committed, for a clean dry run, or when there was nothing to write and nothing
/// wrong; 2 when rows were rejected and nothing was kept (as `kopra import`).
pub fn exit_code(committed: bool, dry_run: bool, rejected: u64, would_write: u64) -> i32 {
    if committed || (dry_run && rejected == 0) || (would_write == 0 && rejected == 0) {
        0
    } else {
        2
    }
}
