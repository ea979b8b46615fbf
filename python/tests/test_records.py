"""Records from memory: ids, body forms, publish times, mappings."""

import datetime
import json
import threading
import time

import pytest

import zhdedup

from conftest import SAMPLE

QUAKE_T = {
    "title": "花蓮外海規模6.1地震 全台有感 暫無重大災情",
    "text": "中央氣象署表示，今晨7時58分花蓮縣外海發生芮氏規模6.1地震，震源深度15公里。\n\n"
    "花蓮縣政府表示，目前尚未接獲重大傷亡通報，部分地區有落石。",
}
QUAKE_S = {
    "title": "台湾花莲外海发生6.1级地震 暂无伤亡报告",
    "text": [
        "台湾中央气象署表示，今晨7时58分花莲县外海发生芮氏规模6.1地震，震源深度15公里。",
        "花莲县政府表示，目前尚未接获重大伤亡通报，部分地区有落石。",
    ],
}
MARKETS = {"title": "Markets wobble", "text": "Global markets wobbled on Thursday."}


def test_records_cluster_under_their_own_ids():
    records = [
        {"id": "tw-1", **QUAKE_T, "published": "2024-04-03T08:10:00+08:00"},
        {"id": 42, **MARKETS},
        {"id": "cn-9", **QUAKE_S, "outlet": "示例社", "url": "https://example.cn/a"},
    ]
    result = zhdedup.cluster(records)
    assert result.clusters == [["tw-1", "cn-9"], [42]]
    assert result.ids == ["tw-1", 42, "cn-9"]
    assert result.cluster_of("cn-9") == 0 and result.cluster_of(42) == 1
    assert result.cluster_index() == {"tw-1": 0, 42: 1, "cn-9": 0}
    assert result.story_of("tw-1") == result.story_index()["cn-9"]
    assert len(result) == 3
    link = result.explain("cn-9", "tw-1")
    # `a` is the article earlier in the input.
    assert (link["a"], link["b"]) == ("tw-1", "cn-9")
    assert list(link) == ["a", "b", "score", "evidence"]
    assert 0.0 <= link["score"] <= 1.0
    evidence = link["evidence"]
    for name in ("coverage", "title_similarity", "content_similarity", "contributions"):
        assert name in evidence
    assert {c["feature"] for c in evidence["contributions"]} >= {"lead_words", "title_words"}
    assert {"a": "花蓮", "b": "花莲"} in evidence["shared_terms"]
    # Plain data: JSON serializable as is.
    json.dumps(result.links)
    assert result.explain("tw-1", 42) is None
    with pytest.raises(KeyError):
        result.cluster_of("nope")
    with pytest.raises(KeyError):
        result.explain("tw-1", "nope")
    # 1 and "1" are different ids; neither is in this batch.
    with pytest.raises(KeyError):
        result.cluster_of("42")


def test_a_list_of_paragraphs_is_the_same_article_as_text():
    as_text = {"id": 1, "title": QUAKE_S["title"], "text": "\n".join(QUAKE_S["text"])}
    as_list = {"id": 1, **QUAKE_S}
    as_paragraphs = {"id": 1, "title": QUAKE_S["title"], "paragraphs": QUAKE_S["text"]}
    other = {"id": 2, **QUAKE_T}
    links = [zhdedup.cluster([r, other]).links for r in (as_text, as_list, as_paragraphs)]
    assert links[0] == links[1] == links[2] and links[0]


def gap(a, b, **settings):
    """The time gap the clusterer saw between two records' times."""
    records = [{"id": 1, **QUAKE_T, "published": a}, {"id": 2, **QUAKE_S, "published": b}]
    return zhdedup.cluster(records, **settings).explain(1, 2)["evidence"]["time_gap_hours"]


def test_publish_times_in_every_form():
    utc = datetime.timezone.utc
    aware = datetime.datetime(2024, 4, 3, 8, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    # An aware datetime is converted: 08:00+08:00 is 00:00 UTC.
    assert gap(aware, datetime.datetime(2024, 4, 3, 0, 0, tzinfo=utc)) == 0.0
    # A naive datetime is UTC...
    assert gap(aware, datetime.datetime(2024, 4, 3, 0, 0)) == 0.0
    # ...unless utc_offset_minutes says otherwise.
    assert gap(aware, datetime.datetime(2024, 4, 3, 8, 0), utc_offset_minutes=480) == 0.0
    # An ISO string with an offset; int epoch seconds; epoch milliseconds.
    assert gap("2024-04-03T00:00:00Z", 1712102400) == 0.0
    assert gap("2024-04-03T00:00:00Z", 1712102400000) == 0.0
    assert gap(1712102400, 1712102400.0 + 1800) == 0.5
    # A string without offset is read as the library reads it: UTC+8 by
    # default, or utc_offset_minutes.
    assert gap("2024-04-03 08:00", 1712102400) == 0.0
    assert gap("2024-04-03 08:00", 1712102400, utc_offset_minutes=0) == 8.0
    # A date is midnight; pandas' missing values are absent.
    assert gap(datetime.date(2024, 4, 3), 1712102400) == 0.0
    assert gap(None, 1712102400) is None
    assert gap(float("nan"), 1712102400) is None


def test_pandas_rows_and_arrow_rows_are_records():
    pd = pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    frame = pd.DataFrame(
        [
            {"id": 10, **QUAKE_T, "published": pd.Timestamp("2024-04-03T00:10:00Z"), "extra": 1},
            {"id": 11, "title": QUAKE_S["title"], "text": "\n".join(QUAKE_S["text"]), "published": pd.NaT, "extra": 2},
            {"id": 12, **MARKETS, "published": pd.Timestamp("2024-04-03T01:00:00Z"), "extra": 3},
        ]
    )
    expected = [[10, 11], [12]]
    assert zhdedup.cluster(frame.to_dict("records")).clusters == expected
    # Rows as pandas Series (numpy int ids, NaT for a missing time).
    assert zhdedup.cluster(row for _, row in frame.iterrows()).clusters == expected
    table = pa.Table.from_pandas(frame)
    assert zhdedup.cluster(table.to_pylist()).clusters == expected
    # Whole tables are their rows.
    assert zhdedup.cluster(frame).clusters == expected
    assert zhdedup.cluster(table).clusters == expected
    assert zhdedup.score(frame)[0] == zhdedup.score(table)[0]


def test_loader_articles_and_records_together():
    loaded = zhdedup.Loader().load([SAMPLE / "b_traditional_big5.txt"])
    (article,) = loaded.articles
    result = zhdedup.cluster([article, {"id": "mine", **QUAKE_S}])
    assert result.clusters == [[article.id, "mine"]]
    # An Article's id is its loader number: a record may not reuse it.
    with pytest.raises(ValueError, match=r"record 1 \(id 0\): id: duplicate of record 0"):
        zhdedup.cluster([article, {"id": 0, **QUAKE_S}])


def test_loader_reports_failed_inputs(tmp_path):
    (tmp_path / "good.txt").write_text("標題\n內文第一段。", encoding="utf-8")
    (tmp_path / "binary.bin").write_bytes(b"\x00\x01\x02\x00" * 64)
    (tmp_path / "lines.jsonl").write_text('{"title": "一"}\nnot json\n', encoding="utf-8")
    loaded = zhdedup.Loader(threads=1).load(str(tmp_path))
    assert [a.title for a in loaded.articles] == ["標題", "一"]
    reasons = sorted((f["path"].rsplit("/", 1)[-1], f["line"], f["reason"]) for f in loaded.failures)
    assert reasons == [("binary.bin", None, "binary"), ("lines.jsonl", 2, "json")]
    assert all(f["message"] for f in loaded.failures)
    missing = zhdedup.Loader().load([tmp_path / "missing.txt"])
    assert [f["reason"] for f in missing.failures] == ["io"]
    with pytest.raises(ValueError):
        zhdedup.Loader(utc_offset_minutes=2000)
    with pytest.raises(ValueError):
        zhdedup.Loader(bad_times="ignore")


def test_clustering_releases_the_gil():
    records = [
        {"id": i, "title": f"第{i}号公告 城市{i % 97}发布交通管制通知", "text": f"为保障第{i}届活动顺利进行，城市{i % 97}将实施交通管制。"}
        for i in range(3000)
    ]
    ticks = 0
    stop = False

    def tick():
        nonlocal ticks
        while not stop:
            ticks += 1
            time.sleep(0)

    worker = threading.Thread(target=tick)
    worker.start()
    try:
        zhdedup.cluster(records[:10])  # warm up
        before = ticks
        start = time.perf_counter()
        zhdedup.cluster(records, threads=1)
        elapsed = time.perf_counter() - start
        during = ticks - before
    finally:
        stop = True
        worker.join()
    # With the GIL held for the whole call the other thread could not count
    # at all; released, it counts all along.
    assert elapsed < 0.05 or during > 100, (elapsed, during)
