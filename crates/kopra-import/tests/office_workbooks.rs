//! The importer on workbooks in the shapes offices keep: the Kota Bekasi office's own
//! (title rows, merged header, mixed date and money formats, a second sheet to ignore,
//! bad rows), and one of another city written here with other headers in another order.

use kopra_domain::{HomeRegion, RegionIndex, RegionLevel};
use kopra_import::Severity;
use kopra_import::mapping::{Field, detect_mapping};
use kopra_import::rows::read_rows;
use kopra_import::table::read_table;
use std::collections::HashMap;
use time::macros::date;

fn index(prefix: &str) -> RegionIndex {
    let csv = include_str!("../../../data/wilayah.csv");
    let rows: Vec<(String, String, RegionLevel)> = csv
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut p = l.splitn(3, ',');
            let (code, name, level) = (p.next()?, p.next()?, p.next()?);
            let level = RegionLevel::parse(level.trim())?;
            (code.starts_with(prefix)
                || matches!(
                    level,
                    RegionLevel::Provinsi | RegionLevel::Kabupaten | RegionLevel::Kota
                ))
            .then(|| (code.to_string(), name.to_string(), level))
        })
        .collect();
    RegionIndex::new(rows.iter().map(|(c, n, l)| (c.as_str(), n.as_str(), *l)))
}

#[test]
fn the_kota_bekasi_office_workbook_reads_with_its_five_bad_rows_rejected() {
    let bytes = include_bytes!("../../../data/samples/dinas_koperasi_kota_bekasi_2021.xlsx");
    let table = read_table(bytes, "dinas_koperasi_kota_bekasi_2021.xlsx", None).unwrap();
    assert_eq!(table.sheet, "Data Koperasi", "the first sheet with a data table");
    let mapping = detect_mapping(&table).unwrap();
    assert_eq!(mapping.header_row, 4, "below three title rows and a blank one");
    for f in [
        Field::Name,
        Field::Nik,
        Field::Kecamatan,
        Field::Kelurahan,
        Field::LegalEntityDate,
        Field::Assets,
        Field::LastRat,
        Field::MembersMale,
    ] {
        assert!(mapping.column_of(f).is_some(), "{f:?} mapped");
    }
    let home = HomeRegion::parse("32.75").unwrap();
    let rows = read_rows(
        &table,
        &mapping,
        &index("32.75"),
        &home,
        &HashMap::new(),
        date!(2026 - 11 - 29),
    );
    assert_eq!(rows.len(), 1063);
    let mut rejected: Vec<(&str, Vec<&str>)> = rows
        .iter()
        .filter(|r| r.rejected())
        .map(|r| {
            (
                r.name.as_str(),
                r.messages
                    .iter()
                    .filter(|m| m.severity == Severity::Error)
                    .map(|m| m.code)
                    .collect(),
            )
        })
        .collect();
    rejected.sort();
    let mut expected = vec![
        ("", vec!["name_missing"]),
        ("KOPERASI TANPA KECAMATAN", vec!["kecamatan_missing"]),
        ("KOPERASI TANGGAL SALAH", vec!["date_invalid"]),
        ("KOPERASI ANGGOTA NEGATIF", vec!["negative"]),
        ("KOPERASI KECAMATAN ASING", vec!["kecamatan_unknown"]),
    ];
    expected.sort();
    assert_eq!(rejected, expected, "exactly the five bad rows of the truth file");
    // Every message names its row, column and value.
    let bad_date = rows.iter().find(|r| r.name == "KOPERASI TANGGAL SALAH").unwrap();
    assert_eq!(bad_date.messages[0].column, "TGL BADAN HUKUM");
    assert!(bad_date.messages[0].line > 5);
    assert!(!bad_date.messages[0].value.is_empty());
    // Money in every shape becomes whole Rupiah.
    let first = rows
        .iter()
        .find(|r| r.name == "Koperasi Serba Usaha Setia Warna")
        .unwrap();
    assert_eq!(
        (first.figures.assets, first.figures.shu),
        (Some(5_868_317_307), Some(194_249_019))
    );
    let smun = rows.iter().find(|r| r.name == "Koperasi Gr & Peg. SMUN 3 Bks").unwrap();
    assert_eq!(
        (smun.figures.assets, smun.figures.business_volume),
        (Some(6_152_411_933), Some(6_795_134_281))
    );
    assert_eq!(
        smun.fields.as_ref().unwrap().legal_entity_date,
        Some(date!(1998 - 09 - 17))
    );
    assert_eq!(rows.iter().filter(|r| !r.rejected()).count(), 1058);
}

#[test]
fn another_citys_workbook_with_other_headers_in_another_order_reads_unchanged() {
    use rust_xlsxwriter::Workbook;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Rekap 2024").unwrap();
    ws.write(0, 0, "REKAPITULASI KOPERASI KOTA BANDUNG TAHUN 2024").unwrap();
    let headers = [
        "Kecamatan",
        "Nama",
        "Nomor Induk Koperasi (NIK)",
        "Total Aset",
        "Jml Anggota Laki-laki",
        "Jml Anggota Perempuan",
        "Tgl RAT Terakhir",
        "No. BH",
        "Kelurahan",
    ];
    for (i, h) in headers.iter().enumerate() {
        ws.write(2, i as u16, *h).unwrap();
    }
    let data = [
        [
            "Kec. Coblong",
            "Kop. Mahasiswa Ganesha",
            "3273010010001",
            "Rp 2.500.000.000",
            "300",
            "250",
            "15 Maret 2024",
            "12/BH/DISKOP/2001",
            "Dago",
        ],
        [
            "Sukajadi",
            "KSP Maju Bersama",
            "",
            "750 jt",
            "40",
            "35",
            "02-04-2024",
            "AHU-0001.AH.01.26.TAHUN 2019",
            "Pasteur",
        ],
        ["Bekasi Utara", "Koperasi Nyasar", "", "", "", "", "", "", ""],
    ];
    for (r, row) in data.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write(3 + r as u32, c as u16, *v).unwrap();
        }
    }
    let bytes = wb.save_to_buffer().unwrap();
    let table = read_table(&bytes, "bandung.xlsx", None).unwrap();
    let mapping = detect_mapping(&table).unwrap();
    let home = HomeRegion::parse("32.73").unwrap();
    let rows = read_rows(
        &table,
        &mapping,
        &index("32.73"),
        &home,
        &HashMap::new(),
        date!(2026 - 11 - 29),
    );
    assert_eq!(rows.len(), 3);
    let a = rows[0].fields.as_ref().unwrap();
    assert_eq!(
        (a.kecamatan_code.as_str(), a.nik.as_deref()),
        ("32.73.02", Some("3273010010001")),
        "{:?}",
        rows[0].messages
    );
    assert_eq!(
        (
            rows[0].figures.assets,
            rows[0].figures.members_male,
            rows[0].figures.last_rat
        ),
        (Some(2_500_000_000), Some(300), Some(date!(2024 - 03 - 15)))
    );
    assert_eq!(rows[1].figures.assets, Some(750_000_000));
    assert!(
        rows[2].rejected(),
        "a kecamatan of another city is outside Kota Bandung"
    );
}

#[test]
fn the_twelve_retyped_cooperatives_pair_with_their_originals() {
    use kopra_domain::duplicates::{Candidate, find_pairs};
    let bytes = include_bytes!("../../../data/samples/dinas_koperasi_kota_bekasi_2021.xlsx");
    let table = read_table(bytes, "x.xlsx", None).unwrap();
    let mapping = detect_mapping(&table).unwrap();
    let rows = read_rows(
        &table,
        &mapping,
        &index("32.75"),
        &HomeRegion::parse("32.75").unwrap(),
        &HashMap::new(),
        date!(2026 - 11 - 29),
    );
    let valid: Vec<_> = rows.iter().filter_map(|r| r.fields.as_ref().map(|f| (r, f))).collect();
    let candidates: Vec<Candidate> = valid
        .iter()
        .map(|(_, f)| Candidate {
            name: f.name.clone(),
            kecamatan: Some(f.kecamatan_code.clone()),
            kelurahan: f.kelurahan_code.clone(),
            legal_entity_number: f.legal_entity_number.clone(),
            phone: f.phone.clone(),
        })
        .collect();
    let pairs = find_pairs(&candidates, 90);
    let truth: serde_json::Value = serde_json::from_str(include_str!(
        "../../../data/samples/dinas_koperasi_kota_bekasi_2021.truth.json"
    ))
    .unwrap();
    let mut expected: Vec<(String, String)> = truth["planted_duplicates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().trim().to_string(),
                p[1].as_str().unwrap().trim().to_string(),
            )
        })
        .collect();
    expected.sort();
    // Rows without a NIK that resemble another are held back; rows with a NIK are decisive
    // (created, the pair flagged for review). Held back must be exactly the twelve re-typed rows.
    let nik_less = |i: usize| valid[i].1.nik.is_none();
    let mut held: Vec<(String, String)> = pairs
        .iter()
        .filter(|p| nik_less(p.a) || nik_less(p.b))
        .map(|p| {
            let (orig, retyped) = if nik_less(p.b) { (p.a, p.b) } else { (p.b, p.a) };
            (
                candidates[orig].name.trim().to_string(),
                candidates[retyped].name.trim().to_string(),
            )
        })
        .collect();
    held.sort();
    assert_eq!(held, expected);
    // Among records that all carry a NIK, what resembles is flagged with its evidence.
    for p in pairs.iter().filter(|p| !nik_less(p.a) && !nik_less(p.b)) {
        eprintln!(
            "flagged: {} | {} | {} {:?}",
            candidates[p.a].name, candidates[p.b].name, p.score, p.evidence
        );
        assert!(p.evidence.len() >= 2, "a flag always has more than a name behind it");
    }
}
