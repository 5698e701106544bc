//! Lists of annual reports (RAT): one row per cooperative and book year, the cooperative
//! named by its NIK. Offices and the ministry keep these as long sheets (the generator's
//! `annual_reports.csv` is one: `NIK, TAHUN BUKU, TGL RAT, ANGGOTA L, …`).
//!
//! A CSV is read as a stream ([`ReportCsv`]), so a national list of a million reports never
//! sits in memory whole; a workbook is read through [`crate::table::read_table`] and its rows
//! given to [`report_row`] one by one. Each row becomes a [`ReportRow`] (an
//! [`AnnualReportInput`], validated later by the domain rules) or messages that name the
//! line, the column, the value and the problem (the cooperative import's message codes).

use crate::error::ImportError;
use crate::message::{RowMessage, Severity};
use crate::table::Cell;
use crate::values::{ValueError, parse_count, parse_date, parse_rupiah};
use kopra_domain::annual_report::AnnualReportInput;
use std::io::Read;

/// A column of a report list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportColumn {
    Nik,
    BookYear,
    RatDate,
    ReportedDate,
    MembersMale,
    MembersFemale,
    MembersTotal,
    Assets,
    BusinessVolume,
    Shu,
}

const ALIASES: &[(ReportColumn, &[&str])] = &[
    (
        ReportColumn::Nik,
        &[
            "nik",
            "nomor induk koperasi",
            "nomor induk koperasi (nik)",
            "no induk koperasi",
        ],
    ),
    (ReportColumn::BookYear, &["tahun buku", "tahun", "book year"]),
    (
        ReportColumn::RatDate,
        &["tgl rat", "tanggal rat", "tanggal pelaksanaan rat", "rat date"],
    ),
    (
        ReportColumn::ReportedDate,
        &[
            "tgl lapor",
            "tanggal lapor",
            "tanggal laporan",
            "tanggal dilaporkan",
            "reported date",
        ],
    ),
    (
        ReportColumn::MembersMale,
        &["anggota l", "anggota pria", "anggota laki-laki", "jumlah anggota pria"],
    ),
    (
        ReportColumn::MembersFemale,
        &[
            "anggota p",
            "anggota wanita",
            "anggota perempuan",
            "jumlah anggota wanita",
        ],
    ),
    (
        ReportColumn::MembersTotal,
        &["total anggota", "jumlah anggota", "anggota"],
    ),
    (ReportColumn::Assets, &["aset", "asset", "total aset", "jumlah aset"]),
    (
        ReportColumn::BusinessVolume,
        &["volume usaha", "omzet", "business volume"],
    ),
    (ReportColumn::Shu, &["shu", "sisa hasil usaha"]),
];

fn column_for_header(header: &str) -> Option<ReportColumn> {
    crate::mapping::column_by_alias(ALIASES, header)
}

/// Which column holds what, from the header row.
#[derive(Debug, Clone)]
pub struct ReportColumns {
    headers: Vec<String>,
    columns: Vec<Option<ReportColumn>>,
}

impl ReportColumns {
    /// Reads a header row; the NIK and the book year are required.
    pub fn from_headers(headers: &[String]) -> Result<ReportColumns, ImportError> {
        let mut columns: Vec<Option<ReportColumn>> = Vec::with_capacity(headers.len());
        for h in headers {
            let c = column_for_header(h.trim_start_matches('\u{feff}'));
            // The first column of a kind wins; later duplicates are ignored.
            columns.push(c.filter(|c| !columns.contains(&Some(*c))));
        }
        if !columns.contains(&Some(ReportColumn::Nik)) {
            return Err(ImportError::MissingColumn("NIK"));
        }
        if !columns.contains(&Some(ReportColumn::BookYear)) {
            return Err(ImportError::MissingColumn("TAHUN BUKU"));
        }
        Ok(ReportColumns {
            headers: headers.to_vec(),
            columns,
        })
    }
}

/// One report as read, with its 1-based line in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    pub line: u64,
    pub nik: String,
    pub input: AnnualReportInput,
}

fn message(line: u64, header: &str, value: &Cell, code: &'static str) -> RowMessage {
    RowMessage {
        line,
        column: header.to_string(),
        value: value.text(),
        severity: Severity::Error,
        code,
    }
}

/// A report's values are its substance: an unreadable one rejects the row (the office
/// corrects the list), unlike the register import, which drops unreadable optional values.
fn value_code(e: ValueError) -> &'static str {
    match e {
        ValueError::NoSuchDate => "date_invalid",
        ValueError::NotADate => "report_date_unreadable",
        ValueError::Negative => "negative",
        ValueError::NotANumber => "report_value_unreadable",
    }
}

/// One data row: a report to check, or why it cannot be read (every problem at once).
pub fn report_row(cols: &ReportColumns, line: u64, cells: &[Cell]) -> Result<ReportRow, Vec<RowMessage>> {
    let mut errors = Vec::new();
    let mut nik = String::new();
    let mut input = AnnualReportInput::default();
    let empty = Cell::Empty;
    for (i, column) in cols.columns.iter().enumerate() {
        let Some(column) = column else { continue };
        let cell = cells.get(i).unwrap_or(&empty);
        let header = &cols.headers[i];
        let count = |e: &mut Vec<RowMessage>| match parse_count(cell) {
            Ok(v) => v,
            Err(err) => {
                e.push(message(line, header, cell, value_code(err)));
                None
            }
        };
        let rupiah = |e: &mut Vec<RowMessage>| match parse_rupiah(cell) {
            Ok(v) => v,
            Err(err) => {
                e.push(message(line, header, cell, value_code(err)));
                None
            }
        };
        let date = |e: &mut Vec<RowMessage>| match parse_date(cell) {
            Ok(v) => v.map(|d| d.to_string()),
            Err(err) => {
                e.push(message(line, header, cell, value_code(err)));
                None
            }
        };
        match column {
            ReportColumn::Nik => {
                nik = match cell {
                    Cell::Number(n) if *n >= 0.0 && n.fract() == 0.0 => format!("{n:.0}"),
                    other => other.text().trim().to_string(),
                };
                if nik.is_empty() {
                    errors.push(message(line, header, cell, "nik_missing"));
                }
            }
            ReportColumn::BookYear => match count(&mut errors) {
                Some(y) => input.book_year = i32::try_from(y).ok(),
                None if cell.is_empty() => errors.push(message(line, header, cell, "book_year_missing")),
                None => {}
            },
            ReportColumn::RatDate => input.rat_date = date(&mut errors),
            ReportColumn::ReportedDate => input.reported_date = date(&mut errors),
            ReportColumn::MembersMale => input.members_male = count(&mut errors),
            ReportColumn::MembersFemale => input.members_female = count(&mut errors),
            ReportColumn::MembersTotal => input.members_total = count(&mut errors),
            ReportColumn::Assets => input.assets = rupiah(&mut errors),
            ReportColumn::BusinessVolume => input.business_volume = rupiah(&mut errors),
            ReportColumn::Shu => input.shu = rupiah(&mut errors),
        }
    }
    if errors.is_empty() {
        Ok(ReportRow { line, nik, input })
    } else {
        Err(errors)
    }
}

/// A CSV report list read row by row (comma or semicolon, UTF-8 or Windows-1252).
pub struct ReportCsv<R: Read> {
    reader: csv::Reader<R>,
    columns: ReportColumns,
    record: csv::StringRecord,
}

impl ReportCsv<Box<dyn Read>> {
    /// Opens a CSV whose first line is the header.
    pub fn open(path: &std::path::Path) -> Result<ReportCsv<Box<dyn Read>>, ImportError> {
        ReportCsv::from_reader(crate::csv_stream::open_csv(path)?)
    }
}

impl<R: Read> ReportCsv<R> {
    pub fn new(source: R, delimiter: u8) -> Result<ReportCsv<R>, ImportError> {
        ReportCsv::from_reader(
            csv::ReaderBuilder::new()
                .delimiter(delimiter)
                .flexible(true)
                .has_headers(false)
                .from_reader(source),
        )
    }

    fn from_reader(mut reader: csv::Reader<R>) -> Result<ReportCsv<R>, ImportError> {
        let mut header = csv::StringRecord::new();
        if !reader.read_record(&mut header)? {
            return Err(ImportError::Empty);
        }
        let headers: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
        Ok(ReportCsv {
            reader,
            columns: ReportColumns::from_headers(&headers)?,
            record: csv::StringRecord::new(),
        })
    }
}

impl<R: Read> Iterator for ReportCsv<R> {
    type Item = Result<Result<ReportRow, Vec<RowMessage>>, ImportError>;

    /// The next non-empty row; a broken CSV stops the whole file.
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.reader.read_record(&mut self.record) {
                Ok(false) => return None,
                Ok(true) => {
                    if self.record.iter().all(|v| v.trim().is_empty()) {
                        continue;
                    }
                    let line = self.record.position().map_or(0, |p| p.line());
                    let cells = crate::csv_stream::cells(&self.record);
                    return Some(Ok(report_row(&self.columns, line, &cells)));
                }
                Err(e) => return Some(Err(e.into())),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = "\u{feff}NIK;TAHUN BUKU;TGL RAT;ANGGOTA L;ANGGOTA P;TOTAL ANGGOTA;ASET;VOLUME USAHA;SHU\n\
        3275010010001;2023;14/03/2024;15;6;21;Rp 128.067.000;189121000;-16.646.000\n\
        ;;;;;;;;\n\
        3275010010002;dua ribu;31/02/2024;x;;;;;\n";

    fn rows() -> Vec<Result<ReportRow, Vec<RowMessage>>> {
        ReportCsv::new(LIST.as_bytes(), b';')
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    #[test]
    fn a_row_becomes_a_report_with_rupiah_and_dates_read() {
        let r = rows();
        assert_eq!(r.len(), 2, "the empty row is skipped");
        let first = r[0].as_ref().unwrap();
        assert_eq!((first.line, first.nik.as_str()), (2, "3275010010001"));
        assert_eq!(first.input.book_year, Some(2023));
        assert_eq!(first.input.rat_date.as_deref(), Some("2024-03-14"));
        assert_eq!(
            (first.input.members_male, first.input.members_total),
            (Some(15), Some(21))
        );
        assert_eq!(
            (first.input.assets, first.input.shu),
            (Some(128_067_000), Some(-16_646_000))
        );
    }

    #[test]
    fn a_bad_row_names_every_problem_with_its_line() {
        let r = rows();
        let e = r[1].as_ref().unwrap_err();
        let codes: Vec<(&str, &str)> = e.iter().map(|m| (m.column.as_str(), m.code)).collect();
        assert_eq!(
            codes,
            [
                ("TAHUN BUKU", "report_value_unreadable"),
                ("TGL RAT", "date_invalid"),
                ("ANGGOTA L", "report_value_unreadable")
            ]
        );
        assert!(e.iter().all(|m| m.line == 4), "{e:?}");
    }

    #[test]
    fn a_list_without_nik_or_book_year_is_refused_whole() {
        let no_nik = ReportCsv::new("Koperasi,TAHUN BUKU\nA,2023\n".as_bytes(), b',');
        assert!(matches!(no_nik, Err(ImportError::MissingColumn("NIK"))));
        let no_year = ReportCsv::new("NIK,TGL RAT\n1,01/01/2024\n".as_bytes(), b',');
        assert!(matches!(no_year, Err(ImportError::MissingColumn("TAHUN BUKU"))));
    }
}
