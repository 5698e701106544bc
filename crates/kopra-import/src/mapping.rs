//! Which column holds what: the header row found below title rows, and each header mapped
//! to a field by its Indonesian or English name and their variants. The mapping is shown
//! to the user, editable, and can be saved under a name for the next file.

use crate::table::{Cell, Table};
use kopra_domain::names::compact_key;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    Nik,
    LegalEntityNumber,
    LegalEntityDate,
    AmendmentNumber,
    AmendmentDate,
    Address,
    Kelurahan,
    Kecamatan,
    KabKota,
    Bentuk,
    Jenis,
    Kelompok,
    Sektor,
    MembersMale,
    MembersFemale,
    MembersTotal,
    Assets,
    BusinessVolume,
    Shu,
    LastRat,
    Phone,
    Email,
    CertificateValidUntil,
    OdsGrade,
    Notes,
    ChairName,
    ChairPhone,
    SecretaryName,
    TreasurerName,
    SupervisorName,
    ManagerName,
}

impl Field {
    /// Every field, in the order a form shows them.
    pub const ALL: [Field; 32] = [
        Field::Name,
        Field::Nik,
        Field::LegalEntityNumber,
        Field::LegalEntityDate,
        Field::AmendmentNumber,
        Field::AmendmentDate,
        Field::Address,
        Field::Kelurahan,
        Field::Kecamatan,
        Field::KabKota,
        Field::Bentuk,
        Field::Jenis,
        Field::Kelompok,
        Field::Sektor,
        Field::MembersMale,
        Field::MembersFemale,
        Field::MembersTotal,
        Field::Assets,
        Field::BusinessVolume,
        Field::Shu,
        Field::LastRat,
        Field::Phone,
        Field::Email,
        Field::CertificateValidUntil,
        Field::OdsGrade,
        Field::Notes,
        Field::ChairName,
        Field::ChairPhone,
        Field::SecretaryName,
        Field::TreasurerName,
        Field::SupervisorName,
        Field::ManagerName,
    ];

    /// The stable key (`kab_kota`, `members_male`, …).
    pub fn key(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default()
    }

    pub fn from_key(key: &str) -> Option<Field> {
        serde_json::from_value(serde_json::Value::String(key.to_string())).ok()
    }
}

/// Header names per field, as offices and ODS write them (compared after `compact_key`).
const ALIASES: &[(Field, &[&str])] = &[
    (
        Field::Name,
        &[
            "nama koperasi",
            "koperasi",
            "nama",
            "nama kop",
            "nama koperasi/ksp",
            "cooperative",
            "cooperative name",
            "name",
        ],
    ),
    (
        Field::Nik,
        &[
            "nik",
            "nik koperasi",
            "nomor induk koperasi",
            "nomor induk koperasi (nik)",
            "no induk koperasi",
        ],
    ),
    (
        Field::LegalEntityNumber,
        &[
            "no. badan hukum",
            "no badan hukum",
            "nomor badan hukum",
            "nomor badan hukum pendirian",
            "no. bh",
            "no bh",
            "nomor bh",
            "badan hukum",
            "no bh pendirian",
            "legal entity number",
        ],
    ),
    (
        Field::LegalEntityDate,
        &[
            "tgl badan hukum",
            "tanggal badan hukum",
            "tanggal badan hukum pendirian",
            "tgl bh",
            "tanggal bh",
            "tgl. badan hukum",
            "legal entity date",
        ],
    ),
    (
        Field::AmendmentNumber,
        &[
            "nomor perubahan anggaran dasar (terbaru)",
            "no perubahan ad",
            "nomor pad",
            "no. pad",
            "perubahan anggaran dasar",
        ],
    ),
    (
        Field::AmendmentDate,
        &[
            "tanggal perubahan anggaran dasar (terbaru)",
            "tgl perubahan ad",
            "tanggal pad",
            "tgl pad",
        ],
    ),
    (
        Field::Address,
        &["alamat", "alamat koperasi", "alamat kantor", "address"],
    ),
    (
        Field::Kelurahan,
        &[
            "kelurahan",
            "kelurahan / desa",
            "kelurahan/desa",
            "desa/kel.",
            "desa/kel",
            "kel./desa",
            "kel",
            "kel.",
            "desa",
            "village",
        ],
    ),
    (Field::Kecamatan, &["kecamatan", "kec.", "kec", "district"]),
    (
        Field::KabKota,
        &[
            "kabupaten",
            "kab/kota",
            "kabupaten/kota",
            "kab./kota",
            "kota",
            "kota/kabupaten",
            "regency/city",
        ],
    ),
    (Field::Bentuk, &["bentuk", "bentuk koperasi"]),
    (Field::Jenis, &["jenis", "jenis koperasi", "type"]),
    (Field::Kelompok, &["kelompok", "kelompok koperasi", "group"]),
    (Field::Sektor, &["sektor", "sektor usaha", "sector"]),
    (
        Field::MembersMale,
        &[
            "anggota l",
            "anggota laki-laki",
            "jumlah anggota pria",
            "jml anggota laki-laki",
            "jml anggota l",
            "anggota pria",
            "members male",
        ],
    ),
    (
        Field::MembersFemale,
        &[
            "anggota p",
            "anggota perempuan",
            "jumlah anggota wanita",
            "jml anggota perempuan",
            "jml anggota p",
            "anggota wanita",
            "members female",
        ],
    ),
    (
        Field::MembersTotal,
        &["total anggota", "jumlah anggota", "jml anggota", "anggota", "members"],
    ),
    (
        Field::Assets,
        &["aset (rp)", "aset", "total aset", "asset", "assets", "jumlah aset"],
    ),
    (
        Field::BusinessVolume,
        &["volume usaha (rp)", "volume usaha", "omzet", "omset", "business volume"],
    ),
    (Field::Shu, &["shu (rp)", "shu", "sisa hasil usaha"]),
    (
        Field::LastRat,
        &[
            "rat terakhir",
            "tgl rat terakhir",
            "tanggal rat terakhir",
            "tanggal rat",
            "tgl rat",
            "last rat",
        ],
    ),
    (
        Field::Phone,
        &[
            "telepon",
            "telp",
            "no telp",
            "no. telp",
            "no hp",
            "hp",
            "telepon/hp",
            "phone",
        ],
    ),
    (Field::Email, &["email", "e-mail", "surel", "alamat email"]),
    (
        Field::CertificateValidUntil,
        &[
            "tanggal berlaku sertifikat",
            "sertifikat berlaku s.d.",
            "berlaku sertifikat",
        ],
    ),
    (Field::OdsGrade, &["status grade", "grade"]),
    (Field::Notes, &["keterangan", "catatan", "notes", "ket"]),
    (
        Field::ChairName,
        &[
            "ketua",
            "nama ketua",
            "ketua pengurus",
            "nama ketua pengurus",
            "chair",
            "chair name",
        ],
    ),
    (
        Field::ChairPhone,
        &[
            "hp ketua",
            "no hp ketua",
            "no. hp ketua",
            "telp ketua",
            "telepon ketua",
            "chair phone",
        ],
    ),
    (Field::SecretaryName, &["sekretaris", "nama sekretaris", "secretary"]),
    (Field::TreasurerName, &["bendahara", "nama bendahara", "treasurer"]),
    (
        Field::SupervisorName,
        &["ketua pengawas", "pengawas", "nama ketua pengawas", "supervisor"],
    ),
    (Field::ManagerName, &["manajer", "manager", "nama manajer"]),
];

/// The field a header names, if any.
pub fn field_for_header(header: &str) -> Option<Field> {
    column_by_alias(ALIASES, header)
}

/// The column a header names in a table of aliases (compared ignoring case, spaces and
/// punctuation), if any. Shared by the cooperative, UMKM and annual-report sheets.
pub fn column_by_alias<C: Copy>(aliases: &[(C, &[&str])], header: &str) -> Option<C> {
    let key = compact_key(header);
    if key.is_empty() {
        return None;
    }
    aliases
        .iter()
        .find(|(_, names)| names.iter().any(|n| compact_key(n) == key))
        .map(|(c, _)| *c)
}

/// Where the header is and what each column holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    /// 0-based index of the header row in the table.
    pub header_row: usize,
    /// The header text of each column, as found.
    pub headers: Vec<String>,
    /// The field of each column (`None`: ignored).
    pub fields: Vec<Option<Field>>,
}

impl Mapping {
    pub fn column_of(&self, f: Field) -> Option<usize> {
        self.fields.iter().position(|x| *x == Some(f))
    }

    /// Applies a saved mapping (header text → field) to this file's headers.
    pub fn with_saved(mut self, saved: &[(String, Option<Field>)]) -> Mapping {
        for (i, h) in self.headers.iter().enumerate() {
            if let Some((_, f)) = saved.iter().find(|(name, _)| compact_key(name) == compact_key(h)) {
                self.fields[i] = *f;
            }
        }
        self
    }
}

/// Finds the header row within the first 30 rows (the one naming most known fields, with
/// at least the name and two others) and maps its columns. Later columns that name a field
/// already taken are ignored.
pub fn detect_mapping(table: &Table) -> Option<Mapping> {
    let mut best: Option<(usize, usize)> = None;
    for (i, row) in table.rows.iter().enumerate().take(30) {
        let fields: Vec<Option<Field>> = row
            .iter()
            .map(|c| match c {
                Cell::Text(t) => field_for_header(t),
                _ => None,
            })
            .collect();
        let count = fields.iter().flatten().count();
        if fields.contains(&Some(Field::Name)) && count >= 3 && best.is_none_or(|(_, c)| count > c) {
            best = Some((i, count));
        }
    }
    let (header_row, _) = best?;
    let headers: Vec<String> = table.rows[header_row].iter().map(Cell::text).collect();
    let mut fields: Vec<Option<Field>> = Vec::new();
    for h in &headers {
        let f = field_for_header(h).filter(|f| !fields.contains(&Some(*f)));
        fields.push(f);
    }
    Some(Mapping {
        header_row,
        headers,
        fields,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<Cell> {
        cells
            .iter()
            .map(|c| {
                if c.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(c.to_string())
                }
            })
            .collect()
    }

    #[test]
    fn headers_are_found_below_title_rows() {
        let table = Table {
            sheet: "Data".into(),
            rows: vec![
                row(&["DATA KOPERASI KOTA BEKASI"]),
                row(&["Keadaan s.d. Desember 2021"]),
                row(&[]),
                row(&[
                    "NO",
                    "NAMA KOPERASI",
                    "NO. BADAN HUKUM",
                    "TGL BADAN HUKUM",
                    "KEC.",
                    "Desa/Kel.",
                    "ANGGOTA L",
                    "ASET (Rp)",
                    "RAT TERAKHIR",
                    "NIK",
                ]),
                row(&[
                    "1",
                    "Kop A",
                    "1/BH/2000",
                    "01/02/2000",
                    "Bekasi Utara",
                    "Perwira",
                    "10",
                    "1000",
                    "",
                    "3275070040031",
                ]),
            ],
        };
        let m = detect_mapping(&table).unwrap();
        assert_eq!(m.header_row, 3);
        assert_eq!(
            m.fields,
            vec![
                None,
                Some(Field::Name),
                Some(Field::LegalEntityNumber),
                Some(Field::LegalEntityDate),
                Some(Field::Kecamatan),
                Some(Field::Kelurahan),
                Some(Field::MembersMale),
                Some(Field::Assets),
                Some(Field::LastRat),
                Some(Field::Nik)
            ]
        );
    }

    #[test]
    fn english_and_ods_names_map_too_and_saved_mappings_win() {
        assert_eq!(field_for_header("Nomor Induk Koperasi (NIK)"), Some(Field::Nik));
        assert_eq!(field_for_header("Jml Anggota Laki-laki"), Some(Field::MembersMale));
        assert_eq!(field_for_header("Total Aset"), Some(Field::Assets));
        assert_eq!(field_for_header("Tgl RAT Terakhir"), Some(Field::LastRat));
        assert_eq!(field_for_header("No. BH"), Some(Field::LegalEntityNumber));
        assert_eq!(field_for_header("Warna favorit"), None);
        for (header, field) in [
            ("KETUA", Field::ChairName),
            ("NAMA KETUA", Field::ChairName),
            ("KETUA PENGURUS", Field::ChairName),
            ("Nama Ketua Pengurus", Field::ChairName),
            ("Chair", Field::ChairName),
            ("HP KETUA", Field::ChairPhone),
            ("NO HP KETUA", Field::ChairPhone),
            ("NO. HP KETUA", Field::ChairPhone),
            ("Telp Ketua", Field::ChairPhone),
            ("SEKRETARIS", Field::SecretaryName),
            ("BENDAHARA", Field::TreasurerName),
            ("KETUA PENGAWAS", Field::SupervisorName),
            ("PENGAWAS", Field::SupervisorName),
            ("MANAJER", Field::ManagerName),
            ("MANAGER", Field::ManagerName),
        ] {
            assert_eq!(field_for_header(header), Some(field), "{header}");
        }
        let m = Mapping {
            header_row: 0,
            headers: vec!["Nama".into(), "Wilayah".into()],
            fields: vec![Some(Field::Name), None],
        };
        let m = m.with_saved(&[("WILAYAH".into(), Some(Field::Kecamatan))]);
        assert_eq!(m.fields[1], Some(Field::Kecamatan));
    }
}
