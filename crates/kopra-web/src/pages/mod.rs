//! Server-rendered pages. Texts come from the message files; askama escapes every value.

mod activation;
mod admin;
mod awards;
mod campaigns;
mod coaching;
mod coalitions;
mod cooperatives;
mod dashboard;
mod duplicates;
mod exports;
mod health;
mod import;
mod loans;
pub(crate) mod reports;
mod session;
mod umkm;
mod worklist;

use crate::AppState;
use crate::auth::Ctx;
use crate::error::{AppError, PageError};
use crate::i18n::Tr;
use askama::Template;
use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use kopra_db::users::User;
use kopra_domain::{Permission, Role};
use std::borrow::Cow;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(dashboard::page))
        .route("/login", get(session::login_page).post(session::login_submit))
        .route("/logout", post(session::logout))
        .route("/bahasa/{lang}", get(session::switch_language))
        .route("/static/app.css", get(stylesheet))
        .route("/koperasi", get(cooperatives::list_page))
        .route("/koperasi/export.csv", get(cooperatives::export_csv))
        .route(
            "/koperasi/baru",
            get(cooperatives::new_page).post(cooperatives::create_submit),
        )
        .route("/koperasi/{id}", get(cooperatives::detail_page))
        .route(
            "/koperasi/{id}/ubah",
            get(cooperatives::edit_page).post(cooperatives::edit_submit),
        )
        .route("/koperasi/{id}/arsip", post(cooperatives::archive_submit))
        .route("/koperasi/{id}/pulihkan", post(cooperatives::restore_submit))
        .route(
            "/koperasi/{id}/usul",
            get(cooperatives::propose_page).post(cooperatives::propose_submit),
        )
        .route(
            "/koperasi/{id}/usulan/{pid}/terapkan",
            post(cooperatives::proposal_apply),
        )
        .route("/koperasi/{id}/usulan/{pid}/tolak", post(cooperatives::proposal_reject))
        .route("/umkm", get(umkm::list_page))
        .route("/umkm/export.{format}", get(umkm::export))
        .route(
            "/umkm/impor",
            get(umkm::import_form)
                .post(umkm::import_submit)
                .layer(axum::extract::DefaultBodyLimit::max(import::IMPORT_BODY_LIMIT)),
        )
        .route("/umkm/baru", get(umkm::new_page).post(umkm::create_submit))
        .route("/umkm/{id}", get(umkm::detail_page))
        .route("/umkm/{id}/ubah", get(umkm::edit_page).post(umkm::edit_submit))
        .route("/umkm/{id}/keanggotaan", post(umkm::membership_submit))
        .route("/koperasi/{id}/mitra", get(coalitions::matches_page))
        .route("/koperasi/{id}/mitra/koalisi", post(coalitions::form_coalition))
        .route("/koperasi/{id}/mitra/tambah", post(coalitions::extend_coalition))
        .route("/koperasi/{id}/mitra/{umkm_id}/tolak", post(coalitions::dismiss))
        .route("/koperasi/{id}/pinjaman", get(coalitions::readiness_page))
        .route("/pinjaman", get(loans::board_page).post(loans::create_submit))
        .route("/pinjaman/{id}", get(loans::show_page))
        .route("/pinjaman/{id}/tahap", post(loans::move_submit))
        .route("/pinjaman/{id}/tunggakan", post(loans::arrears_submit))
        .route("/koalisi/export.xlsx", get(exports::coalitions))
        .route("/pinjaman/export.xlsx", get(exports::loans))
        .route("/pembinaan/export.xlsx", get(exports::visits))
        .route("/penghargaan/{id}/peringkat.xlsx", get(exports::ranking))
        .route("/koalisi", get(coalitions::list_page))
        .route("/koalisi/{id}", get(coalitions::show_page))
        .route("/koalisi/{id}/transaksi", post(coalitions::record_transaction))
        .route("/pembinaan", get(coaching::list_page))
        .route("/pembinaan/baru", get(coaching::new_page).post(coaching::create_submit))
        .route("/pembinaan/agenda", get(coaching::agenda_page))
        .route("/pembinaan/rencana", post(coaching::plan_submit))
        .route("/pembinaan/{id}", get(coaching::show_page))
        .route("/pembinaan/{id}/catat", post(coaching::record_submit))
        .route("/pembinaan/{id}/tindak-lanjut", post(coaching::follow_up_submit))
        .route(
            "/pembinaan/tindak-lanjut/{id}/status",
            post(coaching::follow_up_status_submit),
        )
        .route("/penghargaan", get(awards::list_page).post(awards::create_submit))
        .route("/penghargaan/{id}", get(awards::show_page))
        .route("/penghargaan/{id}/juri", post(awards::jurors_submit))
        .route("/penghargaan/{id}/nominasi", post(awards::nominate_submit))
        .route(
            "/penghargaan/nominasi/{id}/nilai",
            get(awards::sheet_page).post(awards::sheet_submit),
        )
        .route("/penghargaan/nominasi/{id}/usulkan", post(awards::upward_submit))
        .route("/penghargaan/nominasi/{id}/piagam", get(awards::certificate))
        .route("/usulan", get(cooperatives::proposals_page))
        .route("/aktivasi", get(activation::page))
        .route("/koperasi/{id}/kesehatan", get(health::page).post(health::submit))
        .route(
            "/impor",
            get(import::page)
                .post(import::upload)
                .layer(axum::extract::DefaultBodyLimit::max(import::IMPORT_BODY_LIMIT)),
        )
        .route("/impor/unggahan/{id}", get(import::preview))
        .route("/impor/unggahan/{id}/simpan", post(import::commit))
        .route("/impor/unggahan/{id}/putusan", post(import::decide))
        .route("/impor/unggahan/{id}/kolom", post(import::set_mapping))
        .route("/impor/unggahan/{id}/hasil.xlsx", get(import::report))
        .route("/koperasi/export.xlsx", get(cooperatives::export_xlsx))
        .route("/koperasi/export-ods.csv", get(cooperatives::export_ods))
        .route("/impor/batch/{id}", get(import::batch))
        .route("/impor/batch/{id}/batalkan", post(import::undo))
        .route("/kampanye", get(campaigns::list).post(campaigns::create))
        .route("/kampanye/{id}", get(campaigns::show))
        .route("/kampanye/{id}/surat", get(campaigns::letters))
        .route("/kampanye/{id}/undangan/{inv}/setujui", post(campaigns::approve))
        .route("/kampanye/{id}/undangan/{inv}/kembalikan", post(campaigns::send_back))
        .route("/kampanye/{id}/undangan/{inv}/hasil", post(campaigns::outcome))
        .route("/u/{code}", get(campaigns::answer).post(campaigns::answer_submit))
        .route("/duplikat", get(duplicates::page))
        .route("/duplikat/gabung", post(duplicates::merge))
        .route("/duplikat/berbeda", post(duplicates::distinct))
        .route("/daftar-kerja", get(worklist::page))
        .route("/daftar-kerja/export.csv", get(worklist::export_csv))
        .route("/daftar-kerja/{id}/tugaskan", post(worklist::assign))
        .route(
            "/koperasi/{id}/laporan",
            get(reports::new_page).post(reports::create_submit),
        )
        .route("/koperasi/{id}/status-hukum", post(reports::legal_state_submit))
        .route(
            "/koperasi/{id}/laporan/{rid}/lampiran",
            post(reports::attach).layer(axum::extract::DefaultBodyLimit::max(
                crate::attachments::UPLOAD_BODY_LIMIT,
            )),
        )
        .route("/lampiran/{id}", get(reports::download))
        .route("/koperasi/{id}/laporan/{rid}/verifikasi", post(reports::verify))
        .route("/koperasi/{id}/laporan/{rid}/kembalikan", post(reports::return_report))
        .route("/audit", get(admin::audit_page))
        .route("/pengguna", get(admin::users_page).post(admin::user_create))
        .route("/pengguna/{id}/nonaktif", post(admin::user_deactivate))
        .route("/pengguna/{id}/aktif", post(admin::user_activate))
        .route("/token", get(admin::tokens_page).post(admin::token_create))
        .route("/token/{id}/cabut", post(admin::token_revoke))
}

/// Renders a template, or a plain 500 when rendering fails (it never should).
pub fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/app.css"),
    )
}

pub async fn not_found(ctx: Ctx) -> PageError {
    PageError(AppError::NotFound, ctx.lang)
}

/// What the menu shows for a user.
pub struct Nav {
    pub username: String,
    pub dashboard: bool,
    pub register: bool,
    pub edit: bool,
    pub audit: bool,
    pub users: bool,
    pub review: bool,
    pub import: bool,
    pub duplicates: bool,
    pub umkm: bool,
    pub coalitions: bool,
    pub loans: bool,
    pub coaching: bool,
    pub awards: bool,
    pub own_cooperative: Option<i64>,
}

impl Nav {
    pub fn of(user: &User) -> Option<Nav> {
        let r = user.role;
        Some(Nav {
            username: user.username.clone(),
            dashboard: r.allows(Permission::ViewDashboard),
            register: r.allows(Permission::ViewRegister),
            edit: r.allows(Permission::EditCooperative),
            audit: r.allows(Permission::ViewAudit),
            users: r.allows(Permission::ManageUsers),
            review: r.allows(Permission::ReviewProposals),
            import: r.allows(Permission::ImportData),
            duplicates: r.allows(Permission::ArchiveCooperative),
            umkm: r.allows(Permission::ViewUmkm),
            coalitions: r.allows(Permission::ViewCoalitions),
            loans: r.allows(Permission::ViewLoans),
            coaching: r.allows(Permission::ViewCoaching),
            awards: r.allows(Permission::ViewAwards),
            own_cooperative: if r == Role::Pengurus { user.cooperative_id } else { None },
        })
    }
}

/// One option of a select.
/// One `<option>`. Fixed lists (value sets, the catalogue's labels) borrow their text, so a
/// filter form of a hundred options costs no allocation per option.
pub struct Opt {
    pub value: Cow<'static, str>,
    pub label: Cow<'static, str>,
    pub selected: bool,
}

impl Opt {
    pub fn list(choose: &str, values: &[(String, String)], current: Option<&str>) -> Vec<Opt> {
        let mut out = vec![Opt {
            value: Cow::Borrowed(""),
            label: Cow::Owned(choose.to_string()),
            selected: current.is_none_or(str::is_empty),
        }];
        out.extend(values.iter().map(|(v, l)| Opt {
            value: Cow::Owned(v.clone()),
            label: Cow::Owned(l.clone()),
            selected: current == Some(v.as_str()),
        }));
        out
    }

    /// [`Opt::list`] over fixed text: `(value, label)` pairs, the first option `choose`.
    pub fn fixed(
        choose: impl Into<Cow<'static, str>>,
        values: impl IntoIterator<Item = (&'static str, &'static str)>,
        current: Option<&str>,
    ) -> Vec<Opt> {
        let values = values.into_iter();
        let mut out = Vec::with_capacity(values.size_hint().0 + 1);
        out.push(Opt {
            value: Cow::Borrowed(""),
            label: choose.into(),
            selected: current.is_none_or(str::is_empty),
        });
        out.extend(values.map(|(v, l)| Opt {
            value: Cow::Borrowed(v),
            label: Cow::Borrowed(l),
            selected: current == Some(v),
        }));
        out
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub t: Tr,
    pub nav: Option<Nav>,
    pub title: String,
    pub message: String,
}

/// The first value of a field in a form read as pairs (forms with repeated fields), trimmed;
/// empty when absent.
pub fn form_value(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default()
}

/// Query string from pairs, URL-encoded.
pub fn query_string(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
