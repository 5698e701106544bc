//! Synthetic UMKM (micro, small and medium businesses) in the UMKM import's columns
//! (`kopra_import::umkm_rows`): invented businesses and owners, placed by kelurahan/desa
//! with the same population weights as the cooperatives, every row marked as synthetic.

use crate::Config;
use crate::names::{FAMILY, GIVEN, HOPE};
use crate::reference::{KabKota, Reference, apportion};
use crate::rng::Rng;

/// The UMKM import's column names (its aliases), plus the note that marks the row.
pub const UMKM_HEADERS: [&str; 14] = [
    "NAMA USAHA",
    "PEMILIK",
    "NIB",
    "KBLI",
    "PRODUK",
    "ALAMAT",
    "KELURAHAN",
    "KECAMATAN",
    "KAB/KOTA",
    "MODAL",
    "OMZET",
    "TK L",
    "TK P",
    "KETERANGAN",
];

/// In every row's notes, so no one mistakes a row for a real business.
pub const SYNTHETIC_NOTE: &str = "DATA SINTETIS";

/// A line of business: name words, products, KBLI 2020 codes, capital range.
struct Trade {
    weight: u64,
    words: &'static [&'static str],
    products: &'static [&'static str],
    kbli: &'static [&'static str],
    capital: (f64, f64),
}

const TRADES: &[Trade] = &[
    Trade {
        weight: 30,
        words: &["Warung", "Toko", "Kios", "Grosir"],
        products: &["sembako", "gas elpiji", "minuman", "rokok", "pulsa"],
        kbli: &["47111", "47112", "47211"],
        capital: (1_000_000.0, 300_000_000.0),
    },
    Trade {
        weight: 22,
        words: &["Dapur", "Kue", "Keripik", "Sambal", "Katering", "Roti", "Kedai"],
        products: &[
            "kue kering",
            "keripik singkong",
            "sambal",
            "nasi kotak",
            "roti",
            "frozen food",
            "minuman jahe",
        ],
        kbli: &["10710", "10794", "10779", "56210", "56102"],
        capital: (1_000_000.0, 500_000_000.0),
    },
    Trade {
        weight: 10,
        words: &["Konveksi", "Penjahit", "Busana", "Batik"],
        products: &["pakaian", "seragam", "jahit", "batik tulis", "mukena"],
        kbli: &["14111", "14112", "13134"],
        capital: (2_000_000.0, 1_500_000_000.0),
    },
    Trade {
        weight: 8,
        words: &["Bengkel", "Las", "Servis Motor"],
        products: &["servis motor", "suku cadang", "las besi", "tambal ban"],
        kbli: &["45407", "25111"],
        capital: (3_000_000.0, 800_000_000.0),
    },
    Trade {
        weight: 10,
        words: &["Tani", "Kebun", "Ternak", "Kolam"],
        products: &["sayuran", "cabai", "ayam potong", "telur", "ikan lele", "beras"],
        kbli: &["01134", "01462", "03221", "01121"],
        capital: (1_000_000.0, 400_000_000.0),
    },
    Trade {
        weight: 8,
        words: &["Kerajinan", "Anyaman", "Boneka", "Mebel"],
        products: &["anyaman bambu", "boneka", "mebel kayu", "souvenir"],
        kbli: &["16299", "32402", "31001"],
        capital: (2_000_000.0, 900_000_000.0),
    },
    Trade {
        weight: 12,
        words: &["Salon", "Laundry", "Fotokopi", "Konter"],
        products: &["potong rambut", "cuci kiloan", "fotokopi", "servis hp", "pulsa"],
        kbli: &["96021", "96012", "18111", "95120"],
        capital: (2_000_000.0, 300_000_000.0),
    },
];

/// One row of `umkm.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct UmkmRow<'r> {
    pub name: String,
    pub owner: String,
    pub nib: Option<String>,
    pub kbli: Vec<&'static str>,
    pub products: Vec<&'static str>,
    pub address: String,
    pub kelurahan: &'r str,
    pub kecamatan: &'r str,
    pub kabkota: &'r str,
    pub capital: i64,
    pub sales: i64,
    pub employees_male: i64,
    pub employees_female: i64,
}

impl UmkmRow<'_> {
    pub fn record(&self) -> [String; 14] {
        [
            self.name.clone(),
            self.owner.clone(),
            self.nib.clone().unwrap_or_default(),
            self.kbli.join(", "),
            self.products.join(", "),
            self.address.clone(),
            self.kelurahan.to_string(),
            self.kecamatan.to_string(),
            self.kabkota.to_string(),
            self.capital.to_string(),
            self.sales.to_string(),
            self.employees_male.to_string(),
            self.employees_female.to_string(),
            SYNTHETIC_NOTE.to_string(),
        ]
    }
}

/// A NIB (13 digits, `912…`) unique to the index: the index times a number prime to 10,
/// modulo 10¹⁰, is a bijection.
fn nib(seed: u64, index: u64) -> String {
    let x = (index.wrapping_add(seed.wrapping_mul(7_777_777)) % 10_000_000_000) * 1_000_003 % 10_000_000_000;
    format!("912{x:010}")
}

pub struct Umkms<'r> {
    config: Config,
    areas: Vec<&'r KabKota>,
    counts: Vec<u64>,
    area: usize,
    left: u64,
    index: u64,
    trade_cum: Vec<u64>,
}

impl<'r> Umkms<'r> {
    pub fn new(reference: &'r Reference, config: Config) -> Self {
        let areas = reference.kabkota_in(config.scale.area());
        let weights: Vec<u64> = areas.iter().map(|k| k.people).collect();
        let counts = apportion(config.umkm, &weights);
        let left = counts.first().copied().unwrap_or(0);
        Umkms {
            config,
            areas,
            counts,
            area: 0,
            left,
            index: 0,
            trade_cum: crate::rng::cumulative(TRADES.iter().map(|t| t.weight)),
        }
    }

    fn generate(&self, kab: &'r KabKota) -> UmkmRow<'r> {
        let mut rng = Rng::derive(self.config.seed, 3, self.index);
        let kec = kab.draw_kecamatan(&mut rng);
        let village = kec.draw_village(&mut rng);
        let trade = &TRADES[rng.weighted(&self.trade_cum)];
        let given = *rng.pick(GIVEN);
        let owner = format!("{given} {}", rng.pick(FAMILY));
        let word = *rng.pick(trade.words);
        let name = match rng.below(4) {
            0 => format!("{word} {} {given}", rng.pick(HOPE)),
            1 => format!("{word} {}", rng.pick(HOPE)),
            2 => format!("{word} Bu/Pak {given}"),
            _ => format!("{word} {} {}", rng.pick(HOPE), village.name),
        };
        let mut products = vec![*rng.pick(trade.products)];
        let second = *rng.pick(trade.products);
        if rng.chance(500) && second != products[0] {
            products.push(second);
        }
        let mut kbli = vec![*rng.pick(trade.kbli)];
        let other = *rng.pick(trade.kbli);
        if rng.chance(150) && other != kbli[0] {
            kbli.push(other);
        }
        // Mostly micro (capital up to Rp1 bn by PP 7/2021), a few small or medium.
        let (lo, hi) = trade.capital;
        let capital = (rng.log_uniform(lo, hi) / 100_000.0).round() as i64 * 100_000;
        let sales = ((capital as f64 * (0.8 + rng.unit() * 3.0)) / 100_000.0).round() as i64 * 100_000;
        let nib = rng.chance(650).then(|| nib(self.config.seed, self.index));
        let address = match rng.below(3) {
            0 => format!("Jl. {} No. {}", rng.pick(HOPE), rng.between(1, 200)),
            1 => format!("Jl. Raya {} No. {}", village.name, rng.between(1, 200)),
            _ => format!(
                "Kp. {} RT.{:02}/RW.{:02}",
                village.name,
                rng.between(1, 15),
                rng.between(1, 12)
            ),
        };
        UmkmRow {
            name,
            owner,
            nib,
            kbli,
            products,
            address,
            kelurahan: &village.name,
            kecamatan: &kec.name,
            kabkota: &kab.name,
            capital: capital.max(100_000),
            sales: sales.max(100_000),
            employees_male: rng.between(0, 4),
            employees_female: rng.between(0, 5),
        }
    }
}

impl<'r> Iterator for Umkms<'r> {
    type Item = UmkmRow<'r>;

    fn next(&mut self) -> Option<UmkmRow<'r>> {
        while self.left == 0 {
            self.area += 1;
            if self.area >= self.areas.len() {
                return None;
            }
            self.left = self.counts[self.area];
        }
        let row = self.generate(self.areas[self.area]);
        self.left -= 1;
        self.index += 1;
        Some(row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn nibs_are_13_digits_and_unique() {
        let nibs: HashSet<String> = (0..100_000).map(|i| nib(1, i)).collect();
        assert_eq!(nibs.len(), 100_000);
        assert!(
            nibs.iter()
                .all(|n| n.len() == 13 && kopra_domain::umkm::Nib::parse(n).is_ok())
        );
    }
}
