//! The commands: glue between files, the store, the core and the terminal.

use crate::config::Config;
use crate::render;
use crate::{TableFormat, TextFormat};
use anyhow::{Context, Result, anyhow, bail};
use bagalau_core::data::{self, YearData};
use bagalau_core::pack::{self, Methodology};
use bagalau_core::registry::{self, Registry};
use bagalau_core::score::{self, Assessment};
use bagalau_core::{Kind, Lang};
use bagalau_store::{AnyStore, Document, ImportBatch, Store};
use std::path::{Path, PathBuf};

/// The demo's register of public services: (file name, text).
/// The demo's delivery records: enough for every breakdown to have
/// something to show, few enough to generate in a second or two.
const DEMO_SERVICE_RECORDS: u64 = 100_000;

/// The demo's satisfaction questionnaire, and how many responses of the
/// cycle's year it generates (a few hundred per region asked).
const DEMO_QUESTIONNAIRE: (&str, &str) = (
    "crates/bagalau-demo/data/services/satisfaction.toml",
    include_str!("../../bagalau-demo/data/services/satisfaction.toml"),
);
const DEMO_SURVEY_RESPONSES: usize = 3_000;

const DEMO_SERVICE_REGISTER: (&str, &str) = bagalau_demo::SERVICE_REGISTER;

/// How long the demo's sign-in of the command line lasts.
const DEMO_SIGN_IN_DAYS: i64 = 30;

pub struct App {
    pub store: AnyStore,
    /// Who writes, for the audit trail: `cli:ACCOUNT`, or `cli:demo` for
    /// the demo's own writes.
    pub actor: String,
    /// The account the command line acts as (none for the bootstrap: the
    /// demo, `init`, `login`).
    pub signed_in: Option<bagalau_app::Actor>,
    /// Why, when the user says (`--reason`), for the audit trail.
    pub reason: Option<String>,
    pub config: Config,
    pub lang: Lang,
}

/// What a new publication version changed against the one before, said in
/// a line.
pub fn changes_line(p: &bagalau_app::publication::Published) -> Option<String> {
    let (previous, changes) = p.changes.as_ref()?;
    Some(format!(
        "Changes against version {previous}: {}",
        if changes.is_empty() {
            "none in totals, ranks or bands".into()
        } else {
            changes.join("; ")
        }
    ))
}

pub fn is_year(s: &str) -> bool {
    s.len() == 4 && s.parse::<i32>().is_ok()
}

fn read(path: &Path) -> Result<String> {
    crate::files::read_text(path)
}

fn load_pack_file(path: &Path) -> Result<Document<Methodology>> {
    let text = read(path)?;
    let file_name = path.display().to_string();
    let parsed = pack::load(&file_name, &text).map_err(|e| anyhow!("{e}"))?;
    Ok(Document {
        file_name,
        text,
        parsed,
    })
}

/// `bagalau methodology check`: validates each file, reports all problems.
pub fn check_packs(paths: &[PathBuf]) -> Result<()> {
    let mut failed = 0;
    for path in paths {
        let file = [crate::files::upload(path)?];
        match bagalau_app::imports::check_packs(&file) {
            Ok(checked) => {
                for m in checked {
                    outln!(
                        "{}: ok: `{}` for {}, {} blocks, {} criteria, {} indicators, sha256 {}",
                        m.file,
                        m.id,
                        m.year,
                        m.blocks,
                        m.criteria,
                        m.indicators,
                        &m.sha256[..12]
                    );
                }
            }
            Err(bagalau_app::AppError::Invalid(problems)) => {
                failed += 1;
                for p in problems {
                    eprintln!("{p}");
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    if failed > 0 {
        bail!("{failed} of {} pack(s) failed the check", paths.len());
    }
    Ok(())
}

pub fn diff_files(a: &str, b: &str, format: TextFormat) -> Result<()> {
    let (ma, mb) = (
        load_pack_file(Path::new(a))?.parsed,
        load_pack_file(Path::new(b))?.parsed,
    );
    render::diff(&mut std::io::stdout().lock(), &ma, &mb, format)
}

impl App {
    pub async fn open(config: Config, actor: String, reason: Option<String>) -> Result<App> {
        let keys = crate::audit::keys(&config.audit)?;
        let store = AnyStore::open(&config.db)
            .await
            .with_context(|| format!("cannot open the database `{}`", config.db))?
            .with_audit_keys(keys);
        let lang = Lang::parse(&config.lang).unwrap_or(Lang::En);
        Ok(App {
            store,
            config,
            lang,
            actor,
            signed_in: None,
            reason,
        })
    }

    /// Acts from now on as `actor` (checked by `signin::signed_in`).
    pub fn acting_as(mut self, actor: bagalau_app::Actor) -> App {
        self.actor = bagalau_app::FrontEnd::CommandLine.label(&actor.user);
        self.signed_in = Some(actor);
        self
    }

    /// The account the command line acts as.
    pub fn acting(&self) -> Result<bagalau_app::Actor> {
        self.signed_in
            .clone()
            .ok_or_else(|| anyhow!("no account: sign in with `bagalau login NAME`"))
    }

    /// An empty write batch, stamped with the time, the actor and the reason.
    pub fn batch(&self, now: &str) -> ImportBatch {
        ImportBatch {
            at: now.to_string(),
            actor: self.actor.clone(),
            reason: self.reason.clone(),
            ..Default::default()
        }
    }

    pub async fn audit_verify(
        &self,
        checkpoints: &[PathBuf],
        public_keys: &[String],
    ) -> Result<()> {
        for key in public_keys {
            bagalau_core::transparency::check_public_key(key).context("--public-key")?;
        }
        let witnesses = bagalau_app::audit::Witnesses {
            checkpoints: checkpoints
                .iter()
                .map(|f| crate::audit::read_checkpoint(f))
                .collect::<Result<Vec<_>>>()?,
            public_keys: public_keys.to_vec(),
        };
        let v = bagalau_app::audit::verify(&self.store, &self.acting()?, &witnesses).await?;
        let head = v
            .head
            .as_ref()
            .map_or("(empty)".to_string(), |(hash, seq)| {
                format!("{hash} at entry {seq}")
            });
        if v.intact() {
            outln!(
                "Audit trail intact: {} entries, {} records checked; head {head}.",
                v.entries,
                v.records
            );
            for line in &v.held {
                outln!("{line}");
            }
            Ok(())
        } else {
            for p in &v.problems {
                eprintln!("{p}");
            }
            bail!(
                "the audit found {} problem(s) in {}",
                v.problems.len(),
                self.store.location()
            )
        }
    }

    /// `bagalau publish`: a year assessed outside a cycle, by a
    /// coordinator (a cycle's year is published by the commission's approval).
    pub async fn publish(&self, year: i32, now: &str) -> Result<()> {
        let actor = self.acting()?;
        let p = match bagalau_app::publication::publish_archive(
            &self.store,
            bagalau_app::FrontEnd::CommandLine,
            &actor,
            year,
            self.reason.clone(),
            now,
        )
        .await
        {
            Err(bagalau_app::AppError::Conflict(
                bagalau_core::refusal::Refusal::CorrectionNeedsReason { version, .. },
            )) => bail!(
                "{year} was published as version {version}; a correction is a new version and needs its reason: bagalau --reason \"…\" publish --year {year}"
            ),
            other => other?,
        };
        if !p.new {
            outln!(
                "{year} is already published with these results: version {} (sha256 {}).",
                p.version,
                p.sha256
            );
            return Ok(());
        }
        outln!(
            "Published {year} as version {} (sha256 {}).",
            p.version,
            p.sha256
        );
        if let Some(note) = self.store.publication_checkpoint(year, p.version).await? {
            let head = bagalau_core::transparency::open(&note, &self.store.audit_keys().public())?;
            outln!("The audit trail's checkpoint at this publication: {head}.");
        }
        if p.demonstration {
            outln!("The results rest on DEMONSTRATION DATA and say so in the snapshot.");
        }
        if let Some(changes) = changes_line(&p) {
            outln!("{changes}");
        }
        Ok(())
    }

    pub async fn published(
        &self,
        year: Option<i32>,
        version: Option<i32>,
        format: TextFormat,
    ) -> Result<()> {
        if let (Some(year), Some(version)) = (year, version) {
            let content = self
                .store
                .publication_content(year, version)
                .await?
                .ok_or_else(|| anyhow!("{year} has no published version {version}"))?;
            if format == TextFormat::Json {
                outln!("{content}");
            } else {
                let s: bagalau_core::publication::Snapshot = serde_json::from_str(&content)?;
                outln!(
                    "{year}, version {version}: methodology {} (sha256 {}), inputs sha256 {}{}",
                    s.methodology,
                    &s.methodology_sha256[..16],
                    &s.inputs_sha256[..16],
                    if s.demonstration {
                        ", DEMONSTRATION DATA"
                    } else {
                        ""
                    }
                );
                for b in &s.bodies {
                    outln!(
                        "  {} {:>3} {:<48} {}",
                        b.kind,
                        b.rank.map_or("-".into(), |r| r.to_string()),
                        b.name.get(self.lang),
                        b.total.map_or("-".into(), |t| format!("{t:.2}"))
                    );
                }
            }
            return Ok(());
        }
        let list = self.store.publications(year).await?;
        if format == TextFormat::Json {
            outln!("{}", serde_json::to_string_pretty(&list)?);
            return Ok(());
        }
        if list.is_empty() {
            outln!(
                "Nothing is published{}.",
                year.map_or(String::new(), |y| format!(" for {y}"))
            );
        }
        for p in &list {
            outln!(
                "{} version {}: sha256 {}, published {} by {}{}",
                p.year,
                p.version,
                p.content_sha256,
                p.published_at,
                p.published_by,
                p.reason
                    .as_ref()
                    .map_or(String::new(), |r| format!(", because: {r}"))
            );
        }
        Ok(())
    }

    pub async fn audit_log(
        &self,
        entity: Option<&str>,
        key: Option<&str>,
        limit: usize,
    ) -> Result<()> {
        let filter = bagalau_app::audit::LogFilter { entity, key, limit };
        let (shown, total) = bagalau_app::audit::log(&self.store, &self.acting()?, filter).await?;
        let short = |s: &Option<String>| match s {
            None => "-".to_string(),
            Some(s) if s.len() > 120 => format!(
                "{}… ({} bytes)",
                s.chars().take(80).collect::<String>(),
                s.len()
            ),
            Some(s) => s.clone(),
        };
        for e in &shown {
            outln!(
                "{:>6} {} {} {} {} {}",
                e.seq,
                e.at,
                e.actor,
                e.action,
                e.entity,
                e.key
            );
            outln!("       old: {}", short(&e.old));
            outln!("       new: {}", short(&e.new));
            if let Some(r) = &e.reason {
                outln!("       why: {r}");
            }
        }
        outln!("{} of {total} entries shown.", shown.len());
        Ok(())
    }

    pub(crate) async fn registry(&self) -> Result<Registry> {
        Ok(bagalau_app::assessment::registry(&self.store).await?)
    }

    pub(crate) async fn methodology(&self, year: i32) -> Result<Methodology> {
        Ok(bagalau_app::assessment::methodology(&self.store, year).await?)
    }

    /// The year's results: the stored ones when their pack and input hashes
    /// match the current inputs, else computed now and stored.
    pub async fn assessment(
        &self,
        registry: &Registry,
        m: &Methodology,
        now: &str,
    ) -> Result<Assessment> {
        Ok(
            bagalau_app::assessment::current_kept(&self.store, registry, m, self.batch(now))
                .await?,
        )
    }

    /// The demo's operator account, with a new password (returned, to be
    /// shown once), and a command-line token for it, kept for this
    /// database: a new password revokes the account's earlier tokens, the
    /// one written with it stays.
    async fn demo_operator(&self, now: &str) -> Result<(String, bagalau_app::Actor)> {
        use bagalau_core::accounts::{token_hash, token_text};
        use bagalau_core::cycle::Role;
        let name = crate::demo_cycle::OPERATOR;
        let password = hex::encode(crate::signin::random::<9>()?);
        let token = token_text(&crate::signin::random::<32>()?);
        crate::signin::keep(&self.store.location(), &token)?;
        let existing = self
            .store
            .users()
            .await?
            .into_iter()
            .find(|u| u.name == name);
        let operator = bagalau_app::Actor {
            user: name.to_string(),
            roles: vec![
                Role::Administrator,
                Role::Coordinator,
                Role::Methodologist,
                Role::ServiceAnalyst,
            ],
        };
        let mut roles: Vec<String> = operator.roles.iter().map(Role::to_text).collect();
        roles.sort();
        let expires = (chrono::DateTime::parse_from_rfc3339(now)?
            + chrono::Duration::days(DEMO_SIGN_IN_DAYS))
        .with_timezone(&chrono::Utc)
        .to_rfc3339();
        let mut batch = self.batch(now);
        batch.users.push(bagalau_store::UserRecord {
            disabled_at: None,
            name: name.to_string(),
            password_hash: bagalau_core::accounts::hash_password(
                &password,
                &crate::signin::random::<16>()?,
            )?,
            roles,
            created_at: existing.map_or(now.to_string(), |u| u.created_at),
        });
        batch.tokens.push(bagalau_store::TokenRecord {
            token_hash: token_hash(&token),
            name: name.to_string(),
            label: "command line".into(),
            created_at: now.to_string(),
            expires_at: Some(expires),
        });
        self.store.apply(batch).await?;
        Ok((password, operator))
    }

    pub async fn demo(mut self, seed: u64, now: &str) -> Result<()> {
        let started = std::time::Instant::now();
        let cycle = self.demo_cycle_progress().await?;
        let cycle_year = crate::demo_cycle::CYCLE_YEAR;
        let cycle_started = cycle != crate::demo_cycle::CycleProgress::NotStarted;
        let origins = self.store.value_origins().await?;
        // The demo's own cycle writes its year's values from submissions,
        // findings and objections.
        if let Some((_, origin, n)) = origins
            .iter()
            .find(|(y, o, _)| o != data::DEMONSTRATION && !(cycle_started && *y == cycle_year))
        {
            bail!(
                "the database {} already holds {n} imported values (from {origin}); the demo would mix generated data with them. \
                 Run the demo in another database: bagalau --db demo.db demo",
                self.store.location()
            );
        }
        let (file, text) = bagalau_demo::REGISTRY;
        let registry = registry::load(file, text).map_err(|e| anyhow!("{e}"))?;
        // The demo writes the shipped registry and packs; it must not replace others.
        let elsewhere = "Run the demo in another database: bagalau --db demo.db demo";
        if let Some(stored) = self.store.registry().await?
            && stored != registry
        {
            bail!(
                "the database {} holds another registry than the demo's; {elsewhere}",
                self.store.location()
            );
        }
        for (file, text) in bagalau_demo::PACKS {
            let shipped = pack::load(file, text).map_err(|e| anyhow!("{e}"))?;
            if let Some(stored) = self.store.pack(shipped.year).await?
                && stored.methodology.content_hash != shipped.content_hash
            {
                bail!(
                    "the database {} holds another {} methodology ({}) than the demo's; {elsewhere}",
                    self.store.location(),
                    shipped.year,
                    stored.file_name
                );
            }
        }
        let (services_file, services_text) = DEMO_SERVICE_REGISTER;
        let services =
            bagalau_services::register::Register::from_csv(services_text).map_err(|problems| {
                let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
                anyhow!("{services_file}: {}", problems.join("; "))
            })?;
        let stored_services = self.store.service_register().await?;
        if let Some(stored) = &stored_services
            && *stored != services
        {
            bail!(
                "the database {} holds another register of public services than the demo's; {elsewhere}",
                self.store.location()
            );
        }
        // The demo's first write: its operator's account, as whom the
        // command line goes on (the token is kept before it is written, so
        // a demo stopped at any point leaves a working sign-in or nothing).
        let operator_password = match self.signed_in {
            None => {
                let (password, operator) = self.demo_operator(now).await?;
                // The demo's own writes stay the bootstrap's (`cli:demo`);
                // the use cases it goes through act as the operator.
                self.signed_in = Some(operator);
                Some(password)
            }
            Some(_) => None,
        };
        let kinds = |k: Kind| registry.bodies.iter().filter(|b| b.kind == k).count();
        eprintln!(
            "Registry: {} bodies ({} CGBs, {} LEBs, {} others) and {} reorganisation events, from {file}",
            registry.bodies.len(),
            kinds(Kind::Cgb),
            kinds(Kind::Leb),
            kinds(Kind::Other),
            registry.events.len()
        );
        let mut batch = self.batch(now);
        let mut years = Vec::new();
        for (file, text) in bagalau_demo::PACKS {
            let m = pack::load(file, text).map_err(|e| anyhow!("{e}"))?;
            if let Some(p) = bagalau_app::imports::bodies_problem(&m, &registry, file) {
                bail!("{p}");
            }
            let observations = bagalau_demo::generate(&m, &registry, seed);
            let year_data = YearData::from_observations(&observations, true);
            let assessment = score::assess(&m, &registry, &year_data);
            // Once its cycle has begun, that year's values are the cycle's.
            let (observations, assessment) = if cycle_started && m.year == cycle_year {
                (Vec::new(), None)
            } else {
                (observations, Some(assessment))
            };
            eprintln!(
                "{}: methodology {} ({} criteria); {} bodies evaluated; {} demonstration values (seed {seed}); scored",
                m.year,
                m.id,
                m.criteria().count(),
                registry.evaluated_in(m.year).len(),
                observations.len()
            );
            years.push(m.year);
            batch.observations.extend(
                observations
                    .into_iter()
                    .map(|o| (o, data::DEMONSTRATION.to_string())),
            );
            // The years before the cycle's are published as they were
            // assessed, so the portal has a history to show.
            if let Some(a) = &assessment
                && m.year != cycle_year
                && self.store.publications(Some(m.year)).await?.is_empty()
            {
                let (content, hash) =
                    bagalau_core::publication::Snapshot::from_assessment(a, &registry).canonical();
                batch.publications.push((
                    bagalau_core::publication::Publication {
                        year: m.year,
                        version: 1,
                        content_sha256: hash,
                        published_at: now.to_string(),
                        published_by: self.actor.clone(),
                        reason: None,
                    },
                    content,
                ));
            }
            batch.assessments.extend(assessment);
            // The shipped methodologies are the adopted ones of their years.
            batch.pack_adoptions.push(m.year);
            batch.packs.push(Document {
                file_name: file.to_string(),
                text: text.to_string(),
                parsed: m,
            });
        }
        let mut gpi_years = Vec::new();
        for (pfile, ptext) in bagalau_demo::PERFORMANCE_PACKS {
            let p = bagalau_core::performance::load(pfile, ptext).map_err(|e| anyhow!("{e}"))?;
            if let Some(stored) = self.store.performance_pack(p.year).await?
                && stored.content_hash != p.content_hash
            {
                bail!(
                    "the database {} holds another {} performance pack than the demo's; {elsewhere}",
                    self.store.location(),
                    p.year
                );
            }
            let series = bagalau_demo::generate_series(&p, &registry, seed);
            eprintln!(
                "{}: performance pack {} ({} indicators in {} spheres, {} NPI indicators); {} demonstration series values {}-{}",
                p.year,
                p.id,
                p.indicators.len(),
                p.spheres.len(),
                p.npi.len(),
                series.len(),
                bagalau_demo::SERIES_YEARS.start(),
                bagalau_demo::SERIES_YEARS.end()
            );
            gpi_years.push(p.year);
            batch.series.extend(
                series
                    .into_iter()
                    .map(|o| (o, data::DEMONSTRATION.to_string())),
            );
            batch.performance_packs.push(Document {
                file_name: pfile.to_string(),
                text: ptext.to_string(),
                parsed: p,
            });
        }
        batch.registry = Some(Document {
            file_name: file.to_string(),
            text: text.to_string(),
            parsed: registry,
        });
        eprintln!(
            "Register of public services: {} versions, demonstration data, from {services_file}",
            services.versions().len()
        );
        let demo_services = services.clone();
        // Stored once, marked as demonstration data; a run after a crash finds it there.
        if stored_services.is_none() {
            batch.service_register =
                Some(Document::service_register(data::DEMONSTRATION, services));
        }
        let counts = self.store.apply(batch).await?;
        let path = self.store.location();
        let latest = years.iter().max().copied().unwrap_or(2023);
        outln!("Demo database ready: {path}");
        outln!(
            "  {} bodies, {} methodologies ({}), {} values written ({} unchanged), {} result sets, in {:.1} s.",
            counts.bodies,
            counts.packs,
            years
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            counts.values_new + counts.values_changed,
            counts.values_unchanged,
            counts.assessments,
            started.elapsed().as_secs_f64()
        );
        outln!(
            "  The reporting data are DEMONSTRATION DATA generated from seed {seed}: not real results."
        );
        self.demo_cycle(seed, cycle).await?;
        let records_dir = &self.config.services.dir;
        let calendar = bagalau_app::services::calendar(&self.store).await?;
        match crate::services::demo_records(
            records_dir,
            &calendar,
            &demo_services,
            crate::demo_cycle::CYCLE_YEAR,
            DEMO_SERVICE_RECORDS,
            seed,
        )
        .await?
        {
            Some(n) => {
                outln!(
                    "  {n} public-service delivery records of {} generated in {records_dir} (DEMONSTRATION DATA, files `{}.parquet`).",
                    crate::demo_cycle::CYCLE_YEAR,
                    crate::services::DEMO_RECORDS_FILE
                );
                let year = crate::demo_cycle::CYCLE_YEAR;
                let questionnaire =
                    bagalau_services::questionnaire::Questionnaire::from_toml(DEMO_QUESTIONNAIRE.1)
                        .map_err(|e| anyhow::anyhow!("{}: {e}", DEMO_QUESTIONNAIRE.0))?;
                let responses = bagalau_analytics::survey_demo::demonstration_responses(
                    &demo_services,
                    &questionnaire,
                    year,
                    DEMO_SURVEY_RESPONSES,
                    seed,
                );
                let kept = bagalau_app::surveys::keep_demonstration_responses(
                    &self.store,
                    bagalau_app::FrontEnd::CommandLine,
                    &self.acting()?,
                    &bagalau_app::Upload {
                        name: DEMO_QUESTIONNAIRE.0.to_string(),
                        text: DEMO_QUESTIONNAIRE.1.to_string(),
                    },
                    &responses,
                    now,
                )
                .await?;
                if kept {
                    outln!(
                        "  {} satisfaction-survey responses of {year} to {} kept in the database (DEMONSTRATION DATA).",
                        responses.len(),
                        questionnaire.id
                    );
                }
                // The portal's ratings page has something to show; a year
                // published already (a demo run again) is left as it is.
                if self.store.service_ratings(Some(year)).await?.is_empty() {
                    let inputs = crate::ratings::Inputs {
                        records: crate::services::kept_records(records_dir)?,
                        year,
                        register: None,
                        questionnaire: Some(&questionnaire.id),
                    };
                    outln!("  Ratings of service quality:");
                    crate::ratings::publish(&self, &inputs, now).await?;
                }
            }
            None => outln!(
                "  The delivery records of {} in {records_dir} were not written by the demo: left as they are.",
                crate::demo_cycle::CYCLE_YEAR
            ),
        }
        if let Some(password) = operator_password {
            outln!();
            outln!(
                "The command line is signed in as `{}` (administrator, coordinator, methodologist, analyst; password {password}, shown only now) for {DEMO_SIGN_IN_DAYS} days; `bagalau login NAME` signs in as another account.",
                crate::demo_cycle::OPERATOR
            );
        }
        outln!();
        outln!("Next:");
        outln!("  bagalau assess --year {latest}                 # rankings of CGBs and LEBs");
        outln!("  bagalau assess --year {latest} --kind leb --format csv");
        outln!(
            "  bagalau explain --year {latest} --body minfin  # every number traced to its inputs"
        );
        outln!(
            "  bagalau methodology diff {} {latest}          # what changed in the methodology",
            latest - 1
        );
        outln!("  bagalau registry history akimat_east_kazakhstan");
        outln!(
            "  bagalau services register-diff --from 2022-12-31 --to 2023-01-01   # the stored register of public services"
        );
        outln!(
            "  bagalau services indicators --year {} --by region   # deadlines, violations, electronic share from the records",
            crate::demo_cycle::CYCLE_YEAR
        );
        outln!(
            "  bagalau services ratings --year {} --by region      # ratings of service quality (published: /en/services/ratings)",
            crate::demo_cycle::CYCLE_YEAR
        );
        outln!(
            "  bagalau services satisfaction --questionnaire {} --by region   # the survey's weighted shares with 95% intervals",
            DEMO_QUESTIONNAIRE.0
        );
        for year in gpi_years {
            let (registry, _, gpi) = self.gpi(year).await?;
            outln!();
            outln!(
                "Government Performance Index {year} (demonstration data), leaders and risk areas:"
            );
            for kind in Kind::RANKED {
                let of_kind: Vec<_> = gpi.results.iter().filter(|r| r.kind == kind).collect();
                let top: Vec<String> = of_kind
                    .iter()
                    .take(3)
                    .map(|r| {
                        format!(
                            "{}. {} {:.1}",
                            r.rank.unwrap_or(0),
                            registry.display_name(&r.body, year, self.lang),
                            r.gpi.unwrap_or(f64::NAN)
                        )
                    })
                    .collect();
                let risks: usize = of_kind.iter().map(|r| r.risk_indicators().count()).sum();
                let bodies = of_kind
                    .iter()
                    .filter(|r| r.risk_indicators().next().is_some())
                    .count();
                outln!(
                    "  {kind}s: {}; {risks} regressing indicators in {bodies} of {} bodies",
                    top.join(", "),
                    of_kind.len()
                );
            }
            outln!("  bagalau performance assess --year {year}      # the whole GPI ranking");
            outln!(
                "  bagalau explain --year {year} --body moh --index gpi   # a body's indicators, changes and risk areas"
            );
            outln!("  bagalau performance npi --year {year}         # the National Progress Index");
        }
        outln!();
        outln!("The public portal and the API: bagalau serve, then open http://127.0.0.1:8080/");
        Ok(())
    }

    pub async fn print_assessment(
        &self,
        year: i32,
        kind: Option<Kind>,
        format: TableFormat,
        now: &str,
    ) -> Result<()> {
        let registry = self.registry().await?;
        let m = self.methodology(year).await?;
        let current = self.assessment(&registry, &m, now).await?;
        let previous = match self.store.pack(year - 1).await? {
            Some(p) => Some(self.assessment(&registry, &p.methodology, now).await?),
            None => None,
        };
        let rows =
            render::ranking_rows(&registry, &m, &current, previous.as_ref(), kind, self.lang);
        render::ranking(
            &mut std::io::stdout().lock(),
            &m,
            &current,
            &rows,
            format,
            self.lang,
        )
    }

    pub async fn explain(
        &self,
        year: i32,
        body: &str,
        format: TextFormat,
        now: &str,
    ) -> Result<()> {
        let registry = self.registry().await?;
        let b = registry.body(body).ok_or_else(|| {
            anyhow!("unknown body `{body}` (see `bagalau registry list --year {year}`)")
        })?;
        if !b.evaluated.contains(&year) {
            bail!(
                "`{body}` was not evaluated in {year} (evaluated: {})",
                b.evaluated
                    .iter()
                    .map(i32::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        let m = self.methodology(year).await?;
        let a = self.assessment(&registry, &m, now).await?;
        let result = a
            .result(body)
            .ok_or_else(|| anyhow!("no result for `{body}` in {year}"))?;
        let previous = match self.store.pack(year - 1).await? {
            Some(p) => {
                let prev = self.assessment(&registry, &p.methodology, now).await?;
                score::previous_total(&registry, &prev, body)
            }
            None => None,
        };
        let peers = a
            .results
            .iter()
            .filter(|r| r.kind == result.kind && r.rank.is_some())
            .count();
        render::explain(
            &mut std::io::stdout().lock(),
            &registry,
            &m,
            &a,
            result,
            previous.as_ref(),
            peers,
            format,
            self.lang,
        )
    }

    pub async fn diff(&self, a: &str, b: &str, format: TextFormat) -> Result<()> {
        let load = |s: &str| {
            let s = s.to_string();
            async move {
                if is_year(&s) {
                    anyhow::Ok(
                        bagalau_app::methodology::readable(
                            &self.store,
                            &self.acting()?,
                            s.parse()?,
                        )
                        .await?,
                    )
                } else {
                    Ok(load_pack_file(Path::new(&s))?.parsed)
                }
            }
        };
        let (ma, mb) = (load(a).await?, load(b).await?);
        render::diff(&mut std::io::stdout().lock(), &ma, &mb, format)
    }

    pub async fn import_packs(&self, paths: &[PathBuf], now: &str) -> Result<()> {
        let packs = bagalau_app::imports::import_packs(
            &self.store,
            bagalau_app::FrontEnd::CommandLine,
            &self.acting()?,
            &crate::files::uploads(paths)?,
            self.reason.clone(),
            now,
        )
        .await
        .map_err(|e| crate::files::refused(e, "packs"))?;
        outln!(
            "Imported {packs} methodology pack(s); a new one is a draft until a methodologist adopts it (bagalau methodology adopt --year YEAR)."
        );
        Ok(())
    }

    pub async fn import_registry(&self, path: &Path, now: &str) -> Result<()> {
        let file = crate::files::upload(path)?;
        let bodies = bagalau_app::imports::import_registry(
            &self.store,
            bagalau_app::FrontEnd::CommandLine,
            &self.acting()?,
            &file,
            self.reason.clone(),
            now,
        )
        .await
        .map_err(|e| crate::files::refused(e, "registry"))?;
        outln!("Imported the registry: {bodies} bodies.");
        Ok(())
    }

    pub async fn import_data(&self, paths: &[PathBuf], now: &str) -> Result<()> {
        let imported = bagalau_app::imports::import_data(
            &self.store,
            bagalau_app::FrontEnd::CommandLine,
            &self.acting()?,
            &crate::files::uploads(paths)?,
            self.reason.clone(),
            now,
        )
        .await
        .map_err(|e| crate::files::refused(e, "files"))?;
        outln!(
            "Imported reporting data: {} new, {} changed, {} unchanged values. `bagalau assess` recomputes the affected years.",
            imported.new,
            imported.changed,
            imported.unchanged
        );
        Ok(())
    }

    /// Why the batch's values may not be written: an approved year they would change.
    pub(crate) async fn locked_years(&self, batch: &ImportBatch) -> Result<Vec<String>> {
        let values = batch.observations.iter().map(|(o, _)| o);
        Ok(bagalau_app::locks::may_write_values(&self.store, values)
            .await
            .err()
            .map(|e| e.to_string())
            .into_iter()
            .collect())
    }

    /// `bagalau methodology adopt`.
    pub async fn adopt_pack(&self, year: i32, now: &str) -> Result<()> {
        let adopted = bagalau_app::methodology::adopt(
            &self.store,
            bagalau_app::FrontEnd::CommandLine,
            &self.acting()?,
            year,
            now,
        )
        .await?;
        if adopted {
            outln!("The {year} methodology is adopted: it is public, and its cycle may open.");
        } else {
            outln!("The {year} methodology was adopted already.");
        }
        Ok(())
    }

    pub async fn list_bodies(&self, year: Option<i32>) -> Result<()> {
        let registry = self.registry().await?;
        render::bodies(&mut std::io::stdout().lock(), &registry, year, self.lang)
    }

    pub async fn history(&self, body: &str) -> Result<()> {
        let registry = self.registry().await?;
        if registry.body(body).is_none() {
            bail!("unknown body `{body}` (see `bagalau registry list`)");
        }
        render::history(&mut std::io::stdout().lock(), &registry, body, self.lang)
    }
}
