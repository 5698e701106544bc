//! Rows of a mapped table become register fields and report figures, each row with
//! messages that name the row, the column, the value and what to do.
//!
//! A row is **rejected** (nothing stored from it) when the name is missing; the kecamatan
//! (or at province or national level the kab/kota) is missing or outside the office's
//! region; a date does not exist (31/02/2019); a count or amount is negative; a NIK is
//! present but not 13 digits. It is imported **with a warning** when the kelurahan is
//! unknown (kept as text), an optional field is unreadable, or the RAT date precedes the
//! founding date.

use crate::mapping::{Field, Mapping};
use crate::message::{RowMessage, Severity};
use crate::table::{Cell, Table};
use crate::values::{ValueError, parse_count, parse_date, parse_rupiah};
use kopra_domain::cooperative::{is_plausible_email, parse_phone};
use kopra_domain::value_sets::{Bentuk, Jenis, Kelompok, ODS_GRADES, Sektor};
use kopra_domain::{
    AmendmentInput, CooperativeFields, CooperativeInput, HomeRegion, NikKoperasi, RegionIndex, RegionMatch,
};
use std::collections::HashMap;
use time::Date;

/// Figures for the annual report the row carries (members, money, last RAT).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportFigures {
    pub members_male: Option<i64>,
    pub members_female: Option<i64>,
    pub members_total: Option<i64>,
    pub assets: Option<i64>,
    pub business_volume: Option<i64>,
    pub shu: Option<i64>,
    pub last_rat: Option<Date>,
}

/// One data row, read.
#[derive(Debug, Clone)]
pub struct ImportRow {
    /// The row's line in the sheet (1-based, as the office sees it).
    pub line: u64,
    /// The name as written (for messages and review), even when rejected.
    pub name: String,
    /// The valid register fields; `None` when the row is rejected.
    pub fields: Option<CooperativeFields>,
    pub figures: ReportFigures,
    pub messages: Vec<RowMessage>,
}

impl ImportRow {
    pub fn rejected(&self) -> bool {
        self.fields.is_none()
    }
}

struct Ctx<'a> {
    line: u64,
    row: &'a [Cell],
    mapping: &'a Mapping,
    messages: Vec<RowMessage>,
}

impl Ctx<'_> {
    fn cell(&self, f: Field) -> Option<&Cell> {
        self.mapping
            .column_of(f)
            .and_then(|i| self.row.get(i))
            .filter(|c| !c.is_empty())
    }
    fn text(&self, f: Field) -> Option<String> {
        self.cell(f).map(Cell::text).filter(|s| !s.is_empty())
    }
    fn column(&self, f: Field) -> String {
        self.mapping
            .column_of(f)
            .and_then(|i| self.mapping.headers.get(i))
            .cloned()
            .unwrap_or_default()
    }
    fn say(&mut self, f: Field, value: &str, severity: Severity, code: &'static str) {
        let column = self.column(f);
        self.messages.push(RowMessage {
            line: self.line,
            column,
            value: value.into(),
            severity,
            code,
        });
    }
    fn date(&mut self, f: Field) -> Option<Date> {
        let cell = self.cell(f)?.clone();
        match parse_date(&cell) {
            Ok(d) => d,
            Err(ValueError::NoSuchDate) => {
                self.say(f, &cell.text(), Severity::Error, "date_invalid");
                None
            }
            Err(_) => {
                self.say(f, &cell.text(), Severity::Warning, "date_unreadable");
                None
            }
        }
    }
    fn number(&mut self, f: Field, count: bool) -> Option<i64> {
        let cell = self.cell(f)?.clone();
        let parsed = if count { parse_count(&cell) } else { parse_rupiah(&cell) };
        match parsed {
            Ok(Some(n)) if n < 0 && f != Field::Shu => {
                self.say(f, &cell.text(), Severity::Error, "negative");
                None
            }
            Ok(v) => v,
            Err(ValueError::Negative) => {
                self.say(f, &cell.text(), Severity::Error, "negative");
                None
            }
            Err(_) => {
                self.say(f, &cell.text(), Severity::Warning, "value_unreadable");
                None
            }
        }
    }
    /// An optional value from a list: kept in its official spelling, or dropped with a warning.
    fn listed(&mut self, f: Field, parse: impl Fn(&str) -> Option<String>) -> Option<String> {
        let raw = self.text(f)?;
        match parse(&raw) {
            Some(v) => Some(v),
            None => {
                self.say(f, &raw, Severity::Warning, "value_not_in_list");
                None
            }
        }
    }
}

/// Reads every data row below the header. `today` bounds dates that cannot lie ahead.
pub fn read_rows(
    table: &Table,
    mapping: &Mapping,
    regions: &RegionIndex,
    home: &HomeRegion,
    kelurahan_by_nik_prefix: &HashMap<String, String>,
    today: Date,
) -> Vec<ImportRow> {
    let first = (mapping.header_row + 1).min(table.rows.len());
    let data = &table.rows[first..];
    // Rows are independent: a large sheet is checked on every core, in slices, and the
    // slices joined back in row order.
    let threads = std::thread::available_parallelism().map_or(1, usize::from).min(8);
    if threads < 2 || data.len() < PARALLEL_FROM_ROWS {
        return read_slice(data, first, mapping, regions, home, kelurahan_by_nik_prefix, today);
    }
    let per_thread = data.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let parts: Vec<_> = data
            .chunks(per_thread)
            .enumerate()
            .map(|(k, slice)| {
                let offset = first + k * per_thread;
                scope.spawn(move || read_slice(slice, offset, mapping, regions, home, kelurahan_by_nik_prefix, today))
            })
            .collect();
        let mut out = Vec::with_capacity(data.len());
        for part in parts {
            out.extend(part.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        }
        out
    })
}

/// From how many data rows [`read_rows`] checks on several threads.
const PARALLEL_FROM_ROWS: usize = 4_096;

/// [`read_rows`] over `rows`, the first of which is the sheet's row index `offset` (0-based).
fn read_slice(
    rows: &[Vec<Cell>],
    offset: usize,
    mapping: &Mapping,
    regions: &RegionIndex,
    home: &HomeRegion,
    kelurahan_by_nik_prefix: &HashMap<String, String>,
    today: Date,
) -> Vec<ImportRow> {
    let mut out = Vec::with_capacity(rows.len());
    for (k, row) in rows.iter().enumerate() {
        let i = offset + k;
        if row.iter().all(Cell::is_empty) {
            continue;
        }
        let mut c = Ctx {
            line: i as u64 + 1,
            row,
            mapping,
            messages: Vec::new(),
        };
        let (fields, figures) = read_row(&mut c, regions, home, kelurahan_by_nik_prefix, today);
        let name = c.text(Field::Name).unwrap_or_default();
        let rejected = c.messages.iter().any(|m| m.severity == Severity::Error);
        out.push(ImportRow {
            line: c.line,
            name,
            fields: if rejected { None } else { fields },
            figures,
            messages: c.messages,
        });
    }
    out
}

fn read_row(
    c: &mut Ctx<'_>,
    regions: &RegionIndex,
    home: &HomeRegion,
    crosswalk: &HashMap<String, String>,
    today: Date,
) -> (Option<CooperativeFields>, ReportFigures) {
    let name = c.text(Field::Name);
    if name.is_none() {
        c.say(Field::Name, "", Severity::Error, "name_missing");
    }
    let nik = c.text(Field::Nik).and_then(|raw| match NikKoperasi::parse(&raw) {
        Ok(n) => Some(n.as_str().to_string()),
        Err(_) => {
            c.say(Field::Nik, &raw, Severity::Error, "nik_format");
            None
        }
    });

    // Kab/kota: named in the row, or the office's own when it is one.
    let kabkota = match (c.text(Field::KabKota), home) {
        (Some(k), _) => match regions.find_kabkota_in(home, &k) {
            Some(code) => Some(code.to_string()),
            None => {
                c.say(Field::KabKota, &k, Severity::Error, "kabkota_outside_region");
                None
            }
        },
        (None, HomeRegion::KabKota(code)) => Some(code.to_string()),
        (None, _) => {
            c.say(Field::KabKota, "", Severity::Error, "kabkota_missing");
            None
        }
    };
    let kecamatan = match (c.text(Field::Kecamatan), &kabkota) {
        (Some(k), Some(kk)) => match regions.find_child(kk, &k) {
            Some(m) => Some(m.code().to_string()),
            None => {
                c.say(Field::Kecamatan, &k, Severity::Error, "kecamatan_unknown");
                None
            }
        },
        (None, _) => {
            c.say(Field::Kecamatan, "", Severity::Error, "kecamatan_missing");
            None
        }
        (Some(_), None) => None,
    };
    let mut kelurahan_code = None;
    let mut kelurahan_text = None;
    if let (Some(raw), Some(kec)) = (c.text(Field::Kelurahan), &kecamatan) {
        let by_prefix = crosswalk.get(&raw).filter(|code| code.starts_with(&format!("{kec}.")));
        match by_prefix
            .cloned()
            .map(RegionMatch::Exact)
            .or_else(|| regions.find_child(kec, &raw))
        {
            Some(RegionMatch::Exact(code)) => kelurahan_code = Some(code),
            Some(RegionMatch::Abbreviation(code)) => {
                c.say(Field::Kelurahan, &raw, Severity::Warning, "kelurahan_abbreviation");
                kelurahan_code = Some(code);
            }
            None => {
                c.say(Field::Kelurahan, &raw, Severity::Warning, "kelurahan_unknown");
                kelurahan_text = Some(raw);
            }
        }
    }

    let legal_entity_date = c.date(Field::LegalEntityDate);
    let amendment_date = c.date(Field::AmendmentDate);
    let last_rat = c.date(Field::LastRat);
    let certificate_valid_until = c.date(Field::CertificateValidUntil);
    for (f, d) in [(Field::LegalEntityDate, legal_entity_date), (Field::LastRat, last_rat)] {
        if let Some(d) = d.filter(|d| *d > today) {
            c.say(f, &d.to_string(), Severity::Warning, "date_in_future");
        }
    }
    let legal_entity_date = legal_entity_date.filter(|d| *d <= today);
    let last_rat = last_rat.filter(|d| *d <= today);
    if let (Some(rat), Some(founded)) = (last_rat, legal_entity_date)
        && rat < founded
    {
        c.say(
            Field::LastRat,
            &rat.to_string(),
            Severity::Warning,
            "rat_before_founding",
        );
    }
    let figures = ReportFigures {
        members_male: c.number(Field::MembersMale, true),
        members_female: c.number(Field::MembersFemale, true),
        members_total: c.number(Field::MembersTotal, true),
        assets: c.number(Field::Assets, false),
        business_volume: c.number(Field::BusinessVolume, false),
        shu: c.number(Field::Shu, false),
        last_rat,
    };
    // The figures become the annual report of the book year before the last RAT; without
    // that date there is no year to file them under.
    let has_figures = [
        figures.members_male,
        figures.members_female,
        figures.members_total,
        figures.assets,
        figures.business_volume,
        figures.shu,
    ]
    .iter()
    .any(Option::is_some);
    if has_figures && figures.last_rat.is_none() {
        c.say(Field::LastRat, "", Severity::Warning, "figures_without_rat");
    }
    let bentuk = c.listed(Field::Bentuk, |s| Bentuk::parse(s).map(|b| b.as_str().to_string()));
    let jenis = c.listed(Field::Jenis, |s| Jenis::parse(s).map(String::from));
    let kelompok = c.listed(Field::Kelompok, |s| Kelompok::parse(s).map(String::from));
    let sektor = c.listed(Field::Sektor, |s| Sektor::parse(s).map(String::from));
    let ods_grade = c.listed(Field::OdsGrade, |s| {
        let up = s.trim().to_uppercase();
        ODS_GRADES.contains(&up.as_str()).then_some(up)
    });
    let phone = c.listed(Field::Phone, parse_phone);
    let chair_phone = c.listed(Field::ChairPhone, parse_phone);
    let email = c.listed(Field::Email, |s| {
        is_plausible_email(s.trim()).then(|| s.trim().to_lowercase())
    });

    if c.messages.iter().any(|m| m.severity == Severity::Error) {
        return (None, figures);
    }
    let d = |d: Option<Date>| d.map(|d| d.to_string());
    let input = CooperativeInput {
        nik,
        name,
        legal_entity_number: c.text(Field::LegalEntityNumber),
        legal_entity_date: d(legal_entity_date),
        amendments: c
            .text(Field::AmendmentNumber)
            .map(|n| {
                vec![AmendmentInput {
                    number: Some(n),
                    date: d(amendment_date),
                }]
            })
            .unwrap_or_default(),
        address: c.text(Field::Address),
        kelurahan_code,
        kecamatan_code: kecamatan,
        kelurahan_text,
        bentuk,
        jenis,
        kelompok,
        sektor,
        loop_: None,
        phone,
        email,
        certificate_valid_until: d(certificate_valid_until),
        ods_grade,
        ods_last_rat_date: None,
        notes: c.text(Field::Notes),
        chair_name: c.text(Field::ChairName),
        chair_phone,
        secretary_name: c.text(Field::SecretaryName),
        treasurer_name: c.text(Field::TreasurerName),
        supervisor_name: c.text(Field::SupervisorName),
        manager_name: c.text(Field::ManagerName),
    };
    match input.parse(today) {
        Ok(fields) => (Some(fields), figures),
        Err(errors) => {
            for (field, e) in errors.iter() {
                c.messages.push(RowMessage {
                    line: c.line,
                    column: field.to_string(),
                    value: String::new(),
                    severity: Severity::Error,
                    code: e.code(),
                });
            }
            (None, figures)
        }
    }
}
