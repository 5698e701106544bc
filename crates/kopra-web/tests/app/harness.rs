//! Test harness: a fresh database per test, copied from a template that is migrated and
//! holds the regions, and helpers to call the router.

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use kopra_db::users::NewUser;
use kopra_db::{Actor, Db};
use kopra_domain::Role;
use serde_json::Value;
use std::path::PathBuf;
use tokio::sync::OnceCell;
use tower::ServiceExt;

#[derive(Clone, Copy, Debug)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Generates one test per engine from `async fn name(app: TestApp)`.
#[macro_export]
macro_rules! both_engines {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::harness::TestApp::new($crate::harness::Engine::Sqlite).await).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::harness::TestApp::new($crate::harness::Engine::Postgres).await).await;
                }
            }
        )*
    };
}

pub const PASSWORD: &str = "kata-sandi-uji-123";

pub struct TestApp {
    pub engine: Engine,
    pub db: Db,
    pub router: Router,
    _dir: Option<tempfile::TempDir>,
}

static SQLITE_TEMPLATE: OnceCell<PathBuf> = OnceCell::const_new();
static PG_TEMPLATE: OnceCell<String> = OnceCell::const_new();

fn pg_admin_url() -> String {
    std::env::var("KOPRA_TEST_DATABASE_URL").expect(
        "KOPRA_TEST_DATABASE_URL must name a PostgreSQL admin URL (scripts/test.sh sets it); PostgreSQL tests never skip",
    )
}

fn with_database(url: &str, db: &str) -> String {
    let base = url.rsplit_once('/').map_or(url, |(b, _)| b);
    format!("{base}/{db}")
}

async fn prepare(db: &Db) {
    db.migrate().await.expect("migrate");
    db.load_regions_if_empty(kopra_db::regions::WILAYAH_CSV)
        .await
        .expect("regions");
}

fn unique() -> String {
    kopra_db::sessions::new_secret()[..12].to_string()
}

impl TestApp {
    pub async fn new(engine: Engine) -> TestApp {
        Self::for_region(engine, "32.75").await
    }

    /// An app for an office of another region: a province ("32") or the country ("ID").
    pub async fn for_region(engine: Engine, region: &str) -> TestApp {
        let (db, dir) = match engine {
            Engine::Sqlite => {
                let template = SQLITE_TEMPLATE
                    .get_or_init(|| async {
                        let dir = std::env::temp_dir().join(format!(
                            "kopra-test-template-{}-{}",
                            std::process::id(),
                            unique()
                        ));
                        let db = Db::connect(None, &dir).await.expect("sqlite template");
                        prepare(&db).await;
                        db.close().await;
                        dir.join("kopra.db")
                    })
                    .await;
                let dir = tempfile::tempdir().expect("tempdir");
                std::fs::copy(template, dir.path().join("kopra.db")).expect("copy template");
                let db = Db::connect(None, dir.path()).await.expect("sqlite");
                (db, Some(dir))
            }
            Engine::Postgres => {
                let admin = pg_admin_url();
                let template = PG_TEMPLATE
                    .get_or_init(|| async {
                        let name = format!("kopra_tpl_{}", unique());
                        let admin_db = Db::connect(Some(&admin), std::path::Path::new("."))
                            .await
                            .expect("postgres admin");
                        exec(&admin_db, &format!("CREATE DATABASE {name}")).await;
                        let db = Db::connect(Some(&with_database(&admin, &name)), std::path::Path::new("."))
                            .await
                            .expect("template");
                        prepare(&db).await;
                        db.close().await;
                        admin_db.close().await;
                        name
                    })
                    .await;
                let name = format!("kopra_test_{}", unique());
                let admin_db = Db::connect(Some(&admin), std::path::Path::new("."))
                    .await
                    .expect("postgres admin");
                exec(&admin_db, &format!("CREATE DATABASE {name} TEMPLATE {template}")).await;
                admin_db.close().await;
                let db = Db::connect(Some(&with_database(&admin, &name)), std::path::Path::new("."))
                    .await
                    .expect("test database");
                (db, None)
            }
        };
        let office = db.office(Some(region)).await.expect("office");
        let router = kopra_web::router(kopra_web::AppState {
            db: db.clone(),
            office,
            secure_cookies: false,
            regions: Default::default(),
        });
        TestApp {
            engine,
            db,
            router,
            _dir: dir,
        }
    }

    /// The same database served as the office of another region: `32` a province, `ID`
    /// the whole country.
    pub fn as_office(mut self, region: &str) -> TestApp {
        let office = kopra_db::settings::Office {
            home: kopra_domain::HomeRegion::parse(region).expect("a home region"),
            include_wider_bentuk: false,
        };
        self.router = kopra_web::router(kopra_web::AppState {
            db: self.db.clone(),
            office,
            secure_cookies: false,
            regions: Default::default(),
        });
        self
    }

    pub async fn office(&self) -> kopra_db::settings::Office {
        self.db.office(None).await.unwrap()
    }

    /// Creates a user and returns an API token for them.
    pub async fn user(&self, name: &str, role: Role, cooperative_id: Option<i64>, kecamatan: &[&str]) -> String {
        let new = NewUser {
            username: name.into(),
            password: PASSWORD.into(),
            role,
            cooperative_id,
            kecamatan: kecamatan.iter().map(|s| s.to_string()).collect(),
        };
        let row = self.db.create_user(&new, &Actor::system()).await.expect("user");
        self.db
            .create_api_token(row.id, "test", &Actor::system())
            .await
            .expect("token")
            .1
    }

    pub async fn admin(&self) -> String {
        self.user("admin", Role::Admin, None, &[]).await
    }

    /// Sends a request; returns status, headers and the body as text.
    pub async fn send(&self, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
        let resp = self.router.clone().oneshot(req).await.expect("router");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        (status, headers, String::from_utf8_lossy(&bytes).into_owned())
    }

    /// A JSON API call with a bearer token (or none).
    pub async fn api(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some(v) => b
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(v.to_string()))
                .unwrap(),
            None => b.body(Body::empty()).unwrap(),
        };
        let (status, _, text) = self.send(req).await;
        let json = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, json)
    }

    /// Logs in through the form and returns the session cookie.
    pub async fn login_cookie(&self, username: &str) -> String {
        let req = Request::builder()
            .method(Method::POST)
            .uri("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("username={username}&password={PASSWORD}")))
            .unwrap();
        let (status, headers, _) = self.send(req).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "login of {username}");
        let set = headers.get(header::SET_COOKIE).expect("cookie").to_str().unwrap();
        set.split(';').next().unwrap().to_string()
    }

    /// A page request with a session cookie; a form body when given.
    pub async fn page(
        &self,
        method: Method,
        path: &str,
        cookie: Option<&str>,
        form: Option<&str>,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        let req = match form {
            Some(f) => b
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(f.to_string()))
                .unwrap(),
            None => b.body(Body::empty()).unwrap(),
        };
        self.send(req).await
    }

    /// A download with a session cookie: status and the raw bytes.
    pub async fn download(&self, path: &str, cookie: &str) -> (StatusCode, Vec<u8>) {
        let req = Request::builder()
            .method(Method::GET)
            .uri(path)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap();
        let resp = self.router.clone().oneshot(req).await.expect("router");
        let status = resp.status();
        (
            status,
            resp.into_body().collect().await.expect("body").to_bytes().to_vec(),
        )
    }

    /// The cells of a workbook's first sheet, as text.
    pub fn workbook_cells(bytes: &[u8]) -> Vec<Vec<String>> {
        let table = kopra_import::table::read_table(bytes, "export.xlsx", None).expect("a readable workbook");
        table
            .rows
            .iter()
            .map(|r| r.iter().map(kopra_import::table::Cell::text).collect())
            .collect()
    }

    pub async fn count(&self, table: &str) -> i64 {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        match &self.db {
            Db::Sqlite(p) => sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(p).await.unwrap(),
            Db::Postgres(p) => sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(p).await.unwrap(),
        }
    }
}

async fn exec(db: &Db, sql: &str) {
    match db {
        Db::Sqlite(p) => {
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
                .execute(p)
                .await
                .expect(sql);
        }
        Db::Postgres(p) => {
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
                .execute(p)
                .await
                .expect(sql);
        }
    }
}

/// A valid new cooperative in Bekasi Selatan.
pub fn cooperative(name: &str, nik: Option<&str>) -> Value {
    let mut v = serde_json::json!({
        "name": name,
        "kelurahan_code": "32.75.04.1004",
        "bentuk": "Primer Kabupaten/Kota",
        "jenis": "Konsumen",
        "kelompok": "Kopkar",
    });
    if let Some(n) = nik {
        v["nik"] = Value::String(n.into());
    }
    v
}

/// A multipart/form-data body: `(field name, file name if a file, content)`.
pub fn multipart_body(parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "kopraBOUNDARY7e1c";
    let mut body = Vec::new();
    for (name, file, data) in parts {
        match file {
            Some(f) => body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes()),
            None => body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
        }
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

impl TestApp {
    /// Posts a multipart form with a session cookie or a bearer token header.
    pub async fn post_multipart(
        &self,
        path: &str,
        auth: (&str, &str),
        parts: &[(&str, Option<&str>, &[u8])],
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        let (ctype, body) = multipart_body(parts);
        let req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(auth.0, auth.1)
            .header(header::CONTENT_TYPE, ctype)
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }
}
