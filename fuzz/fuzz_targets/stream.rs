//! Any sequence of adds, observations, expiries, saves and restores keeps
//! every article accounted for: the stream holds exactly the articles added
//! and not expired, each in one cluster, with links only among them; a
//! restored stream equals the saved one.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use zhdedup::{ArticleId, Clusterer, Loader, Record};

#[derive(Arbitrary, Debug)]
enum Op {
    /// An article: which of a few texts, and an hour (or no time).
    Add { text: u8, hour: Option<u8> },
    /// Observe an article without adding it.
    Observe { text: u8 },
    /// Expire everything before this hour.
    Expire { hour: u8 },
    /// Save, serialize, restore, and go on with the restored stream.
    SaveRestore,
    /// Warm a new stream with this one's state (the old one is kept).
    ObserveState,
}

const TEXTS: [&str; 4] = [
    "外交部发言人今天表示，双方同意继续就气候变化与粮食安全保持沟通。",
    "外交部發言人今天表示，雙方同意繼續就氣候變化與糧食安全保持溝通。",
    "台湾中央气象署表示，花莲县外海发生规模6.1地震，全台各地均有感。",
    "示例市议会今天三读通过公共交通票价法案，明年起实施。",
];

/// Milliseconds of an hour after 2024-03-12 00:00 UTC.
fn at(hour: u8) -> i64 {
    1_710_201_600_000 + i64::from(hour) * 3_600_000
}

fuzz_target!(|ops: Vec<Op>| {
    let loader = Loader::new();
    let clusterer = Clusterer::new();
    let mut stream = clusterer.stream();
    // The model: (id, expiry time) of every article the stream must hold.
    let mut held: Vec<(ArticleId, i64)> = Vec::new();
    let mut latest: Option<i64> = None;
    let mut next_id = 0u32;
    for op in ops.into_iter().take(64) {
        match op {
            Op::Add { text, hour } => {
                let body = TEXTS[usize::from(text) % TEXTS.len()];
                let title: String = body.chars().take(6).collect();
                let mut record = Record::new(title).text(body);
                if let Some(hour) = hour {
                    record = record.published_epoch(at(hour));
                }
                let article = loader.parse_record(&record).expect("a valid record");
                let placed = stream.add(&article);
                assert_eq!(placed.id, ArticleId(next_id), "ids are arrival numbers");
                next_id += 1;
                let clock = hour.map(at).or(latest).unwrap_or(i64::MIN);
                if let Some(hour) = hour {
                    latest = Some(latest.map_or(at(hour), |l| l.max(at(hour))));
                }
                held.push((placed.id, clock));
            }
            Op::Observe { text } => {
                let body = TEXTS[usize::from(text) % TEXTS.len()];
                stream.observe(&loader.parse_record(&Record::new("观察").text(body)).unwrap());
            }
            Op::Expire { hour } => {
                let before = held.len();
                held.retain(|&(_, clock)| clock >= at(hour));
                assert_eq!(stream.expire_before(at(hour)), before - held.len());
            }
            Op::SaveRestore => {
                let json = serde_json::to_string(&stream.save()).expect("serializable");
                let state = serde_json::from_str(&json).expect("deserializable");
                let restored = clusterer.restore_stream(state).expect("a saved state restores");
                assert_eq!(restored.clusters(), stream.clusters());
                assert_eq!(restored.links(), stream.links());
                stream = restored;
            }
            Op::ObserveState => {
                let mut warm = clusterer.stream();
                warm.observe_state(&stream.save());
                assert!(warm.is_empty());
            }
        }
        // Every held article in exactly one cluster, nothing else.
        let mut placed: Vec<ArticleId> = stream.clusters().into_iter().flatten().collect();
        placed.sort_unstable();
        let ids: Vec<ArticleId> = held.iter().map(|&(id, _)| id).collect();
        assert_eq!(placed, ids, "every held article in exactly one cluster");
        for link in stream.links() {
            assert!(ids.binary_search(&link.a).is_ok() && ids.binary_search(&link.b).is_ok());
        }
        for &id in &ids {
            assert!(stream.cluster_of(id).is_some());
        }
    }
});
