//! Any small set of articles under any valid settings: every article is in
//! exactly one cluster, and one thread and two give the same clusters.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use zhdedup::{Clusterer, Loader, Model};

#[derive(Arbitrary, Debug)]
struct Input {
    /// One JSON Lines record each: title, paragraphs, hour of the day,
    /// which of two outlets.
    records: Vec<(String, Vec<String>, u8, bool)>,
    ngram: u8,
    max_distance: u8,
    event_threshold: u8,
    story_threshold: u8,
}

fuzz_target!(|input: Input| {
    let mut lines = String::new();
    for (title, paragraphs, hour, outlet) in input.records.iter().take(32) {
        let record = serde_json::json!({
            "title": title,
            "text": paragraphs.join("\n"),
            "published": format!("2020-07-22T{:02}:00:00Z", hour % 24),
            "outlet": if *outlet { "A" } else { "B" },
        });
        lines.push_str(&record.to_string());
        lines.push('\n');
    }
    // Records without a title or text are refused; that is the loader's
    // contract, tested by the `parse` target.
    let Ok(articles) = Loader::new().parse_bytes("fuzz.jsonl".as_ref(), lines.as_bytes()) else {
        return;
    };
    // Thresholds in the wrong order are refused by `with_thresholds`.
    let Ok(model) = Model::builtin().with_thresholds(
        f32::from(input.event_threshold) / 255.0,
        f32::from(input.story_threshold) / 255.0,
    ) else {
        return;
    };
    let build = |threads| {
        let mut builder = Clusterer::builder();
        builder
            .ngram(usize::from(input.ngram % 9))
            .max_distance(u32::from(input.max_distance % 12))
            .model(model.clone())
            .threads(threads);
        builder.build()
    };
    // Settings out of range are refused by `build`, with an error.
    let (Ok(serial), Ok(parallel)) = (build(1), build(2)) else { return };
    let clustering = serial.cluster(&articles).unwrap();
    let mut placed: Vec<_> = clustering.clusters.iter().flatten().copied().collect();
    placed.sort_unstable();
    let mut ids: Vec<_> = articles.iter().map(|a| a.id).collect();
    ids.sort_unstable();
    assert_eq!(placed, ids, "every article in exactly one cluster");
    let mut events: Vec<usize> = clustering.stories.iter().flatten().copied().collect();
    events.sort_unstable();
    assert_eq!(
        events,
        (0..clustering.clusters.len()).collect::<Vec<_>>(),
        "every event in one story"
    );
    assert_eq!(clustering.clusters, parallel.cluster(&articles).unwrap().clusters);
});
