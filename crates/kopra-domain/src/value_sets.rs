//! The ODS value sets (domain.md §3; `data/ods_2021_value_sets.json`, a December 2021
//! copy of the ministry's ODS). Four independent axes: bentuk, jenis, kelompok, sektor.
//! Input is matched tolerant of case, spacing and punctuation; the stored value is the
//! official spelling.

use crate::names::{compact_eq, compact_key};
use serde::{Deserialize, Serialize};

/// Finds the official spelling of `raw` in `set`, ignoring case, spaces and punctuation.
fn find_in(set: &'static [&'static str], raw: &str) -> Option<&'static str> {
    if !raw.chars().any(char::is_alphanumeric) {
        return None;
    }
    set.iter().copied().find(|v| compact_eq(v, raw))
}

/// The membership area in a bentuk: it decides who supervises (Permenkop 9/2020).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BentukArea {
    KabupatenKota,
    Provinsi,
    Nasional,
}

/// Bentuk koperasi: primer (individual members) or sekunder (cooperatives as members),
/// times the membership area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bentuk {
    pub sekunder: bool,
    pub area: BentukArea,
}

impl Bentuk {
    pub const ALL: [&'static str; 6] = [
        "Primer Kabupaten/Kota",
        "Primer Provinsi",
        "Primer Nasional",
        "Sekunder Kabupaten/Kota",
        "Sekunder Provinsi",
        "Sekunder Nasional",
    ];

    pub fn parse(raw: &str) -> Option<Self> {
        let official = find_in(&Self::ALL, raw)?;
        let sekunder = official.starts_with("Sekunder");
        let area = if official.ends_with("Kabupaten/Kota") {
            BentukArea::KabupatenKota
        } else if official.ends_with("Provinsi") {
            BentukArea::Provinsi
        } else {
            BentukArea::Nasional
        };
        Some(Self { sekunder, area })
    }

    pub fn as_str(self) -> &'static str {
        let i = match self.area {
            BentukArea::KabupatenKota => 0,
            BentukArea::Provinsi => 1,
            BentukArea::Nasional => 2,
        };
        Self::ALL[i + if self.sekunder { 3 } else { 0 }]
    }
}

/// Jenis koperasi (5).
pub struct Jenis;

impl Jenis {
    pub const ALL: [&'static str; 5] = ["Konsumen", "Produsen", "Simpan Pinjam", "Jasa", "Pemasaran"];
    pub const SIMPAN_PINJAM: &'static str = "Simpan Pinjam";

    pub fn parse(raw: &str) -> Option<&'static str> {
        find_in(&Self::ALL, raw)
    }
}

/// Kelompok koperasi (45).
pub struct Kelompok;

impl Kelompok {
    pub const ALL: [&'static str; 45] = [
        "Kop. Lainnya",
        "Kop. Serba Usaha",
        "Kop. Pegawai Negeri (KPRI)",
        "Kop. Simpan Pinjam",
        "Kop. Wanita",
        "Kopkar",
        "KUD",
        "Kop. Pertanian",
        "Kop. Simpan Pinjam dan Pembiayaan Syariah",
        "Koppontren",
        "Kop. Perkebunan",
        "Kop. Nelayan",
        "Kop. Angkatan Darat",
        "Kop. Pasar",
        "Kop. Angkutan Darat",
        "Kop. Wredatama",
        "Kop. Kepolisian",
        "Kop. Peternakan",
        "Kopinkra",
        "Kop. Tenaga Kerja Bongkar Muat (TKBM)",
        "Kop. Pepabri",
        "Kop. Perumahan",
        "Kop. Profesi",
        "Kop. Pemuda",
        "Kop. Sekunder",
        "Kop. Kehutanan",
        "Kop. Mahasiswa",
        "Kop. Pedagang Kaki Lima",
        "Kop. Angkatan Laut",
        "Kop. Angkatan Udara",
        "Kop. Veteran",
        "Kop. Pertambangan",
        "Kop. Wisata",
        "Kopti",
        "Kop. Telkom",
        "Kopra",
        "K.B.P.R",
        "Kop. Angkutan Laut",
        "Kop. Jamu Gendong",
        "Kop. Angkutan Penyeberangan",
        "Kop. Angkutan Udara",
        "Kop. Listrik Pedesaan",
        "Kop. Digital",
        "Kop. Angkutan Sungai",
        "Koperasi Asuransi Indonesia",
    ];

    pub fn parse(raw: &str) -> Option<&'static str> {
        find_in(&Self::ALL, raw)
    }
}

/// Sektor usaha (17), close to the KBLI sections.
pub struct Sektor;

impl Sektor {
    pub const ALL: [&'static str; 17] = [
        "Jasa Keuangan dan Asuransi",
        "Jasa Lainnya",
        "Pertanian, Kehutanan dan Perikanan",
        "Penyediaan Akomodasi dan Makan Minum",
        "Perdagangan Besar dan Eceran - Rep Mobil dan Motor",
        "Transportasi dan Pergudangan",
        "Industri Pengolahan",
        "Informasi dan Komunikasi",
        "Jasa Perusahaan",
        "Pertambangan dan Penggalian",
        "Konstruksi",
        "Pengadaan Listrik dan Gas",
        "Jasa Pendidikan",
        "Pengadaan Air, Peng Sampah, Limbah dan Daur Ulang",
        "Jasa Kesehatan dan Kegiatan Sosial",
        "Real Estat",
        "Adm Pemerintahan, Pertahanan dan Jaminan Sosial",
    ];

    pub fn parse(raw: &str) -> Option<&'static str> {
        find_in(&Self::ALL, raw)
    }
}

/// Savings-and-loan cooperatives in Kota Bekasi declare open loop (may serve
/// non-members) or closed loop (members only) since 2025 (domain.md §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Loop {
    Open,
    Closed,
}

impl Loop {
    pub fn as_str(self) -> &'static str {
        match self {
            Loop::Open => "open",
            Loop::Closed => "closed",
        }
    }
    pub fn parse(raw: &str) -> Option<Self> {
        match compact_key(raw).as_str() {
            "open" | "openloop" | "terbuka" => Some(Loop::Open),
            "closed" | "closedloop" | "tertutup" => Some(Loop::Closed),
            _ => None,
        }
    }
}

/// ODS grades as received (A, B, C1, C2, D); their official meaning is not confirmed,
/// so Kopra stores them and never computes them (domain.md §2).
pub const ODS_GRADES: [&str; 5] = ["A", "B", "C1", "C2", "D"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_sets_have_the_ods_sizes() {
        assert_eq!(Bentuk::ALL.len(), 6);
        assert_eq!(Jenis::ALL.len(), 5);
        assert_eq!(Kelompok::ALL.len(), 45);
        assert_eq!(Sektor::ALL.len(), 17);
    }

    #[test]
    fn matching_ignores_case_spacing_and_punctuation() {
        assert_eq!(Jenis::parse("simpan  pinjam"), Some("Simpan Pinjam"));
        assert_eq!(Kelompok::parse("kop. serba usaha"), Some("Kop. Serba Usaha"));
        assert_eq!(Kelompok::parse("KOPKAR"), Some("Kopkar"));
        assert_eq!(Jenis::parse("Leasing"), None);
        let b = Bentuk::parse("primer kabupaten / kota").unwrap();
        assert_eq!(
            b,
            Bentuk {
                sekunder: false,
                area: BentukArea::KabupatenKota
            }
        );
        assert_eq!(b.as_str(), "Primer Kabupaten/Kota");
        assert_eq!(
            Bentuk::parse("Sekunder Nasional").unwrap().as_str(),
            "Sekunder Nasional"
        );
    }
}
