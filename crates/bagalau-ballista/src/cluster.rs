//! A Ballista scheduler and executors started in this process through
//! Ballista's library APIs (`ballista-scheduler`, `ballista-executor`), for
//! the `bagalau-cluster` binary and for tests on loopback.

use crate::{ClusterError, Result};
use ballista_core::serde::protobuf::job_status::Status;
use ballista_executor::executor_process::{ExecutorProcessConfig, start_executor_process};
use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::config::{SchedulerConfig, TaskDistributionPolicy};
use ballista_scheduler::scheduler_process::{create_scheduler, start_grpc_service_with_listener};
use ballista_scheduler::scheduler_server::SchedulerServer;
use datafusion_proto::protobuf::{LogicalPlanNode, PhysicalPlanNode};
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// How the scheduler hands a stage's tasks to the executors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Distribution {
    /// One task to each executor in turn: the work is spread even when
    /// one executor alone has slots for all of a stage's tasks.
    RoundRobin,
    /// Ballista's default: each executor's free slots filled in turn.
    Bias,
}

/// The name other machines reach a server bound to `bind` by: its address,
/// or `localhost` when it listens on every interface.
fn advertised_host(bind: SocketAddr, external_host: Option<&str>) -> String {
    match external_host {
        Some(host) => host.to_string(),
        None if bind.ip().is_unspecified() => "localhost".to_string(),
        None => bind.ip().to_string(),
    }
}

/// A scheduler serving in this process.
pub struct Scheduler {
    addr: SocketAddr,
    server: SchedulerServer<LogicalPlanNode, PhysicalPlanNode>,
    /// Taken by `serve`; aborted on drop otherwise, so a scheduler dropped
    /// (at the end of a test) stops listening.
    serving: Option<JoinHandle<ballista_core::error::Result<()>>>,
}

impl Scheduler {
    /// Starts a scheduler listening on `bind` (port 0: any free port).
    pub async fn start(
        bind: SocketAddr,
        external_host: Option<&str>,
        distribution: Distribution,
    ) -> Result<Scheduler> {
        let listening = |source| ClusterError::Network {
            what: format!("listening on {bind}"),
            source,
        };
        let listener = TcpListener::bind(bind).await.map_err(listening)?;
        let addr = listener.local_addr().map_err(listening)?;
        let config = SchedulerConfig::default()
            .with_hostname(advertised_host(addr, external_host))
            .with_port(addr.port())
            .with_task_distribution(match distribution {
                Distribution::RoundRobin => TaskDistributionPolicy::RoundRobin,
                Distribution::Bias => TaskDistributionPolicy::Bias,
            });
        config.validate()?;
        let cluster = BallistaCluster::new_from_config(&config).await?;
        let server =
            create_scheduler::<LogicalPlanNode, PhysicalPlanNode>(cluster, Arc::new(config))
                .await?;
        let serving = tokio::spawn(start_grpc_service_with_listener(listener, server.clone()));
        Ok(Scheduler {
            addr,
            server,
            serving: Some(serving),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL a client session connects with.
    pub fn url(&self) -> String {
        format!("df://{}", self.addr)
    }

    /// The ids of the executors registered with the scheduler.
    pub async fn executors(&self) -> Result<BTreeSet<String>> {
        let state = self
            .server
            .state
            .executor_manager
            .get_executors_state()
            .await?;
        Ok(state.into_iter().map(|(meta, _, _)| meta.id).collect())
    }

    /// Waits until at least `n` executors have registered.
    pub async fn wait_for_executors(
        &self,
        n: usize,
        timeout: Duration,
    ) -> Result<BTreeSet<String>> {
        let start = tokio::time::Instant::now();
        loop {
            let executors = self.executors().await?;
            if executors.len() >= n {
                return Ok(executors);
            }
            if start.elapsed() > timeout {
                return Err(ClusterError::Cluster(format!(
                    "{} executors registered within {timeout:?}, not {n}",
                    executors.len()
                )));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The jobs the scheduler has run to success, each with the executors
    /// that hold its result partitions.
    pub async fn successful_jobs(&self) -> Result<Vec<(String, BTreeSet<String>)>> {
        let mut jobs = Vec::new();
        for job in self.server.state.task_manager.get_all_jobs().await? {
            if let Some(Status::Successful(done)) = job.status.status {
                let executors = done
                    .partition_location
                    .iter()
                    .filter_map(|p| p.executor_meta.as_ref().map(|m| m.id.clone()))
                    .collect();
                jobs.push((job.status.job_id, executors));
            }
        }
        Ok(jobs)
    }

    /// Serves until the gRPC service stops.
    pub async fn serve(mut self) -> Result<()> {
        let Some(serving) = self.serving.take() else {
            return Ok(());
        };
        serving
            .await
            .map_err(|e| ClusterError::Cluster(format!("the scheduler stopped: {e}")))??;
        Ok(())
    }
}

impl Drop for Scheduler {
    fn drop(&mut self) {
        if let Some(serving) = &self.serving {
            serving.abort();
        }
    }
}

/// What an executor is started with.
#[derive(Debug, Clone)]
pub struct ExecutorOptions {
    /// The scheduler's host and port.
    pub scheduler: (String, u16),
    /// Where the executor serves its results (Arrow Flight) to the other
    /// executors and the client.
    pub bind: SocketAddr,
    /// Where the scheduler pushes tasks to it.
    pub grpc_port: u16,
    /// The name the others reach it by, when not its bind address.
    pub external_host: Option<String>,
    /// Tasks run at once (0: this machine's cores).
    pub concurrency: usize,
    /// Where its shuffle files go (a temporary directory by default).
    pub work_dir: Option<PathBuf>,
    /// How long to keep trying to reach the scheduler at start.
    pub connect_timeout: Duration,
}

impl ExecutorOptions {
    pub fn new(scheduler: (String, u16), bind: SocketAddr, grpc_port: u16) -> ExecutorOptions {
        ExecutorOptions {
            scheduler,
            bind,
            grpc_port,
            external_host: None,
            concurrency: 0,
            work_dir: None,
            connect_timeout: Duration::from_secs(30),
        }
    }
}

/// Runs an executor until it is stopped (Ctrl-C, SIGTERM or the scheduler).
pub async fn run_executor(options: ExecutorOptions) -> Result<()> {
    let config = ExecutorProcessConfig {
        bind_host: options.bind.ip().to_string(),
        port: options.bind.port(),
        grpc_port: options.grpc_port,
        external_host: Some(advertised_host(
            options.bind,
            options.external_host.as_deref(),
        )),
        scheduler_host: options.scheduler.0,
        scheduler_port: options.scheduler.1,
        // Ballista retries the connection only when this is not zero.
        scheduler_connect_timeout_seconds: options
            .connect_timeout
            .as_secs()
            .clamp(1, u64::from(u16::MAX)) as u16,
        vcores: options.concurrency,
        work_dir: options.work_dir.map(|d| d.to_string_lossy().into_owned()),
        ..ExecutorProcessConfig::default()
    };
    start_executor_process(Arc::new(config)).await?;
    Ok(())
}

/// `n` distinct TCP ports free on `host` at the time of asking (for
/// executors on one machine, such as tests on loopback).
pub fn free_ports(host: std::net::IpAddr, n: usize) -> Result<Vec<u16>> {
    let finding = |source| ClusterError::Network {
        what: format!("finding a free port on {host}"),
        source,
    };
    // Every listener is held until all are bound, so no port is given twice.
    let listeners = (0..n)
        .map(|_| std::net::TcpListener::bind((host, 0)).map_err(finding))
        .collect::<Result<Vec<_>>>()?;
    listeners
        .iter()
        .map(|l| Ok(l.local_addr().map_err(finding)?.port()))
        .collect()
}
