//! Several app servers on one PostgreSQL database, as real processes: two `kopra migrate`
//! at once on an empty database, then two `kopra serve` on different ports. A session made
//! through one is valid on the other, an edit through one is visible through the other at
//! once, two concurrent edits of one record give one 200 and one 409 (nothing lost), and
//! the status recompute at start runs on one server only.
//!
//! Needs `KOPRA_TEST_DATABASE_URL` (a PostgreSQL admin URL; scripts/test.sh sets it): the
//! test fails without it, it never skips.

use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "rahasia-multi-server-1";

fn admin_url() -> String {
    std::env::var("KOPRA_TEST_DATABASE_URL").expect(
        "KOPRA_TEST_DATABASE_URL must name a PostgreSQL admin URL (scripts/test.sh sets it); the multi-server test never skips",
    )
}

fn with_database(url: &str, db: &str) -> String {
    let base = url.rsplit_once('/').map_or(url, |(b, _)| b);
    format!("{base}/{db}")
}

/// Runs SQL on the admin database (CREATE/DROP DATABASE).
async fn admin_exec(admin: &str, sql: &str) {
    let db = kopra_db::Db::connect(Some(admin), Path::new("."))
        .await
        .expect("postgres admin");
    let kopra_db::Db::Postgres(p) = &db else {
        panic!("KOPRA_TEST_DATABASE_URL is not a PostgreSQL URL")
    };
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(p)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    db.close().await;
}

/// The child processes, killed when the test ends (also on a panic), and the database,
/// dropped then.
struct Servers {
    children: Vec<Child>,
    admin: String,
    database: String,
    dir: PathBuf,
}

impl Drop for Servers {
    fn drop(&mut self) {
        for c in &mut self.children {
            let _ = c.kill();
            let _ = c.wait();
        }
        if std::thread::panicking() {
            for i in 0..self.children.len() {
                if let Ok(log) = std::fs::read_to_string(self.dir.join(format!("server{i}.log"))) {
                    eprintln!("--- server {i} log ---\n{log}");
                }
            }
        }
        let (admin, database) = (self.admin.clone(), self.database.clone());
        let _ = std::thread::spawn(move || {
            if let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() {
                rt.block_on(admin_exec(
                    &admin,
                    &format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"),
                ));
            }
        })
        .join();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn kopra() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kopra"));
    c.env_remove("KOPRA_DATABASE_URL").env_remove("KOPRA_ADDR");
    c
}

/// A port free now (the OS picks it; a race with other programs is unlikely).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// A plain HTTP/1.1 request (`Connection: close`) to 127.0.0.1:`port`.
fn http(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: Option<(&str, &str)>) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some((content_type, b)) = body {
        req.push_str(&format!(
            "Content-Type: {content_type}\r\nContent-Length: {}\r\n",
            b.len()
        ));
    }
    req.push_str("\r\n");
    if let Some((_, b)) = body {
        req.push_str(b);
    }
    stream.write_all(req.as_bytes()).expect("write");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("end of headers");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut rest = raw[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        let mut out = Vec::new();
        let mut at = 0;
        while let Some(eol) = rest[at..].windows(2).position(|w| w == b"\r\n") {
            let size = usize::from_str_radix(String::from_utf8_lossy(&rest[at..at + eol]).trim(), 16).unwrap_or(0);
            if size == 0 {
                break;
            }
            let start = at + eol + 2;
            out.extend_from_slice(&rest[start..start + size]);
            at = start + size + 2;
        }
        rest = out;
    }
    Response {
        status,
        headers,
        body: String::from_utf8_lossy(&rest).to_string(),
    }
}

fn api(port: u16, token: &str, method: &str, path: &str, body: Option<&Value>) -> Response {
    let auth = format!("Bearer {token}");
    let text = body.map(Value::to_string);
    http(
        port,
        method,
        path,
        &[("Authorization", &auth), ("Accept", "application/json")],
        text.as_deref().map(|t| ("application/json", t)),
    )
}

fn wait_healthy(port: u16, child: &mut Child, log: &Path) {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            panic!(
                "kopra serve on port {port} exited ({status}):\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        if TcpStream::connect(("127.0.0.1", port)).is_ok() && http(port, "GET", "/healthz", &[], None).status == 200 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "kopra serve on port {port} did not answer /healthz"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn two_servers_share_one_postgresql_database() {
    let admin = admin_url();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let name = format!("kopra_multi_{}", &kopra_db::sessions::new_secret()[..12]);
    rt.block_on(admin_exec(&admin, &format!("CREATE DATABASE {name}")));
    let url = with_database(&admin, &name);
    let dir = std::env::temp_dir().join(&name);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut servers = Servers {
        children: vec![],
        admin: admin.clone(),
        database: name.clone(),
        dir: dir.clone(),
    };

    // Two servers' first start on an empty database at the same moment: the migrations
    // and the region load take turns under the setup lock; both succeed.
    let migrations: Vec<Child> = (0..2)
        .map(|_| {
            kopra()
                .args(["migrate", "--database-url", &url, "--data-dir"])
                .arg(&dir)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("kopra migrate")
        })
        .collect();
    for m in migrations {
        let out = m.wait_with_output().expect("kopra migrate");
        assert!(
            out.status.success(),
            "concurrent kopra migrate failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut add = kopra()
        .args([
            "user",
            "add",
            "petugas1",
            "--role",
            "petugas",
            "--password-stdin",
            "--database-url",
            &url,
            "--data-dir",
        ])
        .arg(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kopra user add");
    add.stdin
        .take()
        .expect("stdin")
        .write_all(PASSWORD.as_bytes())
        .expect("password");
    let out = add.wait_with_output().expect("kopra user add");
    assert!(
        out.status.success(),
        "kopra user add: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Two servers started at once.
    let ports = [free_port(), free_port()];
    assert_ne!(ports[0], ports[1]);
    for (i, port) in ports.iter().enumerate() {
        let log = std::fs::File::create(dir.join(format!("server{i}.log"))).expect("log file");
        let child = kopra()
            .args([
                "serve",
                "--database-url",
                &url,
                "--addr",
                &format!("127.0.0.1:{port}"),
                "--data-dir",
            ])
            .arg(&dir)
            .env("KOPRA_LOG", "kopra=info")
            .stdout(Stdio::from(log.try_clone().expect("log file")))
            .stderr(Stdio::from(log))
            .spawn()
            .expect("kopra serve");
        servers.children.push(child);
    }
    for (i, port) in ports.iter().enumerate() {
        wait_healthy(*port, &mut servers.children[i], &dir.join(format!("server{i}.log")));
    }
    let [a, b] = ports;

    // A session made through A is valid on B.
    let origin = format!("http://127.0.0.1:{a}");
    let form = format!("username=petugas1&password={PASSWORD}");
    let login = http(
        a,
        "POST",
        "/login",
        &[("Origin", &origin), ("Sec-Fetch-Site", "same-origin")],
        Some(("application/x-www-form-urlencoded", &form)),
    );
    assert_eq!(login.status, 303, "login through A: {}", login.body);
    let cookie = login
        .header("set-cookie")
        .and_then(|c| c.split(';').next())
        .expect("session cookie")
        .to_string();
    assert!(cookie.starts_with("kopra_session="), "{cookie}");
    let anonymous = http(b, "GET", "/koperasi", &[], None);
    assert_eq!(anonymous.status, 303, "B without a session sends to the login page");
    let page = http(b, "GET", "/koperasi", &[("Cookie", &cookie)], None);
    assert_eq!(page.status, 200, "B accepts A's session: {}", page.body);

    // An API token made through A works on B.
    let creds = json!({"username": "petugas1", "password": PASSWORD}).to_string();
    let token = http(a, "POST", "/api/v1/auth/token", &[], Some(("application/json", &creds)));
    assert_eq!(token.status, 200, "token through A: {}", token.body);
    let token = token.json()["token"].as_str().expect("token").to_string();

    // An edit through A is visible through B at once.
    let created = api(
        a,
        &token,
        "POST",
        "/api/v1/cooperatives",
        Some(&json!({
            "name": "Koperasi Dua Server",
            "kelurahan_code": "32.75.04.1004",
            "bentuk": "Primer Kabupaten/Kota",
            "jenis": "Konsumen",
            "kelompok": "Kopkar",
        })),
    );
    assert!(
        created.status == 201 || created.status == 200,
        "create through A: {}",
        created.body
    );
    let created = created.json();
    let id = created["id"].as_i64().expect("id");
    let v1 = created["version"].as_i64().expect("version");
    let path = format!("/api/v1/cooperatives/{id}");
    let edited = api(
        a,
        &token,
        "PATCH",
        &path,
        Some(&json!({"version": v1, "name": "Koperasi Dua Server Jaya"})),
    );
    assert_eq!(edited.status, 200, "edit through A: {}", edited.body);
    let seen = api(b, &token, "GET", &path, None);
    assert_eq!(seen.status, 200);
    let seen = seen.json();
    assert_eq!(seen["name"], "Koperasi Dua Server Jaya", "B sees A's edit at once");
    assert_eq!(seen["version"].as_i64(), Some(v1 + 1));

    // Two concurrent edits of the same version, one through each server.
    let v2 = v1 + 1;
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let handles: Vec<_> = [(a, "Koperasi Dua Server Alfa"), (b, "Koperasi Dua Server Beta")]
        .into_iter()
        .map(|(port, new_name)| {
            let (barrier, token, path) = (barrier.clone(), token.clone(), path.clone());
            std::thread::spawn(move || {
                barrier.wait();
                let r = api(
                    port,
                    &token,
                    "PATCH",
                    &path,
                    Some(&json!({"version": v2, "name": new_name})),
                );
                (new_name, r)
            })
        })
        .collect();
    let results: Vec<(&str, Response)> = handles.into_iter().map(|h| h.join().expect("thread")).collect();
    let mut statuses: Vec<u16> = results.iter().map(|(_, r)| r.status).collect();
    statuses.sort();
    assert_eq!(
        statuses,
        vec![200, 409],
        "one edit wins, the other is stale: {:?}",
        results.iter().map(|(_, r)| &r.body).collect::<Vec<_>>()
    );
    let (winner, won) = results.iter().find(|(_, r)| r.status == 200).expect("winner");
    let (loser, lost) = results.iter().find(|(_, r)| r.status == 409).expect("loser");
    assert_eq!(won.json()["version"].as_i64(), Some(v2 + 1));
    let current = &lost.json()["current"];
    assert_eq!(
        current["version"].as_i64(),
        Some(v2 + 1),
        "the 409 carries the current record"
    );
    assert_eq!(current["name"].as_str(), Some(*winner));
    let final_record = api(a, &token, "GET", &path, None).json();
    assert_eq!(final_record["name"].as_str(), Some(*winner));
    assert_eq!(final_record["version"].as_i64(), Some(v2 + 1));
    // The loser, told the current version, applies its change on top: nothing is lost.
    let retried = api(
        b,
        &token,
        "PATCH",
        &path,
        Some(&json!({"version": v2 + 1, "name": loser})),
    );
    assert_eq!(retried.status, 200, "{}", retried.body);
    let history = api(b, &token, "GET", &format!("{path}/history"), None);
    assert_eq!(history.status, 200, "{}", history.body);
    let history_text = history.body.clone();
    for name in ["Koperasi Dua Server Jaya", winner, loser] {
        assert!(history_text.contains(name), "history keeps {name}: {history_text}");
    }
    let mut versions: Vec<i64> = history.json()["items"]
        .as_array()
        .expect("history items")
        .iter()
        .filter_map(|v| v["version"].as_i64())
        .collect();
    versions.sort();
    assert_eq!(versions, (1..=v2 + 2).collect::<Vec<_>>(), "every version is kept");

    // The status recompute at start ran on exactly one server; the other skipped it.
    let runs = rt.block_on(async {
        let db = kopra_db::Db::connect(Some(&url), Path::new("."))
            .await
            .expect("test database");
        let runs = db.job_runs(kopra_db::jobs::STATUS_RECOMPUTE).await.expect("job runs");
        db.close().await;
        runs
    });
    assert_eq!(runs.len(), 1, "the start recompute ran once: {runs:?}");
    assert!(runs[0].error.is_none(), "{runs:?}");
    let logs: Vec<String> = (0..2)
        .map(|i| std::fs::read_to_string(dir.join(format!("server{i}.log"))).unwrap_or_default())
        .collect();
    let ran: Vec<usize> = (0..2)
        .filter(|i| logs[*i].contains("status recompute (start): ran here"))
        .collect();
    let skipped: Vec<usize> = (0..2)
        .filter(|i| logs[*i].contains("status recompute (start): skipped"))
        .collect();
    assert_eq!(ran.len(), 1, "one server ran the recompute: {logs:?}");
    assert_eq!(skipped.len(), 1, "the other skipped it: {logs:?}");
    assert_ne!(ran, skipped);
    let runner_pid = servers.children[ran[0]].id();
    assert!(
        runs[0]
            .server
            .ends_with(&format!(":{} pid {runner_pid}", ports[ran[0]])),
        "the run names its server: {} (port {}, pid {runner_pid})",
        runs[0].server,
        ports[ran[0]]
    );
    drop(servers);
}
