//! A long UMKM list imported in one pass (`kopra import-umkm`): matched by NIB, or without
//! one by kelurahan, name and owner; all or nothing unless the valid rows are accepted; the
//! same list again changes nothing.

use crate::both_engines;
use crate::harness::TestApp;
use kopra_db::Actor;
use kopra_db::umkm_stream_import::{UmkmStreamOptions, UmkmStreamSummary};
use kopra_import::umkm_rows::UmkmCsv;

both_engines!(a_umkm_list_streams_in_matched_by_nib_or_identity_and_again_changes_nothing);

async fn import(app: &TestApp, csv: &str, options: UmkmStreamOptions) -> UmkmStreamSummary {
    let reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(std::io::Cursor::new(csv.as_bytes().to_vec()));
    let rows = UmkmCsv::new(reader).expect("header");
    let mapping = rows.mapping.clone();
    let actor = Actor {
        user_id: None,
        name: "uji".into(),
        ip: None,
    };
    let office = app.office().await;
    app.db
        .import_umkm_stream(
            rows,
            &mapping,
            "umkm.csv",
            "abc",
            &office,
            options,
            kopra_db::status::wib_today(),
            &actor,
        )
        .await
        .expect("import")
}

const KEEP: UmkmStreamOptions = UmkmStreamOptions {
    accept_valid: false,
    dry_run: false,
};

async fn a_umkm_list_streams_in_matched_by_nib_or_identity_and_again_changes_nothing(app: TestApp) {
    // A title row above the header, as offices' sheets have; one row with a NIB, two
    // without, a blank line, and rows the rules refuse.
    let good = "DATA UMKM KOTA BEKASI 2026\n\
        NAMA USAHA,PEMILIK,NIB,KELURAHAN,KECAMATAN,MODAL,OMZET\n\
        Keripik Melati,Siti Aminah,9120001234567,Pekayonjaya,Bekasi Selatan,25000000,90000000\n\
        Boneka Ceria,Budi,,Harapanbaru,Bekasi Utara,10000000,50000000\n\
        \n\
        Boneka Ceria,Wati,,Harapanbaru,Bekasi Utara,12000000,40000000\n";
    let umkm_before = app.count("umkm").await;
    let versions_first = app.count("umkm_versions").await;
    let s = import(&app, good, KEEP).await;
    assert_eq!(
        (s.rows, s.created, s.updated, s.unchanged, s.rejected, s.committed),
        (3, 3, 0, 0, 0, true),
        "{s:?}"
    );
    assert_eq!(app.count("umkm").await, umkm_before + 3);
    assert_eq!(
        app.count("umkm_versions").await,
        versions_first + 3,
        "a first version each"
    );

    // The same list again: every row is found (two of them without a NIB), nothing written.
    let s = import(&app, good, KEEP).await;
    assert_eq!((s.created, s.updated, s.unchanged), (0, 0, 3), "{s:?}");
    assert!(!s.committed, "nothing to write");
    assert_eq!(app.count("umkm").await, umkm_before + 3);

    // A change to a row with a NIB updates that UMKM (a second version); a refused row and a
    // business listed twice stop the whole list.
    let changed = "NAMA USAHA,PEMILIK,NIB,KELURAHAN,KECAMATAN,MODAL,OMZET\n\
        Keripik Melati,Siti Aminah,9120001234567,Pekayonjaya,Bekasi Selatan,30000000,90000000\n\
        Warung Tanpa Tempat,Ani,,Kelurahan Entah,Bekasi Utara,,\n\
        Kue Lapis,Ani,9120007654321,Margahayu,Bekasi Timur,5000000,20000000\n\
        Kue Lapis Legit,Ani,9120007654321,Margahayu,Bekasi Timur,5000000,20000000\n";
    let versions_before = app.count("umkm_versions").await;
    let s = import(&app, changed, KEEP).await;
    assert_eq!(
        (s.rows, s.created, s.updated, s.rejected, s.committed),
        (4, 1, 1, 2, false),
        "{s:?}"
    );
    let said: Vec<(u64, &str)> = s.problems.iter().map(|p| (p.line, p.message_key.as_str())).collect();
    assert_eq!(
        said,
        [(3, "import.kelurahan_unknown_umkm"), (5, "import.nib_in_file")],
        "{s:?}"
    );
    assert_eq!(app.count("umkm").await, umkm_before + 3, "nothing kept");
    assert_eq!(app.count("umkm_versions").await, versions_before);

    // A dry run counts the same and writes nothing; accepting the valid rows keeps them.
    let s = import(
        &app,
        changed,
        UmkmStreamOptions {
            accept_valid: true,
            dry_run: true,
        },
    )
    .await;
    assert_eq!((s.created, s.updated, s.rejected, s.committed), (1, 1, 2, false));
    assert_eq!(app.count("umkm").await, umkm_before + 3);
    let s = import(
        &app,
        changed,
        UmkmStreamOptions {
            accept_valid: true,
            dry_run: false,
        },
    )
    .await;
    assert!(s.committed, "{s:?}");
    assert_eq!(app.count("umkm").await, umkm_before + 4);
    assert_eq!(app.count("umkm_versions").await, versions_before + 2);
    let t = app.admin().await;
    let (_, list) = app
        .api(axum::http::Method::GET, "/api/v1/umkm?q=9120001234567", Some(&t), None)
        .await;
    assert_eq!(list["items"][0]["capital"], 30_000_000, "{list}");
    assert_eq!(list["items"][0]["version"], 2, "{list}");
    assert_eq!(
        app.count("audit_log WHERE action = 'umkm.import'").await,
        2,
        "one entry per import kept"
    );
}
