//! End-to-end tests on the built-in sample, through the public API only.

use std::collections::BTreeMap;
use std::path::Path;

use zhdedup::{Article, ArticleId, Clusterer, Clustering, Feature, Loader, Model, Normalizer};

fn sample() -> Vec<Article> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sample");
    let loaded = Loader::new().load_paths(&[dir]);
    assert!(loaded.failures.is_empty(), "{:?}", loaded.failures);
    loaded.articles
}

/// Articles from JSON Lines records, one a record, numbered in order.
fn parse_records(records: &[serde_json::Value]) -> Vec<Article> {
    let text: String = records.iter().map(|r| format!("{r}\n")).collect();
    Loader::new().parse_bytes(Path::new("records.jsonl"), text.as_bytes()).unwrap()
}

/// Clusters as sets of "file[:line]" names.
fn named(articles: &[Article], clustering: &Clustering) -> Vec<Vec<String>> {
    clustering
        .clusters
        .iter()
        .map(|c| {
            c.iter()
                .map(|id| {
                    let a = &articles[id.0 as usize];
                    let name = a.source.path.file_name().unwrap().to_string_lossy().into_owned();
                    match a.source.line {
                        Some(line) => format!("{name}:{line}"),
                        None => name,
                    }
                })
                .collect()
        })
        .collect()
}

#[test]
fn sample_events_cluster_across_scripts() {
    let articles = sample();
    let clustering = Clusterer::new().cluster(&articles).unwrap();
    let clusters = named(&articles, &clustering);
    let expected: Vec<Vec<&str>> = vec![
        vec!["a_simplified_jekyll.md", "a_traditional_rss.md", "exports.jsonl:1"],
        vec!["b_simplified_gb18030.md", "b_traditional_big5.txt"],
        vec!["c_hexo_earlier_meeting.md"],
        vec!["d_dateline_crlf.md"],
        vec!["exports.jsonl:2"],
    ];
    assert_eq!(clusters, expected);
}

#[test]
fn every_link_is_explained() {
    let articles = sample();
    let clustering = Clusterer::new().cluster(&articles).unwrap();
    assert!(!clustering.links.is_empty());
    for link in &clustering.links {
        assert!(link.a < link.b);
        assert_eq!(clustering.explain(link.b, link.a), Some(link));
        let json = serde_json::to_string(link).unwrap();
        assert!(json.contains("title_similarity"), "{json}");
    }
    // Any two articles of one event are explained, linked or not.
    for event in &clustering.clusters {
        for (k, &a) in event.iter().enumerate() {
            for &b in &event[k + 1..] {
                assert!(clustering.explain(a, b).is_some(), "{a} and {b}");
            }
        }
    }
}

#[test]
fn serial_and_parallel_runs_are_identical() {
    let articles = sample();
    let run = |threads| {
        let mut builder = Clusterer::builder();
        builder.threads(threads);
        serde_json::to_string(&builder.build().unwrap().cluster(&articles).unwrap()).unwrap()
    };
    let serial = run(1);
    assert_eq!(serial, run(2));
    assert_eq!(serial, run(0));
}

#[test]
fn the_other_script_folds_alike() {
    let n = Normalizer::new();
    let articles = sample();
    let by_name: BTreeMap<String, &Article> = articles
        .iter()
        .map(|a| (a.source.path.file_name().unwrap().to_string_lossy().into_owned(), a))
        .collect();
    let simplified = &by_name["b_simplified_gb18030.md"].paragraphs[1];
    let traditional = &by_name["b_traditional_big5.txt"].paragraphs[1];
    assert_eq!(n.fold(simplified), n.fold(traditional));
}

#[test]
fn public_types_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Normalizer>();
    assert_send_sync::<Loader>();
    assert_send_sync::<Clusterer>();
    assert_send_sync::<Clustering>();
    assert_send_sync::<Article>();
    assert_send_sync::<zhdedup::HammingIndex>();
    assert_send_sync::<zhdedup::Error>();
    assert_send_sync::<zhdedup::Record>();
    assert_send_sync::<zhdedup::Warning>();
    assert_send_sync::<zhdedup::BadTimes>();
}

#[test]
fn one_outlet_needs_more_than_similar_wording() {
    // Two items on one topic (a law passed; a party's reaction): similar
    // titles and leads, no shared paragraph.
    let records = |outlet_b: &str| {
        format!(
            "{}\n{}\n",
            serde_json::json!({"title": "示例市议会三读通过公共交通票价法案", "outlet": "示例社",
                "published": 1_700_000_000_000i64, "text": "议会今天三读通过票价法案。\n明年起实施。"}),
            serde_json::json!({"title": "示例市议会三读通过公共交通票价法案 反对党批评草率", "outlet": outlet_b,
                "published": 1_700_003_600_000i64, "text": "票价法案今天三读通过，反对党批评。\n将提出复议。"}),
        )
    };
    // The pair's features and the built-in model's probability.
    let score = |outlet_b: &str| {
        let articles = Loader::new()
            .parse_bytes(Path::new("two.jsonl"), records(outlet_b).as_bytes())
            .unwrap();
        let pairs = Clusterer::new().training_pairs(&articles, None);
        let (_, _, features) = pairs.iter().next().expect("a candidate pair");
        assert_eq!(features.get(Feature::Coverage), 0.0, "no shared paragraph");
        (features.get(Feature::SameOutlet), Model::builtin().probability(features))
    };
    let (other, two_outlets) = score("另一社");
    let (same, one_outlet) = score("示例社");
    assert_eq!((other, same), (0.0, 1.0));
    assert!(two_outlets > 0.5, "similar enough to be one event: {two_outlets}");
    // Compared in log-odds, the scale the model adds evidence on: near 1 a
    // probability hides a large discount.
    let logit = |p: f32| (p / (1.0 - p)).ln();
    assert!(logit(one_outlet) < logit(two_outlets) - 1.0, "{one_outlet} against {two_outlets}");
}

#[test]
fn copies_link_across_the_time_window_and_nothing_else_does() {
    let body = "示例市政府今天宣布，从2024年3月起全市公共汽车票价统一下调20%，以减轻通勤负担。\n\
        市长在记者会上表示，票价调整所需的财政补贴将由今年的预算盈余支付，不会加税。\n\
        交通部门预计，票价下调后每日乘客人数将增加约十万人次，高峰时段将加开班次。";
    let day_ms = 86_400_000i64;
    let records = [
        serde_json::json!({"title": "示例市公共汽车票价下月起下调两成", "outlet": "示例社",
            "published": 1_700_000_000_000i64, "text": body}),
        // The same article re-published ten days later, retitled and with a
        // paragraph added: a copy.
        serde_json::json!({"title": "【旧闻重发】示例市巴士票价将降", "outlet": "另一社",
            "published": 1_700_000_000_000i64 + 10 * day_ms,
            "text": format!("{body}\n编者按：本文首发于十天前，现重新刊出供读者参考。")}),
        // The same title ten days later again, over other text: a topic,
        // not a copy.
        serde_json::json!({"title": "示例市公共汽车票价下月起下调两成", "outlet": "第三社",
            "published": 1_700_000_000_000i64 + 20 * day_ms,
            "text": "市议会今天辩论票价方案，多名议员质疑补贴能否持续，表决延至下周举行。"}),
    ];
    let articles = parse_records(&records);
    let (original, copy, topic) = (articles[0].id, articles[1].id, articles[2].id);

    let clustering = Clusterer::new().cluster(&articles).unwrap();
    let link = clustering.explain(original, copy).expect("the copy is linked");
    assert!(link.evidence.time_gap_hours.unwrap() > 48.0, "{:?}", link.evidence);
    assert!(link.evidence.coverage >= 0.8, "{:?}", link.evidence);
    assert_eq!(link.score, link.evidence.coverage, "outside the window only the text counts");
    assert!(clustering.explain(original, topic).is_none(), "a topic twenty days later");
    assert!(clustering.explain(copy, topic).is_none());
    let index = clustering.cluster_index();
    assert_eq!(index[&original], index[&copy]);
    assert_ne!(index[&original], index[&topic]);

    // A copy that changed one of the original's three paragraphs shares
    // two thirds of it: linked when `copy_coverage` asks for less.
    let mut altered = records.clone();
    altered[1]["text"] = body.replace("十万", "五万").into();
    let altered = parse_records(&altered);
    let linked = |share: f32| {
        let clusterer = Clusterer::builder().copy_coverage(share).max_distance(0).build().unwrap();
        clusterer.cluster(&altered).unwrap().explain(original, copy).is_some()
    };
    assert!(linked(0.6));
    assert!(!linked(0.8));

    // The same text with another number in its first paragraph: that
    // paragraph is a template line, not shared text. Inside the window the
    // pair still links on the other two paragraphs, which alone are listed;
    // ten days later it is not a copy.
    let renumbered = |days: i64| {
        let mut records = records.clone();
        records[1]["text"] = body.replace("20%", "25%").into();
        records[1]["published"] = (1_700_000_000_000i64 + days * day_ms).into();
        Clusterer::new().cluster(&parse_records(&records)).unwrap().explain(original, copy).cloned()
    };
    let link = renumbered(0).expect("linked inside the window");
    let listed: Vec<u32> = link.evidence.matched_paragraphs.iter().map(|m| m.a).collect();
    assert_eq!(listed, [1, 2]);
    assert_eq!(renumbered(10), None);

    // The stream finds the late copy as well.
    let mut stream = Clusterer::new().stream();
    for article in &articles {
        stream.add(article);
    }
    assert_eq!(stream.cluster_of(copy), stream.cluster_of(original));
    assert_ne!(stream.cluster_of(topic), stream.cluster_of(original));
}

#[test]
fn streaming_the_sample_gives_the_batch_clusters() {
    let articles = sample();
    // Cold, the stream weighs its first articles with no frequencies and
    // misses one pair the batch finds.
    let mut cold = Clusterer::new().stream();
    for article in &articles {
        cold.add(article);
    }
    let batch = Clusterer::new().cluster(&articles).unwrap();
    assert_ne!(named(&articles, &cold.clustering()), named(&articles, &batch));

    let stream_once = || {
        let mut stream = Clusterer::new().stream();
        // Warm start: a new stream knows no term frequencies (see `observe`).
        for article in &articles {
            stream.observe(article);
        }
        let mut names = Vec::new();
        for (i, article) in articles.iter().enumerate() {
            let placed = stream.add(article);
            names.push(placed.cluster);
            for moved in &placed.regrouped {
                names[moved.0 as usize] = stream.cluster_of(*moved).unwrap();
            }
            // The stream numbers articles in arrival order; here that is the
            // loader's order, so the ids agree with the batch's.
            assert_eq!(placed.id, article.id);
            assert_eq!(stream.len(), i + 1);
            assert_eq!(stream.cluster_of(placed.id), Some(placed.cluster));
            assert!(placed.links.iter().all(|l| l.a == placed.id || l.b == placed.id));
        }
        // A caller that follows `regrouped` holds the current names.
        for (position, name) in names.iter().enumerate() {
            assert_eq!(stream.cluster_of(ArticleId(position as u32)), Some(*name));
        }
        stream.clustering()
    };
    let streamed = stream_once();
    assert_eq!(named(&articles, &streamed), named(&articles, &batch));
    // Same arrivals, same result.
    let again = stream_once();
    assert_eq!(serde_json::to_string(&streamed).unwrap(), serde_json::to_string(&again).unwrap());
}

#[test]
fn one_shared_background_paragraph_does_not_link_different_news() {
    // Filler paragraphs that share nothing: 40 characters each, taken from a
    // pool of distinct Han characters in a different order each time.
    let pool: Vec<char> = (0x4e00u32..0x4e00 + 997).filter_map(char::from_u32).collect();
    let filler = |seed: usize| -> String {
        (0..40).map(|k| pool[(seed * 131 + k * 17 + k * k * seed) % pool.len()]).collect()
    };
    let background = "示例国议会上周以压倒性多数通过国家安全法，反对派批评该法律过于宽泛。";
    // A short item (six paragraphs, one of them the background line) and a
    // long report on other news (twenty paragraphs, one the same line).
    let short: Vec<String> =
        (0..5).map(filler).chain(std::iter::once(background.to_string())).collect();
    let long: Vec<String> =
        (100..119).map(filler).chain(std::iter::once(background.to_string())).collect();
    let records = [
        serde_json::json!({"title": "示例国央行宣布降息半个百分点", "outlet": "甲社",
            "published": 1_700_000_000_000i64, "text": short.join("\n")}),
        serde_json::json!({"title": "示例国外长访问邻国讨论边境问题", "outlet": "乙社",
            "published": 1_700_003_600_000i64, "text": long.join("\n")}),
    ];
    let articles = parse_records(&records);
    // The pair is a candidate (it shares a paragraph), so its features show.
    let pairs = Clusterer::new().training_pairs(&articles, None);
    let (_, _, features) = pairs.iter().next().expect("the pair shares a paragraph");
    let (coverage, least) = (features.get(Feature::Coverage), features.get(Feature::CoverageMin));
    // A sixth of the short item, a twentieth of the long report: the mean
    // is small, where the short item's share alone would not be.
    assert!(coverage < 0.14 && least < 0.1, "{features:?}");
    assert!(coverage - least > 0.05, "{features:?}");
    let clustering = Clusterer::new().cluster(&articles).unwrap();
    assert_eq!(clustering.clusters.len(), 2);
}

#[test]
fn a_stream_past_its_re_form_limit_still_places_every_article() {
    // One story reported 600 times a minute apart (more than the 500
    // articles the stream re-forms at one arrival; beyond that a new article
    // only offers its own links), and a small story beside it.
    let minute_ms = 60_000i64;
    let mut records = Vec::new();
    for i in 0..600i64 {
        records.push(serde_json::json!({
            "title": "示例港口今晨发生大规模集装箱火灾 消防出动百辆车",
            "outlet": format!("示例社{}", i % 7),
            "published": 1_700_000_000_000i64 + i * minute_ms,
            "text": "示例港口今晨发生集装箱火灾，消防部门出动百辆消防车灭火，暂无人员伤亡报告。",
        }));
    }
    for i in 0..5i64 {
        records.push(serde_json::json!({
            "title": "示例大学宣布新任校长人选 将于九月就职",
            "outlet": format!("另一社{i}"),
            "published": 1_700_000_000_000i64 + (100 * i + 50) * minute_ms,
            "text": "示例大学董事会今天宣布新任校长人选，新校长将于九月正式就职。",
        }));
    }
    let articles = parse_records(&records);

    let mut stream = Clusterer::new().stream();
    let mut names = Vec::new();
    for article in &articles {
        let placed = stream.add(article);
        names.push(placed.cluster);
        for moved in &placed.regrouped {
            names[moved.0 as usize] = stream.cluster_of(*moved).unwrap();
        }
    }
    for (position, name) in names.iter().enumerate() {
        assert_eq!(stream.cluster_of(ArticleId(position as u32)), Some(*name));
    }
    let streamed = stream.clustering();
    let placed: usize = streamed.clusters.iter().map(Vec::len).sum();
    assert_eq!(placed, 605);
    // The small story is one event, apart from the fire.
    let small: Vec<ArticleId> = (600..605).map(ArticleId).collect();
    assert!(
        streamed.clusters.contains(&small),
        "{:?}",
        streamed.clusters.iter().map(Vec::len).collect::<Vec<_>>()
    );
    let batch = Clusterer::new().cluster(&articles).unwrap();
    assert!(batch.clusters.contains(&small));
}

#[test]
fn progress_reports_every_stage_to_its_end() {
    use std::sync::{Arc, Mutex};
    use zhdedup::{Progress, Stage};
    let seen: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let record = |seen: &Arc<Mutex<Vec<Progress>>>| {
        let seen = Arc::clone(seen);
        move |p: Progress| seen.lock().unwrap().push(p)
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sample");
    let loaded = Loader::builder().progress(record(&seen)).build().unwrap().load_paths(&[dir]);
    let with = Clusterer::builder()
        .progress(record(&seen))
        .build()
        .unwrap()
        .cluster(&loaded.articles)
        .unwrap();
    let without = Clusterer::new().cluster(&loaded.articles).unwrap();
    assert_eq!(with.clusters, without.clusters, "reporting never changes results");

    let seen = seen.lock().unwrap();
    let stages =
        [Stage::Read, Stage::Count, Stage::Fingerprint, Stage::Match, Stage::Score, Stage::Merge];
    for stage in stages {
        let reports: Vec<&Progress> = seen.iter().filter(|p| p.stage == stage).collect();
        let last = reports.last().unwrap_or_else(|| panic!("{stage:?} reported"));
        // A bar shows the stage while it runs, not after its first round.
        assert_eq!(reports[0].done, 0, "{stage:?} is announced when it starts");
        assert_eq!(last.done, last.total, "{stage:?} ends complete");
        assert!(reports.windows(2).all(|w| w[0].done <= w[1].done), "{stage:?} never goes back");
    }
    // Stages arrive in pipeline order.
    let order: Vec<usize> =
        seen.iter().map(|p| stages.iter().position(|s| *s == p.stage).unwrap()).collect();
    assert!(order.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(seen.iter().find(|p| p.stage == Stage::Read).map(|p| p.total), Some(loaded.files));
}

#[test]
fn a_figure_both_headlines_hold_makes_a_candidate_pair() {
    // A and B share only "3.2" in their headlines. Each shares a long lead,
    // repeated, with another article (C, D), so the 24 heaviest terms each
    // is blocked on are those lead pairs, and "3.2" is not among them.
    let first = "春夏秋冬东南西北金木水火土日月星辰山川河海风雨雷电花草树林";
    let second = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥鼠牛虎兔龙蛇马羊";
    let record = |title: &str, lead: &str| {
        serde_json::json!({"title": title, "outlet": title, "published": 1_700_000_000_000i64,
            "text": format!("{lead}{lead}{lead}")})
    };
    let articles = parse_records(&[
        record("示例统计季报3.2", first),
        record("样本成长率为3.2", second),
        record("另一则消息", first),
        record("又一则消息", second),
    ]);
    let pairs = Clusterer::new().training_pairs(&articles, None);
    let candidates: Vec<(u32, u32)> = pairs.iter().map(|(a, b, _)| (a.0, b.0)).collect();
    assert!(candidates.contains(&(0, 2)) && candidates.contains(&(1, 3)), "{candidates:?}");
    let (_, _, features) = pairs
        .iter()
        .find(|(a, b, _)| (a.0, b.0) == (0, 1))
        .unwrap_or_else(|| panic!("A and B are not compared: {candidates:?}"));
    assert_eq!(features.get(Feature::TitleNumbers), 1.0);
}

/// A digest outlet whose items read like the other outlets' reports but are
/// labelled events of their own: a model trained with the outlet table
/// learns that the digest seldom reports one event with the others, and
/// keeps its items apart; trained without the table, the same labels leave
/// them joined (nothing else tells them apart).
#[test]
fn an_outlet_the_labels_never_pair_learns_a_weight_that_keeps_it_apart() {
    use std::collections::HashMap;
    use zhdedup::{Record, Trainer};
    // The digest; its name is as long as the others', as are its texts.
    const DIGEST: &str = "丁社";
    let loader = Loader::new();
    // No figures: near-identical texts holding the same figures are copies,
    // which link whatever the model says.
    let events = [
        ("花莲外海发生强烈地震", "花莲外海今晨发生强烈地震，全台有感，气象局称暂无灾情传出。"),
        ("欧盟峰会就复苏基金达成协议", "欧盟领导人经过四天谈判，就复苏基金的规模与分配达成协议。"),
        ("美国要求关闭中国驻休斯敦总领馆", "美国国务院要求中国在三天内关闭驻休斯敦总领事馆。"),
        ("英国宣布禁用华为设备", "英国政府宣布禁止电信商购买华为设备，并在数年内全部拆除。"),
        ("日本九州暴雨酿灾", "日本九州连日暴雨引发洪水和山崩，熊本县灾情最为严重。"),
        ("香港国安法首日警方拘捕数百人", "香港警方在国安法实施首日拘捕数百人，其中多人涉嫌违法。"),
        ("印度与中国边境再度对峙", "印度军方称中印两军在拉达克边境再度对峙，双方同意降温。"),
        ("特斯拉市值超越丰田", "特斯拉股价大涨，市值超过丰田，成为全球市值最高的车厂。"),
    ];
    let mut articles = Vec::new();
    let mut labels = HashMap::new();
    for (i, (title, lead)) in events.iter().enumerate() {
        let time = format!("2020-07-{:02}T08:00:00Z", 1 + 3 * i);
        for outlet in ["甲社", "乙社", "丙社", "丁社"] {
            // The digest's items read like the others: only the outlet
            // tells them apart.
            let (title, text) = (format!("{title}（{outlet}）"), format!("{lead}{outlet}报道。"));
            let record = Record::new(title).text(text).outlet(outlet).published(time.as_str());
            let article = loader.parse_record(&record).unwrap();
            let label = if outlet == DIGEST { format!("digest {i}") } else { format!("event {i}") };
            labels.insert(article.id, label);
            articles.push(article);
        }
    }
    let pairs = Clusterer::new().training_pairs(&articles, None);
    let digest_apart = |model: Model| {
        let clusterer = Clusterer::builder().model(model).build().unwrap();
        let clustering = clusterer.cluster(&articles).unwrap();
        clustering.clusters.iter().all(|c| {
            let digests =
                c.iter().filter(|id| articles[id.0 as usize].outlet.as_deref() == Some(DIGEST));
            digests.count() == 0 || c.len() == 1
        })
    };
    let with = Trainer::new().train(&pairs, std::slice::from_ref(&labels)).unwrap();
    assert!(with.outlet_weight(DIGEST) < -0.5, "{with}: {:?}", with.outlet_weights());
    assert!(with.outlet_weight(DIGEST) < with.outlet_weight("甲社"));
    assert!(digest_apart(with.clone()), "{with}: {:?}", with.outlet_weights());
    let lexical: Vec<Feature> = Feature::ALL
        .into_iter()
        .filter(|f| !matches!(f, Feature::Outlets | Feature::Vector))
        .collect();
    let without = Trainer::new().features(&lexical).train(&pairs, &[labels]).unwrap();
    assert!(without.outlet_weights().is_empty());
    assert!(!digest_apart(without.clone()), "{without}");
}
