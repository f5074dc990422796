//! The first use cases on a real SQLite database: who may publish which
//! year, corrections, the first administrator, signing in and out.

use bagalau_app::identity::{self, SignIn};
use bagalau_app::locks::{YearState, year_state};
use bagalau_app::publication::{approve, publish_archive};
use bagalau_app::{Actor, AppError, FrontEnd, Role};
use bagalau_core::data::Observation;
use bagalau_core::pack;
use bagalau_core::refusal::Refusal;
use bagalau_store::{AnyStore, ImportBatch, Store};

const NOW: &str = "2026-03-01T00:00:00+00:00";

fn actor(name: &str, role: Role) -> Actor {
    Actor {
        user: name.into(),
        roles: vec![role],
    }
}

/// The demonstration registry, 2022's pack and generated values, and no
/// account (the test kit's setup).
async fn store_with_2022(dir: &tempfile::TempDir) -> AnyStore {
    bagalau_testkit::TestApp::setup()
        .year(2022)
        .accounts(&[])
        .store_in(dir.path())
        .await
}

#[tokio::test]
async fn a_year_outside_a_cycle_is_published_by_a_coordinator_and_corrected_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_2022(&dir).await;
    let cli = FrontEnd::CommandLine;
    let entries = || async { store.audit_entries().await.unwrap().len() };
    let before = entries().await;
    let admin = actor("root", Role::Administrator);
    let refused = publish_archive(&store, cli, &admin, 2022, None, NOW).await;
    assert!(
        matches!(
            refused,
            Err(AppError::Forbidden(Refusal::NotPermitted { .. }))
        ),
        "{refused:?}"
    );
    assert_eq!(entries().await, before, "nothing refused writes anything");

    let coordinator = actor("aliya", Role::Coordinator);
    let first = publish_archive(&store, cli, &coordinator, 2022, None, NOW)
        .await
        .unwrap();
    assert_eq!((first.version, first.new), (1, true));
    assert!(first.demonstration && first.changes.is_none());
    let stored = store.publications(Some(2022)).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].published_by, "cli:aliya");
    assert_eq!(stored[0].content_sha256, first.sha256);
    let again = publish_archive(&store, FrontEnd::Api, &coordinator, 2022, None, NOW)
        .await
        .unwrap();
    assert_eq!(
        (again.version, again.new),
        (1, false),
        "the same results: no new version"
    );

    // A changed value makes a correction: it needs its reason.
    let mut changed = ImportBatch {
        at: NOW.into(),
        actor: "test".into(),
        ..Default::default()
    };
    changed.observations.push((
        Observation {
            year: 2022,
            body: "minfin".into(),
            indicator: "bl_violations".into(),
            value: Some(40.0),
            note: None,
        },
        "correction".into(),
    ));
    store.apply(changed).await.unwrap();
    let before = entries().await;
    for blank in [None, Some("  ".to_string())] {
        let refused = publish_archive(&store, cli, &coordinator, 2022, blank, NOW).await;
        assert!(
            matches!(
                refused,
                Err(AppError::Conflict(Refusal::CorrectionNeedsReason {
                    year: 2022,
                    version: 1
                }))
            ),
            "{refused:?}"
        );
    }
    assert_eq!(entries().await, before);
    let second = publish_archive(
        &store,
        cli,
        &coordinator,
        2022,
        Some("the audit chamber's corrected violations".into()),
        NOW,
    )
    .await
    .unwrap();
    assert_eq!((second.version, second.new), (2, true));
    let (previous, changes) = second.changes.unwrap();
    assert_eq!(previous, 1);
    assert!(
        changes.iter().any(|c| c.contains("minfin")),
        "what changed names the body: {changes:?}"
    );

    // Once the year has a cycle, only the commission's approval publishes it.
    let mut cycle = ImportBatch {
        at: NOW.into(),
        actor: "test".into(),
        ..Default::default()
    };
    cycle.cycles.push((2022, bagalau_demo::cycle_calendar()));
    store.apply(cycle).await.unwrap();
    let before = entries().await;
    let refused = publish_archive(&store, cli, &coordinator, 2022, Some("x".into()), NOW).await;
    assert!(
        matches!(
            refused,
            Err(AppError::Forbidden(Refusal::PublishedByApproval {
                year: 2022
            }))
        ),
        "{refused:?}"
    );
    let refused = approve(&store, cli, &coordinator, 2022, Some("x".into()), NOW).await;
    assert!(
        matches!(&refused, Err(AppError::Rule(_))),
        "a coordinator does not approve: {refused:?}"
    );
    assert_eq!(entries().await, before);
    assert_eq!(store.publications(Some(2022)).await.unwrap().len(), 2);
    // Its versions were published before the cycle opened: not approved, so
    // its data may still change.
    assert_eq!(year_state(&store, 2022).await.unwrap(), YearState::InCycle);
    bagalau_app::locks::may_change_data(&store, 2022)
        .await
        .unwrap();
    assert_eq!(year_state(&store, 2021).await.unwrap(), YearState::NoCycle);
    // The pack the cycle runs on is adopted: the same one again is no change.
    let same = store
        .pack(2022)
        .await
        .unwrap()
        .unwrap()
        .methodology
        .content_hash;
    bagalau_app::locks::may_replace_pack(&store, 2022, &same, None)
        .await
        .unwrap();
    let other =
        bagalau_app::locks::may_replace_pack(&store, 2022, "another", Some("a reason")).await;
    assert!(
        matches!(
            other,
            Err(AppError::Conflict(Refusal::PackAdopted { year: 2022 }))
        ),
        "{other:?}"
    );
}

#[tokio::test]
async fn the_first_administrator_signs_in_and_out() {
    let dir = tempfile::tempdir().unwrap();
    let store = AnyStore::open(&dir.path().join("t.db").display().to_string())
        .await
        .unwrap();
    let hash = bagalau_core::accounts::hash_password("a long enough password", &[7; 16]).unwrap();
    let bad_name = identity::first_administrator(&store, "no spaces", hash.clone(), &[], NOW).await;
    assert!(
        matches!(bad_name, Err(AppError::Invalid(_))),
        "{bad_name:?}"
    );
    let user =
        identity::first_administrator(&store, "root", hash.clone(), &[Role::Coordinator], NOW)
            .await
            .unwrap();
    assert_eq!(user.roles, ["administrator", "coordinator"]);
    let audit = store.audit_entries().await.unwrap();
    assert_eq!(audit.last().unwrap().actor, "bootstrap");
    let twice = identity::first_administrator(&store, "other", hash, &[], NOW).await;
    assert!(
        matches!(twice, Err(AppError::Conflict(Refusal::AccountsExist))),
        "{twice:?}"
    );

    let verify = |password: String, hash: String| async move {
        Ok(bagalau_core::accounts::verify_password(&password, &hash))
    };
    let request = |password| SignIn {
        name: "root",
        password,
        source: "",
        label: "command line",
        lifetime: chrono::Duration::days(30),
        front: FrontEnd::CommandLine,
        attempt_random: [1; 8],
        token_random: [2; 32],
    };
    let wrong = identity::sign_in(&store, request("guess"), NOW, verify).await;
    assert!(matches!(wrong, Err(AppError::WrongLogin)), "{wrong:?}");
    let session = identity::sign_in(
        &store,
        SignIn {
            attempt_random: [3; 8],
            ..request("a long enough password")
        },
        NOW,
        verify,
    )
    .await
    .unwrap();
    assert_eq!(session.expires_at, "2026-03-31T00:00:00+00:00");
    let me = identity::actor_for_token(&store, &session.token, NOW)
        .await
        .unwrap();
    assert_eq!(me.user, "root");
    assert_eq!(me.roles, [Role::Administrator, Role::Coordinator]);
    identity::sign_out(&store, &session.token, NOW)
        .await
        .unwrap();
    let gone = identity::actor_for_token(&store, &session.token, NOW).await;
    assert!(matches!(gone, Err(AppError::Unauthenticated)), "{gone:?}");
}

/// An accepted objection corrects only what its criterion reads: for
/// `sp_goals` of 2022 (read off the pack's expression by hand) the goals
/// achieved and set and the target indicators, fully, partly and not
/// reached, and adjusted.
#[test]
fn an_objection_corrects_only_what_its_criterion_reads() {
    let m = pack::load(bagalau_demo::PACKS[3].0, bagalau_demo::PACKS[3].1).unwrap();
    let mut correctable = bagalau_app::objections::correctable(&m, "strategic", "sp_goals");
    correctable.sort();
    assert_eq!(
        correctable,
        [
            "goals_achieved",
            "goals_total",
            "ti_adjusted",
            "ti_full",
            "ti_not",
            "ti_partial"
        ]
    );
    assert!(bagalau_app::objections::correctable(&m, "strategic", "no_such").is_empty());
    assert!(bagalau_app::objections::correctable(&m, "budget", "sp_goals").is_empty());
}
