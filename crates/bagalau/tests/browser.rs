//! The portal in a real browser: Debian's Chromium driven through
//! WebDriver (chromedriver), against `bagalau serve` on a demo database.
//! Runs when BAGALAU_TEST_CHROMEDRIVER names the chromedriver program
//! (`.ci/run` installs chromium and chromium-driver and sets it).
//! Screenshots go to `target/tmp/screenshots/` as test artefacts.

use fantoccini::{Client, ClientBuilder, Locator};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_for(port: u16) {
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "nothing listens on {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Kills the process when the test ends, however it ends.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn bagalau(dir: &Path, args: &[&str]) -> Command {
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

fn screenshots() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A demo database served by `bagalau serve`, and a browser driven through
/// chromedriver; `prepare` runs on the folder before the server starts.
/// `None` when BAGALAU_TEST_CHROMEDRIVER is not set.
struct Portal {
    client: Client,
    site: String,
    dir: tempfile::TempDir,
    demo: std::process::Output,
    _server: Killed,
    _driver: Killed,
}

impl Portal {
    async fn start(prepare: impl FnOnce(&Path)) -> Option<Portal> {
        let Ok(chromedriver) = std::env::var("BAGALAU_TEST_CHROMEDRIVER") else {
            eprintln!("BAGALAU_TEST_CHROMEDRIVER is not set: the browser tests are skipped");
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        let demo = bagalau(dir.path(), &["demo"]).output().unwrap();
        assert!(
            demo.status.success(),
            "{}",
            String::from_utf8_lossy(&demo.stderr)
        );
        prepare(dir.path());
        let port = free_port();
        let server = Killed(
            bagalau(
                dir.path(),
                &["serve", "--addr", &format!("127.0.0.1:{port}")],
            )
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
        );
        let driver_port = free_port();
        let driver = Killed(
            Command::new(chromedriver)
                .arg(format!("--port={driver_port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        wait_for(port);
        wait_for(driver_port);
        Some(Portal {
            client: browser(driver_port).await,
            site: format!("http://127.0.0.1:{port}"),
            dir,
            demo,
            _server: server,
            _driver: driver,
        })
    }
}

async fn browser(driver_port: u16) -> Client {
    let chromium =
        std::env::var("BAGALAU_TEST_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"],
        }),
    );
    // chromedriver listens on loopback: plain HTTP, no TLS stack needed.
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{driver_port}"))
        .await
        .expect("a WebDriver session")
}

/// An accessibility audit run in the page: every form control has a label,
/// every table a caption, the page one `h1` and a language, headings do not
/// skip levels, and text meets WCAG 2.1 AA contrast (4.5:1, 3:1 when large
/// or bold and large) against its effective background. Returns the problems.
const AUDIT: &str = r#"
const problems = [];
if (!document.documentElement.lang) problems.push('no lang on html');
if (document.querySelectorAll('h1').length !== 1) problems.push('not exactly one h1');
let last = 0;
for (const h of document.querySelectorAll('h1,h2,h3,h4,h5,h6')) {
  const level = +h.tagName[1];
  if (level > last + 1) problems.push('heading skips to ' + h.tagName + ': ' + h.textContent.trim().slice(0, 40));
  last = level;
}
for (const e of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
  if (!(e.labels && e.labels.length) && !e.getAttribute('aria-label')) problems.push('control without label: ' + (e.name || e.id));
}
for (const t of document.querySelectorAll('table')) {
  if (!t.querySelector('caption')) problems.push('table without caption');
}
const rgb = s => (s.match(/[\d.]+/g) || []).map(Number);
const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
const background = e => { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c.length === 3 || c[3] > 0) return c; } return [255, 255, 255]; };
for (const e of document.querySelectorAll('body *')) {
  if (!e.offsetParent && e.tagName !== 'BODY') continue;
  const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  if (!own) continue;
  const st = getComputedStyle(e);
  const fg = rgb(st.color), bg = background(e);
  const [a, b] = [lum(fg), lum(bg)];
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  const size = parseFloat(st.fontSize), bold = +st.fontWeight >= 700;
  const need = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
  if (ratio < need) problems.push('contrast ' + ratio.toFixed(2) + ' < ' + need + ' for ' + e.tagName + ': ' + e.textContent.trim().slice(0, 30));
}
return problems;
"#;

async fn audit(c: &Client, page: &str) {
    let problems = c.execute(AUDIT, vec![]).await.unwrap();
    assert_eq!(problems, serde_json::json!([]), "accessibility of {page}");
}

/// Waits for an element of the next page (a click does not wait for the
/// navigation it starts).
async fn arrive(c: &Client, css: &str) {
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"));
}

async fn text(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    std::fs::write(screenshots().join(format!("{name}.png")), png).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_portal_in_a_real_browser() {
    let Some(portal) = Portal::start(|_| {}).await else {
        return;
    };
    let (c, site, demo) = (&portal.client, &portal.site, &portal.demo);

    // The rankings and a profile in each language.
    for (lang, heading, finance) in [
        ("kk", "Рейтингтер 2023", "Қаржы министрлігі"),
        ("ru", "Рейтинги 2023", "Министерство финансов"),
        ("en", "Rankings 2023", "Ministry of Finance"),
    ] {
        c.goto(&format!("{site}/rankings/2023?lang={lang}"))
            .await
            .unwrap();
        assert_eq!(text(c, "h1").await, heading);
        let rows = c
            .find_all(Locator::Css("table#cgb tbody tr"))
            .await
            .unwrap();
        assert!(rows.len() > 20, "{lang}: {} rows", rows.len());
        shot(c, &format!("rankings-{lang}")).await;
        c.find(Locator::Css("a[href^='/bodies/minfin']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        arrive(c, "svg.chart").await;
        assert!(text(c, "h1").await.starts_with(finance), "{lang}");
        let chart = c.find(Locator::Css("svg.chart")).await.unwrap();
        assert!(
            chart.is_displayed().await.unwrap(),
            "the trend chart is drawn"
        );
        assert_eq!(
            c.find_all(Locator::Css("svg.chart circle.point"))
                .await
                .unwrap()
                .len(),
            5,
            "one point per published year, 2019-2023"
        );
        assert!(
            !c.find_all(Locator::Css("article.conclusion"))
                .await
                .unwrap()
                .is_empty()
        );
        shot(c, &format!("profile-{lang}")).await;
    }

    // The switch changes the language, and the choice is remembered.
    c.goto(&format!("{site}/rankings/2023?lang=en"))
        .await
        .unwrap();
    c.find(Locator::Css("nav.langs a[lang='ru']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    arrive(c, "html[lang=ru]").await;
    assert_eq!(text(c, "h1").await, "Рейтинги 2023");
    c.goto(&format!("{site}/rankings/2023")).await.unwrap();
    assert_eq!(
        text(c, "h1").await,
        "Рейтинги 2023",
        "remembered without ?lang"
    );

    // Sorting by a column header.
    c.goto(&format!("{site}/rankings/2023?lang=en&kind=leb"))
        .await
        .unwrap();
    c.find(Locator::Css("table#leb thead th:nth-child(2) a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    arrive(c, "table#leb thead th:nth-child(2)[aria-sort]").await;
    let names: Vec<String> = {
        let mut out = Vec::new();
        for th in c
            .find_all(Locator::Css("table#leb tbody th"))
            .await
            .unwrap()
        {
            out.push(th.text().await.unwrap());
        }
        out
    };
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);

    // The first Tab reaches the skip link.
    c.goto(&format!("{site}/rankings/2023?lang=en"))
        .await
        .unwrap();
    c.find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("\u{e004}")
        .await
        .unwrap();
    let focused = c.active_element().await.unwrap();
    assert_eq!(
        focused.attr("class").await.unwrap().as_deref(),
        Some("skip")
    );

    // On a phone the page does not scroll sideways (wide tables scroll in their own box).
    c.set_window_size(390, 844).await.unwrap();
    for page in [
        "/rankings/2023?lang=kk",
        "/bodies/minfin?lang=kk",
        "/methodology/2023?lang=kk",
        "/open-data?lang=kk",
        "/npi/2023?lang=kk",
        "/kk/services",
        "/kk/services/land_plot?at=2023-06-01",
    ] {
        c.goto(&format!("{site}{page}")).await.unwrap();
        let fits = c
            .execute(
                "return document.documentElement.scrollWidth <= document.documentElement.clientWidth",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(fits, serde_json::json!(true), "{page} overflows on a phone");
        audit(c, page).await;
    }
    shot(c, "open-data-phone").await;

    // The audit does find what it looks for.
    c.goto("data:text/html,<p style='color:%23bbb'>faint</p><input name=x><table><tr><td>1</td></tr></table>")
        .await
        .unwrap();
    let found = c.execute(AUDIT, vec![]).await.unwrap();
    let found: Vec<String> = serde_json::from_value(found).unwrap();
    for expected in [
        "no lang on html",
        "not exactly one h1",
        "control without label: x",
        "table without caption",
        "contrast",
    ] {
        assert!(
            found.iter().any(|p| p.starts_with(expected)),
            "{expected}: {found:?}"
        );
    }

    // Signing in with a password the demo printed, through the form.
    c.set_window_size(1280, 900).await.unwrap();
    let printed = String::from_utf8(demo.stdout.clone()).unwrap();
    let password = printed
        .lines()
        .find_map(|l| l.trim().strip_prefix("reporter-minfin"))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .to_string();
    c.goto(&format!("{site}/workspace")).await.unwrap();
    assert!(c.current_url().await.unwrap().path().starts_with("/login"));
    c.find(Locator::Id("name"))
        .await
        .unwrap()
        .send_keys("reporter-minfin")
        .await
        .unwrap();
    c.find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys("wrong password")
        .await
        .unwrap();
    c.find(Locator::Css("form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    arrive(c, "#login-error").await;
    assert!(
        text(c, "#login-error").await.contains("құпиясөз"),
        "the error, in Kazakh by default"
    );
    let name = c.find(Locator::Id("name")).await.unwrap();
    assert_eq!(
        name.prop("value").await.unwrap().as_deref(),
        Some("reporter-minfin"),
        "the name typed is kept"
    );
    c.find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys(&password)
        .await
        .unwrap();
    c.find(Locator::Css("form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    arrive(c, "form[action='/logout']").await;
    assert_eq!(c.current_url().await.unwrap().path(), "/workspace");
    assert!(
        c.source()
            .await
            .unwrap()
            .contains("Сіз reporter-minfin ретінде кірдіңіз (reporter:minfin)")
    );
    shot(c, "workspace-kk").await;
    c.goto(&format!("{site}/workspace/2023/submissions/minfin"))
        .await
        .unwrap();
    assert!(
        c.find_all(Locator::Css("input[readonly]"))
            .await
            .unwrap()
            .len()
            > 10,
        "submitted: read-only"
    );
    shot(c, "submission-kk").await;
    c.goto(&format!("{site}/workspace")).await.unwrap();
    c.find(Locator::Css("form[action='/logout'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    arrive(c, "table#cgb").await;
    c.goto(&format!("{site}/workspace")).await.unwrap();
    assert!(
        c.current_url().await.unwrap().path().starts_with("/login"),
        "signed out"
    );
    c.clone().close().await.unwrap();
}

/// Waits until the wall clock is past `t` (a stage's deadline).
fn wait_past(t: chrono::NaiveDateTime) {
    loop {
        let now = chrono::Utc::now().naive_utc();
        if now > t + chrono::Duration::seconds(1) {
            return;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

async fn sign_in_as(c: &Client, site: &str, name: &str, password: &str) {
    c.goto(&format!("{site}/login?next=/workspace/2022"))
        .await
        .unwrap();
    c.find(Locator::Id("name"))
        .await
        .unwrap()
        .send_keys(name)
        .await
        .unwrap();
    c.find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys(password)
        .await
        .unwrap();
    c.find(Locator::Css("form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The cycle page's language switch points to itself.
    arrive(c, "nav.langs a[href^='/workspace/2022']").await;
}

async fn sign_out(c: &Client) {
    c.delete_cookie("bagalau_session").await.unwrap();
}

/// Clicks a form's button and waits for the page it leads to, whose
/// address says the action was done (`done=` and what).
async fn send_form(c: &Client, button: &str, done: &str) {
    c.find(Locator::Css(button))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let started = Instant::now();
    loop {
        let url = c.current_url().await.unwrap();
        if url
            .query()
            .is_some_and(|q| q.contains(&format!("done={done}")))
        {
            break;
        }
        if started.elapsed() > Duration::from_secs(20) {
            panic!("not done ({done}): {}", c.source().await.unwrap());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    arrive(c, "p.ok").await;
}

/// One whole cycle through the workspaces in the browser, each step by its
/// role, on a calendar of real deadlines half a minute apart: submit,
/// conclude, object, decide, escalate, conclude finally, rule, approve; the
/// final conclusion is then public.
#[tokio::test(flavor = "multi_thread")]
async fn a_whole_cycle_in_the_browser() {
    let password = "a long enough password";
    let Some(portal) = Portal::start(|dir| {
        for (name, role) in [
            ("aigerim", "reporter:minfin"),
            ("auditor", "assessor:budget@audit_chamber"),
            ("head", "assessor:budget@audit_chamber"),
            ("chair", "commission"),
        ] {
            let mut child = bagalau(
                dir,
                &["user", "add", name, "--role", role, "--password-stdin"],
            )
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(password.as_bytes())
                .unwrap();
            assert!(child.wait().unwrap().success());
        }
    })
    .await
    else {
        return;
    };
    let (c, site, dir) = (&portal.client, &portal.site, portal.dir.path());
    c.goto(&format!("{site}/rankings?lang=en")).await.unwrap();

    // A 2022 cycle whose stages end half a minute apart, from now.
    let t0 = chrono::Utc::now().naive_utc();
    let at = |s: i64| t0 + chrono::Duration::seconds(s);
    let deadlines = [
        ("submission", 30),
        ("verification", 35),
        ("preliminary", 65),
        ("objections", 95),
        ("final", 125),
        ("commission", 400),
    ];
    let calendar: String = deadlines
        .iter()
        .map(|(stage, s)| format!("{stage} = {}\n", at(*s).format("%Y-%m-%dT%H:%M:%S")))
        .collect();
    std::fs::write(dir.join("cal.toml"), calendar).unwrap();
    let opened = bagalau(
        dir,
        &["cycle", "open", "--year", "2022", "--calendar", "cal.toml"],
    )
    .output()
    .unwrap();
    assert!(
        opened.status.success(),
        "{}",
        String::from_utf8_lossy(&opened.stderr)
    );

    // Submission: the reporter changes a value and submits.
    sign_in_as(c, site, "aigerim", password).await;
    c.goto(&format!("{site}/workspace/2022/submissions/minfin"))
        .await
        .unwrap();
    let field = c
        .find(Locator::Css("input[name='v.bl_violations']"))
        .await
        .unwrap();
    field.clear().await.unwrap();
    field.send_keys("4").await.unwrap();
    send_form(c, "button[value=submit]", "submitted").await;
    assert!(
        c.find(Locator::Css("p.ok"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
            .contains("Submitted")
    );
    sign_out(c).await;

    // Preliminary conclusions (after verification closes).
    wait_past(at(35));
    sign_in_as(c, site, "auditor", password).await;
    c.find(Locator::Css("#cb-budget"))
        .await
        .unwrap()
        .select_by_value("minfin")
        .await
        .unwrap();
    c.find(Locator::Css("#ct-budget"))
        .await
        .unwrap()
        .send_keys("Budget discipline: four violations.")
        .await
        .unwrap();
    send_form(
        c,
        "form#conclude-budget button[type=submit]",
        "conclude-budget",
    )
    .await;
    shot(c, "cycle-assessor").await;
    audit(c, "the assessor's cycle page").await;
    sign_out(c).await;

    // Objections.
    wait_past(at(65));
    sign_in_as(c, site, "aigerim", password).await;
    assert!(
        c.source()
            .await
            .unwrap()
            .contains("Budget discipline: four violations.")
    );
    c.find(Locator::Css("#crit-minfin"))
        .await
        .unwrap()
        .select_by_value("budget_violations")
        .await
        .unwrap();
    c.find(Locator::Css("#stmt-minfin"))
        .await
        .unwrap()
        .send_keys("Two violations were annulled by a court.")
        .await
        .unwrap();
    send_form(c, "form#object-minfin button[type=submit]", "object-minfin").await;
    shot(c, "cycle-objection").await;
    sign_out(c).await;

    // Final stage: the head rejects, the body escalates, the assessor concludes finally.
    wait_past(at(95));
    sign_in_as(c, site, "head", password).await;
    let decide = c
        .find(Locator::Css("form[id^='decide-'] textarea"))
        .await
        .unwrap();
    decide
        .send_keys("The rulings came after the year closed.")
        .await
        .unwrap();
    send_form(c, "form[id^='decide-'] button[value=false]", "decide-").await;
    sign_out(c).await;
    sign_in_as(c, site, "aigerim", password).await;
    send_form(c, "form[id^='escalate-'] button", "escalate-").await;
    sign_out(c).await;
    sign_in_as(c, site, "auditor", password).await;
    c.find(Locator::Css("#cb-budget"))
        .await
        .unwrap()
        .select_by_value("minfin")
        .await
        .unwrap();
    c.find(Locator::Css("#ct-budget"))
        .await
        .unwrap()
        .send_keys("Final: four violations stand.")
        .await
        .unwrap();
    c.find(Locator::Css("form#conclude-budget input[name=final]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    send_form(
        c,
        "form#conclude-budget button[type=submit]",
        "conclude-budget",
    )
    .await;
    sign_out(c).await;

    // The commission rules and approves: a new published version of 2022.
    wait_past(at(125));
    sign_in_as(c, site, "chair", password).await;
    c.find(Locator::Css("form[id^='rule-'] textarea"))
        .await
        .unwrap()
        .send_keys("The decision stands.")
        .await
        .unwrap();
    send_form(c, "form[id^='rule-'] button[value=false]", "rule-").await;
    c.find(Locator::Css("#ar"))
        .await
        .unwrap()
        .send_keys("Approved by the Assessment Commission")
        .await
        .unwrap();
    send_form(c, "form#approve button[type=submit]", "approve").await;
    let page = c.source().await.unwrap();
    assert!(page.contains("class=\"ok\""), "{page}");
    shot(c, "cycle-commission").await;
    audit(c, "the commission's cycle page").await;
    sign_out(c).await;

    // Public: the final conclusion, and the correction's reason.
    c.goto(&format!("{site}/bodies/minfin?year=2022&lang=en"))
        .await
        .unwrap();
    let page = c.source().await.unwrap();
    assert!(page.contains("Final: four violations stand."), "{page}");
    assert!(!page.contains("Budget discipline: four violations."));
    c.goto(&format!("{site}/rankings/2022?lang=en"))
        .await
        .unwrap();
    assert!(
        c.source()
            .await
            .unwrap()
            .contains("Correction: Approved by the Assessment Commission")
    );
    shot(c, "cycle-published").await;
    c.clone().close().await.unwrap();
}
