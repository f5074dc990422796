//! The cycle's rules: every transition allowed and refused, with deadlines
//! on a controllable clock, roles scoped to bodies and directions, and
//! separation of duties; and the risk-based selection.

use bagalau_core::cycle::*;
use bagalau_core::data::YearData;
use bagalau_core::risk::{self, Facts, SelectedBy};
use bagalau_core::{pack, registry};
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::BTreeMap;

fn at(month: u32, day: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2024, month, day)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap()
}

fn calendar() -> Calendar {
    let d = |m, day| {
        NaiveDate::from_ymd_opt(2024, m, day)
            .unwrap()
            .and_hms_opt(23, 59, 59)
            .unwrap()
    };
    Calendar {
        deadlines: BTreeMap::from([
            (Stage::Submission, d(2, 15)),
            (Stage::Verification, d(3, 15)),
            (Stage::Preliminary, d(4, 15)),
            (Stage::Objections, d(5, 1)),
            (Stage::Final, d(6, 1)),
            (Stage::Commission, d(7, 1)),
        ]),
    }
}

fn reporter(body: &str) -> Actor {
    Actor {
        user: format!("reporter@{body}"),
        roles: vec![Role::Reporter { body: body.into() }],
    }
}

fn assessor(user: &str, direction: &str, authority: &str) -> Actor {
    Actor {
        user: user.into(),
        roles: vec![Role::Assessor {
            direction: direction.into(),
            authority: authority.into(),
        }],
    }
}

fn coordinator() -> Actor {
    Actor {
        user: "coordinator".into(),
        roles: vec![Role::Coordinator],
    }
}

fn commission() -> Actor {
    Actor {
        user: "chair".into(),
        roles: vec![Role::CommissionMember],
    }
}

#[test]
fn the_calendar() {
    let c = calendar();
    c.check().unwrap();
    assert_eq!(c.current(at(1, 10)), Some(Stage::Submission));
    assert_eq!(c.current(at(4, 20)), Some(Stage::Objections));
    assert_eq!(c.current(at(8, 1)), None);
    let mut bad = calendar();
    bad.deadlines.insert(Stage::Final, at(4, 1));
    assert!(matches!(bad.check(), Err(CycleError::Calendar(m)) if m.contains("final conclusions")));
    let mut missing = calendar();
    missing.deadlines.remove(&Stage::Commission);
    assert_eq!(
        missing.check(),
        Err(CycleError::Calendar("no deadline for commission".into()))
    );
}

#[test]
fn a_cycle_runs_after_the_year_it_assesses() {
    // The calendar's deadlines run from February to July 2024.
    calendar().check_for(2023).unwrap();
    assert_eq!(
        calendar().check_for(2024),
        Err(CycleError::Calendar(
            "the deadline for submission of reporting data (2024-02-15 23:59:59) is before 2024 has ended: the year's data cannot be reported yet".into()
        ))
    );
}

#[test]
fn submissions_and_extensions() {
    let c = calendar();
    let r = reporter("minfin");
    assert_eq!(may_submit(&r, "minfin", None, &c, &[], at(2, 10)), Ok(()));
    assert_eq!(
        may_submit(
            &r,
            "minfin",
            Some(SubmissionState::Draft),
            &c,
            &[],
            at(2, 15)
        ),
        Ok(())
    );
    assert!(
        matches!(
            may_submit(&r, "mne", None, &c, &[], at(2, 10)),
            Err(CycleError::Forbidden(_))
        ),
        "another body's data"
    );
    assert!(matches!(
        may_submit(&r, "minfin", None, &c, &[], at(2, 16)),
        Err(CycleError::Late { .. })
    ));
    assert!(matches!(
        may_submit(
            &r,
            "minfin",
            Some(SubmissionState::Submitted),
            &c,
            &[],
            at(2, 10)
        ),
        Err(CycleError::State(_))
    ));
    // An extension granted by a coordinator, recorded with its reason.
    assert!(matches!(
        may_extend(&r, at(2, 25), &c, at(2, 16)),
        Err(CycleError::Forbidden(_))
    ));
    assert!(
        matches!(
            may_extend(&coordinator(), at(3, 20), &c, at(2, 16)),
            Err(CycleError::State(_))
        ),
        "past verification"
    );
    assert!(
        matches!(
            may_extend(&coordinator(), at(2, 10), &c, at(2, 16)),
            Err(CycleError::State(_))
        ),
        "in the past"
    );
    assert_eq!(may_extend(&coordinator(), at(2, 25), &c, at(2, 16)), Ok(()));
    let ext = [Extension {
        body: "minfin".into(),
        until: at(2, 25),
        granted_by: "coordinator".into(),
        reason: "system outage".into(),
    }];
    assert_eq!(may_submit(&r, "minfin", None, &c, &ext, at(2, 20)), Ok(()));
    assert!(
        matches!(
            may_submit(&reporter("mne"), "mne", None, &c, &ext, at(2, 20)),
            Err(CycleError::Late { .. })
        ),
        "only for that body"
    );
}

#[test]
fn conclusions() {
    let c = calendar();
    let a = assessor("auditor1", "budget", "audit_chamber");
    assert_eq!(
        may_conclude(&a, "budget", "minfin", false, &c, at(3, 20)),
        Ok(())
    );
    assert!(matches!(
        may_conclude(&a, "budget", "minfin", false, &c, at(3, 10)),
        Err(CycleError::Early(_))
    ));
    assert!(matches!(
        may_conclude(&a, "budget", "minfin", false, &c, at(4, 20)),
        Err(CycleError::Late { .. })
    ));
    assert!(
        matches!(
            may_conclude(&a, "it", "minfin", false, &c, at(3, 20)),
            Err(CycleError::Forbidden(_))
        ),
        "another direction"
    );
    assert!(
        matches!(
            may_conclude(&a, "budget", "audit_chamber", false, &c, at(3, 20)),
            Err(CycleError::Duties(_))
        ),
        "itself"
    );
    assert_eq!(check_assignment(&a, "budget", "audit_chamber"), Ok(()));
    assert!(
        matches!(
            check_assignment(&assessor("x", "budget", "mci"), "budget", "audit_chamber"),
            Err(CycleError::Forbidden(_))
        ),
        "an assessor of the right direction for another body than the one assigned"
    );
    assert!(matches!(
        check_assignment(&a, "it", "audit_chamber"),
        Err(CycleError::Forbidden(_))
    ));
    assert!(
        matches!(
            may_conclude(&a, "budget", "minfin", true, &c, at(4, 20)),
            Err(CycleError::Early(_))
        ),
        "final before objections close"
    );
    assert_eq!(
        may_conclude(&a, "budget", "minfin", true, &c, at(5, 20)),
        Ok(())
    );
    assert!(matches!(
        may_conclude(
            &reporter("minfin"),
            "budget",
            "minfin",
            false,
            &c,
            at(3, 20)
        ),
        Err(CycleError::Forbidden(_))
    ));
}

#[test]
fn objections_from_filing_to_the_commission() {
    let c = calendar();
    let author = assessor("auditor1", "budget", "audit_chamber");
    let colleague = assessor("auditor2", "budget", "audit_chamber");
    let conclusion = Conclusion {
        direction: "budget".into(),
        body: "minfin".into(),
        author: "auditor1".into(),
        text: "…".into(),
        is_final: false,
    };
    let r = reporter("minfin");
    assert!(matches!(
        may_object(&r, "minfin", None, &c, at(4, 20)),
        Err(CycleError::State(_))
    ));
    assert!(matches!(
        may_object(&r, "minfin", Some(&conclusion), &c, at(4, 10)),
        Err(CycleError::Early(_))
    ));
    assert!(matches!(
        may_object(&r, "minfin", Some(&conclusion), &c, at(5, 2)),
        Err(CycleError::Late { .. })
    ));
    assert!(matches!(
        may_object(&reporter("mne"), "minfin", Some(&conclusion), &c, at(4, 20)),
        Err(CycleError::Forbidden(_))
    ));
    assert_eq!(
        may_object(&r, "minfin", Some(&conclusion), &c, at(4, 20)),
        Ok(())
    );
    let mut o = Objection {
        body: "minfin".into(),
        direction: "budget".into(),
        criterion: "bp_execution".into(),
        filed_by: r.user.clone(),
        statement: "the plan was revised in November".into(),
        state: ObjectionState::Filed,
        decided_by: None,
        reason: None,
        evidence: vec![],
    };
    assert!(
        matches!(
            decide_objection(&author, &mut o, &conclusion, false, "no", &c, at(5, 5)),
            Err(CycleError::Duties(_))
        ),
        "the author"
    );
    assert!(matches!(
        decide_objection(
            &assessor("x", "it", "mddiai"),
            &mut o,
            &conclusion,
            false,
            "no",
            &c,
            at(5, 5)
        ),
        Err(CycleError::Forbidden(_))
    ));
    assert!(
        matches!(
            decide_objection(&colleague, &mut o, &conclusion, false, " ", &c, at(5, 5)),
            Err(CycleError::State(_))
        ),
        "no reason"
    );
    assert!(
        matches!(
            escalate(&r, &mut o, &c, at(5, 6)),
            Err(CycleError::State(_))
        ),
        "not rejected yet"
    );
    decide_objection(
        &colleague,
        &mut o,
        &conclusion,
        false,
        "the revision came after the reporting date",
        &c,
        at(5, 5),
    )
    .unwrap();
    assert_eq!(
        (o.state, o.decided_by.as_deref()),
        (ObjectionState::Rejected, Some("auditor2"))
    );
    assert!(
        matches!(
            decide_objection(&colleague, &mut o, &conclusion, true, "again", &c, at(5, 5)),
            Err(CycleError::State(_))
        ),
        "decided once"
    );
    // Nothing is approved while an objection is open.
    assert_eq!(
        may_approve(&commission(), std::slice::from_ref(&o), 1, &c, at(6, 10)),
        Ok(()),
        "a rejected objection is settled"
    );
    escalate(&r, &mut o, &c, at(5, 6)).unwrap();
    assert!(
        matches!(may_approve(&commission(), std::slice::from_ref(&o), 1, &c, at(6, 10)), Err(CycleError::State(m)) if m.to_string().contains("minfin/bp_execution"))
    );
    assert!(matches!(
        rule(&colleague, &mut o, true, "x"),
        Err(CycleError::Forbidden(_))
    ));
    rule(
        &commission(),
        &mut o,
        true,
        "the revision was approved by the government in time",
    )
    .unwrap();
    assert_eq!(o.state, ObjectionState::Upheld);
    assert!(matches!(
        may_approve(&commission(), std::slice::from_ref(&o), 1, &c, at(5, 20)),
        Err(CycleError::Early(_))
    ));
    assert!(matches!(
        may_approve(&coordinator(), std::slice::from_ref(&o), 1, &c, at(6, 10)),
        Err(CycleError::Forbidden(_))
    ));
    assert!(matches!(
        may_approve(&commission(), &[], 0, &c, at(6, 10)),
        Err(CycleError::State(_))
    ));
    assert_eq!(may_approve(&commission(), &[o], 1, &c, at(6, 10)), Ok(()));
}

#[test]
fn risk_scores_and_a_reproducible_selection() {
    let reg = registry::load(bagalau_demo::REGISTRY.0, bagalau_demo::REGISTRY.1).unwrap();
    let m = pack::load(bagalau_demo::PACKS[3].0, bagalau_demo::PACKS[3].1).unwrap();
    let m21 = pack::load(bagalau_demo::PACKS[2].0, bagalau_demo::PACKS[2].1).unwrap();
    let mut now = YearData::from_observations(&bagalau_demo::generate(&m, &reg, 5), false);
    let before = YearData::from_observations(&bagalau_demo::generate(&m21, &reg, 5), false);
    // minfin's planned budget jumps tenfold; mne submitted late and corrected twice.
    let plan = before.get("minfin", "bp_plan").unwrap();
    now.insert("minfin", "bp_plan", Some(plan * 10.0));
    let facts = BTreeMap::from([(
        "mne".to_string(),
        Facts {
            late: true,
            corrections: 2,
            past_findings: 1,
        },
    )]);
    let scores = risk::score(&m, &reg, &now, Some(&before), &facts);
    let minfin = scores.iter().find(|s| s.body == "minfin").unwrap();
    assert!(
        minfin
            .reasons
            .iter()
            .any(|r| r.text.starts_with("`bp_plan` went from") && r.text.contains("+900%")),
        "{minfin:?}"
    );
    let mne = scores.iter().find(|s| s.body == "mne").unwrap();
    assert!(mne.score >= 2.0 + 2.0 + 2.0, "{mne:?}");
    assert!(
        mne.reasons
            .iter()
            .any(|r| r.text == "submitted after the deadline (with an extension)")
    );
    assert!(
        scores.windows(2).all(|w| w[0].score >= w[1].score),
        "riskiest first"
    );

    let one = risk::select(&scores, 3, 2, 42);
    assert_eq!(one, risk::select(&scores, 3, 2, 42), "reproducible");
    assert_eq!(one.len(), 5);
    assert!(one[..3].iter().all(|s| s.by == SelectedBy::Risk));
    assert_eq!(one[0].body, scores[0].body);
    assert!(one[3..].iter().all(|s| s.by == SelectedBy::Draw));
    let other = risk::select(&scores, 3, 2, 43);
    assert_eq!(
        one[..3],
        other[..3],
        "the risk part does not depend on the seed"
    );
    assert_ne!(one[3..], other[3..], "the draw does");
}

#[test]
fn findings_by_verifiers_on_selected_bodies_in_their_stage() {
    let c = calendar();
    let v = Actor {
        user: "verifier".into(),
        roles: vec![Role::Verifier],
    };
    assert_eq!(may_record_finding(&v, "minfin", true, &c, at(3, 1)), Ok(()));
    assert!(
        matches!(
            may_record_finding(&v, "minfin", false, &c, at(3, 1)),
            Err(CycleError::State(_))
        ),
        "not selected"
    );
    assert!(matches!(
        may_record_finding(&v, "minfin", true, &c, at(2, 10)),
        Err(CycleError::Early(_))
    ));
    assert!(matches!(
        may_record_finding(&v, "minfin", true, &c, at(3, 20)),
        Err(CycleError::Late { .. })
    ));
    assert!(matches!(
        may_record_finding(&coordinator(), "minfin", true, &c, at(3, 1)),
        Err(CycleError::Forbidden(_))
    ));
}

#[test]
fn what_is_due_for_each_person() {
    let c = calendar();
    let bodies = [
        "minfin".to_string(),
        "mne".to_string(),
        "audit_chamber".to_string(),
    ];
    let directions = ["budget".to_string()];
    let submissions = [("mne".to_string(), SubmissionState::Submitted)];
    let prelim = |body: &str| Conclusion {
        direction: "budget".into(),
        body: body.into(),
        author: "auditor1".into(),
        text: "…".into(),
        is_final: false,
    };
    let conclusions = [prelim("minfin")];
    let filed = Objection {
        body: "minfin".into(),
        direction: "budget".into(),
        criterion: "bp_execution".into(),
        filed_by: "r".into(),
        statement: "s".into(),
        state: ObjectionState::Filed,
        decided_by: None,
        reason: None,
        evidence: vec![],
    };
    let objections = [filed.clone()];
    let p = Progress {
        bodies: &bodies,
        directions: &directions,
        submissions: &submissions,
        extensions: &[],
        conclusions: &conclusions,
        objections: &objections,
        published: false,
    };
    // A reporter whose body has not submitted: due, then overdue.
    let r = reporter("minfin");
    let d = due(&r, &c, &p, at(2, 10));
    assert_eq!((d.len(), d[0].overdue), (1, false));
    assert_eq!(
        (d[0].what.as_str(), d[0].body.as_deref()),
        ("submit the reporting data", Some("minfin"))
    );
    assert!(due(&r, &c, &p, at(2, 20))[0].overdue);
    assert!(
        due(&reporter("mne"), &c, &p, at(2, 10)).is_empty(),
        "mne has submitted"
    );
    // Assessors: nothing before the preliminary stage; then the missing conclusion (not on itself).
    let a2 = assessor("auditor2", "budget", "audit_chamber");
    assert!(
        due(&a2, &c, &p, at(3, 1))
            .iter()
            .all(|x| !x.what.contains("conclusion"))
    );
    let d = due(&a2, &c, &p, at(3, 20));
    let missing: Vec<&str> = d
        .iter()
        .filter(|x| x.what.starts_with("write the preliminary"))
        .map(|x| x.body.as_deref().unwrap())
        .collect();
    assert_eq!(
        missing,
        ["mne"],
        "minfin has one, audit_chamber may not assess itself"
    );
    // The filed objection waits for an assessor other than the author.
    assert!(
        d.iter()
            .any(|x| x.what == "decide the objection on `bp_execution`")
    );
    assert!(
        !due(
            &assessor("auditor1", "budget", "audit_chamber"),
            &c,
            &p,
            at(3, 20)
        )
        .iter()
        .any(|x| x.what.starts_with("decide the objection"))
    );
    // The commission: escalated objections, and approval once the final conclusions are due.
    let escalated = [Objection {
        state: ObjectionState::Escalated,
        ..filed
    }];
    let p2 = Progress {
        objections: &escalated,
        ..p.clone()
    };
    let d = due(&commission(), &c, &p2, at(6, 10));
    assert_eq!(
        d.iter().map(|x| x.what.as_str()).collect::<Vec<_>>(),
        [
            "approve the results of the year",
            "rule on the escalated objection on `bp_execution`"
        ]
    );
    let p3 = Progress {
        published: true,
        ..p2.clone()
    };
    assert_eq!(
        due(&commission(), &c, &p3, at(6, 10)).len(),
        1,
        "approval is no longer due once published"
    );
}

#[test]
fn recommendations_from_issue_to_execution() {
    use bagalau_core::recommendation::{self as rec, RecommendationState as S};
    let due = NaiveDate::from_ymd_opt(2024, 9, 30).unwrap();
    // Who may issue: not a reporter, and an authorized body never to itself.
    assert!(matches!(
        rec::issue(&reporter("mne"), 2023, "minfin", "x", due, at(7, 10)),
        Err(CycleError::Forbidden(_))
    ));
    let audit = assessor("auditor1", "budget", "audit_chamber");
    assert!(matches!(
        rec::issue(&audit, 2023, "audit_chamber", "x", due, at(7, 10)),
        Err(CycleError::Duties(_))
    ));
    assert!(matches!(
        rec::issue(&audit, 2023, "minfin", "  ", due, at(7, 10)),
        Err(CycleError::State(_))
    ));
    assert!(
        matches!(
            rec::issue(&audit, 2023, "minfin", "x", due, at(9, 30)),
            Err(CycleError::State(_))
        ),
        "due date not after today"
    );
    let r = rec::issue(
        &audit,
        2023,
        "minfin",
        "Publish the budget execution report monthly",
        due,
        at(7, 10),
    )
    .unwrap();
    assert_eq!((r.state, r.issued_by.as_str()), (S::Open, "auditor1"));
    // Only minfin reports; only the issuer or a coordinator reviews, and only a reported one.
    assert!(rec::report(&reporter("mne"), &r, "done", &[], at(8, 1)).is_err());
    assert!(
        rec::review(&audit, &r, true, None).is_err(),
        "nothing reported yet"
    );
    let reported = rec::report(
        &reporter("minfin"),
        &r,
        "Published since August",
        &[],
        at(8, 1),
    )
    .unwrap();
    assert!(rec::report(&reporter("minfin"), &reported, "again", &[], at(8, 2)).is_err());
    assert!(matches!(
        rec::review(
            &assessor("auditor2", "budget", "audit_chamber"),
            &reported,
            true,
            None
        ),
        Err(CycleError::Forbidden(_))
    ));
    assert!(
        rec::review(&audit, &reported, false, Some(" ")).is_err(),
        "a return needs its reason"
    );
    let returned = rec::review(&audit, &reported, false, Some("only July is published")).unwrap();
    assert_eq!(returned.state, S::Returned);
    assert!(returned.is_overdue(at(10, 1)) && !returned.is_overdue(at(9, 30)));
    // Reported again after the due date: executed, but late.
    let late = rec::review(
        &coordinator(),
        &rec::report(
            &reporter("minfin"),
            &returned,
            "All months published",
            &["ab".repeat(32)],
            at(10, 2),
        )
        .unwrap(),
        true,
        None,
    )
    .unwrap();
    assert_eq!(late.state, S::Executed);
    assert!(!late.is_overdue(at(12, 1)) && !late.executed_on_time());
    assert_eq!(late.evidence, ["ab".repeat(32)]);
    assert!(
        late.audit_content()
            .ends_with(&format!("; evidence: {}", "ab".repeat(32)))
    );
    let on_time = rec::review(&audit, &reported, true, None).unwrap();
    assert!(on_time.executed_on_time());
    // minfin: 1 of 2 due by the cutoff executed on time = 50 %; mne: 0 of 1; a later one does not count yet.
    let mne = rec::issue(&coordinator(), 2023, "mne", "y", due, at(7, 10)).unwrap();
    let later = rec::issue(
        &coordinator(),
        2023,
        "minfin",
        "z",
        NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(),
        at(7, 10),
    )
    .unwrap();
    // What is due: minfin reports on the returned one; the issuer reviews a reported one.
    let listed = [
        (1, returned.clone()),
        (2, reported.clone()),
        (3, on_time.clone()),
    ];
    let d = rec::due(&reporter("minfin"), &listed, at(10, 1));
    assert_eq!(
        d.iter()
            .map(|x| (x.what.as_str(), x.overdue))
            .collect::<Vec<_>>(),
        [("report on the execution of recommendation #1", true)]
    );
    assert_eq!(
        rec::due(&audit, &listed, at(9, 1))[0].what,
        "review the report on recommendation #2"
    );
    assert!(rec::due(&reporter("mne"), &listed, at(9, 1)).is_empty());
    let rates = rec::executed_on_time(
        &[on_time, late, mne, later],
        NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
    );
    let percent: Vec<(&str, u32, u32, f64)> = rates
        .iter()
        .map(|(b, c)| (b.as_str(), c.due, c.on_time, c.percent()))
        .collect();
    assert_eq!(percent, [("minfin", 2, 1, 50.0), ("mne", 1, 0, 0.0)]);
}

#[test]
fn expert_opinions_while_the_commission_sits() {
    let c = calendar();
    assert!(matches!(
        may_record_opinion(&coordinator(), &c, at(6, 10)),
        Err(CycleError::Forbidden(_))
    ));
    assert!(matches!(
        may_record_opinion(&commission(), &c, at(5, 20)),
        Err(CycleError::Early(_))
    ));
    assert!(may_record_opinion(&commission(), &c, at(6, 10)).is_ok());
    assert!(matches!(
        may_record_opinion(&commission(), &c, at(7, 2)),
        Err(CycleError::Late { .. })
    ));
}

#[test]
fn failed_logins_slow_further_attempts_down_without_locking_the_owner_out() {
    use bagalau_core::accounts::{NAME_BACKOFF, SOURCE_BACKOFF, login_allowed_at};
    let t = |h: u32, m: u32, s: u32| {
        NaiveDate::from_ymd_opt(2026, 3, 1)
            .unwrap()
            .and_hms_opt(h, m, s)
            .unwrap()
    };
    let failures = |n: u32| (0..n).map(|i| t(9, 0, i)).collect::<Vec<_>>();
    // (failures by name, by source, now, allowed at): worked out from
    // 2^(n - free) seconds after the latest attempt, capped.
    let cases: Vec<(Vec<_>, Vec<_>, _, Option<_>)> = vec![
        (failures(4), failures(4), t(9, 0, 4), None),
        // Five by name: the sixth waits 2^0 = 1 s after the latest (9:00:04).
        (failures(5), vec![], t(9, 0, 4), Some(t(9, 0, 5))),
        (failures(5), vec![], t(9, 0, 5), None),
        // Eight by name: 2^3 = 8 s after 9:00:07.
        (failures(8), vec![], t(9, 0, 8), Some(t(9, 0, 15))),
        // Twenty by name: 2^15 s, capped at a minute after 9:00:19.
        (failures(20), vec![], t(9, 0, 20), Some(t(9, 1, 19))),
        // Twelve from one address: 2^2 = 4 s after 9:00:11.
        (vec![], failures(12), t(9, 0, 12), Some(t(9, 0, 15))),
        // Thirty from one address: 2^20 s, capped at 15 minutes after 9:00:29.
        (vec![], failures(30), t(9, 0, 30), Some(t(9, 15, 29))),
        // Both: the later wins (by name 9:00:15, by source 8 s after 9:00:12).
        (failures(8), failures(13), t(9, 0, 12), Some(t(9, 0, 20))),
        // Failures older than the window do not count.
        (failures(20), failures(30), t(9, 16, 0), None),
    ];
    for (i, (by_name, by_source, now, want)) in cases.into_iter().enumerate() {
        assert_eq!(
            login_allowed_at(&by_name, &by_source, now),
            want,
            "case {i}"
        );
    }
    assert_eq!(NAME_BACKOFF.cap_seconds, 60, "the owner never waits longer");
    assert_eq!(SOURCE_BACKOFF.free, 10);
}

#[test]
fn account_names_are_short_identifiers() {
    use bagalau_core::accounts::valid_account_name;
    for good in [
        "coordinator",
        "a.bekova@minfin",
        "reporter-2",
        &"x".repeat(64),
    ] {
        assert!(valid_account_name(good), "{good}");
    }
    for bad in ["", "a b", "имя", "a\n", &"x".repeat(65), "a/b"] {
        assert!(!valid_account_name(bad), "{bad}");
    }
}
