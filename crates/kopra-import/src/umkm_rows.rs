//! UMKM spreadsheets: the same tables (any format, header found below title rows), with
//! the UMKM register's own column names. Each row becomes a [`UmkmInput`] or is rejected
//! with messages naming the row, the column, the value and what to do (the same message
//! codes as the cooperative import).
//!
//! A row is rejected when the name is missing, the kelurahan is missing or unknown in the
//! office's area (a UMKM is placed by its kelurahan), a NIB is not 13 digits, or an amount
//! is negative. Unreadable optional values (a KBLI code, a date) are warnings and left out.

use crate::message::{RowMessage, Severity};
use crate::table::{Cell, Table};
use crate::values::{parse_count, parse_date, parse_rupiah};
use kopra_domain::umkm::{KbliCode, Nib, parse_tags};
use kopra_domain::umkm_input::UmkmInput;
use kopra_domain::{HomeRegion, RegionIndex, RegionMatch};

/// A column of a UMKM sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UmkmColumn {
    Name,
    Owner,
    Phone,
    Nib,
    Kbli,
    Products,
    Address,
    Kelurahan,
    Kecamatan,
    KabKota,
    Capital,
    Sales,
    EmployeesMale,
    EmployeesFemale,
    Skb,
    Cluster,
    RecordedOn,
    Notes,
}

const ALIASES: &[(UmkmColumn, &[&str])] = &[
    (
        UmkmColumn::Name,
        &[
            "nama usaha",
            "nama umkm",
            "umkm",
            "usaha",
            "nama ukm",
            "business name",
            "name",
        ],
    ),
    (
        UmkmColumn::Owner,
        &["nama pemilik", "pemilik", "pemilik usaha", "owner", "nama pelaku usaha"],
    ),
    (
        UmkmColumn::Phone,
        &[
            "hp", "no hp", "no. hp", "telepon", "no telp", "telp", "phone", "whatsapp", "wa",
        ],
    ),
    (UmkmColumn::Nib, &["nib", "nomor induk berusaha"]),
    (UmkmColumn::Kbli, &["kbli", "kode kbli", "kbli 2020"]),
    (
        UmkmColumn::Products,
        &[
            "produk",
            "komoditas",
            "produk/komoditas",
            "jenis produk",
            "products",
            "commodities",
        ],
    ),
    (UmkmColumn::Address, &["alamat", "alamat usaha", "address"]),
    (
        UmkmColumn::Kelurahan,
        &[
            "kelurahan",
            "kel.",
            "kel",
            "desa/kel.",
            "desa/kelurahan",
            "kelurahan/desa",
            "village",
        ],
    ),
    (UmkmColumn::Kecamatan, &["kecamatan", "kec.", "kec", "district"]),
    (
        UmkmColumn::KabKota,
        &["kabupaten/kota", "kab/kota", "kota", "kabupaten", "regency/city"],
    ),
    (
        UmkmColumn::Capital,
        &["modal", "modal usaha", "modal usaha (rp)", "modal (rp)", "capital"],
    ),
    (
        UmkmColumn::Sales,
        &[
            "omzet",
            "omset",
            "omzet per tahun",
            "omset per tahun",
            "omzet tahunan",
            "penjualan tahunan",
            "hasil penjualan tahunan",
            "annual sales",
        ],
    ),
    (
        UmkmColumn::EmployeesMale,
        &[
            "tk l",
            "tenaga kerja l",
            "tenaga kerja laki-laki",
            "karyawan l",
            "employees male",
        ],
    ),
    (
        UmkmColumn::EmployeesFemale,
        &[
            "tk p",
            "tenaga kerja p",
            "tenaga kerja perempuan",
            "karyawan p",
            "employees female",
        ],
    ),
    (UmkmColumn::Skb, &["skb", "no skb", "nomor skb", "no. skb"]),
    (UmkmColumn::Cluster, &["sentra", "klaster", "cluster", "sentra/klaster"]),
    (
        UmkmColumn::RecordedOn,
        &["tanggal data", "tgl data", "tanggal pendataan", "tgl pendataan"],
    ),
    (UmkmColumn::Notes, &["keterangan", "catatan", "notes"]),
];

fn column_for_header(header: &str) -> Option<UmkmColumn> {
    crate::mapping::column_by_alias(ALIASES, header)
}

/// The header row and the column of each field, as found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UmkmMapping {
    pub header_row: usize,
    pub headers: Vec<String>,
    pub columns: Vec<Option<UmkmColumn>>,
}

impl UmkmMapping {
    fn index(&self, c: UmkmColumn) -> Option<usize> {
        self.columns.iter().position(|x| *x == Some(c))
    }
    fn header(&self, c: UmkmColumn) -> String {
        self.index(c)
            .and_then(|i| self.headers.get(i))
            .cloned()
            .unwrap_or_default()
    }
}

/// Finds the header row within the first 30 rows: the one naming a business name and at
/// least two other known columns (the most of them wins).
pub fn detect_umkm_mapping(table: &Table) -> Option<UmkmMapping> {
    let mut best: Option<(usize, usize)> = None;
    for (i, row) in table.rows.iter().enumerate().take(30) {
        let cols: Vec<Option<UmkmColumn>> = row.iter().map(|c| column_for_header(&c.text())).collect();
        let count = cols.iter().flatten().count();
        if cols.contains(&Some(UmkmColumn::Name)) && count >= 3 && best.is_none_or(|(_, c)| count > c) {
            best = Some((i, count));
        }
    }
    let (header_row, _) = best?;
    let headers: Vec<String> = table.rows[header_row].iter().map(Cell::text).collect();
    let mut columns: Vec<Option<UmkmColumn>> = Vec::new();
    for h in &headers {
        let c = column_for_header(h).filter(|c| !columns.contains(&Some(*c)));
        columns.push(c);
    }
    Some(UmkmMapping {
        header_row,
        headers,
        columns,
    })
}

/// One data row of a UMKM sheet.
#[derive(Debug, Clone)]
pub struct UmkmRow {
    /// 1-based line in the sheet.
    pub line: u64,
    pub name: String,
    /// `None` when rejected.
    pub input: Option<UmkmInput>,
    pub messages: Vec<RowMessage>,
}

impl UmkmRow {
    pub fn rejected(&self) -> bool {
        self.input.is_none()
    }
}

/// Reads every non-empty data row below the header.
pub fn read_umkm_rows(table: &Table, mapping: &UmkmMapping, regions: &RegionIndex, home: &HomeRegion) -> Vec<UmkmRow> {
    table
        .rows
        .iter()
        .enumerate()
        .skip(mapping.header_row + 1)
        .filter_map(|(i, row)| umkm_row(mapping, i as u64 + 1, row, regions, home))
        .collect()
}

/// One data row (`line` 1-based) read with `mapping`; `None` for an empty row.
pub fn umkm_row(
    mapping: &UmkmMapping,
    line: u64,
    row: &[Cell],
    regions: &RegionIndex,
    home: &HomeRegion,
) -> Option<UmkmRow> {
    if row.iter().all(Cell::is_empty) {
        return None;
    }
    let mut messages = Vec::new();
    let cell = |c: UmkmColumn| mapping.index(c).and_then(|i| row.get(i)).filter(|c| !c.is_empty());
    let text = |c: UmkmColumn| cell(c).map(|v| v.text().trim().to_string()).filter(|s| !s.is_empty());
    let mut say = |c: UmkmColumn, value: &str, severity: Severity, code: &'static str| {
        messages.push(RowMessage {
            line,
            column: mapping.header(c),
            value: value.to_string(),
            severity,
            code,
        })
    };
    let name = text(UmkmColumn::Name);
    if name.is_none() {
        say(UmkmColumn::Name, "", Severity::Error, "name_missing");
    }
    let nib = text(UmkmColumn::Nib).and_then(|raw| match Nib::parse(&raw) {
        Ok(n) => Some(n.as_str().to_string()),
        Err(_) => {
            say(UmkmColumn::Nib, &raw, Severity::Error, "nib_format");
            None
        }
    });
    let mut kbli = Vec::new();
    if let Some(raw) = text(UmkmColumn::Kbli) {
        for part in raw.split([',', ';', '/', ' ']).map(str::trim).filter(|p| !p.is_empty()) {
            match KbliCode::parse(part) {
                Ok(k) => kbli.push(k.as_str().to_string()),
                Err(_) => say(UmkmColumn::Kbli, part, Severity::Warning, "value_unreadable"),
            }
        }
    }
    // The kelurahan decides the place: searched in the kecamatan when one is given,
    // else in every kecamatan of the office's area.
    let kelurahan = text(UmkmColumn::Kelurahan);
    let kecamatan = text(UmkmColumn::Kecamatan);
    // A province's or the country's list names the kab/kota: the search narrows to it.
    let area = match text(UmkmColumn::KabKota) {
        None => Some(home.code().to_string()),
        Some(k) => match regions.find_kabkota_in(home, &k) {
            Some(code) => Some(code.to_string()),
            None => {
                say(UmkmColumn::KabKota, &k, Severity::Error, "kabkota_outside_region");
                None
            }
        },
    };
    let Some(area) = area else {
        return Some(UmkmRow {
            line,
            name: name.unwrap_or_default(),
            input: None,
            messages,
        });
    };
    let kec_code = kecamatan
        .as_deref()
        .and_then(|k| regions.find_kecamatan_in(&area, k))
        .map(|m| m.code().to_string());
    if let (Some(k), None) = (&kecamatan, &kec_code) {
        say(UmkmColumn::Kecamatan, k, Severity::Error, "kecamatan_unknown");
    }
    let kelurahan_code = match (&kelurahan, &kec_code) {
        (None, _) => {
            say(UmkmColumn::Kelurahan, "", Severity::Error, "kelurahan_missing");
            None
        }
        (Some(raw), Some(kec)) => match regions.find_child(kec, raw) {
            Some(RegionMatch::Exact(code)) => Some(code),
            Some(RegionMatch::Abbreviation(code)) => {
                say(UmkmColumn::Kelurahan, raw, Severity::Warning, "kelurahan_abbreviation");
                Some(code)
            }
            None => {
                say(UmkmColumn::Kelurahan, raw, Severity::Error, "kelurahan_unknown_umkm");
                None
            }
        },
        (Some(raw), None) if kecamatan.is_none() => match regions.find_kelurahan_anywhere(&area, raw) {
            Some(code) => Some(code),
            None => {
                say(UmkmColumn::Kelurahan, raw, Severity::Error, "kelurahan_unknown_umkm");
                None
            }
        },
        (Some(_), None) => None,
    };
    let amount = |c: UmkmColumn, say: &mut dyn FnMut(UmkmColumn, &str, Severity, &'static str)| match cell(c) {
        None => None,
        Some(v) => match parse_rupiah(v) {
            Ok(Some(n)) if n < 0 => {
                say(c, &v.text(), Severity::Error, "negative");
                None
            }
            Ok(n) => n,
            Err(_) => {
                say(c, &v.text(), Severity::Warning, "value_unreadable");
                None
            }
        },
    };
    let capital = amount(UmkmColumn::Capital, &mut say);
    let annual_sales = amount(UmkmColumn::Sales, &mut say);
    let mut count = |c: UmkmColumn| match cell(c) {
        None => None,
        Some(v) => match parse_count(v) {
            Ok(Some(n)) if n < 0 => {
                say(c, &v.text(), Severity::Error, "negative");
                None
            }
            Ok(n) => n,
            Err(_) => {
                say(c, &v.text(), Severity::Warning, "value_unreadable");
                None
            }
        },
    };
    let employees_male = count(UmkmColumn::EmployeesMale);
    let employees_female = count(UmkmColumn::EmployeesFemale);
    let recorded_on = match cell(UmkmColumn::RecordedOn).map(parse_date) {
        Some(Ok(d)) => d,
        Some(Err(_)) => {
            let raw = cell(UmkmColumn::RecordedOn).map(Cell::text).unwrap_or_default();
            say(UmkmColumn::RecordedOn, &raw, Severity::Warning, "date_unreadable");
            None
        }
        None => None,
    };
    let rejected = messages.iter().any(|m| m.severity == Severity::Error);
    let input = (!rejected).then(|| UmkmInput {
        name: name.clone(),
        owner_name: text(UmkmColumn::Owner),
        owner_phone: text(UmkmColumn::Phone).filter(|p| kopra_domain::cooperative::parse_phone(p).is_some()),
        nib,
        kbli,
        products: text(UmkmColumn::Products).map(|p| parse_tags(&p)).unwrap_or_default(),
        address: text(UmkmColumn::Address),
        kelurahan_code: kelurahan_code.clone(),
        capital,
        annual_sales,
        employees_male,
        employees_female,
        skb_number: text(UmkmColumn::Skb),
        cluster: text(UmkmColumn::Cluster),
        recorded_on: recorded_on.map(|d| d.to_string()),
        notes: text(UmkmColumn::Notes),
    });
    Some(UmkmRow {
        line,
        name: name.unwrap_or_default(),
        input,
        messages,
    })
}

/// A UMKM CSV read row by row, for lists too long to hold (the national register: millions
/// of rows). The header is found in the first 30 rows as [`detect_umkm_mapping`] finds it
/// in a sheet (a blank line is skipped; lines are the file's own, as a text editor shows them).
pub struct UmkmCsv<R: std::io::Read> {
    reader: csv::Reader<R>,
    /// Rows read ahead while looking for the header and not yet given out, with their lines.
    ahead: std::collections::VecDeque<(u64, Vec<Cell>)>,
    record: csv::StringRecord,
    pub mapping: UmkmMapping,
}

impl UmkmCsv<Box<dyn std::io::Read>> {
    /// Opens a CSV (comma, semicolon or tab; UTF-8 or Windows-1252) and finds its header.
    pub fn open(path: &std::path::Path) -> Result<Self, crate::ImportError> {
        UmkmCsv::new(crate::csv_stream::open_csv(path)?)
    }
}

impl<R: std::io::Read> UmkmCsv<R> {
    pub fn new(mut reader: csv::Reader<R>) -> Result<Self, crate::ImportError> {
        let mut record = csv::StringRecord::new();
        let mut head = Table {
            sheet: String::new(),
            rows: Vec::new(),
        };
        let mut lines = Vec::new();
        while head.rows.len() < 30 && reader.read_record(&mut record)? {
            head.rows.push(crate::csv_stream::cells(&record));
            lines.push(record.position().map_or(0, |p| p.line()));
        }
        if head.rows.is_empty() {
            return Err(crate::ImportError::Empty);
        }
        let mapping = detect_umkm_mapping(&head).ok_or(crate::ImportError::NoHeader)?;
        let ahead = lines.into_iter().zip(head.rows).skip(mapping.header_row + 1).collect();
        Ok(UmkmCsv {
            reader,
            ahead,
            record,
            mapping,
        })
    }
}

impl<R: std::io::Read> Iterator for UmkmCsv<R> {
    /// A row's line and cells (empty rows included); a broken CSV stops the file.
    type Item = Result<(u64, Vec<Cell>), crate::ImportError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(row) = self.ahead.pop_front() {
            return Some(Ok(row));
        }
        match self.reader.read_record(&mut self.record) {
            Ok(false) => None,
            Ok(true) => {
                let line = self.record.position().map_or(0, |p| p.line());
                Some(Ok((line, crate::csv_stream::cells(&self.record))))
            }
            Err(e) => Some(Err(e.into())),
        }
    }
}
