//! `kopra`: the thin binary. Parses flags, opens the database, and hands over to the
//! library crates.

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use kopra_db::users::NewUser;
use kopra_db::{Actor, Db};
use kopra_domain::{HomeRegion, Role};
use std::io::Read;
use std::path::{Path, PathBuf};

mod import_reports;
mod import_umkm;

#[derive(Parser)]
#[command(
    name = "kopra",
    version,
    about = "Kopra: the cooperative register of a Dinas Koperasi dan UMKM"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct DbArgs {
    /// Where Kopra keeps its data (the SQLite file kopra.db lives here).
    #[arg(long, env = "KOPRA_DATA_DIR", default_value = "./kopra-data", global = true)]
    data_dir: PathBuf,
    /// postgres://… to use PostgreSQL; by default SQLite inside the data dir.
    #[arg(long, env = "KOPRA_DATABASE_URL", global = true)]
    database_url: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web server.
    Serve {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long, env = "KOPRA_ADDR", default_value = "127.0.0.1:8080")]
        addr: String,
        /// The office's home region, chosen at first start: a kab/kota code (32.75), a
        /// province code (32) or ID for the whole country. Default 32.75 (Kota Bekasi).
        #[arg(long, env = "KOPRA_REGION")]
        region: Option<String>,
        /// Load the demo data (Kota Bekasi's cooperatives, ODS 2021) if not loaded yet.
        #[arg(long)]
        demo: bool,
        /// Mark cookies Secure (when Kopra is served over HTTPS).
        #[arg(long, env = "KOPRA_SECURE_COOKIES")]
        secure_cookies: bool,
    },
    /// Apply database migrations and load the region reference.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
        /// The office's home region, chosen at first start (as for `serve`).
        #[arg(long, env = "KOPRA_REGION")]
        region: Option<String>,
    },
    /// Recompute every cooperative's stored status as of today (the server does this at
    /// start and every 6 hours); prints how many changed and how long it took.
    Recompute {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Import a spreadsheet (XLSX, XLS, ODS, CSV) into the register: dry run or commit.
    Import {
        file: PathBuf,
        /// The sheet to read (default: the first with a data table).
        #[arg(long)]
        sheet: Option<String>,
        /// A saved mapping template's name, or a mapping file (JSON: [["header", "field"], …]),
        /// that overrides the detected columns.
        #[arg(long)]
        mapping: Option<String>,
        /// Check and match only; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Commit the valid rows even when some were rejected.
        #[arg(long)]
        accept_valid: bool,
        /// Print one JSON object instead of the summary.
        #[arg(long)]
        json: bool,
        /// Write the file's rows with a status and a message column to this workbook.
        #[arg(long)]
        report: Option<PathBuf>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Import a list of annual reports (RAT): one row per cooperative (by NIK) and book year,
    /// with columns such as NIK, TAHUN BUKU, TGL RAT, ANGGOTA L/P, ASET, VOLUME USAHA, SHU.
    /// A CSV is streamed (any length); a workbook is read whole.
    ImportReports {
        file: PathBuf,
        /// The sheet to read (workbooks; default: the first with a data table).
        #[arg(long)]
        sheet: Option<String>,
        /// Check only; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Keep the valid rows even when some were rejected.
        #[arg(long)]
        accept_valid: bool,
        /// Print one JSON object instead of the summary.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Import a UMKM list: one row per business, with columns such as NAMA USAHA, NIB,
    /// KELURAHAN, KECAMATAN, MODAL, OMZET. A CSV is streamed (millions of rows); a workbook
    /// is read whole. A row whose NIB is on record updates that UMKM.
    ImportUmkm {
        file: PathBuf,
        /// The sheet to read (workbooks; default: the first with a data table).
        #[arg(long)]
        sheet: Option<String>,
        /// Check and match only; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Keep the valid rows even when some were rejected.
        #[arg(long)]
        accept_valid: bool,
        /// Print one JSON object instead of the summary.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Export the register (with filters) to XLSX or CSV.
    Export {
        /// xlsx, csv, or ods (the whole register in the ODS list's own columns)
        #[arg(long, value_parser = ["xlsx", "csv", "ods"])]
        format: String,
        #[arg(long)]
        out: PathBuf,
        /// Search text (name, NIK, legal-entity number).
        #[arg(long)]
        q: Option<String>,
        /// Kemendagri kecamatan code.
        #[arg(long)]
        kecamatan: Option<String>,
        #[arg(long)]
        jenis: Option<String>,
        #[arg(long)]
        status: Option<String>,
        /// Only supervised (true) or only not supervised (false).
        #[arg(long)]
        supervised: Option<bool>,
        /// Include archived cooperatives.
        #[arg(long)]
        include_archived: bool,
        /// Leave out the board's columns (names and the chair's phone: personal data),
        /// which the office's export otherwise includes. The ODS format never has them.
        #[arg(long)]
        without_personal_data: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List candidate duplicate pairs in the register.
    Duplicates {
        #[arg(long, default_value_t = kopra_db::import::DUPLICATE_MIN_SCORE)]
        min_score: u32,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Write synthetic data in the importer's formats (cooperatives in ODS columns, annual
    /// reports, UMKM, 1% planted near-duplicates with a truth file, README.txt). Invented data,
    /// the same bytes for the same scale and seed.
    Gen {
        /// city (Kota Bekasi, 1,000 cooperatives), province (Jawa Barat, 15,000) or national
        /// (130,000 over 514 kab/kota); about 38.5 UMKM per cooperative.
        #[arg(long, value_parser = ["city", "province", "national"])]
        scale: String,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The directory to write (created if missing).
        #[arg(long)]
        out: PathBuf,
    },
    /// Load the demo data.
    Demo {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long, env = "KOPRA_REGION")]
        region: Option<String>,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user. The password is generated and printed unless --password-stdin is given.
    Add {
        name: String,
        #[arg(long, value_parser = ["admin", "petugas", "pengurus"])]
        role: String,
        /// The cooperative a pengurus manages (its id).
        #[arg(long)]
        cooperative: Option<i64>,
        /// Limit a petugas to these kecamatan (comma-separated codes).
        #[arg(long, value_delimiter = ',')]
        kecamatan: Vec<String>,
        /// Read the password from standard input.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        db: DbArgs,
    },
}

/// Opens the database, migrates it, loads regions, and reads the office settings.
async fn open(db: &DbArgs, region: Option<&str>) -> Result<(Db, kopra_db::settings::Office)> {
    if let Some(r) = region
        && HomeRegion::parse(r).is_err()
    {
        bail!("--region {r:?} is not a kab/kota code (32.75), a province code (32) or ID");
    }
    let database = Db::connect(db.database_url.as_deref(), Path::new(&db.data_dir)).await?;
    database.migrate().await.context("migrating the database")?;
    let loaded = database
        .load_regions_if_empty(kopra_db::regions::WILAYAH_CSV)
        .await
        .context("loading regions")?;
    if loaded > 0 {
        eprintln!("loaded {loaded} Kemendagri regions");
    }
    let office = match database.office(region).await {
        Err(kopra_db::DbError::Invalid(_)) => {
            bail!(
                "--region {:?} is not in the Kemendagri region list",
                region.unwrap_or_default()
            )
        }
        other => other.context("reading settings")?,
    };
    if let Some(r) = region
        && office.home.code() != HomeRegion::parse(r).map(|h| h.code().to_string()).unwrap_or_default()
    {
        eprintln!(
            "note: the home region was set to {} at first start; --region {r} is ignored",
            office.home.code()
        );
    }
    Ok((database, office))
}

fn generated_password() -> String {
    kopra_db::sessions::new_secret()[..20].to_string()
}

async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Recompute { db } => {
            let (database, _) = open(&db, None).await?;
            let started = std::time::Instant::now();
            let changed = database.recompute_statuses(kopra_db::status::wib_today()).await?;
            println!(
                "statuses recomputed: {changed} changed in {:.3} s",
                started.elapsed().as_secs_f64()
            );
        }
        Command::Migrate { db, region } => {
            let (database, office) = open(&db, region.as_deref()).await?;
            println!(
                "database ready ({}), home region {}",
                database.engine(),
                office.home.code()
            );
        }
        Command::Import {
            file,
            sheet,
            mapping,
            dry_run,
            accept_valid,
            json,
            report,
            db,
        } => {
            let code = import(file, sheet, mapping, dry_run, accept_valid, json, report, db).await?;
            if code != 0 {
                std::process::exit(code);
            }
        }
        Command::ImportReports {
            file,
            sheet,
            dry_run,
            accept_valid,
            json,
            db,
        } => {
            let (database, _) = open(&db, None).await?;
            let flags = import_reports::Flags {
                sheet,
                dry_run,
                accept_valid,
                json,
            };
            let code = import_reports::run(&database, &file, flags).await?;
            database.close().await;
            if code != 0 {
                std::process::exit(code);
            }
        }
        Command::ImportUmkm {
            file,
            sheet,
            dry_run,
            accept_valid,
            json,
            db,
        } => {
            let (database, office) = open(&db, None).await?;
            let flags = import_reports::Flags {
                sheet,
                dry_run,
                accept_valid,
                json,
            };
            let code = import_umkm::run(&database, &office, &file, flags).await?;
            database.close().await;
            if code != 0 {
                std::process::exit(code);
            }
        }
        Command::Export {
            format,
            out,
            q,
            kecamatan,
            jenis,
            status,
            supervised,
            include_archived,
            without_personal_data,
            db,
        } => {
            let (database, _) = open(&db, None).await?;
            let filter = kopra_db::cooperative_list::CooperativeFilter {
                q,
                kecamatan,
                jenis,
                status,
                supervised,
                archived: if include_archived {
                    kopra_db::cooperative_list::ArchivedFilter::Include
                } else {
                    kopra_db::cooperative_list::ArchivedFilter::Exclude
                },
                ..Default::default()
            };
            let sort = kopra_db::cooperative_list::Sort {
                key: kopra_db::cooperative_list::SortKey::Name,
                descending: false,
            };
            // The CLI runs as the office, which may see personal data.
            let personal = if without_personal_data {
                kopra_db::cooperative_list::PersonalData::Omit
            } else {
                kopra_db::cooperative_list::PersonalData::Include
            };
            let (headers, mut rows) = database
                .export_table(&filter, &kopra_domain::Scope::All, sort, personal)
                .await?;
            let bytes = if format == "ods" {
                rows.clear();
                database
                    .export_ods_csv(&kopra_domain::Scope::All, kopra_db::status::wib_today())
                    .await?
            } else if format == "xlsx" {
                let title = vec![format!("Kopra · {} · {}", kopra_db::now(), rows.len())];
                let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
                kopra_report::xlsx::table_workbook("Koperasi", &title, &headers, &rows)
                    .context("writing the workbook")?
            } else {
                let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
                w.write_record(&headers)?;
                for r in &rows {
                    w.write_record(r)?;
                }
                w.into_inner().context("writing the CSV")?
            };
            let bytes_lines = if format == "ods" {
                bytes.iter().filter(|b| **b == b'\n').count()
            } else {
                0
            };
            std::fs::write(&out, bytes).with_context(|| format!("cannot write {}", out.display()))?;
            database
                .audit(
                    &Actor {
                        user_id: None,
                        name: "cli".into(),
                        ip: None,
                    },
                    kopra_db::audit::AuditEntry {
                        action: &format!("export.{format}"),
                        entity_type: "cooperative",
                        entity_id: None,
                        before: None,
                        after: Some(serde_json::json!({
                            "rows": rows.len(),
                            "file": out.display().to_string(),
                            "personal_data": format != "ods" && !without_personal_data,
                        })),
                    },
                )
                .await?;
            let written = if format == "ods" {
                bytes_lines.saturating_sub(1)
            } else {
                rows.len()
            };
            println!("{written} cooperatives written to {}", out.display());
        }
        Command::Duplicates { min_score, json, db } => {
            let (database, _) = open(&db, None).await?;
            let pairs = database.duplicate_pairs(min_score).await?;
            if json {
                println!("{}", serde_json::json!({"pairs": pairs}));
            } else {
                for p in &pairs {
                    println!(
                        "{:>3}  #{} {}  ~  #{} {}  ({})",
                        p.score,
                        p.a_id,
                        p.a_name,
                        p.b_id,
                        p.b_name,
                        p.evidence.join(", ")
                    );
                }
                println!("{} candidate pairs", pairs.len());
            }
        }
        Command::Gen { scale, seed, out } => generate(&scale, seed, &out)?,
        Command::Demo { db, region } => {
            let (database, office) = open(&db, region.as_deref()).await?;
            let r = database.load_demo(&office).await?;
            print_demo(&r);
        }
        Command::User {
            command:
                UserCommand::Add {
                    name,
                    role,
                    cooperative,
                    kecamatan,
                    password_stdin,
                    db,
                },
        } => {
            let (database, _) = open(&db, None).await?;
            let password = if password_stdin {
                let mut s = String::new();
                std::io::stdin()
                    .read_to_string(&mut s)
                    .context("reading the password from stdin")?;
                s.trim_end_matches(['\n', '\r']).to_string()
            } else {
                generated_password()
            };
            let role = Role::parse(&role).context("unknown role")?;
            let new = NewUser {
                username: name.clone(),
                password: password.clone(),
                role,
                cooperative_id: cooperative,
                kecamatan,
            };
            match database
                .create_user(
                    &new,
                    &Actor {
                        user_id: None,
                        name: "cli".into(),
                        ip: None,
                    },
                )
                .await
            {
                Ok(u) => {
                    println!("user {} ({}) created", u.username, u.role);
                    if !password_stdin {
                        println!("password: {password}");
                    }
                }
                Err(kopra_db::DbError::Invalid(e) | kopra_db::DbError::Duplicate(e)) => {
                    let fields: Vec<String> = e.iter().map(|(f, c)| format!("{f}: {}", c.code())).collect();
                    bail!("user not created: {}", fields.join(", "));
                }
                Err(e) => return Err(e.into()),
            }
        }
        Command::Serve {
            db,
            addr,
            region,
            demo,
            secure_cookies,
        } => {
            let listener = tokio::net::TcpListener::bind(&addr)
                .await
                .with_context(|| format!("cannot listen on {addr}"))?;
            let (database, office) = open(&db, region.as_deref()).await?;
            if database.user_count().await? == 0 {
                let password = generated_password();
                let new = NewUser {
                    username: "admin".into(),
                    password: password.clone(),
                    role: Role::Admin,
                    cooperative_id: None,
                    kecamatan: vec![],
                };
                match database.create_user(&new, &Actor::system()).await {
                    Ok(_) => {
                        println!("created the first user: admin / {password}  (shown once; change it after logging in)")
                    }
                    // Another server starting at the same moment created it first.
                    Err(kopra_db::DbError::Duplicate(_)) => {}
                    Err(e) => return Err(e.into()),
                }
            }
            if demo {
                let r = database.load_demo(&office).await?;
                print_demo(&r);
            }
            // The status recompute runs once across all servers sharing the database
            // (kopra_db::jobs): at start unless another server ran it in the last minutes,
            // then whenever it is 6 hours old or the date (WIB) has changed since, checked
            // every 10 minutes. It runs beside the server, which answers at once: until it
            // has run for today, lists show the statuses stored last time and the activation
            // figure is computed from the evidence (correct, only slower).
            let server = server_name(listener.local_addr()?);
            if demo {
                // The demo was just written: its statuses are there before the first page.
                report_job(
                    "start",
                    database
                        .recompute_statuses_job(&server, START_MIN_INTERVAL, kopra_db::status::wib_today())
                        .await?,
                );
            }
            let periodic = database.clone();
            tokio::spawn(async move {
                if !demo {
                    match periodic
                        .recompute_statuses_job(&server, START_MIN_INTERVAL, kopra_db::status::wib_today())
                        .await
                    {
                        Ok(outcome) => report_job("start", outcome),
                        Err(e) => tracing::error!(error = %e, "status recompute failed"),
                    }
                }
                let mut every = tokio::time::interval(JOB_CHECK_EVERY);
                every.tick().await;
                loop {
                    every.tick().await;
                    let today = kopra_db::status::wib_today();
                    // Statuses change with the date alone (a RAT leaves the window).
                    let due = match periodic.statuses_as_of().await {
                        Ok(Some(d)) if d == today.to_string() => RECOMPUTE_EVERY,
                        _ => time::Duration::ZERO,
                    };
                    match periodic.recompute_statuses_job(&server, due, today).await {
                        Ok(outcome) => report_job("periodic", outcome),
                        Err(e) => tracing::error!(error = %e, "status recompute failed"),
                    }
                }
            });
            let state = kopra_web::AppState {
                db: database,
                office,
                secure_cookies,
                regions: Default::default(),
            };
            let app = kopra_web::router(state);
            let local = listener.local_addr()?;
            println!("Kopra is running: open http://{local}/");
            axum_serve(listener, app).await?;
        }
    }
    Ok(())
}

/// At start, a server skips the status recompute when another ran it this recently.
const START_MIN_INTERVAL: time::Duration = time::Duration::minutes(10);
/// The status recompute runs when its last run is this old…
const RECOMPUTE_EVERY: time::Duration = time::Duration::hours(6);
/// …which each server checks this often (a claim is one UPDATE).
const JOB_CHECK_EVERY: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// Who runs a job, as recorded in `job_runs`: host name, port and process id.
fn server_name(addr: std::net::SocketAddr) -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| addr.ip().to_string());
    format!("{host}:{} pid {}", addr.port(), std::process::id())
}

fn report_job(when: &str, outcome: kopra_db::jobs::JobOutcome) {
    use kopra_db::jobs::{JobOutcome, Skip};
    match outcome {
        JobOutcome::Ran { changed } => eprintln!("status recompute ({when}): ran here, {changed} changed"),
        JobOutcome::Skipped(Skip::Running { by, .. }) => {
            eprintln!("status recompute ({when}): skipped, running on another server ({by})")
        }
        JobOutcome::Skipped(Skip::NotDue { last_run_at }) => {
            if when == "start" {
                eprintln!("status recompute ({when}): skipped, already ran at {last_run_at}")
            } else {
                tracing::debug!(%last_run_at, "status recompute not due")
            }
        }
    }
}

async fn axum_serve(listener: tokio::net::TcpListener, app: axum::Router) -> Result<()> {
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}

/// `kopra import`: prints the summary or the JSON object; returns the exit code.
#[allow(clippy::too_many_arguments)]
async fn import(
    file: PathBuf,
    sheet: Option<String>,
    mapping: Option<String>,
    dry_run: bool,
    accept_valid: bool,
    as_json: bool,
    report: Option<PathBuf>,
    db: DbArgs,
) -> Result<i32> {
    use kopra_db::import::{ImportOptions, RowAction};
    let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
    let (database, office) = open(&db, None).await?;
    let saved_mapping = match mapping {
        Some(m) if std::path::Path::new(&m).is_file() => {
            let text = std::fs::read_to_string(&m).with_context(|| format!("cannot read {m}"))?;
            serde_json::from_str(&text)
                .with_context(|| format!("{m} is not a mapping ([[\"header\", \"field\"], …])"))?
        }
        Some(name) => database
            .mapping_template(&name)
            .await
            .with_context(|| format!("no mapping file or saved template named {name:?}"))?,
        None => vec![],
    };
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let today = kopra_db::status::wib_today();
    let started = std::time::Instant::now();
    // A live bar on a terminal (hidden when stderr is not one, and with --json).
    let bar = if as_json {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new_spinner()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg:10} {pos}/{len} baris ({rate}) {wide_bar}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner())
            .with_key(
                "rate",
                |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0} baris/detik", state.per_sec());
                },
            ),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let progress = {
        let bar = bar.clone();
        kopra_db::import::Progress(std::sync::Arc::new(move |phase: &str, done: u64, total: u64| {
            let label = match phase {
                "read" => "membaca",
                "check" => "memeriksa",
                _ => "menyimpan",
            };
            if bar.message() != label {
                bar.set_message(label);
                bar.reset();
            }
            bar.set_length(total);
            bar.set_position(done);
        }))
    };
    let plan = database
        .plan_import(
            &bytes,
            &name,
            &office,
            &ImportOptions {
                sheet,
                saved_mapping,
                progress: Some(progress.clone()),
                ..Default::default()
            },
            today,
        )
        .await?;
    let errors = plan.count(RowAction::Rejected);
    let commit = !dry_run && (errors == 0 || accept_valid);
    let batch = if commit {
        let actor = Actor {
            user_id: None,
            name: "cli".into(),
            ip: None,
        };
        Some(
            database
                .commit_import_with_progress(&plan, &office, &actor, Some(&progress))
                .await?,
        )
    } else {
        None
    };
    bar.finish_and_clear();
    let tr = kopra_web::i18n::Tr::new(kopra_web::i18n::Lang::Id);
    if let Some(path) = &report {
        let label = |a: RowAction| {
            tr.key(&format!(
                "import.action.{}",
                serde_json::to_value(a)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default()
            ))
        };
        let message = |code: &str| tr.key(&format!("import.{code}"));
        let bytes = plan.report_xlsx(&label, &message)?;
        std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let row_errors: Vec<serde_json::Value> = plan
        .rows
        .iter()
        .flat_map(|r| r.messages.iter().filter(|m| m.2 == "error").map(move |m| (r.line, m)))
        .map(|(line, (column, value, _, code))| serde_json::json!({"row": line, "column": column, "value": value, "message": tr.key(&format!("import.{code}"))}))
        .collect();
    let possible_duplicates: Vec<serde_json::Value> = plan
        .rows
        .iter()
        .filter(|r| r.action == RowAction::HeldBack)
        .map(|r| serde_json::json!({"row": r.line, "name": r.name, "matches": r.matches.iter().map(|m| serde_json::json!({"id": m.id, "row": m.row, "name": m.name, "score": m.score})).collect::<Vec<_>>()}))
        .collect();
    let out = serde_json::json!({
        "rows": plan.rows.len(),
        "created": plan.count(RowAction::Create),
        "updated": plan.count(RowAction::Update),
        "unchanged": plan.count(RowAction::Unchanged),
        "errors": errors,
        "duplicates": plan.count(RowAction::HeldBack),
        "flagged": plan.flagged(),
        "reports": plan.reports(),
        "committed": batch.is_some(),
        "row_errors": row_errors,
        "possible_duplicates": possible_duplicates,
        "updated_rows": plan.rows.iter().filter(|r| r.action == RowAction::Update).map(|r| serde_json::json!({"row": r.line, "id": r.cooperative_id, "changes": r.changes})).collect::<Vec<_>>(),
    });
    if as_json {
        println!("{out}");
    } else {
        let secs = started.elapsed().as_secs_f64().max(0.001);
        println!(
            "{}: sheet {:?}, {} rows read ({:.0} rows/s)",
            name,
            plan.sheet,
            plan.rows.len(),
            plan.rows.len() as f64 / secs
        );
        println!(
            "  new {}, updated {}, unchanged {}, rejected {}, held back as possible duplicates {}, created but flagged {}",
            out["created"], out["updated"], out["unchanged"], errors, out["duplicates"], out["flagged"]
        );
        println!("  annual reports from the last RAT date: {}", out["reports"]);
        for e in out["row_errors"].as_array().into_iter().flatten().take(50) {
            println!(
                "  row {}, column {}: {} ({})",
                e["row"], e["column"], e["message"], e["value"]
            );
        }
        match batch {
            Some(id) => println!("committed as import batch #{id}"),
            None if dry_run => println!("dry run: nothing was written"),
            None => {
                println!("nothing was written: fix the rejected rows, or add --accept-valid to commit the valid ones")
            }
        }
    }
    Ok(if errors > 0 { 2 } else { 0 })
}

/// `kopra gen`: the generators stream into files, cooperatives and UMKM on two threads.
fn generate(scale: &str, seed: u64, out: &Path) -> Result<()> {
    use std::fs::File;
    use std::io::BufWriter;
    let scale = kopra_gen::Scale::parse(scale).context("--scale must be city, province or national")?;
    let config = kopra_gen::Config::new(scale, seed);
    let reference = kopra_gen::Reference::embedded()?;
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let open = |name: &str| -> Result<BufWriter<File>> {
        let path = out.join(name);
        let file = File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(BufWriter::with_capacity(1 << 20, file))
    };
    let (cooperatives, reports, truth, umkm) = (
        open("cooperatives.csv")?,
        open("annual_reports.csv")?,
        open("duplicates_truth.csv")?,
        open("umkm.csv")?,
    );
    let started = std::time::Instant::now();
    let (summary, umkm_rows) = std::thread::scope(|s| {
        let umkm = s.spawn(|| kopra_gen::write::write_umkm(&reference, config, umkm));
        let summary = kopra_gen::write::write_cooperatives(&reference, config, cooperatives, reports, truth);
        let umkm = umkm.join().map_err(|_| anyhow::anyhow!("the UMKM writer panicked"))?;
        anyhow::Ok((summary?, umkm?))
    })?;
    let summary = kopra_gen::write::Summary {
        umkm: umkm_rows,
        ..summary
    };
    std::fs::write(out.join("README.txt"), kopra_gen::write::readme(config, &summary))
        .with_context(|| format!("cannot write {}", out.join("README.txt").display()))?;
    println!(
        "synthetic {} data (seed {seed}) in {}: {} cooperatives + {} planted duplicates, {} annual reports, {} UMKM ({:.1} s)",
        scale.as_str(),
        out.display(),
        summary.cooperatives,
        summary.duplicates,
        summary.reports,
        summary.umkm,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn print_demo(r: &kopra_db::demo::DemoReport) {
    if r.already_loaded {
        println!("demo data already loaded");
    } else {
        println!(
            "demo data: {} cooperatives loaded, {} rejected, {} warnings; {} annual reports from ODS",
            r.loaded, r.rejected, r.warnings, r.ods_reports
        );
    }
    if !r.umkm.already_loaded && r.umkm.umkm > 0 {
        println!(
            "synthetic demo UMKM (labelled as such): {} businesses, {} coalitions with {} transactions",
            r.umkm.umkm, r.umkm.coalitions, r.umkm.transactions
        );
    }
}

/// mimalloc instead of the system allocator: the server allocates on many threads (tokio's
/// and one per database connection), where glibc's malloc spent about a tenth of the list
/// page's time (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KOPRA_LOG")
                .unwrap_or_else(|_| "kopra=info,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    if let Err(e) = run(cli).await {
        let chain: Vec<String> = e.chain().map(|c| c.to_string()).collect();
        eprintln!("kopra: {}", chain.join(": "));
        std::process::exit(1);
    }
}
