//! The permission table as data: `fixtures/permissions.txt` says, for every
//! action and every kind of role, whether it may; the code must agree.

use bagalau_app::permission::{Action, Sight, authorize, sight};
use bagalau_app::{Actor, Role};

#[test]
fn the_permission_table_is_the_fixtures() {
    let text = include_str!("fixtures/permissions.txt");
    let roles: Vec<Role> = text
        .lines()
        .find_map(|l| {
            l.strip_prefix("# ")
                .filter(|l| l.starts_with("administrator"))
        })
        .expect("the roles line")
        .split(", ")
        .map(|r| Role::parse(r).unwrap())
        .collect();
    let mut seen = Vec::new();
    let mut wrong = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let mut cells = line.split_whitespace();
        let name = cells.next().unwrap();
        let action = Action::ALL
            .into_iter()
            .find(|a| a.name() == name)
            .unwrap_or_else(|| panic!("no action `{name}`"));
        seen.push(action);
        let marks: Vec<&str> = cells.collect();
        assert_eq!(marks.len(), roles.len(), "{line}");
        for (role, mark) in roles.iter().zip(marks) {
            let expected = match mark {
                "Y" => true,
                "-" => false,
                other => panic!("`{other}` in {line}"),
            };
            if action.may(role) != expected {
                wrong.push(format!("{name} × {}: expected {mark}", role.to_text()));
            }
            let actor = Actor {
                user: "someone".into(),
                roles: vec![role.clone()],
            };
            assert_eq!(authorize(&actor, action).is_ok(), expected, "{name}");
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    seen.sort();
    let mut all = Action::ALL.to_vec();
    all.sort();
    assert_eq!(seen, all, "every action has its row, once");
}

#[test]
fn an_account_without_roles_may_only_read_what_is_public() {
    let nobody = Actor {
        user: "nobody".into(),
        roles: Vec::new(),
    };
    for action in Action::ALL {
        assert_eq!(
            authorize(&nobody, action).is_ok(),
            action == Action::ReadPublic,
            "{}",
            action.name()
        );
    }
    let refusal = authorize(&nobody, Action::KeepAccounts).unwrap_err();
    assert_eq!(
        refusal.to_string(),
        "not allowed: `nobody` has no role that may keep the accounts"
    );
}

#[test]
fn who_sees_unpublished_results() {
    let actor = |roles: &[&str]| Actor {
        user: "x".into(),
        roles: roles.iter().map(|r| Role::parse(r).unwrap()).collect(),
    };
    assert_eq!(sight(&actor(&["coordinator"])).unwrap(), Sight::Everything);
    assert_eq!(
        sight(&actor(&["assessor:budget@minfin"])).unwrap(),
        Sight::Everything
    );
    assert_eq!(
        sight(&actor(&["reporter:minfin", "reporter:mzdr"])).unwrap(),
        Sight::Bodies(vec!["minfin".into(), "mzdr".into()])
    );
    for roles in [&["administrator"][..], &["analyst"], &["monitor"], &[]] {
        assert!(sight(&actor(roles)).is_err(), "{roles:?}");
    }
}
