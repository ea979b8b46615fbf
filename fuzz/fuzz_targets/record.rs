//! Any record, under any time zone and bad-time policy, gives an article or
//! a typed error, never a panic; the same fields as a JSON Lines record give
//! the same result; an article has a title or a paragraph, and a publish
//! time within the documented range.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use zhdedup::{BadTimes, Loader, Published, Record};

#[derive(Arbitrary, Debug)]
enum Body {
    None,
    Text(String),
    Html(String),
    Paragraphs(Vec<String>),
}

#[derive(Arbitrary, Debug)]
enum When {
    None,
    Text(String),
    Epoch(i64),
}

#[derive(Arbitrary, Debug)]
struct Input {
    title: String,
    body: Body,
    outlet: Option<String>,
    url: Option<String>,
    published: When,
    utc_offset_minutes: i16,
    reject_bad_times: bool,
}

fuzz_target!(|input: Input| {
    let mut builder = Loader::builder();
    builder
        .utc_offset_minutes(i32::from(input.utc_offset_minutes))
        .bad_times(if input.reject_bad_times { BadTimes::Reject } else { BadTimes::Warn });
    // Offsets beyond ±18 hours are refused by `build`, with an error.
    let Ok(loader) = builder.build() else { return };

    let mut record = Record::new(input.title.as_str());
    let mut json = serde_json::json!({ "title": input.title });
    match &input.body {
        Body::None => {}
        Body::Text(text) => {
            record = record.text(text.as_str());
            json["text"] = text.as_str().into();
        }
        Body::Html(html) => {
            record = record.html(html.as_str());
            json["html"] = html.as_str().into();
        }
        Body::Paragraphs(paragraphs) => {
            record = record.paragraphs(paragraphs.iter().map(String::as_str));
            json["paragraphs"] = paragraphs.clone().into();
        }
    }
    if let Some(outlet) = &input.outlet {
        record = record.outlet(outlet.as_str());
        json["outlet"] = outlet.as_str().into();
    }
    if let Some(url) = &input.url {
        record = record.url(url.as_str());
        json["url"] = url.as_str().into();
    }
    match &input.published {
        When::None => {}
        When::Text(text) => {
            record = record.published(text.as_str());
            json["published"] = text.as_str().into();
        }
        &When::Epoch(epoch) => {
            record = record.published_epoch(epoch);
            json["published"] = epoch.into();
        }
    }

    let from_record = loader.parse_record(&record);
    let line = format!("{json}\n");
    let from_line = loader.parse_bytes("record.jsonl".as_ref(), line.as_bytes());
    match (&from_record, &from_line) {
        (Ok(article), Ok(articles)) => {
            assert!(!article.title.is_empty() || !article.paragraphs.is_empty());
            if let Some(published) = article.published {
                let range = Published::MIN_UTC_MS..=Published::MAX_UTC_MS;
                assert!(range.contains(&published.utc_ms));
            }
            let [from_line] = &articles[..] else { panic!("one record, one article") };
            assert_eq!(
                (&article.title, &article.paragraphs, &article.published, &article.warnings),
                (
                    &from_line.title,
                    &from_line.paragraphs,
                    &from_line.published,
                    &from_line.warnings
                ),
            );
        }
        (Err(a), Err(b)) => assert_eq!(a.reason(), b.reason()),
        _ => panic!("record {from_record:?} but JSON line {from_line:?}"),
    }
});
