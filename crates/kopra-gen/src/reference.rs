//! The reference the generator draws from: the Kemendagri regions (`data/wilayah.csv`) with
//! population-like weights, and the ODS value sets with their national counts
//! (`data/ods_2021_value_sets.json`). Both are embedded; parsing them is pure.

use crate::GenError;
use crate::rng::{Rng, cumulative};
use std::collections::BTreeMap;

pub const WILAYAH_CSV: &str = include_str!("../../../data/wilayah.csv");
pub const VALUE_SETS_JSON: &str = include_str!("../../../data/ods_2021_value_sets.json");

/// Estimated inhabitants of a village. There is no per-kab/kota cooperative count in the
/// reference data, so cooperatives and UMKM are spread in proportion to a population
/// estimated from the villages in `wilayah.csv`: a kelurahan in a kota 15,000 people, a
/// kelurahan in a kabupaten 7,000, a desa 2,600, and a desa in the six Papua provinces
/// (codes 91–96) 700. These round averages sum to about 277 million (Indonesia: ~280
/// million) and reproduce the real split: about 67 million in the 98 kota, about 5 million
/// in Papua. Without the distinction, highland kabupaten with hundreds of tiny desa
/// (Jayawijaya) would outweigh Kota Bekasi.
pub const PEOPLE_PER_KOTA_KELURAHAN: u64 = 15_000;
pub const PEOPLE_PER_KABUPATEN_KELURAHAN: u64 = 7_000;
pub const PEOPLE_PER_DESA: u64 = 2_600;
pub const PEOPLE_PER_PAPUA_DESA: u64 = 700;

#[derive(Debug, Clone)]
pub struct Village {
    pub code: String,
    pub name: String,
    /// A kelurahan (urban) rather than a desa.
    pub kelurahan: bool,
    /// Its 1-based position in the kecamatan (used for the NIK's village digits).
    pub ordinal: u32,
    /// Estimated inhabitants (see [`PEOPLE_PER_KOTA_KELURAHAN`]).
    pub people: u64,
}

/// The estimated inhabitants of a village of this kind and place.
pub fn village_people(kelurahan: bool, in_kota: bool, province: &str) -> u64 {
    match (kelurahan, in_kota) {
        (true, true) => PEOPLE_PER_KOTA_KELURAHAN,
        (true, false) => PEOPLE_PER_KABUPATEN_KELURAHAN,
        (false, _) if province >= "91" => PEOPLE_PER_PAPUA_DESA,
        (false, _) => PEOPLE_PER_DESA,
    }
}

#[derive(Debug, Clone)]
pub struct Kecamatan {
    pub code: String,
    pub name: String,
    pub villages: Vec<Village>,
    village_cum: Vec<u64>,
    pub people: u64,
}

impl Kecamatan {
    pub fn draw_village(&self, rng: &mut Rng) -> &Village {
        &self.villages[rng.weighted(&self.village_cum)]
    }
}

#[derive(Debug, Clone)]
pub struct KabKota {
    pub code: String,
    /// As in wilayah.csv: "Kota Bekasi", "Kabupaten Bandung".
    pub name: String,
    pub province: String,
    pub kecamatan: Vec<Kecamatan>,
    kecamatan_cum: Vec<u64>,
    /// Estimated population (see [`PEOPLE_PER_KOTA_KELURAHAN`]).
    pub people: u64,
}

impl KabKota {
    pub fn draw_kecamatan(&self, rng: &mut Rng) -> &Kecamatan {
        &self.kecamatan[rng.weighted(&self.kecamatan_cum)]
    }

    /// The name without "Kota " / "Kabupaten ": "Bekasi".
    pub fn short_name(&self) -> &str {
        self.name
            .strip_prefix("Kota ")
            .or_else(|| self.name.strip_prefix("Kabupaten "))
            .unwrap_or(&self.name)
    }

    pub fn is_kota(&self) -> bool {
        self.name.starts_with("Kota ")
    }

    /// The 4-digit kab/kota part of a NIK Koperasi: `32.75` → `3275`.
    pub fn nik_digits(&self) -> String {
        self.code.replace('.', "")
    }
}

/// A value set with its national counts, drawn in proportion to them.
#[derive(Debug, Clone)]
pub struct Weighted {
    pub items: Vec<(String, u64)>,
    cum: Vec<u64>,
}

impl Weighted {
    pub fn new(items: Vec<(String, u64)>) -> Self {
        let cum = cumulative(items.iter().map(|(_, n)| *n));
        Weighted { items, cum }
    }

    pub fn draw(&self, rng: &mut Rng) -> &str {
        &self.items[rng.weighted(&self.cum)].0
    }

    pub fn share(&self, label: &str) -> f64 {
        let total: u64 = self.items.iter().map(|(_, n)| n).sum();
        self.items
            .iter()
            .find(|(l, _)| l == label)
            .map_or(0.0, |(_, n)| *n as f64 / total as f64)
    }
}

#[derive(Debug, Clone)]
pub struct ValueSets {
    pub bentuk: Weighted,
    pub jenis: Weighted,
    pub kelompok: Weighted,
    pub sektor: Weighted,
    /// Grades A, B, C1, C2 (D is given to cooperatives without a recent RAT).
    pub recent_grade: Weighted,
}

#[derive(Debug, Clone)]
pub struct Reference {
    /// Every kab/kota with at least one village, in code order.
    pub kabkota: Vec<KabKota>,
    pub values: ValueSets,
}

impl Reference {
    /// The data shipped in `data/`.
    pub fn embedded() -> Result<Self, GenError> {
        Self::parse(WILAYAH_CSV, VALUE_SETS_JSON)
    }

    pub fn parse(wilayah_csv: &str, value_sets_json: &str) -> Result<Self, GenError> {
        Ok(Reference {
            kabkota: parse_regions(wilayah_csv)?,
            values: parse_value_sets(value_sets_json)?,
        })
    }

    /// The kab/kota inside `area` (a kab/kota code, a province code, or "" for all).
    pub fn kabkota_in(&self, area: &str) -> Vec<&KabKota> {
        self.kabkota
            .iter()
            .filter(|k| area.is_empty() || k.code == area || k.code.starts_with(&format!("{area}.")))
            .collect()
    }
}

fn parent(code: &str) -> &str {
    code.rsplit_once('.').map_or("", |(p, _)| p)
}

fn parse_regions(text: &str) -> Result<Vec<KabKota>, GenError> {
    let mut provinces: BTreeMap<String, String> = BTreeMap::new();
    let mut kabkota: BTreeMap<String, String> = BTreeMap::new();
    let mut kota: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut kecamatan: BTreeMap<String, String> = BTreeMap::new();
    let mut villages: BTreeMap<String, Vec<(String, String, bool)>> = BTreeMap::new();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    for rec in reader.records() {
        let rec = rec.map_err(|e| GenError::Reference(e.to_string()))?;
        let (code, name, level) = (
            rec.get(0).unwrap_or(""),
            rec.get(1).unwrap_or(""),
            rec.get(2).unwrap_or(""),
        );
        let (code, name) = (code.trim().to_string(), name.trim().to_string());
        match level.trim() {
            "provinsi" => {
                provinces.insert(code, name);
            }
            l @ ("kabupaten" | "kota") => {
                if l == "kota" {
                    kota.insert(code.clone());
                }
                kabkota.insert(code, name);
            }
            "kecamatan" => {
                kecamatan.insert(code, name);
            }
            l @ ("kelurahan" | "desa") => {
                villages
                    .entry(parent(&code).to_string())
                    .or_default()
                    .push((code, name, l == "kelurahan"));
            }
            other => return Err(GenError::Reference(format!("unknown level {other:?} for {code}"))),
        }
    }
    let mut by_kabkota: BTreeMap<String, Vec<Kecamatan>> = BTreeMap::new();
    for (code, name) in kecamatan {
        let Some(mut vs) = villages.remove(&code) else { continue };
        vs.sort();
        let kab = parent(&code);
        let in_kota = kota.contains(kab);
        let province = parent(kab);
        let villages: Vec<Village> = vs
            .into_iter()
            .enumerate()
            .map(|(i, (code, name, kelurahan))| Village {
                code,
                name,
                kelurahan,
                ordinal: i as u32 + 1,
                people: village_people(kelurahan, in_kota, province),
            })
            .collect();
        let village_cum = cumulative(villages.iter().map(|v| v.people / 100));
        let people = villages.iter().map(|v| v.people).sum();
        by_kabkota
            .entry(parent(&code).to_string())
            .or_default()
            .push(Kecamatan {
                code,
                name,
                villages,
                village_cum,
                people,
            });
    }
    let mut out = Vec::new();
    for (code, name) in kabkota {
        let Some(kecamatan) = by_kabkota.remove(&code) else {
            continue;
        };
        let province = provinces
            .get(parent(&code))
            .cloned()
            .ok_or_else(|| GenError::Reference(format!("no province for {code}")))?;
        let kecamatan_cum = cumulative(kecamatan.iter().map(|k| k.people));
        let people = kecamatan.iter().map(|k| k.people).sum();
        out.push(KabKota {
            code,
            name,
            province,
            kecamatan,
            kecamatan_cum,
            people,
        });
    }
    if out.is_empty() {
        return Err(GenError::Reference("no kab/kota with villages".into()));
    }
    Ok(out)
}

fn parse_value_sets(json: &str) -> Result<ValueSets, GenError> {
    let v: serde_json::Value = serde_json::from_str(json).map_err(|e| GenError::Reference(e.to_string()))?;
    let set = |name: &str| -> Result<Vec<(String, u64)>, GenError> {
        let items = v["value_sets"][name]
            .as_array()
            .ok_or_else(|| GenError::Reference(format!("value set {name:?} missing")))?;
        items
            .iter()
            .map(|pair| match (pair[0].as_str(), pair[1].as_u64()) {
                (Some(label), Some(n)) => Ok((label.to_string(), n)),
                _ => Err(GenError::Reference(format!("value set {name:?}: {pair}"))),
            })
            .collect()
    };
    Ok(ValueSets {
        bentuk: Weighted::new(set("Bentuk Koperasi")?),
        jenis: Weighted::new(set("Jenis Koperasi")?),
        kelompok: Weighted::new(set("Kelompok Koperasi")?),
        sektor: Weighted::new(set("Sektor Usaha")?),
        recent_grade: Weighted::new(set("Status Grade")?.into_iter().filter(|(g, _)| g != "D").collect()),
    })
}

/// Splits `total` over `weights` in proportion (largest remainder; ties to the earlier
/// index), giving every positive weight at least one when `total` allows.
pub fn apportion(total: u64, weights: &[u64]) -> Vec<u64> {
    let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    if sum == 0 {
        return vec![0; weights.len()];
    }
    let positive = weights.iter().filter(|&&w| w > 0).count() as u64;
    let floor_one = total >= positive;
    let mut counts: Vec<u64> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(u128, usize)> = Vec::with_capacity(weights.len());
    for (i, &w) in weights.iter().enumerate() {
        let exact = u128::from(total) * u128::from(w);
        counts.push((exact / sum) as u64);
        remainders.push((exact % sum, i));
    }
    if floor_one {
        for (c, &w) in counts.iter_mut().zip(weights) {
            if w > 0 && *c == 0 {
                *c = 1;
            }
        }
    }
    let given: u64 = counts.iter().sum();
    if given < total {
        remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for &(_, i) in remainders.iter().cycle().take((total - given) as usize) {
            counts[i] += 1;
        }
    } else if given > total {
        // The floor of one overshot: take back from the largest.
        let mut order: Vec<usize> = (0..counts.len()).collect();
        order.sort_by(|&a, &b| counts[b].cmp(&counts[a]).then(a.cmp(&b)));
        let mut excess = given - total;
        for i in order.into_iter().cycle() {
            if excess == 0 {
                break;
            }
            if counts[i] > 1 {
                counts[i] -= 1;
                excess -= 1;
            }
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_reference_has_all_514_kabkota_and_the_value_sets() {
        let r = Reference::embedded().unwrap();
        assert_eq!(r.kabkota.len(), 514);
        assert_eq!(r.kabkota_in("32").len(), 27);
        let bekasi = r.kabkota_in("32.75");
        assert_eq!(bekasi.len(), 1);
        assert_eq!(bekasi[0].name, "Kota Bekasi");
        assert_eq!(bekasi[0].province, "Jawa Barat");
        assert_eq!(bekasi[0].kecamatan.len(), 12);
        assert_eq!(bekasi[0].kecamatan.iter().map(|k| k.villages.len()).sum::<usize>(), 56);
        let people: u64 = r.kabkota.iter().map(|k| k.people).sum();
        assert!((270_000_000..295_000_000).contains(&people), "{people}");
        assert_eq!(r.values.kelompok.items.len(), 45);
        assert_eq!(r.values.sektor.items.len(), 17);
        assert_eq!(r.values.recent_grade.items.len(), 4);
        // Every label is one the domain accepts.
        for (k, _) in &r.values.kelompok.items {
            assert!(kopra_domain::value_sets::Kelompok::parse(k).is_some(), "{k}");
        }
        for (b, _) in &r.values.bentuk.items {
            assert!(kopra_domain::value_sets::Bentuk::parse(b).is_some(), "{b}");
        }
    }

    #[test]
    fn apportion_is_exact_proportional_and_gives_everyone_one() {
        assert_eq!(apportion(10, &[1, 1, 2]), vec![3, 2, 5]);
        assert_eq!(apportion(5, &[1000, 1, 1]), vec![3, 1, 1]);
        assert_eq!(apportion(0, &[1, 2]), vec![0, 0]);
        let c = apportion(130_000, &[7, 3, 0, 90]);
        assert_eq!(c.iter().sum::<u64>(), 130_000);
        assert_eq!(c[2], 0);
    }
}
