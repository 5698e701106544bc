//! Kemendagri region codes (domain.md §10): `32` a province, `32.75` a kab/kota,
//! `32.75.01` a kecamatan, `32.75.01.1001` a kelurahan or desa.

use crate::FieldError;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegionLevel {
    Provinsi,
    Kabupaten,
    Kota,
    Kecamatan,
    Kelurahan,
    Desa,
}

impl RegionLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            RegionLevel::Provinsi => "provinsi",
            RegionLevel::Kabupaten => "kabupaten",
            RegionLevel::Kota => "kota",
            RegionLevel::Kecamatan => "kecamatan",
            RegionLevel::Kelurahan => "kelurahan",
            RegionLevel::Desa => "desa",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "provinsi" => RegionLevel::Provinsi,
            "kabupaten" => RegionLevel::Kabupaten,
            "kota" => RegionLevel::Kota,
            "kecamatan" => RegionLevel::Kecamatan,
            "kelurahan" => RegionLevel::Kelurahan,
            "desa" => RegionLevel::Desa,
            _ => return None,
        })
    }
}

/// A syntactically valid Kemendagri code. Whether it exists is the register's question.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode(String);

impl RegionCode {
    /// Segment widths: 2, 2, 2, 4 digits, separated by dots.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let raw = raw.trim();
        let parts: Vec<&str> = raw.split('.').collect();
        let widths = [2usize, 2, 2, 4];
        if parts.is_empty() || parts.len() > 4 {
            return Err(FieldError::RegionCodeFormat);
        }
        for (part, width) in parts.iter().zip(widths) {
            if part.len() != width || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(FieldError::RegionCodeFormat);
            }
        }
        Ok(Self(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The level implied by the code's shape: a kab/kota whose second part starts with 7
    /// is a kota; a village whose last part starts with 1 is a kelurahan, else a desa.
    pub fn level(&self) -> RegionLevel {
        let parts: Vec<&str> = self.0.split('.').collect();
        match parts.len() {
            1 => RegionLevel::Provinsi,
            2 if parts[1].starts_with('7') => RegionLevel::Kota,
            2 => RegionLevel::Kabupaten,
            3 => RegionLevel::Kecamatan,
            _ if parts[3].starts_with('1') => RegionLevel::Kelurahan,
            _ => RegionLevel::Desa,
        }
    }

    /// The enclosing region, or `None` for a province.
    pub fn parent(&self) -> Option<RegionCode> {
        self.0.rfind('.').map(|i| RegionCode(self.0[..i].to_string()))
    }

    /// The ancestor with `segments` parts (1 = province … 4 = village), if this code is at
    /// least that deep.
    pub fn truncate(&self, segments: usize) -> Option<RegionCode> {
        let parts: Vec<&str> = self.0.split('.').collect();
        (parts.len() >= segments && segments > 0).then(|| RegionCode(parts[..segments].join(".")))
    }

    /// True when `self` is `other` or lies inside it.
    pub fn is_within(&self, other: &RegionCode) -> bool {
        self.0 == other.0 || self.0.starts_with(&format!("{}.", other.0))
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for RegionCode {
    type Error = FieldError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        RegionCode::parse(&value)
    }
}

impl From<RegionCode> for String {
    fn from(value: RegionCode) -> Self {
        value.0
    }
}

/// The area an office answers for: a kab/kota, a province, or the whole country (`ID`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HomeRegion {
    National,
    Province(RegionCode),
    KabKota(RegionCode),
}

impl HomeRegion {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let raw = raw.trim();
        if raw.eq_ignore_ascii_case("ID") {
            return Ok(HomeRegion::National);
        }
        let code = RegionCode::parse(raw)?;
        match code.level() {
            RegionLevel::Provinsi => Ok(HomeRegion::Province(code)),
            RegionLevel::Kabupaten | RegionLevel::Kota => Ok(HomeRegion::KabKota(code)),
            _ => Err(FieldError::RegionCodeFormat),
        }
    }

    /// `ID`, a province code or a kab/kota code.
    pub fn code(&self) -> &str {
        match self {
            HomeRegion::National => "ID",
            HomeRegion::Province(c) | HomeRegion::KabKota(c) => c.as_str(),
        }
    }

    /// True when the region lies in the office's area.
    pub fn contains(&self, code: &RegionCode) -> bool {
        match self {
            HomeRegion::National => true,
            HomeRegion::Province(c) | HomeRegion::KabKota(c) => code.is_within(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_follow_the_shape_of_the_code() {
        let level = |s: &str| RegionCode::parse(s).unwrap().level();
        assert_eq!(level("32"), RegionLevel::Provinsi);
        assert_eq!(level("32.75"), RegionLevel::Kota);
        assert_eq!(level("32.16"), RegionLevel::Kabupaten);
        assert_eq!(level("32.75.04"), RegionLevel::Kecamatan);
        assert_eq!(level("32.75.04.1004"), RegionLevel::Kelurahan);
        assert_eq!(level("11.01.01.2001"), RegionLevel::Desa);
    }

    #[test]
    fn malformed_codes_are_refused() {
        for bad in [
            "",
            "3",
            "32.7",
            "32.75.4",
            "32.75.04.104",
            "32.75.04.1004.1",
            "ab.cd",
            "3275",
        ] {
            assert_eq!(RegionCode::parse(bad), Err(FieldError::RegionCodeFormat), "{bad}");
        }
    }

    #[test]
    fn containment_respects_segment_boundaries() {
        let bekasi = RegionCode::parse("32.75").unwrap();
        assert!(RegionCode::parse("32.75.04.1004").unwrap().is_within(&bekasi));
        assert!(RegionCode::parse("32.7").is_err());
        assert!(!RegionCode::parse("32.76.01").unwrap().is_within(&bekasi));
        let kel = RegionCode::parse("32.75.04.1004").unwrap();
        assert_eq!(kel.truncate(3).unwrap().as_str(), "32.75.04");
        assert_eq!(kel.truncate(2).unwrap().as_str(), "32.75");
        assert_eq!(kel.parent().unwrap().as_str(), "32.75.04");
    }

    #[test]
    fn home_region_is_a_kabkota_a_province_or_the_country() {
        assert_eq!(HomeRegion::parse("32.75").unwrap().code(), "32.75");
        assert!(matches!(HomeRegion::parse("32").unwrap(), HomeRegion::Province(_)));
        assert_eq!(HomeRegion::parse("id").unwrap(), HomeRegion::National);
        assert!(HomeRegion::parse("32.75.04").is_err());
    }
}
