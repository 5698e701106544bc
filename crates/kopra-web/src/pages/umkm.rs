//! The UMKM register in the browser: list with filters, register, edit, detail with the
//! size class and its basis, memberships, matching cooperatives and history; exports.

use crate::AppState;
use crate::auth::PageUser;
use crate::error::{AppError, PageError};
use crate::i18n::Tr;
use crate::pages::{Nav, Opt, query_string, render};
use crate::register::today;
use crate::umkm_params::UmkmListParams;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use kopra_db::cooperatives::VersionEntry;
use kopra_db::umkm::{Membership, UmkmRecord};
use kopra_domain::format::rupiah;
use kopra_domain::umkm::parse_tags;
use kopra_domain::umkm_input::UmkmInput;
use kopra_domain::{FieldError, FieldErrors, Permission, Scope};
use serde::Deserialize;

const PER_PAGE: i64 = 50;

/// The size class and its basis in words.
pub fn size_text(t: &Tr, r: &UmkmRecord) -> String {
    match &r.size_basis {
        None => t.key("umkm.size_unknown"),
        Some(s) => t.fill(
            "umkm.size_basis",
            &[
                ("class", &t.key(&format!("umkm.size.{}", s.class.as_str()))),
                ("regulation", s.regulation.label()),
                ("basis", &t.key(&format!("umkm.basis.{}", s.basis.as_str()))),
                ("amount", &rupiah(s.amount)),
            ],
        ),
    }
}

struct Row {
    id: i64,
    name: String,
    kecamatan: String,
    kelurahan: String,
    products: String,
    size: String,
    cluster: String,
}

/// Kota Bekasi's kecamatan shaded by their number of UMKM (other offices: no map yet).
fn umkm_map(t: &Tr, home: &kopra_domain::HomeRegion, counts: &[(String, i64)]) -> Option<String> {
    use kopra_report::choropleth::{AreaValue, Classes, choropleth};
    if home.code() != "32.75" {
        return None;
    }
    let max = counts.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1) as f64;
    let values = counts
        .iter()
        .map(|(code, n)| {
            (
                code.clone(),
                AreaValue {
                    value: Some(*n as f64 / max),
                    title: format!("{{nama}}: {n} UMKM"),
                    href: Some(format!("/umkm?kecamatan={code}")),
                },
            )
        })
        .collect();
    let bounds = [0.2, 0.4, 0.6, 0.8];
    let labels: Vec<String> = [0.0, 0.2, 0.4, 0.6, 0.8]
        .iter()
        .zip([0.2, 0.4, 0.6, 0.8, 1.0])
        .map(|(lo, hi)| format!("{}–{} UMKM", (lo * max).ceil() as i64, (hi * max).floor() as i64))
        .collect();
    let none = t.key("umkm.map_none");
    let classes = Classes {
        bounds: &bounds,
        colours: &["#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000"],
        labels: &labels,
        no_data_colour: "#d9d9d9",
        no_data_label: &none,
    };
    choropleth(
        include_str!("../../../../data/geo/kota_bekasi_kecamatan.geojson"),
        &values,
        &classes,
        480.0,
        &t.key("umkm.map"),
    )
    .ok()
}

#[derive(Template)]
#[template(path = "umkm/list.html")]
struct ListPage {
    t: Tr,
    nav: Option<Nav>,
    map: Option<String>,
    q: String,
    product: String,
    kecamatan: Vec<Opt>,
    sizes: Vec<Opt>,
    rows: Vec<Row>,
    count: String,
    query: String,
    prev: Option<String>,
    next: Option<String>,
    can_edit: bool,
}

async fn kecamatan_options(state: &AppState, t: &Tr, current: Option<&str>) -> Result<Vec<Opt>, AppError> {
    let list = state.db.kecamatan_in(&state.office.home).await?;
    Ok(Opt::list(
        t.get("field.choose"),
        &list.into_iter().map(|r| (r.code, r.name)).collect::<Vec<_>>(),
        current,
    ))
}

pub async fn list_page(
    State(state): State<AppState>,
    user: PageUser,
    Query(p): Query<UmkmListParams>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewUmkm)?;
    let t = Tr::new(user.ctx.lang);
    let (filter, page, per_page) = p.parse(PER_PAGE).map_err(|e| user.fail(e))?;
    let result = state
        .db
        .list_umkm(&filter, &user.user.scope(), page, per_page)
        .await
        .map_err(|e| user.fail(e))?;
    let pairs = p.query_pairs();
    let query = query_string(&pairs);
    let page_query = |n: i64| {
        let mut q = pairs.clone();
        q.push(("page", n.to_string()));
        query_string(&q)
    };
    let sizes = Opt::list(
        t.get("field.choose"),
        &["mikro", "kecil", "menengah", "besar"]
            .iter()
            .map(|s| (s.to_string(), t.key(&format!("umkm.size.{s}"))))
            .collect::<Vec<_>>(),
        filter.size_class.as_deref(),
    );
    let rows = result
        .items
        .iter()
        .map(|u| Row {
            id: u.id,
            name: u.fields.name.clone(),
            kecamatan: u.kecamatan_name.clone().unwrap_or_default(),
            kelurahan: u.kelurahan_name.clone().unwrap_or_default(),
            products: u.fields.products.join(", "),
            size: u
                .size_class
                .map(|c| t.key(&format!("umkm.size.{}", c.as_str())))
                .unwrap_or_default(),
            cluster: u.fields.cluster.clone().unwrap_or_default(),
        })
        .collect();
    let counts = state.db.umkm_counts_by_kecamatan().await.map_err(|e| user.fail(e))?;
    Ok(render(&ListPage {
        map: umkm_map(&t, &state.office.home, &counts),
        count: t.fill("umkm.count", &[("total", &result.total.to_string())]),
        kecamatan: kecamatan_options(&state, &t, filter.kecamatan.as_deref())
            .await
            .map_err(|e| user.fail(e))?,
        sizes,
        q: filter.q.clone().unwrap_or_default(),
        product: filter.product.clone().unwrap_or_default(),
        rows,
        query,
        prev: (page > 1).then(|| page_query(page - 1)),
        next: (page * per_page < result.total).then(|| page_query(page + 1)),
        can_edit: user.user.role.allows(Permission::EditUmkm),
        nav: Nav::of(&user.user),
        t,
    }))
}

/// The form's fields as text.
#[derive(Debug, Default, Deserialize, Clone)]
pub struct UmkmForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    owner_name: String,
    #[serde(default)]
    owner_phone: String,
    #[serde(default)]
    nib: String,
    #[serde(default)]
    kbli: String,
    #[serde(default)]
    products: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    kelurahan_code: String,
    #[serde(default)]
    capital: String,
    #[serde(default)]
    annual_sales: String,
    #[serde(default)]
    employees_male: String,
    #[serde(default)]
    employees_female: String,
    #[serde(default)]
    skb_number: String,
    #[serde(default)]
    cluster: String,
    #[serde(default)]
    recorded_on: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    version: Option<i64>,
}

fn some(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

impl UmkmForm {
    fn input(&self) -> Result<UmkmInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut number =
            |v: &str, field: &'static str| crate::pages::reports::optional_whole_number(v, field, &mut errors);
        let input = UmkmInput {
            name: some(&self.name),
            owner_name: some(&self.owner_name),
            owner_phone: some(&self.owner_phone),
            nib: some(&self.nib),
            kbli: self
                .kbli
                .split([',', ';', ' '])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            products: parse_tags(&self.products),
            address: some(&self.address),
            kelurahan_code: some(&self.kelurahan_code),
            capital: number(&self.capital, "capital"),
            annual_sales: number(&self.annual_sales, "annual_sales"),
            employees_male: number(&self.employees_male, "employees_male"),
            employees_female: number(&self.employees_female, "employees_female"),
            skb_number: some(&self.skb_number),
            cluster: some(&self.cluster),
            recorded_on: some(&self.recorded_on),
            notes: some(&self.notes),
        };
        if errors.is_empty() { Ok(input) } else { Err(errors) }
    }

    fn of(r: &UmkmRecord) -> UmkmForm {
        let f = &r.fields;
        let n = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        UmkmForm {
            name: f.name.clone(),
            owner_name: f.owner_name.clone().unwrap_or_default(),
            owner_phone: f.owner_phone.clone().unwrap_or_default(),
            nib: f.nib.clone().unwrap_or_default(),
            kbli: f.kbli.join(", "),
            products: f.products.join(", "),
            address: f.address.clone().unwrap_or_default(),
            kelurahan_code: f.kelurahan_code.clone(),
            capital: n(f.capital),
            annual_sales: n(f.annual_sales),
            employees_male: n(f.employees_male),
            employees_female: n(f.employees_female),
            skb_number: f.skb_number.clone().unwrap_or_default(),
            cluster: f.cluster.clone().unwrap_or_default(),
            recorded_on: f.recorded_on.to_string(),
            notes: f.notes.clone().unwrap_or_default(),
            version: Some(r.version),
        }
    }
}

#[derive(Template)]
#[template(path = "umkm/form.html")]
struct FormPage {
    t: Tr,
    nav: Option<Nav>,
    title: String,
    action: String,
    form: UmkmForm,
    kelurahan: Vec<Opt>,
    errors: Vec<(String, String)>,
}

async fn form_page(
    state: &AppState,
    user: &PageUser,
    title: &str,
    action: String,
    form: UmkmForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let t = Tr::new(user.ctx.lang);
    let kelurahan = state
        .db
        .kelurahan_in(&state.office.home)
        .await
        .map_err(|e| user.fail(e))?
        .into_iter()
        .map(|(code, name, kec)| (code, format!("{name} — {kec}")))
        .collect::<Vec<_>>();
    let page = FormPage {
        title: t.key(title),
        action,
        kelurahan: Opt::list(t.get("field.choose"), &kelurahan, Some(&form.kelurahan_code)),
        errors: errors
            .iter()
            .map(|(f, e)| (f.to_string(), t.field_error(f, e.code())))
            .collect(),
        form,
        nav: Nav::of(&user.user),
        t,
    };
    Ok((status, render(&page)).into_response())
}

pub async fn new_page(State(state): State<AppState>, user: PageUser) -> Result<Response, PageError> {
    user.require(Permission::EditUmkm)?;
    form_page(
        &state,
        &user,
        "umkm.new",
        "/umkm/baru".into(),
        UmkmForm::default(),
        &FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn create_submit(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<UmkmForm>,
) -> Result<Response, PageError> {
    user.require(Permission::EditUmkm)?;
    let fields = match form.input().and_then(|i| i.parse(today())) {
        Ok(f) => f,
        Err(e) => {
            return form_page(
                &state,
                &user,
                "umkm.new",
                "/umkm/baru".into(),
                form,
                &e,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    if let Err(e) = crate::register::check_kecamatan(&user.user, &fields.kecamatan_code) {
        return Err(user.fail(e));
    }
    match state.db.create_umkm(&state.office, &fields, &user.actor()).await {
        Ok(r) => Ok(Redirect::to(&format!("/umkm/{}", r.id)).into_response()),
        Err(kopra_db::DbError::Invalid(e) | kopra_db::DbError::Duplicate(e)) => {
            form_page(
                &state,
                &user,
                "umkm.new",
                "/umkm/baru".into(),
                form,
                &e,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(user.fail(e)),
    }
}

async fn load(state: &AppState, user: &PageUser, id: i64) -> Result<UmkmRecord, PageError> {
    let r = state.db.umkm(id).await.map_err(|e| user.fail(e))?;
    match user.user.scope() {
        Scope::All => Ok(r),
        Scope::Kecamatan(list) if list.contains(&r.fields.kecamatan_code) => Ok(r),
        _ => Err(user.fail(AppError::Forbidden)),
    }
}

pub async fn edit_page(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    user.require(Permission::EditUmkm)?;
    let r = load(&state, &user, id).await?;
    form_page(
        &state,
        &user,
        "umkm.edit",
        format!("/umkm/{id}/ubah"),
        UmkmForm::of(&r),
        &FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn edit_submit(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(form): Form<UmkmForm>,
) -> Result<Response, PageError> {
    user.require(Permission::EditUmkm)?;
    load(&state, &user, id).await?;
    let action = format!("/umkm/{id}/ubah");
    let fields = match form.input().and_then(|i| i.parse(today())) {
        Ok(f) => f,
        Err(e) => {
            return form_page(
                &state,
                &user,
                "umkm.edit",
                action,
                form,
                &e,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    if let Err(e) = crate::register::check_kecamatan(&user.user, &fields.kecamatan_code) {
        return Err(user.fail(e));
    }
    match state
        .db
        .update_umkm(&state.office, id, &fields, form.version, &user.actor())
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/umkm/{id}")).into_response()),
        Err(kopra_db::DbError::Invalid(e) | kopra_db::DbError::Duplicate(e)) => {
            form_page(
                &state,
                &user,
                "umkm.edit",
                action,
                form,
                &e,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(user.fail(e)),
    }
}

pub struct MatchView {
    pub id: i64,
    pub name: String,
    pub score: u32,
    pub reasons: Vec<String>,
}

struct HistoryView {
    at: String,
    by: String,
    changes: Vec<String>,
}

#[derive(Template)]
#[template(path = "umkm/detail.html")]
struct DetailPage {
    t: Tr,
    nav: Option<Nav>,
    r: UmkmRecord,
    size: String,
    capital: String,
    sales: String,
    memberships: Vec<Membership>,
    matches: Vec<MatchView>,
    history: Vec<HistoryView>,
    can_edit: bool,
    synthetic: bool,
}

fn history_view(t: &Tr, v: &VersionEntry) -> HistoryView {
    HistoryView {
        at: v.at.date().to_string(),
        by: v.actor_name.clone(),
        changes: v
            .changes
            .iter()
            .map(|c| {
                format!(
                    "{}: {} → {}",
                    t.key(&format!("field.{}", c.field)),
                    c.from.as_deref().unwrap_or("—"),
                    c.to.as_deref().unwrap_or("—")
                )
            })
            .collect(),
    }
}

pub async fn detail_page(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewUmkm)?;
    let t = Tr::new(user.ctx.lang);
    let r = load(&state, &user, id).await?;
    let memberships = state.db.memberships(Some(id), None).await.map_err(|e| user.fail(e))?;
    let matches = if user.user.role.allows(Permission::ManageCoalitions) {
        state
            .db
            .umkm_matches(id, 10)
            .await
            .map_err(|e| user.fail(e))?
            .into_iter()
            .map(|p| MatchView {
                id: p.cooperative_id,
                name: p.cooperative_name,
                score: p.score,
                reasons: p
                    .reasons
                    .iter()
                    .map(|x| crate::api::strengthening::reason_text(x, user.ctx.lang))
                    .collect(),
            })
            .collect()
    } else {
        vec![]
    };
    let history = state
        .db
        .umkm_history(id)
        .await
        .map_err(|e| user.fail(e))?
        .iter()
        .map(|v| history_view(&t, v))
        .collect();
    Ok(render(&DetailPage {
        size: size_text(&t, &r),
        capital: r.fields.capital.map(rupiah).unwrap_or_default(),
        sales: r.fields.annual_sales.map(rupiah).unwrap_or_default(),
        synthetic: r.fields.notes.as_deref().is_some_and(|n| n.contains("SINTETIS")),
        memberships,
        matches,
        history,
        can_edit: user.user.role.allows(Permission::EditUmkm),
        r,
        nav: Nav::of(&user.user),
        t,
    }))
}

#[derive(Deserialize)]
pub struct MembershipForm {
    cooperative_id: String,
    #[serde(default)]
    joined_on: String,
}

pub async fn membership_submit(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<MembershipForm>,
) -> Result<Response, PageError> {
    user.require(Permission::EditUmkm)?;
    load(&state, &user, id).await?;
    let coop: i64 = f.cooperative_id.trim().parse().map_err(|_| {
        user.fail(AppError::Invalid(FieldErrors::single(
            "cooperative_id",
            FieldError::ValueNotInList,
        )))
    })?;
    let c = state.db.cooperative(coop).await.map_err(|e| user.fail(e))?;
    crate::register::check_scope(&user.user, &c).map_err(|e| user.fail(e))?;
    let joined = match some(&f.joined_on) {
        None => None,
        Some(s) => Some(kopra_domain::cooperative::parse_iso_date(&s).ok_or_else(|| {
            user.fail(AppError::Invalid(FieldErrors::single(
                "joined_on",
                FieldError::DateFormat,
            )))
        })?),
    };
    state
        .db
        .add_membership(id, coop, joined, &user.actor())
        .await
        .map_err(|e| user.fail(e))?;
    Ok(Redirect::to(&format!("/umkm/{id}")).into_response())
}

/// The filtered list as a workbook or CSV (owners' data only for roles that may see it).
pub async fn export(
    State(state): State<AppState>,
    user: PageUser,
    Path(format): Path<String>,
    Query(p): Query<UmkmListParams>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewUmkm)?;
    let (filter, _, _) = p.parse(PER_PAGE).map_err(|e| user.fail(e))?;
    let t = Tr::new(user.ctx.lang);
    let headers: Vec<String> = [
        "name",
        "owner_name",
        "owner_phone",
        "nib",
        "kbli",
        "products",
        "address",
        "kelurahan_code",
        "kecamatan_code",
        "capital",
        "annual_sales",
        "size_class",
        "employees_male",
        "employees_female",
        "skb_number",
        "cluster",
        "recorded_on",
    ]
    .iter()
    .map(|k| t.key(&format!("field.{k}")))
    .collect();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut page = 1;
    loop {
        let batch = state
            .db
            .list_umkm(
                &filter,
                &user.user.scope(),
                page,
                kopra_db::cooperative_list::MAX_PER_PAGE,
            )
            .await
            .map_err(|e| user.fail(e))?;
        let n = batch.items.len() as i64;
        for u in batch.items {
            let f = u.fields;
            let num = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
            rows.push(vec![
                f.name,
                f.owner_name.unwrap_or_default(),
                f.owner_phone.unwrap_or_default(),
                f.nib.unwrap_or_default(),
                f.kbli.join(", "),
                f.products.join(", "),
                f.address.unwrap_or_default(),
                f.kelurahan_code,
                f.kecamatan_code,
                num(f.capital),
                num(f.annual_sales),
                u.size_class.map(|c| c.as_str().to_string()).unwrap_or_default(),
                num(f.employees_male),
                num(f.employees_female),
                f.skb_number.unwrap_or_default(),
                f.cluster.unwrap_or_default(),
                f.recorded_on.to_string(),
            ]);
        }
        if n < kopra_db::cooperative_list::MAX_PER_PAGE || page * n >= batch.total {
            break;
        }
        page += 1;
    }
    let filters = query_string(&p.query_pairs());
    state
        .db
        .audit(
            &user.actor(),
            kopra_db::audit::AuditEntry {
                action: if format == "xlsx" { "export.xlsx" } else { "export.csv" },
                entity_type: "umkm",
                entity_id: None,
                before: None,
                after: Some(serde_json::json!({"filters": filters, "rows": rows.len()})),
            },
        )
        .await
        .map_err(|e| user.fail(e))?;
    match format.as_str() {
        "xlsx" => {
            let title = vec![
                format!(
                    "{} · {}: {}",
                    t.get("umkm.title"),
                    t.key("export.filters"),
                    if filters.is_empty() { "-" } else { filters.as_str() }
                ),
                format!("{}: {} · {}", t.key("export.at"), kopra_db::now(), user.user.username),
            ];
            let bytes = kopra_report::xlsx::table_workbook("UMKM", &title, &headers, &rows)
                .map_err(|e| user.fail(AppError::Internal(e.to_string())))?;
            Ok((
                [
                    (
                        header::CONTENT_TYPE,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    ),
                    (header::CONTENT_DISPOSITION, "attachment; filename=\"umkm.xlsx\""),
                ],
                bytes,
            )
                .into_response())
        }
        "csv" => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let _ = w.write_record(&headers);
            for r in &rows {
                let _ = w.write_record(r);
            }
            let bytes = w.into_inner().unwrap_or_default();
            Ok((
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                    (header::CONTENT_DISPOSITION, "attachment; filename=\"umkm.csv\""),
                ],
                bytes,
            )
                .into_response())
        }
        _ => Err(user.fail(AppError::NotFound)),
    }
}

struct ImportRowView {
    line: u64,
    name: String,
    action: String,
    messages: Vec<String>,
}

#[derive(Template)]
#[template(path = "umkm/import.html")]
struct ImportPage {
    t: Tr,
    nav: Option<Nav>,
    error: Option<String>,
    summary: Option<String>,
    committed: Option<String>,
    rows: Vec<ImportRowView>,
}

fn import_page(page: ImportPage, status: StatusCode) -> Response {
    (status, render(&page)).into_response()
}

pub async fn import_form(user: PageUser) -> Result<Response, PageError> {
    user.require(Permission::EditUmkm)?;
    let t = Tr::new(user.ctx.lang);
    Ok(import_page(
        ImportPage {
            nav: Nav::of(&user.user),
            t,
            error: None,
            summary: None,
            committed: None,
            rows: vec![],
        },
        StatusCode::OK,
    ))
}

/// Checks (and, when asked and nothing is rejected, imports) a UMKM spreadsheet.
pub async fn import_submit(
    State(state): State<AppState>,
    user: PageUser,
    form: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    use kopra_db::umkm_import::{UmkmImportFailure, UmkmRowAction};
    user.require(Permission::EditUmkm)?;
    let t = Tr::new(user.ctx.lang);
    let fail_page = |msg: String, status: StatusCode| {
        import_page(
            ImportPage {
                nav: Nav::of(&user.user),
                t: Tr::new(user.ctx.lang),
                error: Some(msg),
                summary: None,
                committed: None,
                rows: vec![],
            },
            status,
        )
    };
    let mut form = form.map_err(|r| {
        user.fail(AppError::BadRequest(
            StatusCode::BAD_REQUEST,
            "bad_request",
            r.body_text(),
        ))
    })?;
    let (mut file, mut commit) = (None, false);
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Ok(fail_page(
                    t.key("import.error.too_large"),
                    StatusCode::PAYLOAD_TOO_LARGE,
                ));
            }
            Err(e) => {
                return Err(user.fail(AppError::BadRequest(
                    StatusCode::BAD_REQUEST,
                    "bad_request",
                    e.body_text(),
                )));
            }
        };
        match field.name() {
            Some("action") => commit = field.text().await.is_ok_and(|a| a == "commit"),
            Some("file") => {
                let name = field.file_name().unwrap_or("umkm").to_string();
                match field.bytes().await {
                    Ok(b) => file = Some((name, b.to_vec())),
                    Err(_) => {
                        return Ok(fail_page(
                            t.key("import.error.too_large"),
                            StatusCode::PAYLOAD_TOO_LARGE,
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Ok(fail_page(t.key("import.error.empty"), StatusCode::UNPROCESSABLE_ENTITY));
    };
    let plan = match state
        .db
        .plan_umkm_import(&bytes, &name, &state.office, None, today())
        .await
    {
        Ok(p) => p,
        Err(UmkmImportFailure::File(e)) => {
            return Ok(fail_page(
                t.key(&format!("import.error.{}", e.code())),
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
        Err(UmkmImportFailure::Db(e)) => return Err(user.fail(e)),
    };
    let rejected = plan.count(UmkmRowAction::Rejected);
    let summary = t.fill(
        "umkm.import_counts",
        &[
            ("rows", &plan.rows.len().to_string()),
            ("created", &plan.count(UmkmRowAction::Create).to_string()),
            ("updated", &plan.count(UmkmRowAction::Update).to_string()),
            ("unchanged", &plan.count(UmkmRowAction::Unchanged).to_string()),
            ("errors", &rejected.to_string()),
        ],
    );
    let committed = if commit && rejected == 0 {
        let (c, u) = state
            .db
            .commit_umkm_import(&plan, &user.actor())
            .await
            .map_err(|e| user.fail(e))?;
        Some(t.fill(
            "umkm.import_done",
            &[("created", &c.to_string()), ("updated", &u.to_string())],
        ))
    } else if commit {
        Some(t.key("import.must_fix"))
    } else {
        None
    };
    let rows = plan
        .rows
        .iter()
        .filter(|r| r.action != UmkmRowAction::Unchanged || !r.messages.is_empty())
        .take(500)
        .map(|r| ImportRowView {
            line: r.line,
            name: r.name.clone(),
            action: t.key(&format!(
                "import.action.{}",
                match r.action {
                    UmkmRowAction::Create => "create",
                    UmkmRowAction::Update => "update",
                    UmkmRowAction::Unchanged => "unchanged",
                    UmkmRowAction::Rejected => "rejected",
                }
            )),
            messages: r
                .messages
                .iter()
                .map(|(column, value, _, code)| format!("{column} «{value}»: {}", t.key(&format!("import.{code}"))))
                .collect(),
        })
        .collect();
    let status = if rejected > 0 {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(import_page(
        ImportPage {
            nav: Nav::of(&user.user),
            t,
            error: None,
            summary: Some(summary),
            committed,
            rows,
        },
        status,
    ))
}
