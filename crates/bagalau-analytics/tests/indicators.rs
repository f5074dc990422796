//! The indicator pack's counts on a handful of records whose answers were
//! worked out by hand: working-day deadlines across the May 2024 holidays
//! and the Saturday made a working day, hour and calendar-day deadlines,
//! a register version change, a record without a delivery date and one of
//! a service outside the register.

use bagalau_analytics::engine::{count, session};
use bagalau_analytics::records::{Record, write_file};
use bagalau_analytics::{Counts, IndicatorPack};
use bagalau_services::calendar::Rules;
use bagalau_services::register::Register;
use chrono::NaiveDateTime;

const REGISTER: &str = "id,name_kk,name_ru,name_en,sector,providers,channels,deadline,deadline_unit,documents,cost_tenge,result_form,automated,effective_from,effective_to
a,А,А,A,registration,minjust,psc;portal,1,working_days,,0,electronic,true,2020-01-01,2024-04-30
a,А,А,A,registration,minjust,psc;portal,2,working_days,,0,electronic,true,2024-05-01,
b,Б,Б,B,health,moh,body;portal,2,hours,,0,electronic,true,2020-01-01,
c,В,В,C,land,akimat,psc,3,calendar_days,,0,paper,false,2020-01-01,
";

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn record(
    service: &str,
    region: &str,
    channel: &str,
    requested: &str,
    delivered: Option<&str>,
    extra: Option<i32>,
) -> Record {
    Record {
        service: service.into(),
        provider: "p".into(),
        region: region.into(),
        office: format!("{channel}_{region}"),
        channel: channel.into(),
        recipient: "individual".into(),
        requested_at: t(requested),
        delivered_at: delivered.map(t),
        extra_documents: extra,
    }
}

fn fixture(root: &std::path::Path) {
    let may = [
        // Friday 3 May; 2 working days: Saturday 4 May (moved), Monday 6 May.
        record(
            "a",
            "astana",
            "portal",
            "2024-05-03 10:00",
            Some("2024-05-06 15:00"),
            None,
        ),
        // The same, delivered on 10 May: late, and with two documents
        // beyond the standard: one breach.
        record(
            "a",
            "astana",
            "portal",
            "2024-05-03 10:00",
            Some("2024-05-10 15:00"),
            Some(2),
        ),
        // Monday 6 May; 7-9 May off, so the deadline is Monday 13 May: on time.
        record(
            "a",
            "astana",
            "psc",
            "2024-05-06 10:00",
            Some("2024-05-10 15:00"),
            Some(1),
        ),
        // Two hours exactly: on time; a minute more: late.
        record(
            "b",
            "astana",
            "body",
            "2024-05-06 09:00",
            Some("2024-05-06 11:00"),
            Some(0),
        ),
        record(
            "b",
            "almaty",
            "portal",
            "2024-05-06 09:00",
            Some("2024-05-06 11:01"),
            None,
        ),
        // Three calendar days, holidays or not: 9 May is the last day.
        record(
            "c",
            "almaty",
            "psc",
            "2024-05-06 10:00",
            Some("2024-05-09 16:00"),
            None,
        ),
        // No delivery date: neither on time nor late.
        record("c", "almaty", "psc", "2024-05-06 10:00", None, None),
        // Not in the register: hidden.
        record(
            "zz",
            "almaty",
            "portal",
            "2024-05-06 10:00",
            Some("2024-05-06 12:00"),
            None,
        ),
    ];
    write_file(root, 2024, 5, "part-0", &may).unwrap();
    // June: two working days after Monday 3 June is Wednesday 5 June.
    write_file(
        root,
        2024,
        6,
        "part-0",
        &[record(
            "a",
            "almaty",
            "portal",
            "2024-06-03 10:00",
            Some("2024-06-05 15:00"),
            None,
        )],
    )
    .unwrap();
    // April: the older version of `a` (1 working day): Tuesday 2 April was the last day.
    write_file(
        root,
        2024,
        4,
        "part-0",
        &[record(
            "a",
            "astana",
            "psc",
            "2024-04-01 10:00",
            Some("2024-04-03 15:00"),
            None,
        )],
    )
    .unwrap();
}

/// A session over the records under `root`, with the fixture's register
/// and the calendar of 2024-2025.
async fn open(root: &std::path::Path) -> datafusion::prelude::SessionContext {
    let register = Register::from_csv(REGISTER).unwrap();
    let days = Rules::kazakhstan().working_days(2024, 2025).unwrap();
    session(root, &register, &days, 2024, Some(2))
        .await
        .unwrap()
}

fn counts(c: &Counts) -> [u64; 9] {
    bagalau_analytics::pack::COUNTS.map(|n| c.get(n))
}

#[tokio::test]
async fn counts_worked_out_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    let pack = IndicatorPack::services_v1();
    let ctx = open(dir.path()).await;
    let all: Vec<u32> = (1..=12).collect();
    let b = count(&ctx, &pack, 2024, &all).await.unwrap();
    // records, hidden, on_time, violations, no_delivery_date, electronic,
    // documents_recorded, extra_documents, breaches (late or documents
    // beyond the standard: records 2, 3, 5 of May and April's, once each)
    assert_eq!(counts(&b.total()), [10, 1, 5, 3, 1, 5, 3, 2, 4]);
    let sectors = b.year("sector");
    assert_eq!(
        counts(&sectors[&Some("registration".into())]),
        [5, 0, 3, 2, 0, 3, 2, 2, 3]
    );
    assert_eq!(
        counts(&sectors[&Some("health".into())]),
        [2, 0, 1, 1, 0, 1, 1, 0, 1]
    );
    assert_eq!(
        counts(&sectors[&Some("land".into())]),
        [2, 0, 1, 0, 1, 0, 0, 0, 0]
    );
    assert_eq!(counts(&sectors[&None]), [1, 1, 0, 0, 0, 1, 0, 0, 0]);
    let regions = b.year("region");
    assert_eq!(
        counts(&regions[&Some("astana".into())]),
        [5, 0, 3, 2, 0, 2, 3, 2, 3]
    );
    assert_eq!(
        counts(&regions[&Some("almaty".into())]),
        [5, 1, 2, 1, 1, 3, 0, 0, 1]
    );
    let services = b.year("service");
    assert_eq!(services[&Some("zz".into())].get("hidden"), 1);
    let months = b.year("month");
    assert_eq!(
        months.len(),
        1,
        "the month dimension has no value: {months:?}"
    );
    let by_month: Vec<(u32, u64)> = b
        .groups
        .iter()
        .filter(|((d, _, _), _)| d == "month")
        .map(|((_, _, m), c)| (*m, c.get("records")))
        .collect();
    assert_eq!(by_month, [(4, 1), (5, 8), (6, 1)]);
    // The indicators are ratios of the counts: 5 of the 8 decided were on time.
    let compliance = pack
        .indicators
        .iter()
        .find(|i| i.id == "deadline_compliance")
        .unwrap();
    let total = b.total();
    let num = bagalau_analytics::pack::evaluate(&compliance.numerator, &total);
    let den = bagalau_analytics::pack::evaluate(compliance.denominator.as_ref().unwrap(), &total);
    assert_eq!((num, den), (5, 8));
}

#[tokio::test]
async fn a_year_is_the_sum_of_its_months() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    let pack = IndicatorPack::services_v1();
    let ctx = open(dir.path()).await;
    let whole = count(&ctx, &pack, 2024, &[4, 5, 6]).await.unwrap();
    let mut parts = count(&ctx, &pack, 2024, &[4, 5]).await.unwrap();
    parts.merge(count(&ctx, &pack, 2024, &[6]).await.unwrap());
    assert_eq!(parts, whole);
}

#[tokio::test]
async fn a_new_month_is_counted_alone() {
    use bagalau_analytics::incremental::count_year;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("deliveries");
    let blobs = bagalau_blobs::BlobStore::open(&dir.path().display().to_string()).unwrap();
    fixture(&root);
    let pack = IndicatorPack::services_v1();
    let ctx = open(&root).await;
    let (first, counted) = count_year(&ctx, &pack, &blobs, 2024, "inputs")
        .await
        .unwrap();
    assert_eq!(counted, [4, 5, 6]);
    assert_eq!(first.total().get("records"), 10);
    let (again, counted) = count_year(&ctx, &pack, &blobs, 2024, "inputs")
        .await
        .unwrap();
    assert_eq!(counted, Vec::<u32>::new(), "nothing changed, nothing read");
    assert_eq!(again, first);
    // July arrives: only July is counted, and the year includes it.
    write_file(
        &root,
        2024,
        7,
        "part-0",
        &[record(
            "c",
            "astana",
            "psc",
            "2024-07-01 10:00",
            Some("2024-07-02 10:00"),
            None,
        )],
    )
    .unwrap();
    // (A session lists the files once, as each run of the command does.)
    let ctx = open(&root).await;
    let (with_july, counted) = count_year(&ctx, &pack, &blobs, 2024, "inputs")
        .await
        .unwrap();
    assert_eq!(counted, [7]);
    assert_eq!(counts(&with_july.total()), [11, 1, 6, 3, 1, 5, 3, 2, 4]);
    assert_eq!(
        with_july,
        count(&ctx, &pack, 2024, &[4, 5, 6, 7]).await.unwrap()
    );
    // Another register or calendar (other inputs): everything again.
    let (_, counted) = count_year(&ctx, &pack, &blobs, 2024, "other inputs")
        .await
        .unwrap();
    assert_eq!(counted, [4, 5, 6, 7]);
}

#[tokio::test]
async fn a_month_in_several_files_is_counted_as_one() {
    // Each partition of the engine may read whole months and count their
    // cells where it reads them; a month imported in two files must still
    // make one cell of records that share every key.
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    write_file(
        dir.path(),
        2024,
        5,
        "part-1",
        &[record(
            "a",
            "astana",
            "portal",
            "2024-05-03 10:00",
            Some("2024-05-06 15:00"),
            None,
        )],
    )
    .unwrap();
    let pack = IndicatorPack::services_v1();
    let register = Register::from_csv(REGISTER).unwrap();
    let days = Rules::kazakhstan().working_days(2024, 2025).unwrap();
    let mut by_threads = Vec::new();
    for threads in [1, 2, 3] {
        let ctx = session(dir.path(), &register, &days, 2024, Some(threads))
            .await
            .unwrap();
        by_threads.push(count(&ctx, &pack, 2024, &[4, 5, 6]).await.unwrap());
    }
    let b = &by_threads[0];
    assert_eq!(by_threads[1], *b, "two partitions count what one does");
    assert_eq!(by_threads[2], *b, "three partitions count what one does");
    let may = b
        .groups
        .iter()
        .find(|((d, _, m), _)| d == "month" && *m == 5)
        .map(|(_, c)| counts(c))
        .unwrap();
    // The fixture's May (8 records, 4 on time: the first and third of `a`,
    // `b` in two hours, `c` in three days) and one more on time.
    assert_eq!((may[0], may[2]), (9, 4 + 1));
}

/// The application's port: filters on the records' columns and on the
/// sector of their standard, a range of months, the cache only for the
/// unfiltered year; the same in a folder and in S3-compatible storage.
#[tokio::test]
async fn the_kept_records_count_what_a_filter_and_months_keep() {
    use bagalau_analytics::kept::KeptRecords;
    let dir = tempfile::tempdir().unwrap();
    fixture(&dir.path().join("deliveries"));
    let in_folder = KeptRecords::in_folder(dir.path()).unwrap();
    filtered_counts(&in_folder).await;
    assert!(
        dir.path().join("cache").is_dir(),
        "the cache is beside the records"
    );
    if let Some(moto) = bagalau_blobs::testing::Moto::from_env() {
        let blobs = moto.blobs("records", "kept");
        let in_bucket = KeptRecords::on(blobs.clone());
        in_bucket
            .write_with(|root| {
                fixture(root);
                Ok(())
            })
            .await
            .unwrap();
        assert!(in_bucket.folder().is_none());
        filtered_counts(&in_bucket).await;
        let cached = blobs.list("cache/").await.unwrap();
        assert_eq!(cached.len(), 3, "a cached entry per month: {cached:?}");
    }
}

async fn filtered_counts(records: &bagalau_analytics::kept::KeptRecords) {
    use bagalau_services::deliveries::{DeliveryRecords, Filter, Question};
    let register = Register::from_csv(REGISTER).unwrap();
    let days = Rules::kazakhstan().working_days(2024, 2025).unwrap();
    let ask = async |filter: &Filter, months: std::ops::RangeInclusive<u32>| {
        let question = Question {
            year: 2024,
            months,
            filter,
            register: &register,
            days: &days,
            inputs: "inputs",
        };
        records.count(question).await.unwrap().unwrap()
    };
    let everything = Filter::default();
    let year = ask(&everything, 1..=12).await;
    assert_eq!(year.counted_now, [4, 5, 6]);
    assert_eq!(
        counts(&year.breakdown.total()),
        [10, 1, 5, 3, 1, 5, 3, 2, 4]
    );
    let may = ask(&everything, 5..=5).await;
    assert!(may.counted_now.is_empty(), "May came from the cache");
    assert_eq!(may.breakdown.total().get("records"), 8);
    assert_eq!(may.breakdown.months(), [5].into());
    let astana = Filter {
        region: Some("astana".into()),
        ..Filter::default()
    };
    let counted = ask(&astana, 1..=12).await;
    assert_eq!(
        counts(&counted.breakdown.total()),
        [5, 0, 3, 2, 0, 2, 3, 2, 3]
    );
    assert_eq!(
        counted.breakdown.year("region").keys().collect::<Vec<_>>(),
        [&Some("astana".to_string())]
    );

    // Registration: four records of `a` in Astana (two late, two with
    // documents beyond the standard, three breaches) and June's in Almaty.
    let registration = Filter {
        sector: Some("registration".into()),
        ..Filter::default()
    };
    let counted = ask(&registration, 1..=12).await;
    assert_eq!(
        counts(&counted.breakdown.total()),
        [5, 0, 3, 2, 0, 3, 2, 2, 3]
    );
    let regions = counted.breakdown.year("region");
    assert_eq!(
        counts(&regions[&Some("astana".into())]),
        [4, 0, 2, 2, 0, 2, 2, 2, 3]
    );
    assert_eq!(
        counts(&regions[&Some("almaty".into())]),
        [1, 0, 1, 0, 0, 1, 0, 0, 0]
    );
    let both = Filter {
        sector: Some("registration".into()),
        region: Some("almaty".into()),
        ..Filter::default()
    };
    let counted = ask(&both, 1..=12).await;
    assert_eq!(
        counts(&counted.breakdown.total()),
        [1, 0, 1, 0, 0, 1, 0, 0, 0]
    );
    assert_eq!(counted.counted_now, [6]);
    // A value with a quote is a value, not SQL.
    let odd = Filter {
        region: Some("x' OR '1'='1".into()),
        ..Filter::default()
    };
    assert_eq!(ask(&odd, 1..=12).await.breakdown.total().get("records"), 0);
    // A year without records has none to count.
    let question = Question {
        year: 2023,
        months: 1..=12,
        filter: &everything,
        register: &register,
        days: &days,
        inputs: "inputs",
    };
    assert!(records.count(question).await.unwrap().is_none());
}
