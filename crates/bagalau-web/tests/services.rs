//! The Register of public services on the portal and as open data, in
//! process on a real SQLite database: what anyone reads, signed in or not,
//! in each language and on any date.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use bagalau_core::registry;
use bagalau_services::register::Register;
use bagalau_store::{AnyStore, Document, ImportBatch, Store};
use bagalau_web::{AppState, router};
use http_body_util::BodyExt;
use std::sync::Arc;
use tower::ServiceExt;

const NOW: &str = "2026-03-01T00:00:00+00:00";

/// The demo's register, and a service whose standard comes into force on
/// 1 June 2026, after "today".
fn register_text() -> String {
    format!(
        "{}e_notary,Электрондық нотариат,Электронный нотариат,Electronic notary,justice,notary_chamber,portal,2,hours,identity card,3000.5,electronic,true,2026-06-01,\n",
        include_str!("../../bagalau-demo/data/services/register.csv")
    )
}

async fn open(dir: &tempfile::TempDir) -> AppState {
    let store = AnyStore::open(&dir.path().join("t.db").display().to_string())
        .await
        .unwrap();
    let files = bagalau_store::files::FileStore::open(dir.path().join("evidence"), 1024).unwrap();
    AppState {
        records: bagalau_web::no_records(),
        store,
        files,
        clock: Arc::new(|| NOW.to_string()),
    }
}

/// A store with the registry of bodies and the register of services.
async fn setup(dir: &tempfile::TempDir, file_name: &str) -> (AppState, Register) {
    let state = open(dir).await;
    let register = Register::from_csv(&register_text()).unwrap();
    let reg = registry::load(bagalau_demo::REGISTRY.0, bagalau_demo::REGISTRY.1).unwrap();
    state
        .store
        .apply(ImportBatch {
            registry: Some(Document {
                file_name: "r".into(),
                text: bagalau_demo::REGISTRY.1.into(),
                parsed: reg,
            }),
            service_register: Some(Document::service_register(file_name, register.clone())),
            at: "2026-02-20T10:00:00+00:00".into(),
            actor: "test".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    (state, register)
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).unwrap()
    }
}

async fn get(state: &AppState, uri: &str, extra: &[(header::HeaderName, &str)]) -> Answer {
    let mut request = Request::builder()
        .uri(uri)
        .header(header::HOST, "data.example.kz");
    for (name, value) in extra {
        request = request.header(name, *value);
    }
    let response = router(state.clone())
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

/// The table row of a service on the list page.
fn service_row<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<tr id=\"service-{id}\">"))
        .unwrap_or_else(|| panic!("no row for {id}"));
    let end = start + html[start..].find("</tr>").unwrap();
    &html[start..end]
}

#[tokio::test]
async fn the_services_in_force_in_three_languages_without_signing_in() {
    let dir = tempfile::tempdir().unwrap();
    let (state, register) = setup(&dir, "register.csv").await;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();

    let en = get(&state, "/en/services", &[]).await;
    assert_eq!(en.status, StatusCode::OK);
    let text = en.text();
    assert!(text.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(text.contains("<h1>Public services</h1>"), "{text}");
    assert!(text.contains(&format!(
        "Services in force on 1 March 2026: {}",
        register.at(today).len()
    )));
    assert!(text.contains("needs no sign-in"));
    let birth = service_row(&text, "reg_birth");
    assert!(
        birth.contains(
            "<a href=\"/en/services/reg_birth\">State registration of a child&#39;s birth</a>"
        ),
        "{birth}"
    );
    assert!(birth.contains("<td>1 working day</td>"), "{birth}");
    assert!(
        birth.contains("Public Service Centre, e-government portal"),
        "{birth}"
    );
    assert!(birth.contains("<td class=\"num\">free</td>"), "{birth}");
    assert!(birth.contains("<td>electronic</td><td>yes</td>"), "{birth}");
    let marriage = service_row(&text, "reg_marriage");
    assert!(marriage.contains("<td>30 calendar days</td>"), "{marriage}");
    assert!(marriage.contains("1,228 tenge"), "{marriage}");
    assert!(service_row(&text, "health_appointment").contains("<td>30 minutes</td>"));
    assert!(service_row(&text, "tax_certificate").contains("<td>1 hour</td>"));
    // Grouped by sector, each with its table.
    assert!(text.contains(">Social protection</h2>"), "{text}");
    assert!(text.contains("<caption>Social protection</caption>"));
    let land = text.find(">Land</h2>").unwrap();
    let health = text.find(">Health</h2>").unwrap();
    assert!(health < land, "sectors in the order of their names");
    // Only the version in force: the land plot's current standard.
    assert!(service_row(&text, "land_plot").contains("<td>15 working days</td>"));
    assert_eq!(text.matches("<tr id=\"service-land_plot\">").count(), 1);
    // The address names the language: remembered, and switched by address.
    assert_eq!(
        en.headers[header::SET_COOKIE],
        "lang=en; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly"
    );
    assert!(text.contains("href=\"/ru/services\" lang=\"ru\""), "{text}");
    assert!(
        text.contains("<a href=\"/en/services\">Public services</a>"),
        "in the navigation"
    );
    assert!(text.contains("href=\"/open-data/services/register.csv\""));
    assert!(
        en.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );

    let ru = get(&state, "/ru/services", &[]).await.text();
    assert!(ru.contains("<html lang=\"ru\">"));
    assert!(ru.contains("<h1>Государственные услуги</h1>"));
    let birth = service_row(&ru, "reg_birth");
    assert!(
        birth.contains("Государственная регистрация рождения ребенка"),
        "{birth}"
    );
    assert!(birth.contains("<td>1 рабочий день</td>"), "{birth}");
    assert!(birth.contains("бесплатно"), "{birth}");
    let marriage = service_row(&ru, "reg_marriage");
    assert!(
        marriage.contains("<td>30 календарных дней</td>"),
        "{marriage}"
    );
    assert!(marriage.contains("1\u{a0}228 тенге"), "{marriage}");
    assert!(service_row(&ru, "tax_registration").contains("<td>1 рабочий день</td>"));
    assert!(service_row(&ru, "soc_pension").contains("<td>10 рабочих дней</td>"));
    assert!(service_row(&ru, "constr_design_brief").contains("<td>8 рабочих дней</td>"));
    assert!(ru.contains("Услуг, действующих на 01.03.2026"));

    let kk = get(&state, "/kk/services", &[]).await.text();
    assert!(kk.contains("<h1>Мемлекеттік қызметтер</h1>"));
    let birth = service_row(&kk, "reg_birth");
    assert!(
        birth.contains("Баланың тууын мемлекеттік тіркеу"),
        "{birth}"
    );
    assert!(birth.contains("<td>1 жұмыс күні</td>"), "{birth}");
    assert!(birth.contains("тегін"), "{birth}");
    assert!(service_row(&kk, "reg_marriage").contains("<td>30 күнтізбелік күн</td>"));

    // `/services` sends each visitor to their language.
    let home = get(
        &state,
        "/services",
        &[(header::ACCEPT_LANGUAGE, "ru-RU, en;q=0.8")],
    )
    .await;
    assert_eq!(home.status, StatusCode::SEE_OTHER);
    assert_eq!(home.headers[header::LOCATION], "/ru/services");
    assert_eq!(
        get(&state, "/services?lang=en", &[]).await.headers[header::LOCATION],
        "/en/services"
    );
    assert_eq!(
        get(&state, "/xx/services", &[]).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_date_shows_the_standards_then_in_force() {
    let dir = tempfile::tempdir().unwrap();
    let (state, _) = setup(&dir, "register.csv").await;
    // The electronic notary comes into force on 1 June 2026: not today.
    let today = get(&state, "/en/services", &[]).await.text();
    assert!(!today.contains("Electronic notary"), "{today}");
    let june = get(&state, "/en/services?at=2026-06-01", &[]).await;
    assert_eq!(june.status, StatusCode::OK);
    let june = june.text();
    let notary = service_row(&june, "e_notary");
    assert!(notary.contains("<td>2 hours</td>"), "{notary}");
    assert!(notary.contains("3,000.50 tenge"), "{notary}");
    assert!(
        notary.contains("href=\"/en/services/e_notary?at=2026-06-01\""),
        "links keep the date: {notary}"
    );
    assert!(
        june.contains("value=\"2026-06-01\""),
        "the date field shows the date"
    );
    assert!(
        june.contains("href=\"/kk/services?at=2026-06-01\""),
        "{june}"
    );
    // Before the land plot's new standard, its old one.
    let old = get(&state, "/en/services?at=2022-06-01", &[]).await.text();
    assert!(service_row(&old, "land_plot").contains("<td>20 working days</td>"));
    assert!(!old.contains("Electronic notary"));
    // Before the register's first day, nothing.
    let before = get(&state, "/en/services?at=2019-12-31", &[]).await.text();
    assert!(before.contains("No service of the register is in force on 31 December 2019."));
    assert!(!before.contains("<tr id=\"service-"));
    // A date that does not read is refused, in the page's language.
    let bad = get(&state, "/ru/services?at=31.12.2019", &[]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.text().contains("«31.12.2019» не дата"),
        "{}",
        bad.text()
    );
}

#[tokio::test]
async fn a_service_with_its_standard_and_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let (state, _) = setup(&dir, "register.csv").await;
    let p = get(&state, "/en/services/land_plot", &[]).await;
    assert_eq!(p.status, StatusCode::OK);
    let text = p.text();
    assert!(
        text.contains("<h1>Granting the right to a land plot</h1>"),
        "{text}"
    );
    assert!(text.contains("<caption>Standard in force on 1 March 2026</caption>"));
    assert!(
        text.contains("<tr><th scope=\"row\">Deadline</th><td>15 working days</td></tr>"),
        "{text}"
    );
    assert!(
        text.contains("<li>application</li><li>land plan</li>"),
        "{text}"
    );
    // Every version, and what changed from one to the next.
    assert!(
        text.contains("from 1 January 2020 to 31 December 2022"),
        "{text}"
    );
    assert!(text.contains("first version in the register"));
    for change in [
        "Deadline: 20 working days → 15 working days",
        "Where to apply: the provider&#39;s office, e-government portal → e-government portal",
        "Form of the result: paper → electronic",
        "Automated: no → yes",
    ] {
        assert!(
            text.contains(&format!("<li>{change}</li>")),
            "{change}: {text}"
        );
    }
    assert!(
        !text.contains("<li>Cost:"),
        "unchanged fields are not listed"
    );
    // On a date of the first version, that one is the standard shown.
    let old = get(&state, "/en/services/land_plot?at=2021-05-05", &[])
        .await
        .text();
    assert!(old.contains("<caption>Standard in force on 5 May 2021</caption>"));
    assert!(old.contains("<td>20 working days</td>"));
    assert!(
        old.contains("href=\"/en/services?at=2021-05-05\""),
        "back to the same date"
    );
    // In Russian and Kazakh too.
    let ru = get(&state, "/ru/services/land_plot", &[]).await.text();
    assert!(
        ru.contains("<li>Срок: 20 рабочих дней → 15 рабочих дней</li>"),
        "{ru}"
    );
    assert!(ru.contains("с 01.01.2020 по 31.12.2022"));
    let kk = get(&state, "/kk/services/land_plot", &[]).await.text();
    assert!(
        kk.contains("<li>Мерзімі: 20 жұмыс күні → 15 жұмыс күні</li>"),
        "{kk}"
    );
    // A service not yet in force is shown, and says so.
    let notary = get(&state, "/en/services/e_notary", &[]).await.text();
    assert!(
        notary.contains("Not in force on 1 March 2026: the nearest version is shown."),
        "{notary}"
    );
    // Providers by their names in the registry (ids it lacks as they are).
    let birth = get(&state, "/en/services/reg_birth", &[]).await.text();
    assert!(
        birth.contains("<tr><th scope=\"row\">Provided by</th><td>Ministry of Justice</td></tr>"),
        "{birth}"
    );
    assert!(notary.contains("<td>notary_chamber</td>"), "{notary}");
    // A service the register does not have.
    let none = get(&state, "/en/services/nowhere", &[]).await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    assert!(
        none.text()
            .contains("The register has no service “nowhere”.")
    );
    assert_eq!(
        get(&state, "/kk/services/nowhere?at=2020-01-01", &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn without_a_register_the_pages_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let state = open(&dir).await;
    let p = get(&state, "/en/services", &[]).await;
    assert_eq!(p.status, StatusCode::NOT_FOUND);
    assert!(
        p.text()
            .contains("No register of public services has been imported yet.")
    );
    let p = get(&state, "/ru/services/reg_birth", &[]).await;
    assert_eq!(p.status, StatusCode::NOT_FOUND);
    assert!(
        p.text()
            .contains("Реестр государственных услуг ещё не загружен.")
    );
    assert_eq!(
        get(&state, "/open-data/services/register.csv", &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let catalogue: serde_json::Value =
        serde_json::from_slice(&get(&state, "/open-data/catalog.jsonld", &[]).await.body).unwrap();
    assert!(catalogue["dcat:dataset"].as_array().unwrap().is_empty());
    assert!(
        !get(&state, "/open-data", &[])
            .await
            .text()
            .contains("/open-data/services/")
    );
    // Once imported, the page shows it at once.
    let register = Register::from_csv(&register_text()).unwrap();
    state
        .store
        .apply(ImportBatch {
            service_register: Some(Document::service_register("register.csv", register)),
            at: NOW.into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let p = get(&state, "/en/services", &[]).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.text().contains("<td>1 working day</td>"));
}

#[tokio::test]
async fn the_demo_register_is_labelled_as_demonstration_data() {
    let dir = tempfile::tempdir().unwrap();
    let (state, _) = setup(&dir, bagalau_core::data::DEMONSTRATION).await;
    for uri in [
        "/en/services",
        "/en/services/reg_birth",
        "/open-data?lang=en",
    ] {
        let text = get(&state, uri, &[]).await.text();
        assert!(
            text.contains("Demonstration data: this register illustrates the demonstration"),
            "{uri}: {text}"
        );
    }
    let catalogue: serde_json::Value =
        serde_json::from_slice(&get(&state, "/open-data/catalog.jsonld", &[]).await.body).unwrap();
    assert_eq!(catalogue["dcat:dataset"][0]["bagalau:demonstration"], true);
}

#[tokio::test]
async fn the_register_as_open_data() {
    let dir = tempfile::tempdir().unwrap();
    let (state, register) = setup(&dir, "register.csv").await;
    // CSV: the canonical columns, the stored text itself, read back whole.
    let csv = get(&state, "/open-data/services/register.csv", &[]).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.headers[header::CONTENT_TYPE], "text/csv");
    assert_eq!(csv.headers[header::CACHE_CONTROL], "public, max-age=300");
    assert_eq!(
        csv.headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"bagalau-service-register.csv\""
    );
    let text = csv.text();
    assert_eq!(text, register.to_csv());
    assert_eq!(
        text.lines().next().unwrap(),
        bagalau_services::register::COLUMNS.join(",")
    );
    assert_eq!(Register::from_csv(&text).unwrap(), register);
    // JSON: one object per version, keyed by column; numbers as numbers.
    let json = get(&state, "/open-data/services/register.json", &[]).await;
    assert_eq!(json.headers[header::CONTENT_TYPE], "application/json");
    let rows: serde_json::Value = serde_json::from_slice(&json.body).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), register.versions().len());
    assert_eq!(rows[0]["id"], "reg_birth");
    assert_eq!(
        rows[0]["name_ru"],
        "Государственная регистрация рождения ребенка"
    );
    assert_eq!(rows[0]["deadline"], 1.0);
    assert_eq!(rows[0]["deadline_unit"], "working_days");
    assert_eq!(rows[0]["channels"], "psc;portal");
    assert_eq!(rows[0]["cost_tenge"], 0.0);
    assert_eq!(rows[0]["effective_from"], "2020-01-01");
    assert!(rows[0]["effective_to"].is_null());
    let land: Vec<&serde_json::Value> = rows.iter().filter(|r| r["id"] == "land_plot").collect();
    assert_eq!(land[0]["effective_to"], "2022-12-31");
    // XLSX: the same columns, read back as a register.
    let xlsx = get(&state, "/open-data/services/register.xlsx", &[]).await;
    assert!(
        xlsx.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
    let table = bagalau_xlsx::read_table(&xlsx.body).unwrap();
    assert_eq!(
        Register::from_table(&table.header, table.rows).unwrap(),
        register
    );
    for missing in [
        "/open-data/services/register.parquet",
        "/open-data/services/register.exe",
        "/open-data/services/other.csv",
        "/open-data/services/register",
    ] {
        assert_eq!(
            get(&state, missing, &[]).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
    // Listed on the open-data page and in the catalogue, at absolute addresses.
    let page = get(&state, "/open-data?lang=en", &[]).await.text();
    assert!(
        page.contains("<h2 id=\"register-h\">Register of public services</h2>"),
        "{page}"
    );
    for format in ["csv", "json", "xlsx"] {
        assert!(page.contains(&format!("href=\"/open-data/services/register.{format}\"")));
    }
    let catalogue: serde_json::Value =
        serde_json::from_slice(&get(&state, "/open-data/catalog.jsonld", &[]).await.body).unwrap();
    let datasets = catalogue["dcat:dataset"].as_array().unwrap();
    assert_eq!(
        datasets.len(),
        1,
        "no year is published: the register alone"
    );
    let d = &datasets[0];
    assert_eq!(
        d["@id"],
        "http://data.example.kz/open-data/services/register"
    );
    assert_eq!(
        d["dct:identifier"],
        format!(
            "sha256:{}",
            bagalau_core::hash::sha256_hex(register.to_csv().as_bytes())
        )
    );
    assert_eq!(d["dct:modified"], "2026-02-20T10:00:00+00:00");
    assert_eq!(d["bagalau:demonstration"], false);
    let urls: Vec<&str> = d["dcat:distribution"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["dcat:downloadURL"]["@id"].as_str().unwrap())
        .collect();
    assert_eq!(
        urls,
        [
            "http://data.example.kz/open-data/services/register.csv",
            "http://data.example.kz/open-data/services/register.json",
            "http://data.example.kz/open-data/services/register.xlsx",
        ]
    );
}

/// A year's ratings as `bagalau services publish-ratings` would store them.
fn ratings(
    year: i32,
    abai_on_time: f64,
    demonstration: bool,
) -> bagalau_services::ratings::Ratings {
    use bagalau_services::ratings::{Better, Component, Group, Method, Ratings, rate};
    let names = |kk: &str, ru: &str, en: &str| bagalau_core::Names {
        kk: kk.into(),
        ru: ru.into(),
        en: en.into(),
    };
    let method = Method {
        min_records: 100,
        components: vec![
            Component {
                source: "deadline_compliance".into(),
                weight: 0.6,
                better: Better::Higher,
                name: names("Мерзімінде", "В срок", "On time"),
            },
            Component {
                source: "electronic_share".into(),
                weight: 0.4,
                better: Better::Higher,
                name: names("Электрондық", "Электронно", "Electronic"),
            },
        ],
    };
    let group = |dimension: &str, value: &str, records: u64, values: [f64; 2]| Group {
        dimension: dimension.into(),
        value: value.into(),
        records,
        values: values.map(Some).to_vec(),
    };
    let mut dimensions = rate(
        &method,
        vec![
            group("region", "abai", 500, [abai_on_time, 50.0]),
            group("region", "astana", 800, [90.0, 80.0]),
            group("region", "ulytau", 40, [100.0, 100.0]),
            group("provider", "moj", 1300, [92.0, 70.0]),
            group("recipient", "large_family", 200, [85.0, 60.0]),
        ],
    )
    .unwrap();
    dimensions[0].entries[0].name = Some(names(
        "Әділет министрлігі",
        "Министерство юстиции",
        "Ministry of Justice",
    ));
    Ratings {
        year,
        pack: "services v1".into(),
        demonstration,
        records: 1340,
        respondents: 0,
        method,
        dimensions,
    }
}

async fn publish(
    state: &AppState,
    r: &bagalau_services::ratings::Ratings,
    version: i32,
    reason: Option<&str>,
) {
    let content = r.to_json();
    state
        .store
        .apply(ImportBatch {
            service_ratings: vec![(
                bagalau_core::publication::Publication {
                    year: r.year,
                    version,
                    content_sha256: bagalau_core::hash::sha256_hex(content.as_bytes()),
                    published_at: format!("2026-02-2{version}T10:00:00+00:00"),
                    published_by: "cli:test".into(),
                    reason: reason.map(String::from),
                },
                content,
            )],
            at: NOW.into(),
            actor: "cli:test".into(),
            ..Default::default()
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn published_ratings_on_the_portal_and_as_open_data() {
    let dir = tempfile::tempdir().unwrap();
    let (state, _) = setup(&dir, "register.csv").await;
    // Nothing published: the years page says so, a year is not found.
    let none = get(&state, "/en/services/ratings", &[]).await;
    assert_eq!(none.status, StatusCode::OK);
    assert!(
        none.text()
            .contains("No ratings of public-service quality have been published yet.")
    );
    assert_eq!(
        get(&state, "/en/services/ratings/2023", &[]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&state, "/open-data/services/ratings-2023.csv", &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let first = ratings(2023, 70.0, true);
    let corrected = ratings(2023, 95.0, true);
    publish(&state, &first, 1, None).await;
    publish(
        &state,
        &corrected,
        2,
        Some("Abai's records of March re-imported"),
    )
    .await;

    let years = get(&state, "/en/services/ratings", &[]).await.text();
    assert!(
        years.contains("href=\"/en/services/ratings/2023\""),
        "{years}"
    );
    assert!(years.contains("Version 2, published on"), "{years}");
    assert!(years.contains("Demonstration data"), "{years}");

    // The latest version, in Russian: names of regions, recipient
    // categories and bodies; the correction and the earlier version.
    let page = get(&state, "/ru/services/ratings/2023", &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    let page = page.text();
    assert!(
        page.contains("Рейтинги качества оказания государственных услуг, 2023"),
        "{page}"
    );
    assert!(
        page.contains("Эта версия исправляет версию 1: Abai&#x27;s records of March re-imported")
            || page.contains(
                "Эта версия исправляет версию 1: Abai&#39;s records of March re-imported"
            ),
        "{page}"
    );
    assert!(page.contains("Предыдущие версии"), "{page}");
    assert!(page.contains("Министерство юстиции"), "{page}");
    assert!(
        page.contains("Многодетные семьи <small class=\"tag\">социально уязвимая группа</small>"),
        "{page}"
    );
    assert!(page.contains("без рейтинга: менее 100 записей"), "{page}");
    // Abai corrected: 0.6·95 + 0.4·50 = 77 is behind Astana's 0.6·90 + 0.4·80 = 86.
    let astana = page.find("Астана").unwrap();
    let abai = page.find("Абайская область").unwrap();
    let ulytau = page.find("Область Ұлытау").unwrap();
    assert!(astana < abai && abai < ulytau, "ranked order");
    assert!(page.contains("77,00") || page.contains("77.00"), "{page}");
    assert!(
        page.contains("href=\"/open-data/services/ratings-2023-v2.csv\""),
        "{page}"
    );
    // In English: the language switch keeps the page.
    let en = get(&state, "/en/services/ratings/2023", &[]).await.text();
    assert!(
        en.contains("Large families")
            && en.contains("Abai Region")
            && en.contains("Ministry of Justice")
    );
    assert!(en.contains("href=\"/kk/services/ratings/2023\""));
    assert_eq!(
        get(&state, "/en/services/ratings/2022", &[]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&state, "/en/services/ratings/20x3", &[]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&state, "/xx/services/ratings", &[]).await.status,
        StatusCode::NOT_FOUND
    );

    // Downloads: the latest follows corrections, a version never changes.
    let latest = get(&state, "/open-data/services/ratings-2023.csv", &[]).await;
    assert_eq!(latest.status, StatusCode::OK);
    assert_eq!(latest.text(), corrected.to_csv());
    assert_eq!(latest.headers[header::CACHE_CONTROL], "public, max-age=300");
    let v1 = get(&state, "/open-data/services/ratings-2023-v1.json", &[]).await;
    assert_eq!(v1.headers[header::CONTENT_TYPE], "application/json");
    assert_eq!(
        v1.headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(
        bagalau_services::ratings::Ratings::from_json(&v1.text()).unwrap(),
        first
    );
    for missing in [
        "/open-data/services/ratings-2023-v3.csv",
        "/open-data/services/ratings-2022.csv",
        "/open-data/services/ratings-23.csv",
        "/open-data/services/ratings-2023.xlsx",
        "/open-data/services/ratings-2023-v0.csv",
    ] {
        assert_eq!(
            get(&state, missing, &[]).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
    // Listed on the open-data page and in the catalogue, every version.
    let open = get(&state, "/open-data?lang=en", &[]).await.text();
    assert!(
        open.contains("href=\"/open-data/services/ratings-2023-v1.csv\""),
        "{open}"
    );
    assert!(
        open.contains("href=\"/open-data/services/ratings-2023-v2.json\""),
        "{open}"
    );
    let catalogue: serde_json::Value =
        serde_json::from_slice(&get(&state, "/open-data/catalog.jsonld", &[]).await.body).unwrap();
    let ids: Vec<&str> = catalogue["dcat:dataset"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["@id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"http://data.example.kz/open-data/services/ratings-2023-v1"),
        "{ids:?}"
    );
    assert!(
        ids.contains(&"http://data.example.kz/open-data/services/ratings-2023-v2"),
        "{ids:?}"
    );
    let v2 = catalogue["dcat:dataset"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["@id"] == "http://data.example.kz/open-data/services/ratings-2023-v2")
        .unwrap();
    assert_eq!(
        v2["adms:versionNotes"],
        "Abai's records of March re-imported"
    );
    assert_eq!(v2["bagalau:demonstration"], true);
    // The list of services links to the ratings.
    let services = get(&state, "/en/services", &[]).await.text();
    assert!(services.contains("href=\"/en/services/ratings\""));
}

#[tokio::test]
async fn published_monitoring_reports_on_the_portal_and_nothing_else() {
    use bagalau_core::monitoring::{
        Accreditation, Finding, Observation, Organisation, Project, ProjectPlan,
        ProjectRecommendation, ProjectStatus, Reply, Severity, Stance,
    };
    use bagalau_core::recommendation::{Recommendation, RecommendationState};
    use chrono::NaiveDate;
    let dir = tempfile::tempdir().unwrap();
    let (state, _) = setup(&dir, "register.csv").await;
    let none = get(&state, "/en/monitoring", &[]).await;
    assert_eq!(none.status, StatusCode::OK);
    assert!(
        none.text()
            .contains("No monitoring report has been published yet.")
    );

    let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    let project = |title: &str, status| Project {
        organisation: "adal".into(),
        plan: ProjectPlan {
            title: title.into(),
            services: vec!["reg_birth".into()],
            regions: vec!["abai".into()],
            period_from: day(1, 1),
            period_to: day(1, 31),
            method: "test visits to Public Service Centres".into(),
        },
        status,
        created_by: "aigerim".into(),
        reported_at: (status == ProjectStatus::Reported)
            .then(|| day(2, 20).and_hms_opt(9, 0, 0).unwrap()),
    };
    let finding = |project: i64, text: &str, reply: Option<Reply>| Finding {
        project,
        observation: Observation {
            service: "reg_birth".into(),
            body: "moj".into(),
            region: "abai".into(),
            office: Some("PSC No. 2".into()),
            observed_on: day(1, 15),
            text: text.into(),
            severity: Severity::Major,
            evidence: vec![],
        },
        submitted_by: "aigerim".into(),
        submitted_at: day(1, 16).and_hms_opt(10, 0, 0).unwrap(),
        reply_due: day(1, 30),
        reply,
    };
    state
        .store
        .apply(ImportBatch {
            monitoring_organisations: vec![Organisation {
                id: "adal".into(),
                name: bagalau_core::Names {
                    kk: "Адал".into(),
                    ru: "Адал".into(),
                    en: "Adal Monitoring".into(),
                },
                accreditation: Some(Accreditation {
                    by: "order 12".into(),
                    from: day(1, 1),
                    until: day(12, 31),
                    revoked: None,
                }),
            }],
            monitoring_projects: vec![
                (
                    None,
                    project("Birth registration in Abai", ProjectStatus::Reported),
                ),
                (None, project("Work in progress", ProjectStatus::Active)),
            ],
            at: NOW.into(),
            actor: "test".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    state
        .store
        .apply(ImportBatch {
            monitoring_findings: vec![
                (
                    None,
                    finding(
                        1,
                        "a birth certificate from the hospital asked twice",
                        Some(Reply {
                            by: "moj_staff".into(),
                            at: day(1, 20).and_hms_opt(12, 0, 0).unwrap(),
                            stance: Stance::Disputes,
                            text: "the first copy was illegible".into(),
                            evidence: vec![],
                        }),
                    ),
                ),
                (None, finding(1, "no queue ticket machine", None)),
                (None, finding(2, "an unpublished observation", None)),
            ],
            monitoring_recommendations: vec![(
                None,
                ProjectRecommendation {
                    project: 1,
                    organisation: "adal".into(),
                    recommendation: Recommendation {
                        year: 2026,
                        body: "moj".into(),
                        issued_by: "aigerim".into(),
                        text: "publish the list of documents at every office".into(),
                        due: day(6, 1),
                        state: RecommendationState::Open,
                        report: None,
                        reported_at: None,
                        evidence: vec![],
                        review_reason: None,
                    },
                },
            )],
            at: NOW.into(),
            actor: "test".into(),
            ..Default::default()
        })
        .await
        .unwrap();

    let list = get(&state, "/ru/monitoring", &[]).await.text();
    assert!(list.contains("href=\"/ru/monitoring/1\""), "{list}");
    assert!(
        list.contains("Birth registration in Abai") && list.contains("Адал"),
        "{list}"
    );
    assert!(list.contains("замечаний: 2, с ответом: 1"), "{list}");
    assert!(!list.contains("Work in progress"), "unpublished: {list}");

    let report = get(&state, "/en/monitoring/1", &[]).await;
    assert_eq!(report.status, StatusCode::OK);
    let report = report.text();
    assert!(report.contains("Adal Monitoring"), "{report}");
    assert!(report.contains("Ministry of Justice"), "{report}");
    assert!(report.contains("Abai Region, PSC No. 2"), "{report}");
    assert!(report.contains("The body disputes the finding"), "{report}");
    assert!(report.contains("the first copy was illegible"), "{report}");
    assert!(
        report.contains("The body did not reply within its term: the finding stands as submitted."),
        "{report}"
    );
    assert!(
        report.contains("publish the list of documents at every office"),
        "{report}"
    );
    assert!(!report.contains("an unpublished observation"), "{report}");
    // Unpublished and missing reports are alike: not found.
    for path in [
        "/en/monitoring/2",
        "/en/monitoring/99",
        "/en/monitoring/x",
        "/xx/monitoring",
    ] {
        let a = get(&state, path, &[]).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!a.text().contains("Work in progress"), "{path}");
    }
}
