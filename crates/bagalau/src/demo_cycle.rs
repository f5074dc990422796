//! The demo's 2023 cycle: demonstration accounts for every role play the
//! whole assessment of 2023 on a simulated 2024 calendar, through the same
//! HTTP API (in process) and the same rules a real cycle goes through.
//!
//! Every step is its own transaction at its own simulated time, so an
//! interrupted demo carries on where it stopped: the audit trail's last entry
//! says which step was the last one written.

use crate::app::App;
use anyhow::{Context, Result, anyhow, bail};
use bagalau_core::Kind;
use bagalau_core::accounts::{NO_PASSWORD, hash_password, token_hash, token_text};
use bagalau_core::cycle::{Actor, Extension, Role, may_extend};
use bagalau_core::data::YearData;
use bagalau_core::hash::sha256_hex;
use bagalau_core::pack::Methodology;
use bagalau_core::score::{self, Assessment, Level, Node};
use bagalau_store::{ImportBatch, Store, TokenRecord, UserRecord};
use chrono::{Duration, NaiveDateTime};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// The year whose cycle the demo plays.
pub use bagalau_demo::CYCLE_YEAR;

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S").expect("a valid script time")
}

/// The simulated calendar of the 2023 cycle (UTC).
pub use bagalau_demo::cycle_calendar as calendar;

/// The script runs between these moments; audit entries inside them are its steps.
fn script_start() -> NaiveDateTime {
    at("2024-01-09T09:00:00")
}
fn script_end() -> NaiveDateTime {
    at("2025-01-01T00:00:00")
}

fn rfc3339(t: NaiveDateTime) -> String {
    format!("{}+00:00", t.format("%Y-%m-%dT%H:%M:%S"))
}

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| anyhow!("no randomness from the operating system: {e}"))?;
    Ok(b)
}

/// The demo's operator: the account the command line signs in as after
/// the demo (accounts, the cycle's administration, methodologies, service
/// figures), as an office running Bagalau would have.
pub const OPERATOR: &str = "operator";

fn account(name: &str, roles: Vec<Role>, signs_in: bool) -> Account {
    Account {
        name: name.to_string(),
        roles,
        signs_in,
    }
}

/// The `n` criteria (body, direction, criterion) on which bodies lost most
/// points, one per body, leaving out directions a body's own office assesses.
fn biggest_losses(
    a: &Assessment,
    authority_of: &BTreeMap<&str, &str>,
    n: usize,
) -> Vec<(String, String, String)> {
    let mut losses: Vec<(f64, &str, &str, &str)> = Vec::new();
    for r in &a.results {
        let mut nodes = Vec::new();
        direction_nodes(&r.tree, &mut nodes);
        for d in nodes {
            if authority_of.get(d.id.as_str()) == Some(&r.body.as_str()) {
                continue;
            }
            for c in d.children.iter().filter(|c| !c.is_bonus) {
                if let Some(points) = c.points {
                    losses.push((c.max - points, &r.body, &d.id, &c.id));
                }
            }
        }
    }
    losses.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)).then(a.3.cmp(b.3)));
    let mut out: Vec<(String, String, String)> = Vec::new();
    for (_, body, direction, criterion) in losses {
        if out.len() < n && !out.iter().any(|(b, _, _)| b == body) {
            out.push((body.into(), direction.into(), criterion.into()));
        }
    }
    out
}

/// A demonstration account.
struct Account {
    name: String,
    roles: Vec<Role>,
    /// Accounts people are invited to sign in with get a password; the other
    /// bodies' reporters act through the script only.
    signs_in: bool,
}

/// What the script did, for the summary.
#[derive(Default)]
struct Tally {
    submissions: usize,
    findings: usize,
    conclusions: usize,
    objections: usize,
    recommendations: usize,
    published: Option<(i64, String)>,
}

/// The API in process, on a clock the script moves.
struct Player {
    api: bagalau_web::InProcess,
    clock: Arc<Mutex<String>>,
    tokens: BTreeMap<String, String>,
    /// Steps at or before this moment were written by an earlier, interrupted run.
    done_until: Option<NaiveDateTime>,
}

impl Player {
    /// Moves the clock to `t`; false when that step was already written.
    fn at(&self, t: NaiveDateTime) -> bool {
        *self.clock.lock().expect("clock") = rfc3339(t);
        self.done_until.is_none_or(|done| t > done)
    }

    async fn call(&self, user: &str, method: &str, uri: &str, body: Vec<u8>) -> Result<Value> {
        let token = self
            .tokens
            .get(user)
            .ok_or_else(|| anyhow!("no demonstration account `{user}`"))?;
        let (status, value) = self
            .api
            .call(token, method, uri, body)
            .await
            .map_err(|e| anyhow!("the demo's step {method} {uri}: {e}"))?;
        if status != 200 {
            bail!("the demo's step {method} {uri} by `{user}` was refused ({status}): {value}");
        }
        Ok(value)
    }

    async fn post(&self, user: &str, uri: &str, body: Value) -> Result<Value> {
        self.call(user, "POST", uri, body.to_string().into_bytes())
            .await
    }

    /// Uploads an evidence file (or, when that step was written before, only
    /// names it: the store is addressed by content).
    async fn upload(&self, user: &str, name: &str, bytes: Vec<u8>, run: bool) -> Result<String> {
        let sha = sha256_hex(&bytes);
        if run {
            let stored = self
                .call(
                    user,
                    "POST",
                    &format!("/api/v1/evidence?name={name}"),
                    bytes,
                )
                .await?;
            if stored["sha256"] != sha.as_str() {
                bail!("the evidence store answered another SHA-256 for {name}");
            }
        }
        Ok(sha)
    }
}

fn direction_nodes<'a>(node: &'a Node, out: &mut Vec<&'a Node>) {
    if node.level == Level::Direction {
        out.push(node);
    }
    for c in &node.children {
        direction_nodes(c, out);
    }
}

fn direction_node<'a>(a: &'a Assessment, body: &str, direction: &str) -> Option<&'a Node> {
    let r = a.results.iter().find(|r| r.body == body)?;
    let mut nodes = Vec::new();
    direction_nodes(&r.tree, &mut nodes);
    nodes.into_iter().find(|n| n.id == direction)
}

fn share(n: &Node) -> Option<f64> {
    n.points.filter(|_| n.max > 0.0).map(|p| p / n.max)
}

/// The conclusion an assessor writes from the engine's scores.
fn conclusion_text(m: &Methodology, node: &Node, revised_from: Option<f64>) -> String {
    let name = m
        .blocks
        .iter()
        .flat_map(|b| &b.directions)
        .find(|d| d.id == node.id)
        .map_or(node.id.as_str(), |d| d.name.en.as_str());
    let Some(points) = node.points else {
        return format!(
            "{name}: not assessed for lack of data ({}).",
            node.note.as_deref().unwrap_or("no counted criterion")
        );
    };
    let mut text = format!(
        "{name}: {points:.2} of {:.0} points ({:.0}%).",
        node.max,
        100.0 * points / node.max.max(f64::EPSILON)
    );
    let weakest = node
        .children
        .iter()
        .filter(|c| !c.is_bonus)
        .filter_map(|c| share(c).map(|s| (s, c)))
        .min_by(|a, b| a.0.total_cmp(&b.0));
    match (share(node), weakest) {
        (Some(s), _) if s >= 0.8 => text.push_str(" Targets met; no significant shortcomings."),
        (Some(s), Some((_, c))) => {
            let criterion = m
                .criteria()
                .find(|(_, _, k)| k.id == c.id)
                .map_or(c.id.as_str(), |(_, _, k)| k.name.en.as_str());
            text.push_str(&format!(
                " {} Weakest criterion: {criterion}, {:.2} of {:.0}.",
                if s >= 0.5 {
                    "Partly met."
                } else {
                    "Serious shortcomings."
                },
                c.points.unwrap_or(0.0),
                c.max
            ));
        }
        _ => {}
    }
    if let Some(before) = revised_from {
        text.push_str(&format!(
            " Revised from {before:.2} after the objection was accepted."
        ));
    }
    text
}

/// Peers' values of an indicator (bodies of the same kind), sorted, best first.
fn peer_values(
    data: &YearData,
    bodies: &[(String, Kind)],
    kind: Kind,
    indicator: &str,
) -> Vec<(f64, String)> {
    let mut v: Vec<(f64, String)> = bodies
        .iter()
        .filter(|(_, k)| *k == kind)
        .filter_map(|(b, _)| data.get(b, indicator).map(|x| (x, b.clone())))
        .collect();
    v.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    v
}

/// How far the demo's cycle got in this database.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CycleProgress {
    NotStarted,
    /// Stopped after the step written at this (simulated) time.
    Interrupted(NaiveDateTime),
    Played,
}

/// The last step of the script.
fn last_step() -> NaiveDateTime {
    at("2024-12-10T12:00:00")
}

/// One verifier's finding the script records.
struct Finding {
    body: String,
    indicator: String,
    reported: f64,
    confirmed: f64,
}

impl App {
    /// Where the demo's cycle stands; read before the demo writes anything.
    pub async fn demo_cycle_progress(&self) -> Result<CycleProgress> {
        let year = CYCLE_YEAR;
        let Some(stored) = self.store.cycle(year).await? else {
            return Ok(CycleProgress::NotStarted);
        };
        if stored != calendar() {
            bail!(
                "the database holds a {year} cycle that is not the demo's; run the demo in another database"
            );
        }
        // The script's steps are the entries of its simulated year; other
        // writes since (results computed and kept, say) do not count.
        let last = self
            .store
            .audit_latest_before(&rfc3339(script_end()))
            .await?
            .filter(|e| e.at.as_str() >= rfc3339(script_start()).as_str())
            .ok_or_else(|| anyhow!("the {year} cycle has the demo's calendar but none of its steps; run the demo in another database"))?;
        let t = chrono::DateTime::parse_from_rfc3339(&last.at)
            .map(|d| d.naive_utc())
            .with_context(|| format!("audit entry {} has no valid time", last.seq))?;
        Ok(if t >= last_step() {
            CycleProgress::Played
        } else {
            CycleProgress::Interrupted(t)
        })
    }

    /// Plays the demo's 2023 cycle, or carries on with an interrupted one.
    pub async fn demo_cycle(&self, seed: u64, progress: CycleProgress) -> Result<()> {
        let year = CYCLE_YEAR;
        let done_until = match progress {
            CycleProgress::Played => {
                outln!();
                outln!(
                    "The demonstration {year} cycle was played in this database before; its accounts and records are left as they are."
                );
                return Ok(());
            }
            CycleProgress::Interrupted(t) => Some(t),
            CycleProgress::NotStarted => None,
        };
        let started = std::time::Instant::now();
        let registry = self.registry().await?;
        let m = self.methodology(year).await?;
        let bodies: Vec<(String, Kind)> = registry
            .evaluated_in(year)
            .into_iter()
            .filter(|b| b.kind != Kind::Other)
            .map(|b| (b.id.clone(), b.kind))
            .collect();
        let kind_of = |body: &str| registry.body(body).map_or(Kind::Other, |b| b.kind);
        // Every choice of the script follows from the generated data, not
        // from what is stored, so that a run carrying on makes the same ones.
        let generated = bagalau_demo::generate(&m, &registry, seed);
        let submitted = YearData::from_observations(&generated, true);
        let mut values: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for o in &generated {
            values
                .entry(o.body.clone())
                .or_default()
                .push(json!({ "indicator": o.indicator, "value": o.value }));
        }
        let authority_of: BTreeMap<&str, &str> = m
            .blocks
            .iter()
            .flat_map(|b| &b.directions)
            .map(|d| (d.id.as_str(), d.authorized_body.as_str()))
            .collect();
        let mut authorities: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (direction, authority) in &authority_of {
            authorities.entry(authority).or_default().push(direction);
        }

        // The story's parts: a region submits late; the four bodies that lost
        // most on one criterion (in the data as submitted) object to it.
        let late_body = bodies
            .iter()
            .rev()
            .find(|(_, k)| *k == Kind::Leb)
            .map(|(b, _)| b.clone())
            .ok_or_else(|| anyhow!("no LEB evaluated in {year}"))?;
        let objected = biggest_losses(&score::assess(&m, &registry, &submitted), &authority_of, 4);

        // The cast: the coordinator's office, the authorized bodies (one
        // assessor writes the conclusions, the head decides objections to
        // them), the verifier, the commission, an NGO monitor, and every
        // evaluated body's reporter.
        // (The operator, as whom the command line goes on, is written
        // before anything else: `App::demo_operator`.)
        let mut cast = vec![
            account("coordinator", vec![Role::Coordinator], true),
            account("methodologist", vec![Role::Methodologist], true),
            account("verifier", vec![Role::Verifier], true),
            account("commission-chair", vec![Role::CommissionMember], true),
            account("commission-member", vec![Role::CommissionMember], true),
            account("ngo-monitor", vec![Role::Monitor], true),
        ];
        for (authority, directions) in &authorities {
            let roles: Vec<Role> = directions
                .iter()
                .map(|d| Role::Assessor {
                    direction: d.to_string(),
                    authority: authority.to_string(),
                })
                .collect();
            for post in ["assessor", "head"] {
                cast.push(account(&format!("{authority}-{post}"), roles.clone(), true));
            }
        }
        for (body, _) in &bodies {
            let featured = body == "minfin"
                || *body == late_body
                || objected.iter().any(|(b, _, _)| b == body);
            cast.push(account(
                &format!("reporter-{body}"),
                vec![Role::Reporter { body: body.clone() }],
                featured,
            ));
        }

        // Accounts and the script's tokens: written again when carrying on
        // (the interrupted run's passwords and tokens were not kept).
        let setup_at = done_until.map_or(script_start(), |d| d.max(script_start()));
        let passwords = self.demo_accounts(&cast, setup_at).await?;
        let clock = Arc::new(Mutex::new(rfc3339(setup_at)));
        let files = bagalau_store::files::FileStore::open(
            &self.config.evidence.dir,
            self.config.evidence.max_mb as usize * 1024 * 1024,
        )?;
        let shared = clock.clone();
        let state = bagalau_web::AppState {
            records: bagalau_web::no_records(),
            store: self.store.clone(),
            clock: Arc::new(move || shared.lock().expect("clock").clone()),
            files,
        };
        let mut batch = self.batch(&rfc3339(setup_at));
        let mut tokens = BTreeMap::new();
        for a in &cast {
            let token = token_text(&random::<32>()?);
            batch.tokens.push(TokenRecord {
                token_hash: token_hash(&token),
                name: a.name.clone(),
                label: "demo cycle script".into(),
                created_at: rfc3339(setup_at),
                expires_at: Some(rfc3339(script_end())),
            });
            tokens.insert(a.name.clone(), token);
        }
        self.store.apply(batch).await?;
        let p = Player {
            api: bagalau_web::InProcess::new(state),
            clock,
            tokens,
            done_until,
        };
        let mut tally = Tally::default();
        let y = format!("/api/v1/cycles/{year}");

        // ---- January: the coordinator opens the cycle.
        let opened_at = script_start() + Duration::minutes(1);
        if p.at(opened_at) {
            let mut batch = self.coordinator_batch(opened_at);
            batch.cycles.push((year, calendar()));
            self.store.apply(batch).await?;
        }

        // ---- Submissions: a draft first for every third body; Finance
        // attaches its source table; one region is late and gets an extension.
        let mut t = at("2024-01-15T09:00:00");
        for (i, (body, _)) in bodies.iter().enumerate() {
            if *body == late_body {
                continue;
            }
            let reporter = format!("reporter-{body}");
            let mine = &values[body];
            if i % 3 == 0 && p.at(t) {
                let half = &mine[..mine.len() / 2];
                p.post(
                    &reporter,
                    &format!("{y}/submissions/{body}"),
                    json!({ "values": half, "submit": false }),
                )
                .await?;
            }
            let mut evidence = Vec::new();
            if body == "minfin" {
                let run = p.at(t + Duration::hours(2));
                let mut csv = String::from("indicator,value,source\n");
                for o in generated.iter().filter(|o| o.body == *body) {
                    let v = o.value.map_or(String::new(), |v| v.to_string());
                    csv.push_str(&format!("{},{v},demonstration data\n", o.indicator));
                }
                evidence.push(
                    p.upload(&reporter, "minfin-2023-sources.csv", csv.into_bytes(), run)
                        .await?,
                );
            }
            if p.at(t + Duration::hours(4)) {
                p.post(
                    &reporter,
                    &format!("{y}/submissions/{body}"),
                    json!({ "values": mine, "submit": true, "evidence": evidence }),
                )
                .await?;
            }
            tally.submissions += 1;
            t += Duration::hours(13);
        }
        let extension_at = at("2024-02-16T10:00:00");
        if p.at(extension_at) {
            let until = at("2024-02-20T18:00:00");
            let coordinator = Actor {
                user: "coordinator".into(),
                roles: vec![Role::Coordinator],
            };
            may_extend(&coordinator, until, &calendar(), extension_at)?;
            let mut batch = self.coordinator_batch(extension_at);
            batch.extensions.push((
                year,
                Extension {
                    body: late_body.clone(),
                    until,
                    granted_by: coordinator.user,
                    reason:
                        "The regional statistics department's figures arrived after the deadline."
                            .into(),
                },
            ));
            self.store.apply(batch).await?;
        }
        if p.at(at("2024-02-19T15:00:00")) {
            p.post(
                &format!("reporter-{late_body}"),
                &format!("{y}/submissions/{late_body}"),
                json!({ "values": values[&late_body], "submit": true }),
            )
            .await?;
        }
        tally.submissions += 1;

        // ---- Verification: the risk-based selection, then the verifier's
        // findings where a selected body's value stands alone at the top of
        // its peers'.
        let selection_at = at("2024-02-21T09:00:00");
        if p.at(selection_at) {
            let draw = bagalau_app::verification::Draw {
                year,
                top: 5,
                draw: 3,
                seed,
            };
            let (_, rows) = bagalau_app::verification::score(&self.store, draw).await?;
            let mut batch = self.coordinator_batch(selection_at);
            batch.selection = Some((year, seed, rows));
            self.store.apply(batch).await?;
        }
        let findings: Vec<Finding> = self
            .store
            .selection(year)
            .await?
            .iter()
            .filter_map(|s| {
                m.indicators.iter().find_map(|ind| {
                    let peers = peer_values(&submitted, &bodies, kind_of(&s.body), &ind.id);
                    (peers.len() >= 3 && peers[0].1 == s.body && peers[0].0 > peers[1].0).then(
                        || Finding {
                            body: s.body.clone(),
                            indicator: ind.id.clone(),
                            reported: peers[0].0,
                            confirmed: peers[1].0,
                        },
                    )
                })
            })
            .take(3)
            .collect();
        let mut verified = submitted.clone();
        let mut t = at("2024-02-26T10:00:00");
        for f in &findings {
            if p.at(t) {
                p.post(
                    "verifier",
                    &format!("{y}/findings"),
                    json!({ "body": f.body, "indicator": f.indicator, "value": f.confirmed,
                        "reason": format!("The reported {} is not supported by the source documents; {} is confirmed by the verification visit.", f.reported, f.confirmed) }),
                )
                .await?;
            }
            verified.insert(&f.body, &f.indicator, Some(f.confirmed));
            tally.findings += 1;
            t += Duration::days(2);
        }

        // ---- Preliminary conclusions, from the engine's scores of the
        // submitted and verified data.
        let preliminary = score::assess(&m, &registry, &verified);
        let mut t = at("2024-03-18T09:00:00");
        for (authority, directions) in &authorities {
            for direction in directions {
                for (body, _) in &bodies {
                    let Some(node) = direction_node(&preliminary, body, direction) else {
                        continue;
                    };
                    if body == authority {
                        continue; // No body assesses itself.
                    }
                    if p.at(t) {
                        p.post(
                            &format!("{authority}-assessor"),
                            &format!("{y}/conclusions"),
                            json!({ "direction": direction, "body": body, "text": conclusion_text(&m, node, None), "final": false }),
                        )
                        .await?;
                    }
                    tally.conclusions += 1;
                    t += Duration::minutes(10);
                }
            }
        }

        // ---- Objections. The first and third are accepted with corrected
        // data (the best value among peers), the second rejected, the fourth
        // rejected, escalated and dismissed by the commission.
        let mut t = at("2024-04-03T10:00:00");
        for (n, (body, direction, criterion)) in objected.iter().enumerate() {
            let reporter = format!("reporter-{body}");
            let mut evidence = Vec::new();
            if n == 0 {
                let run = p.at(t);
                // The revised figures of the criterion's indicators, as the body's statistics unit sends them.
                let mut table = String::from("indicator,reported,revised,source\n");
                if let Some((_, _, c)) = m
                    .criteria()
                    .find(|(_, d, c)| d.id == *direction && c.id == *criterion)
                {
                    for i in c.rule.indicators() {
                        let indicator = &m.indicators[i].id;
                        let reported = submitted
                            .get(body, indicator)
                            .map_or(String::new(), |v| v.to_string());
                        let revised = peer_values(&submitted, &bodies, kind_of(body), indicator)
                            .first()
                            .map_or(String::new(), |(v, _)| v.to_string());
                        table.push_str(&format!(
                            "{indicator},{reported},{revised},demonstration data\n"
                        ));
                    }
                }
                evidence.push(
                    p.upload(
                        &reporter,
                        &format!("{body}-revised-figures.csv"),
                        table.into_bytes(),
                        run,
                    )
                    .await?,
                );
            }
            if p.at(t + Duration::minutes(30)) {
                p.post(
                    &reporter,
                    &format!("{y}/objections"),
                    json!({ "body": body, "direction": direction, "criterion": criterion, "evidence": evidence,
                        "statement": format!("The score on `{criterion}` does not reflect the body's work in {year}: the data behind it were incomplete when submitted.") }),
                )
                .await?;
            }
            tally.objections += 1;
            t += Duration::days(1);
        }
        let stored = self.store.objections(year).await?;
        let ids: Vec<i64> = objected
            .iter()
            .map(|(b, _, c)| {
                stored
                    .iter()
                    .find(|(_, o)| o.body == *b && o.criterion == *c)
                    .map(|(id, _)| *id)
                    .ok_or_else(|| anyhow!("the objection of {b} on {c} was not stored"))
            })
            .collect::<Result<_>>()?;
        let mut corrected = verified.clone();
        let mut t = at("2024-04-17T11:00:00");
        for (n, ((body, direction, criterion), id)) in objected.iter().zip(&ids).enumerate() {
            let accept = n % 2 == 0;
            let mut corrections = Vec::new();
            if accept {
                let c = m
                    .criteria()
                    .find(|(_, d, c)| d.id == *direction && c.id == *criterion)
                    .map(|(_, _, c)| c)
                    .ok_or_else(|| anyhow!("no criterion {criterion}"))?;
                for i in c.rule.indicators() {
                    let indicator = &m.indicators[i].id;
                    if let Some((best, _)) =
                        peer_values(&verified, &bodies, kind_of(body), indicator).first()
                        && verified.get(body, indicator) != Some(*best)
                    {
                        corrections.push(json!({ "indicator": indicator, "value": best }));
                        corrected.insert(body, indicator, Some(*best));
                    }
                }
            }
            let reason = if accept {
                "The supporting documents show the figures were understated; the data are corrected and the criterion rescored."
            } else {
                "The documents do not change the figures reported and verified; the score stands."
            };
            if p.at(t) {
                p.post(
                    &format!("{}-head", authority_of[direction.as_str()]),
                    &format!("{y}/objections/{id}/decision"),
                    json!({ "accept": accept, "reason": reason, "corrections": corrections }),
                )
                .await?;
            }
            t += Duration::days(1);
        }
        let escalated = ids.get(3).copied().zip(objected.get(3));
        if let Some((id, (body, _, _))) = escalated
            && p.at(at("2024-04-21T09:30:00"))
        {
            p.post(
                &format!("reporter-{body}"),
                &format!("{y}/objections/{id}/escalation"),
                json!({}),
            )
            .await?;
        }

        // ---- Final conclusions, from the rescored data.
        let after = score::assess(&m, &registry, &corrected);
        let mut t = at("2024-04-22T09:00:00");
        for (authority, directions) in &authorities {
            for direction in directions {
                for (body, _) in &bodies {
                    let Some(node) = direction_node(&after, body, direction) else {
                        continue;
                    };
                    if body == authority {
                        continue;
                    }
                    let before =
                        direction_node(&preliminary, body, direction).and_then(|n| n.points);
                    let revised =
                        before.filter(|b| node.points.is_some_and(|a| (a - b).abs() > 1e-9));
                    if p.at(t) {
                        p.post(
                            &format!("{authority}-assessor"),
                            &format!("{y}/conclusions"),
                            json!({ "direction": direction, "body": body, "text": conclusion_text(&m, node, revised), "final": true }),
                        )
                        .await?;
                    }
                    tally.conclusions += 1;
                    t += Duration::minutes(10);
                }
            }
        }

        // ---- The commission: opinions, the ruling on the escalated
        // objection, approval (which publishes).
        if p.at(at("2024-05-06T10:00:00")) {
            p.post("commission-chair", &format!("{y}/opinions"), json!({ "text":
                "The results of 2023 are complete: every body submitted, the verification corrected the values it could not confirm, and every objection was settled." }))
                .await?;
        }
        let lowest = after
            .results
            .iter()
            .filter(|r| r.kind == Kind::Cgb)
            .max_by_key(|r| r.rank.unwrap_or(0))
            .map(|r| r.body.clone());
        if let Some(body) = &lowest
            && p.at(at("2024-05-07T15:00:00"))
        {
            p.post("commission-member", &format!("{y}/opinions"), json!({ "body": body, "text":
                "The lowest-ranked central body: the commission asks for a plan to close the gaps named in the final conclusions." }))
                .await?;
        }
        if let Some((id, _)) = escalated
            && p.at(at("2024-05-10T11:00:00"))
        {
            p.post(
                "commission-chair",
                &format!("{y}/objections/{id}/ruling"),
                json!({ "accept": false,
                    "reason": "The commission finds the authorized body's decision founded on the verified data." }),
            )
            .await?;
        }
        if p.at(at("2024-05-20T12:00:00")) {
            p.post("commission-chair", &format!("{y}/approval"), json!({}))
                .await?;
        }
        tally.published = self
            .store
            .publications(Some(year))
            .await?
            .last()
            .map(|v| (i64::from(v.version), v.content_sha256.clone()));

        // ---- Recommendations to the six lowest-ranked bodies, and their
        // execution through the year: the first on time with evidence; the
        // second returned once and executed late; the third never reported
        // (overdue); the fourth awaiting review; the last two not yet due.
        let mut ranked: Vec<_> = after.results.iter().filter(|r| r.rank.is_some()).collect();
        ranked.sort_by_key(|r| (std::cmp::Reverse(r.rank), r.body.clone()));
        let addressees: Vec<String> = ranked.iter().take(6).map(|r| r.body.clone()).collect();
        let dues = [
            "2024-09-30",
            "2024-09-30",
            "2024-11-29",
            "2024-12-27",
            "2027-06-30",
            "2027-06-30",
        ];
        let mut t = at("2024-05-27T10:00:00");
        for (body, due) in addressees.iter().zip(dues) {
            if p.at(t) {
                p.post("commission-chair", "/api/v1/recommendations", json!({ "year": year, "body": body, "due": due,
                    "text": format!("Adopt a plan to raise the weakest directions of the {year} assessment, with responsible units and dates.") }))
                    .await?;
            }
            tally.recommendations += 1;
            t += Duration::minutes(20);
        }
        let recs = self.store.recommendations(Some(year)).await?;
        let rec = |n: usize| {
            let body = addressees.get(n)?;
            let id = recs
                .iter()
                .find(|(_, r)| r.body == *body)
                .map(|(id, _)| *id)?;
            Some((id, format!("reporter-{body}")))
        };
        let report = |id: i64| format!("/api/v1/recommendations/{id}/report");
        let review = |id: i64| format!("/api/v1/recommendations/{id}/review");
        if let Some((id, reporter)) = rec(0) {
            let run = p.at(at("2024-09-20T10:00:00"));
            let plan = "measure,responsible unit,due,status\n\
                Adopt the action plan,office of the head,2024-07-01,done\n\
                Review the weakest criteria's processes,strategic planning unit,2024-09-01,done\n\
                Report to the commission,strategic planning unit,2024-09-20,done\n";
            let sha = p
                .upload(&reporter, "action-plan.csv", plan.as_bytes().to_vec(), run)
                .await?;
            if p.at(at("2024-09-20T10:30:00")) {
                p.post(&reporter, &report(id), json!({ "text": "The action plan was adopted and its first measures carried out.", "evidence": [sha] }))
                    .await?;
            }
            if p.at(at("2024-10-01T09:00:00")) {
                p.post("commission-chair", &review(id), json!({ "accept": true }))
                    .await?;
            }
        }
        if let Some((id, reporter)) = rec(1) {
            if p.at(at("2024-09-28T16:00:00")) {
                p.post(
                    &reporter,
                    &report(id),
                    json!({ "text": "A working group was set up." }),
                )
                .await?;
            }
            if p.at(at("2024-10-02T09:00:00")) {
                p.post("commission-chair", &review(id),
                    json!({ "accept": false, "reason": "A working group is not a plan: send the adopted plan with its dates." }))
                    .await?;
            }
            if p.at(at("2024-10-15T11:00:00")) {
                p.post(
                    &reporter,
                    &report(id),
                    json!({ "text": "The plan was adopted on 14 October." }),
                )
                .await?;
            }
            if p.at(at("2024-10-21T09:00:00")) {
                p.post("commission-chair", &review(id), json!({ "accept": true }))
                    .await?;
            }
        }
        if let Some((id, reporter)) = rec(3)
            && p.at(last_step())
        {
            p.post(&reporter, &report(id), json!({ "text": "The plan is adopted; the report of its first half-year follows." }))
                .await?;
        }

        self.print_cycle_summary(&cast, &passwords, &tally, &late_body, started)
    }

    /// A write by the coordinator at the command line, at a script time.
    fn coordinator_batch(&self, t: NaiveDateTime) -> ImportBatch {
        ImportBatch {
            at: rfc3339(t),
            actor: "cli:coordinator".into(),
            ..Default::default()
        }
    }

    /// Writes the accounts; returns the passwords of those that sign in,
    /// hashed on every core (Argon2id is slow on purpose).
    async fn demo_accounts(
        &self,
        cast: &[Account],
        t: NaiveDateTime,
    ) -> Result<BTreeMap<String, String>> {
        let mut passwords = BTreeMap::new();
        for a in cast.iter().filter(|a| a.signs_in) {
            passwords.insert(a.name.clone(), hex::encode(random::<9>()?));
        }
        let salts: Vec<(String, String, [u8; 16])> = passwords
            .iter()
            .map(|(n, p)| Ok((n.clone(), p.clone(), random::<16>()?)))
            .collect::<Result<_>>()?;
        let threads = std::thread::available_parallelism().map_or(2, usize::from);
        let chunk = salts.len().div_ceil(threads).max(1);
        let hashes: BTreeMap<String, String> = std::thread::scope(|s| {
            let handles: Vec<_> = salts
                .chunks(chunk)
                .map(|part| {
                    s.spawn(move || {
                        part.iter()
                            .map(|(n, p, salt)| Ok((n.clone(), hash_password(p, salt)?)))
                            .collect::<Result<Vec<_>, bagalau_core::accounts::AccountError>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a hashing thread"))
                .collect::<Result<Vec<_>, _>>()
                .map(|v| v.into_iter().flatten().collect())
        })?;
        let existing = self.store.users().await?;
        let mut batch = self.batch(&rfc3339(t));
        for a in cast {
            let mut roles: Vec<String> = a.roles.iter().map(Role::to_text).collect();
            roles.sort();
            batch.users.push(UserRecord {
                disabled_at: None,
                name: a.name.clone(),
                password_hash: hashes
                    .get(&a.name)
                    .cloned()
                    .unwrap_or_else(|| NO_PASSWORD.into()),
                roles,
                created_at: existing
                    .iter()
                    .find(|u| u.name == a.name)
                    .map_or(rfc3339(t), |u| u.created_at.clone()),
            });
        }
        self.store.apply(batch).await?;
        Ok(passwords)
    }

    fn print_cycle_summary(
        &self,
        cast: &[Account],
        passwords: &BTreeMap<String, String>,
        tally: &Tally,
        late_body: &str,
        started: std::time::Instant,
    ) -> Result<()> {
        let year = CYCLE_YEAR;
        outln!();
        outln!(
            "The {year} cycle, played on a simulated 2024 calendar through the API by demonstration accounts, in {:.1} s:",
            started.elapsed().as_secs_f64()
        );
        outln!(
            "  {} submissions ({late_body} late, with an extension), {} verification findings, {} conclusions,",
            tally.submissions,
            tally.findings,
            tally.conclusions
        );
        outln!(
            "  {} objections (2 accepted with corrected data, 1 rejected, 1 escalated and dismissed by the commission),",
            tally.objections
        );
        match &tally.published {
            Some((version, sha)) => outln!(
                "  approved by the commission and published as version {version} (sha256 {}…),",
                &sha[..12]
            ),
            None => outln!("  not published,"),
        }
        outln!(
            "  {} recommendations (1 executed on time, 1 executed late, 1 overdue, 1 awaiting review, 2 open).",
            tally.recommendations
        );
        outln!();
        outln!("Demonstration accounts (passwords shown only now):");
        for a in cast.iter().filter(|a| passwords.contains_key(&a.name)) {
            let roles: Vec<String> = a.roles.iter().map(Role::to_text).collect();
            outln!(
                "  {:<26} {:<20} {}",
                a.name,
                passwords[&a.name],
                roles.join(", ")
            );
        }
        let others = cast.len() - passwords.len();
        outln!(
            "  and {others} reporters of other bodies (reporter-BODY) without a password: bagalau user add reporter-BODY --role reporter:BODY sets one."
        );
        outln!();
        outln!("  bagalau cycle status --year {year}       # every body and stage");
        outln!("  bagalau published --year {year}          # the published snapshot");
        outln!("  bagalau recommendation list --year {year}");
        outln!("  bagalau audit log --entity objection    # who did what, when, and why");
        Ok(())
    }
}
