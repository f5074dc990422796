//! The stores on real databases (a SQLite file, and PostgreSQL when
//! BAGALAU_TEST_POSTGRES_URL names a server): round trips, all-or-nothing
//! batches, change counting.

use bagalau_core::data::{DEMONSTRATION, Observation, YearData};
use bagalau_core::{pack, registry, score};
use bagalau_demo::{PACKS, REGISTRY, generate};
use bagalau_store::testing::{POSTGRES_URL_VAR, drop_postgres_database, fresh_postgres_database};
use bagalau_store::{AnyStore, Document, ImportBatch, SqliteStore, Store, StoreError};

async fn open(dir: &tempfile::TempDir) -> SqliteStore {
    SqliteStore::open(&dir.path().join("test.db").display().to_string())
        .await
        .unwrap()
}

fn full_batch() -> (ImportBatch, score::Assessment) {
    let reg = registry::load(REGISTRY.0, REGISTRY.1).unwrap();
    let m = pack::load(PACKS[3].0, PACKS[3].1).unwrap();
    let obs = generate(&m, &reg, 5);
    let data = YearData::from_observations(&obs, true);
    let a = score::assess(&m, &reg, &data);
    let batch = ImportBatch {
        registry: Some(Document {
            file_name: REGISTRY.0.into(),
            text: REGISTRY.1.into(),
            parsed: reg,
        }),
        packs: vec![Document {
            file_name: PACKS[3].0.into(),
            text: PACKS[3].1.into(),
            parsed: m,
        }],
        observations: obs
            .into_iter()
            .map(|o| (o, DEMONSTRATION.to_string()))
            .collect(),
        assessments: vec![a.clone()],
        at: "2026-01-01T00:00:00Z".into(),
        ..Default::default()
    };
    (batch, a)
}

#[tokio::test]
async fn a_batch_round_trips() {
    on_every_backend(|store| async move {
        let (batch, a) = full_batch();
        let n = batch.observations.len();
        let counts = store.apply(batch).await.unwrap();
        assert_eq!(counts.values_new, n);
        assert_eq!(counts.packs, 1);
        assert_eq!(counts.assessments, 1);

        let reg = store.registry().await.unwrap().unwrap();
        assert_eq!(reg, registry::load(REGISTRY.0, REGISTRY.1).unwrap());
        assert_eq!(store.pack_years().await.unwrap(), vec![2022]);
        let stored = store.pack(2022).await.unwrap().unwrap();
        assert_eq!(stored.methodology.content_hash, a.pack_hash);
        let data = store.year_data(2022).await.unwrap();
        assert!(data.demonstration);
        // The stored data hash to the same inputs, and the stored results are found by hashes.
        assert_eq!(
            bagalau_core::data::input_hash(&reg, 2022, &data),
            a.input_hash
        );
        let back = store
            .assessment(2022, &a.pack_hash, &a.input_hash)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(back, a);
        assert_eq!(
            store.value_origins().await.unwrap(),
            vec![(2022, DEMONSTRATION.to_string(), n as i64)]
        );
    })
    .await;
}

#[tokio::test]
async fn a_failing_batch_writes_nothing() {
    on_every_backend(|store| async move {
        let (mut batch, _) = full_batch();
        // A value for a body that is not in the registry violates a foreign key
        // at the very end of the batch.
        batch.observations.push((
            Observation {
                year: 2022,
                body: "nobody".into(),
                indicator: "bp_spent".into(),
                value: Some(1.0),
                note: None,
            },
            "file.csv".into(),
        ));
        let err = store.apply(batch).await.unwrap_err();
        assert!(matches!(err, StoreError::Database(_)), "{err}");
        assert!(store.registry().await.unwrap().is_none());
        assert!(store.pack_years().await.unwrap().is_empty());
        assert!(store.year_data(2022).await.unwrap().values.is_empty());
    })
    .await;
}

#[tokio::test]
async fn reimports_count_changes_and_keep_the_rest() {
    on_every_backend(|store| async move {
        let (batch, _) = full_batch();
        let first: Vec<Observation> = batch
            .observations
            .iter()
            .take(3)
            .map(|(o, _)| o.clone())
            .collect();
        store.apply(batch).await.unwrap();
        let mut again = first.clone();
        again[1].value = Some(12345.0);
        let counts = store
            .apply(ImportBatch {
                observations: again
                    .into_iter()
                    .map(|o| (o, "corrections.csv".to_string()))
                    .collect(),
                at: "2026-01-02T00:00:00Z".into(),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(
            (
                counts.values_new,
                counts.values_changed,
                counts.values_unchanged
            ),
            (0, 1, 2)
        );
        let data = store.year_data(2022).await.unwrap();
        assert_eq!(data.get(&first[1].body, &first[1].indicator), Some(12345.0));
        assert_eq!(
            data.get(&first[0].body, &first[0].indicator),
            first[0].value
        );
        let origins = store.value_origins().await.unwrap();
        assert!(
            origins
                .iter()
                .any(|(_, o, n)| o == "corrections.csv" && *n == 1)
        );
    })
    .await;
}

#[tokio::test]
async fn urls_other_than_sqlite_and_postgres_are_refused() {
    let err = SqliteStore::open("mysql://localhost/x").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "unsupported database URL `mysql://localhost/x` (use a file path or sqlite://PATH)"
    );
}

#[tokio::test]
async fn reopening_keeps_the_data_and_migrations_are_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let (batch, a) = full_batch();
    {
        let store = open(&dir).await;
        store.apply(batch).await.unwrap();
        store.close().await;
    }
    let store = open(&dir).await;
    assert!(
        store
            .assessment(2022, &a.pack_hash, &a.input_hash)
            .await
            .unwrap()
            .is_some()
    );
}

/// Runs a test against a fresh SQLite file and, when a PostgreSQL server is
/// named, against a fresh PostgreSQL database.
async fn on_every_backend<F, Fut>(test: F)
where
    F: Fn(AnyStore) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    on_every_backend_with_url(|store, _| test(store)).await;
}

/// The same, also giving the database URL (for tests that go behind the store's back).
async fn on_every_backend_with_url<F, Fut>(test: F)
where
    F: Fn(AnyStore, String) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db").display().to_string();
    test(
        AnyStore::open(&path).await.unwrap(),
        format!("sqlite://{path}"),
    )
    .await;
    if let Ok(admin) = std::env::var(POSTGRES_URL_VAR) {
        let url = fresh_postgres_database(&admin).await.unwrap();
        let store = AnyStore::open(&url).await.unwrap();
        test(store.clone(), url.clone()).await;
        store.close().await;
        drop_postgres_database(&admin, &url).await;
    }
}

#[tokio::test]
async fn the_audit_trail_records_every_write_and_finds_tampering() {
    use bagalau_core::audit::{Problem, verify};
    use sqlx::{AnyConnection, Connection};
    on_every_backend_with_url(|store, url| async move {
        let (mut batch, _) = full_batch();
        batch.actor = "test:alice".into();
        batch.reason = Some("initial load".into());
        let n = batch.observations.len();
        store.apply(batch).await.unwrap();
        let entries = store.audit_entries().await.unwrap();
        // registry + pack + every value + the assessment
        assert_eq!(entries.len(), 1 + 1 + n + 1);
        assert!(entries.iter().all(|e| e.actor == "test:alice" && e.reason.as_deref() == Some("initial load")));
        assert_eq!(verify(&entries, &store.audit_records().await.unwrap()), vec![]);

        sqlx::any::install_default_drivers();
        let mut raw = AnyConnection::connect(&url).await.unwrap();
        let key = entries.iter().find(|e| e.entity == "value").unwrap().key.clone();
        let parts: Vec<&str> = key.split('/').collect();
        sqlx::query("UPDATE reporting_values SET value = -1 WHERE year = $1 AND body_id = $2 AND indicator_id = $3")
            .bind(parts[0].parse::<i32>().unwrap())
            .bind(parts[1])
            .bind(parts[2])
            .execute(&mut raw)
            .await
            .unwrap();
        sqlx::query("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2").execute(&mut raw).await.unwrap();
        sqlx::query("DELETE FROM packs").execute(&mut raw).await.unwrap();
        let problems = verify(&store.audit_entries().await.unwrap(), &store.audit_records().await.unwrap());
        assert!(problems.contains(&Problem::Changed { entity: "value".into(), key: key.clone() }), "{problems:?}");
        assert!(problems.contains(&Problem::Altered(2)), "{problems:?}");
        assert!(problems.contains(&Problem::Deleted { entity: "pack".into(), key: "2022".into() }), "{problems:?}");
        raw.close().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn a_drawn_body_with_a_negative_zero_score_verifies() {
    // A drawn body without risk reasons once scored -0.0, which the
    // database keeps as 0.0: `audit verify` then cried tampering.
    on_every_backend(|store| async move {
        let (batch, _) = full_batch();
        store.apply(batch).await.unwrap();
        let selection = ImportBatch {
            at: "2026-01-02T00:00:00Z".into(),
            actor: "test".into(),
            selection: Some((
                2022,
                7,
                vec![bagalau_store::SelectionRecord {
                    body: "minfin".into(),
                    by: "draw".into(),
                    score: -0.0,
                    reasons: vec![],
                }],
            )),
            ..Default::default()
        };
        store.apply(selection).await.unwrap();
        assert_eq!(
            bagalau_core::audit::verify(
                &store.audit_entries().await.unwrap(),
                &store.audit_records().await.unwrap()
            ),
            vec![]
        );
    })
    .await;
}

#[tokio::test]
async fn accounts_and_tokens() {
    use bagalau_store::{TokenRecord, UserRecord};
    on_every_backend(|store| async move {
        let (mut batch, _) = full_batch();
        batch.users.push(UserRecord {
            disabled_at: None,
            name: "aigerim".into(),
            password_hash: "$argon2id$v=19$m=65536,t=3,p=1$c2FsdHNhbHQ$aGFzaA".into(),
            roles: vec!["reporter:minfin".into()],
            created_at: "2026-01-01T00:00:00+00:00".into(),
        });
        batch.tokens.push(TokenRecord {
            token_hash: "ab".repeat(32),
            name: "aigerim".into(),
            label: "uploads".into(),
            created_at: "2026-01-01T00:00:00+00:00".into(),
            expires_at: Some("2026-02-01T00:00:00+00:00".into()),
        });
        store.apply(batch).await.unwrap();
        let u = store
            .user_by_token(&"ab".repeat(32), "2026-01-15T00:00:00+00:00")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (u.name.as_str(), u.roles.clone()),
            ("aigerim", vec!["reporter:minfin".to_string()])
        );
        assert!(
            store
                .user_by_token(&"ab".repeat(32), "2026-02-02T00:00:00+00:00")
                .await
                .unwrap()
                .is_none(),
            "expired"
        );
        assert!(
            store
                .user_by_token(&"cd".repeat(32), "2026-01-15T00:00:00+00:00")
                .await
                .unwrap()
                .is_none(),
            "unknown"
        );
        // Replacing the roles keeps one account and is audited with old and new roles.
        let mut again = ImportBatch {
            at: "2026-01-03T00:00:00Z".into(),
            ..Default::default()
        };
        again.users.push(UserRecord {
            disabled_at: None,
            roles: vec!["reporter:minfin".into(), "verifier".into()],
            ..u.clone()
        });
        store.apply(again).await.unwrap();
        assert_eq!(store.users().await.unwrap().len(), 1);
        let last = store.audit_entries().await.unwrap().pop().unwrap();
        assert_eq!(
            (last.entity.as_str(), last.action.as_str()),
            ("user", "update")
        );
        assert!(
            last.new
                .unwrap()
                .starts_with("roles=reporter:minfin,verifier; password=")
        );
        assert!(
            !last.old.unwrap().contains("argon2"),
            "no password hash in the trail"
        );
        assert_eq!(store.tokens_of("aigerim").await.unwrap().len(), 1);
        // A new password revokes every token of the account.
        let second_token = |hash: &str| TokenRecord {
            token_hash: hash.repeat(32),
            name: "aigerim".into(),
            label: "session".into(),
            created_at: "2026-01-04T00:00:00+00:00".into(),
            expires_at: Some("2026-02-01T00:00:00+00:00".into()),
        };
        let mut password = ImportBatch {
            at: "2026-01-04T00:00:00Z".into(),
            ..Default::default()
        };
        password.users.push(UserRecord {
            password_hash: "$argon2id$v=19$m=65536,t=3,p=1$c2FsdHNhbHQ$bmV3".into(),
            roles: vec!["reporter:minfin".into(), "verifier".into()],
            ..u.clone()
        });
        // A token made in the same write as the new password stays.
        password.tokens.push(second_token("ef"));
        store.apply(password).await.unwrap();
        let now = "2026-01-15T00:00:00+00:00";
        assert!(
            store
                .user_by_token(&"ab".repeat(32), now)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            store
                .user_by_token(&"ef".repeat(32), now)
                .await
                .unwrap()
                .is_some()
        );
        // A disabled account signs in nowhere and its tokens go.
        let mut disable = ImportBatch {
            at: "2026-01-05T00:00:00Z".into(),
            ..Default::default()
        };
        let current = store.users().await.unwrap().pop().unwrap();
        disable.users.push(UserRecord {
            disabled_at: Some("2026-01-05T00:00:00Z".into()),
            ..current.clone()
        });
        store.apply(disable).await.unwrap();
        assert!(store.tokens_of("aigerim").await.unwrap().is_empty());
        let disabled = store.users().await.unwrap().pop().unwrap();
        assert_eq!(
            disabled.disabled_at.as_deref(),
            Some("2026-01-05T00:00:00Z")
        );
        let mut token = ImportBatch {
            at: "2026-01-06T00:00:00Z".into(),
            ..Default::default()
        };
        token.tokens.push(second_token("12"));
        store.apply(token).await.unwrap();
        assert!(
            store
                .user_by_token(&"12".repeat(32), now)
                .await
                .unwrap()
                .is_none(),
            "a disabled account's token opens nothing"
        );
        let entries = store.audit_entries().await.unwrap();
        assert!(entries.iter().any(|e| {
            e.entity == "user"
                && e.new
                    .as_deref()
                    .is_some_and(|n| n.ends_with("; disabled=2026-01-05T00:00:00Z"))
        }));
        assert_eq!(
            entries
                .iter()
                .filter(|e| e.entity == "token" && e.action == "delete")
                .count(),
            2,
            "each revoked token is audited"
        );
        assert_eq!(
            bagalau_core::audit::verify(
                &store.audit_entries().await.unwrap(),
                &store.audit_records().await.unwrap()
            ),
            vec![]
        );
    })
    .await;
}

#[tokio::test]
async fn recommendations_round_trip_and_tampering_is_found() {
    use bagalau_core::recommendation::{Recommendation, RecommendationState};
    use chrono::NaiveDate;
    on_every_backend_with_url(|store, url| async move {
        let issued = Recommendation {
            year: 2022,
            body: "minfin".into(),
            issued_by: "auditor1".into(),
            text: "Publish monthly reports".into(),
            due: NaiveDate::from_ymd_opt(2023, 9, 30).unwrap(),
            state: RecommendationState::Open,
            report: None,
            reported_at: None,
            evidence: vec![],
            review_reason: None,
        };
        let at = |t: &str| ImportBatch {
            at: t.into(),
            actor: "api:x".into(),
            ..Default::default()
        };
        let mut batch = at("2023-01-10T00:00:00Z");
        batch.recommendations.push((None, issued.clone()));
        batch.recommendations.push((
            None,
            Recommendation {
                body: "mne".into(),
                ..issued.clone()
            },
        ));
        store.apply(batch).await.unwrap();
        let reported = Recommendation {
            state: RecommendationState::Reported,
            report: Some("Done".into()),
            evidence: vec!["ab".repeat(32), "cd".repeat(32)],
            reported_at: NaiveDate::from_ymd_opt(2023, 9, 30)
                .unwrap()
                .and_hms_opt(23, 59, 59),
            ..issued.clone()
        };
        let mut batch = at("2023-10-01T00:00:00Z");
        batch.recommendations.push((Some(1), reported.clone()));
        store.apply(batch).await.unwrap();
        let mut batch = at("2023-10-01T00:00:01Z");
        batch.evidence.push(bagalau_store::EvidenceRecord {
            sha256: "ab".repeat(32),
            size: 10,
            media_type: "application/pdf".into(),
            file_name: "act.pdf".into(),
            uploaded_by: "reporter".into(),
        });
        store.apply(batch).await.unwrap();
        assert_eq!(
            store.evidence_uploads(&"ab".repeat(32)).await.unwrap()[0].file_name,
            "act.pdf"
        );
        assert!(
            store
                .evidence_uploads(&"cd".repeat(32))
                .await
                .unwrap()
                .is_empty()
        );
        let all = store.recommendations(None).await.unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(
            all[0],
            (1, reported.clone()),
            "the update replaced the state, report and its time"
        );
        assert_eq!(all[1].1.body, "mne");
        assert!(store.recommendations(Some(2021)).await.unwrap().is_empty());
        let entries = store.audit_entries().await.unwrap();
        let last = entries
            .iter()
            .rfind(|e| e.entity == "recommendation")
            .unwrap();
        assert_eq!(last.old.as_deref(), Some(issued.audit_content().as_str()));
        assert_eq!(
            bagalau_core::audit::verify(&entries, &store.audit_records().await.unwrap()),
            vec![]
        );
        // A state changed behind Bagalau's back is found.
        sqlx::any::install_default_drivers();
        let mut raw = <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
            .await
            .unwrap();
        sqlx::query("UPDATE recommendations SET state = 'executed' WHERE id = 2")
            .execute(&mut raw)
            .await
            .unwrap();
        let problems = bagalau_core::audit::verify(
            &store.audit_entries().await.unwrap(),
            &store.audit_records().await.unwrap(),
        );
        assert!(
            problems.contains(&bagalau_core::audit::Problem::Changed {
                entity: "recommendation".into(),
                key: "2".into()
            }),
            "{problems:?}"
        );
    })
    .await;
}

/// The demo's register of public services.
const SERVICE_REGISTER: &str = include_str!("../../bagalau-demo/data/services/register.csv");

#[tokio::test]
async fn the_register_of_services_is_stored_audited_and_fingerprinted() {
    use bagalau_core::audit::{Problem, verify};
    use bagalau_services::register::Register;
    on_every_backend_with_url(|store, url| async move {
        assert!(store.service_register().await.unwrap().is_none());
        assert!(store.service_register_import().await.unwrap().is_none());
        let empty = store.public_fingerprint().await.unwrap();
        let register = Register::from_csv(SERVICE_REGISTER).unwrap();
        let import = |register: Register, at: &str| ImportBatch {
            service_register: Some(Document::service_register("register.xlsx", register)),
            at: at.into(),
            actor: "cli:test".into(),
            ..Default::default()
        };
        store
            .apply(import(register.clone(), "2026-01-01T00:00:00Z"))
            .await
            .unwrap();
        assert_eq!(
            store.service_register().await.unwrap(),
            Some(register.clone())
        );
        let source = store.service_register_import().await.unwrap().unwrap();
        assert_eq!(source.file_name, "register.xlsx");
        assert_eq!(source.imported_at, "2026-01-01T00:00:00Z");
        assert_eq!(
            source.content_hash,
            bagalau_core::hash::sha256_hex(register.to_csv().as_bytes())
        );
        assert!(!source.is_demonstration());
        let first = store.public_fingerprint().await.unwrap();
        assert_ne!(first, empty, "the public pages show the register");
        let entries = store.audit_entries().await.unwrap();
        let e = entries.last().unwrap();
        assert_eq!(
            (
                e.entity.as_str(),
                e.key.as_str(),
                e.action.as_str(),
                e.actor.as_str()
            ),
            ("service_register", "service_register", "insert", "cli:test")
        );
        assert_eq!(e.new.as_deref(), Some(register.to_csv().as_str()));

        // The same register again writes no audit entry.
        store
            .apply(import(register.clone(), "2026-01-02T00:00:00Z"))
            .await
            .unwrap();
        assert_eq!(store.audit_entries().await.unwrap().len(), entries.len());

        // A new standard replaces the register, old and new content on record.
        let changed = Register::from_csv(&SERVICE_REGISTER.replace(
            "1,working_days,identity card;medical certificate of birth",
            "2,working_days,identity card;medical certificate of birth",
        ))
        .unwrap();
        assert_ne!(changed, register);
        store
            .apply(import(changed.clone(), "2026-01-03T00:00:00Z"))
            .await
            .unwrap();
        assert_eq!(
            store.service_register().await.unwrap(),
            Some(changed.clone())
        );
        assert_ne!(store.public_fingerprint().await.unwrap(), first);
        let entries = store.audit_entries().await.unwrap();
        let e = entries.last().unwrap();
        assert_eq!(
            (e.entity.as_str(), e.action.as_str()),
            ("service_register", "update")
        );
        assert_eq!(e.old.as_deref(), Some(register.to_csv().as_str()));
        assert_eq!(e.new.as_deref(), Some(changed.to_csv().as_str()));
        assert_eq!(
            verify(&entries, &store.audit_records().await.unwrap()),
            vec![]
        );

        // Changed behind Bagalau's back: the audit finds it, and a register
        // that no longer reads is refused rather than shown.
        sqlx::any::install_default_drivers();
        let mut raw = <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
            .await
            .unwrap();
        sqlx::query("UPDATE service_register SET content = $1, content_hash = 'edited'")
            .bind("id,name_kk\nbroken,x\n")
            .execute(&mut raw)
            .await
            .unwrap();
        let problems = verify(&entries, &store.audit_records().await.unwrap());
        assert!(
            problems.contains(&Problem::Changed {
                entity: "service_register".into(),
                key: "service_register".into()
            }),
            "{problems:?}"
        );
        let err = store.service_register().await.unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    })
    .await;
}

#[tokio::test]
async fn a_batch_with_a_register_of_services_is_all_or_nothing() {
    use bagalau_services::register::Register;
    on_every_backend(|store| async move {
        let (mut batch, _) = full_batch();
        batch.service_register = Some(Document::service_register(
            "register.csv",
            Register::from_csv(SERVICE_REGISTER).unwrap(),
        ));
        // A value for a body that is not in the registry fails the batch at its end.
        batch.observations.push((
            Observation {
                year: 2022,
                body: "nobody".into(),
                indicator: "bp_spent".into(),
                value: Some(1.0),
                note: None,
            },
            "file.csv".into(),
        ));
        assert!(store.apply(batch).await.is_err());
        assert!(store.service_register().await.unwrap().is_none());
        assert!(store.audit_entries().await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn public_monitoring_round_trips_is_audited_and_all_or_nothing() {
    use bagalau_core::Names;
    use bagalau_core::monitoring::{
        Accreditation, Finding, Observation, Organisation, Project, ProjectPlan,
        ProjectRecommendation, ProjectStatus, Reply, Severity, Stance,
    };
    use bagalau_core::recommendation::{Recommendation, RecommendationState};
    use chrono::NaiveDate;
    on_every_backend_with_url(|store, url| async move {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let batch = |t: &str| ImportBatch {
            at: t.into(),
            actor: "api:x".into(),
            ..Default::default()
        };
        let organisation = Organisation {
            id: "adal".into(),
            name: Names {
                kk: "Әділ қоғам".into(),
                ru: "Справедливое общество".into(),
                en: "Fair Society".into(),
            },
            accreditation: Some(Accreditation {
                by: "acsa, order 12".into(),
                from: day(1, 1),
                until: day(12, 31),
                revoked: None,
            }),
        };
        let project = Project {
            organisation: "adal".into(),
            plan: ProjectPlan {
                title: "Passports in Almaty".into(),
                services: vec!["s1".into(), "s2".into()],
                regions: vec!["almaty".into()],
                period_from: day(2, 1),
                period_to: day(4, 30),
                method: "test visits".into(),
            },
            status: ProjectStatus::Active,
            created_by: "aigerim".into(),
            reported_at: None,
        };
        let finding = Finding {
            project: 1,
            observation: Observation {
                service: "s1".into(),
                body: "mia".into(),
                region: "almaty".into(),
                office: Some("PSC 3".into()),
                observed_on: day(2, 10),
                text: "asked for a document the standard does not list".into(),
                severity: Severity::Major,
                evidence: vec!["ab".repeat(32)],
            },
            submitted_by: "aigerim".into(),
            submitted_at: day(2, 11).and_hms_opt(10, 0, 0).unwrap(),
            reply_due: day(2, 25),
            reply: None,
        };
        let recommendation = ProjectRecommendation {
            project: 1,
            organisation: "adal".into(),
            recommendation: Recommendation {
                year: 2026,
                body: "mia".into(),
                issued_by: "aigerim".into(),
                text: "publish the list of documents".into(),
                due: day(6, 1),
                state: RecommendationState::Open,
                report: None,
                reported_at: None,
                evidence: vec![],
                review_reason: None,
            },
        };
        let mut first = batch("2026-02-11T10:00:00Z");
        first.monitoring_organisations.push(organisation.clone());
        first.monitoring_projects.push((None, project.clone()));
        first.monitoring_findings.push((None, finding.clone()));
        first
            .monitoring_recommendations
            .push((None, recommendation.clone()));
        store.apply(first).await.unwrap();
        assert_eq!(
            store.monitoring_organisations().await.unwrap(),
            vec![organisation.clone()]
        );
        assert_eq!(
            store.monitoring_projects().await.unwrap(),
            vec![(1, project.clone())]
        );
        assert_eq!(
            store.monitoring_findings(Some(1)).await.unwrap(),
            vec![(1, finding.clone())]
        );
        assert!(store.monitoring_findings(Some(2)).await.unwrap().is_empty());
        assert_eq!(
            store.monitoring_recommendations(None).await.unwrap(),
            vec![(1, recommendation.clone())]
        );

        // The reply, the report and a revocation change the stored records, on record.
        let replied = Finding {
            reply: Some(Reply {
                by: "mia_staff".into(),
                at: day(2, 20).and_hms_opt(9, 0, 0).unwrap(),
                stance: Stance::Disputes,
                text: "order 5 requires it".into(),
                evidence: vec!["cd".repeat(32)],
            }),
            ..finding.clone()
        };
        let reported = Project {
            status: ProjectStatus::Reported,
            reported_at: Some(day(2, 26).and_hms_opt(12, 0, 0).unwrap()),
            ..project.clone()
        };
        let mut revoked = organisation.clone();
        revoked.accreditation.as_mut().unwrap().revoked =
            Some(bagalau_core::monitoring::Revocation {
                on: day(9, 1),
                reason: "conflict of interest".into(),
            });
        let mut second = batch("2026-02-26T12:00:00Z");
        second.monitoring_findings.push((Some(1), replied.clone()));
        second.monitoring_projects.push((Some(1), reported.clone()));
        second.monitoring_organisations.push(revoked.clone());
        store.apply(second).await.unwrap();
        assert_eq!(
            store.monitoring_findings(None).await.unwrap(),
            vec![(1, replied.clone())]
        );
        assert_eq!(
            store.monitoring_projects().await.unwrap(),
            vec![(1, reported.clone())]
        );
        assert_eq!(
            store.monitoring_organisations().await.unwrap(),
            vec![revoked.clone()]
        );
        let entries = store.audit_entries().await.unwrap();
        let finding_entries: Vec<_> = entries
            .iter()
            .filter(|e| e.entity == "monitoring_finding")
            .collect();
        assert_eq!(finding_entries.len(), 2);
        assert_eq!(
            finding_entries[1].old.as_deref(),
            Some(finding.audit_content().as_str())
        );
        assert_eq!(
            finding_entries[1].new.as_deref(),
            Some(replied.audit_content().as_str())
        );
        for entity in [
            "monitoring_organisation",
            "monitoring_project",
            "monitoring_recommendation",
        ] {
            assert!(
                entries.iter().any(|e| e.entity == entity),
                "{entity} is audited"
            );
        }
        assert_eq!(
            bagalau_core::audit::verify(&entries, &store.audit_records().await.unwrap()),
            vec![]
        );

        // A finding on a project that does not exist fails the whole batch.
        let mut failing = batch("2026-02-27T12:00:00Z");
        failing.monitoring_recommendations.push((
            Some(1),
            ProjectRecommendation {
                recommendation: Recommendation {
                    state: RecommendationState::Reported,
                    report: Some("done".into()),
                    ..recommendation.recommendation.clone()
                },
                ..recommendation.clone()
            },
        ));
        failing.monitoring_findings.push((
            None,
            Finding {
                project: 99,
                ..finding.clone()
            },
        ));
        assert!(store.apply(failing).await.is_err());
        assert_eq!(
            store.monitoring_recommendations(None).await.unwrap(),
            vec![(1, recommendation.clone())]
        );
        assert_eq!(store.monitoring_findings(None).await.unwrap().len(), 1);

        // A finding changed behind Bagalau's back is found.
        sqlx::any::install_default_drivers();
        let mut raw = <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
            .await
            .unwrap();
        sqlx::query("UPDATE monitoring_findings SET severity = 'minor' WHERE id = 1")
            .execute(&mut raw)
            .await
            .unwrap();
        let problems = bagalau_core::audit::verify(
            &store.audit_entries().await.unwrap(),
            &store.audit_records().await.unwrap(),
        );
        assert!(
            problems.contains(&bagalau_core::audit::Problem::Changed {
                entity: "monitoring_finding".into(),
                key: "1".into()
            }),
            "{problems:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn published_service_ratings_are_kept_immutable_audited_and_fingerprinted() {
    use bagalau_core::audit::{Problem, verify};
    use bagalau_core::publication::Publication;
    on_every_backend_with_url(|store, url| async move {
        assert!(store.service_ratings(None).await.unwrap().is_empty());
        let empty = store.public_fingerprint().await.unwrap();
        let version = |version: i32, content: &str, reason: Option<&str>| {
            (
                Publication {
                    year: 2023,
                    version,
                    content_sha256: bagalau_core::hash::sha256_hex(content.as_bytes()),
                    published_at: format!("2026-02-0{version}T10:00:00Z"),
                    published_by: "cli:test".into(),
                    reason: reason.map(String::from),
                },
                content.to_string(),
            )
        };
        let publish = |v: (Publication, String)| ImportBatch {
            service_ratings: vec![v],
            at: "2026-02-01T10:00:00Z".into(),
            actor: "cli:test".into(),
            ..Default::default()
        };
        store
            .apply(publish(version(1, r#"{"year":2023,"v":1}"#, None)))
            .await
            .unwrap();
        let first = store.public_fingerprint().await.unwrap();
        assert_ne!(first, empty, "the portal shows published ratings");
        store
            .apply(publish(version(
                2,
                r#"{"year":2023,"v":2}"#,
                Some("survey responses added"),
            )))
            .await
            .unwrap();
        assert_ne!(store.public_fingerprint().await.unwrap(), first);
        let versions = store.service_ratings(Some(2023)).await.unwrap();
        assert_eq!(
            versions.iter().map(|p| p.version).collect::<Vec<_>>(),
            [1, 2]
        );
        assert_eq!(
            versions[1].reason.as_deref(),
            Some("survey responses added")
        );
        assert!(store.service_ratings(Some(2022)).await.unwrap().is_empty());
        assert_eq!(
            store
                .service_ratings_content(2023, 1)
                .await
                .unwrap()
                .as_deref(),
            Some(r#"{"year":2023,"v":1}"#)
        );
        assert_eq!(store.service_ratings_content(2023, 3).await.unwrap(), None);

        // A version is never replaced: publishing version 2 again fails and
        // changes nothing.
        let entries = store.audit_entries().await.unwrap();
        assert!(
            store
                .apply(publish(version(2, "{}", Some("again"))))
                .await
                .is_err()
        );
        assert_eq!(store.audit_entries().await.unwrap().len(), entries.len());
        assert_eq!(
            store
                .service_ratings_content(2023, 2)
                .await
                .unwrap()
                .as_deref(),
            Some(r#"{"year":2023,"v":2}"#)
        );
        let e = entries.last().unwrap();
        assert_eq!(
            (e.entity.as_str(), e.key.as_str(), e.action.as_str()),
            ("service_ratings", "2023/2", "insert")
        );
        assert_eq!(
            verify(&entries, &store.audit_records().await.unwrap()),
            vec![]
        );

        // Changed behind Bagalau's back: the audit finds it.
        sqlx::any::install_default_drivers();
        let mut raw = <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
            .await
            .unwrap();
        sqlx::query("UPDATE service_ratings SET content = '{}' WHERE version = 1")
            .execute(&mut raw)
            .await
            .unwrap();
        let problems = verify(&entries, &store.audit_records().await.unwrap());
        assert!(
            problems.contains(&Problem::Changed {
                entity: "service_ratings".into(),
                key: "2023/1".into()
            }),
            "{problems:?}"
        );
    })
    .await;
}

fn audit_keys(seed: u8) -> bagalau_store::AuditKeys {
    use bagalau_core::transparency::SigningKey;
    let (private, _) = SigningKey::generate("bagalau.test/audit", [seed; 32]).unwrap();
    bagalau_store::AuditKeys {
        signing: Some(std::sync::Arc::new(SigningKey::parse(&private).unwrap())),
        previous: vec![],
    }
}

/// One value changed, as a correction is imported.
fn one_value(obs: &(bagalau_core::data::Observation, String), value: f64, at: &str) -> ImportBatch {
    let mut o = obs.clone();
    o.0.value = Some(value);
    ImportBatch {
        observations: vec![o],
        at: at.into(),
        actor: "test:bob".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn signed_checkpoints_find_the_entry_a_database_administrator_forges() {
    use bagalau_core::audit::{Change, chain, verify};
    use bagalau_core::transparency::{self, Problem, Tree};
    use sqlx::{AnyConnection, Connection};
    on_every_backend_with_url(|store, url| async move {
        // Written before any key: the Merkle tree is built from these
        // entries at the first signed write.
        let (batch, _) = full_batch();
        let first = batch.observations[0].clone();
        store.apply(batch).await.unwrap();
        assert!(store.audit_checkpoints().await.unwrap().is_empty());
        let unsigned = store.audit_entries().await.unwrap().len() as u64;

        let keys = audit_keys(1);
        let public = keys.public();
        let signed = store.clone().with_audit_keys(keys);
        signed.apply(one_value(&first, 41.0, "2026-01-02T00:00:00Z")).await.unwrap();
        signed.apply(one_value(&first, 42.0, "2026-01-03T00:00:00Z")).await.unwrap();
        let entries = signed.audit_entries().await.unwrap();
        let stored = signed.audit_checkpoints().await.unwrap();
        assert_eq!(stored.iter().map(|c| c.0).collect::<Vec<_>>(), vec![unsigned + 1, unsigned + 2]);
        let head = transparency::open(&stored[1].1, &public).unwrap();
        assert_eq!((head.written, head.at.as_str()), (Some((unsigned + 2, unsigned + 2)), "2026-01-03T00:00:00Z"));
        let tree = Tree::of(entries.iter().map(|e| e.hash.as_str()));
        assert_eq!(head.root, transparency::encode(&tree.root(tree.size()).unwrap()));
        assert_eq!(transparency::check(&tree, &stored, &[], &public).problems, vec![]);
        // Nothing written since: a checkpoint on request is the last one.
        assert_eq!(signed.sign_audit_checkpoint("2026-01-04T00:00:00Z").await.unwrap(), stored[1].1);
        assert_eq!(signed.latest_audit_checkpoint().await.unwrap(), Some(stored[1].clone()));

        // Once the trail is signed, a writer without the key is refused,
        // and writes nothing.
        assert!(matches!(store.apply(one_value(&first, 43.0, "2026-01-05T00:00:00Z")).await, Err(StoreError::Unsigned)));
        assert_eq!(signed.audit_entries().await.unwrap().len(), entries.len());

        // The insider: a value changed in the database, and an entry
        // appended for it, chained correctly and attributed to a reporter.
        sqlx::any::install_default_drivers();
        let mut raw = AnyConnection::connect(&url).await.unwrap();
        let key = format!("{}/{}/{}", first.0.year, first.0.body, first.0.indicator);
        let records = signed.audit_records().await.unwrap();
        let old = records.iter().find(|r| r.0 == "value" && r.1 == key).unwrap().2.clone();
        let new = format!("value=0.0;{}", old.split_once(';').unwrap().1);
        sqlx::query("UPDATE reporting_values SET value = 0 WHERE year = $1 AND body_id = $2 AND indicator_id = $3")
            .bind(first.0.year)
            .bind(&first.0.body)
            .bind(&first.0.indicator)
            .execute(&mut raw)
            .await
            .unwrap();
        let last = entries.last().unwrap();
        let forged = chain(
            vec![Change { entity: "value", key: key.clone(), old: Some(old), new: Some(new) }],
            (&last.hash, last.seq),
            "2026-01-03T00:00:01Z",
            "api:reporter-minfin",
            None,
        );
        let e = &forged[0];
        sqlx::query(
            "INSERT INTO audit_log (seq, at, actor, action, entity, key, old_content, new_content, reason, prev, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $10)",
        )
        .bind(e.seq)
        .bind(&e.at)
        .bind(&e.actor)
        .bind(&e.action)
        .bind(&e.entity)
        .bind(&e.key)
        .bind(e.old.as_deref())
        .bind(e.new.as_deref())
        .bind(&e.prev)
        .bind(&e.hash)
        .execute(&mut raw)
        .await
        .unwrap();
        raw.close().await.unwrap();
        let entries = signed.audit_entries().await.unwrap();
        // The hash chain alone is fooled...
        assert_eq!(verify(&entries, &signed.audit_records().await.unwrap()), vec![]);
        // ...the checkpoints are not: no write of Bagalau's made that entry.
        let tree = Tree::of(entries.iter().map(|e| e.hash.as_str()));
        let stored = signed.audit_checkpoints().await.unwrap();
        assert_eq!(
            transparency::check(&tree, &stored, &[], &public).problems,
            vec![Problem::Unsigned { first: unsigned + 3, last: unsigned + 3 }]
        );
    })
    .await;
}

#[tokio::test]
async fn a_publication_carries_the_checkpoint_of_its_write() {
    on_every_backend(|store| async move {
        let keys = audit_keys(2);
        let public = keys.public();
        let store = store.with_audit_keys(keys);
        let (batch, _) = full_batch();
        store.apply(batch).await.unwrap();
        assert_eq!(store.publication_checkpoint(2022, 1).await.unwrap(), None);
        let publication = bagalau_core::publication::Publication {
            year: 2022,
            version: 1,
            content_sha256: bagalau_core::hash::sha256_hex(b"{}"),
            published_at: "2026-02-01T00:00:00Z".into(),
            published_by: "test:chair".into(),
            reason: None,
        };
        store
            .apply(ImportBatch {
                publications: vec![(publication, "{}".into())],
                at: "2026-02-01T00:00:00Z".into(),
                ..Default::default()
            })
            .await
            .unwrap();
        let note = store
            .publication_checkpoint(2022, 1)
            .await
            .unwrap()
            .unwrap();
        let head = bagalau_core::transparency::open(&note, &public).unwrap();
        let size = store.audit_entries().await.unwrap().len() as u64;
        assert_eq!(
            (head.size, head.written, head.at.as_str()),
            (size, Some((size, size)), "2026-02-01T00:00:00Z")
        );
    })
    .await;
}

#[tokio::test]
async fn the_cycles_work_in_hand_leaves_the_public_pages_as_they_are() {
    use bagalau_core::cycle::SubmissionState;
    on_every_backend(|store| async move {
        let (batch, _) = full_batch();
        store.apply(batch).await.unwrap();
        let published = store.public_fingerprint().await.unwrap();
        // A reporter's draft and its submission during the deadline rush:
        // no public page shows them, so the pages kept stay valid.
        let mut draft = ImportBatch {
            at: "2026-02-10T10:00:00Z".into(),
            actor: "api:reporter-minfin".into(),
            ..Default::default()
        };
        draft.observations.push((
            Observation {
                year: 2022,
                body: "minfin".into(),
                indicator: "bp_spent".into(),
                value: Some(97.5),
                note: None,
            },
            "submission:minfin".into(),
        ));
        draft
            .submissions
            .push((2022, "minfin".into(), SubmissionState::Draft));
        let counts = store.apply(draft).await.unwrap();
        assert_eq!(counts.values_changed + counts.values_new, 1);
        assert_eq!(store.public_fingerprint().await.unwrap(), published);
        // A series value is on the public performance pages: it moves.
        let series = ImportBatch {
            at: "2026-02-10T11:00:00Z".into(),
            actor: "cli:analyst".into(),
            series: vec![(
                bagalau_core::performance::Observation {
                    entity: "minfin".into(),
                    indicator: "gdp_growth".into(),
                    year: 2022,
                    value: 3.2,
                    source: None,
                    line: 0,
                },
                "series.csv".into(),
            )],
            ..Default::default()
        };
        store.apply(series).await.unwrap();
        assert_ne!(store.public_fingerprint().await.unwrap(), published);
    })
    .await;
}

#[tokio::test]
async fn corrections_and_adoptions_are_kept_and_audited() {
    use bagalau_core::correction::{Correction, CorrectionState};
    on_every_backend(|store| async move {
        let (batch, _) = full_batch();
        let year = batch.packs[0].parsed.year;
        store.apply(batch).await.unwrap();
        assert!(
            store.adopted_pack_years().await.unwrap().is_empty(),
            "imported as a draft"
        );
        store
            .apply(ImportBatch {
                at: "2026-01-02T00:00:00Z".into(),
                actor: "test".into(),
                pack_adoptions: vec![year],
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(store.adopted_pack_years().await.unwrap(), vec![year]);
        let asked = Correction {
            year,
            requested_by: "aliya".into(),
            reason: "miscounted".into(),
            state: CorrectionState::Requested,
            decided_by: None,
            decision: None,
            version: None,
        };
        store
            .apply(ImportBatch {
                at: "2026-01-03T00:00:00Z".into(),
                actor: "test".into(),
                corrections: vec![(None, asked.clone())],
                ..Default::default()
            })
            .await
            .unwrap();
        let stored = store.corrections(year).await.unwrap();
        assert_eq!(stored, vec![(1, asked.clone())]);
        let published = Correction {
            state: CorrectionState::Published,
            decided_by: Some("chair".into()),
            decision: Some("right".into()),
            version: Some(2),
            ..asked
        };
        store
            .apply(ImportBatch {
                at: "2026-01-04T00:00:00Z".into(),
                actor: "test".into(),
                corrections: vec![(Some(1), published.clone())],
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(store.corrections(year).await.unwrap(), vec![(1, published)]);
        assert!(store.corrections(year + 1).await.unwrap().is_empty());
        let entries = store.audit_entries().await.unwrap();
        assert_eq!(
            entries.iter().filter(|e| e.entity == "correction").count(),
            2
        );
        assert!(entries.iter().any(|e| e.entity == "adoption"));
        assert_eq!(
            bagalau_core::audit::verify(&entries, &store.audit_records().await.unwrap()),
            vec![]
        );
    })
    .await;
}

#[tokio::test]
async fn kept_records_are_added_once_audited_and_never_overwritten() {
    use bagalau_core::audit::{Problem, verify};
    use bagalau_store::{Family, KeptRecord, StoredQuestionnaire};
    use sqlx::{AnyConnection, Connection};
    on_every_backend_with_url(|store, url| async move {
        let record = |family, part: &str, key: &str, content: &str| KeptRecord {
            family,
            part: part.into(),
            key: key.into(),
            content: content.into(),
            origin: "f.csv".into(),
        };
        let batch = |records: Vec<KeptRecord>| ImportBatch {
            kept_records: records,
            at: "2026-03-01T00:00:00+00:00".into(),
            actor: "test".into(),
            ..Default::default()
        };
        let first = vec![
            record(Family::Complaint, "", "minfin/C-2", "C-2,minfin\n"),
            record(Family::Complaint, "", "minfin/C-1", "C-1,minfin\n"),
            record(Family::Openness, "open_data", "minfin/a", "a,minfin\n"),
            record(Family::SurveyResponse, "q", "odk/x", "x,odk\n"),
        ];
        store.apply(batch(first.clone())).await.unwrap();
        let mut with_questionnaire = batch(vec![]);
        with_questionnaire.questionnaires.push(StoredQuestionnaire {
            id: "q".into(),
            file_name: "q.toml".into(),
            content: "id = \"q\"\n".into(),
        });
        store.apply(with_questionnaire).await.unwrap();
        // Every part, or one; by key.
        let complaints = store.kept_records(Family::Complaint, None).await.unwrap();
        assert_eq!(complaints, vec![first[1].clone(), first[0].clone()]);
        assert_eq!(
            store
                .kept_records(Family::SurveyResponse, Some("q"))
                .await
                .unwrap(),
            vec![first[3].clone()]
        );
        assert_eq!(
            store
                .kept_records(Family::SurveyResponse, Some("other"))
                .await
                .unwrap(),
            vec![]
        );
        assert_eq!(store.questionnaires().await.unwrap()[0].id, "q");
        // The same record again changes nothing; other content is refused whole.
        let before = store.audit_entries().await.unwrap().len();
        assert_eq!(before, 5);
        store.apply(batch(vec![first[0].clone()])).await.unwrap();
        let edited = record(Family::Complaint, "", "minfin/C-1", "C-1,minfin,edited\n");
        let new = record(Family::Complaint, "", "minfin/C-3", "C-3,minfin\n");
        let refused = store.apply(batch(vec![new, edited])).await.unwrap_err();
        assert!(matches!(refused, StoreError::Conflict(_)), "{refused}");
        assert_eq!(
            store
                .kept_records(Family::Complaint, None)
                .await
                .unwrap()
                .len(),
            2
        );
        assert_eq!(store.audit_entries().await.unwrap().len(), before);
        let entries = store.audit_entries().await.unwrap();
        assert_eq!(
            verify(&entries, &store.audit_records().await.unwrap()),
            vec![]
        );
        assert!(
            entries
                .iter()
                .any(|e| e.entity == "openness" && e.key == "open_data/minfin/a")
        );
        // A record changed behind the store's back is found.
        sqlx::any::install_default_drivers();
        let mut raw = AnyConnection::connect(&url).await.unwrap();
        sqlx::query("UPDATE kept_records SET content = 'C-1,mia\n' WHERE key = 'minfin/C-1'")
            .execute(&mut raw)
            .await
            .unwrap();
        raw.close().await.unwrap();
        let problems = verify(&entries, &store.audit_records().await.unwrap());
        assert_eq!(
            problems,
            vec![Problem::Changed {
                entity: "complaint".into(),
                key: "minfin/C-1".into()
            }]
        );
    })
    .await;
}

#[tokio::test]
async fn imports_of_records_are_jobs_audited_at_start_and_end_and_private() {
    use bagalau_core::audit::{Problem, verify};
    use bagalau_store::RecordImport;
    use sqlx::{AnyConnection, Connection};
    on_every_backend_with_url(|store, url| async move {
        let fingerprint = store.public_fingerprint().await.unwrap();
        let job = RecordImport {
            id: "job1".into(),
            file_name: "july.csv".into(),
            content_sha256: "ab".repeat(32),
            size: 1234,
            format: "csv".into(),
            requested_by: "api:importer".into(),
            requested_at: "2026-07-01T10:00:00+00:00".into(),
            state: "running".into(),
            finished_at: None,
            outcome: None,
            rows_read: 0,
            heartbeat_at: None,
        };
        let batch = |job: &RecordImport| ImportBatch {
            record_imports: vec![job.clone()],
            at: "2026-07-01T10:00:00+00:00".into(),
            actor: "api:importer".into(),
            ..Default::default()
        };
        store.apply(batch(&job)).await.unwrap();
        assert_eq!(
            store.record_import("job1").await.unwrap(),
            Some(job.clone())
        );
        assert_eq!(store.record_import("job2").await.unwrap(), None);
        // Progress is a hint outside the trail: the trail still verifies.
        store
            .record_import_progress("job1", 500, "2026-07-01T10:00:30+00:00")
            .await
            .unwrap();
        let running = store.record_import("job1").await.unwrap().unwrap();
        assert_eq!(
            (running.rows_read, running.heartbeat_at.as_deref()),
            (500, Some("2026-07-01T10:00:30+00:00"))
        );
        let mut ended = job.clone();
        ended.state = "done".into();
        ended.finished_at = Some("2026-07-01T10:01:00+00:00".into());
        ended.outcome = Some(r#"{"imported":true}"#.into());
        store.apply(batch(&ended)).await.unwrap();
        // An ended job takes no more progress.
        store
            .record_import_progress("job1", 900, "2026-07-01T10:02:00+00:00")
            .await
            .unwrap();
        let kept = store.record_import("job1").await.unwrap().unwrap();
        assert_eq!((kept.state.as_str(), kept.rows_read), ("done", 500));
        let entries = store.audit_entries().await.unwrap();
        let jobs: Vec<_> = entries
            .iter()
            .filter(|e| e.entity == "record_import")
            .collect();
        assert_eq!(jobs.len(), 2, "the start and the end");
        assert_eq!(
            verify(&entries, &store.audit_records().await.unwrap()),
            vec![]
        );
        assert_eq!(
            store.public_fingerprint().await.unwrap(),
            fingerprint,
            "no public page shows an import"
        );
        // An outcome changed behind Bagalau's back is found.
        sqlx::any::install_default_drivers();
        let mut raw = AnyConnection::connect(&url).await.unwrap();
        sqlx::query("UPDATE record_imports SET outcome = '{}' WHERE id = 'job1'")
            .execute(&mut raw)
            .await
            .unwrap();
        let problems = verify(&entries, &store.audit_records().await.unwrap());
        assert!(
            problems.contains(&Problem::Changed {
                entity: "record_import".into(),
                key: "job1".into()
            }),
            "{problems:?}"
        );
        raw.close().await.unwrap();
    })
    .await;
}
