//! The demo data: Kota Bekasi's cooperatives as the ministry's ODS held them in December
//! 2021 (`data/ods_kota_bekasi_2021.csv`, public registry data, officers' names removed),
//! read through the importer's ODS format.

use crate::settings::{DEMO_LOADED, Office};
use crate::{Actor, Db, DbError};
use kopra_import::{RowMessage, Severity, read_ods_csv};
use std::collections::HashMap;

pub const ODS_KOTA_BEKASI_2021: &str = include_str!("../../../data/ods_kota_bekasi_2021.csv");
pub const NIK_PREFIX_CROSSWALK: &str = include_str!("../../../data/kota_bekasi_kelurahan_nik_prefix_crosswalk.csv");

/// What a demo load did.
#[derive(Debug, Clone, Default)]
pub struct DemoReport {
    pub loaded: usize,
    pub rejected: usize,
    pub warnings: usize,
    pub already_loaded: bool,
    /// Annual reports made from ODS's "Tanggal RAT Terakhir".
    pub ods_reports: usize,
    pub messages: Vec<RowMessage>,
    /// The synthetic UMKM and coalitions (see `demo_umkm`).
    pub umkm: crate::demo_umkm::UmkmDemoReport,
}

/// The confident rows of the NIK-prefix → kelurahan crosswalk.
pub fn nik_prefix_crosswalk() -> HashMap<String, String> {
    let mut map = HashMap::new();
    let mut r = csv::Reader::from_reader(NIK_PREFIX_CROSSWALK.as_bytes());
    for rec in r.records().flatten() {
        if rec.get(5) == Some("yes") {
            map.insert(rec[0].to_string(), rec[1].to_string());
        }
    }
    map
}

impl Db {
    /// Loads the demo cooperatives once. Rows whose NIK already exists are left alone.
    pub async fn load_demo(&self, office: &Office) -> Result<DemoReport, DbError> {
        if self.setting(DEMO_LOADED).await?.is_some() {
            let ods_reports = self.ods_reports_from_register().await?;
            let umkm = self
                .load_demo_umkm(office, time::OffsetDateTime::now_utc().date())
                .await?;
            return Ok(DemoReport {
                already_loaded: true,
                ods_reports,
                umkm,
                ..Default::default()
            });
        }
        let index = self.region_index(&office.home).await?;
        let rows = read_ods_csv(
            ODS_KOTA_BEKASI_2021.as_bytes(),
            &index,
            &office.home,
            &nik_prefix_crosswalk(),
        )
        .map_err(|e| DbError::Corrupt(format!("demo file: {e}")))?;
        let actor = Actor {
            user_id: None,
            name: "demo".into(),
            ip: None,
        };
        let today = time::OffsetDateTime::now_utc().date();
        let mut report = DemoReport::default();
        for row in rows {
            report.warnings += row.messages.iter().filter(|m| m.severity == Severity::Warning).count();
            report.messages.extend(row.messages.iter().cloned());
            let Some(input) = row.input else {
                report.rejected += 1;
                continue;
            };
            let fields = match input.parse(today) {
                Ok(f) => f,
                Err(_) => {
                    report.rejected += 1;
                    continue;
                }
            };
            if let Some(nik) = &fields.nik
                && self.cooperative_by_nik(nik).await?.is_some()
            {
                continue;
            }
            match self.create_cooperative(office, &fields, &actor).await {
                Ok(_) => report.loaded += 1,
                Err(DbError::Invalid(_) | DbError::Duplicate(_)) => report.rejected += 1,
                Err(e) => return Err(e),
            }
        }
        self.set_setting(DEMO_LOADED, "ods_kota_bekasi_2021").await?;
        report.ods_reports = self.ods_reports_from_register().await?;
        report.umkm = self.load_demo_umkm(office, today).await?;
        Ok(report)
    }

    /// ODS's "Tanggal RAT Terakhir" becomes an annual report with source `ods`, for the
    /// book year before the meeting (a RAT cannot precede its book year's end). Only
    /// cooperatives without a report for that year get one; safe to run again.
    pub async fn ods_reports_from_register(&self) -> Result<usize, DbError> {
        let rows: Vec<(i64, time::Date)> = crate::on_pool!(self, p => sqlx::query_as(
            "SELECT c.id, c.ods_last_rat_date FROM cooperatives c WHERE c.ods_last_rat_date IS NOT NULL \
             AND NOT EXISTS (SELECT 1 FROM annual_reports r WHERE r.cooperative_id = c.id AND r.rat_date = c.ods_last_rat_date) ORDER BY c.id",
        ).fetch_all(p).await)?;
        let actor = Actor {
            user_id: None,
            name: "ods".into(),
            ip: None,
        };
        let mut made = 0;
        for (id, rat) in rows {
            let report = kopra_domain::annual_report::AnnualReport {
                book_year: rat.year() - 1,
                rat_date: Some(rat),
                report_channel: Some("ods".into()),
                ..Default::default()
            };
            match self.create_annual_report(id, &report, "ods", &actor).await {
                Ok(_) => made += 1,
                // A report for that book year already exists: keep it.
                Err(DbError::Duplicate(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(made)
    }
}
