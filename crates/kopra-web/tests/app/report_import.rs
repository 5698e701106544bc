//! A list of annual reports imported in one pass: found by NIK, checked by the domain
//! rules, all or nothing unless the valid rows are accepted, once only, and evidence for
//! the status at once.

use crate::both_engines;
use crate::harness::{TestApp, cooperative};
use axum::http::{Method, StatusCode};
use kopra_db::Actor;
use kopra_db::report_import::{ReportImportOptions, ReportImportSummary};
use kopra_import::report_rows::ReportCsv;

both_engines!(a_report_list_is_imported_by_nik_all_or_nothing_and_once);

async fn import(app: &TestApp, csv: &str, accept_valid: bool) -> ReportImportSummary {
    let rows = ReportCsv::new(csv.as_bytes(), b',').expect("header");
    let options = ReportImportOptions {
        accept_valid,
        dry_run: false,
    };
    let actor = Actor {
        user_id: None,
        name: "uji".into(),
        ip: None,
    };
    app.db
        .import_annual_reports(rows, "rat.csv", "abc", options, kopra_db::status::wib_today(), &actor)
        .await
        .expect("import")
}

async fn a_report_list_is_imported_by_nik_all_or_nothing_and_once(app: TestApp) {
    let t = app.admin().await;
    let mut ids = Vec::new();
    for (name, nik) in [
        ("Kop Rapat Tahunan", "3275040010101"),
        ("Kop Tanpa Rapat", "3275040010102"),
    ] {
        let (s, c) = app
            .api(
                Method::POST,
                "/api/v1/cooperatives",
                Some(&t),
                Some(cooperative(name, Some(nik))),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{c}");
        ids.push(c["id"].as_i64().unwrap());
    }
    let year = kopra_db::status::wib_today().year();
    let (last, before) = (year - 1, year - 2);
    let csv = format!(
        "NIK,TAHUN BUKU,TGL RAT,ANGGOTA L,ANGGOTA P,TOTAL ANGGOTA,ASET,VOLUME USAHA,SHU\n\
         3275040010101,{before},15/03/{last},15,6,21,128067000,189121000,16646000\n\
         3275040010101,{last},02/01/{year},16,6,22,\"Rp 130.000.000\",,-2.000.000\n\
         3275040010101,{last},03/01/{year},16,6,22,,,\n\
         9999999999999,{last},02/01/{year},1,1,2,,,\n\
         3275040010102,{last},31/02/{year},,,,,,\n\
         3275040010102,{last},02/01/{before},,,,,,\n"
    );
    let reports_before = app.count("annual_reports").await;

    // Rejected rows stop the whole list.
    let s = import(&app, &csv, false).await;
    assert_eq!(
        (s.rows, s.created, s.already_recorded, s.rejected, s.committed),
        (6, 2, 1, 3, false),
        "{s:?}"
    );
    assert_eq!(app.count("annual_reports").await, reports_before, "nothing kept");
    let said: Vec<(u64, &str, &str)> = s
        .errors
        .iter()
        .map(|e| (e.line, e.column.as_str(), e.message_key.as_str()))
        .collect();
    assert_eq!(
        said,
        [
            (5, "NIK", "import.report_nik_unknown"),
            (6, "TGL RAT", "import.date_invalid"),
            (7, "rat_date", "error.before_book_year_end"),
        ],
        "each problem with its line: {s:?}"
    );

    // Accepting the valid rows keeps them; the cooperative is active at once.
    let s = import(&app, &csv, true).await;
    assert_eq!((s.created, s.committed), (2, true), "{s:?}");
    assert_eq!(app.count("annual_reports").await, reports_before + 2);
    let (_, st) = app
        .api(
            Method::GET,
            &format!("/api/v1/cooperatives/{}/status", ids[0]),
            Some(&t),
            None,
        )
        .await;
    assert_eq!(st["status"], "active", "{st}");
    let (_, reports) = app
        .api(
            Method::GET,
            &format!("/api/v1/cooperatives/{}/annual-reports", ids[0]),
            Some(&t),
            None,
        )
        .await;
    let items = reports["items"]
        .as_array()
        .or(reports.as_array())
        .expect("reports")
        .clone();
    let newest = items
        .iter()
        .find(|r| r["book_year"] == last)
        .expect("the last year's report");
    assert_eq!(
        (newest["assets"].as_i64(), newest["shu"].as_i64()),
        (Some(130_000_000), Some(-2_000_000))
    );
    assert_eq!(newest["source"], "import");
    assert_eq!(app.count("annual_report_versions WHERE action = 'import'").await, 2);
    assert_eq!(app.count("audit_log WHERE action = 'annual_report.import'").await, 1);

    // The same list again changes nothing.
    let s = import(&app, &csv, true).await;
    assert_eq!((s.created, s.already_recorded, s.committed), (0, 3, false), "{s:?}");
    assert_eq!(app.count("annual_reports").await, reports_before + 2);
}
