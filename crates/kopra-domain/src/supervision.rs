//! Who supervises a cooperative (domain.md §3; Permenkop 9/2020): the membership area in
//! its bentuk. A kab/kota office supervises "…Kabupaten/Kota" cooperatives in its area, a
//! province "…Provinsi" ones, the ministry "…Nasional" ones. Cooperatives of a wider area
//! that are registered in the office's region are listed but not supervised, unless the
//! office decides otherwise (the `include_wider_bentuk` setting).

use crate::{BentukArea, HomeRegion, RegionCode, value_sets::Bentuk};

/// `bentuk` is the official spelling or absent; an unknown bentuk is treated as the
/// office's own level (most cooperatives are Primer Kabupaten/Kota).
pub fn is_supervised(bentuk: Option<&str>, region: &RegionCode, home: &HomeRegion, include_wider_bentuk: bool) -> bool {
    if !home.contains(region) {
        return false;
    }
    let office_area = match home {
        HomeRegion::KabKota(_) => BentukArea::KabupatenKota,
        HomeRegion::Province(_) => BentukArea::Provinsi,
        HomeRegion::National => BentukArea::Nasional,
    };
    let Some(area) = bentuk.and_then(Bentuk::parse).map(|b| b.area) else {
        return true;
    };
    area == office_area || include_wider_bentuk
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap()
    }

    #[test]
    fn a_city_supervises_its_own_kabupaten_kota_cooperatives() {
        let bekasi = HomeRegion::parse("32.75").unwrap();
        let kec = code("32.75.04");
        assert!(is_supervised(Some("Primer Kabupaten/Kota"), &kec, &bekasi, false));
        assert!(is_supervised(Some("Sekunder Kabupaten/Kota"), &kec, &bekasi, false));
        // Kopkar Syariah Bridgestone is Primer Provinsi: listed in Bekasi, supervised by the province.
        assert!(!is_supervised(Some("Primer Provinsi"), &kec, &bekasi, false));
        // KSP Lima Garuda is Primer Nasional: the ministry's.
        assert!(!is_supervised(Some("Primer Nasional"), &kec, &bekasi, false));
        // Unless the office decides to count them.
        assert!(is_supervised(Some("Primer Nasional"), &kec, &bekasi, true));
        // Another city's cooperative is never ours.
        assert!(!is_supervised(
            Some("Primer Kabupaten/Kota"),
            &code("32.16.01"),
            &bekasi,
            true
        ));
    }

    #[test]
    fn a_province_and_the_ministry_supervise_their_own_level() {
        let jabar = HomeRegion::parse("32").unwrap();
        assert!(is_supervised(Some("Primer Provinsi"), &code("32.75.04"), &jabar, false));
        assert!(!is_supervised(
            Some("Primer Kabupaten/Kota"),
            &code("32.75.04"),
            &jabar,
            false
        ));
        let id = HomeRegion::parse("ID").unwrap();
        assert!(is_supervised(Some("Primer Nasional"), &code("11.01.01"), &id, false));
    }
}
