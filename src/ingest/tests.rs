use super::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sample").join(name)
}

fn one(name: &str) -> Article {
    let loaded = Loader::new().load_paths(&[fixture(name)]);
    assert!(loaded.failures.is_empty(), "{:?}", loaded.failures);
    assert_eq!(loaded.articles.len(), 1);
    loaded.articles.into_iter().next().unwrap()
}

#[test]
fn jekyll_post_with_ads() {
    let a = one("a_simplified_jekyll.md");
    assert_eq!(a.format, Format::JekyllPost);
    assert_eq!(a.outlet.as_deref(), Some("示例早报"));
    assert_eq!(a.title, "中巴外长北京会谈：同意加强气候与粮食合作");
    assert_eq!(a.url.as_deref(), Some("https://news.example.sg/realtime/china/story20240312-1001"));
    let published = a.published.unwrap();
    assert_eq!((published.utc_ms, published.source), (1710235800000, TimeSource::EpochComment));
    assert_eq!(published.disagreeing, None);
    assert_eq!(a.script, Script::Simplified);
    assert_eq!(a.paragraphs.len(), 4);
    assert_eq!(a.captions.len(), 1);
    assert_eq!(a.removed["ad_or_promo_block"], 3);
}

#[test]
fn rss_export_with_dw_noise() {
    let a = one("a_traditional_rss.md");
    assert_eq!(a.format, Format::RssExport);
    assert_eq!(a.url.as_deref(), Some("https://www.example.de/zh/王毅/a-70000001"));
    assert_eq!(a.script, Script::Traditional);
    assert_eq!(a.captions, ["王毅與維埃拉3月12日在北京會晤"]);
    assert!(a.paragraphs[0].starts_with("（示例之聲中文網）"));
    for p in &a.paragraphs {
        assert!(!p.contains("版權") && !p.contains("RSS") && !p.contains("2024-03-12T"), "{p}");
    }
}

#[test]
fn hexo_post_with_style_qr_and_editor() {
    let a = one("c_hexo_earlier_meeting.md");
    assert_eq!(a.format, Format::HexoPost);
    assert_eq!(a.outlet.as_deref(), Some("示例财经"));
    assert_eq!(a.published.unwrap().source, TimeSource::FrontMatter);
    assert_eq!(a.paragraphs.len(), 2);
    assert!(a.paragraphs[0].starts_with("当地时间"), "U+3000 indent kept: {}", a.paragraphs[0]);
    let all = a.paragraphs.join("");
    assert!(!all.contains("appendQr") && !all.contains("责任编辑") && !all.contains("APP"));
}

#[test]
fn legacy_encodings_and_plain_text() {
    let big5 = one("b_traditional_big5.txt");
    assert_eq!((big5.encoding.as_str(), big5.format), ("Big5", Format::PlainText));
    assert_eq!(big5.title, "花蓮外海規模6.1地震 全台有感 暫無重大災情");
    assert_eq!(big5.paragraphs.len(), 3);
    let gb = one("b_simplified_gb18030.md");
    assert_eq!(gb.encoding, "gb18030");
    assert!(gb.paragraphs.last().unwrap().ends_with("余震。"), "（完） stripped");
}

#[test]
fn date_line_variant_with_crlf() {
    let a = one("d_dateline_crlf.md");
    assert_eq!(a.published.unwrap().source, TimeSource::DateLine);
    assert_eq!(a.published.unwrap().utc_ms, 1710423055000);
    assert_eq!(a.title, "网民热议花莲地震中的“救灾速度”");
    assert_eq!(a.raw_title, "美国之音｜网民热议花莲地震中的“救灾速度”");
    assert_eq!(a.paragraphs.len(), 2, "editor line dropped: {:?}", a.paragraphs);
}

#[test]
fn json_lines_records_and_errors() {
    let text = "{\"title\":\"标题\",\"published\":\"2024-03-12T11:00:00+08:00\",\"text\":\"一\\n二\"}\n\
                not json\n\n[1,2]\n{\"html\":\"<p>正文</p>\"}\n{}\n";
    let path = Path::new("x.jsonl");
    let (articles, errors) = Loader::new().parse_all(path, text.as_bytes()).unwrap();
    assert_eq!(articles.len(), 2);
    assert_eq!(articles[0].paragraphs, ["一", "二"]);
    assert_eq!(articles[0].published.unwrap().utc_ms, 1710212400000);
    assert_eq!(articles[1].source.line, Some(5));
    let lines: Vec<_> = errors.iter().map(|e| (e.line(), e.reason())).collect();
    assert_eq!(lines, [(Some(2), "json"), (Some(4), "json"), (Some(6), "empty")]);
}

#[test]
fn text_rules_apply_to_json_lines_and_plain_text() {
    let record =
        "{\"title\":\"标题\",\"text\":\"正文一段。\\n责任编辑：王五\\n© 2020 某报版权所有\"}\n";
    let (articles, _) = Loader::new().parse_all(Path::new("x.jsonl"), record.as_bytes()).unwrap();
    assert_eq!(articles[0].paragraphs, ["正文一段。"]);
    assert_eq!(articles[0].removed.get("editor_line"), Some(&1));
    let plain = "标题\n正文一段。（完）\nhttps://example.com/x\n";
    let (articles, _) = Loader::new().parse_all(Path::new("x.txt"), plain.as_bytes()).unwrap();
    assert_eq!(articles[0].paragraphs, ["正文一段。"]);
}

#[test]
fn sample_folder_accounts_for_every_file() {
    let loaded = Loader::new().load_paths(&[fixture("")]);
    assert_eq!(loaded.files, 7);
    assert_eq!(loaded.articles.len(), 8, "exports.jsonl holds two records");
    assert!(loaded.failures.is_empty());
    let ids: Vec<u32> = loaded.articles.iter().map(|a| a.id.0).collect();
    assert_eq!(ids, (0..8).collect::<Vec<_>>());
}

#[test]
fn disagreeing_times_are_reported() {
    let text = "---\ntitle: t\ndate: 2020-11-03T00:00:00.000Z\n---\n<!--1604365323000-->\n[t](https://x.example/a)\n------\n\n<p>a</p>";
    let a = &Loader::new().parse_bytes(Path::new("t.md"), text.as_bytes()).unwrap()[0];
    let published = a.published.unwrap();
    assert_eq!(published.source, TimeSource::EpochComment);
    assert_eq!(published.disagreeing, Some((TimeSource::FrontMatter, 1604361600000)));
}

#[test]
fn titles_lose_outlet_decorations() {
    for (raw, clean) in [
        ("美国大选结果出炉 – 法国国际广播电台", "美国大选结果出炉"),
        ("[國際]美國大選結果出爐", "美國大選結果出爐"),
        ("德国之声｜中美关系", "中美关系"),
        ("BBC丨中美关系", "中美关系"),
        ("【直播预告】美国大选", "美国大选"),
        ("[國際]", "[國際]"),
        (
            "國民法官法三讀 府：實現共審共判新紀元 - 200722-7",
            "國民法官法三讀 府：實現共審共判新紀元",
        ),
        ("波兰总统大选揭晓 现总统杜达险胜 - 要闻解说", "波兰总统大选揭晓 现总统杜达险胜"),
        ("港股开低 – 法国国际广播电台", "港股开低"),
        ("中国Q2经济成长3.2%负转正 – 法国国际广播电台 - RFI", "中国Q2经济成长3.2%负转正"),
        ("台中捷運通車[影]", "台中捷運通車"),
        ("美股收高（更新版）", "美股收高"),
        ("G7峰会 - 德法 - 2020", "G7峰会 - 德法 - 2020"),
    ] {
        assert_eq!(strip_title_decorations(raw), clean, "{raw}");
    }
}

mod hostile {
    use super::*;

    fn reason(bytes: &[u8], loader: &Loader) -> &'static str {
        loader.parse_bytes(Path::new("hostile"), bytes).unwrap_err().reason()
    }

    #[test]
    fn each_hostile_input_fails_fast_with_its_reason() {
        let loader = Loader::builder().max_file_bytes(1 << 20).build().unwrap();
        assert_eq!(reason(&vec![b'a'; (1 << 20) + 1], &loader), "too_large");
        let deep = format!("<!--1-->\n[t](https://x.example)\n------\n{}", "<div>".repeat(100_000));
        assert_eq!(reason(deep.as_bytes(), &loader), "nesting_too_deep");
        let mut bomb = String::from("---\na: &a [x, x, x, x, x, x, x, x, x]\n");
        for i in 0..20 {
            bomb.push_str(&format!("b{i}: &b{i} [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"));
        }
        bomb.push_str("---\n<p>x</p>");
        assert_eq!(reason(bomb.as_bytes(), &loader), "front_matter");
        assert_eq!(reason(b"\x00\x01\x02binary\x00", &loader), "binary");
        assert_eq!(reason(b"", &loader), "empty");
        assert_eq!(reason(b"---\ntitle: x\nno end", &loader), "front_matter");
        // How long a refusal takes, and that it grows linearly with the
        // input, is measured, not asserted: `cargo bench --bench pipeline
        // -- ingest/hostile`.
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..600)) {
            let _ = Loader::new().parse_bytes(Path::new("fuzz"), &bytes);
        }

        #[test]
        fn never_panics_on_format_like_text(
            head in proptest::sample::select(vec!["", "---\n", "\n---\ntitle: '", "<!--1-->\n[", "{\"title\":"]),
            body in "[\\[\\]()<>/a-z:\\-\\n王毅説。「」&#;0-9 ]{0,300}",
        ) {
            let text = format!("{head}{body}");
            let _ = Loader::new().parse_bytes(Path::new("fuzz.md"), text.as_bytes());
            let _ = Loader::new().parse_bytes(Path::new("fuzz.jsonl"), text.as_bytes());
        }
    }
}
