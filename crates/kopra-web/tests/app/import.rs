//! Importing files into the register: matching, holding back, idempotency, history.

use crate::both_engines;
use crate::harness::TestApp;
use kopra_db::Actor;
use kopra_db::import::{ImportOptions, RowAction};

both_engines!(the_ods_list_and_the_office_workbook_import_and_reimport_changes_nothing);

async fn the_ods_list_and_the_office_workbook_import_and_reimport_changes_nothing(app: TestApp) {
    let office = app.office().await;
    let today = time::macros::date!(2026 - 11 - 29);
    let opts = ImportOptions::default();
    let actor = Actor { user_id: None, name: "petugas".into(), ip: None };
    let ods = kopra_db::demo::ODS_KOTA_BEKASI_2021.as_bytes();

    let plan = app.db.plan_import(ods, "ods_kota_bekasi_2021.csv", &office, &opts, today).await.unwrap();
    assert_eq!((plan.rows.len(), plan.count(RowAction::Create), plan.count(RowAction::Rejected), plan.count(RowAction::HeldBack)), (1046, 1046, 0, 0));
    assert!(plan.flagged() <= 8, "a few same-name pairs with their own NIKs are flagged, not held back");
    let batch = app.db.commit_import(&plan, &office, &actor).await.unwrap();
    assert_eq!(app.count("cooperatives").await, 1046);
    let again = app.db.plan_import(ods, "ods_kota_bekasi_2021.csv", &office, &opts, today).await.unwrap();
    assert_eq!(again.count(RowAction::Unchanged), 1046, "importing the same file again changes nothing");

    let xlsx = include_bytes!("../../../../data/samples/dinas_koperasi_kota_bekasi_2021.xlsx");
    let plan = app.db.plan_import(xlsx, "dinas.xlsx", &office, &opts, today).await.unwrap();
    assert_eq!(plan.rows.len(), 1063);
    assert_eq!(plan.count(RowAction::Rejected), 5);
    assert_eq!(plan.count(RowAction::HeldBack), 12, "the twelve re-typed cooperatives");
    assert_eq!(plan.count(RowAction::Create), 0, "every other row is a cooperative already registered");
    let held: Vec<&str> = plan.rows.iter().filter(|r| r.action == RowAction::HeldBack).map(|r| r.name.trim()).collect();
    assert!(held.contains(&"Kop. Karyawan PT. Hrapan M.Utm") && held.contains(&"Koperasi Swadaya"));
    let second = app.db.commit_import(&plan, &office, &actor).await.unwrap();
    assert!(second > batch);
    // The history shows the change with the import batch as its actor.
    let updated = plan.rows.iter().find(|r| r.action == RowAction::Update).unwrap();
    let history = app.db.cooperative_history(updated.cooperative_id.unwrap()).await.unwrap();
    assert!(history[0].actor_name.starts_with(&format!("impor #{second}")), "{}", history[0].actor_name);
    assert_eq!(history[0].changes, updated.changes);
    let again = app.db.plan_import(xlsx, "dinas.xlsx", &office, &opts, today).await.unwrap();
    assert_eq!(
        (again.count(RowAction::Update), again.count(RowAction::Create), again.count(RowAction::Unchanged)),
        (0, 0, 1046),
        "importing the workbook again changes nothing"
    );
    // A rejected file is a clear error, not a crash.
    let err = app.db.plan_import(b"\x00\x01\x02 not a spreadsheet", "x.xlsx", &office, &opts, today).await.unwrap_err();
    assert!(err.to_string().contains("no data table") || err.to_string().contains("cannot be read"), "{err}");
}
