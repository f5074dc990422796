//! Every class of pack error is reported with the file, line, column and
//! what is wrong. Each file in `fixtures/bad_packs` starts with its expected
//! diagnostics as `# error: LINE:COLUMN: message` comment lines.

use bagalau_core::pack;

#[test]
fn bad_pack_fixtures() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/bad_packs");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 12);
    let mut failures = Vec::new();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let expected: Vec<String> = text
            .lines()
            .take_while(|l| l.starts_with('#'))
            .filter_map(|l| l.strip_prefix("# error: "))
            .map(|l| format!("{name}:{l}"))
            .collect();
        assert!(!expected.is_empty(), "{name}: no `# error:` line");
        match pack::load(&name, &text) {
            Ok(_) => failures.push(format!("{name}: loaded without error")),
            Err(diagnostics) => {
                let got: Vec<String> = diagnostics.0.iter().map(ToString::to_string).collect();
                if got != expected {
                    failures.push(format!(
                        "{name}:\n  expected: {expected:#?}\n  got:      {got:#?}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
