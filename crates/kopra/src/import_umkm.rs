//! `kopra import-umkm FILE`: a UMKM list, one row per business, matched by NIB. A CSV
//! streams (the national register's millions of rows); a workbook is read whole, within
//! the sheet limits of the preview's import.

use crate::import_reports::{Flags, StreamedFile, exit_code, print_json};
use anyhow::{Context, Result};
use kopra_db::Db;
use kopra_db::settings::Office;
use kopra_db::umkm_stream_import::UmkmStreamOptions;
use kopra_import::ImportError;
use kopra_import::umkm_rows::{UmkmCsv, detect_umkm_mapping};
use std::path::Path;

/// Runs the import and prints the outcome; the exit code as `kopra import-reports`: 0
/// committed, a clean dry run or nothing to do; 2 rows rejected and nothing kept.
pub async fn run(database: &Db, office: &Office, file: &Path, flags: Flags) -> Result<i32> {
    let StreamedFile {
        name,
        sha256,
        actor,
        today,
        is_csv,
    } = StreamedFile::of(file)?;
    let options = UmkmStreamOptions {
        accept_valid: flags.accept_valid,
        dry_run: flags.dry_run,
    };
    let summary = if is_csv {
        let rows = UmkmCsv::open(file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
        let mapping = rows.mapping.clone();
        database
            .import_umkm_stream(rows, &mapping, &name, &sha256, office, options, today, &actor)
            .await?
    } else {
        let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        let table = kopra_import::table::read_table(&bytes, &name, flags.sheet.as_deref())
            .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
        let mapping = detect_umkm_mapping(&table)
            .ok_or_else(|| anyhow::anyhow!("{}: {}", file.display(), ImportError::NoHeader))?;
        let rows = table
            .rows
            .into_iter()
            .enumerate()
            .skip(mapping.header_row + 1)
            .map(|(i, r)| Ok((i as u64 + 1, r)));
        database
            .import_umkm_stream(rows, &mapping, &name, &sha256, office, options, today, &actor)
            .await?
    };
    let tr = kopra_web::i18n::Tr::new(kopra_web::i18n::Lang::Id);
    if flags.json {
        print_json(serde_json::to_value(&summary)?, "problems", &tr)?;
    } else {
        println!(
            "{name}: {} rows: {} new, {} updated, {} unchanged, {} rejected, {} kept with a warning",
            summary.rows, summary.created, summary.updated, summary.unchanged, summary.rejected, summary.warned
        );
        for p in summary.problems.iter().take(50) {
            println!(
                "  row {}, column {}: {} ({:?}, {})",
                p.line,
                p.column,
                tr.key(&p.message_key),
                p.value,
                p.severity
            );
        }
        if summary.committed {
            println!("committed");
        } else if flags.dry_run {
            println!("dry run: nothing was written");
        } else if summary.created + summary.updated == 0 {
            println!("nothing to write");
        } else {
            println!("nothing was written: fix the rejected rows, or run again with --accept-valid");
        }
    }
    Ok(exit_code(
        summary.committed,
        flags.dry_run,
        summary.rejected,
        summary.created + summary.updated,
    ))
}
