//! Cooperatives with their annual reports, one kab/kota after another, and the planted
//! near-duplicates. An iterator: nothing is kept but the NIK counters of the current kab/kota.

use crate::names;
use crate::reference::{KabKota, Kecamatan, Reference, ValueSets, Village, apportion};
use crate::rng::Rng;
use crate::{Config, FIRST_BOOK_YEAR, LAST_BOOK_YEAR};
use std::collections::{HashMap, HashSet};
use time::{Date, Month};

/// The ODS list's columns, in its order (the importer reads them back unchanged).
pub use kopra_domain::ods::LIST_HEADERS as COOPERATIVE_HEADERS;

/// Annual-report columns, named as the importer's aliases name them (`mapping.rs`:
/// "nik", "tgl rat", "anggota l", "anggota p", "total anggota", "aset", "volume usaha",
/// "shu"), plus the book year.
pub const REPORT_HEADERS: [&str; 9] = [
    "NIK",
    "TAHUN BUKU",
    "TGL RAT",
    "ANGGOTA L",
    "ANGGOTA P",
    "TOTAL ANGGOTA",
    "ASET",
    "VOLUME USAHA",
    "SHU",
];

/// One row of `cooperatives.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct CooperativeRow<'r> {
    pub nik: Option<String>,
    pub name: String,
    pub legal_number: Option<String>,
    pub legal_date: Option<Date>,
    pub amendment: Option<(String, Date)>,
    pub last_rat: Option<Date>,
    pub address: Option<String>,
    /// Empty when left blank (a re-typed row).
    pub kelurahan: &'r str,
    pub kecamatan: &'r str,
    pub kabkota: &'r str,
    pub provinsi: &'r str,
    pub bentuk: &'r str,
    pub jenis: &'r str,
    pub kelompok: &'r str,
    pub sektor: &'r str,
    pub members_male: i64,
    pub members_female: i64,
    pub managers: i64,
    pub employees: i64,
    pub certificate_status: &'static str,
    pub certificate_valid_until: Option<Date>,
    pub grade: &'r str,
}

/// `DD/MM/YYYY`, as ODS writes dates.
pub fn dmy(d: Option<Date>) -> String {
    d.map(|d| format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year()))
        .unwrap_or_default()
}

impl CooperativeRow<'_> {
    /// The cells in [`COOPERATIVE_HEADERS`] order.
    pub fn record(&self) -> [String; 24] {
        let o = |s: &Option<String>| s.clone().unwrap_or_default();
        [
            o(&self.nik),
            self.name.clone(),
            o(&self.legal_number),
            dmy(self.legal_date),
            self.amendment.as_ref().map(|a| a.0.clone()).unwrap_or_default(),
            dmy(self.amendment.as_ref().map(|a| a.1)),
            dmy(self.last_rat),
            o(&self.address),
            self.kelurahan.to_string(),
            self.kecamatan.to_string(),
            self.kabkota.to_string(),
            self.provinsi.to_string(),
            self.bentuk.to_string(),
            self.jenis.to_string(),
            self.kelompok.to_string(),
            self.sektor.to_string(),
            self.members_male.to_string(),
            self.members_female.to_string(),
            (self.members_male + self.members_female).to_string(),
            self.managers.to_string(),
            self.employees.to_string(),
            self.certificate_status.to_string(),
            dmy(self.certificate_valid_until),
            self.grade.to_string(),
        ]
    }
}

/// One row of `annual_reports.csv`: a book year's RAT and figures (integer Rupiah).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    pub nik: String,
    pub book_year: i32,
    pub rat_date: Date,
    pub members_male: i64,
    pub members_female: i64,
    pub assets: i64,
    pub business_volume: i64,
    /// Negative in a loss year.
    pub shu: i64,
}

impl ReportRow {
    pub fn record(&self) -> [String; 9] {
        [
            self.nik.clone(),
            self.book_year.to_string(),
            dmy(Some(self.rat_date)),
            self.members_male.to_string(),
            self.members_female.to_string(),
            (self.members_male + self.members_female).to_string(),
            self.assets.to_string(),
            self.business_volume.to_string(),
            self.shu.to_string(),
        ]
    }
}

/// A near-duplicate of a cooperative, typed again by someone else.
#[derive(Debug, Clone)]
pub struct PlantedDuplicate<'r> {
    pub row: CooperativeRow<'r>,
    /// How the name was re-typed: `legal_form`, `abbreviation`, `typo`, `case_spacing`,
    /// `form_expanded`, `form_contracted`, joined by `+` when several.
    pub variation: String,
    /// The legal-entity number: `same`, `rewritten` (other spacing or case) or `absent`.
    pub legal_number: &'static str,
}

/// One generated cooperative.
#[derive(Debug, Clone)]
pub struct Generated<'r> {
    /// 0-based position among the originals.
    pub index: u64,
    pub cooperative: CooperativeRow<'r>,
    /// Book years in order; empty for cooperatives that never reported.
    pub reports: Vec<ReportRow>,
    pub duplicate: Option<PlantedDuplicate<'r>>,
}

/// The cooperatives of a configuration, in kab/kota code order.
pub struct Cooperatives<'r> {
    config: Config,
    values: &'r ValueSets,
    areas: Vec<&'r KabKota>,
    counts: Vec<u64>,
    area: usize,
    left: u64,
    index: u64,
    nik_counters: HashMap<String, u32>,
    merah_putih: HashSet<&'r str>,
    /// Names already given in each kecamatan (lower case): two different cooperatives of one
    /// kecamatan never share a name, so every look-alike pair is a planted one.
    names_seen: HashSet<(&'r str, String)>,
    select: Rng,
    duplicates_left: u64,
}

impl<'r> Cooperatives<'r> {
    pub fn new(reference: &'r Reference, config: Config) -> Self {
        let areas = reference.kabkota_in(config.scale.area());
        let weights: Vec<u64> = areas.iter().map(|k| k.people).collect();
        let counts = apportion(config.cooperatives, &weights);
        let left = counts.first().copied().unwrap_or(0);
        Cooperatives {
            config,
            values: &reference.values,
            areas,
            counts,
            area: 0,
            left,
            index: 0,
            nik_counters: HashMap::new(),
            merah_putih: HashSet::new(),
            names_seen: HashSet::new(),
            select: Rng::derive(config.seed, 9, 0),
            duplicates_left: config.duplicate_count(),
        }
    }

    /// How many cooperatives each kab/kota gets (code, name, count).
    pub fn allocation(&self) -> Vec<(&'r str, &'r str, u64)> {
        self.areas
            .iter()
            .zip(&self.counts)
            .map(|(k, &n)| (k.code.as_str(), k.name.as_str(), n))
            .collect()
    }

    /// A new NIK in a village: 4-digit kab/kota, 3-digit kecamatan, 3-digit village and a
    /// 3-digit sequence (domain.md §2). The village digits are the village's position × 10,
    /// or `010` (ODS's catch-all) for one in ten.
    fn new_nik(&mut self, kab: &KabKota, kec: &Kecamatan, village: &Village, rng: &mut Rng) -> String {
        let kec_no: u32 = kec.code.rsplit('.').next().and_then(|s| s.parse().ok()).unwrap_or(1);
        let mut vil = if rng.chance(100) {
            10
        } else if village.ordinal <= 99 {
            village.ordinal * 10
        } else {
            village.ordinal
        };
        loop {
            let prefix = format!("{}{:03}{:03}", kab.nik_digits(), (kec_no * 10) % 1000, vil % 1000);
            let seq = self.nik_counters.entry(prefix.clone()).or_insert(0);
            if *seq < 999 {
                *seq += 1;
                return format!("{prefix}{:03}", *seq);
            }
            vil += 1;
        }
    }

    fn generate(&mut self, kab: &'r KabKota) -> Generated<'r> {
        let config = self.config;
        let mut rng = Rng::derive(config.seed, 1, self.index);
        let kec = kab.draw_kecamatan(&mut rng);
        let village = kec.draw_village(&mut rng);
        let reference_values = self.values;
        let kelompok = reference_values.kelompok.draw(&mut rng);
        let jenis = reference_values.jenis.draw(&mut rng);
        let bentuk = reference_values.bentuk.draw(&mut rng);
        let sektor = reference_values.sektor.draw(&mut rng);

        // The 2025 village cooperatives: one per village, founded in 2025, nothing reported yet.
        let merah_putih =
            kelompok == "Kop. Lainnya" && rng.chance(150) && self.merah_putih.insert(village.code.as_str());
        let (name, founded) = if merah_putih {
            (
                names::merah_putih_name(village),
                date(2025, rng.between(7, 10) as u8, rng.between(1, 28) as u8),
            )
        } else {
            let mut name = names::cooperative_name(&mut rng, kelompok, jenis, kab, kec, village);
            let mut tries = 0;
            while !self.names_seen.insert((kec.code.as_str(), name.to_lowercase())) {
                tries += 1;
                name = if tries < 5 {
                    names::cooperative_name(&mut rng, kelompok, jenis, kab, kec, village)
                } else {
                    format!("{name} {}", village.name)
                };
            }
            (name, founding_date(&mut rng))
        };
        let name = if rng.chance(300) { name.to_uppercase() } else { name };
        let nik = self.new_nik(kab, kec, village, &mut rng);
        let legal_number = legal_number(&mut rng, founded, bentuk, kab);
        let amendment = (founded.year() < 2022 && rng.chance(300)).then(|| {
            let from = founded.year().max(2019) + 1;
            let y = rng.between(i64::from(from), 2025) as i32;
            (
                format!("AHU-{:07}.AH.01.27.TAHUN {y}", rng.between(1, 9_999_999)),
                date(
                    y,
                    rng.between(1, if y == 2025 { 10 } else { 12 }) as u8,
                    rng.between(1, 28) as u8,
                ),
            )
        });

        // Members at founding: most cooperatives are small, a few have thousands.
        let big = matches!(kelompok, "Kop. Pegawai Negeri (KPRI)" | "Kopkar" | "KUD") || rng.chance(80);
        let mut members = rng.log_uniform(20.0, if big { 3000.0 } else { 400.0 });
        let female_share = if kelompok == "Kop. Wanita" {
            0.9 + rng.unit() * 0.1
        } else {
            0.15 + rng.unit() * 0.5
        };
        let growth = -0.03 + rng.unit() * 0.09;
        let savings = jenis == "Simpan Pinjam" || kelompok.contains("Simpan Pinjam");
        let mut assets_per_member = if savings {
            rng.log_uniform(2_000_000.0, 40_000_000.0)
        } else {
            rng.log_uniform(300_000.0, 8_000_000.0)
        };
        let turnover = if jenis == "Konsumen" {
            0.4 + rng.unit() * 2.6
        } else {
            0.2 + rng.unit() * 1.4
        };

        let mut reports = Vec::new();
        let first_book = founded.year() + i32::from(u8::from(founded.month()) > 6);
        let reports_ever = !merah_putih && founded.year() < LAST_BOOK_YEAR && rng.chance(900);
        let stops_after = rng
            .chance(150)
            .then(|| rng.between(FIRST_BOOK_YEAR.into(), LAST_BOOK_YEAR.into()) as i32);
        for year in first_book.max(FIRST_BOOK_YEAR)..=LAST_BOOK_YEAR {
            members = (members * (1.0 + growth + (rng.unit() - 0.5) * 0.06)).max(20.0);
            assets_per_member *= 1.04 + (rng.unit() - 0.5) * 0.08;
            if !reports_ever || stops_after.is_some_and(|s| year > s) || !rng.chance(960) {
                continue;
            }
            let total = members.round() as i64;
            let female = ((total as f64) * female_share).round() as i64;
            let assets = round_thousand(members * assets_per_member);
            let volume = round_thousand(assets as f64 * turnover * (0.85 + rng.unit() * 0.3));
            let margin = if rng.chance(80) {
                -0.06 * rng.unit()
            } else {
                0.005 + rng.unit() * 0.085
            };
            reports.push(ReportRow {
                nik: nik.clone(),
                book_year: year,
                rat_date: rat_date(&mut rng, year),
                members_male: total - female,
                members_female: female,
                assets,
                business_volume: volume,
                shu: round_thousand(volume as f64 * margin),
            });
        }

        let (members_male, members_female) = match reports.last() {
            Some(r) => (r.members_male, r.members_female),
            None => {
                let total = members.round() as i64;
                let female = ((total as f64) * female_share).round() as i64;
                (total - female, female)
            }
        };
        let last_rat = match reports.last() {
            Some(r) => Some(r.rat_date),
            // Some that never reported in the window held a RAT long ago.
            None if founded.year() < 2013 && rng.chance(300) => {
                let y = rng.between(i64::from(founded.year()) + 1, 2014) as i32;
                Some(date(y, rng.between(2, 6) as u8, rng.between(1, 28) as u8))
            }
            None => None,
        };
        // A certificate goes to cooperatives that held RAT, for about two years.
        let certificate_valid_until = last_rat
            .filter(|_| rng.chance(450))
            .map(|d| date(d.year() + 2, u8::from(d.month()), d.day()));
        let certificate_status = match certificate_valid_until {
            Some(d) if d >= config.as_of => "Sudah Bersertifikat",
            Some(_) => "Sertifikat - Expired",
            None => "Belum Bersertifikat",
        };
        let grade = match last_rat {
            Some(d) if d.year() >= config.as_of.year() - 1 => reference_values.recent_grade.draw(&mut rng),
            _ => "D",
        };
        let total = members_male + members_female;
        let cooperative = CooperativeRow {
            nik: Some(nik),
            name,
            legal_number: Some(legal_number),
            legal_date: Some(founded),
            amendment,
            last_rat,
            address: Some(names::address(&mut rng, village)),
            kelurahan: &village.name,
            kecamatan: &kec.name,
            kabkota: &kab.name,
            provinsi: &kab.province,
            bentuk,
            jenis,
            kelompok,
            sektor,
            members_male,
            members_female,
            managers: if total > 300 {
                rng.between(0, 3)
            } else {
                rng.between(0, 1)
            },
            employees: rng.between(0, total / 40),
            certificate_status,
            certificate_valid_until,
            grade,
        };

        // Selection sampling: exactly the configured number of duplicates, spread evenly.
        let remaining = config.cooperatives - self.index;
        let duplicate = (self.select.below(remaining) < self.duplicates_left).then(|| {
            self.duplicates_left -= 1;
            let mut drng = Rng::derive(config.seed, 2, self.index);
            let own_nik = drng.chance(350).then(|| self.new_nik(kab, kec, village, &mut drng));
            crate::variation::plant(&mut drng, &cooperative, own_nik)
        });
        Generated {
            index: self.index,
            cooperative,
            reports,
            duplicate,
        }
    }
}

impl<'r> Iterator for Cooperatives<'r> {
    type Item = Generated<'r>;

    fn next(&mut self) -> Option<Generated<'r>> {
        while self.left == 0 {
            self.area += 1;
            if self.area >= self.areas.len() {
                return None;
            }
            self.left = self.counts[self.area];
            self.nik_counters.clear();
            self.merah_putih.clear();
        }
        let kab = self.areas[self.area];
        let generated = self.generate(kab);
        self.left -= 1;
        self.index += 1;
        Some(generated)
    }
}

/// A calendar date (days 1–28 are always valid).
pub(crate) fn date(year: i32, month: u8, day: u8) -> Date {
    Date::from_calendar_date(
        year,
        Month::try_from(month.clamp(1, 12)).unwrap_or(Month::January),
        day.clamp(1, 28),
    )
    .unwrap_or(Date::MIN)
}

/// Founding dates after the shape of ODS: few before 1990, most between 1990 and 2018.
fn founding_date(rng: &mut Rng) -> Date {
    let year = match rng.below(100) {
        0..=9 => rng.between(1970, 1989),
        10..=27 => rng.between(1990, 1999),
        28..=54 => rng.between(2000, 2009),
        55..=84 => rng.between(2010, 2018),
        _ => rng.between(2019, 2025),
    } as i32;
    let last_month = if year == 2025 { 10 } else { 12 };
    date(year, rng.between(1, last_month) as u8, rng.between(1, 28) as u8)
}

const ROMAN: [&str; 12] = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"];

/// A founding legal-entity number in the shape of its era (domain.md §2).
fn legal_number(rng: &mut Rng, founded: Date, bentuk: &str, kab: &KabKota) -> String {
    let y = founded.year();
    let m = ROMAN[usize::from(u8::from(founded.month())) - 1];
    let n = rng.between(1, 999);
    let province = &kab.code[..2];
    if y >= 2019 {
        format!("AHU-{:07}.AH.01.26.TAHUN {y}", rng.between(1, 9_999_999))
    } else if y >= 2014 {
        format!("{:06}/BH/M.KUKM.2/{m}/{y}", rng.between(1, 20_000))
    } else if bentuk.ends_with("Nasional") {
        format!("{n}/BH/MENEG.I/{m}/{y}")
    } else if y >= 1999 {
        match rng.below(4) {
            0 => format!("{n}/BH/DISKOPUMKM/{m}/{y}"),
            1 => format!("{n}/BH/DISPERINDAGKOP/{m}/{y}"),
            2 => format!("518/{n}/BH/{}/{y}", kab.nik_digits()),
            _ => format!("{n}/BH/PAD/KDK.{province}/{m}/{y}"),
        }
    } else {
        match rng.below(2) {
            0 => format!("{}/BH/KWK.{province}/{}", rng.between(1, 9999), y % 100),
            _ => format!("{n}/BH/KDK.{province}.{}/{m}/{:02}", rng.between(1, 30), y % 100),
        }
    }
}

/// The RAT of a book year: mostly February to June of the next year, some late.
fn rat_date(rng: &mut Rng, book_year: i32) -> Date {
    let month = match rng.below(100) {
        0..=2 => 1,
        3..=84 => rng.between(2, 6),
        _ => rng.between(7, 12),
    };
    date(book_year + 1, month as u8, rng.between(1, 28) as u8)
}

fn round_thousand(x: f64) -> i64 {
    (x / 1000.0).round() as i64 * 1000
}
