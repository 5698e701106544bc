//! Background jobs claimed through the `jobs` table (kopra_db::jobs): one server runs a
//! job, the others skip it while it runs or while it is not due; a failed run frees it.

use crate::both_engines;
use crate::harness::TestApp;
use kopra_db::jobs::{JobOutcome, STATUS_RECOMPUTE, Skip};
use time::Duration;

both_engines!(a_job_runs_once_across_servers, a_failed_run_frees_the_job);

async fn a_job_runs_once_across_servers(app: TestApp) {
    let db = &app.db;
    let interval = Duration::minutes(10);
    let claim = db
        .claim_job("test_job", "server-a", interval)
        .await
        .unwrap()
        .expect("the first server claims the job");
    match db.claim_job("test_job", "server-b", interval).await.unwrap() {
        Err(Skip::Running { by, .. }) => assert_eq!(by, "server-a"),
        other => panic!("the second server must skip a running job: {other:?}"),
    }
    db.finish_job(&claim, 3, None).await.unwrap();
    match db.claim_job("test_job", "server-b", interval).await.unwrap() {
        Err(Skip::NotDue { last_run_at }) => assert_eq!(last_run_at, claim.started_at),
        other => panic!("a job that just ran is not due: {other:?}"),
    }
    // Due again once its last run is older than the interval asked for.
    let again = db
        .claim_job("test_job", "server-b", Duration::ZERO)
        .await
        .unwrap()
        .expect("due with a zero interval");
    db.finish_job(&again, 0, None).await.unwrap();
    let runs = db.job_runs("test_job").await.unwrap();
    let who: Vec<(&str, i64)> = runs.iter().map(|r| (r.server.as_str(), r.changed)).collect();
    assert_eq!(who, vec![("server-b", 0), ("server-a", 3)]);

    // The status recompute as a job: runs on the first server, skipped on the second.
    let today = kopra_db::status::wib_today();
    assert!(matches!(
        db.recompute_statuses_job("a", interval, today).await.unwrap(),
        JobOutcome::Ran { .. }
    ));
    assert!(matches!(
        db.recompute_statuses_job("b", interval, today).await.unwrap(),
        JobOutcome::Skipped(Skip::NotDue { .. })
    ));
    assert_eq!(db.job_runs(STATUS_RECOMPUTE).await.unwrap().len(), 1);
}

async fn a_failed_run_frees_the_job(app: TestApp) {
    let db = &app.db;
    let interval = Duration::hours(6);
    let claim = db
        .claim_job("test_job", "server-a", interval)
        .await
        .unwrap()
        .expect("claim");
    db.finish_job(&claim, 0, Some("boom")).await.unwrap();
    // Not marked as run: the next server runs it at once.
    let next = db
        .claim_job("test_job", "server-b", interval)
        .await
        .unwrap()
        .expect("a failed job is claimable again");
    db.finish_job(&next, 1, None).await.unwrap();
    let runs = db.job_runs("test_job").await.unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[1].error.as_deref(), Some("boom"));
    assert!(runs[0].error.is_none());
}
