//! Property tests ("fuzzing") of the parsers and normalisers: any input gives a value or a
//! clear error — never a panic — and values that come out are sane.

use kopra_import::table::{Cell, read_table};
use kopra_import::values::{parse_count, parse_date, parse_rupiah};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn value_parsers_never_panic(s in ".{0,40}") {
        let cell = Cell::Text(s.clone());
        let _ = parse_date(&cell);
        let _ = parse_rupiah(&cell);
        if let Ok(Some(n)) = parse_count(&cell) {
            prop_assert!(n >= 0, "a count is never negative: {s:?} → {n}");
        }
    }

    #[test]
    fn numbers_written_with_thousands_dots_read_back(n in 0i64..10_000_000_000_000) {
        let mut digits = n.to_string();
        let mut grouped = String::new();
        while digits.len() > 3 {
            let tail = digits.split_off(digits.len() - 3);
            grouped = format!(".{tail}{grouped}");
        }
        let written = format!("Rp {digits}{grouped},00");
        prop_assert_eq!(parse_rupiah(&Cell::Text(written)), Ok(Some(n)));
    }

    #[test]
    fn real_dates_survive_the_office_shapes(y in 1950i32..2100, m in 1u8..=12, d in 1u8..=28) {
        let want = time::Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), d).unwrap();
        for text in [format!("{d:02}/{m:02}/{y}"), format!("{d}-{m}-{y}"), format!("{y}-{m:02}-{d:02}")] {
            prop_assert_eq!(parse_date(&Cell::Text(text)), Ok(Some(want)));
        }
    }

    #[test]
    fn any_bytes_as_a_file_are_read_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..2000), name in "[a-z]{1,8}\\.(csv|xlsx|xls|ods|txt)") {
        let _ = read_table(&bytes, &name, None);
    }
}

#[test]
fn a_zip_that_is_no_workbook_and_a_workbook_with_formulas_are_handled() {
    // A ZIP archive holding something else entirely.
    let mut zip = b"PK\x03\x04".to_vec();
    zip.extend(std::iter::repeat_n(0u8, 5000));
    assert!(read_table(&zip, "bom.xlsx", None).is_err());
    // Formulas are read as the values Excel computed, never evaluated.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (i, h) in ["Nama Koperasi", "Kecamatan", "Aset"].iter().enumerate() {
        ws.write(0, i as u16, *h).unwrap();
    }
    ws.write(1, 0, "Kop A").unwrap();
    ws.write(1, 1, "Bekasi Utara").unwrap();
    ws.write_formula(1, 2, rust_xlsxwriter::Formula::new("=1+1").set_result("2"))
        .unwrap();
    ws.write(2, 0, "Kop B").unwrap();
    ws.write(2, 1, "Rawalumbu").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let t = read_table(&bytes, "f.xlsx", None).unwrap();
    assert_eq!(t.rows.len(), 3);
}

#[test]
fn a_hidden_sheet_is_never_picked_by_itself() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let hidden = wb.add_worksheet();
    hidden.set_name("Lama").unwrap();
    for (r, row) in [
        ["Nama Koperasi", "Kecamatan", "NIK"],
        ["Kop Lama", "Bekasi Utara", "3275070040001"],
        ["Kop Lama 2", "Rawalumbu", "3275070040002"],
    ]
    .iter()
    .enumerate()
    {
        for (c, v) in row.iter().enumerate() {
            hidden.write(r as u32, c as u16, *v).unwrap();
        }
    }
    hidden.set_hidden(true);
    let visible = wb.add_worksheet();
    visible.set_name("Baru").unwrap();
    for (r, row) in [
        ["Nama Koperasi", "Kecamatan", "NIK"],
        ["Kop Baru", "Bekasi Utara", "3275070040003"],
        ["Kop Baru 2", "Rawalumbu", "3275070040004"],
    ]
    .iter()
    .enumerate()
    {
        for (c, v) in row.iter().enumerate() {
            visible.write(r as u32, c as u16, *v).unwrap();
        }
    }
    // Excel never hides the active sheet: the visible one is active.
    visible.set_active(true);
    let bytes = wb.save_to_buffer().unwrap();
    assert_eq!(read_table(&bytes, "x.xlsx", None).unwrap().sheet, "Baru");
    assert_eq!(
        read_table(&bytes, "x.xlsx", Some("lama")).unwrap().sheet,
        "Lama",
        "unless asked for by name"
    );
    assert!(read_table(&bytes, "x.xlsx", Some("Tidak Ada")).is_err());
}

#[test]
fn a_50_mb_csv_is_read_and_a_million_rows_are_refused_with_advice() {
    use kopra_import::ImportError;
    use kopra_import::table::{MAX_FILE_BYTES, MAX_ROWS};
    // Just under the size cap: 200,000 rows with long addresses are read whole.
    let mut big = String::from("NAMA KOPERASI;KECAMATAN;ALAMAT\n");
    let address = "Jl. Raya Narogong Km 12, Gang Melati RT 003 RW 007 ".repeat(4);
    for i in 0..200_000 {
        big.push_str(&format!("Koperasi Nomor {i};Bantargebang;{address}\n"));
    }
    assert!(
        big.len() > 45 * 1024 * 1024 && big.len() <= MAX_FILE_BYTES,
        "{}",
        big.len()
    );
    let t = read_table(big.as_bytes(), "besar.csv", None).unwrap();
    assert_eq!(t.rows.len(), 200_001);
    drop(t);
    // A million short rows fit in the size cap but not in one import: a clear error.
    let mut million = String::from("NAMA KOPERASI;KECAMATAN\n");
    for i in 0..1_000_000 {
        million.push_str(&format!("Kop {i};Rawalumbu\n"));
    }
    match read_table(million.as_bytes(), "sejuta.csv", None) {
        Err(e @ ImportError::TooManyRows(n)) => {
            assert!(n > MAX_ROWS);
            assert_eq!(e.code(), "too_many_rows");
            assert!(e.to_string().contains("split the file"));
        }
        other => panic!("expected TooManyRows, got {:?}", other.map(|t| t.rows.len())),
    }
}
