//! The OpenAPI document checked against the running server by a
//! property-based API tester (schemathesis, from PyPI): thousands of
//! generated requests, valid and invalid, by anonymous callers and by a
//! coordinator: not one answer may be a server error, and every answer's
//! status, content type and body must be those the document gives. Runs when
//! BAGALAU_TEST_SCHEMATHESIS names the `st` program (`.ci/run` installs it).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn bagalau(dir: &std::path::Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_bagalau"));
    c.args(args).current_dir(dir);
    for (k, _) in std::env::vars() {
        if k.starts_with("BAGALAU_") {
            c.env_remove(k);
        }
    }
    // The demo's sign-in is kept in the test's directory: the commands
    // after it act as the demo's operator.
    c.env("XDG_CONFIG_HOME", dir.join(".config"));
    c
}

#[test]
fn generated_requests_get_documented_answers_and_no_server_error() {
    let Ok(st) = std::env::var("BAGALAU_TEST_SCHEMATHESIS") else {
        eprintln!("BAGALAU_TEST_SCHEMATHESIS is not set: the API fuzzing is skipped");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    assert!(
        bagalau(dir.path(), &["demo"])
            .output()
            .unwrap()
            .status
            .success()
    );
    assert!(
        bagalau(
            dir.path(),
            &["user", "add", "fuzzer", "--role", "coordinator"]
        )
        .output()
        .unwrap()
        .status
        .success()
    );
    let out = bagalau(
        dir.path(),
        &["user", "token", "fuzzer", "--label", "schemathesis"],
    )
    .output()
    .unwrap();
    let token = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .trim()
        .to_string();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = bagalau(
        dir.path(),
        &["serve", "--addr", &format!("127.0.0.1:{port}")],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .spawn()
    .unwrap();
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(30));
        std::thread::sleep(Duration::from_millis(100));
    }
    let schema = format!("http://127.0.0.1:{port}/api/v1/openapi.json");
    let runs: [(&str, Vec<String>); 2] = [
        ("anonymous", vec![]),
        (
            "coordinator",
            vec!["-H".into(), format!("Authorization: Bearer {token}")],
        ),
    ];
    for (who, auth) in runs {
        let result = Command::new(&st)
            .args([
                "run",
                &schema,
                "--checks",
                "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
                "--max-examples",
                "25",
                "--seed",
                "2010",
                "--no-color",
            ])
            // Signing out would end the run's own session; signing in is rate-limited by design.
            .args([
                "--exclude-path",
                "/api/v1/logout",
                "--exclude-path",
                "/api/v1/login",
            ])
            // A spreadsheet body schemathesis cannot generate; the Excel tests send real ones.
            .args(["--exclude-path-regex", "/xlsx$"])
            .args(&auth)
            .output()
            .unwrap();
        let report = String::from_utf8_lossy(&result.stdout);
        assert!(
            result.status.success(),
            "{who}: {report}\n{}",
            String::from_utf8_lossy(&result.stderr)
        );
    }
    server.kill().unwrap();
    server.wait().unwrap();
}
