//! Finding Kemendagri codes from region names as people type them (domain.md §10).
//! Built from the region table; pure lookups.

use crate::names::{compact_key, kabkota_name_key, region_name_key};
use crate::{RegionCode, RegionLevel};
use std::collections::HashMap;

/// How a name was matched: exactly (after normalisation) or as an abbreviation
/// ("Hrpn Jaya" for Harapanjaya), which importers report as a warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegionMatch {
    Exact(String),
    Abbreviation(String),
}

impl RegionMatch {
    pub fn code(&self) -> &str {
        match self {
            RegionMatch::Exact(c) | RegionMatch::Abbreviation(c) => c,
        }
    }
}

#[derive(Debug, Default, Clone)]
pub struct RegionIndex {
    /// parent code → [(name key, code)]
    children: HashMap<String, Vec<(String, String)>>,
    kabkota_by_key: HashMap<String, String>,
    names: HashMap<String, String>,
}

/// True when every letter of `abbr` appears in `full` in order, starting with the same letter.
fn is_abbreviation(abbr: &str, full: &str) -> bool {
    if abbr.len() < 4 || abbr.chars().next() != full.chars().next() {
        return false;
    }
    let mut rest = full.chars();
    abbr.chars().all(|a| rest.any(|f| f == a))
}

impl RegionIndex {
    pub fn new<'a>(rows: impl IntoIterator<Item = (&'a str, &'a str, RegionLevel)>) -> Self {
        let mut idx = RegionIndex::default();
        for (code, name, level) in rows {
            idx.names.insert(code.to_string(), name.to_string());
            if matches!(level, RegionLevel::Kabupaten | RegionLevel::Kota) {
                idx.kabkota_by_key.insert(kabkota_name_key(name), code.to_string());
            }
            if let Some(parent) = RegionCode::parse(code).ok().and_then(|c| c.parent()) {
                idx.children
                    .entry(parent.to_string())
                    .or_default()
                    .push((region_name_key(name), code.to_string()));
            }
        }
        idx
    }

    pub fn name(&self, code: &str) -> Option<&str> {
        self.names.get(code).map(String::as_str)
    }

    pub fn contains(&self, code: &str) -> bool {
        self.names.contains_key(code)
    }

    /// A kab/kota by name ("Kota Bekasi", "Kab. Bekasi").
    pub fn find_kabkota(&self, name: &str) -> Option<&str> {
        self.kabkota_by_key.get(&kabkota_name_key(name)).map(String::as_str)
    }

    /// A kab/kota by name, only when it lies in the office's area.
    pub fn find_kabkota_in(&self, home: &crate::HomeRegion, name: &str) -> Option<&str> {
        self.find_kabkota(name)
            .filter(|code| crate::RegionCode::parse(code).is_ok_and(|rc| home.contains(&rc)))
    }

    /// A child of `parent` (a kecamatan of a kab/kota, a kelurahan of a kecamatan) by name,
    /// exactly after normalisation or else as an unambiguous abbreviation.
    pub fn find_child(&self, parent: &str, name: &str) -> Option<RegionMatch> {
        let key = region_name_key(name);
        if key.is_empty() {
            return None;
        }
        let children = self.children.get(parent)?;
        if let Some((_, code)) = children.iter().find(|(k, _)| *k == key) {
            return Some(RegionMatch::Exact(code.clone()));
        }
        let mut candidates = children.iter().filter(|(k, _)| is_abbreviation(&key, k));
        match (candidates.next(), candidates.next()) {
            (Some((_, code)), None) => Some(RegionMatch::Abbreviation(code.clone())),
            _ => None,
        }
    }

    /// A kecamatan anywhere under `area` (a kab/kota, or a province's kab/kota) by name;
    /// `None` when no kecamatan or several match.
    pub fn find_kecamatan_in(&self, area: &str, name: &str) -> Option<RegionMatch> {
        if let Some(m) = self.find_child(area, name) {
            return Some(m);
        }
        let key = compact_key(name);
        let kabkota = self.children.get(area)?;
        let mut found = kabkota.iter().filter_map(|(_, kk)| self.find_child(kk, &key));
        match (found.next(), found.next()) {
            (Some(m), None) => Some(m),
            _ => None,
        }
    }
}

impl RegionIndex {
    /// A kelurahan/desa anywhere under `area` (a kab/kota: its kecamatan's villages) by its
    /// exact normalised name; `None` when none or several match (then the kecamatan must
    /// be named).
    pub fn find_kelurahan_anywhere(&self, area: &str, name: &str) -> Option<String> {
        let key = region_name_key(name);
        if key.is_empty() {
            return None;
        }
        let mut found = self
            .children
            .get(area)?
            .iter()
            .filter_map(|(_, kec)| self.children.get(kec))
            .flatten()
            .filter(|(k, _)| *k == key)
            .map(|(_, code)| code.clone());
        match (found.next(), found.next()) {
            (Some(code), None) => Some(code),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bekasi() -> RegionIndex {
        use RegionLevel::*;
        RegionIndex::new([
            ("32", "Jawa Barat", Provinsi),
            ("32.75", "Kota Bekasi", Kota),
            ("32.16", "Kabupaten Bekasi", Kabupaten),
            ("32.75.03", "Bekasi Utara", Kecamatan),
            ("32.75.03.1006", "Harapanjaya", Kelurahan),
            ("32.75.03.1003", "Harapanbaru", Kelurahan),
            ("32.75.05", "Rawalumbu", Kecamatan),
            ("32.75.05.1001", "Bojong Rawalumbu", Kelurahan),
        ])
    }

    #[test]
    fn a_kelurahan_is_found_in_its_city_without_its_kecamatan() {
        let i = bekasi();
        assert_eq!(
            i.find_kelurahan_anywhere("32.75", "Harapan Jaya").as_deref(),
            Some("32.75.03.1006")
        );
        assert_eq!(i.find_kelurahan_anywhere("32.75", "Cikiwul"), None);
    }

    #[test]
    fn names_are_found_however_they_are_spelt() {
        let i = bekasi();
        assert_eq!(i.find_kabkota("KOTA BEKASI"), Some("32.75"));
        assert_eq!(i.find_kabkota("Kab. Bekasi"), Some("32.16"));
        assert_eq!(
            i.find_child("32.75", "Rawa Lumbu"),
            Some(RegionMatch::Exact("32.75.05".into()))
        );
        assert_eq!(i.find_child("32.75", "Kec. Bekasi Utara").unwrap().code(), "32.75.03");
        assert_eq!(i.find_kecamatan_in("32", "rawa lumbu").unwrap().code(), "32.75.05");
        assert_eq!(
            i.find_child("32.75.05", "BOJONG RAWA LUMBU").unwrap().code(),
            "32.75.05.1001"
        );
    }

    #[test]
    fn abbreviations_match_only_when_unambiguous() {
        let i = bekasi();
        assert_eq!(
            i.find_child("32.75.03", "Hrpn Jaya"),
            Some(RegionMatch::Abbreviation("32.75.03.1006".into()))
        );
        // "Hrpn" fits both Harapanjaya and Harapanbaru: no guess.
        assert_eq!(i.find_child("32.75.03", "Hrpn"), None);
        assert_eq!(i.find_child("32.75.03", "Kelurahan"), None);
        assert_eq!(i.find_child("32.75.03", ""), None);
    }
}
