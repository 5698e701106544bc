//! `kopra gen`: realistic synthetic data in the formats Kopra's importer reads, for load
//! tests, demos and the duplicate detector. **Everything generated is invented** (names,
//! owners, companies, figures); only the region names and the value sets are real.
//!
//! What it makes, for a [`Scale`] and a seed:
//! - cooperatives in the ODS list's columns ([`COOPERATIVE_HEADERS`], the same as Kopra's ODS
//!   export), spread over the kab/kota of the area; bentuk, jenis, kelompok and sektor drawn
//!   independently with the national counts of `data/ods_2021_value_sets.json` (domain.md §3
//!   calls them four independent axes); NIKs of 13 digits following the region (domain.md §2);
//!   legal-entity numbers in the shape of their era; names after the patterns of real lists;
//! - their annual reports for book years 2015–2024 ([`REPORT_HEADERS`]), from the founding
//!   year on: 10% never reported, 15% stop at some year, 4% of years are missing; RAT mostly February–June of the next
//!   year; SHU negative in about 8% of years;
//! - UMKM in the UMKM import's columns ([`UMKM_HEADERS`]), each marked `DATA SINTETIS`;
//! - near-duplicates of 1% of the cooperatives, appended to the cooperatives, with a truth list.
//!
//! **Where things are placed.** There is no per-kab/kota cooperative count in the reference
//! data, so cooperatives and UMKM follow a population estimated from the villages of
//! `wilayah.csv`: 15,000 people per kelurahan in a kota, 7,000 per kelurahan in a kabupaten,
//! 2,600 per desa, 700 per desa in the Papua provinces (`reference::PEOPLE_PER_KOTA_KELURAHAN`
//! and the next constants), which sums to about 277 million and keeps the real kota/kabupaten
//! split. Counts per kab/kota are apportioned exactly (largest remainder, at least one each);
//! kecamatan and villages are drawn with the same weights.
//!
//! **Deterministic**: every record draws from its own splitmix64 stream derived from the seed
//! and its index, so the same seed gives the same bytes. The generators are iterators and do
//! no IO; [`write`] streams them into any `io::Write` the caller opens.

pub mod cooperative;
pub mod names;
pub mod reference;
pub mod rng;
pub mod umkm;
pub mod variation;
pub mod write;

pub use cooperative::{COOPERATIVE_HEADERS, Cooperatives, Generated, REPORT_HEADERS};
pub use reference::Reference;
pub use umkm::{UMKM_HEADERS, Umkms};

use time::Date;

/// The first and last book year with annual reports (10 years).
pub const FIRST_BOOK_YEAR: i32 = 2015;
pub const LAST_BOOK_YEAR: i32 = 2024;

/// UMKM per cooperative: the national 5,000,000 UMKM for 130,000 cooperatives
/// (≈ 38.5), kept at every scale.
pub const UMKM_PER_COOPERATIVE: (u64, u64) = (5_000_000, 130_000);

#[derive(Debug, thiserror::Error)]
pub enum GenError {
    #[error("reference data: {0}")]
    Reference(String),
    #[error("{0}")]
    Csv(#[from] csv::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Kota Bekasi (32.75): 1,000 cooperatives.
    City,
    /// Jawa Barat (32): 15,000 cooperatives over its 27 kab/kota.
    Province,
    /// Indonesia: 130,000 cooperatives over the 514 kab/kota.
    National,
}

impl Scale {
    pub fn parse(s: &str) -> Option<Scale> {
        match s {
            "city" => Some(Scale::City),
            "province" => Some(Scale::Province),
            "national" => Some(Scale::National),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Scale::City => "city",
            Scale::Province => "province",
            Scale::National => "national",
        }
    }

    /// The Kemendagri code of the area ("" for the whole country).
    pub fn area(self) -> &'static str {
        match self {
            Scale::City => "32.75",
            Scale::Province => "32",
            Scale::National => "",
        }
    }

    pub fn cooperatives(self) -> u64 {
        match self {
            Scale::City => 1_000,
            Scale::Province => 15_000,
            Scale::National => 130_000,
        }
    }
}

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    pub scale: Scale,
    pub seed: u64,
    pub cooperatives: u64,
    pub umkm: u64,
    /// Near-duplicates per thousand cooperatives (10 = 1%).
    pub duplicates_per_mille: u64,
    /// The date the data describes: certificate status and grades are as of this day.
    pub as_of: Date,
}

impl Config {
    pub fn new(scale: Scale, seed: u64) -> Config {
        let cooperatives = scale.cooperatives();
        let (u, c) = UMKM_PER_COOPERATIVE;
        Config {
            scale,
            seed,
            cooperatives,
            umkm: (cooperatives * u + c / 2) / c,
            duplicates_per_mille: 10,
            as_of: time::macros::date!(2025 - 12 - 31),
        }
    }

    pub fn duplicate_count(&self) -> u64 {
        (self.cooperatives * self.duplicates_per_mille + 500) / 1000
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_keep_the_national_ratio_of_umkm() {
        assert_eq!(Config::new(Scale::National, 1).umkm, 5_000_000);
        assert_eq!(Config::new(Scale::Province, 1).umkm, 576_923);
        assert_eq!(Config::new(Scale::City, 1).umkm, 38_462);
        assert_eq!(Config::new(Scale::National, 1).duplicate_count(), 1_300);
        assert_eq!(Scale::parse("city"), Some(Scale::City));
        assert_eq!(Scale::parse("kota"), None);
    }
}
