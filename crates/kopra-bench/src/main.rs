//! `kopra-bench`: the measuring side of `bench/run` (which builds, generates, imports and
//! starts the server). Each subcommand prints one JSON object, so the script can tabulate.
//!
//! - `latency`: p50/p95/max of sequential requests to one or more paths (keep-alive).
//! - `sql`: p50/p95 of a hand-written query run directly on the SQLite file or the
//!   PostgreSQL database (the raw engine, no Kopra code in between).
//! - `quality`: precision and recall of `kopra duplicates --json` against the generator's
//!   truth file.

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use serde_json::json;
use std::time::{Duration, Instant};

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Times sequential GET requests.
    Latency {
        #[arg(long)]
        base: String,
        /// A path to request (repeatable).
        #[arg(long = "path", required = true)]
        paths: Vec<String>,
        #[arg(long, default_value_t = 200)]
        requests: usize,
        /// `Cookie` header value (pages).
        #[arg(long)]
        cookie: Option<String>,
        /// Bearer token (API).
        #[arg(long)]
        token: Option<String>,
    },
    /// Times a query run directly on a SQLite database file or a PostgreSQL database.
    Sql {
        /// A SQLite file (opened read-only), or a `postgres://…` URL.
        #[arg(long)]
        db: String,
        #[arg(long)]
        query: String,
        #[arg(long, default_value_t = 200)]
        requests: usize,
    },
    /// Precision and recall of candidate pairs against a truth file.
    Quality {
        /// `kopra duplicates --json` output.
        #[arg(long)]
        pairs: String,
        /// `kopra import --json` output: rows held back as possible duplicates count as found.
        #[arg(long)]
        import: Option<String>,
        /// The generator's duplicates_truth.csv.
        #[arg(long)]
        truth: String,
    },
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn summary(mut times: Vec<Duration>) -> serde_json::Value {
    times.sort();
    json!({
        "n": times.len(),
        "p50_ms": percentile(&times, 0.50),
        "p95_ms": percentile(&times, 0.95),
        "max_ms": percentile(&times, 1.0),
    })
}

async fn latency(base: &str, paths: &[String], n: usize, cookie: Option<&str>, token: Option<&str>) -> Result<()> {
    let client = reqwest::Client::builder().pool_max_idle_per_host(4).build()?;
    let mut out = serde_json::Map::new();
    for path in paths {
        let url = format!("{}{}", base.trim_end_matches('/'), path);
        let mut times = Vec::with_capacity(n);
        let mut errors = 0usize;
        for i in 0..n + 5 {
            let mut req = client.get(&url);
            if let Some(c) = cookie {
                req = req.header("cookie", c);
            }
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            let started = Instant::now();
            let resp = req.send().await;
            let ok = match resp {
                Ok(r) => {
                    let good = r.status().is_success();
                    let _ = r.bytes().await;
                    good
                }
                Err(_) => false,
            };
            // The first few warm the caches and the connection; they are not counted.
            if i >= 5 {
                times.push(started.elapsed());
                if !ok {
                    errors += 1;
                }
            }
        }
        let mut s = summary(times);
        s["errors"] = json!(errors);
        out.insert(path.clone(), s);
    }
    println!("{}", serde_json::Value::Object(out));
    Ok(())
}

async fn sql(db: &str, query: &str, n: usize) -> Result<()> {
    if db.starts_with("postgres://") || db.starts_with("postgresql://") {
        use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
        let options: PgConnectOptions = db.parse().context("the PostgreSQL URL")?;
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .context("connect to PostgreSQL")?;
        time_query(&pool, query, n).await
    } else {
        use sqlx::sqlite::SqliteConnectOptions;
        let options = SqliteConnectOptions::new().filename(db).read_only(true);
        let pool = sqlx::SqlitePool::connect_with(options)
            .await
            .context("open the database")?;
        time_query(&pool, query, n).await
    }
}

/// Runs `query` n + 5 times on one pool (the first five warm the caches and are not counted).
async fn time_query<DB: sqlx::Database>(pool: &sqlx::Pool<DB>, query: &str, n: usize) -> Result<()>
where
    for<'c> &'c sqlx::Pool<DB>: sqlx::Executor<'c, Database = DB>,
    for<'q> <DB as sqlx::Database>::Arguments: sqlx::IntoArguments<DB>,
{
    let mut times = Vec::with_capacity(n);
    let mut rows = 0usize;
    for i in 0..n + 5 {
        let started = Instant::now();
        let r = sqlx::query(sqlx::AssertSqlSafe(query.to_string()))
            .fetch_all(pool)
            .await?;
        if i >= 5 {
            times.push(started.elapsed());
        }
        rows = r.len();
    }
    let mut s = summary(times);
    s["rows"] = json!(rows);
    println!("{s}");
    Ok(())
}

/// A name as the truth file and the pairs compare it: lower case, single spaces.
fn key(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn quality(pairs: &str, import: Option<&str>, truth: &str) -> Result<()> {
    let pairs: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(pairs).context("read the pairs")?).context("pairs JSON")?;
    let mut found: std::collections::HashSet<(String, String)> = pairs["pairs"]
        .as_array()
        .context("no pairs array")?
        .iter()
        .filter_map(|p| {
            let a = key(p["a_name"].as_str()?);
            let b = key(p["b_name"].as_str()?);
            Some(if a <= b { (a, b) } else { (b, a) })
        })
        .collect();
    if let Some(path) = import {
        let report: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).context("read the import report")?)?;
        for row in report["possible_duplicates"].as_array().into_iter().flatten() {
            let a = key(row["name"].as_str().unwrap_or_default());
            for m in row["matches"].as_array().into_iter().flatten() {
                let b = key(m["name"].as_str().unwrap_or_default());
                found.insert(if a <= b { (a.clone(), b) } else { (b, a.clone()) });
            }
        }
    }
    let mut r = csv::Reader::from_path(truth).context("read the truth file")?;
    let headers = r.headers()?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(a), Some(b)) = (col("original_name"), col("duplicate_name")) else {
        bail!("the truth file needs original_name and duplicate_name columns");
    };
    let mut truth = std::collections::HashSet::new();
    for rec in r.records() {
        let rec = rec?;
        let (x, y) = (key(&rec[a]), key(&rec[b]));
        truth.insert(if x <= y { (x, y) } else { (y, x) });
    }
    let hits = truth.intersection(&found).count();
    let recall = if truth.is_empty() {
        0.0
    } else {
        hits as f64 / truth.len() as f64
    };
    let precision = if found.is_empty() {
        0.0
    } else {
        hits as f64 / found.len() as f64
    };
    println!(
        "{}",
        json!({"planted": truth.len(), "found": found.len(), "true_found": hits, "precision": precision, "recall": recall})
    );
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Latency {
            base,
            paths,
            requests,
            cookie,
            token,
        } => latency(&base, &paths, requests, cookie.as_deref(), token.as_deref()).await,
        Command::Sql { db, query, requests } => sql(&db, &query, requests).await,
        Command::Quality { pairs, import, truth } => quality(&pairs, import.as_deref(), &truth),
    }
}
