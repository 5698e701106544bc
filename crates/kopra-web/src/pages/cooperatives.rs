//! Pages of the register: list (with CSV export), detail with history, create, edit,
//! archive and restore.

use crate::AppState;
use crate::auth::PageUser;
use crate::error::{AppError, PageError};
use crate::i18n::Tr;
use crate::pages::{Nav, Opt, query_string, render};
use crate::region_cache::{RegionList, RegionOptions};
use crate::register::{
    ListParams, check_kecamatan, check_scope, export_personal_data, keep_board, mask_changes, may_see_board, today,
};
use askama::Template;
use axum::Form;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use kopra_db::cooperatives::CooperativeRecord;
use kopra_domain::value_sets::{Bentuk, Jenis, Kelompok, Sektor};
use kopra_domain::{AmendmentInput, CooperativeInput, FieldErrors, HomeRegion, Permission};
use serde::Deserialize;
use std::sync::Arc;

pub struct Select {
    name: &'static str,
    label: &'static str,
    options: Vec<Opt>,
    /// A region select: the "all" option (`options`), then these, written once per process.
    regions: Option<RegionOptions>,
}

#[derive(Template)]
#[template(path = "cooperatives/list.html")]
struct ListPage {
    t: Tr,
    nav: Option<Nav>,
    q: String,
    selects: Vec<Select>,
    items: Vec<CooperativeRecord>,
    total_text: String,
    page_text: String,
    query: String,
    prev_query: Option<String>,
    next_query: Option<String>,
}

/// A value set whose values are their own labels.
fn pairs(v: &'static [&'static str]) -> impl Iterator<Item = (&'static str, &'static str)> {
    v.iter().map(|s| (*s, *s))
}

fn params_pairs(p: &ListParams, page: Option<i64>) -> Vec<(&'static str, String)> {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    vec![
        ("q", s(&p.q)),
        ("provinsi", s(&p.provinsi)),
        ("kabkota", s(&p.kabkota)),
        ("kecamatan", s(&p.kecamatan)),
        ("kelurahan", s(&p.kelurahan)),
        ("bentuk", s(&p.bentuk)),
        ("jenis", s(&p.jenis)),
        ("kelompok", s(&p.kelompok)),
        ("sektor", s(&p.sektor)),
        ("supervised", s(&p.supervised)),
        ("archived", s(&p.archived)),
        ("status", s(&p.status)),
        ("sort", s(&p.sort)),
        ("dir", s(&p.dir)),
        ("page", page.map(|n| n.to_string()).unwrap_or_default()),
    ]
}

/// The kab/kota that contains a kecamatan code (`32.75.04` → `32.75`).
fn kabkota_of(kecamatan: &str) -> Option<&str> {
    kecamatan.rsplit_once('.').map(|(k, _)| k).filter(|k| k.contains('.'))
}

/// The place filters of a province or national office: the kab/kota first (for the
/// ministry, the province before it), and a kecamatan of the chosen kab/kota (all of a
/// province's or Indonesia's kecamatan would be thousands of options on every request, and
/// Indonesia's 514 kab/kota hundreds). A chosen kecamatan implies its kab/kota, a kab/kota
/// its province; a place left over from another kab/kota or province (the larger one was
/// changed) is dropped, with the places inside it.
fn imply_places(p: &mut ListParams, national: bool) {
    let chosen = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(String::from);
    if national
        && let Some(kab) =
            chosen(&p.kabkota).or_else(|| chosen(&p.kecamatan).and_then(|k| kabkota_of(&k).map(String::from)))
    {
        let implied = kab.split_once('.').map(|(prov, _)| prov.to_string());
        match chosen(&p.provinsi) {
            Some(prov) if Some(&prov) != implied.as_ref() => {
                p.kabkota = None;
                p.kecamatan = None;
                p.kelurahan = None;
            }
            _ => p.provinsi = implied,
        }
    }
    let Some(kec) = chosen(&p.kecamatan) else {
        return;
    };
    let implied = kabkota_of(&kec).map(String::from);
    match chosen(&p.kabkota) {
        Some(kab) if Some(&kab) != implied.as_ref() => {
            p.kecamatan = None;
            p.kelurahan = None;
        }
        _ => p.kabkota = implied,
    }
}

/// One step of the place selects: `list` offered as a select, and the regions inside the
/// chosen one (the next step's list), if one of the list is chosen.
async fn region_step(
    state: &AppState,
    places: &mut Vec<Select>,
    name: &'static str,
    label: &'static str,
    all: &'static str,
    list: &Arc<RegionList>,
    current: Option<&str>,
) -> Result<Option<Arc<RegionList>>, kopra_db::DbError> {
    places.push(region_select(name, label, all, list, current));
    match current.map(str::trim).filter(|c| list.contains(c)) {
        Some(chosen) => Ok(Some(state.regions.children(&state.db, chosen).await?)),
        None => Ok(None),
    }
}

/// A region select: "all" (chosen when no region of the list is), then the list's options.
fn region_select(
    name: &'static str,
    label: &'static str,
    all: &'static str,
    list: &Arc<RegionList>,
    current: Option<&str>,
) -> Select {
    let regions = list.options(current);
    Select {
        name,
        label,
        options: vec![Opt {
            value: "".into(),
            label: all.into(),
            selected: !regions.chosen(),
        }],
        regions: Some(regions),
    }
}

pub async fn list_page(
    State(state): State<AppState>,
    user: PageUser,
    Query(mut p): Query<ListParams>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewRegister)?;
    let t = Tr::new(user.ctx.lang);
    let by_kabkota = !matches!(state.office.home, HomeRegion::KabKota(_));
    let national = matches!(state.office.home, HomeRegion::National);
    if by_kabkota {
        imply_places(&mut p, national);
    }
    let req = p.parse(50).map_err(|e| user.fail(e))?;
    let page = state
        .db
        .list_cooperatives(&req.filter, &user.user.scope(), req.sort, req.page, req.per_page)
        .await
        .map_err(|e| user.fail(e))?;
    let all = t.get("list.all");
    let home = &state.office.home;
    let fail = |e: kopra_db::DbError| user.fail(e);
    // The place selects: [[province,] kab/kota,] kecamatan, then the chosen kecamatan's
    // kelurahan.
    let mut places = Vec::new();
    let kabkota = if national {
        let provinces = state.regions.provinces(&state.db).await.map_err(fail)?;
        let provinsi = t.get("field.provinsi");
        region_step(
            &state,
            &mut places,
            "provinsi",
            provinsi,
            all,
            &provinces,
            p.provinsi.as_deref(),
        )
        .await
        .map_err(fail)?
    } else if by_kabkota {
        Some(state.regions.kabkota_in(&state.db, home).await.map_err(fail)?)
    } else {
        None
    };
    let kecamatan = match kabkota {
        Some(kabkota) => {
            let label = t.get("field.kabkota_code");
            region_step(
                &state,
                &mut places,
                "kabkota",
                label,
                all,
                &kabkota,
                p.kabkota.as_deref(),
            )
            .await
            .map_err(fail)?
        }
        None if by_kabkota => None,
        None => Some(state.regions.kecamatan_in(&state.db, home).await.map_err(fail)?),
    };
    if let Some(kecamatan) = kecamatan {
        places.push(region_select(
            "kecamatan",
            t.get("field.kecamatan_code"),
            all,
            &kecamatan,
            p.kecamatan.as_deref(),
        ));
        // The kelurahan of the chosen kecamatan (all of them would be too many for a province).
        if let Some(kec) = p.kecamatan.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            let kelurahan = state.regions.children(&state.db, kec).await.map_err(fail)?;
            places.push(region_select(
                "kelurahan",
                t.get("field.kelurahan_code"),
                all,
                &kelurahan,
                p.kelurahan.as_deref(),
            ));
        }
    }
    // The fixed selects borrow their values and the catalogue's labels: no text is copied.
    let sel = |name: &'static str,
               label: &'static str,
               choose: &'static str,
               values: &mut dyn Iterator<Item = (&'static str, &'static str)>,
               current: &Option<String>| Select {
        name,
        label: t.get(label),
        options: Opt::fixed(choose, values, current.as_deref()),
        regions: None,
    };
    let mut selects = places;
    selects.extend([
        sel("bentuk", "field.bentuk", all, &mut pairs(&Bentuk::ALL), &p.bentuk),
        sel("jenis", "field.jenis", all, &mut pairs(&Jenis::ALL), &p.jenis),
        sel(
            "kelompok",
            "field.kelompok",
            all,
            &mut pairs(&Kelompok::ALL),
            &p.kelompok,
        ),
        sel("sektor", "field.sektor", all, &mut pairs(&Sektor::ALL), &p.sektor),
        sel(
            "status",
            "status.title",
            all,
            &mut kopra_domain::status::Status::ALL
                .iter()
                .map(|s| (s.as_str(), t.get(crate::status_text::status_key(*s)))),
            &p.status,
        ),
        sel(
            "supervised",
            "field.supervised",
            all,
            &mut [("true", t.get("list.yes")), ("false", t.get("list.no"))].into_iter(),
            &p.supervised,
        ),
        sel(
            "archived",
            "field.archived",
            t.get("list.archived_exclude"),
            &mut [
                ("true", t.get("list.archived_only")),
                ("all", t.get("list.archived_include")),
            ]
            .into_iter(),
            &p.archived,
        ),
        sel(
            "dir",
            "list.direction",
            t.get("list.ascending"),
            &mut [("desc", t.get("list.descending"))].into_iter(),
            &p.dir,
        ),
        sel(
            "sort",
            "list.sort",
            t.get("sort.name"),
            &mut [
                ("name", "sort.name"),
                ("nik", "sort.nik"),
                ("kecamatan", "sort.kecamatan"),
                ("legal_entity_date", "sort.legal_entity_date"),
                ("updated_at", "sort.updated_at"),
                ("last_rat", "sort.last_rat"),
            ]
            .into_iter()
            .map(|(v, k)| (v, t.get(k))),
            &p.sort,
        ),
    ]);
    let pages = ((page.total + page.per_page - 1) / page.per_page).max(1);
    let prev_query = (page.page > 1).then(|| query_string(&params_pairs(&p, Some(page.page - 1))));
    let next_query = (page.page < pages).then(|| query_string(&params_pairs(&p, Some(page.page + 1))));
    let view = ListPage {
        t,
        nav: Nav::of(&user.user),
        q: p.q.clone().unwrap_or_default(),
        selects,
        total_text: t.fill("list.total", &[("n", &page.total.to_string())]),
        page_text: t.fill(
            "list.page",
            &[("page", &page.page.to_string()), ("pages", &pages.to_string())],
        ),
        items: page.items,
        query: query_string(&params_pairs(&p, None)),
        prev_query,
        next_query,
    };
    Ok(render(&view))
}

/// The current list as CSV (UTF-8 with BOM, so Excel opens it right), streamed page by page.
pub async fn export_csv(
    State(state): State<AppState>,
    user: PageUser,
    Query(p): Query<ListParams>,
) -> Result<Response, PageError> {
    user.require(Permission::ExportRegister)?;
    let req = p.parse(500).map_err(|e| user.fail(e))?;
    let scope = user.user.scope();
    let personal = export_personal_data(&user.user);
    state
        .db
        .audit(
            &user.actor(),
            kopra_db::audit::AuditEntry {
                action: "export.csv",
                entity_type: "cooperative",
                entity_id: None,
                before: None,
                after: Some(serde_json::json!({
                    "filters": query_string(&params_pairs(&p, None)),
                    "personal_data": personal == kopra_db::cooperative_list::PersonalData::Include,
                })),
            },
        )
        .await
        .map_err(|e| user.fail(e))?;
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let db = state.db.clone();
    tokio::spawn(async move {
        let header = format!(
            "\u{feff}{}\n",
            kopra_db::cooperative_list::export_headers(personal).join(",")
        );
        if tx.send(Ok(header.as_bytes().to_vec())).await.is_err() {
            return;
        }
        let mut page_no = 1;
        loop {
            let page = match db.list_cooperatives(&req.filter, &scope, req.sort, page_no, 500).await {
                Ok(p) => p,
                Err(e) => {
                    let _ = tx.send(Err(std::io::Error::other(e.to_string()))).await;
                    return;
                }
            };
            let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
            for c in &page.items {
                let _ = w.write_record(kopra_db::cooperative_list::export_row(c, personal));
            }
            let bytes = w.into_inner().unwrap_or_default();
            if tx.send(Ok(bytes)).await.is_err() {
                return;
            }
            if page_no * 500 >= page.total {
                return;
            }
            page_no += 1;
        }
    });
    let stream = ChunkStream(rx);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"koperasi.csv\""),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

/// The current list as an Excel workbook, with its filters and the export time written
/// above the table. Audited like every export.
pub async fn export_xlsx(
    State(state): State<AppState>,
    user: PageUser,
    Query(p): Query<ListParams>,
) -> Result<Response, PageError> {
    user.require(Permission::ExportRegister)?;
    let t = Tr::new(user.ctx.lang);
    let req = p.parse(500).map_err(|e| user.fail(e))?;
    let personal = export_personal_data(&user.user);
    let (headers, rows) = state
        .db
        .export_table(&req.filter, &user.user.scope(), req.sort, personal)
        .await
        .map_err(|e| user.fail(e))?;
    let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
    let filters = query_string(&params_pairs(&p, None));
    let title = vec![
        format!(
            "{}: {}",
            t.key("export.filters"),
            if filters.is_empty() {
                "-".to_string()
            } else {
                filters.clone()
            }
        ),
        format!(
            "{}: {} · {}",
            t.key("export.at"),
            format_time(kopra_db::now()),
            user.user.username
        ),
    ];
    let bytes = kopra_report::xlsx::table_workbook("Koperasi", &title, &headers, &rows)
        .map_err(|e| user.fail(AppError::Internal(e.to_string())))?;
    state
        .db
        .audit(
            &user.actor(),
            kopra_db::audit::AuditEntry {
                action: "export.xlsx",
                entity_type: "cooperative",
                entity_id: None,
                before: None,
                after: Some(serde_json::json!({
                    "filters": filters,
                    "rows": rows.len(),
                    "personal_data": personal == kopra_db::cooperative_list::PersonalData::Include,
                })),
            },
        )
        .await
        .map_err(|e| user.fail(e))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"koperasi.xlsx\""),
        ],
        bytes,
    )
        .into_response())
}

/// The whole register (within the user's scope) in the ODS list's own columns. Audited.
pub async fn export_ods(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    user.require(Permission::ExportRegister)?;
    let bytes = state
        .db
        .export_ods_csv(&user.user.scope(), today())
        .await
        .map_err(|e| user.fail(e))?;
    state
        .db
        .audit(
            &user.actor(),
            kopra_db::audit::AuditEntry {
                action: "export.ods",
                entity_type: "cooperative",
                entity_id: None,
                before: None,
                after: None,
            },
        )
        .await
        .map_err(|e| user.fail(e))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"koperasi-ods.csv\""),
        ],
        bytes,
    )
        .into_response())
}

/// The export's chunks as a body stream.
struct ChunkStream(tokio::sync::mpsc::Receiver<Result<Vec<u8>, std::io::Error>>);

impl futures_core::Stream for ChunkStream {
    type Item = Result<Vec<u8>, std::io::Error>;
    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.0.poll_recv(cx)
    }
}

struct HistoryView {
    sort_key: time::OffsetDateTime,
    version: i64,
    action: String,
    at: String,
    actor: String,
    reason: Option<String>,
    changes: Vec<ChangeView>,
}

struct ChangeView {
    label: String,
    from: String,
    to: String,
}

#[derive(Template)]
#[template(path = "cooperatives/detail.html")]
struct DetailPage {
    t: Tr,
    nav: Option<Nav>,
    c: CooperativeRecord,
    rows: Vec<(String, String)>,
    /// The board (personal data), for those who may see it.
    board: Option<Vec<(String, String)>>,
    history: Vec<HistoryView>,
    can_edit: bool,
    can_archive: bool,
    can_propose: bool,
    can_review: bool,
    proposals: Vec<ProposalView>,
    notice: Option<String>,
    status_label: String,
    status_key: &'static str,
    explanation: String,
    timeline: Vec<(String, String)>,
    certificate: &'static str,
    reports: Vec<ReportView>,
    can_edit_reports: bool,
    can_propose_reports: bool,
    legal_states: Vec<String>,
    legal_options: Vec<Opt>,
    health: Option<HealthView>,
    can_assess: bool,
    can_match: bool,
    /// The coalitions it anchors: (id, name, volume, savings) in words.
    coalitions: Vec<(i64, String, String, String)>,
    /// The cooperative's last visits and trainings, for those who may see them.
    coaching: Option<Vec<super::coaching::VisitRow>>,
    can_plan_visit: bool,
}

struct HealthView {
    book_year: i32,
    total: String,
    category: String,
    category_key: String,
    aspects: Vec<(String, String, String)>,
    by: String,
}

struct ReportView {
    id: i64,
    review: String,
    proposed: bool,
    attachments: Vec<(i64, String)>,
    book_year: i32,
    rat_date: String,
    reported_date: String,
    members: String,
    assets: String,
    shu: String,
    notes: String,
}

/// `1500000` → `1.500.000`.
fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    if n < 0 { format!("-{out}") } else { out }
}

struct ProposalView {
    id: i64,
    pending: bool,
    status_text: String,
    at: String,
    by: String,
    note: Option<String>,
    decision: Option<String>,
    changes: Vec<ChangeView>,
}

fn change_views(t: &Tr, changes: Vec<kopra_domain::FieldChange>) -> Vec<ChangeView> {
    changes
        .into_iter()
        .map(|ch| ChangeView {
            label: t.key(&format!("field.{}", ch.field)),
            from: ch.from.unwrap_or_else(|| t.key("detail.empty")),
            to: ch.to.unwrap_or_else(|| t.key("detail.empty")),
        })
        .collect()
}

pub(super) async fn load(state: &AppState, user: &PageUser, id: i64) -> Result<CooperativeRecord, PageError> {
    user.require(Permission::ViewCooperative)?;
    let c = state.db.cooperative(id).await.map_err(|e| user.fail(e))?;
    check_scope(&user.user, &c).map_err(|e| user.fail(e))?;
    Ok(c)
}

pub(super) async fn detail(
    state: &AppState,
    user: &PageUser,
    c: CooperativeRecord,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let t = Tr::new(user.ctx.lang);
    let masked = t.key("detail.personal_data");
    let history = state
        .db
        .cooperative_history(c.id)
        .await
        .map_err(|e| user.fail(e))?
        .into_iter()
        .map(|h| HistoryView {
            version: h.version,
            action: t.key(&format!("action.{}", h.action)),
            at: format_time(h.at),
            actor: h.actor_name,
            reason: h.reason,
            changes: change_views(&t, mask_changes(&user.user, c.id, h.changes, &masked)),
            sort_key: h.at,
        })
        .collect::<Vec<_>>();
    // Annual reports keep their own versions; they belong on the same timeline.
    let mut history = history;
    for r in state.db.annual_reports(c.id).await.map_err(|e| user.fail(e))? {
        for v in state.db.annual_report_history(r.id).await.map_err(|e| user.fail(e))? {
            history.push(HistoryView {
                version: v.version,
                action: t.fill(
                    &format!("action.report_{}", v.action),
                    &[("year", &r.report.book_year.to_string())],
                ),
                at: format_time(v.at),
                actor: v.actor_name,
                reason: None,
                changes: change_views(&t, v.changes),
                sort_key: v.at,
            });
        }
    }
    history.sort_by_key(|h| std::cmp::Reverse(h.sort_key));
    let proposals = state
        .db
        .proposals_of(c.id)
        .await
        .map_err(|e| user.fail(e))?
        .into_iter()
        .map(|p| ProposalView {
            id: p.id,
            pending: p.status == "pending",
            status_text: t.key(&format!("proposal.status.{}", p.status)),
            at: format_time(p.proposed_at),
            by: p.proposed_by_name,
            note: p.note,
            decision: p.decided_by_name.map(|who| {
                format!(
                    "{} {who}{}",
                    t.key(&format!("proposal.status.{}", p.status)),
                    p.decision_note.map(|n| format!(": {n}")).unwrap_or_default()
                )
            }),
            changes: change_views(&t, mask_changes(&user.user, c.id, p.changes, &masked)),
        })
        .collect();
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut board = Vec::new();
    for (field, value) in c.fields.display_fields() {
        if kopra_domain::cooperative::is_personal_field(field) {
            board.push((
                t.key(&format!("field.{field}")),
                value.unwrap_or_else(|| t.key("detail.empty")),
            ));
            continue;
        }
        let value = match field {
            "kecamatan_code" => c
                .kecamatan_name
                .as_ref()
                .map(|n| format!("{n} ({})", c.fields.kecamatan_code)),
            "kelurahan_code" => c
                .fields
                .kelurahan_code
                .as_ref()
                .map(|k| format!("{} ({k})", c.kelurahan_name.clone().unwrap_or_default())),
            "loop" => value.map(|v| t.key(&format!("loop.{v}"))),
            _ => value,
        };
        if let Some(v) = value {
            rows.push((t.key(&format!("field.{field}")), v));
        }
    }
    rows.push((
        t.key("field.supervised"),
        t.key(if c.supervised {
            "detail.supervised_yes"
        } else {
            "detail.supervised_no"
        }),
    ));
    rows.push((t.key("field.version"), c.version.to_string()));
    let in_scope = crate::register::check_kecamatan(&user.user, &c.fields.kecamatan_code).is_ok();
    let rules = state.db.status_rules().await.map_err(|e| user.fail(e))?;
    let evidence = state.db.status_evidence(c.id).await.map_err(|e| user.fail(e))?;
    let now = today();
    let status = evidence.status_on(now, rules);
    let timeline = kopra_domain::status::status_timeline(
        now,
        &evidence.rat_dates,
        evidence.founded,
        evidence.legal.as_ref(),
        rules,
    )
    .into_iter()
    .rev()
    .map(|(d, s)| (d.to_string(), crate::status_text::status_label(&t, s)))
    .collect();
    let money = |v: Option<i64>| v.map(|n| format!("Rp{}", thousands(n))).unwrap_or_default();
    let mut reports = Vec::new();
    for r in state.db.annual_reports(c.id).await.map_err(|e| user.fail(e))? {
        let mut notes: Vec<String> = r
            .flags
            .iter()
            .map(|f| t.key(&format!("report.flag.{}", f.as_str())))
            .collect();
        notes.push(t.key(&format!("report.source.{}", r.source)));
        let attachments = state
            .db
            .attachments_of(r.id)
            .await
            .map_err(|e| user.fail(e))?
            .into_iter()
            .map(|a| {
                (
                    a.id,
                    format!(
                        "{} · {} ({} KB)",
                        t.key(&format!("attachment.kind.{}", a.kind)),
                        a.file_name,
                        (a.size + 1023) / 1024
                    ),
                )
            })
            .collect();
        let review = match r.review_status.as_str() {
            "proposed" => t.key("report.review.proposed"),
            "returned" => format!(
                "{}: {}",
                t.key("report.review.returned"),
                r.review_note.clone().unwrap_or_default()
            ),
            "withdrawn" => format!(
                "{}: {}",
                t.key("report.review.withdrawn"),
                r.review_note.clone().unwrap_or_default()
            ),
            _ => String::new(),
        };
        reports.push(ReportView {
            id: r.id,
            proposed: r.review_status == "proposed",
            review,
            attachments,
            book_year: r.report.book_year,
            rat_date: r.report.rat_date.map(|d| d.to_string()).unwrap_or_default(),
            reported_date: r.report.reported_date.map(|d| d.to_string()).unwrap_or_default(),
            members: r.report.members_total.map(thousands).unwrap_or_default(),
            assets: money(r.report.assets),
            shu: money(r.report.shu),
            notes: notes.join("; "),
        });
    }
    let legal_states = state
        .db
        .legal_states(c.id)
        .await
        .map_err(|e| user.fail(e))?
        .into_iter()
        .map(|l| {
            let label = kopra_domain::status::Status::parse(&l.status)
                .map(|s| crate::status_text::status_label(&t, s))
                .unwrap_or(l.status);
            format!("{label}: {} ({}) · {}", l.decree_number, l.decree_date, l.actor_name)
        })
        .collect();
    let legal_options = Opt::list(
        &t.key("field.choose"),
        &["dissolved", "in_liquidation", "merged"].map(|k| (k.to_string(), t.key(&format!("status.{k}")))),
        None,
    );
    let savings_and_loan = c.fields.jenis.as_deref() == Some("Simpan Pinjam")
        || c.fields
            .kelompok
            .as_deref()
            .is_some_and(|k| k.contains("Simpan Pinjam"));
    let decimal = |v: f64| {
        let s = format!("{v:.2}");
        if t.lang == crate::i18n::Lang::Id {
            s.replace('.', ",")
        } else {
            s
        }
    };
    let health = state
        .db
        .health_assessments(c.id)
        .await
        .map_err(|e| user.fail(e))?
        .into_iter()
        .next()
        .map(|h| HealthView {
            book_year: h.book_year,
            total: decimal(h.result.total),
            category: h.result.category_label.clone(),
            category_key: h.result.category.clone(),
            aspects: h
                .result
                .aspects
                .iter()
                .map(|a| (a.label.clone(), format!("{}%", a.weight), decimal(a.percent)))
                .collect(),
            by: format!("{} · {}", h.actor_name, format_time(h.created_at)),
        });
    let board = may_see_board(&user.user, c.id).then_some(board);
    let coaching = if user.user.role.allows(Permission::ViewCoaching) && in_scope {
        let f = kopra_db::coaching::VisitFilter {
            cooperative: Some(c.id),
            limit: Some(5),
            ..Default::default()
        };
        let visits = state.db.visits(&f).await.map_err(|e| user.fail(e))?;
        Some(visits.iter().map(|v| super::coaching::visit_row(&t, v)).collect())
    } else {
        None
    };
    Ok(render(&DetailPage {
        coaching,
        can_plan_visit: user.user.role.allows(Permission::ManageCoaching) && in_scope,
        board,
        can_assess: savings_and_loan && user.user.role.allows(Permission::EditReports) && in_scope,
        can_match: user.user.role.allows(Permission::ManageCoalitions) && in_scope,
        coalitions: state
            .db
            .coalitions(Some(c.id), &[])
            .await
            .map_err(|e| user.fail(e))?
            .into_iter()
            .map(|k| {
                (
                    k.id,
                    k.name,
                    kopra_domain::format::rupiah(k.purchases_value + k.sales_value),
                    kopra_domain::format::rupiah(k.savings),
                )
            })
            .collect(),
        health,
        status_label: crate::status_text::status_label(&t, status.status),
        status_key: status.status.as_str(),
        explanation: crate::status_text::explain(&t, &status, rules),
        timeline,
        certificate: kopra_domain::certificate::CertificateStatus::of(c.fields.certificate_valid_until, now)
            .ods_label(),
        reports,
        can_edit_reports: user.user.role.allows(Permission::EditReports) && in_scope,
        can_propose_reports: user.user.role.allows(Permission::ProposeChange)
            && !user.user.role.allows(Permission::EditReports),
        legal_states,
        legal_options,
        t,
        nav: Nav::of(&user.user),
        can_edit: user.user.role.allows(Permission::EditCooperative) && in_scope,
        can_archive: user.user.role.allows(Permission::ArchiveCooperative) && in_scope,
        can_propose: user.user.role.allows(Permission::ProposeChange) && !c.archived,
        can_review: user.user.role.allows(Permission::ReviewProposals) && in_scope,
        proposals,
        c,
        rows,
        history,
        notice,
    }))
}

pub(super) fn format_time(t: time::OffsetDateTime) -> String {
    // Shown in WIB (UTC+7), the office's time.
    let wib = t.to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC));
    format!("{} {:02}:{:02} WIB", wib.date(), wib.hour(), wib.minute())
}

/// The cooperative's page again with the field errors of a refused action (422).
pub(super) async fn detail_with_errors(
    state: &AppState,
    user: &PageUser,
    c: CooperativeRecord,
    errors: &FieldErrors,
) -> Result<Response, PageError> {
    let t = Tr::new(user.ctx.lang);
    let msg = t.field_errors(errors).join(" ");
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        detail(state, user, c, Some(msg)).await?,
    )
        .into_response())
}

/// Loads a cooperative the user may change: in scope and in their kecamatan.
pub(super) async fn load_editable(state: &AppState, user: &PageUser, id: i64) -> Result<CooperativeRecord, PageError> {
    let c = load(state, user, id).await?;
    check_kecamatan(&user.user, &c.fields.kecamatan_code).map_err(|e| user.fail(e))?;
    Ok(c)
}

/// Renders a form page; the error summary lists the fields' errors in form order.
pub(super) fn form_response(
    user: &PageUser,
    title: String,
    action: String,
    cancel: String,
    fields: Vec<FieldView>,
    notice: Option<String>,
    status: StatusCode,
) -> Response {
    let errors = fields
        .iter()
        .filter_map(|f| f.error.clone().map(|e| (f.name.clone(), e)))
        .collect();
    let t = Tr::new(user.ctx.lang);
    (
        status,
        render(&FormPage {
            t,
            nav: Nav::of(&user.user),
            title,
            action,
            cancel,
            version: None,
            fields,
            errors,
            notice,
        }),
    )
        .into_response()
}

#[derive(Deserialize)]
pub struct DetailQuery {
    pesan: Option<String>,
}

pub async fn detail_page(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Query(q): Query<DetailQuery>,
) -> Result<Response, PageError> {
    let c = load(&state, &user, id).await?;
    let notice = (q.pesan.as_deref() == Some("usulan")).then(|| Tr::new(user.ctx.lang).key("proposal.sent"));
    detail(&state, &user, c, notice).await
}

/// The form's fields as posted.
#[derive(Debug, Default, Deserialize)]
pub struct CooperativeForm {
    version: Option<String>,
    nik: Option<String>,
    name: Option<String>,
    legal_entity_number: Option<String>,
    legal_entity_date: Option<String>,
    amendments: Option<String>,
    address: Option<String>,
    kecamatan_code: Option<String>,
    kelurahan_code: Option<String>,
    kelurahan_text: Option<String>,
    bentuk: Option<String>,
    jenis: Option<String>,
    kelompok: Option<String>,
    sektor: Option<String>,
    #[serde(rename = "loop")]
    loop_: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    certificate_valid_until: Option<String>,
    ods_grade: Option<String>,
    ods_last_rat_date: Option<String>,
    notes: Option<String>,
    chair_name: Option<String>,
    chair_phone: Option<String>,
    secretary_name: Option<String>,
    treasurer_name: Option<String>,
    supervisor_name: Option<String>,
    manager_name: Option<String>,
    /// A pengurus's note to the office, on proposals only.
    note: Option<String>,
}

impl CooperativeForm {
    fn to_input(&self) -> CooperativeInput {
        let amendments = self
            .amendments
            .as_deref()
            .unwrap_or("")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let (number, date) = match l.rsplit_once(';') {
                    Some((n, d)) => (n.trim().to_string(), Some(d.trim().to_string())),
                    None => (l.trim().to_string(), None),
                };
                AmendmentInput {
                    number: Some(number),
                    date,
                }
            })
            .collect();
        CooperativeInput {
            nik: self.nik.clone(),
            name: self.name.clone(),
            legal_entity_number: self.legal_entity_number.clone(),
            legal_entity_date: self.legal_entity_date.clone(),
            amendments,
            address: self.address.clone(),
            kelurahan_code: self.kelurahan_code.clone(),
            kecamatan_code: self.kecamatan_code.clone(),
            kelurahan_text: self.kelurahan_text.clone(),
            bentuk: self.bentuk.clone(),
            jenis: self.jenis.clone(),
            kelompok: self.kelompok.clone(),
            sektor: self.sektor.clone(),
            loop_: self.loop_.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            certificate_valid_until: self.certificate_valid_until.clone(),
            ods_grade: self.ods_grade.clone(),
            ods_last_rat_date: self.ods_last_rat_date.clone(),
            notes: self.notes.clone(),
            chair_name: self.chair_name.clone(),
            chair_phone: self.chair_phone.clone(),
            secretary_name: self.secretary_name.clone(),
            treasurer_name: self.treasurer_name.clone(),
            supervisor_name: self.supervisor_name.clone(),
            manager_name: self.manager_name.clone(),
        }
    }

    fn from_input(i: &CooperativeInput, version: Option<i64>) -> Self {
        let amendments = i
            .amendments
            .iter()
            .map(|a| match &a.date {
                Some(d) => format!("{}; {d}", a.number.clone().unwrap_or_default()),
                None => a.number.clone().unwrap_or_default(),
            })
            .collect::<Vec<_>>()
            .join("\n");
        CooperativeForm {
            version: version.map(|v| v.to_string()),
            nik: i.nik.clone(),
            name: i.name.clone(),
            legal_entity_number: i.legal_entity_number.clone(),
            legal_entity_date: i.legal_entity_date.clone(),
            amendments: Some(amendments),
            address: i.address.clone(),
            kecamatan_code: i.kecamatan_code.clone(),
            kelurahan_code: i.kelurahan_code.clone(),
            kelurahan_text: i.kelurahan_text.clone(),
            bentuk: i.bentuk.clone(),
            jenis: i.jenis.clone(),
            kelompok: i.kelompok.clone(),
            sektor: i.sektor.clone(),
            loop_: i.loop_.clone(),
            phone: i.phone.clone(),
            email: i.email.clone(),
            certificate_valid_until: i.certificate_valid_until.clone(),
            ods_grade: i.ods_grade.clone(),
            ods_last_rat_date: i.ods_last_rat_date.clone(),
            notes: i.notes.clone(),
            chair_name: i.chair_name.clone(),
            chair_phone: i.chair_phone.clone(),
            secretary_name: i.secretary_name.clone(),
            treasurer_name: i.treasurer_name.clone(),
            supervisor_name: i.supervisor_name.clone(),
            manager_name: i.manager_name.clone(),
            note: None,
        }
    }
}

pub(super) struct FieldView {
    pub(super) name: String,
    pub(super) label: String,
    pub(super) kind: &'static str,
    pub(super) value: String,
    pub(super) options: Vec<Opt>,
    pub(super) error: Option<String>,
    pub(super) hint: Option<String>,
    pub(super) required: bool,
    /// A section heading shown before this field.
    pub(super) heading: Option<String>,
}

#[derive(Template)]
#[template(path = "cooperatives/form.html")]
pub(super) struct FormPage {
    pub(super) t: Tr,
    pub(super) nav: Option<Nav>,
    pub(super) title: String,
    pub(super) action: String,
    pub(super) cancel: String,
    pub(super) version: Option<i64>,
    pub(super) fields: Vec<FieldView>,
    pub(super) errors: Vec<(String, String)>,
    pub(super) notice: Option<String>,
}

/// Which form: a new cooperative, an edit by the office, or a pengurus's proposal.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FormKind {
    New,
    Edit(i64),
    Propose(i64),
}

impl FormKind {
    fn title_key(self) -> &'static str {
        match self {
            FormKind::New => "form.new_title",
            FormKind::Edit(_) => "form.edit_title",
            FormKind::Propose(_) => "proposal.form_title",
        }
    }
    fn action(self) -> String {
        match self {
            FormKind::New => "/koperasi/baru".into(),
            FormKind::Edit(id) => format!("/koperasi/{id}/ubah"),
            FormKind::Propose(id) => format!("/koperasi/{id}/usul"),
        }
    }
    fn cancel(self) -> String {
        match self {
            FormKind::New => "/koperasi".into(),
            FormKind::Edit(id) | FormKind::Propose(id) => format!("/koperasi/{id}"),
        }
    }
    /// Does this form show (and take) the board? A pengurus always may for their own
    /// cooperative; otherwise it takes `ViewPersonalData`.
    fn with_board(self, user: &PageUser) -> bool {
        match self {
            FormKind::New => user.user.role.allows(Permission::ViewPersonalData),
            FormKind::Edit(id) | FormKind::Propose(id) => may_see_board(&user.user, id),
        }
    }
}

/// The form's input, with the board kept from `current` when the user may not change it.
fn form_input(
    user: &PageUser,
    kind: FormKind,
    form: &CooperativeForm,
    current: Option<&kopra_domain::CooperativeFields>,
) -> CooperativeInput {
    let mut input = form.to_input();
    if !kind.with_board(user) {
        keep_board(&mut input, current);
    }
    input
}

async fn form_page(
    state: &AppState,
    user: &PageUser,
    kind: FormKind,
    form: &CooperativeForm,
    errors: &FieldErrors,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let t = Tr::new(user.ctx.lang);
    let choose = t.key("field.choose");
    let kecamatan = state
        .db
        .kecamatan_in(&state.office.home)
        .await
        .map_err(|e| user.fail(e))?;
    let mut kelurahan = Vec::new();
    if kecamatan.len() <= 60 {
        for k in &kecamatan {
            for r in state.db.regions(None, Some(&k.code)).await.map_err(|e| user.fail(e))? {
                kelurahan.push((r.code, format!("{} — {}", k.name, r.name)));
            }
        }
    }
    let kec_values: Vec<(String, String)> = kecamatan.into_iter().map(|r| (r.code, r.name)).collect();
    let v = |s: &Option<String>| s.clone().unwrap_or_default();
    let err = |name: &str| errors.get(name).map(|e| t.field_error(name, e.code()));
    let mk = |name: &'static str, kind: &'static str, value: String, options: Vec<Opt>, required: bool| FieldView {
        name: name.to_string(),
        label: t.key(&format!("field.{name}")),
        kind,
        value,
        options,
        error: err(name),
        hint: (name == "amendments").then(|| t.key("field.amendments_hint")),
        required,
        heading: None,
    };
    let loops = vec![
        ("open".to_string(), t.key("loop.open")),
        ("closed".to_string(), t.key("loop.closed")),
    ];
    let grades = pairs(&kopra_domain::value_sets::ODS_GRADES);
    let mut fields = vec![
        mk("name", "text", v(&form.name), vec![], true),
        mk("nik", "text", v(&form.nik), vec![], false),
        mk(
            "legal_entity_number",
            "text",
            v(&form.legal_entity_number),
            vec![],
            false,
        ),
        mk("legal_entity_date", "date", v(&form.legal_entity_date), vec![], false),
        mk("amendments", "textarea", v(&form.amendments), vec![], false),
        mk("address", "textarea", v(&form.address), vec![], false),
        mk(
            "kecamatan_code",
            "select",
            String::new(),
            Opt::list(&choose, &kec_values, form.kecamatan_code.as_deref()),
            true,
        ),
    ];
    if kelurahan.is_empty() {
        fields.push(mk("kelurahan_code", "text", v(&form.kelurahan_code), vec![], false));
    } else {
        fields.push(mk(
            "kelurahan_code",
            "select",
            String::new(),
            Opt::list(&choose, &kelurahan, form.kelurahan_code.as_deref()),
            false,
        ));
    }
    if form.kelurahan_text.as_deref().is_some_and(|s| !s.is_empty()) {
        fields.push(mk("kelurahan_text", "text", v(&form.kelurahan_text), vec![], false));
    }
    fields.extend([
        mk(
            "bentuk",
            "select",
            String::new(),
            Opt::fixed(choose.clone(), pairs(&Bentuk::ALL), form.bentuk.as_deref()),
            false,
        ),
        mk(
            "jenis",
            "select",
            String::new(),
            Opt::fixed(choose.clone(), pairs(&Jenis::ALL), form.jenis.as_deref()),
            false,
        ),
        mk(
            "kelompok",
            "select",
            String::new(),
            Opt::fixed(choose.clone(), pairs(&Kelompok::ALL), form.kelompok.as_deref()),
            false,
        ),
        mk(
            "sektor",
            "select",
            String::new(),
            Opt::fixed(choose.clone(), pairs(&Sektor::ALL), form.sektor.as_deref()),
            false,
        ),
        mk(
            "loop",
            "select",
            String::new(),
            Opt::list(&choose, &loops, form.loop_.as_deref()),
            false,
        ),
        mk("phone", "tel", v(&form.phone), vec![], false),
        mk("email", "email", v(&form.email), vec![], false),
        mk(
            "certificate_valid_until",
            "date",
            v(&form.certificate_valid_until),
            vec![],
            false,
        ),
        mk(
            "ods_grade",
            "select",
            String::new(),
            Opt::fixed(choose.clone(), grades, form.ods_grade.as_deref()),
            false,
        ),
        mk("ods_last_rat_date", "date", v(&form.ods_last_rat_date), vec![], false),
        mk("notes", "textarea", v(&form.notes), vec![], false),
    ]);
    if kind.with_board(user) {
        let mut board = [
            mk("chair_name", "text", v(&form.chair_name), vec![], false),
            mk("chair_phone", "tel", v(&form.chair_phone), vec![], false),
            mk("secretary_name", "text", v(&form.secretary_name), vec![], false),
            mk("treasurer_name", "text", v(&form.treasurer_name), vec![], false),
            mk("supervisor_name", "text", v(&form.supervisor_name), vec![], false),
            mk("manager_name", "text", v(&form.manager_name), vec![], false),
        ];
        board[0].heading = Some(t.key("detail.board"));
        fields.extend(board);
    }
    if matches!(kind, FormKind::Propose(_)) {
        fields.push(mk("note", "textarea", v(&form.note), vec![], false));
    }
    // The summary lists errors in the order of the form, then any others.
    let mut errors_list: Vec<(String, String)> = fields
        .iter()
        .filter_map(|f| f.error.clone().map(|e| (f.name.clone(), e)))
        .collect();
    for (f, e) in errors.iter() {
        if !errors_list.iter().any(|(name, _)| name == f) {
            errors_list.push((f.to_string(), t.field_error(f, e.code())));
        }
    }
    let page = FormPage {
        t,
        nav: Nav::of(&user.user),
        title: t.key(kind.title_key()),
        action: kind.action(),
        cancel: kind.cancel(),
        version: form.version.as_deref().and_then(|v| v.parse().ok()),
        fields,
        errors: errors_list,
        notice,
    };
    Ok((status, render(&page)).into_response())
}

pub async fn new_page(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    user.require(Permission::EditCooperative)?;
    form_page(
        &state,
        &user,
        FormKind::New,
        &CooperativeForm::default(),
        &FieldErrors::default(),
        None,
        StatusCode::OK,
    )
    .await
}

pub async fn create_submit(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<CooperativeForm>,
) -> Result<Response, PageError> {
    user.require(Permission::EditCooperative)?;
    let errors = match form_input(&user, FormKind::New, &form, None).parse(today()) {
        Ok(fields) => {
            check_kecamatan(&user.user, &fields.kecamatan_code).map_err(|e| user.fail(e))?;
            match state.db.create_cooperative(&state.office, &fields, &user.actor()).await {
                Ok(c) => return Ok(Redirect::to(&format!("/koperasi/{}", c.id)).into_response()),
                Err(kopra_db::DbError::Invalid(e) | kopra_db::DbError::Duplicate(e)) => e,
                Err(e) => return Err(user.fail(e)),
            }
        }
        Err(e) => e,
    };
    form_page(
        &state,
        &user,
        FormKind::New,
        &form,
        &errors,
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

pub async fn edit_page(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    user.require(Permission::EditCooperative)?;
    let c = load_editable(&state, &user, id).await?;
    let form = CooperativeForm::from_input(&c.fields.to_input(), Some(c.version));
    form_page(
        &state,
        &user,
        FormKind::Edit(id),
        &form,
        &FieldErrors::default(),
        None,
        StatusCode::OK,
    )
    .await
}

pub async fn edit_submit(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(form): Form<CooperativeForm>,
) -> Result<Response, PageError> {
    user.require(Permission::EditCooperative)?;
    let current = load_editable(&state, &user, id).await?;
    let version = form.version.as_deref().and_then(|v| v.parse::<i64>().ok());
    let t = Tr::new(user.ctx.lang);
    let errors = match form_input(&user, FormKind::Edit(id), &form, Some(&current.fields)).parse(today()) {
        Ok(fields) => {
            check_kecamatan(&user.user, &fields.kecamatan_code).map_err(|e| user.fail(e))?;
            match state
                .db
                .update_cooperative(&state.office, id, &fields, version, &user.actor())
                .await
            {
                Ok(_) => return Ok(Redirect::to(&format!("/koperasi/{id}")).into_response()),
                Err(kopra_db::DbError::Invalid(e) | kopra_db::DbError::Duplicate(e)) => e,
                Err(kopra_db::DbError::StaleVersion(current)) => {
                    // Show the user's text again over the newest version, with a clear message.
                    let mut again = form;
                    again.version = Some(current.version.to_string());
                    return form_page(
                        &state,
                        &user,
                        FormKind::Edit(id),
                        &again,
                        &FieldErrors::default(),
                        Some(t.key("error.stale")),
                        StatusCode::CONFLICT,
                    )
                    .await;
                }
                Err(e) => return Err(user.fail(e)),
            }
        }
        Err(e) => e,
    };
    form_page(
        &state,
        &user,
        FormKind::Edit(id),
        &form,
        &errors,
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

#[derive(Deserialize)]
pub struct ArchiveForm {
    reason: Option<String>,
    version: Option<String>,
}

async fn archive_or_restore(
    state: AppState,
    user: PageUser,
    id: i64,
    form: ArchiveForm,
    archive: bool,
) -> Result<Response, PageError> {
    user.require(Permission::ArchiveCooperative)?;
    load_editable(&state, &user, id).await?;
    let t = Tr::new(user.ctx.lang);
    let version = form.version.as_deref().and_then(|v| v.parse().ok());
    let reason = form.reason.unwrap_or_default();
    let result = if archive {
        state.db.archive_cooperative(id, &reason, version, &user.actor()).await
    } else {
        state.db.restore_cooperative(id, &reason, version, &user.actor()).await
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/koperasi/{id}")).into_response()),
        Err(kopra_db::DbError::Invalid(e)) => {
            let c = state.db.cooperative(id).await.map_err(|e| user.fail(e))?;
            detail_with_errors(&state, &user, c, &e).await
        }
        Err(kopra_db::DbError::StaleVersion(current)) => Ok((
            StatusCode::CONFLICT,
            detail(&state, &user, *current, Some(t.key("error.stale"))).await?,
        )
            .into_response()),
        Err(e) => Err(user.fail(AppError::from(e))),
    }
}

pub async fn archive_submit(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(form): Form<ArchiveForm>,
) -> Result<Response, PageError> {
    archive_or_restore(state, user, id, form, true).await
}

pub async fn restore_submit(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(form): Form<ArchiveForm>,
) -> Result<Response, PageError> {
    archive_or_restore(state, user, id, form, false).await
}

pub async fn propose_page(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    user.require(Permission::ProposeChange)?;
    let c = load(&state, &user, id).await?;
    let form = CooperativeForm::from_input(&c.fields.to_input(), Some(c.version));
    form_page(
        &state,
        &user,
        FormKind::Propose(id),
        &form,
        &FieldErrors::default(),
        None,
        StatusCode::OK,
    )
    .await
}

pub async fn propose_submit(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(form): Form<CooperativeForm>,
) -> Result<Response, PageError> {
    user.require(Permission::ProposeChange)?;
    let c = load(&state, &user, id).await?;
    let t = Tr::new(user.ctx.lang);
    if form
        .version
        .as_deref()
        .and_then(|v| v.parse::<i64>().ok())
        .is_some_and(|v| v != c.version)
    {
        let mut again = form;
        again.version = Some(c.version.to_string());
        return form_page(
            &state,
            &user,
            FormKind::Propose(id),
            &again,
            &FieldErrors::default(),
            Some(t.key("error.stale")),
            StatusCode::CONFLICT,
        )
        .await;
    }
    let errors = match form_input(&user, FormKind::Propose(id), &form, Some(&c.fields)).parse(today()) {
        Ok(fields) => match state
            .db
            .propose_change(
                &state.office,
                &c,
                &fields,
                form.note.as_deref().unwrap_or(""),
                &user.actor(),
            )
            .await
        {
            Ok(_) => {
                return Ok(Redirect::to(&format!("/koperasi/{id}?pesan=usulan")).into_response());
            }
            Err(kopra_db::DbError::Invalid(e) | kopra_db::DbError::Duplicate(e)) => e,
            Err(e) => return Err(user.fail(e)),
        },
        Err(e) => e,
    };
    form_page(
        &state,
        &user,
        FormKind::Propose(id),
        &form,
        &errors,
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

#[derive(Deserialize)]
pub struct DecisionForm {
    note: Option<String>,
}

async fn decide(
    state: AppState,
    user: PageUser,
    id: i64,
    pid: i64,
    form: DecisionForm,
    apply: bool,
) -> Result<Response, PageError> {
    user.require(Permission::ReviewProposals)?;
    let c = load_editable(&state, &user, id).await?;
    let proposal = state.db.proposal(pid).await.map_err(|e| user.fail(e))?;
    if proposal.cooperative_id != id {
        return Err(user.fail(AppError::NotFound));
    }
    let t = Tr::new(user.ctx.lang);
    match state
        .db
        .decide_proposal(
            &state.office,
            pid,
            apply,
            form.note.as_deref().unwrap_or(""),
            &user.actor(),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/koperasi/{id}#usulan")).into_response()),
        Err(kopra_db::DbError::StaleVersion(current)) => Ok((
            StatusCode::CONFLICT,
            detail(&state, &user, *current, Some(t.key("proposal.stale"))).await?,
        )
            .into_response()),
        Err(kopra_db::DbError::Invalid(e) | kopra_db::DbError::Duplicate(e)) => {
            detail_with_errors(&state, &user, c, &e).await
        }
        Err(e) => Err(user.fail(e)),
    }
}

pub async fn proposal_apply(
    State(state): State<AppState>,
    user: PageUser,
    Path((id, pid)): Path<(i64, i64)>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, PageError> {
    decide(state, user, id, pid, form, true).await
}

pub async fn proposal_reject(
    State(state): State<AppState>,
    user: PageUser,
    Path((id, pid)): Path<(i64, i64)>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, PageError> {
    decide(state, user, id, pid, form, false).await
}

struct PendingView {
    cooperative_id: i64,
    cooperative_name: String,
    fields: String,
    by: String,
    at: String,
}

#[derive(Template)]
#[template(path = "proposals.html")]
struct ProposalsPage {
    t: Tr,
    nav: Option<Nav>,
    items: Vec<PendingView>,
    reports: Vec<(i64, String, i32, String)>,
}

pub async fn proposals_page(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    user.require(Permission::ReviewProposals)?;
    let t = Tr::new(user.ctx.lang);
    let items = state
        .db
        .pending_proposals(&user.user.kecamatan, 500)
        .await
        .map_err(|e| user.fail(e))?
        .into_iter()
        .map(|p| PendingView {
            cooperative_id: p.cooperative_id,
            cooperative_name: p.cooperative_name,
            fields: p
                .changes
                .iter()
                .map(|c| t.key(&format!("field.{}", c.field)))
                .collect::<Vec<_>>()
                .join(", "),
            by: p.proposed_by_name,
            at: format_time(p.proposed_at),
        })
        .collect();
    let reports = state
        .db
        .proposed_reports(&user.user.kecamatan)
        .await
        .map_err(|e| user.fail(e))?
        .into_iter()
        .map(|(r, name)| {
            (
                r.cooperative_id,
                name,
                r.report.book_year,
                r.report.rat_date.map(|d| d.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    Ok(render(&ProposalsPage {
        t,
        nav: Nav::of(&user.user),
        items,
        reports,
    }))
}
