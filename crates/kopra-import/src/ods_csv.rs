//! The ministry's ODS list of cooperatives as CSV (nik.depkop.go.id, as scraped in
//! December 2021): ODS's own column names, `DD/MM/YYYY` dates, numbers with thousands
//! separators, kecamatan and kelurahan spelt several ways, kelurahan sometimes given as
//! the 10-digit NIK prefix.

use crate::dates::parse_dmy;
use crate::message::{RowMessage, Severity};
use kopra_domain::{AmendmentInput, CooperativeInput, HomeRegion, RegionIndex, RegionMatch};
use std::collections::HashMap;
use std::io::Read;

pub use crate::error::ImportError;

/// One data row: the input it gives (absent when rejected) and what was said about it.
#[derive(Debug, Clone)]
pub struct OdsRow {
    /// 1-based line in the file, the header being line 1.
    pub line: u64,
    pub input: Option<CooperativeInput>,
    pub messages: Vec<RowMessage>,
}

const NIK: &str = "Nomor Induk Koperasi (NIK)";
const NAME: &str = "Koperasi";
const BH_NUMBER: &str = "Nomor Badan Hukum Pendirian";
const BH_DATE: &str = "Tanggal Badan Hukum Pendirian";
const AD_NUMBER: &str = "Nomor Perubahan Anggaran Dasar (Terbaru)";
const AD_DATE: &str = "Tanggal Perubahan Anggaran Dasar (Terbaru)";
const RAT_DATE: &str = "Tanggal RAT Terakhir";
const ADDRESS: &str = "Alamat";
const KELURAHAN: &str = "Kelurahan / Desa";
const KECAMATAN: &str = "Kecamatan";
const KABUPATEN: &str = "Kabupaten";
const BENTUK: &str = "Bentuk Koperasi";
const JENIS: &str = "Jenis Koperasi";
const KELOMPOK: &str = "Kelompok Koperasi";
const SEKTOR: &str = "Sektor Usaha";
const CERTIFICATE: &str = "Tanggal Berlaku Sertifikat";
const GRADE: &str = "Status Grade";

const REQUIRED: [&str; 6] = [NIK, NAME, KECAMATAN, KABUPATEN, BENTUK, JENIS];

struct Row<'a> {
    line: u64,
    cols: &'a HashMap<&'static str, usize>,
    rec: &'a csv::StringRecord,
    messages: Vec<RowMessage>,
}

impl Row<'_> {
    fn get(&self, col: &'static str) -> Option<String> {
        let i = *self.cols.get(col)?;
        let v = self.rec.get(i)?.trim();
        (!v.is_empty()).then(|| v.to_string())
    }
    fn say(&mut self, col: &str, value: &str, severity: Severity, code: &'static str) {
        self.messages.push(RowMessage {
            line: self.line,
            column: col.into(),
            value: value.into(),
            severity,
            code,
        });
    }
    /// A DD/MM/YYYY cell as ISO text; an unreadable date is dropped with a warning.
    fn date(&mut self, col: &'static str) -> Option<String> {
        let raw = self.get(col)?;
        match parse_dmy(&raw) {
            Some(d) => Some(d.to_string()),
            None => {
                self.say(col, &raw, Severity::Warning, "date_unreadable");
                None
            }
        }
    }
}

/// Reads an ODS CSV (UTF-8, comma-separated). `kelurahan_by_nik_prefix` maps 10-digit NIK
/// prefixes to kelurahan codes where that is known with confidence.
pub fn read_ods_csv(
    reader: impl Read,
    regions: &RegionIndex,
    home: &HomeRegion,
    kelurahan_by_nik_prefix: &HashMap<String, String>,
) -> Result<Vec<OdsRow>, ImportError> {
    let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let headers = csv.headers()?.clone();
    let mut cols = HashMap::new();
    for name in [
        NIK,
        NAME,
        BH_NUMBER,
        BH_DATE,
        AD_NUMBER,
        AD_DATE,
        RAT_DATE,
        ADDRESS,
        KELURAHAN,
        KECAMATAN,
        KABUPATEN,
        BENTUK,
        JENIS,
        KELOMPOK,
        SEKTOR,
        CERTIFICATE,
        GRADE,
    ] {
        if let Some(i) = headers
            .iter()
            .position(|h| h.trim().trim_start_matches('\u{feff}') == name)
        {
            cols.insert(name, i);
        }
    }
    if let Some(missing) = REQUIRED.iter().find(|c| !cols.contains_key(*c)) {
        return Err(ImportError::MissingColumn(missing));
    }

    let mut out = Vec::new();
    for (i, rec) in csv.records().enumerate() {
        let rec = rec?;
        let mut row = Row {
            line: i as u64 + 2,
            cols: &cols,
            rec: &rec,
            messages: Vec::new(),
        };
        let input = read_row(&mut row, regions, home, kelurahan_by_nik_prefix);
        out.push(OdsRow {
            line: row.line,
            input,
            messages: row.messages,
        });
    }
    Ok(out)
}

fn read_row(
    row: &mut Row<'_>,
    regions: &RegionIndex,
    home: &HomeRegion,
    kelurahan_by_nik_prefix: &HashMap<String, String>,
) -> Option<CooperativeInput> {
    let name = row.get(NAME);
    if name.is_none() {
        row.say(NAME, "", Severity::Error, "name_missing");
    }

    // Kab/kota: named in the row, or the office's own when it is one.
    let kabkota = match (row.get(KABUPATEN), home) {
        (Some(k), _) => {
            let code = regions.find_kabkota(&k).map(str::to_string);
            if code.is_none() {
                row.say(KABUPATEN, &k, Severity::Error, "kabkota_outside_region");
            }
            code
        }
        (None, HomeRegion::KabKota(c)) => Some(c.to_string()),
        (None, _) => {
            row.say(KABUPATEN, "", Severity::Error, "kabkota_missing");
            None
        }
    };
    let kecamatan = match (row.get(KECAMATAN), &kabkota) {
        (Some(k), Some(kk)) => match regions.find_child(kk, &k) {
            Some(m) => Some(m.code().to_string()),
            None => {
                row.say(KECAMATAN, &k, Severity::Error, "kecamatan_unknown");
                None
            }
        },
        (None, _) => {
            row.say(KECAMATAN, "", Severity::Error, "kecamatan_missing");
            None
        }
        (Some(_), None) => None,
    };

    let mut kelurahan_code = None;
    let mut kelurahan_text = None;
    if let (Some(raw), Some(kec)) = (row.get(KELURAHAN), &kecamatan) {
        let by_prefix = kelurahan_by_nik_prefix
            .get(&raw)
            .filter(|code| code.starts_with(&format!("{kec}.")));
        match by_prefix
            .cloned()
            .map(RegionMatch::Exact)
            .or_else(|| regions.find_child(kec, &raw))
        {
            Some(RegionMatch::Exact(code)) => kelurahan_code = Some(code),
            Some(RegionMatch::Abbreviation(code)) => {
                row.say(KELURAHAN, &raw, Severity::Warning, "kelurahan_abbreviation");
                kelurahan_code = Some(code);
            }
            None => {
                row.say(KELURAHAN, &raw, Severity::Warning, "kelurahan_unknown");
                kelurahan_text = Some(raw);
            }
        }
    }

    let legal_entity_date = row.date(BH_DATE);
    let amendment_date = row.date(AD_DATE);
    let amendments = row
        .get(AD_NUMBER)
        .map(|n| {
            vec![AmendmentInput {
                number: Some(n),
                date: amendment_date,
            }]
        })
        .unwrap_or_default();
    let ods_last_rat_date = row.date(RAT_DATE);
    let certificate_valid_until = row.date(CERTIFICATE);

    if row.messages.iter().any(|m| m.severity == Severity::Error) {
        return None;
    }
    Some(CooperativeInput {
        nik: row.get(NIK),
        name,
        legal_entity_number: row.get(BH_NUMBER),
        legal_entity_date,
        amendments,
        address: row.get(ADDRESS),
        kelurahan_code,
        kecamatan_code: kecamatan,
        kelurahan_text,
        bentuk: row.get(BENTUK),
        jenis: row.get(JENIS),
        kelompok: row.get(KELOMPOK),
        sektor: row.get(SEKTOR),
        loop_: None,
        phone: None,
        email: None,
        certificate_valid_until,
        ods_grade: row.get(GRADE),
        ods_last_rat_date,
        notes: None,
        // ODS's list has no board columns.
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use kopra_domain::RegionLevel::*;

    fn index() -> RegionIndex {
        RegionIndex::new([
            ("32", "Jawa Barat", Provinsi),
            ("32.75", "Kota Bekasi", Kota),
            ("32.75.05", "Rawalumbu", Kecamatan),
            ("32.75.05.1001", "Bojong Rawalumbu", Kelurahan),
            ("32.75.04", "Bekasi Selatan", Kecamatan),
            ("32.75.04.1004", "Jakasetia", Kelurahan),
        ])
    }

    const HEADER: &str = "Nomor Induk Koperasi (NIK),Koperasi,Nomor Badan Hukum Pendirian,Tanggal Badan Hukum Pendirian,Nomor Perubahan Anggaran Dasar (Terbaru),Tanggal Perubahan Anggaran Dasar (Terbaru),Tanggal RAT Terakhir,Alamat,Kelurahan / Desa,Kecamatan,Kabupaten,Provinsi,Bentuk Koperasi,Jenis Koperasi,Kelompok Koperasi,Sektor Usaha,Jumlah Anggota Pria,Jumlah Anggota Wanita,Total Anggota,Total Manajer,Total Karyawan,Status NIK,Tanggal Berlaku Sertifikat,Status Grade";

    fn read(rows: &str) -> Vec<OdsRow> {
        let home = HomeRegion::parse("32.75").unwrap();
        let crosswalk = HashMap::from([("3275050020".to_string(), "32.75.04.1004".to_string())]);
        read_ods_csv(format!("{HEADER}\n{rows}").as_bytes(), &index(), &home, &crosswalk).unwrap()
    }

    #[test]
    fn an_ods_row_becomes_register_input() {
        let rows = read(
            r#"3275041010001,KOPERASI MAJU,9/BH/PRAKOP/VII/2007,12/07/2007,AHU-1.AH.01.27.TAHUN 2021,19/05/2021,24/03/2019,Jl. Mawar 1,BOJONG RAWA LUMBU,Rawa Lumbu,Kota Bekasi,Jawa Barat,Primer Kabupaten/Kota,Simpan Pinjam,Kop. Simpan Pinjam,Jasa Keuangan dan Asuransi,"1,065",0,"1,065",1,2,Sudah Bersertifikat,12/07/2022,B"#,
        );
        let input = rows[0].input.as_ref().unwrap();
        assert!(rows[0].messages.is_empty(), "{:?}", rows[0].messages);
        assert_eq!(input.kecamatan_code.as_deref(), Some("32.75.05"));
        assert_eq!(input.kelurahan_code.as_deref(), Some("32.75.05.1001"));
        assert_eq!(input.legal_entity_date.as_deref(), Some("2007-07-12"));
        assert_eq!(input.ods_last_rat_date.as_deref(), Some("2019-03-24"));
        assert_eq!(input.amendments[0].date.as_deref(), Some("2021-05-19"));
        assert_eq!(input.certificate_valid_until.as_deref(), Some("2022-07-12"));
    }

    #[test]
    fn nik_prefix_kelurahan_and_unknown_names_are_handled() {
        let rows = read(
            "3275050020001,KOP A,,,,,,,3275050020,Bekasi Selatan,Kota Bekasi,Jawa Barat,Primer Nasional,Jasa,,,,,,,,,,D\n3275050020002,KOP B,,31/02/2019,,,,,Kelurahan,Bekasi Selatan,Kota Bekasi,Jawa Barat,Primer Nasional,Jasa,,,,,,,,,,D",
        );
        assert_eq!(
            rows[0].input.as_ref().unwrap().kelurahan_code.as_deref(),
            Some("32.75.04.1004")
        );
        let b = rows[1].input.as_ref().unwrap();
        assert_eq!(b.kelurahan_text.as_deref(), Some("Kelurahan"));
        let codes: Vec<_> = rows[1].messages.iter().map(|m| (m.line, m.code)).collect();
        assert_eq!(codes, vec![(3, "kelurahan_unknown"), (3, "date_unreadable")]);
    }

    #[test]
    fn rows_without_name_or_known_kecamatan_are_rejected() {
        let rows = read(
            ",,,,,,,,,Bekasi Selatan,Kota Bekasi,,,,,,,,,,,,,\n3275050020002,KOP B,,,,,,,,Cibubur,Kota Bekasi,,,,,,,,,,,,,",
        );
        assert!(rows.iter().all(|r| r.input.is_none()));
        assert_eq!(rows[0].messages[0].code, "name_missing");
        assert_eq!(rows[1].messages[0].code, "kecamatan_unknown");
        assert_eq!(rows[1].messages[0].value, "Cibubur");
    }
}
