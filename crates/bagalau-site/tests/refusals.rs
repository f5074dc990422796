//! Every refusal of the rules reads whole in every language: no missing
//! argument, bodies and directions by name, stages and dates localised.

use bagalau_core::Lang;
use bagalau_core::cycle::{ObjectionState, Stage};
use bagalau_core::monitoring::ProjectStatus;
use bagalau_core::recommendation::RecommendationState;
use bagalau_core::refusal::{Refusal, VariantNames};
use bagalau_site::i18n::{Catalog, LANGS};
use bagalau_site::refusal::{Names, explain};
use chrono::NaiveDate;
use std::collections::BTreeSet;

fn one_of_each() -> Vec<Refusal> {
    use Refusal::*;
    let user = || "a.user".to_string();
    let body = || "minfin".to_string();
    let direction = || "budget".to_string();
    let at = NaiveDate::from_ymd_opt(2024, 3, 1)
        .unwrap()
        .and_hms_opt(18, 30, 0)
        .unwrap();
    vec![
        NotReporter {
            user: user(),
            body: body(),
        },
        NotCoordinator { user: user() },
        NotVerifier { user: user() },
        NotCommissionMember { user: user() },
        NotAssessor {
            user: user(),
            direction: direction(),
        },
        NotAssigned {
            user: user(),
            direction: direction(),
            authorized_body: body(),
        },
        MayNotIssue,
        NotIssuer { issuer: user() },
        NoUnpublishedSight { user: user() },
        NotYourResults { body: body() },
        NotYourTemplate { body: body() },
        SelectionHidden,
        MonitorsNoEvidence,
        OpinionsHidden,
        FormExpired,
        NotPermitted {
            user: "aliya".into(),
            action: "keep the accounts".into(),
        },
        PublishedByApproval { year: 2023 },
        AccountsExist,
        YearApproved { year: 2023 },
        PackAdopted { year: 2024 },
        PackDraft { year: 2025 },
        NotApproved { year: 2024 },
        CorrectionOpen { year: 2023 },
        CorrectionDecided,
        AssessesItself {
            authority: body(),
            direction: direction(),
        },
        WroteConclusion { user: user() },
        IssuesToItself { body: body() },
        NotOpenYet {
            stage: Stage::Objections,
            opens_after: at,
        },
        Closed {
            stage: Stage::Objections,
            deadline: at,
        },
        ExtensionNotInFuture,
        ExtensionAfterVerification { deadline: at },
        DueNotAfterToday {
            due: at.date(),
            today: at.date(),
        },
        AlreadySubmitted { body: body() },
        NotSelected { body: body() },
        NoPreliminary,
        AlreadyDecided {
            objection_state: ObjectionState::Accepted,
        },
        NotRejected,
        NotEscalated,
        ObjectionsOpen {
            objections: "minfin/c1".into(),
        },
        NoFinalConclusions,
        ConclusionGone,
        RecommendationNotOpen {
            recommendation_state: RecommendationState::Executed,
        },
        NotReported {
            recommendation_state: RecommendationState::Open,
        },
        CorrectionNeedsReason {
            year: 2023,
            version: 2,
        },
        MayNotAccredit { user: user() },
        NotMonitorOf {
            user: user(),
            organisation: "adal".into(),
        },
        NotAccredited {
            organisation: "adal".into(),
            on: at.date(),
        },
        ProjectNotActive {
            project_status: ProjectStatus::Draft,
        },
        ProjectTransition {
            from: ProjectStatus::Reported,
            to: ProjectStatus::Active,
        },
        RepliesPending {
            findings: "#1, #2".into(),
            until: at.date(),
        },
        AlreadyReplied,
        ReplyTermOver { due: at.date() },
        ReasonRequired,
        TextRequired,
    ]
}

#[test]
fn the_examples_cover_every_code() {
    let codes: BTreeSet<String> = one_of_each().iter().map(Refusal::code).collect();
    let all: BTreeSet<String> = Refusal::VARIANTS.iter().map(|c| c.to_string()).collect();
    assert_eq!(codes, all);
}

#[test]
fn every_refusal_reads_whole_in_every_language() {
    let catalog = Catalog::new().unwrap();
    let body_name = |b: &str| format!("<{b} by name>");
    let direction_name = |d: &str| format!("<{d} by name>");
    let names = Names {
        body: &body_name,
        direction: &direction_name,
    };
    for lang in LANGS {
        let tr = catalog.tr(lang);
        for refusal in one_of_each() {
            let text = explain(&tr, &refusal, &names);
            assert!(
                !text.contains('{') && !text.contains('['),
                "{lang:?} {refusal:?}: {text}"
            );
            let json = serde_json::to_value(&refusal).unwrap();
            for (key, value) in json.as_object().unwrap() {
                match key.as_str() {
                    "body" | "authority" | "authorized_body" => {
                        assert!(text.contains(&body_name(value.as_str().unwrap())), "{text}")
                    }
                    "direction" => {
                        assert!(
                            text.contains(&direction_name(value.as_str().unwrap())),
                            "{text}"
                        )
                    }
                    "user" | "issuer" | "objections" | "organisation" | "findings" => {
                        assert!(text.contains(value.as_str().unwrap()), "{text}")
                    }
                    _ => {}
                }
            }
        }
    }
}

#[test]
fn stages_states_and_dates_are_said_in_the_language() {
    let catalog = Catalog::new().unwrap();
    let at = NaiveDate::from_ymd_opt(2024, 3, 1)
        .unwrap()
        .and_hms_opt(18, 30, 0)
        .unwrap();
    let closed = Refusal::Closed {
        stage: Stage::Objections,
        deadline: at,
    };
    let say = |lang| explain(&catalog.tr(lang), &closed, &Names::CODES);
    assert_eq!(
        say(Lang::Ru),
        "слишком поздно: срок этапа «возражения» истёк 01.03.2024 18:30"
    );
    assert_eq!(
        say(Lang::En),
        "too late: the deadline of the stage “objections” was 1 March 2024 18:30"
    );
    assert_eq!(
        say(Lang::Kk),
        "кеш: «қарсылықтар» кезеңінің мерзімі 01.03.2024 18:30 аяқталды"
    );
    let decided = Refusal::AlreadyDecided {
        objection_state: ObjectionState::Rejected,
    };
    assert_eq!(
        explain(&catalog.tr(Lang::Ru), &decided, &Names::CODES),
        "возражение уже рассмотрено: отклонено"
    );
}

#[test]
fn workbook_problems_name_their_sheet_and_cell_in_the_language() {
    use bagalau_core::pack::Unit;
    use bagalau_xlsx::{CellProblem, Issue};
    let catalog = Catalog::new().unwrap();
    let problem = CellProblem {
        sheet: "budget".into(),
        cell: "C5".into(),
        issue: Issue::OutOfRange {
            indicator: "bl_share".into(),
            value: 150.0,
            unit: Unit::Percent,
        },
    };
    let say = |lang| bagalau_site::workspace::cell_problem(&catalog.tr(lang), &problem);
    assert_eq!(
        say(Lang::Ru),
        "лист «budget», ячейка C5: bl_share: 150: процент должен быть от 0 до 100"
    );
    assert_eq!(
        say(Lang::En),
        "sheet “budget”, cell C5: bl_share: 150: a percentage must be between 0 and 100"
    );
    assert_eq!(
        problem.to_string(),
        "sheet `budget`, cell C5: bl_share: 150 a percent must be between 0 and 100"
    );
}
