//! The `bagalau` command as a user runs it: in a fresh directory, on a real
//! SQLite file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Bagalau {
    dir: tempfile::TempDir,
    /// The token its commands sign in with (`BAGALAU_TOKEN`); without it,
    /// the sign-in kept by `bagalau login` in its own configuration directory.
    token: Option<String>,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Bagalau {
    /// A fresh directory, without a database.
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            token: None,
        }
    }

    /// A fresh database whose first administrator, `operator`, also
    /// coordinates, keeps the methodologies and analyses services; the
    /// command line is signed in as it.
    fn init() -> Self {
        let b = Self::new();
        b.ok(&[
            "init",
            "--administrator",
            "operator",
            "--role",
            "coordinator",
            "--role",
            "methodologist",
            "--role",
            "analyst",
        ]);
        b
    }

    /// The token `bagalau login` (or `init`, or the demo) kept for this
    /// directory's database.
    fn kept_token(&self) -> String {
        let text = std::fs::read_to_string(self.path(".config/bagalau/logins.toml")).unwrap();
        let logins: toml::Table = toml::from_str(&text).unwrap();
        let database = logins["database"].as_table().unwrap();
        assert_eq!(database.len(), 1, "{text}");
        database
            .values()
            .next()
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_bagalau"));
        c.args(args).current_dir(self.dir.path());
        for (k, _) in std::env::vars() {
            if k.starts_with("BAGALAU_") {
                c.env_remove(k);
            }
        }
        // Sign-ins are kept in the test's own directory, never the user's.
        c.env("XDG_CONFIG_HOME", self.path(".config"));
        if let Some(token) = &self.token {
            c.env("BAGALAU_TOKEN", token);
        }
        c
    }

    fn run(&self, args: &[&str]) -> Run {
        Self::output(self.command(args).output().unwrap())
    }

    fn output(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8(o.stdout).unwrap(),
            stderr: String::from_utf8(o.stderr).unwrap(),
        }
    }

    fn ok(&self, args: &[&str]) -> String {
        let r = self.run(args);
        assert_eq!(
            r.code, 0,
            "bagalau {args:?} failed:\n{}\n{}",
            r.stdout, r.stderr
        );
        r.stdout
    }

    /// A demo database whose 2023 is being corrected: the values counted
    /// from public-service records go into a year before its commission
    /// approves it; the demo's commission approved 2023, so a correction is
    /// asked for and accepted first.
    fn demo_correcting_2023() -> Self {
        let b = Self::demo();
        b.ok(&[
            "--reason",
            "the public-service values",
            "correction",
            "request",
            "--year",
            "2023",
        ]);
        let chair = b.account("chair", &["commission"]);
        let r = b.run_as(
            &chair,
            &[
                "--reason",
                "counted from the records",
                "correction",
                "decide",
                "--year",
                "2023",
                "--id",
                "1",
                "--accept",
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        b
    }

    /// A fresh directory holding a demo database (with its evidence files):
    /// the demo runs once per test process, and each test gets its own copy.
    fn demo() -> Self {
        static TEMPLATE: std::sync::OnceLock<Bagalau> = std::sync::OnceLock::new();
        let template = TEMPLATE.get_or_init(|| {
            let mut b = Self::new();
            b.ok(&["demo"]);
            b.token = Some(b.kept_token());
            b
        });
        let mut b = Self::new();
        copy_tree(template.dir.path(), b.dir.path());
        b.token = template.token.clone();
        b
    }

    /// Runs with `input` on standard input (a password).
    fn run_with_input(&self, args: &[&str], input: &str) -> Run {
        use std::io::Write as _;
        let mut c = self.command(args);
        c.stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = c.spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        Self::output(child.wait_with_output().unwrap())
    }

    /// An account with `roles` (made by the administrator signed in) and a
    /// token for it.
    fn account(&self, name: &str, roles: &[&str]) -> String {
        let mut args = vec!["user", "add", name];
        for role in roles {
            args.extend(["--role", role]);
        }
        args.push("--password-stdin");
        let r = self.run_with_input(&args, &format!("{name}'s long password\n"));
        assert_eq!(r.code, 0, "{}", r.stderr);
        let out = self.ok(&["user", "token", name, "--label", "test"]);
        out.lines().last().unwrap().to_string()
    }

    /// Runs as the account whose token is given.
    fn run_as(&self, token: &str, args: &[&str]) -> Run {
        let mut c = self.command(args);
        c.env("BAGALAU_TOKEN", token);
        Self::output(c.output().unwrap())
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

/// A raw HTTP/1.1 request to a local server: (status, body).
fn http(port: u16, method: &str, path: &str, token: Option<&str>, body: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response[9..12].parse().unwrap();
    let body = response
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, b)| b.to_string());
    (status, body)
}

#[test]
fn the_demo_plays_a_whole_cycle_and_says_what_next() {
    let b = Bagalau::new();
    let out = b.ok(&["demo"]);
    assert!(b.path("bagalau.db").exists());
    assert!(out.contains("Demo database ready:"), "{out}");
    assert!(out.contains("DEMONSTRATION DATA"), "{out}");
    assert!(out.contains("bagalau assess --year 2023"), "{out}");
    assert!(
        out.trim_end().ends_with(
            "The public portal and the API: bagalau serve, then open http://127.0.0.1:8080/"
        ),
        "the demo ends with the address to open: {out}"
    );
    assert!(
        out.contains("49 submissions (akimat_zhambyl late, with an extension), 3 verification findings, 678 conclusions,")
            && out.contains("approved by the commission and published as version 1"),
        "{out}"
    );

    // Every stage left its records.
    let status = b.ok(&["cycle", "status", "--year", "2023"]);
    assert!(status.contains(": closed"), "{status}");
    // The commission's opinions and the conclusions, through the same use
    // cases as the API's (the demo's operator is a coordinator).
    let opinions = b.ok(&["cycle", "opinions", "--year", "2023"]);
    assert!(
        opinions.contains("commission-chair on the year:"),
        "{opinions}"
    );
    assert!(opinions.contains("commission-member on "), "{opinions}");
    let conclusions = b.ok(&[
        "cycle",
        "conclusions",
        "--year",
        "2023",
        "--final",
        "true",
        "--body",
        "minfin",
    ]);
    assert!(conclusions.contains("minfin / "), "{conclusions}");
    assert!(!conclusions.contains("preliminary"), "{conclusions}");
    let r = b.run(&["cycle", "opinion", "--year", "2023", "An opinion"]);
    assert_ne!(r.code, 0, "only commission members record opinions");
    assert!(
        !b.ok(&["cycle", "opinions", "--year", "2023"])
            .contains("An opinion"),
        "nothing refused is written"
    );
    assert_eq!(status.matches(" submitted").count(), 49, "{status}");
    assert!(
        status.contains("akimat_zhambyl               submitted (extended to 2024-02-20 18:00:00)"),
        "{status}"
    );
    assert_eq!(
        b.ok(&["verification", "list", "--year", "2023"])
            .lines()
            .filter(|l| l.contains(" (risk "))
            .count(),
        8,
        "5 by risk and 3 by draw"
    );
    assert!(
        b.ok(&["audit", "log", "--entity", "objection", "--limit", "100"])
            .contains("api:reporter-"),
        "objections are filed by the bodies' reporters through the API"
    );
    let published = b.json(&["published", "--year", "2023", "--format", "json"]);
    assert_eq!(published[0]["version"], 1);
    assert_eq!(published[0]["published_by"], "api:commission-chair");
    let snapshot = b.json(&[
        "published",
        "--year",
        "2023",
        "--version",
        "1",
        "--format",
        "json",
    ]);
    assert_eq!(
        snapshot["conclusions"].as_array().unwrap().len(),
        339,
        "the final conclusions are published with the scores"
    );
    let list = b.ok(&["recommendation", "list", "--year", "2023"]);
    for state in ["[executed]", "[reported]", "[open]"] {
        assert!(list.contains(state), "{state}:\n{list}");
    }
    // Of the four due in 2024, one was executed on time.
    let rate = b.ok(&[
        "recommendation",
        "rate",
        "--year",
        "2023",
        "--indicator",
        "rec_on_time",
    ]);
    let values: Vec<&str> = rate
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(3).unwrap())
        .collect();
    assert_eq!(values.len(), 4, "{rate}");
    assert_eq!(values.iter().filter(|v| **v == "100").count(), 1, "{rate}");
    fn files(dir: &Path) -> usize {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap())
            .map(|e| {
                if e.file_type().unwrap().is_dir() {
                    files(&e.path())
                } else {
                    1
                }
            })
            .sum()
    }
    assert_eq!(
        files(&b.path("evidence")),
        3,
        "the submission's sources, the objection's figures and the action plan are in the evidence store"
    );
    assert!(b.ok(&["audit", "verify"]).starts_with("Audit trail intact"));

    // The printed passwords sign in; the other reporters have none.
    let password = out
        .lines()
        .find_map(|l| l.trim().strip_prefix("commission-chair"))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .to_string();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = b
        .command(&["serve", "--addr", &format!("127.0.0.1:{port}")])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed().as_secs() < 30, "the server did not start");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let login = |name: &str, password: &str| {
        http(
            port,
            "POST",
            "/api/v1/login",
            None,
            &serde_json::json!({ "name": name, "password": password }).to_string(),
        )
    };
    let (code, body) = login("commission-chair", &password);
    assert_eq!(code, 200, "{body}");
    let session: serde_json::Value = serde_json::from_str(&body).unwrap();
    let (code, body) = http(
        port,
        "GET",
        "/api/v1/cycles/2023/objections",
        session["token"].as_str(),
        "",
    );
    assert_eq!(code, 200, "{body}");
    let mut states: Vec<String> = serde_json::from_str::<serde_json::Value>(&body)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["state"].as_str().unwrap_or_default().to_string())
        .collect();
    states.sort();
    assert_eq!(
        states,
        ["accepted", "accepted", "dismissed", "rejected"],
        "{body}"
    );
    assert!(
        b.ok(&["user", "list"])
            .contains("reporter:moh  (since 2024-01-09T09:00:00+00:00; no password)"),
        "{}",
        b.ok(&["user", "list"])
    );
    let (code, _) = login("reporter-moh", "");
    assert_eq!(code, 401, "an account without a password does not sign in");
    let (code, body) = http(port, "GET", "/api/v1/published/2023", None, "");
    assert_eq!(code, 200, "{body}");
    // The portal shows the published 2023 results, with the final conclusions.
    let (code, page) = http(port, "GET", "/rankings/2023?lang=en", None, "");
    assert_eq!(code, 200, "{page}");
    assert!(page.contains("<h1>Rankings 2023</h1>") && page.contains("Ministry of Finance"));
    let (code, page) = http(port, "GET", "/bodies/minfin?lang=en", None, "");
    assert_eq!(code, 200, "{page}");
    assert!(
        page.contains("Final conclusions 2023") && page.contains("<p class=\"by\">by "),
        "{page}"
    );
    assert!(
        page.contains("Government Performance Index 2023") && page.contains("Risk areas"),
        "the body's GPI and risk areas: {page}"
    );
    // The National Progress Index page says what the command computes.
    let npi = b.json(&["performance", "npi", "--year", "2023", "--format", "json"]);
    let (code, page) = http(port, "GET", "/npi/2023?lang=en", None, "");
    assert_eq!(code, 200, "{page}");
    let overall = format!(
        "Overall: {:.1} against the OECD average, {:.1} against 2016.",
        npi["vs_reference"].as_f64().unwrap(),
        npi["vs_base"].as_f64().unwrap()
    );
    assert!(page.contains(&overall), "{overall}\n{page}");
    assert_eq!(
        page.matches("<tr><th scope=\"row\">").count(),
        npi["indicators"].as_array().unwrap().len()
    );
    // A recommendation never reported is public with its state, flagged overdue.
    let overdue = b.ok(&["recommendation", "list", "--year", "2023", "--overdue"]);
    let body = overdue.split_whitespace().nth(2).unwrap().to_string();
    let (code, page) = http(port, "GET", &format!("/bodies/{body}?lang=en"), None, "");
    assert_eq!(code, 200);
    assert!(
        page.contains("Adopt a plan to raise the weakest directions") && page.contains("(overdue)"),
        "{page}"
    );
    server.kill().unwrap();
    server.wait().unwrap();

    // Running it again changes nothing.
    let again = b.ok(&["demo"]);
    assert!(again.contains("0 values written"), "{again}");
    assert!(
        again.contains("The demonstration 2023 cycle was played in this database before"),
        "{again}"
    );
}

#[test]
fn the_2022_rankings() {
    let b = Bagalau::demo();
    let csv = b.ok(&["assess", "--year", "2022", "--format", "csv"]);
    let header = csv.lines().next().unwrap();
    assert_eq!(
        header,
        "rank,body_id,body,kind,total,goals,interaction,organization,band,change,change_via,demonstration"
    );
    insta::assert_snapshot!("rankings_2022", csv);

    let table = b.ok(&["assess", "--year", "2022"]);
    assert!(table.contains("DEMONSTRATION DATA"));
    assert!(
        table.contains("CGBs: 27 bodies") && table.contains("LEBs: 17 bodies"),
        "{table}"
    );

    let leb = b.json(&[
        "assess", "--year", "2022", "--kind", "leb", "--format", "json",
    ]);
    let rows = leb["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 17);
    assert!(rows.iter().all(|r| r["kind"] == "leb"));
    assert_eq!(rows[0]["rank"], 1);
    assert_eq!(leb["demonstration"], true);

    // Russian names on request.
    let ru = b.ok(&[
        "--lang", "ru", "assess", "--year", "2022", "--kind", "cgb", "--format", "csv",
    ]);
    assert!(ru.contains("Министерство финансов"), "{ru}");
}

#[test]
fn explain_traces_every_number() {
    let b = Bagalau::demo();
    let text = b.ok(&["explain", "--year", "2022", "--body", "minfin"]);
    for needle in [
        "Ministry of Finance (minfin)",
        "rule: ratio",
        "inputs: bp_spent = ",
        "[assessed by audit_chamber]",
        "DEMONSTRATION DATA",
        "Change against 2021",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    let json = b.json(&[
        "explain", "--year", "2022", "--body", "minfin", "--format", "json",
    ]);
    let ranking = b.json(&["assess", "--year", "2022", "--format", "json"]);
    let row = ranking["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["body_id"] == "minfin")
        .unwrap()
        .clone();
    assert_eq!(json["total"], row["total"]);
    assert_eq!(json["rank"], row["rank"]);
    // The tree's blocks add up to the total (no bonus for a CGB, nothing capped).
    let blocks: f64 = json["tree"]["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["points"].as_f64().unwrap())
        .sum();
    assert!((blocks - json["total"].as_f64().unwrap()).abs() < 1e-9);

    // A new region is compared with the region it was split from.
    let abai = b.ok(&["explain", "--year", "2023", "--body", "akimat_abai"]);
    assert!(
        abai.contains("Change against akimat_east_kazakhstan (predecessor) in 2022"),
        "{abai}"
    );

    let r = b.run(&["explain", "--year", "2021", "--body", "akimat_abai"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("`akimat_abai` was not evaluated in 2021 (evaluated: 2023)"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_bad_data_file_is_refused_whole_with_positions() {
    let b = Bagalau::demo();
    let before = b.json(&["assess", "--year", "2022", "--format", "json"]);
    let bad = b.write(
        "bad.csv",
        "year,body_id,indicator_id,value\n2022,minfin,bp_spent,1\n2022,minfin,nope,2\n2022,mne,bp_plan,abc\n2022,nobody,bp_plan,1\n2022,minfin,ps_satisfaction_pct,140\n",
    );
    let r = b.run(&["import", "data", bad.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    let file = bad.display().to_string();
    for needle in [
        format!(
            "{file}:3:3: unknown indicator `nope` in the 2022 methodology `kz-operational-2022`"
        ),
        format!("{file}:4:4: value `abc` is not a number"),
        format!("{file}:5:2: unknown body `nobody` (not in the registry)"),
        format!(
            "{file}:6:4: value 140 for `ps_satisfaction_pct`: a percent must be between 0 and 100"
        ),
        "nothing was imported".to_string(),
    ] {
        assert!(
            r.stderr.contains(&needle),
            "missing {needle:?} in:\n{}",
            r.stderr
        );
    }
    // Line 2 was valid, but nothing was written.
    let after = b.json(&["assess", "--year", "2022", "--format", "json"]);
    assert_eq!(before["inputs_sha256"], after["inputs_sha256"]);
    assert_eq!(before["rows"], after["rows"]);
}

#[test]
fn imported_data_rescore_the_year() {
    let b = Bagalau::demo();
    let before = b.json(&[
        "explain", "--year", "2022", "--body", "minfin", "--format", "json",
    ]);
    let file = b.write("minfin.csv", "year,body_id,indicator_id,value,note\n2022,minfin,bl_violations,6,corrected by the verifier\n");
    let out = b.ok(&["import", "data", file.to_str().unwrap()]);
    assert!(out.contains("1 changed") || out.contains("1 new"), "{out}");
    let after = b.json(&[
        "explain", "--year", "2022", "--body", "minfin", "--format", "json",
    ]);
    assert_ne!(before["inputs_sha256"], after["inputs_sha256"]);
    assert_eq!(before["methodology_sha256"], after["methodology_sha256"]);
    let text = b.ok(&["explain", "--year", "2022", "--body", "minfin"]);
    assert!(text.contains("bl_violations = 6"), "{text}");
    // The demo no longer writes into a database that holds imported data.
    let r = b.run(&["demo"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("already holds 1 imported values"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_empty_database_is_filled_by_imports() {
    let b = Bagalau::init();
    let r = b.run(&["assess", "--year", "2022"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("has no registry yet: run `bagalau demo`"),
        "{}",
        r.stderr
    );
    b.ok(&[
        "import",
        "registry",
        repo_file("data/registry/kz.toml").to_str().unwrap(),
    ]);
    let r = b.run(&["assess", "--year", "2022"]);
    assert!(
        r.stderr
            .contains("no methodology for 2022 in the database (it has: none)"),
        "{}",
        r.stderr
    );
    b.ok(&[
        "import",
        "pack",
        repo_file("data/methodology/kz-operational-2022.toml")
            .to_str()
            .unwrap(),
    ]);
    let data = b.write(
        "d.csv",
        "year,body_id,indicator_id,value\n2022,minfin,bp_spent,95\n2022,minfin,bp_plan,100\n",
    );
    b.ok(&["import", "data", data.to_str().unwrap()]);
    let text = b.ok(&["explain", "--year", "2022", "--body", "minfin"]);
    assert!(text.contains("r = fact / plan = 95 / 100 = 0.95"), "{text}");
    assert!(!text.contains("DEMONSTRATION"), "{text}");
    // With one criterion counted, its 4.75 of 5 is scaled to the whole scale: 95.
    assert!(text.contains("Total 95.00 / 100"), "{text}");
    // A 2022 pack naming a body created in 2023 is refused.
    let pack =
        std::fs::read_to_string(repo_file("data/methodology/kz-operational-2022.toml")).unwrap();
    let bad = b.write(
        "bad-2022.toml",
        &pack.replace("authorized_body = \"misd\"", "authorized_body = \"mci\""),
    );
    let r = b.run(&["import", "pack", bad.to_str().unwrap()]);
    assert!(
        r.stderr
            .contains("names bodies that did not exist in 2022: mci"),
        "{}",
        r.stderr
    );
}

#[test]
fn methodology_check_and_diff() {
    let b = Bagalau::new();
    let packs: Vec<String> = (2019..=2023)
        .map(|y| {
            repo_file(&format!("data/methodology/kz-operational-{y}.toml"))
                .display()
                .to_string()
        })
        .collect();
    let mut args = vec!["methodology", "check"];
    args.extend(packs.iter().map(String::as_str));
    let out = b.ok(&args);
    assert_eq!(out.lines().filter(|l| l.contains(": ok: ")).count(), 5);

    let bad = b.write(
        "bad.toml",
        &std::fs::read_to_string(&packs[3])
            .unwrap()
            .replace("value = \"cb_quality\"", "value = \"cb_qualty\""),
    );
    let r = b.run(&["methodology", "check", bad.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("unknown indicator `cb_qualty` in `value`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!("{}:", bad.display())),
        "{}",
        r.stderr
    );

    let diff = b.ok(&["methodology", "diff", &packs[2], &packs[3]]);
    assert!(
        diff.contains("gender_balance") && diff.contains("1.5 → 2"),
        "{diff}"
    );
    b.ok(&["demo"]);
    let by_year = b.ok(&["methodology", "diff", "2021", "2022"]);
    assert_eq!(diff, by_year);
    let json: serde_json::Value =
        serde_json::from_str(&b.ok(&["methodology", "diff", "2022", "2023", "--format", "json"]))
            .unwrap();
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == "openness"
                && c["what"] == "authorized_body"
                && c["after"] == "mci")
    );
}

#[test]
fn configuration_layers() {
    let b = Bagalau::new();
    let default = b.ok(&["config", "default"]);
    assert!(default.contains("db = \"bagalau.db\""));
    // The environment names the database...
    let mut c = b.command(&["demo"]);
    c.env("BAGALAU_DB", "from-env.db");
    assert_eq!(Bagalau::output(c.output().unwrap()).code, 0);
    assert!(b.path("from-env.db").exists() && !b.path("bagalau.db").exists());
    // ...a file can too, and the flag wins over both.
    b.write("bagalau.toml", "db = \"from-file.db\"\nlang = \"kk\"\n");
    let shown = b.ok(&["config", "show"]);
    assert!(
        shown.contains("db = \"from-file.db\"") && shown.contains("lang = \"kk\""),
        "{shown}"
    );
    let shown = b.ok(&["--db", "from-flag.db", "config", "show"]);
    assert!(shown.contains("db = \"from-flag.db\""), "{shown}");
    b.write("bagalau.toml", "lang = \"fr\"\n");
    let r = b.run(&["config", "show"]);
    assert!(
        r.stderr.contains("lang must be kk, ru or en, not `fr`"),
        "{}",
        r.stderr
    );
}

#[test]
fn registry_lineage() {
    let b = Bagalau::demo();
    let h = b.ok(&["registry", "history", "akimat_east_kazakhstan"]);
    assert!(
        h.contains("2022-06-08")
            && h.contains("split: akimat_east_kazakhstan → akimat_east_kazakhstan, akimat_abai"),
        "{h}"
    );
    assert!(h.contains("successors: akimat_abai"), "{h}");
    let h = b.ok(&["registry", "history", "akimat_astana"]);
    assert!(
        h.contains("renamed to Nur-Sultan") || h.contains("Nur-Sultan"),
        "{h}"
    );
    // Ulytau region exists from June 2022 and is first evaluated for 2023.
    assert!(
        b.ok(&["registry", "list", "--year", "2023"])
            .contains("akimat_ulytau")
    );
    assert!(
        !b.ok(&["registry", "list", "--year", "2022"])
            .contains("akimat_ulytau")
    );
}

#[test]
fn index_build_writes_every_data_set() {
    let b = Bagalau::new();
    let ex = |f: &str| {
        repo_file(&format!("examples/asem/{f}"))
            .display()
            .to_string()
    };
    let out = b.ok(&[
        "index",
        "build",
        "--data",
        &ex("ASEM_iData.csv"),
        "--meta",
        &ex("ASEM_iMeta.csv"),
        "--config",
        &ex("pipeline.toml"),
        "--out",
        "asem",
    ]);
    assert!(
        out.contains(
            "Built `Index`: 46 units, Time 2018, 49 indicators, 11 aggregates over 4 levels."
        ),
        "{out}"
    );
    assert!(out.contains("Screened out"), "{out}");
    for f in [
        "Raw",
        "Denominated",
        "Screened",
        "Imputed",
        "Treated",
        "Normalised",
        "Aggregated",
        "results",
        "indicator_stats",
        "aggregate_stats",
    ] {
        assert!(b.path(&format!("asem/{f}.csv")).exists(), "{f}.csv missing");
    }
    let results = std::fs::read_to_string(b.path("asem/results.csv")).unwrap();
    assert_eq!(results.lines().count(), 47);

    // A bad metadata table: nothing is built, the error names table, row and column.
    let meta = std::fs::read_to_string(ex("ASEM_iMeta.csv"))
        .unwrap()
        .replace(
            "1.0,LPI,Logistics Performance Index,1.0,1.0",
            "1.0,LPI,Logistics Performance Index,1.0,heavy",
        );
    let bad = b.write("bad_meta.csv", &meta);
    let r = b.run(&[
        "index",
        "build",
        "--data",
        &ex("ASEM_iData.csv"),
        "--meta",
        bad.to_str().unwrap(),
        "--out",
        "bad",
    ]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("line 2, column `Weight`: Weight `heavy` of `LPI` is not a number"),
        "{}",
        r.stderr
    );
    assert!(!b.path("bad").exists());
}

#[test]
fn index_uncertainty_writes_ranks_and_sensitivity() {
    let b = Bagalau::new();
    let ex = |f: &str| {
        repo_file(&format!("examples/asem/{f}"))
            .display()
            .to_string()
    };
    let plan = std::fs::read_to_string(ex("uncertainty.toml"))
        .unwrap()
        .replace("replications = 10000", "replications = 200")
        .replace("samples = 1000", "samples = 50");
    let plan = b.write("plan.toml", &plan);
    let out = b.ok(&[
        "index",
        "uncertainty",
        "--data",
        &ex("ASEM_iData.csv"),
        "--meta",
        &ex("ASEM_iMeta.csv"),
        "--config",
        &ex("pipeline.toml"),
        "--plan",
        plan.to_str().unwrap(),
        "--out",
        "u",
    ]);
    assert!(
        out.contains("200 replications, 600 model runs in all"),
        "{out}"
    );
    assert!(
        out.contains("aggregation") && out.contains("total order"),
        "{out}"
    );
    let ranks = std::fs::read_to_string(b.path("u/ranks.csv")).unwrap();
    assert!(ranks.starts_with("uCode,uName,nominal_rank,median_rank,mean_rank,p05_rank,p95_rank,share_shifted_over_5\nCHE,Switzerland,1,"), "{ranks}");
    let sens = std::fs::read_to_string(b.path("u/sensitivity.csv")).unwrap();
    assert_eq!(sens.lines().count(), 7);
}

#[test]
fn review_fixes_hold() {
    let b = Bagalau::demo();
    // The same value in two files is refused whole.
    let one = b.write(
        "one.csv",
        "year,body_id,indicator_id,value\n2022,minfin,bp_spent,100\n",
    );
    let two = b.write(
        "two.csv",
        "year,body_id,indicator_id,value,value\n2022,minfin,bp_spent,200,1\n",
    );
    let r = b.run(&[
        "import",
        "data",
        one.to_str().unwrap(),
        two.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("column `value` appears twice"),
        "{}",
        r.stderr
    );
    let two = b.write(
        "two.csv",
        "year,body_id,indicator_id,value\n2022,minfin,bp_spent,200\n",
    );
    let r = b.run(&[
        "import",
        "data",
        one.to_str().unwrap(),
        two.to_str().unwrap(),
    ]);
    assert!(
        r.stderr.contains("2022, `minfin`, `bp_spent` is also in"),
        "{}",
        r.stderr
    );
    // An unknown year is reported as such.
    let y = b.write(
        "y.csv",
        "year,body_id,indicator_id,value\n2030,minfin,bp_spent,1\n",
    );
    assert!(
        b.run(&["import", "data", y.to_str().unwrap()])
            .stderr
            .contains("no methodology is loaded for 2030")
    );

    // 2019 has no previous year: changes are unknown ("-"), not "new".
    let csv = b.ok(&["assess", "--year", "2019", "--format", "csv"]);
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    assert!(
        rows.records().all(|r| r.unwrap().get(9) == Some("")),
        "{csv}"
    );
    let table = b.ok(&["assess", "--year", "2019", "--kind", "cgb"]);
    assert!(!table.contains(" new "), "{table}");

    // A pack that no longer fits the stored values is refused.
    let pack =
        std::fs::read_to_string(repo_file("data/methodology/kz-operational-2022.toml")).unwrap();
    let changed = pack.clone();
    let at = changed.find("id = \"bp_spent\"").unwrap();
    let unit_at = at + changed[at..].find("unit = \"tenge\"").unwrap();
    let changed = format!(
        "{}unit = \"percent\"{}",
        &changed[..unit_at],
        &changed[unit_at + "unit = \"tenge\"".len()..]
    );
    let bad = b.write("pct.toml", &changed);
    let r = b.run(&["import", "pack", bad.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("a percent must be between 0 and 100")
            && r.stderr.contains("nothing was imported"),
        "{}",
        r.stderr
    );
    // So is a registry that turns a ministry into an akimat.
    let reg = std::fs::read_to_string(repo_file("data/registry/kz.toml")).unwrap();
    let i = reg.find("id = \"minfin\"").unwrap();
    let k = i + reg[i..].find("kind = \"cgb\"").unwrap();
    let bad = b.write(
        "reg.toml",
        &format!(
            "{}kind = \"leb\"{}",
            &reg[..k],
            &reg[k + "kind = \"cgb\"".len()..]
        ),
    );
    let r = b.run(&["import", "registry", bad.to_str().unwrap()]);
    assert!(
        r.stderr.contains("does not apply to LEBs like `minfin`")
            && r.stderr.contains("nothing was imported"),
        "{}",
        r.stderr
    );

    // The demo does not overwrite another pack.
    let custom = b.write(
        "custom-2021.toml",
        &std::fs::read_to_string(repo_file("data/methodology/kz-operational-2021.toml"))
            .unwrap()
            .replace("provenance = \"\"\"", "provenance = \"\"\"Custom. "),
    );
    b.ok(&[
        "--reason",
        "our own variant",
        "import",
        "pack",
        custom.to_str().unwrap(),
    ]);
    let r = b.run(&["demo"]);
    assert!(
        r.stderr.contains("holds another 2021 methodology"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_configuration_file_flag() {
    let b = Bagalau::new();
    let f = b.write("elsewhere.toml", "db = \"other.db\"\n");
    let shown = b.ok(&["--config-file", f.to_str().unwrap(), "config", "show"]);
    assert!(shown.contains("db = \"other.db\""), "{shown}");
    let f = b.write("typo.toml", "dbb = \"x\"\n");
    let r = b.run(&["--config-file", f.to_str().unwrap(), "config", "show"]);
    assert!(
        r.stderr.contains("unknown field: found `dbb`"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_performance_assessment() {
    let b = Bagalau::demo();
    let csv = b.ok(&["performance", "assess", "--year", "2023", "--format", "csv"]);
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.iter().filter(|x| &x[3] == "cgb").count(), 29);
    assert_eq!(rows.iter().filter(|x| &x[3] == "leb").count(), 20);
    assert_eq!(&rows[0][0], "1");

    // The GPI of a body, recomputed here from the values the explanation shows.
    let json = b.json(&[
        "explain", "--year", "2023", "--body", "moh", "--index", "gpi", "--format", "json",
    ]);
    let result = &json["result"];
    let mut sphere_scores = Vec::new();
    for sphere in result["spheres"].as_array().unwrap() {
        let mut scores = Vec::new();
        for ind in sphere["indicators"].as_array().unwrap() {
            let values: Vec<(f64, f64)> = ind["values"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(y, v)| (y.parse().unwrap(), v.as_f64().unwrap()))
                .collect();
            let n = values.len() as f64;
            let (mx, my) = (
                values.iter().map(|p| p.0).sum::<f64>() / n,
                values.iter().map(|p| p.1).sum::<f64>() / n,
            );
            let slope = values.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum::<f64>()
                / values.iter().map(|p| (p.0 - mx).powi(2)).sum::<f64>();
            let level = values.iter().map(|p| p.1.abs()).sum::<f64>() / n;
            let sign = if ind["change"].as_f64().unwrap() * slope >= 0.0 {
                1.0
            } else {
                -1.0
            };
            let score = (50.0 + 50.0 * sign * slope / level / 0.1).clamp(0.0, 100.0);
            assert!(
                (score - ind["score"].as_f64().unwrap()).abs() < 1e-9,
                "{ind}"
            );
            scores.push(score);
        }
        sphere_scores.push(scores.iter().sum::<f64>() / scores.len() as f64);
    }
    let gpi = sphere_scores.iter().sum::<f64>() / sphere_scores.len() as f64;
    assert!((gpi - result["gpi"].as_f64().unwrap()).abs() < 1e-9);
    let text = b.ok(&[
        "explain", "--year", "2023", "--body", "moh", "--index", "gpi",
    ]);
    assert!(
        text.contains("Health care") && text.contains("slope") && text.contains("DEMONSTRATION"),
        "{text}"
    );

    let npi = b.json(&["performance", "npi", "--year", "2023", "--format", "json"]);
    let inds = npi["indicators"].as_array().unwrap();
    assert_eq!(inds.len(), 25);
    let mean = inds
        .iter()
        .map(|i| i["vs_reference"].as_f64().unwrap())
        .sum::<f64>()
        / 25.0;
    assert!((mean - npi["vs_reference"].as_f64().unwrap()).abs() < 1e-9);
    assert!(
        inds.windows(2)
            .all(|w| w[0]["vs_reference"].as_f64() <= w[1]["vs_reference"].as_f64()),
        "largest lags first"
    );
}

#[test]
fn series_import_tidy_and_sdmx() {
    let b = Bagalau::init();
    b.ok(&[
        "import",
        "registry",
        repo_file("data/registry/kz.toml").to_str().unwrap(),
    ]);
    let r = b.run(&[
        "import",
        "series",
        b.write("early.csv", "entity,indicator,year,value\n")
            .to_str()
            .unwrap(),
    ]);
    assert!(
        r.stderr.contains("import a performance pack first"),
        "{}",
        r.stderr
    );
    b.ok(&[
        "import",
        "performance",
        repo_file("data/performance/kz-performance-2023.toml")
            .to_str()
            .unwrap(),
    ]);
    let tidy = b.write("moh.csv", "entity,indicator,year,value,source\nmoh,life_expectancy,2020,71.4,BNS\nmoh,life_expectancy,2023,74.4,BNS\n");
    let out = b.ok(&["import", "series", tidy.to_str().unwrap()]);
    assert!(out.contains("2 new"), "{out}");
    let sdmx = b.write(
        "npi.csv",
        "DATAFLOW,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE\nX:DF(1.0),KZ,npi_life_expectancy,2023,74.4,Y\nX:DF(1.0),OECD,npi_life_expectancy,2023,80.3,Y\nX:DF(1.0),KZ,npi_life_expectancy,2016,72.4,Y\n",
    );
    let out = b.ok(&["import", "series", "--sdmx", sdmx.to_str().unwrap()]);
    assert!(out.contains("3 new"), "{out}");
    let npi = b.json(&["performance", "npi", "--year", "2023", "--format", "json"]);
    let life = npi["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["indicator"] == "npi_life_expectancy")
        .unwrap()
        .clone();
    assert!(
        (life["vs_reference"].as_f64().unwrap() - 100.0 * 74.4 / 80.3).abs() < 1e-9,
        "{life}"
    );
    assert_eq!(npi["demonstration"], false);
    // Errors name the file and line; nothing is imported.
    let bad = b.write(
        "bad.csv",
        "entity,indicator,year,value\nmoh,wheat_yield,2023,1\nnobody,x,2023,1\n",
    );
    let r = b.run(&["import", "series", bad.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains(":2:2: `wheat_yield` is not an indicator of `moh`")
            && r.stderr.contains(":3:1: unknown entity `nobody`"),
        "{}",
        r.stderr
    );
    let gpi = b.json(&[
        "explain", "--year", "2023", "--body", "moh", "--index", "gpi", "--format", "json",
    ]);
    let life = &gpi["result"]["spheres"][0]["indicators"][0];
    assert_eq!(life["indicator"], "life_expectancy");
    // Two values 3 years apart: slope 1, level 72.9, r = 1 / 72.9.
    assert!(
        (life["change"].as_f64().unwrap() - 1.0 / 72.9).abs() < 1e-9,
        "{life}"
    );
}

/// The same commands give the same results on PostgreSQL as on SQLite
/// (when BAGALAU_TEST_POSTGRES_URL names a server).
#[test]
fn postgresql_gives_the_same_results() {
    let Ok(admin) = std::env::var(bagalau_store::testing::POSTGRES_URL_VAR) else {
        eprintln!("PostgreSQL not configured: skipped");
        return;
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let url = rt
        .block_on(bagalau_store::testing::fresh_postgres_database(&admin))
        .unwrap();
    let sqlite = Bagalau::demo();
    let pg = Bagalau::new();
    let out = pg.ok(&["--db", &url, "demo"]);
    assert!(out.contains("Demo database ready: postgres://"), "{out}");
    for args in [
        vec!["assess", "--year", "2022", "--format", "csv"],
        vec![
            "explain",
            "--year",
            "2023",
            "--body",
            "akimat_abai",
            "--format",
            "json",
        ],
        vec!["performance", "assess", "--year", "2023", "--format", "csv"],
        vec!["methodology", "diff", "2021", "2022"],
    ] {
        let mut with_db = vec!["--db", url.as_str()];
        with_db.extend(&args);
        assert_eq!(sqlite.ok(&args), pg.ok(&with_db), "{args:?}");
    }
    // An import that fails writes nothing there either.
    let bad = pg.write(
        "bad.csv",
        "year,body_id,indicator_id,value\n2022,minfin,bp_spent,1\n2022,minfin,nope,2\n",
    );
    let before = pg.ok(&["--db", &url, "assess", "--year", "2022", "--format", "json"]);
    assert_eq!(
        pg.run(&["--db", &url, "import", "data", bad.to_str().unwrap()])
            .code,
        1
    );
    assert_eq!(
        before,
        pg.ok(&["--db", &url, "assess", "--year", "2022", "--format", "json"])
    );
    rt.block_on(bagalau_store::testing::drop_postgres_database(&admin, &url));
}

#[test]
fn every_write_is_audited() {
    let b = Bagalau::demo();
    let out = b.ok(&["audit", "verify"]);
    assert!(out.starts_with("Audit trail intact:"), "{out}");
    let f = b.write(
        "fix.csv",
        "year,body_id,indicator_id,value,note\n2022,minfin,bl_violations,4,finding 17\n",
    );
    b.ok(&[
        "--reason",
        "verification 2022, finding 17",
        "import",
        "data",
        f.to_str().unwrap(),
    ]);
    let log = b.ok(&[
        "audit",
        "log",
        "--entity",
        "value",
        "--key",
        "2022/minfin/bl_violations",
    ]);
    assert!(
        log.contains("update value 2022/minfin/bl_violations"),
        "{log}"
    );
    assert!(
        log.contains("new: value=4.0; note=finding 17; origin=")
            && log.contains("why: verification 2022, finding 17"),
        "{log}"
    );
    assert!(
        log.contains("insert value 2022/minfin/bl_violations"),
        "the first load is on record too:\n{log}"
    );
    assert!(
        b.ok(&["audit", "verify"])
            .starts_with("Audit trail intact:")
    );
}

#[test]
fn publication_snapshots_are_immutable_and_versioned() {
    let b = Bagalau::demo();
    // The demo publishes the years before its cycle as they were assessed.
    let listed = b.ok(&["published", "--year", "2022"]);
    assert!(listed.starts_with("2022 version 1: sha256 "), "{listed}");
    assert!(
        b.ok(&["publish", "--year", "2022"])
            .contains("already published with these results: version 1")
    );
    // New data: a correction needs its reason, and keeps version 1.
    let f = b.write(
        "fix.csv",
        "year,body_id,indicator_id,value\n2022,minfin,bl_violations,9\n",
    );
    b.ok(&["import", "data", f.to_str().unwrap()]);
    let r = b.run(&["publish", "--year", "2022"]);
    assert!(
        r.stderr
            .contains("a correction is a new version and needs its reason"),
        "{}",
        r.stderr
    );
    let out = b.ok(&["--reason", "finding 17", "publish", "--year", "2022"]);
    assert!(
        out.contains("version 2") && out.contains("Changes against version 1: minfin: total"),
        "{out}"
    );
    let list = b.json(&["published", "--year", "2022", "--format", "json"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[1]["reason"], "finding 17");
    let v1: serde_json::Value = serde_json::from_str(&b.ok(&[
        "published",
        "--year",
        "2022",
        "--version",
        "1",
        "--format",
        "json",
    ]))
    .unwrap();
    let v2: serde_json::Value = serde_json::from_str(&b.ok(&[
        "published",
        "--year",
        "2022",
        "--version",
        "2",
        "--format",
        "json",
    ]))
    .unwrap();
    let total = |v: &serde_json::Value| {
        v["bodies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["body"] == "minfin")
            .unwrap()["total"]
            .as_f64()
            .unwrap()
    };
    assert!(
        total(&v1) > total(&v2),
        "version 1 keeps what was published first"
    );
    assert_eq!(v1["demonstration"], true);
    assert!(b.ok(&["audit", "verify"]).starts_with("Audit trail intact"));
}

#[test]
fn accounts_roles_and_tokens() {
    let b = Bagalau::demo();
    let out = b.ok(&[
        "user",
        "add",
        "aigerim",
        "--role",
        "reporter:minfin",
        "--role",
        "assessor:budget@audit_chamber",
    ]);
    assert!(out.contains("Its password, shown only now: "), "{out}");
    let mut c = b.command(&[
        "user",
        "add",
        "chair",
        "--role",
        "commission",
        "--password-stdin",
    ]);
    c.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = c.spawn().unwrap();
    use std::io::Write as _;
    child.stdin.take().unwrap().write_all(b"short\n").unwrap();
    let r = Bagalau::output(child.wait_with_output().unwrap());
    assert!(r.stderr.contains("at least 12 characters"), "{}", r.stderr);
    assert!(
        b.run(&["user", "add", "x", "--role", "reporter:nowhere"])
            .stderr
            .contains("`nowhere` is not in the registry")
    );
    assert!(
        b.run(&["user", "add", "x", "--role", "admin"])
            .stderr
            .contains("unknown role `admin`")
    );
    let list = b.ok(&["user", "list"]);
    assert!(
        list.contains("aigerim") && list.contains("assessor:budget@audit_chamber, reporter:minfin"),
        "{list}"
    );
    let token = b.ok(&["user", "token", "aigerim", "--label", "uploads"]);
    let t = token.lines().last().unwrap();
    assert!(t.starts_with("bgl_") && t.len() == 68, "{token}");
    assert!(
        b.ok(&["audit", "log", "--entity", "token"])
            .contains("user=aigerim; label=uploads")
    );
    assert!(
        !b.ok(&["audit", "log", "--limit", "100"]).contains(&t[4..]),
        "the token never reaches the trail"
    );
    assert!(b.ok(&["audit", "verify"]).starts_with("Audit trail intact"));
}

#[test]
fn a_cycle_opens_with_its_calendar() {
    let b = Bagalau::demo();
    let bad = b.write(
        "bad.toml",
        "submission = 2030-02-15\nverification = 2030-01-15\n",
    );
    let r = b.run(&[
        "cycle",
        "open",
        "--year",
        "2022",
        "--calendar",
        bad.to_str().unwrap(),
    ]);
    assert!(r.stderr.contains("invalid calendar"), "{}", r.stderr);
    let cal = b.write(
        "cal.toml",
        "submission = 2030-02-15\nverification = 2030-03-15\npreliminary = 2030-04-15\nobjections = 2030-05-01T18:00:00\nfinal = 2030-06-01\ncommission = 2030-07-01\n",
    );
    let out = b.ok(&[
        "cycle",
        "open",
        "--year",
        "2022",
        "--calendar",
        cal.to_str().unwrap(),
    ]);
    assert!(
        out.contains("objections") && out.contains("2030-05-01 18:00:00"),
        "{out}"
    );
    assert!(
        b.run(&[
            "cycle",
            "open",
            "--year",
            "2022",
            "--calendar",
            cal.to_str().unwrap()
        ])
        .stderr
        .contains("changing its calendar needs its reason")
    );
    assert!(
        b.run(&[
            "cycle",
            "extend",
            "--year",
            "2022",
            "--body",
            "minfin",
            "--until",
            "2030-02-25"
        ])
        .stderr
        .contains("needs its reason")
    );
    b.ok(&[
        "--reason",
        "system outage",
        "cycle",
        "extend",
        "--year",
        "2022",
        "--body",
        "minfin",
        "--until",
        "2030-02-25",
    ]);
    let r = b.run(&[
        "--reason",
        "x",
        "cycle",
        "extend",
        "--year",
        "2022",
        "--body",
        "minfin",
        "--until",
        "2030-04-01",
    ]);
    assert!(
        r.stderr.contains("before the verification deadline"),
        "{}",
        r.stderr
    );
    let status = b.ok(&["cycle", "status", "--year", "2022"]);
    assert!(
        status.contains("stage: submission of reporting data"),
        "{status}"
    );
    assert!(
        status.contains("minfin")
            && status.contains("not started (extended to 2030-02-25 23:59:59)"),
        "{status}"
    );
    assert!(
        b.ok(&["audit", "log", "--entity", "extension"])
            .contains("why: system outage")
    );
    b.ok(&["user", "add", "aigerim", "--role", "reporter:minfin"]);
    b.ok(&["user", "add", "chair", "--role", "commission"]);
    let due = b.ok(&["cycle", "due", "--year", "2022", "--user", "aigerim"]);
    assert!(
        due.contains("aigerim (reporter:minfin): 1 item(s)")
            && due.contains("due     submit the reporting data (minfin) by 2030-02-25 23:59:59"),
        "the extended deadline applies:\n{due}"
    );
    assert!(
        b.ok(&["cycle", "due", "--year", "2022"])
            .contains("chair (commission): nothing due"),
        "approval is not due before the final conclusions"
    );
    assert!(
        b.run(&["cycle", "due", "--year", "2022", "--user", "nobody"])
            .stderr
            .contains("no account `nobody`")
    );
    // The body's reporter returns its template from the command line, as
    // through the API: a draft first, then submitted; the operator, no
    // reporter of minfin, saves nothing.
    let template = b.path("minfin-2022.xlsx");
    b.ok(&[
        "template",
        "--year",
        "2022",
        "--body",
        "minfin",
        "--out",
        template.to_str().unwrap(),
    ]);
    let refused = b.run(&["cycle", "submit", template.to_str().unwrap()]);
    assert!(refused.stderr.contains("not allowed"), "{}", refused.stderr);
    let reporter = b.account("minfin_reporter", &["reporter:minfin"]);
    let draft = b.run_as(&reporter, &["cycle", "submit", template.to_str().unwrap()]);
    assert!(
        draft.stdout.starts_with("minfin, 2022: saved as a draft ("),
        "{}{}",
        draft.stdout,
        draft.stderr
    );
    let submitted = b.run_as(
        &reporter,
        &["cycle", "submit", "--submit", template.to_str().unwrap()],
    );
    assert!(
        submitted.stdout.starts_with("minfin, 2022: submitted ("),
        "{}",
        submitted.stderr
    );
    let again = b.run_as(&reporter, &["cycle", "submit", template.to_str().unwrap()]);
    assert!(
        again.stderr.contains("not possible now"),
        "{}",
        again.stderr
    );
    assert!(
        b.ok(&["cycle", "status", "--year", "2022"])
            .contains("submitted"),
        "the cycle shows it"
    );
}

/// Objections from the command line go through the same use cases as the
/// API: the demo's are listed as far as the account sees them, and a step
/// out of its stage is refused with nothing written.
#[test]
fn objections_are_listed_by_sight_and_refused_out_of_their_stage() {
    let b = Bagalau::demo();
    let all = b.ok(&["objection", "list", "--year", "2023"]);
    let lines: Vec<&str> = all.lines().filter(|l| l.starts_with('#')).collect();
    assert!(lines.len() >= 2, "the demo's objections:\n{all}");
    assert!(
        all.contains("[accepted]") && all.contains("[rejected]"),
        "decided both ways:\n{all}"
    );
    let body = lines[0].split_whitespace().nth(1).unwrap().to_string();
    let reporter = b.account("own_reporter", &[&format!("reporter:{body}")]);
    let own = b.run_as(&reporter, &["objection", "list", "--year", "2023"]);
    assert!(
        own.stdout
            .lines()
            .filter(|l| l.starts_with('#'))
            .all(|l| l.split_whitespace().nth(1) == Some(body.as_str())),
        "a reporter sees its own body's only:\n{}",
        own.stdout
    );
    let before = b.ok(&["audit", "log"]).lines().count();
    let late = b.run_as(
        &reporter,
        &[
            "objection",
            "file",
            "--year",
            "2023",
            "--body",
            &body,
            "--direction",
            "budget",
            "--criterion",
            "x",
            "Too late",
        ],
    );
    assert_ne!(late.code, 0, "{}", late.stdout);
    let decide = b.run(&[
        "objection",
        "decide",
        "--year",
        "2023",
        "--id",
        "1",
        "--reason",
        "r",
        "--value",
        "x=1",
    ]);
    assert!(
        decide.stderr.contains("--accept"),
        "corrections come only with an acceptance: {}",
        decide.stderr
    );
    assert_eq!(b.ok(&["audit", "log"]).lines().count(), before);
}

/// Evidence files from the command line: the same checks and sight as the
/// API's upload and download.
#[test]
fn evidence_is_uploaded_and_downloaded_by_those_who_may() {
    let b = Bagalau::demo();
    let pdf = b.write(
        "act.pdf",
        "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
    );
    let reporter = b.account("minfin_reporter", &["reporter:minfin"]);
    let up = b.run_as(&reporter, &["evidence", "upload", pdf.to_str().unwrap()]);
    assert_eq!(up.code, 0, "{}", up.stderr);
    let sha = up.stdout.trim().rsplit(' ').next().unwrap().to_string();
    assert_eq!(sha.len(), 64, "{}", up.stdout);
    assert!(
        up.stdout.starts_with("act.pdf (application/pdf, "),
        "{}",
        up.stdout
    );
    // Its uploader and a coordinator see it; another body's reporter does not.
    let out = b.path("copy.pdf");
    let down = b.run_as(
        &reporter,
        &["evidence", "download", &sha, "--out", out.to_str().unwrap()],
    );
    assert_eq!(down.code, 0, "{}", down.stderr);
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&pdf).unwrap());
    b.ok(&["evidence", "download", &sha, "--out", out.to_str().unwrap()]);
    let other = b.account("moh_reporter", &["reporter:moh"]);
    let hidden = b.run_as(&other, &["evidence", "download", &sha]);
    assert!(
        hidden.stderr.contains("no evidence file"),
        "{}",
        hidden.stderr
    );
    // A program named as a document is refused, and nothing is kept.
    let before = b.ok(&["audit", "log"]).lines().count();
    let fake = b.write("report.pdf", "MZ\u{90}\0\u{3}\0\0\0not a document");
    let refused = b.run_as(&reporter, &["evidence", "upload", fake.to_str().unwrap()]);
    assert_ne!(refused.code, 0);
    assert!(refused.stderr.contains("report.pdf"), "{}", refused.stderr);
    assert_eq!(b.ok(&["audit", "log"]).lines().count(), before);
}

#[test]
fn a_reproducible_verification_selection() {
    let select = |seed: &str| {
        let b = Bagalau::demo();
        let cal = b.write("cal.toml", "submission = 2023-02-15\nverification = 2030-03-15\npreliminary = 2030-04-15\nobjections = 2030-05-01\nfinal = 2030-06-01\ncommission = 2030-07-01\n");
        b.ok(&[
            "cycle",
            "open",
            "--year",
            "2022",
            "--calendar",
            cal.to_str().unwrap(),
        ]);
        let out = b.ok(&[
            "verification",
            "select",
            "--year",
            "2022",
            "--top",
            "3",
            "--draw",
            "2",
            "--seed",
            seed,
        ]);
        assert!(
            b.run(&["verification", "select", "--year", "2022", "--seed", "1"])
                .stderr
                .contains("a new draw needs its reason")
        );
        assert!(
            b.ok(&["verification", "list", "--year", "2022"])
                .contains(" risk (risk ")
        );
        out
    };
    let one = select("7");
    assert!(
        one.starts_with("5 of 44 bodies selected for verification in 2022 (seed 7"),
        "{one}"
    );
    assert!(
        one.contains("against last year") || one.contains("is an outlier among"),
        "reasons are given:\n{one}"
    );
    assert_eq!(
        one,
        select("7"),
        "the same seed and data give the same selection"
    );
}

#[test]
fn recommendations_issued_listed_and_rated() {
    let b = Bagalau::demo();
    assert!(
        b.run(&[
            "recommendation",
            "issue",
            "--year",
            "2022",
            "--body",
            "nowhere",
            "--due",
            "2099-06-30",
            "--text",
            "x"
        ])
        .stderr
        .contains("`nowhere` is not in the 2022 registry")
    );
    assert!(
        b.run(&[
            "recommendation",
            "issue",
            "--year",
            "2022",
            "--body",
            "minfin",
            "--due",
            "2001-01-01",
            "--text",
            "x"
        ])
        .stderr
        .contains("is not after today")
    );
    let out = b.ok(&[
        "recommendation",
        "issue",
        "--year",
        "2022",
        "--body",
        "minfin",
        "--due",
        "2099-06-30",
        "--text",
        "Publish monthly budget execution reports",
    ]);
    // The demo's 2023 cycle issued six before.
    assert_eq!(
        out.trim(),
        "Recommendation #7 issued to minfin (due 2099-06-30)."
    );
    b.ok(&[
        "recommendation",
        "issue",
        "--year",
        "2022",
        "--body",
        "minfin",
        "--due",
        "2099-12-31",
        "--text",
        "Second",
    ]);
    let list = b.ok(&["recommendation", "list", "--year", "2022"]);
    assert!(
        list.contains("#7 2022 minfin")
            && list.contains("[open] Publish monthly budget execution reports (issued by operator"),
        "{list}"
    );
    assert_eq!(
        b.ok(&["recommendation", "list", "--year", "2022", "--overdue"])
            .trim(),
        "No overdue recommendations."
    );
    // The command line lists what its account may see, as the API does:
    // another body's reporter sees none of minfin's; minfin's sees both.
    let theirs_token = b.account("moh_reporter", &["reporter:moh"]);
    let theirs = b.run_as(&theirs_token, &["recommendation", "list", "--year", "2022"]);
    assert_eq!(
        (theirs.code, theirs.stdout.trim()),
        (0, "No recommendations."),
        "{}",
        theirs.stderr
    );
    let own = b.account("minfin_reporter", &["reporter:minfin"]);
    let ours = b.run_as(&own, &["recommendation", "list", "--year", "2022"]);
    assert_eq!(
        ours.stdout.matches(" 2022 minfin ").count(),
        2,
        "{}",
        ours.stdout
    );
    // Due by the cutoff and not executed: 0 of 1 on time; the later one does not count yet.
    let csv = b.ok(&[
        "recommendation",
        "rate",
        "--year",
        "2022",
        "--indicator",
        "rec_on_time",
        "--cutoff",
        "2099-07-01",
    ]);
    assert_eq!(
        csv.trim(),
        "year,body_id,indicator_id,value,note\n2023,minfin,rec_on_time,0,0 of 1 recommendations (2022) due by 2099-07-01 executed on time"
    );
    assert!(
        b.run(&[
            "recommendation",
            "rate",
            "--year",
            "2021",
            "--indicator",
            "rec_on_time"
        ])
        .stderr
        .contains("no 2021 recommendation is due by 2022-12-31")
    );
    assert!(
        b.ok(&["audit", "log", "--entity", "recommendation"])
            .contains("state=open")
    );
    // The body reports the second executed; its issuer returns it, then
    // accepts it reported again: through the same use cases as the API.
    let report = ["recommendation", "report", "--id", "8", "--text", "Done"];
    let other = b.run_as(&theirs_token, &report);
    assert!(
        other.stderr.contains("no recommendation 8"),
        "{}",
        other.stderr
    );
    assert_eq!(
        b.run_as(&own, &report).stdout.trim(),
        "Recommendation #8 reported executed; its issuer reviews it."
    );
    let returned = b.run(&["recommendation", "review", "--id", "8"]);
    assert!(returned.stderr.contains("--reason"), "{}", returned.stderr);
    assert_eq!(
        b.ok(&[
            "recommendation",
            "review",
            "--id",
            "8",
            "--reason",
            "No evidence"
        ])
        .trim(),
        "Recommendation #8 is returned."
    );
    b.run_as(&own, &report);
    assert_eq!(
        b.ok(&["recommendation", "review", "--id", "8", "--accept"])
            .trim(),
        "Recommendation #8 is executed, on time."
    );
    assert!(b.ok(&["audit", "verify"]).starts_with("Audit trail intact"));
    // Conclusions and verifiers' findings are the cycle's steps for their
    // roles: the operator (no assessor, no verifier) writes neither, and a
    // refusal writes nothing.
    let before = b.ok(&["audit", "log"]).lines().count();
    let conclude = b.run(&[
        "cycle",
        "conclude",
        "--year",
        "2023",
        "--direction",
        "budget",
        "--body",
        "minfin",
        "A conclusion",
    ]);
    assert_ne!(conclude.code, 0, "{}", conclude.stdout);
    let finding = b.run(&[
        "cycle",
        "finding",
        "--year",
        "2023",
        "--body",
        "minfin",
        "--indicator",
        "x",
        "--value",
        "1",
        "--reason",
        "checked",
    ]);
    assert_ne!(finding.code, 0, "{}", finding.stdout);
    assert!(
        finding.stderr.contains("not allowed") || finding.stderr.contains("not possible"),
        "{}",
        finding.stderr
    );
    assert_eq!(b.ok(&["audit", "log"]).lines().count(), before);
}

/// `kill -9` in the middle of the demo's writes (registry, packs, every
/// year's values and scores and the series in one transaction, then the
/// cycle's steps, each in its own) leaves a database whose every record
/// agrees with the audit trail, and that works on: the demo run again
/// carries the cycle on from its last step.
#[cfg(unix)]
#[test]
fn a_crash_in_the_middle_of_writing_leaves_no_partial_state() {
    // Kill points spread over the last part of a full run, where the writes are.
    let full = {
        let b = Bagalau::new();
        let started = std::time::Instant::now();
        b.ok(&["demo"]);
        started.elapsed().as_millis() as u64
    };
    for delay_ms in [
        full / 2,
        full * 7 / 10,
        full * 8 / 10,
        full * 9 / 10,
        full * 19 / 20,
    ] {
        let b = Bagalau::new();
        let mut child = b
            .command(&["demo"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        child.kill().unwrap(); // SIGKILL: no destructor, no rollback by us
        child.wait().unwrap();
        if !b.path("bagalau.db").exists() {
            continue;
        }
        // The demo keeps its operator's sign-in before its first write: a
        // database it cannot be signed in to holds nothing.
        let whoami = b.run(&["whoami"]);
        if whoami.code != 0 {
            assert!(
                audit_entries(&b).is_empty(),
                "killed after {delay_ms} ms: {}",
                whoami.stderr
            );
            continue;
        }
        let verify = b.run(&["audit", "verify"]);
        assert!(
            verify.stdout.starts_with("Audit trail intact"),
            "killed after {delay_ms} ms\n{}{}",
            verify.stdout,
            verify.stderr
        );
        // The demo writes everything in one transaction: all five years, or none.
        let stored: Vec<bool> = ["2019", "2020", "2021", "2022", "2023"]
            .iter()
            .map(|y| {
                b.run(&["assess", "--year", y, "--format", "csv"])
                    .stdout
                    .lines()
                    .count()
                    > 30
            })
            .collect();
        assert!(
            stored.iter().all(|s| *s) || stored.iter().all(|s| !*s),
            "killed after {delay_ms} ms: {stored:?}"
        );
        if delay_ms == full * 8 / 10 {
            let again = b.run(&["demo"]);
            assert_eq!(
                again.code, 0,
                "the demo completes after a crash: {}",
                again.stderr
            );
            assert!(b.ok(&["audit", "verify"]).starts_with("Audit trail intact"));
            // The cycle, stopped in the middle, was carried on to its end.
            assert_eq!(
                b.json(&["published", "--year", "2023", "--format", "json"])[0]["version"],
                1
            );
            assert_eq!(
                b.ok(&["recommendation", "list", "--year", "2023"])
                    .matches("] ")
                    .count(),
                6
            );
        }
    }
}

#[test]
fn an_excel_template_round_trips_through_the_database() {
    let b = Bagalau::demo();
    let out = b.ok(&["template", "--year", "2023", "--body", "minfin"]);
    assert!(
        out.starts_with("Template for minfin, 2023: minfin-2023.xlsx ("),
        "{out}"
    );
    let back = b.ok(&["import", "xlsx", "minfin-2023.xlsx"]);
    assert!(
        back.starts_with("Imported from Excel: 0 new, 0 changed, "),
        "the values written are read back unchanged: {back}"
    );
    b.write("other.xlsx", "not a workbook");
    let r = b.run(&["import", "xlsx", "minfin-2023.xlsx", "other.xlsx"]);
    assert!(
        r.stderr.contains("other.xlsx: not an Excel workbook")
            && r.stderr.contains("nothing was imported"),
        "{}",
        r.stderr
    );
    assert!(
        b.run(&["template", "--year", "2023", "--body", "nowhere"])
            .stderr
            .contains("`nowhere` is not evaluated")
    );
}

/// The template saved by LibreOffice Calc (a real client), unchanged and with
/// one value edited, reads back. Runs when BAGALAU_TEST_SOFFICE names the
/// `soffice` program (`.ci/run` installs it).
#[test]
fn an_excel_template_saved_by_libreoffice_reads_back() {
    let Ok(soffice) = std::env::var("BAGALAU_TEST_SOFFICE") else {
        eprintln!("BAGALAU_TEST_SOFFICE is not set: the LibreOffice round trip is skipped");
        return;
    };
    let b = Bagalau::demo();
    // 2022, a year assessed outside a cycle, still takes corrections (the
    // demo's commission approved 2023, which is locked).
    b.ok(&[
        "template", "--year", "2022", "--body", "minfin", "--out", "t.xlsx",
    ]);
    let convert = |to: &str, file: &str| {
        let out = Command::new(&soffice)
            .args([
                "--headless",
                "--calc",
                "--convert-to",
                to,
                "--outdir",
                "lo",
                file,
            ])
            .arg(format!(
                "-env:UserInstallation=file://{}",
                b.path("lo-profile").display()
            ))
            .current_dir(b.path(""))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    // Saved again as .xlsx by LibreOffice: every value reads back unchanged.
    convert("xlsx:Calc MS Excel 2007 XML", "t.xlsx");
    let back = b.ok(&["import", "xlsx", "lo/t.xlsx"]);
    assert!(
        back.starts_with("Imported from Excel: 0 new, 0 changed, "),
        "{back}"
    );
    // Edited: the first value of the `strategic` sheet becomes 0.5 (valid in every unit),
    // through LibreOffice's flat XML format, and saved as .xlsx by LibreOffice.
    convert("fods", "t.xlsx");
    let fods = std::fs::read_to_string(b.path("lo/t.fods")).unwrap();
    let sheet = fods
        .find("<table:table table:name=\"strategic\"")
        .expect("a strategic sheet");
    let at = sheet + fods[sheet..].find("office:value=\"").unwrap() + "office:value=\"".len();
    let end = at + fods[at..].find('"').unwrap();
    let new = if &fods[at..end] == "0.5" { "1" } else { "0.5" };
    b.write(
        "edited.fods",
        &format!("{}{new}{}", &fods[..at], &fods[end..]),
    );
    convert("xlsx:Calc MS Excel 2007 XML", "edited.fods");
    let back = b.ok(&["import", "xlsx", "lo/edited.xlsx"]);
    assert!(
        back.starts_with("Imported from Excel: 0 new, 1 changed, "),
        "{back}"
    );
}

const SERVICE_REGISTER: &str = "id,name_kk,name_ru,name_en,sector,providers,channels,deadline,deadline_unit,documents,cost_tenge,result_form,automated,effective_from,effective_to
birth,Баланың тууын тіркеу,Регистрация рождения ребёнка,Registration of a child's birth,registration,minjust,psc;portal,1,working_days,identity card,0,electronic,true,2020-01-01,2023-06-30
birth,Баланың тууын тіркеу,Регистрация рождения ребёнка,Registration of a child's birth,registration,minjust,psc;portal,2,hours,identity card,0,electronic,true,2023-07-01,
land,Жер учаскесін беру,Предоставление земельного участка,Granting a land plot,land,akimat,body,20,working_days,application;plan,1500,paper,false,2020-01-01,
pension,Зейнетақы тағайындау,Назначение пенсии,Granting a pension,social_protection,mlsp,psc;portal,10,calendar_days,identity card,0,both,true,2020-01-01,
";

#[test]
fn service_records_are_generated_and_counted() {
    let b = Bagalau::init();
    b.write("register.csv", SERVICE_REGISTER);
    let out = b.ok(&[
        "services",
        "generate",
        "--year",
        "2023",
        "--rows",
        "20000",
        "--seed",
        "7",
        "--register",
        "register.csv",
    ]);
    assert!(
        out.contains("Generated 20000 delivery records of 2023"),
        "{out}"
    );
    assert!(b.path("services/deliveries/year=2023/month=1").is_dir());
    // The folder is a setting (BAGALAU_SERVICES__DIR).
    let o = b
        .command(&[
            "services",
            "generate",
            "--year",
            "2023",
            "--rows",
            "100",
            "--register",
            "register.csv",
        ])
        .env("BAGALAU_SERVICES__DIR", b.path("elsewhere"))
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(b.path("elsewhere/deliveries/year=2023/month=12").is_dir());
    let json = b.ok(&[
        "services",
        "indicators",
        "--year",
        "2023",
        "--register",
        "register.csv",
        "--by",
        "sector",
        "--format",
        "json",
    ]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    let sectors: Vec<&str> = rows.iter().map(|r| r["sector"].as_str().unwrap()).collect();
    assert_eq!(
        sectors,
        ["(none)", "land", "registration", "social_protection"]
    );
    let total: u64 = rows.iter().map(|r| r["records"].as_u64().unwrap()).sum();
    assert_eq!(total, 20000, "every record counted once");
    // The generator's scenario: about 1% late (by region), 0.1% outside the register.
    for r in &rows[1..] {
        let compliance = r["deadline_compliance"].as_f64().unwrap();
        assert!((97.0..100.0).contains(&compliance), "{r}");
    }
    assert!(rows[0]["hidden"].as_u64().unwrap() > 0);
    // The land service has no portal channel; the others mostly go through it.
    assert_eq!(rows[1]["electronic"], 0);
    assert!(rows[2]["electronic_share"].as_f64().unwrap() > 70.0);
    // Same seed, same records.
    b.ok(&[
        "services",
        "generate",
        "--year",
        "2023",
        "--rows",
        "20000",
        "--seed",
        "7",
        "--register",
        "register.csv",
    ]);
    let again = b.ok(&[
        "services",
        "indicators",
        "--year",
        "2023",
        "--register",
        "register.csv",
        "--by",
        "sector",
        "--format",
        "json",
    ]);
    assert_eq!(again, json);
    // A filter keeps the records of its row; a range of months, its months.
    let land = b.ok(&[
        "services",
        "indicators",
        "--year",
        "2023",
        "--register",
        "register.csv",
        "--by",
        "sector",
        "--sector",
        "land",
        "--first-month",
        "1",
        "--last-month",
        "12",
        "--format",
        "json",
    ]);
    let land: Vec<serde_json::Value> = serde_json::from_str(&land).unwrap();
    let rows: Vec<serde_json::Value> = serde_json::from_str(&again).unwrap();
    assert_eq!(land, [rows[1].clone()]);
    let r = b.run(&[
        "services",
        "indicators",
        "--year",
        "2023",
        "--register",
        "register.csv",
        "--first-month",
        "7",
        "--last-month",
        "3",
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("last_month"), "{}", r.stderr);
    // Unchanged records are not read again: every month comes from the cache.
    let r = b.run(&[
        "services",
        "indicators",
        "--year",
        "2023",
        "--register",
        "register.csv",
        "--format",
        "csv",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("2023: 12 months of records; 0 counted now, 12 from the cache"),
        "{}",
        r.stderr
    );
    let diff = b.ok(&[
        "services",
        "register-diff",
        "--register",
        "register.csv",
        "--from",
        "2023-01-01",
        "--to",
        "2023-12-31",
    ]);
    assert_eq!(
        diff,
        "~ birth\n    deadline: 1 -> 2\n    deadline_unit: working_days -> hours\n"
    );
    // The engine's plan, run once, with each operator's rows: where time goes.
    let r = b.run(&[
        "services",
        "indicators",
        "--year",
        "2023",
        "--register",
        "register.csv",
        "--explain",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    for operator in [
        "AggregateExec",
        "HashJoinExec",
        "DataSourceExec",
        "output_rows=",
    ] {
        assert!(
            r.stderr.contains(operator),
            "no {operator} in\n{}",
            r.stderr
        );
    }
}

#[test]
fn the_register_goes_to_xlsx_and_back() {
    let b = Bagalau::init();
    b.write("register.csv", SERVICE_REGISTER);
    let out = b.ok(&[
        "services",
        "register-convert",
        "--from",
        "register.csv",
        "--to",
        "register.xlsx",
    ]);
    assert_eq!(out, "register.xlsx: 4 versions of 3 services\n");
    b.ok(&[
        "services",
        "register-convert",
        "--from",
        "register.xlsx",
        "--to",
        "again.csv",
    ]);
    assert_eq!(
        std::fs::read_to_string(b.path("again.csv")).unwrap(),
        std::fs::read_to_string(b.path("register.csv")).unwrap()
    );
    // Any command reads the workbook as it reads the CSV.
    let diff = b.ok(&[
        "services",
        "register-diff",
        "--register",
        "register.xlsx",
        "--from",
        "2023-01-01",
        "--to",
        "2023-12-31",
    ]);
    assert!(diff.starts_with("~ birth\n"), "{diff}");
}

#[test]
fn a_bad_register_names_its_line_and_column() {
    let b = Bagalau::init();
    b.write(
        "register.csv",
        &SERVICE_REGISTER.replace("1500,paper", "much,paper"),
    );
    let r = b.run(&[
        "services",
        "generate",
        "--year",
        "2023",
        "--rows",
        "10",
        "--register",
        "register.csv",
    ]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("register.csv: line 4, column `cost_tenge`: `much` is not an amount"),
        "{}",
        r.stderr
    );
    assert!(!b.path("services").exists(), "nothing written");
}

#[test]
fn service_records_are_imported_whole_or_quarantined() {
    let b = Bagalau::init();
    b.write("register.csv", SERVICE_REGISTER);
    b.write(
        "july.csv",
        "service,provider,region,office,channel,recipient,requested_at,delivered_at,extra_documents
birth,minjust,astana,psc_astana_1,psc,individual,2023-07-03 10:00,2023-07-03 11:30,
birth,minjust,astana,portal,portal,pensioner,2023-07-03 10:00,2023-07-03 13:00,
land,akimat,almaty,akimat_almaty,body,individual,2023-07-03 10:00,yesterday,
",
    );
    let r = b.run(&["services", "import", "july.csv"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            "july.csv: line 4, column `delivered_at`: `yesterday` is not a date and time"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stdout.contains("nothing imported: 1 bad rows"),
        "{}",
        r.stdout
    );
    assert!(b.path("july.quarantine.csv").is_file());
    assert!(!b.path("services/deliveries/year=2023").exists());
    let out = b.ok(&["services", "import", "july.csv", "--quarantine-mode"]);
    assert!(
        out.contains("2 records imported; 1 bad rows kept in"),
        "{out}"
    );
    let json = b.ok(&[
        "services",
        "indicators",
        "--year",
        "2023",
        "--register",
        "register.csv",
        "--by",
        "service",
        "--format",
        "json",
    ]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    // The birth registration's standard became two hours on 1 July 2023.
    assert_eq!(rows.len(), 1, "{json}");
    assert_eq!(rows[0]["service"], "birth");
    assert_eq!(rows[0]["on_time"], 1);
    assert_eq!(rows[0]["violations"], 1);
}

#[test]
fn survey_exports_are_imported_once_and_estimated_with_suppression() {
    let b = Bagalau::init();
    let questionnaire = repo_file("crates/bagalau-demo/data/services/satisfaction.toml");
    let register = repo_file("crates/bagalau-demo/data/services/register.csv");
    let kobo = repo_file("crates/bagalau-services/tests/fixtures/surveys/kobo-xml-values.csv");
    let odk = repo_file("crates/bagalau-services/tests/fixtures/surveys/odk-central.csv");
    let (q, reg) = (questionnaire.to_str().unwrap(), register.to_str().unwrap());
    let import = |files: &[&Path]| {
        let mut args = vec![
            "services",
            "survey-import",
            "--questionnaire",
            q,
            "--register",
            reg,
        ];
        args.extend(files.iter().map(|f| f.to_str().unwrap()));
        b.run(&args)
    };
    let first = import(&[&kobo, &odk]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(
        first.stdout.contains(
            "kobo-xml-values.csv: 15 responses (1 rejected by reviewers, kept and not counted); 15 added, 0 imported before"
        ),
        "{}",
        first.stdout
    );
    // The same export again, as a user downloads the whole form each time.
    let again = import(&[&odk]);
    assert!(
        again.stdout.contains("11 responses (1 rejected by reviewers, kept and not counted); 0 added, 11 imported before"),
        "{}",
        again.stdout
    );
    assert!(
        again
            .stdout
            .contains("26 responses to service-satisfaction kept in the database"),
        "{}",
        again.stdout
    );
    let trail = || {
        b.ok(&[
            "audit",
            "log",
            "--entity",
            "survey_response",
            "--limit",
            "100",
        ])
    };
    let before = trail();
    assert!(before.contains("26 of "), "{before}");
    assert!(!b.path("services/surveys").exists());

    // An edited answer under a known submission id is refused, and nothing changes.
    let edited = b.write(
        "edited.csv",
        &std::fs::read_to_string(&odk)
            .unwrap()
            .replacen(",individual,4,5,", ",individual,2,5,", 1),
    );
    let r = import(&[&edited]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("was imported before with other answers")
            && r.stderr.contains("nothing was imported"),
        "{}",
        r.stderr
    );
    assert_eq!(trail(), before);

    let report = |extra: &[&str]| {
        let mut args = vec![
            "services",
            "satisfaction",
            "--questionnaire",
            "service-satisfaction",
            "--register",
            reg,
        ];
        args.extend_from_slice(extra);
        b.run(&args)
    };
    let by_region = report(&["--by", "region", "--format", "csv"]);
    assert_eq!(by_region.code, 0, "{}", by_region.stderr);
    // Hand-computed in the services crate's tests: Astana 11.5 of 17.5 satisfied.
    assert_eq!(
        by_region.stdout,
        "region,respondents,effective_respondents,satisfied_percent,satisfied_low,satisfied_high,mean_score,mean_low,mean_high\n\
         abai,4,,,,,,,\n\
         astana,15,13.76,65.71,39.85,84.72,3.686,3.032,4.339\n\
         shymkent,3,,,,,,,\n"
    );
    let by_sector = report(&[
        "--by",
        "sector",
        "--measure",
        "staff",
        "--min-respondents",
        "12",
    ]);
    assert!(
        by_sector
            .stdout
            .contains("suppressed: fewer than 12 respondents"),
        "{}",
        by_sector.stdout
    );
    let lower = report(&["--min-respondents", "3"]);
    assert_eq!(lower.code, 1);
    assert!(
        lower
            .stderr
            .contains("the questionnaire shows no figure on fewer than 10 respondents"),
        "{}",
        lower.stderr
    );
}

#[test]
fn the_register_is_stored_once_and_used_without_register() {
    let b = Bagalau::init();
    b.write("register.csv", SERVICE_REGISTER);
    let diff_args = [
        "services",
        "register-diff",
        "--from",
        "2023-01-01",
        "--to",
        "2023-12-31",
    ];
    // Neither a stored register nor --register: said plainly.
    let r = b.run(&diff_args);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            "no register: import one with `bagalau services register-import FILE` or pass --register"
        ),
        "{}",
        r.stderr
    );

    let out = b.ok(&["services", "register-import", "register.csv"]);
    assert_eq!(
        out,
        "Imported the register of public services from register.csv: 4 versions of 3 services.\n"
    );
    // Every services command now finds it in the database.
    let diff = b.ok(&diff_args);
    assert_eq!(
        diff,
        "~ birth\n    deadline: 1 -> 2\n    deadline_unit: working_days -> hours\n"
    );
    b.ok(&[
        "services", "generate", "--year", "2023", "--rows", "2000", "--seed", "7",
    ]);
    let json = b.ok(&[
        "services",
        "indicators",
        "--year",
        "2023",
        "--by",
        "sector",
        "--format",
        "json",
    ]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    let sectors: Vec<&str> = rows.iter().map(|r| r["sector"].as_str().unwrap()).collect();
    for sector in ["land", "registration", "social_protection"] {
        assert!(sectors.contains(&sector), "{json}");
    }
    let total: u64 = rows.iter().map(|r| r["records"].as_u64().unwrap()).sum();
    assert_eq!(total, 2000);
    // Written as the operator, on the audit trail.
    let log = b.ok(&["audit", "log", "--entity", "service_register"]);
    assert!(
        log.contains(" cli:") && log.contains(" insert service_register service_register"),
        "{log}"
    );

    // A bad register changes nothing.
    b.write(
        "bad.csv",
        &SERVICE_REGISTER.replace("1500,paper", "much,paper"),
    );
    let r = b.run(&["services", "register-import", "bad.csv"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("bad.csv: line 4, column `cost_tenge`: `much` is not an amount")
            && r.stderr.contains("nothing was imported"),
        "{}",
        r.stderr
    );
    assert_eq!(b.ok(&["audit", "log", "--entity", "service_register"]), log);
    assert_eq!(b.ok(&diff_args), diff);
    assert!(b.run(&["services", "register-import", "missing.csv"]).code != 0);
    assert_eq!(b.ok(&diff_args), diff);

    // A workbook replaces it; the trail keeps the old and the new register.
    b.write(
        "new.csv",
        &format!(
            "{SERVICE_REGISTER}id_card,Жеке куәлік,Удостоверение личности,Identity card,registration,mia,psc,15,working_days,photo,1535,paper,false,2024-01-01,\n"
        ),
    );
    b.ok(&[
        "services",
        "register-convert",
        "--from",
        "new.csv",
        "--to",
        "new.xlsx",
    ]);
    b.ok(&["services", "register-import", "new.xlsx"]);
    let diff = b.ok(&[
        "services",
        "register-diff",
        "--from",
        "2023-12-31",
        "--to",
        "2024-01-01",
    ]);
    assert_eq!(diff, "+ id_card\n");
    let log = b.ok(&["audit", "log", "--entity", "service_register"]);
    assert!(
        log.contains(" update service_register service_register"),
        "{log}"
    );
    assert!(b.ok(&["audit", "verify"]).starts_with("Audit trail intact"));
    // --register still wins over the stored register.
    b.write("other.csv", &SERVICE_REGISTER.replace("2,hours", "3,hours"));
    assert_eq!(
        b.ok(&[
            "services",
            "register-diff",
            "--register",
            "other.csv",
            "--from",
            "2023-01-01",
            "--to",
            "2023-12-31",
        ]),
        "~ birth\n    deadline: 1 -> 3\n    deadline_unit: working_days -> hours\n"
    );
}

#[test]
fn the_demo_stores_its_register_of_services() {
    let b = Bagalau::demo();
    let diff = b.ok(&[
        "services",
        "register-diff",
        "--from",
        "2022-12-31",
        "--to",
        "2023-01-01",
    ]);
    // The land plot's new standard of 1 January 2023, among the register's
    // other changes of that day.
    assert!(
        diff.contains(
            "~ land_plot\n    channels: body;portal -> portal\n    deadline: 20 -> 15\n    result_form: paper -> electronic\n    automated: false -> true\n"
        ),
        "{diff}"
    );
    assert!(diff.contains("- agri_cotton_licence\n"), "{diff}");
    assert!(diff.contains("+ edu_voucher\n"), "{diff}");
    // Survey responses are checked against the stored register too.
    let questionnaire = repo_file("crates/bagalau-demo/data/services/satisfaction.toml");
    let odk = repo_file("crates/bagalau-services/tests/fixtures/surveys/odk-central.csv");
    let out = b.ok(&[
        "services",
        "survey-import",
        "--questionnaire",
        questionnaire.to_str().unwrap(),
        odk.to_str().unwrap(),
    ]);
    assert!(out.contains("11 responses"), "{out}");
    // Run again, the demo finds its register there and leaves it.
    b.ok(&["demo"]);
    let log = b.ok(&["audit", "log", "--entity", "service_register"]);
    assert_eq!(
        log.matches(" service_register service_register").count(),
        1,
        "stored once: {log}"
    );
    // The database holds another register: the demo will not replace it.
    let other = b.write(
        "other.csv",
        &std::fs::read_to_string(repo_file("crates/bagalau-demo/data/services/register.csv"))
            .unwrap()
            .replace(",1228,paper,", ",1300,paper,"),
    );
    b.ok(&["services", "register-import", other.to_str().unwrap()]);
    let r = b.run(&["demo"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("holds another register of public services than the demo's"),
        "{}",
        r.stderr
    );
}

#[test]
fn service_records_give_the_assessment_its_public_service_values() {
    let b = Bagalau::demo_correcting_2023();
    // The demo stored its register; records are generated against it.
    b.ok(&[
        "services", "generate", "--year", "2023", "--rows", "20000", "--seed", "3",
    ]);
    let r = b.run(&["services", "report-data", "--year", "2023"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines[0], "year,body_id,indicator_id,value,note");
    let value = |body: &str, indicator: &str| -> f64 {
        let prefix = format!("2023,{body},{indicator},");
        let line = lines
            .iter()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no {prefix} in\n{}", r.stdout));
        line[prefix.len()..]
            .split(',')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    // The demo register on 31 December 2023: 31 services of the Ministry of
    // Internal Affairs, 18 of them on the portal (identity documents,
    // citizenship and residence, driving licences and plates, and weapon
    // permits are applied for in person).
    assert_eq!(value("mia", "ps_register"), 31.0);
    assert_eq!(value("mia", "ps_electronic"), 18.0);
    // Each body's records, as the indicators by provider count them.
    let by_provider = b.ok(&[
        "services",
        "indicators",
        "--year",
        "2023",
        "--by",
        "provider",
        "--format",
        "csv",
    ]);
    let mut compared = 0;
    for row in by_provider.lines().skip(1) {
        let cells: Vec<&str> = row.split(',').collect();
        let (provider, records) = (cells[0], cells[1].parse::<f64>().unwrap());
        if lines
            .iter()
            .any(|l| l.starts_with(&format!("2023,{provider},ps_delivered,")))
        {
            assert_eq!(value(provider, "ps_delivered"), records, "{provider}");
            compared += 1;
        }
    }
    assert!(compared > 20, "{compared} bodies compared");
    // A body the demo does not assess in 2023 is left out, and said so: the
    // ministries reorganised on 1 September 2023 delivered services until
    // then (their records and breaches are counted) but hold none in the
    // register at the year's end.
    for body in ["mcs", "miid", "misd"] {
        assert!(
            r.stderr.contains(&format!(
                "left out: {body} (not evaluated in 2023): 2 values"
            )),
            "{}",
            r.stderr
        );
    }
    assert!(value("akimat_astana", "ps_violations") <= value("akimat_astana", "ps_delivered"));
    // The values go in as reporting data, checked, and rescore the year.
    let file = b.write("computed.csv", &r.stdout);
    let out = b.ok(&["import", "data", file.to_str().unwrap()]);
    assert!(out.contains("changed") || out.contains("new"), "{out}");
    let text = b.ok(&["explain", "--year", "2023", "--body", "mia"]);
    assert!(text.contains("ps_electronic = 18"), "{text}");
}

#[test]
fn the_exported_sql_gives_duckdb_the_same_counts() {
    let b = Bagalau::init();
    let register = repo_file("crates/bagalau-demo/data/services/register.csv");
    let register = register.to_str().unwrap();
    b.ok(&[
        "services",
        "generate",
        "--year",
        "2023",
        "--rows",
        "20000",
        "--seed",
        "5",
        "--register",
        register,
    ]);
    b.ok(&[
        "services",
        "sql",
        "--year",
        "2023",
        "--register",
        register,
        "--out",
        "sql",
    ]);
    let sql = std::fs::read_to_string(b.path("sql/breakdown.sql")).unwrap();
    assert!(!sql.contains('$'), "every parameter replaced");
    assert!(b.path("sql/standards.parquet").exists());
    let ours = b.ok(&[
        "services",
        "indicators",
        "--year",
        "2023",
        "--register",
        register,
        "--by",
        "sector",
        "--format",
        "csv",
    ]);
    let ours: Vec<String> = ours
        .lines()
        .skip(1)
        .map(|l| l.split(',').take(10).collect::<Vec<_>>().join(","))
        .collect();
    let Ok(python) = std::env::var("BAGALAU_TEST_DUCKDB") else {
        eprintln!("BAGALAU_TEST_DUCKDB is not set: the DuckDB comparison is skipped");
        return;
    };
    // DuckDB, another engine, runs the same SQL on the same files.
    let script = r#"
import duckdb, sys
con = duckdb.connect()
con.execute("CREATE VIEW deliveries AS SELECT * FROM read_parquet('services/deliveries/*/*/*.parquet', hive_partitioning = true)")
con.execute("CREATE VIEW standards AS SELECT * FROM read_parquet('sql/standards.parquet')")
rows = con.execute(open('sql/breakdown.sql').read()).fetchall()
sums = {}
for r in rows:
    if r[0] == 'sector':
        key = r[1] if r[1] is not None else '(none)'
        sums[key] = [a + b for a, b in zip(sums.get(key, [0] * 9), r[3:12])]
for key in sorted(sums):
    print(','.join([key] + [str(int(v)) for v in sums[key]]))
"#;
    let out = std::process::Command::new(python)
        .arg("-c")
        .arg(script)
        .current_dir(b.dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let mut ours_sorted = ours.clone();
    ours_sorted.sort();
    assert_eq!(ours_sorted, theirs);
    assert!(theirs.len() > 10, "{theirs:?}");
}

/// A node of an explanation tree by id, anywhere below `node`.
fn explained<'a>(node: &'a serde_json::Value, id: &str) -> Option<&'a serde_json::Value> {
    if node["id"] == id {
        return Some(node);
    }
    node["children"]
        .as_array()?
        .iter()
        .find_map(|c| explained(c, id))
}

#[test]
fn complaint_and_openness_records_score_the_interaction_block() {
    let b = Bagalau::demo_correcting_2023();
    let header = "id,body,kind,received,due,answered,outcome,substantiated,repeated,court_case,court_justified\n";
    // 250 applications to mia received on Monday 6 March 2023, answered on
    // Friday 10 March: on time. One answered on 30 June, long after its 15
    // working days (29 March). Four went to court, one found justified;
    // five were repeated and substantiated.
    let mut rows = String::from(header);
    for i in 0..250 {
        let answered = if i == 0 { "2023-06-30" } else { "2023-03-10" };
        let court = u8::from(i < 4);
        let justified = if i < 4 {
            u8::from(i == 0).to_string()
        } else {
            String::new()
        };
        let repeated = u8::from((10..15).contains(&i));
        rows.push_str(&format!(
            "A-{i},mia,application,2023-03-06,,{answered},satisfied,1,{repeated},{court},{justified}\n"
        ));
    }
    let file = b.write("complaints.csv", &rows);
    let file = file.to_str().unwrap();
    let out = b.ok(&["complaints", "import", file]);
    assert!(
        out.contains("250 records; 250 added, 0 imported before")
            && out.contains("250 complaint records kept in the database"),
        "{out}"
    );
    // Each record is in the database and audited, as every other input;
    // nothing is written under the services directory.
    let trail = || b.ok(&["audit", "log", "--entity", "complaint", "--limit", "1000"]);
    let before = trail();
    assert!(before.contains("250 of "), "{before}");
    assert!(before.contains(" complaint mia/A-17\n"), "{before}");
    assert!(!b.path("services/citizens").exists());
    // The same file again: recognised, nothing added.
    let out = b.ok(&["complaints", "import", file]);
    assert!(out.contains("0 added, 250 imported before"), "{out}");
    assert_eq!(trail(), before);
    // A record changed at the source, and a bad cell in another file:
    // both named, nothing changes.
    let edited = b.write(
        "edited.csv",
        &format!("{header}A-1,mia,application,2023-03-06,,2023-03-13,satisfied,1,0,0,\n"),
    );
    let bad = b.write(
        "bad.csv",
        &format!("{header}B-1,mia,application,2023-03-06,,2023-03-10,satisfied,2,0,0,\n"),
    );
    let r = b.run(&[
        "complaints",
        "import",
        edited.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("edited.csv: mia `A-1` was imported before with other content"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("bad.csv: line 2, column `substantiated`: `2` is not a yes or no"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("nothing was imported"), "{}", r.stderr);
    assert_eq!(trail(), before);
    assert!(b.ok(&["audit", "verify"]).starts_with("Audit trail intact"));

    let csv = b.ok(&[
        "complaints",
        "indicators",
        "--year",
        "2023",
        "--as-of",
        "2024-02-01",
        "--format",
        "csv",
    ]);
    // 1 of 250 overdue = 0.40%; 1 of 4 court cases = 25%; 5 of 250 = 2%.
    assert!(
        csv.lines()
            .any(|l| l == "mia,250,250,0,1,0.40,4,1,25.00,5,2.00"),
        "{csv}"
    );

    // Open Data: four sets due in 2023, three published on time.
    let open_data = b.write(
        "open-data.csv",
        "dataset,body,due,published\n\
         a,mia,2023-03-31,2023-03-30\n\
         b,mia,2023-06-30,2023-06-30\n\
         c,mia,2023-09-30,2023-09-01\n\
         d,mia,2023-12-31,2024-01-15\n",
    );
    b.ok(&["openness", "import", open_data.to_str().unwrap()]);
    let csv = b.ok(&[
        "openness",
        "indicators",
        "--year",
        "2023",
        "--format",
        "csv",
        "--as-of",
        "2024-02-01",
    ]);
    assert!(csv.lines().any(|l| l.starts_with("mia,4,3,")), "{csv}");

    let r = b.run(&[
        "services",
        "report-data",
        "--year",
        "2023",
        "--as-of",
        "2024-02-01",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for (indicator, value) in [
        ("appeals_total", "250"),
        ("appeals_overdue", "1"),
        ("court_cases", "4"),
        ("court_justified", "1"),
        ("appeals_repeat", "5"),
        ("od_planned", "4"),
        ("od_published", "3"),
    ] {
        let prefix = format!("2023,mia,{indicator},{value},");
        assert!(
            r.stdout.lines().any(|l| l.starts_with(&prefix)),
            "no {prefix} in\n{}",
            r.stdout
        );
    }
    let file = b.write("computed.csv", &r.stdout);
    b.ok(&["import", "data", file.to_str().unwrap()]);
    let json = b.json(&[
        "explain", "--year", "2023", "--body", "mia", "--format", "json",
    ]);
    let points = |id: &str| {
        explained(&json["tree"], id)
            .unwrap_or_else(|| panic!("no {id} in the explanation"))["points"]
            .as_f64()
            .unwrap()
    };
    // 0.4% late is in [0.3, 0.7): 2 points of 3.
    assert_eq!(points("appeals_timeliness"), 2.0);
    // Lower is better: 2 × (1 − 1/4) = 1.5.
    assert!((points("appeals_court") - 1.5).abs() < 1e-9);
    // 2% between worst 5% and best 0%: 2 × (2 − 5) / (0 − 5) = 1.2.
    assert!((points("appeals_repeat") - 1.2).abs() < 1e-9);
    // 3 of 4 sets on time: 2 × 0.75.
    assert!((points("open_data") - 1.5).abs() < 1e-9);
    // The direction is its criteria's sum (internal control from the demo).
    let direction = points("complaints");
    let sum = points("appeals_timeliness")
        + points("appeals_court")
        + points("appeals_repeat")
        + points("appeals_internal_control");
    assert!((direction - sum).abs() < 1e-9, "{direction} vs {sum}");

    // A record changed behind Bagalau's back (the late answer made timely)
    // is found by the audit, as any other input.
    as_database_administrator(
        &b,
        vec![(
            "UPDATE kept_records SET content = replace(content, '2023-06-30', '2023-03-10') \
             WHERE family = 'complaint' AND key = 'mia/A-0'"
                .into(),
            vec![],
        )],
    );
    let r = b.run(&["audit", "verify"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        format!("{}{}", r.stdout, r.stderr).contains("complaint mia/A-0"),
        "{}{}",
        r.stdout,
        r.stderr
    );
}

/// Delivery records of the birth registration (two hours since July 2023)
/// in July: `n` in `region`, `late` of them after three hours, the first
/// `portal` through the portal, the first `extra` with a document asked
/// beyond the standard (`recorded`: whether documents were recorded at all).
fn birth_records(
    region: &str,
    n: usize,
    late: usize,
    portal: usize,
    extra: usize,
    recorded: bool,
) -> String {
    let mut out = String::new();
    for i in 0..n {
        let channel = if i < portal { "portal" } else { "psc" };
        let delivered = if i >= n - late { "13:00" } else { "11:00" };
        let documents = match (recorded, i < extra) {
            (false, _) => "",
            (true, true) => "1",
            (true, false) => "0",
        };
        out.push_str(&format!(
            "birth,minjust,{region},{region}_office,{channel},individual,2023-07-03 10:00,2023-07-03 {delivered},{documents}\n"
        ));
    }
    out
}

#[test]
fn ratings_are_computed_from_the_records_and_published_as_versions() {
    let b = Bagalau::init();
    b.write("register.csv", SERVICE_REGISTER);
    b.ok(&["services", "register-import", "register.csv"]);
    let header = "service,provider,region,office,channel,recipient,requested_at,delivered_at,extra_documents\n";
    b.write(
        "july.csv",
        &format!(
            "{header}{}{}{}",
            birth_records("astana", 150, 30, 60, 15, true),
            birth_records("abai", 110, 0, 0, 0, false),
            birth_records("ulytau", 20, 0, 0, 0, false),
        ),
    );
    b.ok(&["services", "import", "july.csv"]);
    let r = b.run(&["services", "ratings", "--year", "2023", "--format", "csv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("no questionnaire named: the survey components (overall) have no values"),
        "{}",
        r.stderr
    );
    let csv = r.stdout;
    assert!(csv.starts_with("year,dimension,value,name,rank,score,records,deadline_compliance_percent,survey_overall_percent,extra_documents_share_percent,electronic_share_percent,not_rated\n"), "{csv}");
    // Weights 0.4 on time, 0.3 satisfied (no survey: left out), 0.15 extra
    // documents (lower is better), 0.15 electronic.
    // Astana: (0.4·80 + 0.15·(100−10) + 0.15·40) / 0.7 = 51.5 / 0.7 = 73.57
    // Abai, documents not recorded: (0.4·100 + 0.15·0) / 0.55 = 72.73
    // Ulytau: 20 records, under the pack's 100.
    // The Ministry (every record): on time 250 of 280, 60 electronic, 15 of
    // 150 recorded with extra documents:
    // (0.4·89.2857 + 0.15·90 + 0.15·21.4286) / 0.7 = 74.90
    for row in [
        "2023,region,astana,,1,73.57,150,80.00,,10.00,40.00,",
        "2023,region,abai,,2,72.73,110,100.00,,,0.00,",
        "2023,region,ulytau,,,,20,100.00,,,0.00,fewer than 100 records",
        "2023,office,astana_office,,1,73.57,150,80.00,,10.00,40.00,",
        "2023,provider,minjust,,1,74.90,280,89.29,,10.00,21.43,",
        "2023,sector,registration,,1,74.90,280,89.29,,10.00,21.43,",
        "2023,recipient,individual,,1,74.90,280,89.29,,10.00,21.43,",
    ] {
        assert!(csv.lines().any(|l| l == row), "{row} not in\n{csv}");
    }
    let table = b.ok(&["services", "ratings", "--year", "2023", "--by", "region"]);
    assert!(table.contains("Rating by region (2023)"), "{table}");
    assert!(table.contains("not rated: under 100 records"), "{table}");
    assert!(!table.contains("Rating by provider"), "{table}");
    let r = b.run(&["services", "ratings", "--year", "2023", "--by", "channel"]);
    assert_ne!(r.code, 0);
    assert!(
        r.stderr
            .contains("--by channel: one of all, provider, sector, region, office, recipient"),
        "{}",
        r.stderr
    );
    let r = b.run(&["services", "ratings", "--year", "2023", "--published"]);
    assert_ne!(r.code, 0);
    assert!(
        r.stderr.contains("no ratings of 2023 are published"),
        "{}",
        r.stderr
    );

    // Published once; the same ratings again change nothing.
    let out = b.ok(&["services", "publish-ratings", "--year", "2023"]);
    assert!(
        out.contains("Published the ratings of 2023, version 1"),
        "{out}"
    );
    assert!(
        !out.contains("DEMONSTRATION"),
        "imported records and register: {out}"
    );
    let out = b.ok(&["services", "publish-ratings", "--year", "2023"]);
    assert!(out.contains("unchanged: version 1"), "{out}");

    // A late record of Abai arrives: a correction needs its reason.
    b.write(
        "august.csv",
        &format!("{header}birth,minjust,abai,abai_office,psc,individual,2023-08-01 10:00,2023-08-01 15:00,\n"),
    );
    b.ok(&["services", "import", "august.csv"]);
    let r = b.run(&["services", "publish-ratings", "--year", "2023"]);
    assert_ne!(r.code, 0);
    assert!(
        r.stderr.contains(
            "published already (version 1): a new version corrects it and needs its reason: say why with --reason"
        ),
        "{}",
        r.stderr
    );
    let out = b.ok(&[
        "services",
        "publish-ratings",
        "--year",
        "2023",
        "--reason",
        "August records imported",
    ]);
    assert!(out.contains("version 2"), "{out}");
    let r = b.run(&[
        "services",
        "ratings",
        "--year",
        "2023",
        "--published",
        "--by",
        "region",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("version 2 published"), "{}", r.stderr);
    let published: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let abai = &published["dimensions"][0]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["value"] == "abai")
        .unwrap()
        .clone();
    // 110 of 111 on time: (0.4·99.099 + 0.15·0) / 0.55 = 72.07
    assert_eq!(abai["records"], 111);
    assert_eq!(abai["score"], 72.07);
    let audit = b.ok(&["audit", "verify"]);
    assert!(audit.starts_with("Audit trail intact"), "{audit}");
}

#[test]
fn monitoring_organisations_are_registered_accredited_and_revoked() {
    let b = Bagalau::init();
    assert!(
        b.ok(&["monitoring", "organisations"])
            .contains("No monitoring organisations.")
    );
    let names = [
        "--name-kk",
        "Адал мониторинг",
        "--name-ru",
        "Адал мониторинг",
        "--name-en",
        "Adal Monitoring",
    ];
    let mut register = vec!["monitoring", "register", "--id", "adal_monitoring"];
    register.extend(names);
    register.extend([
        "--accredited-by",
        "Ministry of Culture and Information, order 12",
        "--from",
        "2020-01-01",
        "--until",
        "2099-12-31",
    ]);
    let out = b.ok(&register);
    assert!(out.contains("Registered `adal_monitoring`"), "{out}");
    let list = b.ok(&["monitoring", "organisations"]);
    assert!(
        list.contains("adal_monitoring")
            && list.contains("Adal Monitoring — accredited by Ministry of Culture and Information, order 12 from 2020-01-01 until 2099-12-31"),
        "{list}"
    );
    // An id its monitors' role could not carry is refused, and nothing is written.
    let mut bad = vec!["monitoring", "register", "--id", "Adal Monitoring"];
    bad.extend(names);
    let r = b.run(&bad);
    assert_ne!(r.code, 0, "{}", r.stdout);
    assert_eq!(b.ok(&["monitoring", "organisations"]), list);

    let out = b.ok(&[
        "monitoring",
        "revoke",
        "--id",
        "adal_monitoring",
        "--on",
        "2021-01-01",
        "--reason",
        "reports not based on observation",
    ]);
    assert!(
        out.contains("The accreditation of `adal_monitoring` is revoked from 2021-01-01."),
        "{out}"
    );
    let list = b.ok(&["monitoring", "organisations"]);
    assert!(
        list.contains("NOT accredited today;")
            && list.contains("revoked on 2021-01-01 (reports not based on observation)"),
        "{list}"
    );
    let r = b.run(&[
        "monitoring",
        "revoke",
        "--id",
        "nobody",
        "--on",
        "2021-01-01",
        "--reason",
        "x",
    ]);
    assert_ne!(r.code, 0);
    assert!(
        r.stderr.contains("no monitoring organisation `nobody`"),
        "{}",
        r.stderr
    );
    assert!(
        b.ok(&["monitoring", "projects"])
            .contains("No monitoring projects.")
    );
    let r = b.run(&["monitoring", "export", "--project", "7"]);
    assert_ne!(r.code, 0);
    assert!(
        r.stderr.contains("no monitoring project #7"),
        "{}",
        r.stderr
    );
    let audit = b.ok(&["audit", "verify"]);
    assert!(audit.starts_with("Audit trail intact"), "{audit}");
}

#[test]
fn calendar_additions_judge_deadlines_that_run_into_an_unknown_year() {
    let b = Bagalau::init();
    b.write("register.csv", SERVICE_REGISTER);
    // The land service has 20 working days. Requested on 10 December 2026,
    // its deadline runs into 2027, whose Kurban Ait this release does not know.
    b.write(
        "late-2026.csv",
        "service,provider,region,office,channel,recipient,requested_at,delivered_at,extra_documents
land,akimat,almaty,akimat_almaty,body,individual,2026-11-02 10:00,2026-11-20 10:00,
land,akimat,almaty,akimat_almaty,body,individual,2026-12-10 10:00,2027-01-05 10:00,
land,akimat,almaty,akimat_almaty,body,individual,2026-12-10 10:00,2027-01-14 10:00,
",
    );
    b.ok(&["services", "import", "late-2026.csv"]);
    let land = |r: &Run| -> serde_json::Value {
        assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
        let rows: Vec<serde_json::Value> = serde_json::from_str(&r.stdout).unwrap();
        rows.into_iter().find(|r| r["service"] == "land").unwrap()
    };
    let args = [
        "services",
        "indicators",
        "--year",
        "2026",
        "--register",
        "register.csv",
        "--by",
        "service",
        "--format",
        "json",
    ];
    let r = b.run(&args);
    let counts = land(&r);
    assert!(
        r.stderr
            .contains("no date of `Kurban Ait` is known for 2027")
            && r.stderr
                .contains("deadlines of 2026 that run into 2027 are neither on time nor late")
            && r.stderr.contains("bagalau services calendar-import FILE"),
        "{}",
        r.stderr
    );
    assert_eq!(
        (counts["on_time"].as_u64(), counts["violations"].as_u64()),
        (Some(1), Some(0))
    );
    let r = b.run(&["services", "calendar", "--year", "2027"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("no date of `Kurban Ait` is known for 2027")
            && r.stderr.contains(
                "in calendar additions imported with `bagalau services calendar-import FILE`"
            ),
        "{}",
        r.stderr
    );

    // The date announced, kept in the database from a file of additions:
    // the deadline ends on Wednesday 13 January 2027 (16 December, 1, 2
    // (carried to 4) and 7 January are days off), so the first is on time
    // and the second late.
    b.write(
        "additions.toml",
        "[[movable]]\nname = \"Kurban Ait\"\ndates = [\"2027-05-17\"]  # a test date\n",
    );
    let kept = b.ok(&["services", "calendar-import", "additions.toml"]);
    assert!(
        kept.contains("calendar additions kept in the database"),
        "{kept}"
    );
    let entries = b.ok(&["audit", "log", "--entity", "calendar_additions"]);
    assert!(entries.contains("calendar_additions"), "{entries}");
    let with_additions = |args: &[&str]| b.run(args);
    let r = with_additions(&args);
    let counts = land(&r);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    // The calendar changed, so no month comes from the cache.
    assert!(
        r.stderr.contains("2 counted now, 0 from the cache"),
        "{}",
        r.stderr
    );
    assert_eq!(
        (counts["on_time"].as_u64(), counts["violations"].as_u64()),
        (Some(2), Some(1))
    );
    let r = with_additions(&["services", "calendar", "--year", "2027", "--format", "csv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("2027-01-04,Mon,false,New Year (carried over from a weekend)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("2027-05-17,Mon,false,Kurban Ait"),
        "{}",
        r.stdout
    );

    // A bad file of additions is named and refused; the kept ones stay.
    b.write(
        "bad-additions.toml",
        "[[transfer]]\nworks = \"2027-01-06\"\nrests = \"2027-01-08\"\nsource = \"x\"\n",
    );
    let r = b.run(&["services", "calendar-import", "bad-additions.toml"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("bad-additions.toml") && r.stderr.contains("2027-01-06"),
        "{}",
        r.stderr
    );
    let r = with_additions(&["services", "calendar", "--year", "2027", "--format", "csv"]);
    assert!(
        r.stdout.contains("2027-05-17,Mon,false,Kurban Ait"),
        "{}",
        r.stdout
    );

    // The old setting is refused with what to do instead, not ignored.
    let r = Bagalau::output(
        b.command(&["services", "calendar", "--year", "2027"])
            .env("BAGALAU_SERVICES__CALENDAR", b.path("additions.toml"))
            .output()
            .unwrap(),
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("services.calendar")
            && r.stderr.contains("bagalau services calendar-import"),
        "{}",
        r.stderr
    );
}

/// Runs SQL on the demo database as its administrator would, behind
/// Bagalau's back.
fn as_database_administrator(b: &Bagalau, statements: Vec<(String, Vec<String>)>) {
    use sqlx::{AnyConnection, Connection};
    let url = format!("sqlite://{}", b.path("bagalau.db").display());
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        sqlx::any::install_default_drivers();
        let mut raw = AnyConnection::connect(&url).await.unwrap();
        for (sql, binds) in statements {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for v in binds {
                q = q.bind(v);
            }
            q.execute(&mut raw).await.unwrap();
        }
        raw.close().await.unwrap();
    });
}

fn audit_entries(b: &Bagalau) -> Vec<bagalau_core::audit::Entry> {
    use bagalau_store::Store;
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = bagalau_store::AnyStore::open(&b.path("bagalau.db").display().to_string())
            .await
            .unwrap();
        let entries = store.audit_entries().await.unwrap();
        store.close().await;
        entries
    })
}

const VIOLATIONS: &str = "2022/minfin/bl_violations";

#[test]
fn signed_checkpoints_catch_the_database_administrator() {
    use bagalau_core::audit::{Change, chain, entry_hash};
    let b = Bagalau::demo();
    assert!(
        b.path("audit.key").exists(),
        "the demo signs its trail with a key of its own"
    );
    let out = b.ok(&["audit", "verify"]);
    assert!(
        out.contains("checkpoint(s) signed by the log's key"),
        "{out}"
    );
    b.ok(&["audit", "checkpoint", "--out", "kept.txt"]);
    let kept = std::fs::read_to_string(b.path("kept.txt")).unwrap();
    assert!(kept.starts_with("demo.bagalau.invalid/audit\n"), "{kept}");
    let proof = b.ok(&["audit", "prove", "--entry", "3", "--checkpoint", "kept.txt"]);
    assert!(
        proof.contains("Entry 3 (") && proof.contains("Inclusion proof ("),
        "{proof}"
    );

    // The issue's insider: bl_violations of minfin from 4 to 0, and a
    // correctly chained entry appended in the reporter's name.
    let mut forged = Bagalau::new();
    copy_tree(b.dir.path(), forged.dir.path());
    forged.token = b.token.clone();
    let entries = audit_entries(&forged);
    let last = entries.last().unwrap();
    let old = entries
        .iter()
        .rev()
        .find(|e| e.entity == "value" && e.key == VIOLATIONS)
        .unwrap()
        .new
        .clone()
        .unwrap();
    let new = format!("value=0.0;{}", old.split_once(';').unwrap().1);
    let e = chain(
        vec![Change {
            entity: "value",
            key: VIOLATIONS.into(),
            old: Some(old),
            new: Some(new),
        }],
        (&last.hash, last.seq),
        &last.at,
        "api:reporter-minfin",
        None,
    )
    .remove(0);
    as_database_administrator(
        &forged,
        vec![
            ("UPDATE reporting_values SET value = 0 WHERE year = 2022 AND body_id = 'minfin' AND indicator_id = 'bl_violations'".into(), vec![]),
            (
                format!(
                    "INSERT INTO audit_log (seq, at, actor, action, entity, key, old_content, new_content, prev, hash) VALUES ({}, $1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    e.seq
                ),
                vec![e.at, e.actor, e.action, e.entity, e.key, e.old.unwrap(), e.new.unwrap(), e.prev, e.hash],
            ),
        ],
    );
    let r = forged.run(&["audit", "verify"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stderr
            .contains(&format!("audit entry {} was not written by Bagalau", e.seq)),
        "{}",
        r.stderr
    );

    // A rewrite of history: an early value changed, every later entry
    // re-chained, the stored checkpoints and tree deleted. The checkpoint
    // kept outside shows it.
    let mut rewritten = Bagalau::new();
    copy_tree(b.dir.path(), rewritten.dir.path());
    rewritten.token = b.token.clone();
    let mut entries = audit_entries(&rewritten);
    let at = entries
        .iter()
        .position(|e| e.entity == "value" && e.key == VIOLATIONS)
        .unwrap();
    entries[at].new = Some(format!(
        "value=0.0;{}",
        entries[at]
            .new
            .as_deref()
            .unwrap()
            .split_once(';')
            .unwrap()
            .1
    ));
    let mut statements = vec![
        ("DELETE FROM audit_checkpoints".to_string(), vec![]),
        ("DELETE FROM audit_tree".to_string(), vec![]),
        ("UPDATE reporting_values SET value = 0 WHERE year = 2022 AND body_id = 'minfin' AND indicator_id = 'bl_violations'".into(), vec![]),
    ];
    let mut prev = entries[at - 1].hash.clone();
    for e in &mut entries[at..] {
        e.prev = prev;
        e.hash = entry_hash(e);
        prev = e.hash.clone();
        statements.push((
            format!(
                "UPDATE audit_log SET new_content = $1, prev = $2, hash = $3 WHERE seq = {}",
                e.seq
            ),
            vec![
                e.new.clone().unwrap_or_default(),
                e.prev.clone(),
                e.hash.clone(),
            ],
        ));
    }
    // A later entry may carry the value as its old content: keep it consistent too.
    as_database_administrator(&rewritten, statements);
    let r = rewritten.run(&["audit", "verify"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stderr
            .contains("the audit key is configured, and the trail has no checkpoint"),
        "{}",
        r.stderr
    );
    let r = rewritten.run(&["audit", "verify", "--checkpoint", "kept.txt"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stderr
            .contains("the audit trail was rewritten: its first"),
        "{}",
        r.stderr
    );

    // An auditor without the private key checks with the public one.
    let public = b.ok(&[
        "audit",
        "keygen",
        "--origin",
        "x.invalid/audit",
        "--out",
        "other.key",
    ]);
    assert!(public.contains("x.invalid/audit+"), "{public}");
    let r = b.run(&[
        "audit",
        "keygen",
        "--origin",
        "x.invalid/audit",
        "--out",
        "other.key",
    ]);
    assert_ne!(r.code, 0, "an existing key is never replaced");
}

#[test]
fn the_command_line_acts_as_an_account_never_as_user() {
    let b = Bagalau::new();
    // No database is made by a command that needs one.
    let r = b.run(&["assess", "--year", "2022"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("no database at")
            && r.stderr.contains("bagalau init --administrator NAME"),
        "{}",
        r.stderr
    );
    assert!(!b.path("bagalau.db").exists());
    // Without an account only the bootstrap runs.
    let other = ["--db", "other.db"];
    let r = b.run(&[&other[..], &["init", "--administrator", "x"]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = b.run(&[&other[..], &["logout"]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    for args in [&["registry", "list"][..], &["import", "registry", "x.toml"]] {
        let mut c = b.command(&[&other[..], args].concat());
        c.env("USER", "commission-chair");
        let r = Bagalau::output(c.output().unwrap());
        assert!(
            r.stderr.contains("no account: sign in to") && r.stderr.contains("bagalau login NAME"),
            "{}",
            r.stderr
        );
    }

    // The first administrator: the one write without an account.
    let r = b.run_with_input(
        &["init", "--administrator", "admin", "--password-stdin"],
        "correct horse battery staple\n",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("Account `admin`: administrator."),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("Signed in to"), "{}", r.stdout);
    let entries = audit_entries(&b);
    assert!(
        entries
            .iter()
            .any(|e| e.actor == "bootstrap" && e.entity == "user" && e.key == "admin"),
        "{entries:?}"
    );
    assert!(b.ok(&["whoami"]).starts_with("admin (administrator) in "));
    let again = b.run(&["init", "--administrator", "other"]);
    assert!(
        again.stderr.contains("the database has accounts already"),
        "{}",
        again.stderr
    );

    // An administrator keeps accounts but does not run the assessment.
    let before = audit_entries(&b).len();
    let r = b.run(&[
        "import",
        "registry",
        repo_file("data/registry/kz.toml").to_str().unwrap(),
    ]);
    assert!(
        r.stderr
            .contains("`admin` has no role that may replace the registry of bodies"),
        "{}",
        r.stderr
    );
    assert_eq!(audit_entries(&b).len(), before, "refused: nothing written");
    let r = b.run_with_input(
        &[
            "user",
            "add",
            "aliya",
            "--role",
            "coordinator",
            "--password-stdin",
        ],
        "aliya's long password\n",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);

    // Signing in as another account, with a wrong password and a right one.
    let wrong = b.run_with_input(&["login", "aliya", "--password-stdin"], "guess\n");
    assert!(
        wrong.stderr.contains("wrong account name or password"),
        "{}",
        wrong.stderr
    );
    assert!(
        b.ok(&["whoami"]).starts_with("admin "),
        "the old sign-in stays"
    );
    let r = b.run_with_input(
        &["login", "aliya", "--password-stdin"],
        "aliya's long password\n",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(b.ok(&["whoami"]).starts_with("aliya (coordinator)"));
    b.ok(&[
        "import",
        "registry",
        repo_file("data/registry/kz.toml").to_str().unwrap(),
    ]);
    let entries = audit_entries(&b);
    assert!(
        entries
            .iter()
            .any(|e| e.actor == "cli:aliya" && e.entity == "registry"),
        "the write is the account's"
    );
    assert!(!entries.iter().any(|e| e.actor.contains("commission-chair")));
    let r = b.run(&["user", "list"]);
    assert!(
        r.stderr
            .contains("`aliya` has no role that may keep the accounts"),
        "{}",
        r.stderr
    );

    // Signing out revokes the token; a token given in BAGALAU_TOKEN must work.
    let token = b.kept_token();
    assert!(b.ok(&["logout"]).contains("Signed out of"));
    let r = b.run(&["whoami"]);
    assert!(r.stderr.contains("no account"), "{}", r.stderr);
    let mut c = b.command(&["whoami"]);
    c.env("BAGALAU_TOKEN", &token);
    let r = Bagalau::output(c.output().unwrap());
    assert!(
        r.stderr.contains("unknown, expired or revoked"),
        "{}",
        r.stderr
    );
}

#[test]
fn user_set_to_the_chair_publishes_nothing() {
    let b = Bagalau::demo();
    let versions = b.ok(&["published", "--year", "2023"]);
    let before = audit_entries(&b).len();
    // The shell's user is no identity.
    let mut c = b.command(&["publish", "--year", "2023"]);
    c.env_remove("BAGALAU_TOKEN")
        .env("USER", "commission-chair");
    let r = Bagalau::output(c.output().unwrap());
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("no account"), "{}", r.stderr);
    // A coordinator may publish earlier years, not a cycle's: that is the
    // commission's approval.
    let r = b.run(&["--reason", "a correction", "publish", "--year", "2023"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            "2023 is assessed in a cycle: its results are published by the commission's approval"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(
        audit_entries(&b).len(),
        before,
        "nothing refused writes anything"
    );
    assert_eq!(b.ok(&["published", "--year", "2023"]), versions);
    // The demo's operator signed the command line in.
    assert!(
        b.ok(&["whoami"])
            .starts_with("operator (administrator, analyst, coordinator, methodologist)")
    );
}

#[test]
fn an_approved_year_and_its_adopted_methodology_are_locked() {
    let b = Bagalau::demo();
    let before = audit_entries(&b).len();
    // The demo's commission approved 2023.
    let pack =
        std::fs::read_to_string(repo_file("data/methodology/kz-operational-2023.toml")).unwrap();
    let changed = b.write(
        "changed-2023.toml",
        &pack.replacen("methodology for 2023", "methodology for 2023, revised", 1),
    );
    let r = b.run(&["import", "pack", changed.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("the 2023 cycle runs on its adopted methodology: the pack is not replaced"),
        "{}",
        r.stderr
    );
    let data = b.write(
        "late.csv",
        "year,body_id,indicator_id,value\n2023,minfin,bl_violations,777\n",
    );
    let r = b.run(&["import", "data", data.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("the commission approved 2023: its data and its cycle are locked")
            && r.stderr.contains("nothing was imported"),
        "{}",
        r.stderr
    );
    let calendar = b.write(
        "cal.toml",
        "submission = 2030-02-15\nverification = 2030-03-15\npreliminary = 2030-04-15\nobjections = 2030-05-01\nfinal = 2030-06-01\ncommission = 2030-07-01\n",
    );
    let r = b.run(&[
        "--reason",
        "reopen",
        "cycle",
        "open",
        "--year",
        "2023",
        "--calendar",
        calendar.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("the commission approved 2023"),
        "{}",
        r.stderr
    );
    assert_eq!(
        audit_entries(&b).len(),
        before,
        "nothing refused writes anything"
    );
    // The approved values themselves, read back from its template, change nothing.
    b.ok(&["template", "--year", "2023", "--body", "minfin"]);
    let same = b.ok(&["import", "xlsx", "minfin-2023.xlsx"]);
    assert!(
        same.starts_with("Imported from Excel: 0 new, 0 changed, "),
        "{same}"
    );
    // The same pack again is no change; an earlier year, published outside
    // a cycle, still takes data and a corrected pack.
    b.ok(&[
        "import",
        "pack",
        repo_file("data/methodology/kz-operational-2023.toml")
            .to_str()
            .unwrap(),
    ]);
    let data = b.write(
        "earlier.csv",
        "year,body_id,indicator_id,value\n2022,minfin,bl_violations,0\n",
    );
    b.ok(&["import", "data", data.to_str().unwrap()]);
    let pack =
        std::fs::read_to_string(repo_file("data/methodology/kz-operational-2022.toml")).unwrap();
    let corrected = b.write(
        "corrected-2022.toml",
        &pack.replacen("methodology for 2022", "methodology for 2022, corrected", 1),
    );
    let r = b.run(&["import", "pack", corrected.to_str().unwrap()]);
    assert!(
        r.stderr
            .contains("2022 was published as version 1; a correction needs its reason"),
        "{}",
        r.stderr
    );
    b.ok(&[
        "--reason",
        "the decree's corrected title",
        "import",
        "pack",
        corrected.to_str().unwrap(),
    ]);
}

#[test]
fn a_new_password_and_a_disabled_account_end_its_sessions() {
    let b = Bagalau::init();
    let add = |password: &str| {
        let r = b.run_with_input(
            &[
                "user",
                "add",
                "aliya",
                "--role",
                "coordinator",
                "--password-stdin",
            ],
            &format!("{password}\n"),
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
    };
    let token = || {
        let out = b.ok(&["user", "token", "aliya", "--label", "script"]);
        out.lines().last().unwrap().to_string()
    };
    let whoami_with = |token: &str| b.run_as(token, &["whoami"]);
    add("the first long password");
    let first = token();
    assert!(
        whoami_with(&first)
            .stdout
            .starts_with("aliya (coordinator)")
    );
    // A new password revokes every token and session of the account.
    add("the second long password");
    assert!(
        whoami_with(&first)
            .stderr
            .contains("unknown, expired or revoked")
    );
    let second = token();
    assert!(whoami_with(&second).stdout.starts_with("aliya "));
    // Disabled: its tokens go, it signs in nowhere, and says so in the list.
    let out = b.ok(&["user", "disable", "aliya"]);
    assert!(out.contains("Account `aliya` is disabled since"), "{out}");
    assert!(
        whoami_with(&second)
            .stderr
            .contains("unknown, expired or revoked")
    );
    let login = b.run_with_input(
        &["login", "aliya", "--password-stdin"],
        "the second long password\n",
    );
    assert!(
        login.stderr.contains("wrong account name or password"),
        "{}",
        login.stderr
    );
    assert!(b.ok(&["user", "list"]).contains("; DISABLED"));
    let own = b.run(&["user", "disable", "operator"]);
    assert!(
        own.stderr
            .contains("an administrator does not disable their own account"),
        "{}",
        own.stderr
    );
    // Enabled again, it signs in; anyone may revoke their own sessions.
    b.ok(&["user", "enable", "aliya"]);
    let login = b.run_with_input(
        &["login", "aliya", "--password-stdin"],
        "the second long password\n",
    );
    assert_eq!(login.code, 0, "{}", login.stderr);
    assert!(b.ok(&["whoami"]).starts_with("aliya "));
    assert_eq!(
        b.ok(&["user", "revoke", "aliya"]).trim(),
        "Revoked 1 token(s) of `aliya`."
    );
    assert!(
        b.run(&["whoami"])
            .stderr
            .contains("unknown, expired or revoked")
    );
    let entries = audit_entries(&b);
    assert!(
        entries.iter().any(|e| e.actor == "cli:operator"
            && e.entity == "user"
            && e.key == "aliya"
            && e.new.as_deref().is_some_and(|n| n.contains("; disabled="))),
        "the disabling is audited as the administrator's"
    );
}

#[test]
fn a_methodology_is_a_draft_until_adopted() {
    let b = Bagalau::init();
    b.ok(&[
        "import",
        "registry",
        repo_file("data/registry/kz.toml").to_str().unwrap(),
    ]);
    let out = b.ok(&[
        "import",
        "pack",
        repo_file("data/methodology/kz-operational-2022.toml")
            .to_str()
            .unwrap(),
    ]);
    assert!(
        out.contains("is a draft until a methodologist adopts it"),
        "{out}"
    );
    let calendar = b.write(
        "cal.toml",
        "submission = 2030-02-15\nverification = 2030-03-15\npreliminary = 2030-04-15\nobjections = 2030-05-01\nfinal = 2030-06-01\ncommission = 2030-07-01\n",
    );
    let open = ["cycle", "open", "--year", "2022", "--calendar", "cal.toml"];
    let r = b.run(&open);
    assert!(
        r.stderr.contains("the 2022 methodology is a draft"),
        "{}",
        r.stderr
    );
    assert!(calendar.exists());
    // Only a methodologist adopts.
    let watcher = b.account("watcher", &["monitor"]);
    let diff_as_watcher = || b.run_as(&watcher, &["methodology", "diff", "2022", "2022"]);
    let r = diff_as_watcher();
    assert!(
        r.stderr.contains("no public methodology for 2022"),
        "a draft is not shown: {}",
        r.stderr
    );
    b.ok(&["methodology", "diff", "2022", "2022"]);
    let clerk = b.account("clerk", &["coordinator"]);
    let r = b.run_as(&clerk, &["methodology", "adopt", "--year", "2022"]);
    assert!(
        r.stderr
            .contains("`clerk` has no role that may import methodology or performance packs"),
        "{}",
        r.stderr
    );
    assert!(
        b.ok(&["methodology", "adopt", "--year", "2022"])
            .contains("The 2022 methodology is adopted")
    );
    assert!(
        b.ok(&["methodology", "adopt", "--year", "2022"])
            .contains("was adopted already")
    );
    b.ok(&open);
    assert_eq!(diff_as_watcher().code, 0, "adopted, it is public");
    let log = b.ok(&["audit", "log", "--entity", "adoption"]);
    assert!(
        log.contains("cli:operator") && log.contains("adopted sha256="),
        "{log}"
    );
    assert!(b.ok(&["audit", "verify"]).starts_with("Audit trail intact"));
}

#[test]
fn an_importer_brings_its_own_providers_records_only() {
    let b = Bagalau::init();
    b.ok(&[
        "import",
        "registry",
        repo_file("data/registry/kz.toml").to_str().unwrap(),
    ]);
    let token = b.account("justice-clerk", &["importer:moj"]);
    let as_clerk = |args: &[&str]| b.run_as(&token, args);
    b.write(
        "july.csv",
        "service,provider,region,office,channel,recipient,requested_at,delivered_at,extra_documents
birth,moj,astana,psc_astana_1,psc,individual,2023-07-03 10:00,2023-07-03 11:30,
land,akimat,almaty,akimat_almaty,body,individual,2023-07-03 10:00,2023-07-04 10:00,
",
    );
    let r = as_clerk(&["services", "import", "july.csv"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            "july.csv: line 3, column `provider`: `akimat` is not a provider this account imports for (moj)"
        ),
        "{}",
        r.stderr
    );
    assert!(!b.path("services/deliveries/year=2023").exists());
    b.write(
        "own.csv",
        "service,provider,region,office,channel,recipient,requested_at,delivered_at,extra_documents
birth,moj,astana,psc_astana_1,psc,individual,2023-07-03 10:00,2023-07-03 11:30,
",
    );
    let r = as_clerk(&["services", "import", "own.csv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The importer reads no figures and imports nothing else.
    let r = as_clerk(&["services", "indicators", "--year", "2023"]);
    assert!(
        r.stderr.contains(
            "`justice-clerk` has no role that may read unpublished public-service figures"
        ),
        "{}",
        r.stderr
    );
    let r = as_clerk(&["services", "register-import", "register.csv"]);
    assert!(
        r.stderr
            .contains("`justice-clerk` has no role that may import public-service data"),
        "{}",
        r.stderr
    );
    // Complaints too: only its own body's.
    let complaints = std::fs::read_to_string(repo_file(
        "crates/bagalau-services/tests/fixtures/citizens/complaints.csv",
    ))
    .unwrap();
    b.write("complaints.csv", &complaints);
    let r = as_clerk(&["complaints", "import", "complaints.csv"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("complaints.csv: records of ")
            && r.stderr.contains("this account imports only moj's"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_approved_year_is_corrected_by_its_own_procedure() {
    let b = Bagalau::demo();
    let change = b.write(
        "change.csv",
        "year,body_id,indicator_id,value\n2023,minfin,bl_violations,777\n",
    );
    let import = ["import", "data", change.to_str().unwrap()];
    let r = b.run(&["correction", "request", "--year", "2023"]);
    assert!(
        r.stderr.contains("a correction needs its reason"),
        "{}",
        r.stderr
    );
    let asked = b.ok(&[
        "--reason",
        "the violations of minfin were miscounted",
        "correction",
        "request",
        "--year",
        "2023",
    ]);
    assert!(
        asked.starts_with("Correction 1 of 2023 requested"),
        "{asked}"
    );
    let r = b.run(&[
        "--reason",
        "again",
        "correction",
        "request",
        "--year",
        "2023",
    ]);
    assert!(
        r.stderr.contains("a correction of 2023 is open already"),
        "{}",
        r.stderr
    );
    // Asked is not decided: the year stays locked.
    assert!(
        b.run(&import)
            .stderr
            .contains("the commission approved 2023")
    );
    let r = b.run(&[
        "--reason",
        "fine",
        "correction",
        "decide",
        "--year",
        "2023",
        "--id",
        "1",
        "--accept",
    ]);
    assert!(
        r.stderr.contains("operator is not a commission member"),
        "{}",
        r.stderr
    );
    let chair = b.account("chair", &["commission"]);
    let decided = b.run_as(
        &chair,
        &[
            "--reason",
            "the audit chamber's act shows 7",
            "correction",
            "decide",
            "--year",
            "2023",
            "--id",
            "1",
            "--accept",
        ],
    );
    assert!(
        decided.stdout.contains("Correction 1 of 2023 accepted"),
        "{}{}",
        decided.stdout,
        decided.stderr
    );
    // Accepted: the data may change, the cycle stays closed.
    b.ok(&import);
    let r = b.run(&[
        "--reason",
        "x",
        "cycle",
        "open",
        "--year",
        "2023",
        "--calendar",
        "c.toml",
    ]);
    assert_ne!(r.code, 0);
    let r = b.run(&["cycle", "approve", "--year", "2023"]);
    assert!(
        r.stderr.contains("operator is not a commission member"),
        "{}",
        r.stderr
    );
    let approved = b.run_as(&chair, &["cycle", "approve", "--year", "2023"]);
    assert!(
        approved
            .stdout
            .contains("Approved: 2023 published as version 2")
            && approved.stdout.contains("Changes against version 1: "),
        "{}{}",
        approved.stdout,
        approved.stderr
    );
    let versions = b.ok(&["published", "--year", "2023"]);
    assert!(
        versions.contains("2023 version 2")
            && versions.contains("because: the violations of minfin were miscounted"),
        "{versions}"
    );
    // Published, the correction is closed and the year locked again.
    let list = b.ok(&["correction", "list", "--year", "2023"]);
    assert!(
        list.contains("#1 2023 [published] asked by operator")
            && list.contains("decided by chair: the audit chamber's act shows 7")
            && list.contains("published as version 2"),
        "{list}"
    );
    let again = b.write(
        "again.csv",
        "year,body_id,indicator_id,value\n2023,minfin,bl_violations,778\n",
    );
    assert!(
        b.run(&["import", "data", again.to_str().unwrap()])
            .stderr
            .contains("the commission approved 2023")
    );
    assert!(b.ok(&["audit", "verify"]).starts_with("Audit trail intact"));
}

/// What a database holds of the imports below, front end aside: the
/// registry, the packs, the values, the complaints, the calendar additions,
/// and each audit entry's action, entity, key and content (not who or when:
/// `cli:operator` and `api:operator` at different times).
fn imported_state(db: &Path) -> Vec<String> {
    use bagalau_store::{Family, Store};
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = bagalau_store::AnyStore::open(&db.display().to_string())
            .await
            .unwrap();
        let mut state: Vec<String> = store
            .audit_records()
            .await
            .unwrap()
            .into_iter()
            .filter(|(entity, _, _)| entity != "user" && entity != "token")
            .map(|r| format!("{r:?}"))
            .collect();
        state.sort();
        for year in store.pack_years().await.unwrap() {
            let pack = store.pack(year).await.unwrap().unwrap();
            state.push(format!("pack {year} {}", pack.methodology.content_hash));
            state.push(format!("{:?}", store.year_data(year).await.unwrap()));
        }
        for r in store.kept_records(Family::Complaint, None).await.unwrap() {
            state.push(format!("{r:?}"));
        }
        state.push(format!(
            "{:?}",
            store
                .calendar_additions()
                .await
                .unwrap()
                .map(|c| (c.file_name, c.text))
        ));
        for e in store.audit_entries().await.unwrap() {
            if e.entity != "token" && e.entity != "user" {
                state.push(format!(
                    "{} {} {} {:?} {:?}",
                    e.action, e.entity, e.key, e.old, e.new
                ));
            }
        }
        store.close().await;
        state
    })
}

#[test]
fn the_same_imports_through_the_command_line_and_the_api_leave_the_same_state() {
    let registry = std::fs::read_to_string(repo_file("data/registry/kz.toml")).unwrap();
    let pack =
        std::fs::read_to_string(repo_file("data/methodology/kz-operational-2022.toml")).unwrap();
    let data = "year,body_id,indicator_id,value,note\n2022,minfin,bp_spent,1843000000,\n2022,minfin,bp_plan,1900000000,as planned\n";
    let complaints = "id,body,kind,received,due,answered,outcome,substantiated,repeated,court_case,court_justified\n\
                      C-1,minfin,complaint,2023-03-03,,2023-03-20,satisfied,1,0,0,\n";
    let additions = "[[movable]]\nname = \"Kurban Ait\"\ndates = [\"2027-05-17\"]\n";
    let files = [
        ("kz.toml", registry.as_str()),
        ("pack-2022.toml", pack.as_str()),
        ("march.csv", data),
        ("complaints.csv", complaints),
        ("additions.toml", additions),
    ];

    let cli = Bagalau::init();
    for (name, text) in files {
        cli.write(name, text);
    }
    cli.ok(&["import", "registry", "kz.toml"]);
    cli.ok(&["import", "pack", "pack-2022.toml"]);
    cli.ok(&["import", "data", "march.csv"]);
    cli.ok(&["complaints", "import", "complaints.csv"]);
    cli.ok(&["services", "calendar-import", "additions.toml"]);

    let api = Bagalau::init();
    let token = api.kept_token();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = bagalau_store::AnyStore::open(&api.path("bagalau.db").display().to_string())
            .await
            .unwrap();
        let state = bagalau_web::AppState {
            records: bagalau_web::no_records(),
            store: store.clone(),
            files: bagalau_store::files::FileStore::open(api.path("evidence"), 1024).unwrap(),
            clock: std::sync::Arc::new(|| chrono::Utc::now().to_rfc3339()),
        };
        let file = |name: &str| {
            let text = files.iter().find(|(n, _)| *n == name).unwrap().1;
            serde_json::json!({ "name": name, "text": text })
        };
        for (method, path, body) in [
            ("PUT", "/api/v1/registry", file("kz.toml")),
            (
                "POST",
                "/api/v1/methodology/packs",
                serde_json::json!({ "files": [file("pack-2022.toml")] }),
            ),
            (
                "POST",
                "/api/v1/data",
                serde_json::json!({ "files": [file("march.csv")] }),
            ),
            (
                "POST",
                "/api/v1/complaints",
                serde_json::json!({ "files": [file("complaints.csv")] }),
            ),
            ("PUT", "/api/v1/services/calendar", file("additions.toml")),
        ] {
            let api = bagalau_web::InProcess::new(state.clone());
            let (status, answer) = api
                .call(&token, method, path, body.to_string().into_bytes())
                .await
                .unwrap();
            assert_eq!(status, 200, "{method} {path}: {answer}");
        }
        store.close().await;
    });

    let through_cli = imported_state(&cli.path("bagalau.db"));
    let through_api = imported_state(&api.path("bagalau.db"));
    assert!(through_cli.len() > 10, "{through_cli:#?}");
    assert_eq!(through_cli, through_api);
}

/// The command line's writes for every account of the test kit, on the
/// state the test kit prepares (the rows the API's matrix,
/// crates/bagalau-web/tests/fixtures/authorization.txt, has for the same
/// use cases): who may, and that nobody else changes anything.
#[test]
fn the_command_line_lets_the_same_accounts_write_as_the_api() {
    use bagalau_core::recommendation::RecommendationState;
    use bagalau_testkit::{ACCOUNTS, TestApp, samples, token};
    let rt = tokio::runtime::Runtime::new().unwrap();
    let template = rt.block_on(
        TestApp::setup()
            .year(2023)
            .year(2022)
            .cycle(2022)
            .approved(2020)
            .approved(2019)
            .with(|b| {
                b.recommendations.extend([
                    (
                        None,
                        samples::recommendation(2022, RecommendationState::Open),
                    ),
                    (
                        None,
                        samples::recommendation(2022, RecommendationState::Reported),
                    ),
                ]);
                b.corrections
                    .push((None, samples::correction_requested(2020)));
            })
            .template(),
    );
    let data_dir = tempfile::tempdir().unwrap();
    let data = data_dir.path().join("march.csv");
    std::fs::write(
        &data,
        "year,body_id,indicator_id,value\n2023,minfin,bp_spent,1\n",
    )
    .unwrap();
    let data = data.to_str().unwrap();
    let rows: [(&[&str], &[&str]); 8] = [
        (&["import", "data", data], &["coordinator"]),
        (&["publish", "--year", "2023"], &["coordinator"]),
        (
            &[
                "--reason",
                "a value was wrong",
                "correction",
                "request",
                "--year",
                "2019",
            ],
            &["coordinator"],
        ),
        (
            &[
                "--reason",
                "it was",
                "correction",
                "decide",
                "--year",
                "2020",
                "--id",
                "1",
                "--accept",
            ],
            &["commission"],
        ),
        (
            &["user", "add", "--role", "monitor", "newcomer"],
            &["admin"],
        ),
        (
            &["recommendation", "report", "--id", "1", "--text", "done"],
            &["reporter_minfin"],
        ),
        (
            &["recommendation", "review", "--id", "2", "--accept"],
            &["coordinator", "assessor"],
        ),
        (
            &[
                "--reason",
                "a second draw",
                "verification",
                "select",
                "--year",
                "2022",
                "--seed",
                "8",
            ],
            &["coordinator"],
        ),
    ];
    let key = data_dir.path().join("audit.key");
    std::fs::write(&key, bagalau_testkit::audit_key()).unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let run_as = |app: &TestApp, args: &[&str], caller: Option<&str>| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_bagalau"));
        command
            .arg("--db")
            .arg(app.path().join("bagalau.db"))
            .args(args)
            .current_dir(app.path())
            .env("XDG_CONFIG_HOME", app.path().join(".config"))
            .env("BAGALAU_AUDIT__KEY", &key)
            .env_remove("BAGALAU_TOKEN")
            .env_remove("BAGALAU_DB");
        if let Some(account) = caller {
            command.env("BAGALAU_TOKEN", token(account));
        }
        Bagalau::output(command.output().unwrap())
    };
    // Refused commands run on one copy, whose trail must not move; each
    // allowed one on its own.
    let shared = rt.block_on(template.open());
    let mut wrong = Vec::new();
    for (args, allowed) in rows {
        let callers = std::iter::once(None).chain(ACCOUNTS.iter().map(|(name, _)| Some(*name)));
        for caller in callers {
            let may = caller.is_some_and(|c| allowed.contains(&c));
            let own = may.then(|| rt.block_on(template.open()));
            let app = own.as_ref().unwrap_or(&shared);
            let before = rt.block_on(app.trail());
            let run = run_as(app, args, caller);
            let wrote = rt.block_on(app.trail()) > before;
            let who = caller.unwrap_or("no account");
            if may && (run.code != 0 || !wrote) {
                wrong.push(format!("{args:?} as {who}: refused: {}", run.stderr));
            }
            if !may && (run.code == 0 || wrote) {
                wrong.push(format!("{args:?} as {who}: done ({}) or wrote", run.code));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
