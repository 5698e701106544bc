//! UMKM identity and size class (domain.md §2 and §7).
//!
//! - **NIB** (Nomor Induk Berusaha, issued by OSS): 13 digits, one per business actor.
//! - **KBLI 2020** codes: 5 digits; a business may carry several. The first two digits are
//!   the *golongan pokok* (division), which maps onto a *kategori* (section) A–U.
//! - **Size class**, PP 7/2021 Pasal 35 (`data/umkm_kriteria.csv`), lower bounds exclusive,
//!   upper bounds inclusive:
//!
//!   | class    | modal usaha   | hasil penjualan tahunan |
//!   |----------|---------------|-------------------------|
//!   | mikro    | ≤ Rp1 bn      | ≤ Rp2 bn                |
//!   | kecil    | > 1 – 5 bn    | > 2 – 15 bn             |
//!   | menengah | > 5 – 10 bn   | > 15 – 50 bn            |
//!   | besar    | > 10 bn       | > 50 bn                 |
//!
//!   Records from before 2021 are classed under UU 20/2008 Pasal 6: kekayaan bersih (net
//!   assets) ≤ 50 m / 500 m / 10 bn, sales ≤ 300 m / 2.5 bn / 50 bn, above that besar.
//!
//! Which figure decides (our reading of Pasal 35 ayat 3–5, where modal usaha is the
//! criterion for setting up a business and annual sales the one for a running business):
//! - annual sales known and above zero → the business is running and **sales decide**;
//! - otherwise, capital known → **capital decides** (under UU 20/2008 the capital figure
//!   is read as net assets); sales of exactly zero with no capital give mikro by sales;
//! - neither known → no class.
//!
//! A negative figure is a data-entry error, not an amount: [`size_class`] then gives no
//! class at all rather than quietly deciding on the other figure (forms refuse negative
//! amounts at the edge, `FieldError::Negative`).

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why an NIB or a KBLI code was refused. The code is stable (message key `field.<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UmkmError {
    #[error("nib_format")]
    NibFormat,
    #[error("kbli_format")]
    KbliFormat,
}

impl UmkmError {
    /// The stable code, also the message key suffix.
    pub fn code(self) -> &'static str {
        match self {
            UmkmError::NibFormat => "nib_format",
            UmkmError::KbliFormat => "kbli_format",
        }
    }
}

/// NIB (Nomor Induk Berusaha): exactly 13 digits, stored without separators.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Nib(String);

impl Nib {
    /// Trims, then accepts 13 digits with spaces, dots or dashes between them
    /// (`"9120 0012 3456 7"`, `"9120.001.234.567"`).
    pub fn parse(raw: &str) -> Result<Self, UmkmError> {
        let raw = raw.trim();
        // Separators only between digits: not leading or trailing.
        if !raw.starts_with(|c: char| c.is_ascii_digit()) || !raw.ends_with(|c: char| c.is_ascii_digit()) {
            return Err(UmkmError::NibFormat);
        }
        let mut digits = String::with_capacity(13);
        for c in raw.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '.' | '-' => {}
                _ => return Err(UmkmError::NibFormat),
            }
        }
        if digits.len() == 13 {
            Ok(Nib(digits))
        } else {
            Err(UmkmError::NibFormat)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Nib {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Nib {
    type Error = UmkmError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Nib::parse(&value)
    }
}

impl From<Nib> for String {
    fn from(value: Nib) -> Self {
        value.0
    }
}

/// A KBLI 2020 code: exactly 5 digits (surrounding spaces trimmed).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct KbliCode(String);

impl KbliCode {
    pub fn parse(raw: &str) -> Result<Self, UmkmError> {
        let raw = raw.trim();
        if raw.len() == 5 && raw.bytes().all(|b| b.is_ascii_digit()) {
            Ok(KbliCode(raw.to_string()))
        } else {
            Err(UmkmError::KbliFormat)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The golongan pokok (division): the first two digits.
    pub fn division(&self) -> &str {
        &self.0[..2]
    }

    /// The kategori (section) A–U of the division (`data/kbli2020_kategori.csv`), or
    /// `None` for a division number KBLI 2020 does not use (00, 04, 34, …).
    pub fn section(&self) -> Option<char> {
        let d: u8 = self.division().parse().ok()?;
        Some(match d {
            1..=3 => 'A',
            5..=9 => 'B',
            10..=33 => 'C',
            35 => 'D',
            36..=39 => 'E',
            41..=43 => 'F',
            45..=47 => 'G',
            49..=53 => 'H',
            55..=56 => 'I',
            58..=63 => 'J',
            64..=66 => 'K',
            68 => 'L',
            69..=75 => 'M',
            77..=82 => 'N',
            84 => 'O',
            85 => 'P',
            86..=88 => 'Q',
            90..=93 => 'R',
            94..=96 => 'S',
            97..=98 => 'T',
            99 => 'U',
            _ => return None,
        })
    }
}

impl fmt::Display for KbliCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for KbliCode {
    type Error = UmkmError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        KbliCode::parse(&value)
    }
}

impl From<KbliCode> for String {
    fn from(value: KbliCode) -> Self {
        value.0
    }
}

/// The size class of a business (PP 7/2021 Pasal 35; UU 20/2008 Pasal 6 before 2021).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SizeClass {
    Mikro,
    Kecil,
    Menengah,
    Besar,
}

impl SizeClass {
    pub const ALL: [SizeClass; 4] = [
        SizeClass::Mikro,
        SizeClass::Kecil,
        SizeClass::Menengah,
        SizeClass::Besar,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SizeClass::Mikro => "mikro",
            SizeClass::Kecil => "kecil",
            SizeClass::Menengah => "menengah",
            SizeClass::Besar => "besar",
        }
    }

    pub fn parse(s: &str) -> Option<SizeClass> {
        SizeClass::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// The regulation a size class was decided under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Regulation {
    /// PP 7/2021 Pasal 35: records from 2021 on.
    #[serde(rename = "pp_7_2021")]
    Pp7_2021,
    /// UU 20/2008 Pasal 6: records from before 2021.
    #[serde(rename = "uu_20_2008")]
    Uu20_2008,
}

impl Regulation {
    pub fn as_str(self) -> &'static str {
        match self {
            Regulation::Pp7_2021 => "pp_7_2021",
            Regulation::Uu20_2008 => "uu_20_2008",
        }
    }

    /// The citation shown to users, as in `data/umkm_kriteria.csv`.
    pub fn label(self) -> &'static str {
        match self {
            Regulation::Pp7_2021 => "PP 7/2021 Pasal 35",
            Regulation::Uu20_2008 => "UU 20/2008 Pasal 6",
        }
    }

    /// The regulation for a record of `record_year`.
    pub fn for_year(record_year: i32) -> Regulation {
        if record_year < 2021 {
            Regulation::Uu20_2008
        } else {
            Regulation::Pp7_2021
        }
    }
}

/// Which figure decided the class (names as in `data/umkm_kriteria.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Business capital excluding land and buildings (PP 7/2021).
    ModalUsaha,
    /// Annual sales (both regulations).
    HasilPenjualanTahunan,
    /// Net assets excluding land and buildings (UU 20/2008).
    KekayaanBersih,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::ModalUsaha => "modal_usaha",
            Basis::HasilPenjualanTahunan => "hasil_penjualan_tahunan",
            Basis::KekayaanBersih => "kekayaan_bersih",
        }
    }
}

/// A size class with what decided it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SizeClassing {
    pub class: SizeClass,
    pub regulation: Regulation,
    pub basis: Basis,
    /// The amount in rupiah that decided it.
    pub amount: i64,
}

const JUTA: i64 = 1_000_000;
const MILIAR: i64 = 1_000_000_000;

/// Inclusive upper bounds for mikro, kecil and menengah; above the last is besar.
const PP7_CAPITAL: [i64; 3] = [MILIAR, 5 * MILIAR, 10 * MILIAR];
const PP7_SALES: [i64; 3] = [2 * MILIAR, 15 * MILIAR, 50 * MILIAR];
const UU20_NET_ASSETS: [i64; 3] = [50 * JUTA, 500 * JUTA, 10 * MILIAR];
const UU20_SALES: [i64; 3] = [300 * JUTA, 2_500 * JUTA, 50 * MILIAR];

fn class_by(bounds: [i64; 3], amount: i64) -> SizeClass {
    if amount <= bounds[0] {
        SizeClass::Mikro
    } else if amount <= bounds[1] {
        SizeClass::Kecil
    } else if amount <= bounds[2] {
        SizeClass::Menengah
    } else {
        SizeClass::Besar
    }
}

/// The size class from business capital and annual sales (rupiah) of a record made in
/// `record_year`; see the module documentation for which figure decides. `None` when
/// neither figure is known or either is negative.
pub fn size_class(capital: Option<i64>, annual_sales: Option<i64>, record_year: i32) -> Option<SizeClassing> {
    if capital.is_some_and(|c| c < 0) || annual_sales.is_some_and(|s| s < 0) {
        return None;
    }
    let regulation = Regulation::for_year(record_year);
    let (basis, amount) = match (capital, annual_sales) {
        (_, Some(s)) if s > 0 => (Basis::HasilPenjualanTahunan, s),
        (Some(c), _) => match regulation {
            Regulation::Pp7_2021 => (Basis::ModalUsaha, c),
            Regulation::Uu20_2008 => (Basis::KekayaanBersih, c),
        },
        (None, Some(s)) => (Basis::HasilPenjualanTahunan, s),
        (None, None) => return None,
    };
    let bounds = match (regulation, basis) {
        (Regulation::Pp7_2021, Basis::HasilPenjualanTahunan) => PP7_SALES,
        (Regulation::Pp7_2021, _) => PP7_CAPITAL,
        (Regulation::Uu20_2008, Basis::HasilPenjualanTahunan) => UU20_SALES,
        (Regulation::Uu20_2008, _) => UU20_NET_ASSETS,
    };
    Some(SizeClassing {
        class: class_by(bounds, amount),
        regulation,
        basis,
        amount,
    })
}

/// A product or commodity tag in its one comparable form: lower case, trimmed, hyphens
/// and underscores read as spaces, other punctuation dropped, runs of spaces collapsed.
/// `None` when nothing is left.
pub fn normalise_tag(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    let mut pending_space = false;
    for c in raw.chars() {
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() || c == '-' || c == '_' {
            pending_space = true;
        }
        // Other punctuation ('.', '\'', '"', '(' …) is dropped without a space.
    }
    (!out.is_empty()).then_some(out)
}

/// Tags typed as one text: split on commas, semicolons, slashes and line breaks, each
/// normalised, empty ones dropped, duplicates removed (first occurrence kept, order kept).
pub fn parse_tags(raw: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for part in raw.split([',', ';', '/', '\n', '\r']) {
        if let Some(tag) = normalise_tag(part)
            && !tags.contains(&tag)
        {
            tags.push(tag);
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nib_is_thirteen_digits_with_separators_tolerated() {
        assert_eq!(Nib::parse("9120001234567").unwrap().as_str(), "9120001234567");
        assert_eq!(Nib::parse(" 9120 0012 3456 7 ").unwrap().as_str(), "9120001234567");
        assert_eq!(Nib::parse("9120.001.234.567").unwrap().as_str(), "9120001234567");
        assert_eq!(Nib::parse("9120-0012-3456-7").unwrap().to_string(), "9120001234567");
        for bad in [
            "",
            "912000123456",
            "91200012345678",
            "912000123456O",
            "-9120001234567",
            "9120001234567.",
            "9120_001234567",
        ] {
            assert_eq!(Nib::parse(bad), Err(UmkmError::NibFormat), "{bad}");
        }
        assert_eq!(UmkmError::NibFormat.code(), "nib_format");
        let json = serde_json::to_string(&Nib::parse("9120001234567").unwrap()).unwrap();
        assert_eq!(json, "\"9120001234567\"");
        assert!(serde_json::from_str::<Nib>("\"12\"").is_err());
    }

    #[test]
    fn kbli_is_five_digits() {
        let k = KbliCode::parse(" 13921 ").unwrap();
        assert_eq!((k.as_str(), k.division(), k.section()), ("13921", "13", Some('C')));
        assert_eq!(KbliCode::parse("47111").unwrap().section(), Some('G'));
        assert_eq!(KbliCode::parse("01111").unwrap().section(), Some('A'));
        assert_eq!(KbliCode::parse("00000").unwrap().section(), None);
        for bad in ["", "1392", "139211", "13.92", "1392a"] {
            assert_eq!(KbliCode::parse(bad), Err(UmkmError::KbliFormat), "{bad}");
        }
    }

    #[test]
    fn size_class_json_values_are_lowercase() {
        let json: Vec<String> = SizeClass::ALL
            .iter()
            .map(|c| serde_json::to_string(c).unwrap())
            .collect();
        assert_eq!(json, ["\"mikro\"", "\"kecil\"", "\"menengah\"", "\"besar\""]);
        for c in SizeClass::ALL {
            assert_eq!(SizeClass::parse(c.as_str()), Some(c));
        }
    }

    fn class(capital: Option<i64>, sales: Option<i64>, year: i32) -> Option<SizeClass> {
        size_class(capital, sales, year).map(|s| s.class)
    }

    #[test]
    fn capital_edges_under_pp_7_2021() {
        assert_eq!(class(Some(1_000_000_000), None, 2024), Some(SizeClass::Mikro));
        assert_eq!(class(Some(1_000_000_001), None, 2024), Some(SizeClass::Kecil));
        assert_eq!(class(Some(5_000_000_000), None, 2024), Some(SizeClass::Kecil));
        assert_eq!(class(Some(5_000_000_001), None, 2024), Some(SizeClass::Menengah));
        assert_eq!(class(Some(10_000_000_000), None, 2024), Some(SizeClass::Menengah));
        assert_eq!(class(Some(10_000_000_001), None, 2024), Some(SizeClass::Besar));
        assert_eq!(class(Some(0), None, 2024), Some(SizeClass::Mikro));
        let s = size_class(Some(1_000_000_001), None, 2021).unwrap();
        assert_eq!(
            s,
            SizeClassing {
                class: SizeClass::Kecil,
                regulation: Regulation::Pp7_2021,
                basis: Basis::ModalUsaha,
                amount: 1_000_000_001
            }
        );
        assert_eq!(s.regulation.label(), "PP 7/2021 Pasal 35");
    }

    #[test]
    fn sales_edges_under_pp_7_2021() {
        assert_eq!(class(None, Some(2_000_000_000), 2023), Some(SizeClass::Mikro));
        assert_eq!(class(None, Some(2_000_000_001), 2023), Some(SizeClass::Kecil));
        assert_eq!(class(None, Some(15_000_000_001), 2023), Some(SizeClass::Menengah));
        assert_eq!(class(None, Some(50_000_000_000), 2023), Some(SizeClass::Menengah));
        assert_eq!(class(None, Some(50_000_000_001), 2023), Some(SizeClass::Besar));
    }

    #[test]
    fn a_running_business_is_classed_by_its_sales() {
        // Capital of Rp3 bn alone would be kecil; Rp1.5 bn sales make it mikro.
        let s = size_class(Some(3_000_000_000), Some(1_500_000_000), 2024).unwrap();
        assert_eq!(
            (s.class, s.basis, s.amount),
            (SizeClass::Mikro, Basis::HasilPenjualanTahunan, 1_500_000_000)
        );
        // No sales yet: capital decides.
        let s = size_class(Some(3_000_000_000), Some(0), 2024).unwrap();
        assert_eq!((s.class, s.basis), (SizeClass::Kecil, Basis::ModalUsaha));
        // Zero sales and nothing else: mikro by sales.
        let s = size_class(None, Some(0), 2024).unwrap();
        assert_eq!((s.class, s.basis), (SizeClass::Mikro, Basis::HasilPenjualanTahunan));
        assert_eq!(size_class(None, None, 2024), None);
    }

    #[test]
    fn a_2019_record_is_classed_under_uu_20_2008() {
        // Rp400 m net assets: kecil under UU 20/2008 (it would be mikro under PP 7/2021).
        let s = size_class(Some(400_000_000), None, 2019).unwrap();
        assert_eq!(
            s,
            SizeClassing {
                class: SizeClass::Kecil,
                regulation: Regulation::Uu20_2008,
                basis: Basis::KekayaanBersih,
                amount: 400_000_000
            }
        );
        assert_eq!(s.regulation.label(), "UU 20/2008 Pasal 6");
        assert_eq!(class(Some(50_000_000), None, 2019), Some(SizeClass::Mikro));
        assert_eq!(class(Some(50_000_001), None, 2019), Some(SizeClass::Kecil));
        assert_eq!(class(Some(10_000_000_001), None, 2020), Some(SizeClass::Besar));
        assert_eq!(class(None, Some(300_000_000), 2019), Some(SizeClass::Mikro));
        assert_eq!(class(None, Some(300_000_001), 2019), Some(SizeClass::Kecil));
        assert_eq!(class(None, Some(2_500_000_001), 2019), Some(SizeClass::Menengah));
        assert_eq!(class(None, Some(50_000_000_001), 2019), Some(SizeClass::Besar));
        // The same Rp400 m in 2021 is mikro.
        assert_eq!(class(Some(400_000_000), None, 2021), Some(SizeClass::Mikro));
    }

    #[test]
    fn negative_figures_give_no_class() {
        assert_eq!(size_class(Some(-1), None, 2024), None);
        assert_eq!(size_class(Some(500_000_000), Some(-5), 2024), None);
        assert_eq!(size_class(Some(-5), Some(500_000_000), 2024), None);
    }

    #[test]
    fn enum_values_are_stable_json() {
        let s = size_class(None, Some(1), 2024).unwrap();
        assert_eq!(
            serde_json::to_value(s).unwrap(),
            serde_json::json!({"class": "mikro", "regulation": "pp_7_2021", "basis": "hasil_penjualan_tahunan", "amount": 1})
        );
        assert_eq!(Basis::KekayaanBersih.as_str(), "kekayaan_bersih");
        for r in [Regulation::Pp7_2021, Regulation::Uu20_2008] {
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
        }
    }

    #[test]
    fn tags_are_normalised() {
        assert_eq!(normalise_tag("  Boneka  "), Some("boneka".into()));
        assert_eq!(normalise_tag("Kue   Kering!"), Some("kue kering".into()));
        assert_eq!(normalise_tag("kue-kue"), Some("kue kue".into()));
        assert_eq!(normalise_tag("Ma'mur (Lokal)."), Some("mamur lokal".into()));
        assert_eq!(normalise_tag(" - "), None);
        assert_eq!(normalise_tag(""), None);
    }

    #[test]
    fn tag_lists_split_dedupe_and_keep_order() {
        assert_eq!(
            parse_tags("Boneka, dakron; BONEKA / kain flanel,, ;"),
            ["boneka", "dakron", "kain flanel"]
        );
        assert!(parse_tags(" ,;/ ").is_empty());
    }
}
