//! What Bagalau's tests share, after crates.io's `TestApp`: a temporary
//! store on a real SQLite database seeded from the demonstration data, a
//! clock the test sets, and one account per role, each with the API token
//! `bgl_<account>`.
//!
//! ```no_run
//! # async fn example() {
//! use bagalau_testkit::TestApp;
//! let app = TestApp::setup().registry().year(2022).cycle(2022).build().await;
//! app.set_now("2026-03-10T09:00:00+00:00");
//! let reporter = app.actor("reporter_minfin");
//! # }
//! ```
//!
//! Its store signs the audit trail's checkpoints with a fixed key
//! ([`audit_keys`]).
//!
//! A setup can be built once as a [`Template`] and opened many times, each
//! a copy of the same database: tests that write (and so must not share
//! what they wrote) start from the same state without seeding it again.

use bagalau_core::accounts::token_hash;
use bagalau_core::cycle::{Calendar, Stage};
use bagalau_core::data::{DEMONSTRATION, YearData};
use bagalau_core::monitoring::{Accreditation, Organisation};
use bagalau_core::publication::{Publication, Snapshot};
use bagalau_core::roles::{Actor, Role};
use bagalau_core::transparency::SigningKey;
use bagalau_core::{Names, pack, registry, score};
use bagalau_services::register::Register;
use bagalau_store::files::FileStore;
use bagalau_store::{AnyStore, AuditKeys, Document, ImportBatch, Store, TokenRecord, UserRecord};
use chrono::{NaiveDate, NaiveDateTime};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The time a test starts at, unless it says otherwise.
pub const NOW: &str = "2026-03-01T09:00:00+00:00";

/// When [`Setup::approved`] years were approved.
pub const APPROVED_AT: &str = "2026-03-01T10:00:00+00:00";

/// The accounts a setup makes unless told otherwise: one per role, with the
/// scoped roles twice where a test needs "its own" and "another" scope
/// (minfin's reporter and importer against mne's).
pub const ACCOUNTS: [(&str, &str); 14] = [
    ("admin", "administrator"),
    ("coordinator", "coordinator"),
    ("methodologist", "methodologist"),
    ("assessor", "assessor:budget@audit_chamber"),
    ("reporter_minfin", "reporter:minfin"),
    ("reporter_mne", "reporter:mne"),
    ("verifier", "verifier"),
    ("commission", "commission"),
    ("monitor", "monitor"),
    ("ngo", "monitor:adal"),
    ("ngo_other", "monitor:taza"),
    ("analyst", "analyst"),
    ("importer_minfin", "importer:minfin"),
    ("importer_mne", "importer:mne"),
];

/// The monitoring organisations a setup registers with [`Setup::organisations`]:
/// `adal` accredited for 2026, `taza` accredited too (the "other" NGO).
pub const ORGANISATIONS: [&str; 2] = ["adal", "taza"];

/// The API token of a test account.
pub fn token(account: &str) -> String {
    format!("bgl_{account}")
}

/// The cycle calendar [`Setup::cycle`] opens: every stage a month or so
/// long, in the spring and summer of 2026 (each deadline at 23:59:59).
pub fn calendar() -> Calendar {
    let day = |month, day| {
        NaiveDate::from_ymd_opt(2026, month, day)
            .and_then(|d| d.and_hms_opt(23, 59, 59))
            .expect("a real day")
    };
    Calendar {
        deadlines: [
            (Stage::Submission, day(3, 15)),
            (Stage::Verification, day(4, 15)),
            (Stage::Preliminary, day(5, 15)),
            (Stage::Objections, day(6, 1)),
            (Stage::Final, day(7, 1)),
            (Stage::Commission, day(8, 1)),
        ]
        .into(),
    }
}

/// A moment inside `stage` of [`calendar`], as RFC 3339: the day before its
/// deadline, at noon.
pub fn during(stage: Stage) -> String {
    let deadline: NaiveDateTime = calendar().deadlines[&stage];
    let moment = deadline.date().pred_opt().expect("a day before");
    format!("{}T12:00:00+00:00", moment.format("%Y-%m-%d"))
}

/// Something a test adds to the setup's batch.
type Addition = Arc<dyn Fn(&mut ImportBatch) + Send + Sync>;

/// What a test's store holds before it starts; see [`TestApp::setup`].
#[derive(Clone)]
pub struct Setup {
    registry: bool,
    register: bool,
    years: Vec<i32>,
    published: Vec<i32>,
    approved: Vec<i32>,
    cycles: Vec<i32>,
    organisations: bool,
    accounts: Vec<(String, Vec<String>)>,
    extra: Vec<Addition>,
}

impl Setup {
    /// The demonstration registry of state bodies.
    pub fn registry(mut self) -> Self {
        self.registry = true;
        self
    }

    /// The demonstration register of public services.
    pub fn register(mut self) -> Self {
        self.register = true;
        self
    }

    /// The demonstration methodology pack of `year` (not adopted) and
    /// generated values for every body (seed 9); implies the registry.
    pub fn year(mut self, year: i32) -> Self {
        self.registry = true;
        self.years.push(year);
        self
    }

    /// `year`'s results published as version 1 (by `test`); implies
    /// [`Setup::year`].
    pub fn published(mut self, year: i32) -> Self {
        self = self.year(year);
        self.published.push(year);
        self
    }

    /// `year` run as a cycle (opened at [`NOW`]) that the commission
    /// approved an hour later: its results published as version 1 by
    /// `commission`, the year locked.
    pub fn approved(mut self, year: i32) -> Self {
        self = self.year(year).cycle(year);
        self.approved.push(year);
        self
    }

    /// A cycle for `year` open with [`calendar`] (its pack adopted).
    pub fn cycle(mut self, year: i32) -> Self {
        self.cycles.push(year);
        self
    }

    /// The monitoring organisations of [`ORGANISATIONS`], accredited for 2026.
    pub fn organisations(mut self) -> Self {
        self.organisations = true;
        self
    }

    /// These accounts (name, roles as text) instead of [`ACCOUNTS`].
    pub fn accounts(mut self, accounts: &[(&str, &[&str])]) -> Self {
        self.accounts = accounts
            .iter()
            .map(|(name, roles)| {
                (
                    name.to_string(),
                    roles.iter().map(|r| r.to_string()).collect(),
                )
            })
            .collect();
        self
    }

    /// Anything else, added to the setup's one import batch.
    pub fn with(mut self, add: impl Fn(&mut ImportBatch) + Send + Sync + 'static) -> Self {
        self.extra.push(Arc::new(add));
        self
    }

    /// The store, in a new temporary folder.
    pub async fn build(self) -> TestApp {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let store = self.seed(dir.path()).await;
        TestApp::new(dir, store)
    }

    /// The store alone, in a folder the test keeps (`bagalau.db` in it),
    /// for tests that wire their own clock and files.
    pub async fn store_in(self, dir: &Path) -> AnyStore {
        self.seed(dir).await
    }

    /// The store built once and closed, to be opened as copies.
    pub async fn template(self) -> Template {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let store = self.seed(dir.path()).await;
        store.close().await;
        Template { dir }
    }

    /// The setup's batch, and the approvals that follow it.
    fn batches(&self) -> (ImportBatch, ImportBatch) {
        let mut batch = ImportBatch {
            at: NOW.into(),
            actor: "test".into(),
            ..Default::default()
        };
        let mut approval = ImportBatch {
            at: APPROVED_AT.into(),
            actor: "commission".into(),
            ..Default::default()
        };
        let reg = registry::load(bagalau_demo::REGISTRY.0, bagalau_demo::REGISTRY.1)
            .expect("the demonstration registry loads");
        if self.registry {
            batch.registry = Some(Document {
                file_name: bagalau_demo::REGISTRY.0.into(),
                text: bagalau_demo::REGISTRY.1.into(),
                parsed: reg.clone(),
            });
        }
        if self.register {
            let register = Register::from_csv(bagalau_demo::SERVICE_REGISTER.1)
                .expect("the demonstration register loads");
            batch.service_register = Some(Document::service_register("register.csv", register));
        }
        for &year in &self.years {
            let (file, text) = bagalau_demo::PACKS
                .into_iter()
                .find(|(_, text)| pack::load("p", text).is_ok_and(|m| m.year == year))
                .unwrap_or_else(|| panic!("no demonstration pack for {year}"));
            let methodology = pack::load(file, text).expect("the pack loads");
            let observations = bagalau_demo::generate(&methodology, &reg, 9);
            let publish = |batch: &mut ImportBatch, at: &str, by: &str| {
                let assessment = score::assess(
                    &methodology,
                    &reg,
                    &YearData::from_observations(&observations, true),
                );
                let (content, hash) = Snapshot::from_assessment(&assessment, &reg).canonical();
                batch.publications.push((
                    Publication {
                        year,
                        version: 1,
                        content_sha256: hash,
                        published_at: at.into(),
                        published_by: by.into(),
                        reason: None,
                    },
                    content,
                ));
            };
            if self.published.contains(&year) {
                publish(&mut batch, NOW, "test");
            }
            if self.approved.contains(&year) {
                publish(&mut approval, APPROVED_AT, "commission");
            }
            batch.observations.extend(
                observations
                    .into_iter()
                    .map(|o| (o, DEMONSTRATION.to_string())),
            );
            batch.packs.push(Document {
                file_name: file.into(),
                text: text.into(),
                parsed: methodology,
            });
        }
        for &year in &self.cycles {
            // A cycle runs on an adopted pack.
            if self.years.contains(&year) {
                batch.pack_adoptions.push(year);
            }
            batch.cycles.push((year, calendar()));
        }
        if self.organisations {
            let names = |id: &str| Names {
                kk: format!("{id} (kk)"),
                ru: format!("{id} (ru)"),
                en: format!("{id} (en)"),
            };
            for id in ORGANISATIONS {
                batch.monitoring_organisations.push(Organisation {
                    id: id.into(),
                    name: names(id),
                    accreditation: Some(Accreditation {
                        by: "coordinator, order 1".into(),
                        from: NaiveDate::from_ymd_opt(2026, 1, 1).expect("a day"),
                        until: NaiveDate::from_ymd_opt(2026, 12, 31).expect("a day"),
                        revoked: None,
                    }),
                });
            }
        }
        for (name, roles) in &self.accounts {
            batch.users.push(UserRecord {
                name: name.clone(),
                password_hash: "x".into(),
                roles: roles.clone(),
                created_at: NOW.into(),
                disabled_at: None,
            });
            batch.tokens.push(TokenRecord {
                token_hash: token_hash(&token(name)),
                name: name.clone(),
                label: "test".into(),
                created_at: NOW.into(),
                expires_at: Some("2027-01-01T00:00:00+00:00".into()),
            });
        }
        for add in &self.extra {
            add(&mut batch);
        }
        (batch, approval)
    }

    async fn seed(&self, dir: &Path) -> AnyStore {
        let store = AnyStore::open(&database(dir).display().to_string())
            .await
            .expect("a new SQLite store")
            .with_audit_keys(audit_keys());
        let (batch, approval) = self.batches();
        store.apply(batch).await.expect("the setup applies");
        if !approval.publications.is_empty() {
            store.apply(approval).await.expect("the approvals apply");
        }
        store
    }
}

/// Every test store signs its checkpoints with one fixed key, as a server
/// given `audit.signing_key` does.
pub fn audit_keys() -> AuditKeys {
    AuditKeys {
        signing: Some(Arc::new(
            SigningKey::parse(&audit_key()).expect("the key parses"),
        )),
        previous: vec![],
    }
}

/// The private signing key of [`audit_keys`], as its file holds it (for a
/// command line or server run on a test store: `audit.key`).
pub fn audit_key() -> String {
    let (private, _) = SigningKey::generate("bagalau.test/audit", [3; 32]).expect("a signing key");
    private
}

fn database(dir: &Path) -> PathBuf {
    dir.join("bagalau.db")
}

/// A seeded database, closed, from which each [`Template::open`] makes a copy.
pub struct Template {
    dir: tempfile::TempDir,
}

impl Template {
    /// A new TestApp on a copy of the template's folder (its database and
    /// any files beside it: evidence, delivery records).
    pub async fn open(&self) -> TestApp {
        let dir = tempfile::tempdir().expect("a temporary folder");
        copy_folder(self.dir.path(), dir.path()).expect("the template copies");
        let store = AnyStore::open(&database(dir.path()).display().to_string())
            .await
            .expect("the copy opens");
        TestApp::new(dir, store)
    }
}

fn copy_folder(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_folder(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// A store in a temporary folder (removed when dropped) and a clock.
pub struct TestApp {
    dir: tempfile::TempDir,
    pub store: AnyStore,
    now: Arc<Mutex<String>>,
}

impl TestApp {
    /// An empty store with [`ACCOUNTS`]; add what the test needs.
    pub fn setup() -> Setup {
        Setup {
            registry: false,
            register: false,
            years: Vec::new(),
            published: Vec::new(),
            approved: Vec::new(),
            cycles: Vec::new(),
            organisations: false,
            accounts: ACCOUNTS
                .iter()
                .map(|(name, role)| (name.to_string(), vec![role.to_string()]))
                .collect(),
            extra: Vec::new(),
        }
    }

    fn new(dir: tempfile::TempDir, store: AnyStore) -> TestApp {
        TestApp {
            dir,
            store: store.with_audit_keys(audit_keys()),
            now: Arc::new(Mutex::new(NOW.to_string())),
        }
    }

    /// The test's folder (the database is `bagalau.db` in it).
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The clock the application reads: what [`TestApp::set_now`] set last.
    pub fn clock(&self) -> Arc<dyn Fn() -> String + Send + Sync> {
        let now = self.now.clone();
        Arc::new(move || now.lock().map(|n| n.clone()).unwrap_or_default())
    }

    pub fn now(&self) -> String {
        (self.clock())()
    }

    /// Moves the clock (RFC 3339).
    pub fn set_now(&self, at: &str) {
        if let Ok(mut now) = self.now.lock() {
            *now = at.to_string();
        }
    }

    /// The account as the application sees it once signed in.
    pub fn actor(&self, account: &str) -> Actor {
        let roles = ACCOUNTS
            .iter()
            .filter(|(name, _)| *name == account)
            .map(|(_, role)| Role::parse(role).expect("a test role parses"))
            .collect();
        Actor {
            user: account.to_string(),
            roles,
        }
    }

    /// An evidence store in the test's folder taking files up to `max_bytes`.
    pub fn evidence(&self, max_bytes: usize) -> FileStore {
        FileStore::open(self.dir.path().join("evidence"), max_bytes).expect("an evidence folder")
    }

    /// The store closed and the folder kept as a [`Template`]: a test
    /// prepares a state through the application (or its API), then opens
    /// copies of it.
    pub async fn into_template(self) -> Template {
        self.store.close().await;
        Template { dir: self.dir }
    }

    /// How many entries the audit trail has.
    pub async fn trail(&self) -> usize {
        self.store
            .audit_entries()
            .await
            .expect("the trail reads")
            .len()
    }

    /// Adds to the store as `test`, at the clock's time.
    pub async fn apply(&self, add: impl FnOnce(&mut ImportBatch)) {
        let mut batch = ImportBatch {
            at: self.now(),
            actor: "test".into(),
            ..Default::default()
        };
        add(&mut batch);
        self.store.apply(batch).await.expect("the batch applies");
    }
}

/// Records tests act on, in the shape the store keeps them (push them with
/// [`Setup::with`] or [`TestApp::apply`]).
pub mod samples {
    use bagalau_core::correction::{Correction, CorrectionState};
    use bagalau_core::recommendation::{Recommendation, RecommendationState};
    use chrono::NaiveDate;

    /// A recommendation of `year` to minfin, issued by the test kit's
    /// assessor, due at the end of 2027, in `state` (a reported one with
    /// its report). Its text says "minfin's", as all minfin's unpublished
    /// texts in the samples do.
    pub fn recommendation(year: i32, state: RecommendationState) -> Recommendation {
        Recommendation {
            year,
            body: "minfin".into(),
            issued_by: "assessor".into(),
            text: "minfin's recommendation".into(),
            due: NaiveDate::from_ymd_opt(2027, 12, 31).expect("a day"),
            report: (state == RecommendationState::Reported).then(|| "done".into()),
            reported_at: None,
            evidence: vec![],
            review_reason: None,
            state,
        }
    }

    /// A correction of `year` asked for by the test kit's coordinator.
    pub fn correction_requested(year: i32) -> Correction {
        Correction {
            year,
            requested_by: "coordinator".into(),
            reason: "a value was wrong".into(),
            state: CorrectionState::Requested,
            decided_by: None,
            decision: None,
            version: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_template_opens_as_separate_copies_of_one_state() {
        let template = TestApp::setup()
            .published(2022)
            .cycle(2022)
            .template()
            .await;
        let first = template.open().await;
        let second = template.open().await;
        assert_eq!(first.store.publications(Some(2022)).await.unwrap().len(), 1);
        let before = second.trail().await;
        first.apply(|b| b.cycles.push((2023, calendar()))).await;
        assert_eq!(
            second.trail().await,
            before,
            "a copy does not see another's writes"
        );
        assert!(first.trail().await > before);
    }

    #[test]
    fn during_a_stage_is_inside_it() {
        assert_eq!(during(Stage::Submission), "2026-03-14T12:00:00+00:00");
        assert_eq!(during(Stage::Commission), "2026-07-31T12:00:00+00:00");
    }

    #[test]
    fn every_account_has_a_role_that_parses() {
        let app_roles: Vec<Role> = ACCOUNTS
            .iter()
            .map(|(_, r)| Role::parse(r).unwrap())
            .collect();
        assert_eq!(app_roles.len(), ACCOUNTS.len());
    }
}
