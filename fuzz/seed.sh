#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the repository: the shipped data, the
# examples, the tests' fixtures, the regression inputs in
# fuzz/regressions/<target>/, and what seed/ generates with the real
# writers (Excel templates and register workbooks, reporting data,
# series, delivery records, kept survey responses). Each seed is named by
# the SHA-1 of its content, as libFuzzer names what it adds, so running
# this again adds nothing twice. Usage: fuzz/seed.sh
set -euo pipefail
cd "$(dirname "$0")"
root=..
generated=target/seeds

# add TARGET FILE...: copies files into the target's corpus.
add() {
    local target=$1
    shift
    mkdir -p "corpus/$target"
    local f
    for f in "$@"; do
        [ -f "$f" ] || continue
        cp "$f" "corpus/$target/$(sha1sum "$f" | cut -c1-40)"
    done
}

# Seeds that exist as files.
add pack "$root"/data/methodology/*.toml "$root"/crates/bagalau-core/tests/fixtures/bad_packs/*.toml
add registry "$root"/data/registry/kz.toml
add performance_pack "$root"/data/performance/*.toml
add register_csv "$root"/crates/bagalau-demo/data/services/register.csv
add questionnaire "$root"/crates/bagalau-demo/data/services/satisfaction.toml
add survey_export "$root"/crates/bagalau-services/tests/fixtures/surveys/*.csv
add complaints "$root"/crates/bagalau-demo/data/citizens/complaints-2023.csv \
    "$root"/crates/bagalau-services/tests/fixtures/citizens/complaints.csv \
    "$root"/crates/bagalau-services/tests/fixtures/citizens/bad_complaints.csv
add openness "$root"/crates/bagalau-demo/data/citizens/{legal-acts,open-data,open-dialogue,openness-figures}-2023.csv \
    "$root"/crates/bagalau-services/tests/fixtures/citizens/{aggregates,budget_comments,budget_documents,dialogue,legal_acts,open_data}.csv
add coinr_tables "$root"/examples/asem/ASEM_iData.csv "$root"/examples/asem/ASEM_iData_p.csv
add coinr_pipeline "$root"/examples/asem/pipeline.toml
add coinr_uncertainty "$root"/examples/asem/uncertainty.toml
add calendar "$root"/crates/bagalau-services/data/kz-calendar.toml

# Seeds cut out of files that hold several (TOML fixtures, Rust tests).
rm -rf "$generated"
mkdir -p "$generated"
python3 - "$root" "$generated" <<'PY'
import pathlib, re, sys, tomllib

root, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
count = 0

def write(target, name, data):
    global count
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data.encode() if isinstance(data, str) else data)
    count += 1

# Expressions: every quoted string of an expression rule in the packs and
# the rule fixtures, and a few that reach the operators and functions.
exprs = set()
for p in list((root / "data/methodology").glob("*.toml")) + list((root / "crates/bagalau-core/tests/fixtures").rglob("*.toml")):
    text = p.read_text()
    for m in re.finditer(r'^\s*(?:points|condition|when|value)\s*=\s*"((?:[^"\\]|\\.)*)"', text, re.M):
        if re.search(r"[()*/+<>=!-]|\b(?:if|and|or|not)\b", m.group(1)):
            exprs.add(m.group(1))
exprs |= {
    "a + b * c - d / e", "-a", "if(a > b, a, b)", "min(a, max(b, 0.5))",
    "coalesce(zz, 1)", "present(a) and not present(b)", "a >= 1 or b != 2",
    "(a + (b * (c - 1))) / 2", "a / 0", "1e308 * 10", "if(a == b, 1, 0) <= 3",
}
for i, e in enumerate(sorted(exprs)):
    write("expr", f"e{i}", e)

# Packs: each rule fixture made whole (one band, block b1, direction d1,
# its indicators, its criteria), as the rules test makes them.
for p in sorted((root / "crates/bagalau-core/tests/fixtures/rules").glob("*.toml")):
    f = tomllib.loads(p.read_text())
    pts = f["points"]
    s = (f'format = 1\nid = "fixture"\nyear = 2022\nscale = {pts}\n'
         'title = { kk = "t", ru = "t", en = "t" }\n'
         '[[band]]\nid = "all"\nmin = 0\nname = { kk = "b", ru = "b", en = "b" }\n')
    s += f.get("tree") or (
        f'[[block]]\nid = "b1"\nname = {{ kk = "b", ru = "b", en = "b" }}\npoints = {pts}\n'
        f'[[direction]]\nid = "d1"\nblock = "b1"\nname = {{ kk = "d", ru = "d", en = "d" }}\n'
        f'points = {pts}\nauthorized_body = "ab"\n')
    for ind in f["indicators"]:
        parts = ind.split(":")
        polarity = parts[2] if len(parts) > 2 else "higher"
        s += (f'[[indicator]]\nid = "{parts[0]}"\nname = {{ kk = "i", ru = "i", en = "i" }}\n'
              f'unit = "{parts[1]}"\npolarity = "{polarity}"\n')
    s += f["criteria"]
    write("pack", p.stem + ".toml", s)

# Registries, questionnaires, exports held in Rust tests as raw strings.
def raw_strings(path):
    return re.findall(r'r#"\n?(.*?)"#', path.read_text(), re.S)
for i, s in enumerate(raw_strings(root / "crates/bagalau-core/tests/registry.rs")):
    if "[[body]]" in s:
        write("registry", f"test{i}.toml", s)
config_rs = root / "crates/bagalau/src/config.rs"
for i, s in enumerate(raw_strings(config_rs)):
    write("config", f"default{i}.toml", s)
write("config", "small.toml", 'db = "x.db"\nlang = "kk"\n[services]\ndir = "s"\ncalendar = "c.toml"\n')
write("config", "bad-lang.toml", 'lang = "fr"\n[evidence]\nmax_mb = 99999999999\n')

# Calendar additions: the tests' and a few of every kind of table.
write("calendar", "kurban-2027.toml", '[[movable]]\nname = "Kurban Ait"\ndates = ["2027-05-17"]\n')
write("calendar", "transfer.toml", '[[transfer]]\nworks = "2025-01-04"\nrests = "2025-01-03"\nsource = "an order"\n')
write("calendar", "holiday.toml", '[[holiday]]\nname = "New"\ndays = ["02-29"]\nfrom = 2026\ncarried = true\n')

# COINr: each index fixture's tables (iMeta NUL iData), its pipelines.
for p in sorted((root / "crates/bagalau-index/tests/fixtures").glob("*.toml")):
    f = tomllib.loads(p.read_text())
    if "meta" in f and "data" in f:
        write("coinr_tables", p.stem, f["meta"] + "\0" + f["data"])
    for j, case in enumerate(f.get("case", [])):
        if "pipeline" in case:
            write("coinr_pipeline", f"{p.stem}-{j}.toml", case["pipeline"])
asem = root / "examples/asem"
write("coinr_tables", "asem", (asem / "ASEM_iMeta.csv").read_text() + "\0" + (asem / "ASEM_iData.csv").read_text())

# Surveys: the demo questionnaire NUL each fixture export.
q = (root / "crates/bagalau-demo/data/services/satisfaction.toml").read_text()
for p in sorted((root / "crates/bagalau-services/tests/fixtures/surveys").glob("*.csv")):
    write("survey_export", p.stem + "-with-questionnaire", q + "\0" + p.read_text())

print(f"{count} seeds cut out of fixtures", file=sys.stderr)
PY

# Seeds made by the real writers.
cargo run --quiet --manifest-path seed/Cargo.toml --target-dir target/seed -- "$generated"

for dir in "$generated"/*/; do
    target=$(basename "$dir")
    add "$target" "$dir"*
done
# A workbook is a workbook: each xlsx target also starts from the other's.
add register_xlsx "$generated"/xlsx_submission/*
add xlsx_submission "$generated"/register_xlsx/*

# Inputs that once crashed a target stay in its corpus.
if [ -d regressions ]; then
    for dir in regressions/*/; do
        [ -d "$dir" ] || continue
        add "$(basename "$dir")" "$dir"*
    done
fi

for dir in corpus/*/; do
    printf '%-20s %5d seeds\n' "$(basename "$dir")" "$(find "$dir" -type f | wc -l)"
done
