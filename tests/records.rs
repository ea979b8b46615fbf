//! Records from memory, the publish-time contract and article ids, through
//! the public API (issue #16, items 2-4).

use std::path::Path;

use zhdedup::{
    ArticleId, BadTimes, ErrorKind, Format, Loader, Published, Record, TimeSource, Warning,
};

/// 2020-11-03 00:22:03 UTC.
const MS: i64 = 1_604_362_923_000;

fn jsonl(records: &[serde_json::Value]) -> String {
    records.iter().map(|r| format!("{r}\n")).collect()
}

#[test]
fn a_loader_never_repeats_an_id() {
    // Before: every `parse_bytes` call numbered its articles from 0, so a
    // loop over records gave [0, 0, 0].
    let loader = Loader::new();
    let mut ids = Vec::new();
    for title in ["一", "二", "三"] {
        let line = jsonl(&[serde_json::json!({ "title": title })]);
        let articles = loader.parse_bytes(Path::new("one.jsonl"), line.as_bytes()).unwrap();
        ids.extend(articles.iter().map(|a| a.id));
    }
    ids.push(loader.parse_record(&Record::new("四")).unwrap().id);
    // Clones share the numbering.
    ids.push(loader.clone().parse_record(&Record::new("五")).unwrap().id);
    assert_eq!(ids, (0..5).map(ArticleId).collect::<Vec<_>>());

    // A failed record takes no id.
    assert!(loader.parse_record(&Record::new("")).is_err());
    assert_eq!(loader.parse_record(&Record::new("六")).unwrap().id, ArticleId(5));
}

#[test]
fn numbering_can_start_anywhere_and_ends_with_an_error() {
    let loader = Loader::builder().first_id(u32::MAX - 1).build().unwrap();
    assert_eq!(loader.parse_record(&Record::new("一")).unwrap().id, ArticleId(u32::MAX - 1));
    // Before: `unwrap_or(u32::MAX)` gave every later article the same id.
    let two = jsonl(&[serde_json::json!({"title": "二"}), serde_json::json!({"title": "三"})]);
    let err = loader.parse_bytes(Path::new("two.jsonl"), two.as_bytes()).unwrap_err();
    assert_eq!(err.reason(), "ids_exhausted");
    assert_eq!(loader.parse_record(&Record::new("二")).unwrap().id, ArticleId(u32::MAX));
    let err = loader.parse_record(&Record::new("三").source("db", Some(3))).unwrap_err();
    assert_eq!(err.reason(), "ids_exhausted");
    assert_eq!(err.to_string(), "db:3: all 2^32 article ids are taken");
}

#[test]
fn a_record_is_cleaned_as_a_json_lines_record() {
    let html = "<div><p>台湾中央气象署表示，花莲县外海发生规模6.1地震。</p>\
                <figure><figcaption>震央位置图</figcaption></figure>\
                <p>花莲县政府指出，尚无人员伤亡。（完）</p></div>";
    let url = "https://www.rfi.fr/cn/%E5%9C%B0%E9%9C%87";
    let record = Record::new("台湾花莲外海地震 – 法国国际广播电台")
        .html(html)
        .url(url)
        .published("2020-11-03 08:22:03")
        .source("news.jsonl", Some(1));
    let loader = Loader::new();
    let from_record = loader.parse_record(&record).unwrap();
    assert_eq!(from_record.title, "台湾花莲外海地震");
    assert_eq!(from_record.raw_title, "台湾花莲外海地震 – 法国国际广播电台");
    assert_eq!(
        from_record.paragraphs,
        ["台湾中央气象署表示，花莲县外海发生规模6.1地震。", "花莲县政府指出，尚无人员伤亡。"]
    );
    assert_eq!(from_record.captions, ["震央位置图"]);
    assert_eq!(from_record.outlet.as_deref(), Some("法广"), "the outlet from the URL's host");
    assert_eq!(from_record.url.as_deref(), Some("https://www.rfi.fr/cn/地震"));
    assert_eq!(from_record.format, Format::JsonLines);
    assert_eq!(from_record.published, Some(Published::new(MS, TimeSource::JsonField)));
    assert_eq!(from_record.to_string(), "news.jsonl:1: 台湾花莲外海地震");

    let line = jsonl(&[serde_json::json!({
        "title": "台湾花莲外海地震 – 法国国际广播电台", "html": html, "url": url,
        "published": "2020-11-03 08:22:03",
    })]);
    let mut from_file = loader.parse_bytes(Path::new("news.jsonl"), line.as_bytes()).unwrap();
    let mut from_file = from_file.remove(0);
    from_file.id = from_record.id;
    assert_eq!(from_file, from_record);
}

#[test]
fn text_and_paragraph_bodies() {
    let loader = Loader::new();
    let text = loader
        .parse_record(&Record::new("标题").text("第一段。\n\n  第二段。 \n版权所有，不得转载。"))
        .unwrap();
    assert_eq!(text.paragraphs, ["第一段。", "第二段。"]);
    assert_eq!(text.removed["copyright"], 1);
    let paragraphs = loader
        .parse_record(&Record::new("标题").paragraphs(["第一段。", "", "第二段。", "版权所有"]))
        .unwrap();
    assert_eq!(paragraphs.paragraphs, text.paragraphs);
    // The JSON field `paragraphs` is the same body.
    let line =
        jsonl(&[serde_json::json!({"title": "标题", "paragraphs": ["第一段。", "第二段。"]})]);
    let parsed = loader.parse_bytes(Path::new("p.jsonl"), line.as_bytes()).unwrap();
    assert_eq!(parsed[0].paragraphs, text.paragraphs);
    // No title and no text is an error, not an empty article.
    let err = loader.parse_record(&Record::new(" ").paragraphs(["版权所有"])).unwrap_err();
    assert_eq!(err.reason(), "empty");
}

/// The published value of a one-record JSON Lines file, read by `loader`.
fn read_published(
    loader: &Loader,
    published: serde_json::Value,
) -> (Option<Published>, Vec<Warning>) {
    let line = jsonl(&[serde_json::json!({"title": "标题", "published": published})]);
    let mut articles = loader.parse_bytes(Path::new("t.jsonl"), line.as_bytes()).unwrap();
    let article = articles.remove(0);
    (article.published, article.warnings)
}

#[test]
fn times_that_are_not_times_are_never_silently_dropped() {
    // Before: each became `None` without a word.
    let loader = Loader::new();
    for value in [
        serde_json::json!("yesterday"),
        serde_json::json!("2020-13-45"),
        serde_json::json!("2020-02-30 08:00"),
        serde_json::json!(i64::MAX),
        serde_json::json!(-i64::MAX),
        serde_json::json!(u64::MAX),
        serde_json::json!(1e300),
        serde_json::json!(true),
    ] {
        if value.is_boolean() {
            let line = jsonl(&[serde_json::json!({"title": "标题", "published": value})]);
            let err = loader.parse_bytes(Path::new("t.jsonl"), line.as_bytes()).unwrap_err();
            assert_eq!(err.reason(), "json", "{value}");
            assert!(err.to_string().contains("`published`"), "{err}");
            continue;
        }
        let (published, warnings) = read_published(&loader, value.clone());
        assert_eq!(published, None, "{value}");
        let [Warning::BadTime { source, value: written, reason }] = &warnings[..] else {
            panic!("{value}: one warning, got {warnings:?}");
        };
        assert_eq!(*source, TimeSource::JsonField);
        assert!(!reason.is_empty());
        assert_eq!(value.as_str().map_or(value.to_string(), str::to_string), *written);
    }
}

#[test]
fn bad_times_can_fail_the_record_naming_it() {
    let loader = Loader::builder().bad_times(BadTimes::Reject).build().unwrap();
    let lines = jsonl(&[
        serde_json::json!({"title": "好", "published": "2020-11-03T08:22:03+08:00"}),
        serde_json::json!({"title": "坏", "published": "yesterday"}),
    ]);
    let loaded = {
        let dir = std::env::temp_dir().join(format!("zhdedup-bad-times-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.jsonl");
        std::fs::write(&path, &lines).unwrap();
        let loaded = loader.load_paths(&[&path]);
        std::fs::remove_dir_all(&dir).unwrap();
        loaded
    };
    assert_eq!(loaded.articles.len(), 1);
    let err = &loaded.failures[0];
    assert_eq!((err.reason(), err.line()), ("bad_time", Some(2)));
    assert!(matches!(err.kind(), ErrorKind::BadTime { source: TimeSource::JsonField, .. }));
    assert!(err.to_string().ends_with("t.jsonl:2: bad json_field time \"yesterday\": expected RFC 3339, RFC 2822, `YYYY-MM-DD[ HH:MM[:SS]]` (also with `/` or 年月日), or epoch seconds or milliseconds"), "{err}");

    let err = loader
        .parse_record(&Record::new("坏").published_epoch(i64::MAX).source("db/news", Some(7)))
        .unwrap_err();
    assert_eq!(err.path(), Some(Path::new("db/news")));
    assert_eq!(err.line(), Some(7));
}

#[test]
fn chinese_and_slash_dates_and_fractions_are_read() {
    // Before: all four were `None`.
    let loader = Loader::new();
    for (value, want) in [
        (serde_json::json!("2020/11/03 08:22:03"), MS),
        (serde_json::json!("2020年11月3日 08:22:03"), MS),
        (serde_json::json!("2020年11月3日"), MS - (8 * 60 + 22) * 60_000 - 3_000),
        (serde_json::json!(1_604_362_923.5), MS + 500),
    ] {
        let (published, warnings) = read_published(&loader, value.clone());
        assert_eq!(published.map(|p| p.utc_ms), Some(want), "{value}");
        assert!(warnings.is_empty());
    }
}

#[test]
fn seconds_and_milliseconds_by_magnitude() {
    // Before: 1604362923 was read as milliseconds (1970-01-19).
    let loader = Loader::new();
    for value in [
        serde_json::json!(1_604_362_923),
        serde_json::json!(MS),
        serde_json::json!("1604362923"),
        serde_json::json!("1604362923000"),
    ] {
        assert_eq!(read_published(&loader, value.clone()).0.map(|p| p.utc_ms), Some(MS), "{value}");
    }
    let record = Record::new("标题").published_epoch(1_604_362_923);
    assert_eq!(loader.parse_record(&record).unwrap().published.unwrap().utc_ms, MS);
}

#[test]
fn times_without_offset_are_in_the_loaders_zone() {
    // Before: UTC, 8 hours off for a Beijing time.
    let civil = serde_json::json!("2020-11-03 08:22:03");
    let (beijing, _) = read_published(&Loader::new(), civil.clone());
    assert_eq!(beijing.unwrap().utc_ms, MS);
    let utc = Loader::builder().utc_offset_minutes(0).build().unwrap();
    assert_eq!(read_published(&utc, civil).0.unwrap().utc_ms, MS + 8 * 3_600_000);
    // An explicit offset wins over the zone.
    let explicit = serde_json::json!("2020-11-03T08:22:03+08:00");
    assert_eq!(read_published(&utc, explicit).0.unwrap().utc_ms, MS);
    for minutes in [18 * 60 + 1, -18 * 60 - 1, i32::MAX, i32::MIN] {
        let err = Loader::builder().utc_offset_minutes(minutes).build().unwrap_err();
        assert_eq!(err.reason(), "config");
    }
}

#[test]
fn fields_of_the_wrong_type_are_errors() {
    // Before: `"title": 5` gave an empty title.
    let loader = Loader::new();
    for (record, field) in [
        (serde_json::json!({"title": 5, "text": "正文"}), "title"),
        (serde_json::json!({"title": "标题", "text": ["正文"]}), "text"),
        (serde_json::json!({"title": "标题", "html": {}}), "html"),
        (serde_json::json!({"title": "标题", "url": 1}), "url"),
        (serde_json::json!({"title": "标题", "outlet": false}), "outlet"),
        (serde_json::json!({"title": "标题", "paragraphs": "正文"}), "paragraphs"),
        (serde_json::json!({"title": "标题", "paragraphs": [1]}), "paragraphs"),
        (serde_json::json!({"title": "标题", "published": []}), "published"),
    ] {
        let line = jsonl(std::slice::from_ref(&record));
        let err = loader.parse_bytes(Path::new("t.jsonl"), line.as_bytes()).unwrap_err();
        assert_eq!((err.reason(), err.line()), ("json", Some(1)), "{record}");
        assert!(err.to_string().contains(&format!("field `{field}`")), "{err}");
    }
    // `null` is the same as absent, and unknown fields are ignored.
    let line = jsonl(&[serde_json::json!({"title": "标题", "url": null, "id": 7})]);
    let articles = loader.parse_bytes(Path::new("t.jsonl"), line.as_bytes()).unwrap();
    assert_eq!(articles[0].url, None);
}

#[test]
fn ingest_types_display() {
    let article = Loader::new()
        .parse_record(&Record::new("标题").published("2020-11-03T08:22:03+08:00"))
        .unwrap();
    let published = article.published.unwrap();
    assert_eq!(published.to_string(), "2020-11-03T00:22:03Z");
    assert_eq!(published.source.to_string(), "json_field");
    assert_eq!(article.format.to_string(), "json_lines");
    assert_eq!(article.id.to_string(), "0");
    assert_eq!(article.source.to_string(), "");
    assert_eq!(article.to_string(), "标题");
    let warning = Warning::BadTime {
        source: TimeSource::FrontMatter,
        value: "yesterday".into(),
        reason: "not a time".into(),
    };
    assert_eq!(warning.to_string(), "ignored front_matter time \"yesterday\": not a time");
}
