//! The deadline rush: hundreds of reporters sign in through the workspace,
//! open their body's form, save drafts and submit, all in the last days
//! before the submission deadline, while the public portal is read at the
//! same time. On SQLite, and on PostgreSQL when `BAGALAU_TEST_POSTGRES_URL`
//! names a server.
//!
//! The server is the real one (`bagalau_web::serve_on`, its own runtime
//! with a worker per core, the audit trail signed with a key as in
//! production) on loopback; the reporters and readers are HTTP clients in
//! another runtime of the same process. The database holds the demo's
//! registry and methodologies, four assessed and published years
//! (2019-2022) and the 2023 cycle open for submissions; the server's clock
//! starts five days before the submission deadline. The server trusts
//! `X-Forwarded-For` as behind a reverse proxy, and each body's reporters
//! come from their office's one address.
//!
//! Every reporter: `GET /login`, `POST /login` (Argon2id, 64 MiB), `GET` the
//! form, three drafts a third of the form each, some seconds of thought
//! before each (each draft is a `POST` and then the page it redirects to);
//! the last reporter of each body waits for its colleagues and submits the
//! whole form. Sign-ins arrive at a steady rate, as people arrive at work: the
//! server hashes passwords on all cores but one, so that rate, not the
//! number of reporters, is what sign-in latency depends on.
//!
//! `cargo bench -p bagalau-web --bench deadline_rush`; settings in the
//! environment: `RUSH_REPORTERS` (500), `RUSH_SIGN_INS_PER_TEN_SECONDS`
//! (30: one Argon2id verification takes about 0.26 s of a core here, and
//! the server hashes on one core of two), `RUSH_THINK_SECONDS` (20 on
//! average before each draft), `RUSH_READERS` (8 portal readers) and
//! `RUSH_READER_PAUSE_MS` (20 ms between a reader's pages).
//! Figures in docs/benchmarks.md. Not a test: nothing here passes or fails
//! on time, but any answer other than the expected one is counted and
//! printed as an error.

use bagalau_core::accounts::hash_password;
use bagalau_core::cycle::Role;
use bagalau_core::data::YearData;
use bagalau_core::pack;
use bagalau_core::publication::{Publication, Snapshot};
use bagalau_core::registry;
use bagalau_core::score;
use bagalau_core::transparency::SigningKey;
use bagalau_store::{AnyStore, AuditKeys, Document, ImportBatch, Store, UserRecord};
use bagalau_web::{AppState, ClientAddressFrom, Clock, ServeOptions};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The demo's cycle: its calendar's submission deadline is 2024-02-15.
const YEAR: i32 = bagalau_demo::CYCLE_YEAR;
const PASSWORD: &str = "deadline rush password";
/// When the rush starts on the server's clock: five days before the deadline.
const START: &str = "2024-02-10T10:00:00+00:00";
const SEED: u64 = bagalau_demo::DEFAULT_SEED;

/// The server's clock: from [`START`] on, as fast as real time.
fn clock() -> Clock {
    let start = chrono::DateTime::parse_from_rfc3339(START).expect("a valid start");
    let started = Instant::now();
    Arc::new(move || {
        let elapsed = chrono::Duration::from_std(started.elapsed()).unwrap_or_default();
        (start + elapsed).to_rfc3339()
    })
}

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

type Fail = Box<dyn std::error::Error + Send + Sync>;

/// The reporters' bodies and, per body, the values its form will be filled with.
struct Plan {
    reporters: Vec<(String, String)>,
    values: BTreeMap<String, BTreeMap<String, f64>>,
}

/// Fills an empty store: registry, methodologies, 2019-2022 assessed and
/// published, the 2023 cycle open, `reporters` reporter accounts spread
/// over the bodies evaluated in 2023.
async fn prepare(store: &AnyStore, reporters: usize) -> Result<Plan, Fail> {
    let (file, text) = bagalau_demo::REGISTRY;
    let registry = registry::load(file, text)?;
    let mut batch = ImportBatch {
        at: "2024-01-09T09:00:00+00:00".into(),
        actor: "bench".into(),
        ..Default::default()
    };
    let mut values: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
    for (file, text) in bagalau_demo::PACKS {
        let m = pack::load(file, text)?;
        let observations = bagalau_demo::generate(&m, &registry, SEED);
        if m.year == YEAR {
            for o in &observations {
                if let Some(v) = o.value {
                    values
                        .entry(o.body.clone())
                        .or_default()
                        .insert(o.indicator.clone(), v);
                }
            }
        } else {
            let assessment = score::assess(
                &m,
                &registry,
                &YearData::from_observations(&observations, true),
            );
            let (content, hash) = Snapshot::from_assessment(&assessment, &registry).canonical();
            batch.publications.push((
                Publication {
                    year: m.year,
                    version: 1,
                    content_sha256: hash,
                    published_at: batch.at.clone(),
                    published_by: "bench".into(),
                    reason: None,
                },
                content,
            ));
            batch.assessments.push(assessment);
            batch.observations.extend(
                observations
                    .into_iter()
                    .map(|o| (o, bagalau_core::data::DEMONSTRATION.to_string())),
            );
        }
        batch.packs.push(Document {
            file_name: file.into(),
            text: text.into(),
            parsed: m,
        });
    }
    let bodies: Vec<String> = registry
        .evaluated_in(YEAR)
        .into_iter()
        .map(|b| b.id.clone())
        .collect();
    batch.registry = Some(Document {
        file_name: file.into(),
        text: text.into(),
        parsed: registry,
    });
    batch.cycles.push((YEAR, bagalau_demo::cycle_calendar()));
    // One hash for all: each sign-in still verifies a full Argon2id hash.
    let hash = hash_password(PASSWORD, &[7; 16])?;
    let mut plan = Plan {
        reporters: Vec::new(),
        values,
    };
    for i in 0..reporters {
        let body = &bodies[i % bodies.len()];
        let name = format!("reporter-{body}-{}", i / bodies.len() + 1);
        batch.users.push(UserRecord {
            disabled_at: None,
            name: name.clone(),
            password_hash: hash.clone(),
            roles: vec![Role::Reporter { body: body.clone() }.to_text()],
            created_at: batch.at.clone(),
        });
        plan.reporters.push((name, body.clone()));
    }
    store.apply(batch).await?;
    Ok(plan)
}

/// Response times in milliseconds by kind of request, and the errors.
#[derive(Default)]
struct Tally {
    times: BTreeMap<&'static str, Vec<f64>>,
    errors: Vec<String>,
    /// Sign-ins answered "busy" (503) or "slow down" (429), tried again.
    retried: BTreeMap<u16, usize>,
}

type Shared = Arc<Mutex<Tally>>;

struct Answer {
    status: StatusCode,
    location: Option<String>,
    cookies: Vec<String>,
    retry_after: Option<u64>,
    body: String,
}

#[derive(Clone)]
struct Http {
    client: Client<HttpConnector, Full<Bytes>>,
    base: String,
    tally: Shared,
    /// The address a reverse proxy says the request came from: each body's
    /// office is one address, as behind its own NAT.
    from: Option<String>,
}

impl Http {
    async fn send(
        &self,
        kind: &'static str,
        method: Method,
        path: &str,
        cookie: Option<&str>,
        form: Option<String>,
    ) -> Result<Answer, Fail> {
        let mut req = Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .header("Accept-Language", "en");
        if let Some(c) = cookie {
            req = req.header("Cookie", c);
        }
        if let Some(from) = &self.from {
            req = req.header("X-Forwarded-For", from);
        }
        let body = match form {
            Some(f) => {
                req = req.header("Content-Type", "application/x-www-form-urlencoded");
                Full::new(Bytes::from(f))
            }
            None => Full::new(Bytes::new()),
        };
        let started = Instant::now();
        let res = self.client.request(req.body(body)?).await?;
        let status = res.status();
        let header = |name: &str| {
            res.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let location = header("location");
        let retry_after = header("retry-after").and_then(|v| v.parse().ok());
        let cookies = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .map(str::to_string)
            .collect();
        let bytes = res.into_body().collect().await?.to_bytes();
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        self.tally
            .lock()
            .map_err(|_| "a poisoned tally")?
            .times
            .entry(kind)
            .or_default()
            .push(ms);
        Ok(Answer {
            status,
            location,
            cookies,
            retry_after,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        })
    }

    fn error(&self, what: String) {
        if let Ok(mut t) = self.tally.lock() {
            t.errors.push(what);
        }
    }
}

/// The value of the first `name="NAME" value="…"` in a page.
fn hidden(page: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker)? + marker.len();
    let len = page[start..].find('"')?;
    Some(page[start..start + len].to_string())
}

/// The indicators of a form: its `v.ID` inputs.
fn fields(page: &str) -> Vec<String> {
    page.match_indices("name=\"v.")
        .filter_map(|(i, m)| {
            let rest = &page[i + m.len()..];
            rest.find('"').map(|end| rest[..end].to_string())
        })
        .collect()
}

fn form(pairs: &[(String, String)]) -> Result<String, Fail> {
    Ok(serde_urlencoded::to_string(pairs)?)
}

/// A signed-in reporter with the body's form open.
struct Session {
    cookie: String,
    csrf: String,
    form_path: String,
    /// The form's fields this reporter fills, as form pairs.
    mine: Vec<(String, String)>,
}

/// Signs in through the workspace and opens the body's form.
async fn sign_in(
    http: &Http,
    name: &str,
    body: &str,
    values: &BTreeMap<String, f64>,
) -> Result<Session, Fail> {
    let form_path = format!("/workspace/{YEAR}/submissions/{body}");
    let page = http
        .send(
            "sign-in page",
            Method::GET,
            &format!("/login?next={form_path}"),
            None,
            None,
        )
        .await?;
    let sign_in_cookie = page.cookies.first().cloned().ok_or("no sign-in cookie")?;
    let csrf = hidden(&page.body, "csrf").ok_or("no sign-in form")?;
    let credentials = form(&[
        ("name".into(), name.to_string()),
        ("password".into(), PASSWORD.into()),
        ("csrf".into(), csrf),
        ("next".into(), form_path.clone()),
    ])?;
    let cookie = loop {
        let a = http
            .send(
                "sign in",
                Method::POST,
                "/login",
                Some(&sign_in_cookie),
                Some(credentials.clone()),
            )
            .await?;
        match a.status {
            StatusCode::SEE_OTHER => {
                break a
                    .cookies
                    .into_iter()
                    .find(|c| c.starts_with("bagalau_session="))
                    .ok_or("no session cookie")?;
            }
            // Busy or slowed down: the person tries again a little later.
            StatusCode::SERVICE_UNAVAILABLE | StatusCode::TOO_MANY_REQUESTS => {
                *http
                    .tally
                    .lock()
                    .map_err(|_| "poisoned")?
                    .retried
                    .entry(a.status.as_u16())
                    .or_default() += 1;
                tokio::time::sleep(Duration::from_secs(a.retry_after.unwrap_or(1))).await;
            }
            other => return Err(format!("sign-in answered {other}").into()),
        }
    };
    let page = http
        .send(
            "open the form",
            Method::GET,
            &form_path,
            Some(&cookie),
            None,
        )
        .await?;
    if page.status != StatusCode::OK {
        return Err(format!("the form answered {}", page.status).into());
    }
    let csrf = hidden(&page.body, "csrf").ok_or("no csrf in the form")?;
    let mine: Vec<(String, String)> = fields(&page.body)
        .into_iter()
        .filter_map(|id| values.get(&id).map(|v| (format!("v.{id}"), v.to_string())))
        .collect();
    if mine.is_empty() {
        return Err("a form without values to fill".into());
    }
    Ok(Session {
        cookie,
        csrf,
        form_path,
        mine,
    })
}

/// Saves (`draft`) or submits (`submit`) part of the form, then reads the
/// page the answer redirects to, as a browser does.
async fn save(
    http: &Http,
    s: &Session,
    kind: &'static str,
    part: &[(String, String)],
    action: &str,
) -> Result<(), Fail> {
    let mut pairs = vec![
        ("csrf".to_string(), s.csrf.clone()),
        ("action".to_string(), action.to_string()),
    ];
    pairs.extend_from_slice(part);
    let a = http
        .send(
            kind,
            Method::POST,
            &s.form_path,
            Some(&s.cookie),
            Some(form(&pairs)?),
        )
        .await?;
    let next = match (a.status, a.location) {
        (StatusCode::SEE_OTHER, Some(next)) => next,
        (status, _) => {
            return Err(format!("{kind} answered {status}: {}", first_line(&a.body)).into());
        }
    };
    let page = http
        .send(
            "form after saving",
            Method::GET,
            &next,
            Some(&s.cookie),
            None,
        )
        .await?;
    if page.status != StatusCode::OK {
        return Err(format!("the form after saving answered {}", page.status).into());
    }
    Ok(())
}

/// One reporter, from sign-in to the body's submission: three drafts with
/// `think` between them; then the body's last reporter, once every
/// colleague has saved, submits the whole form.
async fn reporter(
    http: Http,
    name: String,
    body: String,
    values: BTreeMap<String, f64>,
    think: Duration,
    colleagues: Arc<tokio::sync::Barrier>,
    submits: bool,
) {
    let drafts = async {
        let s = sign_in(&http, &name, &body, &values).await?;
        let third = s.mine.len().div_ceil(3);
        for part in s.mine.chunks(third) {
            tokio::time::sleep(think).await;
            save(&http, &s, "save a draft", part, "draft").await?;
        }
        Ok::<_, Fail>(s)
    };
    let drafted = drafts.await;
    // Colleagues wait for everyone, whether or not this one got through.
    colleagues.wait().await;
    let outcome = match drafted {
        Ok(s) if submits => save(&http, &s, "submit", &s.mine, "submit").await,
        Ok(_) => Ok(()),
        Err(e) => Err(e),
    };
    if let Err(e) = outcome {
        http.error(format!("{name}: {e}"));
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

/// Reads public pages until told to stop.
async fn reader(http: Http, i: usize, pause: Duration, stop: Arc<std::sync::atomic::AtomicBool>) {
    let pages = [
        "/rankings/2022",
        "/bodies/minfin",
        "/api/v1/published/2022/1",
    ];
    let mut n = i;
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        let path = pages[n % pages.len()];
        n += 1;
        match http.send("portal", Method::GET, path, None, None).await {
            Ok(a) if a.status == StatusCode::OK => {}
            Ok(a) => http.error(format!("{path}: {}", a.status)),
            Err(e) => http.error(format!("{path}: {e}")),
        }
        tokio::time::sleep(pause).await;
    }
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

async fn rush(
    base: String,
    plan: Plan,
    rate: f64,
    think: Duration,
    readers: usize,
    pause: Duration,
) -> Result<Tally, Fail> {
    let http = Http {
        client: Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(1024)
            .build_http(),
        base,
        tally: Shared::default(),
        from: None,
    };
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reading: Vec<_> = (0..readers)
        .map(|i| tokio::spawn(reader(http.clone(), i, pause, stop.clone())))
        .collect();
    let mut per_body: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, body) in &plan.reporters {
        *per_body.entry(body).or_default() += 1;
    }
    let barriers: BTreeMap<&str, Arc<tokio::sync::Barrier>> = per_body
        .iter()
        .map(|(b, n)| (*b, Arc::new(tokio::sync::Barrier::new(*n))))
        .collect();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut offices: BTreeMap<&str, usize> = BTreeMap::new();
    let started = tokio::time::Instant::now();
    let mut sessions = Vec::new();
    for (i, (name, body)) in plan.reporters.iter().enumerate() {
        let k = seen.entry(body).or_default();
        *k += 1;
        let submits = *k == per_body[body.as_str()];
        let arrives = started + Duration::from_secs_f64(i as f64 / rate);
        let office = offices.len() + 1;
        let from = offices.entry(body.as_str()).or_insert(office);
        let http = Http {
            from: Some(format!("10.{}.{}.1", *from / 256, *from % 256)),
            ..http.clone()
        };
        let (name, body) = (name.clone(), body.clone());
        let values = plan.values.get(&body).cloned().unwrap_or_default();
        let colleagues = barriers[body.as_str()].clone();
        // Between 0.5 and 1.5 times the think time, spread evenly.
        let think = think.mul_f64(0.5 + (i as f64 * 0.618_034).fract());
        sessions.push(tokio::spawn(async move {
            tokio::time::sleep_until(arrives).await;
            reporter(http, name, body, values, think, colleagues, submits).await;
        }));
    }
    for s in sessions {
        s.await?;
    }
    let took = started.elapsed();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for r in reading {
        r.await?;
    }
    println!(
        "  {} reporters done in {:.0} s",
        plan.reporters.len(),
        took.as_secs_f64()
    );
    let tally = std::mem::take(&mut *http.tally.lock().map_err(|_| "poisoned")?);
    Ok(tally)
}

fn report(tally: &Tally) {
    println!(
        "  {:<20} {:>7} {:>8} {:>8} {:>8} {:>8}",
        "request", "count", "p50 ms", "p95 ms", "p99 ms", "max ms"
    );
    let mut reporters: Vec<f64> = Vec::new();
    for (kind, times) in &tally.times {
        let mut sorted = times.clone();
        sorted.sort_by(f64::total_cmp);
        if !matches!(*kind, "portal" | "sign in") {
            reporters.extend(&sorted);
        }
        line(kind, &sorted);
    }
    reporters.sort_by(f64::total_cmp);
    line("reporters (all but sign-in)", &reporters);
    println!(
        "  errors: {}; sign-ins answered busy (503): {}, slow down (429): {}",
        tally.errors.len(),
        tally.retried.get(&503).unwrap_or(&0),
        tally.retried.get(&429).unwrap_or(&0)
    );
    for e in tally.errors.iter().take(10) {
        println!("    {e}");
    }
}

fn line(kind: &str, sorted: &[f64]) {
    if sorted.is_empty() {
        return;
    }
    println!(
        "  {:<20} {:>7} {:>8.1} {:>8.1} {:>8.1} {:>8.1}",
        kind,
        sorted.len(),
        percentile(sorted, 50.0),
        percentile(sorted, 95.0),
        percentile(sorted, 99.0),
        sorted[sorted.len() - 1]
    );
}

fn run_on(url: &str, label: &str, dir: &std::path::Path) -> Result<(), Fail> {
    let reporters = setting("RUSH_REPORTERS", 500);
    let rate = setting("RUSH_SIGN_INS_PER_TEN_SECONDS", 30) as f64 / 10.0;
    let readers = setting("RUSH_READERS", 8);
    let think = Duration::from_secs(setting("RUSH_THINK_SECONDS", 20) as u64);
    let pause = Duration::from_millis(setting("RUSH_READER_PAUSE_MS", 20) as u64);
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores)
        .enable_all()
        .build()?;
    let (private, _) = SigningKey::generate("bench.bagalau.invalid/audit", [9; 32])?;
    let keys = AuditKeys {
        signing: Some(Arc::new(SigningKey::parse(&private)?)),
        previous: Vec::new(),
    };
    let (store, plan, addr) = server.block_on(async {
        let store = AnyStore::open(url).await?.with_audit_keys(keys);
        let plan = prepare(&store, reporters).await?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let state = AppState {
            records: bagalau_web::no_records(),
            store: store.clone(),
            clock: clock(),
            files: bagalau_store::files::FileStore::open(dir.join("evidence"), 1 << 20)?,
        };
        let options = ServeOptions {
            client_address: ClientAddressFrom::header("X-Forwarded-For")?,
            ..ServeOptions::default()
        };
        tokio::spawn(bagalau_web::serve_on(state, listener, options));
        Ok::<_, Fail>((store, plan, addr))
    })?;
    println!(
        "{label}: {reporters} reporters in {} bodies, {rate} sign-ins a second, {} s between drafts (on average), {readers} portal readers each pausing {} ms; {cores} cores",
        plan.values.len(),
        think.as_secs(),
        pause.as_millis()
    );
    let client = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let tally = client.block_on(rush(
        format!("http://{addr}"),
        plan,
        rate,
        think,
        readers,
        pause,
    ))?;
    report(&tally);
    let submitted = server.block_on(store.submissions(YEAR))?;
    println!(
        "  submissions stored: {} submitted, {} in all",
        submitted
            .iter()
            .filter(|(_, s)| *s == bagalau_core::cycle::SubmissionState::Submitted)
            .count(),
        submitted.len()
    );
    server.shutdown_timeout(Duration::from_secs(1));
    Ok(())
}

fn main() -> Result<(), Fail> {
    let dir = tempfile::tempdir()?;
    run_on(
        &dir.path().join("rush.db").display().to_string(),
        "SQLite",
        dir.path(),
    )?;
    if let Ok(admin) = std::env::var(bagalau_store::testing::POSTGRES_URL_VAR) {
        let setup = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let url = setup.block_on(bagalau_store::testing::fresh_postgres_database(&admin))?;
        let outcome = run_on(&url, "PostgreSQL", dir.path());
        setup.block_on(bagalau_store::testing::drop_postgres_database(&admin, &url));
        outcome?;
    } else {
        println!(
            "PostgreSQL: skipped ({} is not set)",
            bagalau_store::testing::POSTGRES_URL_VAR
        );
    }
    Ok(())
}
