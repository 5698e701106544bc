//! Any spreadsheet or CSV as a plain table of cells: XLSX, XLS and ODS through calamine,
//! CSV with its delimiter (`,` `;` or tab) and encoding (UTF-8 or Windows-1252) detected.
//! Hostile files meet limits, not crashes: a size cap, a cell cap, and clear errors.

use crate::ImportError;
use std::io::Cursor;
use time::{Date, Duration, Month};

/// Largest file accepted.
pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;
/// Largest number of cells read from one sheet (a ZIP bomb expands to more).
pub const MAX_CELLS: usize = 20_000_000;
/// Largest number of rows read from one sheet or CSV: the national register (about
/// 130,000 cooperatives) fits with room; a bigger file is split, and the error says so.
/// This keeps one import's memory bounded (a plan holds every row until it is committed).
pub const MAX_ROWS: usize = 250_000;
/// Largest uncompressed size of a workbook's parts (XLSX and ODS are ZIP archives).
pub const MAX_UNCOMPRESSED_BYTES: u64 = 300 * 1024 * 1024;

/// Refuses a ZIP-based workbook whose parts would expand beyond the cap, before any of it
/// is decompressed.
fn check_zip_expansion(bytes: &[u8], cap: u64) -> Result<(), ImportError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ImportError::Unreadable(e.to_string()))?;
    if archive.len() > 10_000 {
        return Err(ImportError::TooManyCells(archive.len()));
    }
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| ImportError::Unreadable(e.to_string()))?;
        total = total.saturating_add(entry.size());
        if total > cap {
            return Err(ImportError::Expands(total));
        }
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(Date),
    Bool(bool),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, as a person would read it.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.trim().to_string(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::Bool(b) => b.to_string(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Table {
    pub sheet: String,
    /// Rows as read; `rows[i]` is line `i + 1` of the sheet.
    pub rows: Vec<Vec<Cell>>,
}

/// Excel's day 0 for the 1900 date system (serial 1 = 1900-01-01, with the 1900 leap bug).
pub fn excel_serial_to_date(serial: f64) -> Option<Date> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let base = Date::from_calendar_date(1899, Month::December, 30).ok()?;
    base.checked_add(Duration::days(serial.floor() as i64))
}

fn kind_of(file_name: &str, bytes: &[u8]) -> &'static str {
    let lower = file_name.to_lowercase();
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        "workbook"
    } else if lower.ends_with(".csv") || lower.ends_with(".txt") || lower.ends_with(".tsv") {
        "csv"
    } else if lower.ends_with(".xlsx") || lower.ends_with(".xls") || lower.ends_with(".ods") || lower.ends_with(".xlsm")
    {
        "workbook"
    } else {
        "csv"
    }
}

/// Reads the table of `sheet`, or of the first visible sheet that holds a data table.
pub fn read_table(bytes: &[u8], file_name: &str, sheet: Option<&str>) -> Result<Table, ImportError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge(bytes.len()));
    }
    if bytes.is_empty() {
        return Err(ImportError::Empty);
    }
    match kind_of(file_name, bytes) {
        "workbook" => read_workbook(bytes, sheet),
        _ => read_csv(bytes),
    }
}

fn read_workbook(bytes: &[u8], wanted: Option<&str>) -> Result<Table, ImportError> {
    use calamine::{Data, Reader, SheetVisible, open_workbook_auto_from_rs};
    if bytes.starts_with(b"PK\x03\x04") {
        check_zip_expansion(bytes, MAX_UNCOMPRESSED_BYTES)?;
    }
    let mut wb =
        open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).map_err(|e| ImportError::Unreadable(e.to_string()))?;
    let names: Vec<(String, bool)> = wb
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible == SheetVisible::Visible))
        .collect();
    let candidates: Vec<String> = match wanted {
        Some(w) => {
            let found = names
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(w.trim()))
                .map(|(n, _)| n.clone());
            vec![found.ok_or_else(|| {
                ImportError::NoSuchSheet(w.to_string(), names.iter().map(|(n, _)| n.clone()).collect())
            })?]
        }
        // Hidden sheets are never picked by themselves.
        None => names
            .iter()
            .filter(|(_, visible)| *visible)
            .map(|(n, _)| n.clone())
            .collect(),
    };
    for name in candidates {
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| ImportError::Unreadable(e.to_string()))?;
        let (h, w) = range.get_size();
        if h.saturating_mul(w) > MAX_CELLS {
            return Err(ImportError::TooManyCells(h.saturating_mul(w)));
        }
        if h > MAX_ROWS {
            return Err(ImportError::TooManyRows(h));
        }
        let (row0, col0) = range.start().map(|(r, c)| (r as usize, c as usize)).unwrap_or((0, 0));
        let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); row0];
        for r in range.rows() {
            let mut cells = vec![Cell::Empty; col0];
            cells.extend(r.iter().map(|d| match d {
                Data::Empty | Data::Error(_) => Cell::Empty,
                Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
                Data::Int(i) => Cell::Number(*i as f64),
                Data::Float(f) => Cell::Number(*f),
                Data::Bool(b) => Cell::Bool(*b),
                Data::DateTime(dt) => excel_serial_to_date(dt.as_f64()).map_or(Cell::Number(dt.as_f64()), Cell::Date),
            }));
            rows.push(cells);
        }
        let table = Table { sheet: name, rows };
        if wanted.is_some() || has_data_table(&table) {
            return Ok(table);
        }
    }
    Err(ImportError::NoDataTable)
}

/// A data table: at least two rows with three or more filled cells.
fn has_data_table(t: &Table) -> bool {
    t.rows
        .iter()
        .filter(|r| r.iter().filter(|c| !c.is_empty()).count() >= 3)
        .take(2)
        .count()
        >= 2
}

/// UTF-8 (with or without BOM), else Windows-1252 — what Excel saves as "CSV" in Indonesia.
pub fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

/// The delimiter that splits the first lines most consistently: `,`, `;` or tab.
pub fn detect_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(10).collect();
    let mut best = (b',', 0usize);
    for d in [b',', b';', b'\t'] {
        let counts: Vec<usize> = lines.iter().map(|l| l.bytes().filter(|b| *b == d).count()).collect();
        let max = counts.iter().copied().max().unwrap_or(0);
        // Favour a delimiter present on most lines.
        let score = counts.iter().filter(|c| **c > 0 && **c + 2 >= max).count() * 1000 + max;
        if max > 0 && score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

fn read_csv(bytes: &[u8]) -> Result<Table, ImportError> {
    let text = decode_text(bytes);
    let delimiter = detect_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut cells = 0usize;
    for rec in reader.records() {
        let rec = rec.map_err(|e| ImportError::Unreadable(e.to_string()))?;
        cells += rec.len();
        if cells > MAX_CELLS {
            return Err(ImportError::TooManyCells(cells));
        }
        if rows.len() >= MAX_ROWS {
            return Err(ImportError::TooManyRows(rows.len() + 1));
        }
        rows.push(
            rec.iter()
                .map(|s| {
                    if s.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(s.to_string())
                    }
                })
                .collect(),
        );
    }
    let table = Table {
        sheet: String::new(),
        rows,
    };
    if has_data_table(&table) {
        Ok(table)
    } else {
        Err(ImportError::NoDataTable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn excel_serials_become_dates() {
        assert_eq!(excel_serial_to_date(43536.0), Some(date!(2019 - 03 - 12)));
        assert_eq!(excel_serial_to_date(1.0), Some(date!(1899 - 12 - 31)));
        assert_eq!(excel_serial_to_date(-5.0), None);
    }

    #[test]
    fn csv_delimiter_and_encoding_are_detected() {
        assert_eq!(detect_delimiter("a;b;c\n1;2;3\n"), b';');
        assert_eq!(detect_delimiter("a\tb\tc\n1\t2\t3\n"), b'\t');
        assert_eq!(detect_delimiter("NAMA,ASET\n\"Kop A\",\"1.500.000,00\"\n"), b',');
        // "Koperasi Karya Mandiri – Ibu" in Windows-1252 (the dash is 0x96).
        assert_eq!(decode_text(b"Karya \x96 Ibu"), "Karya \u{2013} Ibu");
        assert_eq!(decode_text("\u{feff}Nama".as_bytes()), "Nama");
        let t = read_table(
            b"NAMA;KECAMATAN;NIK\nKop A;Bekasi Utara;3275070040031\nKop B;Rawalumbu;\n",
            "data.csv",
            None,
        )
        .unwrap();
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows[1][1], Cell::Text("Bekasi Utara".into()));
    }

    #[test]
    fn a_zip_bomb_is_refused_before_it_expands() {
        use std::io::Write;
        let mut buf = Cursor::new(Vec::new());
        {
            let mut zw = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
            zw.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
            // Stored (not deflated) so the test needs no compressor; the size is what counts.
            zw.write_all(&vec![b' '; 1024]).unwrap();
            zw.finish().unwrap();
        }
        let small = buf.into_inner();
        assert!(check_zip_expansion(&small, MAX_UNCOMPRESSED_BYTES).is_ok());
        assert!(
            matches!(check_zip_expansion(&small, 512), Err(ImportError::Expands(1024))),
            "over the cap: refused"
        );
        assert!(
            matches!(read_table(&small, "x.xlsx", None), Err(ImportError::Unreadable(_))),
            "not a workbook, but read safely"
        );
    }

    #[test]
    fn hostile_input_is_a_clear_error() {
        assert!(matches!(read_table(b"", "x.csv", None), Err(ImportError::Empty)));
        assert!(matches!(
            read_table(b"PK\x03\x04garbage that is no zip", "x.xlsx", None),
            Err(ImportError::Unreadable(_))
        ));
        assert!(matches!(
            read_table(b"just one line", "x.csv", None),
            Err(ImportError::NoDataTable)
        ));
        let big = vec![b'a'; MAX_FILE_BYTES + 1];
        assert!(matches!(read_table(&big, "x.csv", None), Err(ImportError::TooLarge(_))));
    }
}
