//! The indicator pack on a Ballista cluster (a scheduler and two executors on
//! loopback, in this process) gives the embedded engine's counts: every
//! breakdown, value and month, on generated records that include services
//! outside the register, records without a delivery date and late ones.

use anyhow::{Context, Result, anyhow, ensure};
use bagalau_analytics::records::{Scenario, generate};
use bagalau_analytics::{Breakdown, IndicatorPack, engine};
use bagalau_ballista::Tables;
use bagalau_ballista::cluster::{
    Distribution, ExecutorOptions, Scheduler, free_ports, run_executor,
};
use bagalau_services::calendar::Rules;
use bagalau_services::register::Register;
use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

const REGISTER: &str = include_str!("../../bagalau-demo/data/services/register.csv");
const YEAR: i32 = 2023;
const RECORDS: u64 = 120_000;
const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// The groups on which two breakdowns differ, each with both counts.
fn differences(left: &Breakdown, right: &Breakdown) -> Vec<String> {
    let keys: BTreeSet<_> = left.groups.keys().chain(right.groups.keys()).collect();
    keys.into_iter()
        .filter(|k| left.groups.get(*k) != right.groups.get(*k))
        .map(|k| {
            format!(
                "{k:?}: {:?} against {:?}",
                left.groups.get(k),
                right.groups.get(k)
            )
        })
        .collect()
}

/// A scheduler and two executors on loopback, the executors registered.
async fn cluster(work: &std::path::Path) -> Result<(Scheduler, BTreeSet<String>)> {
    let scheduler =
        Scheduler::start(SocketAddr::new(LOOPBACK, 0), None, Distribution::RoundRobin).await?;
    let ports = free_ports(LOOPBACK, 4)?;
    let mut executors = Vec::new();
    for (i, pair) in ports.chunks(2).enumerate() {
        let mut options = ExecutorOptions::new(
            (LOOPBACK.to_string(), scheduler.addr().port()),
            SocketAddr::new(LOOPBACK, pair[0]),
            pair[1],
        );
        options.concurrency = 2;
        options.work_dir = Some(work.join(format!("executor-{i}")));
        std::fs::create_dir_all(options.work_dir.as_ref().expect("just set"))?;
        executors.push(tokio::spawn(run_executor(options)));
    }
    match scheduler
        .wait_for_executors(2, Duration::from_secs(30))
        .await
    {
        Ok(registered) => Ok((scheduler, registered)),
        Err(e) => {
            // An executor that failed to start says why.
            for executor in executors.into_iter().filter(|e| e.is_finished()) {
                executor.await??;
            }
            Err(e.into())
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_cluster_counts_what_the_embedded_engine_counts() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let records = dir.path().join("deliveries");
    let register = Register::from_csv(REGISTER)
        .map_err(|problems| anyhow!("the demo register: {problems:?}"))?;
    // Deliveries late in December end in the next year.
    let days = Rules::kazakhstan().working_days(YEAR, YEAR + 1)?;
    let mut scenario = Scenario::new(YEAR, RECORDS, 2023);
    // More of the rare cases than the defaults, so each of them lands in
    // many groups.
    scenario.hidden = 0.01;
    scenario.undelivered = 0.01;
    scenario.late = 0.05;
    generate(&records, &register, &days, &scenario, |_| {})?;
    let pack = IndicatorPack::services_v1();
    let all: Vec<u32> = (1..=12).collect();
    let first_half: Vec<u32> = (1..=6).collect();

    let embedded_ctx = engine::session(&records, &register, &days, YEAR, Some(2)).await?;
    let embedded = engine::count(&embedded_ctx, &pack, YEAR, &all).await?;
    let embedded_half = engine::count(&embedded_ctx, &pack, YEAR, &first_half).await?;
    let total = embedded.total();
    assert_eq!(total.get("records"), RECORDS);
    for count in [
        "hidden",
        "no_delivery_date",
        "violations",
        "on_time",
        "extra_documents",
    ] {
        assert!(total.get(count) > 0, "no record counts as {count}");
    }

    let (scheduler, executors) = cluster(&dir.path().join("work")).await?;
    assert_eq!(executors.len(), 2, "registered: {executors:?}");
    let tables_dir = dir.path().join("tables");
    engine::write_tables(&tables_dir, &register, &days, YEAR)?;
    let tables = Tables::new(&records, &tables_dir)?;
    // More partitions than the cluster's four slots, so every stage has
    // tasks for both executors.
    let ctx = bagalau_ballista::session(&scheduler.url(), &tables, Some(4)).await?;
    let on_cluster = engine::count(&ctx, &pack, YEAR, &all).await?;

    let differ = differences(&on_cluster, &embedded);
    assert!(
        differ.is_empty(),
        "{} groups differ, the first ones: {:#?}",
        differ.len(),
        &differ[..differ.len().min(10)]
    );
    assert_eq!(on_cluster, embedded);
    let dimensions: BTreeSet<&str> = on_cluster
        .groups
        .keys()
        .map(|(d, _, _)| d.as_str())
        .collect();
    assert_eq!(dimensions.len(), 8, "breakdowns: {dimensions:?}");
    assert_eq!(on_cluster.months(), all.iter().copied().collect());

    // The comparison tells counts apart: half a year on the cluster is the
    // embedded engine's half year, and not its whole year.
    let half_on_cluster = engine::count(&ctx, &pack, YEAR, &first_half).await?;
    assert!(differences(&half_on_cluster, &embedded_half).is_empty());
    assert_ne!(half_on_cluster, embedded);
    assert!(!differences(&half_on_cluster, &embedded).is_empty());

    // The queries ran on the cluster: its scheduler saw them succeed, with
    // results on both executors.
    let jobs = scheduler.successful_jobs().await?;
    ensure!(
        jobs.len() >= 2,
        "the scheduler ran {} jobs, not 2",
        jobs.len()
    );
    let used: BTreeSet<String> = jobs.into_iter().flat_map(|(_, e)| e).collect();
    assert_eq!(used, executors, "the executors that hold results");
    Ok(())
}

#[test]
fn tables_without_the_standards_file_are_refused_before_the_cluster_is_asked() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let records = dir.path().join("deliveries");
    std::fs::create_dir_all(&records)?;
    let refused = Tables::new(&records, dir.path())
        .err()
        .context("tables without standards.parquet were taken")?;
    assert!(
        refused.to_string().contains("standards.parquet"),
        "{refused}"
    );
    Ok(())
}
