//! Tidy checks on storage: migrations in step, schemas alike, audit rows append-only.

use crate::both_engines;
use crate::harness::TestApp;
use kopra_db::Db;

both_engines!(audit_rows_cannot_be_changed_or_deleted);

async fn audit_rows_cannot_be_changed_or_deleted(app: TestApp) {
    app.admin().await;
    assert!(app.count("audit_log").await >= 2);
    let (update, delete) = match &app.db {
        Db::Sqlite(p) => (
            sqlx::query("UPDATE audit_log SET actor_name = 'x'")
                .execute(p)
                .await
                .is_err(),
            sqlx::query("DELETE FROM audit_log").execute(p).await.is_err(),
        ),
        Db::Postgres(p) => (
            sqlx::query("UPDATE audit_log SET actor_name = 'x'")
                .execute(p)
                .await
                .is_err(),
            sqlx::query("DELETE FROM audit_log").execute(p).await.is_err(),
        ),
    };
    assert!(update && delete, "the schema refuses changes to audit rows");
}

#[test]
fn migration_folders_are_in_step() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    let names = |engine: &str| {
        let mut v: Vec<String> = std::fs::read_dir(root.join(engine))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names("sqlite"), names("postgres"));
    let listed: Vec<String> = kopra_db::migrate::MIGRATIONS
        .iter()
        .map(|(n, _, _)| format!("{n}.sql"))
        .collect();
    assert_eq!(
        names("sqlite"),
        listed,
        "every migration file is listed in kopra_db::migrate::MIGRATIONS"
    );
}

#[tokio::test]
async fn both_engines_have_the_same_tables_and_columns() {
    let sqlite = TestApp::new(crate::harness::Engine::Sqlite).await;
    let pg = TestApp::new(crate::harness::Engine::Postgres).await;
    let mut lite: Vec<(String, String)> = match &sqlite.db {
        Db::Sqlite(p) => sqlx::query_as(
            "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
        )
        .fetch_all(p)
        .await
        .unwrap(),
        _ => unreachable!(),
    };
    let mut post: Vec<(String, String)> = match &pg.db {
        Db::Postgres(p) => sqlx::query_as(
            "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = 'public'",
        )
        .fetch_all(p)
        .await
        .unwrap(),
        _ => unreachable!(),
    };
    lite.sort();
    post.sort();
    assert_eq!(lite, post);
}
