"""The Spark job (python/spark/) in local mode gives one run's clustering.

Needs pyspark and Java (CI installs both); without them the tests are
skipped, visibly. The corpus test needs ../shared (other people's text,
never in the repository) and says SKIPPED without it.
"""

import collections
import importlib.util
import itertools
import json
import pathlib
import shutil

import pytest

import zhdedup

from conftest import REPO, SAMPLE
from test_sample import close

SPARK = REPO / "python" / "spark"
CORPUS = REPO.parent / "shared" / "corpus" / "raw"
E5 = REPO / "eval" / "model-e5-small.json"


def _module(name):
    spec = importlib.util.spec_from_file_location(name, SPARK / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("no java: Spark needs a JVM (apt-get install openjdk-17-jre-headless)")
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("zhdedup-test")
               .config("spark.ui.enabled", "false").getOrCreate())
    yield session
    session.stop()


def _same_event_pairs(event_of):
    members = collections.defaultdict(list)
    for article, event in event_of.items():
        members[event].append(article)
    return {tuple(sorted(p)) for m in members.values() for p in itertools.combinations(m, 2)}


def _write(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")


def _output(out):
    """clusters.tsv as {id: (event, story)}, and links.jsonl by pair."""
    rows = [line.split("\t") for line in
            (out / "clusters.tsv").read_text(encoding="utf-8").splitlines()]
    links = [json.loads(line) for line in
             (out / "links.jsonl").read_text(encoding="utf-8").splitlines()]
    events = {a: (int(e), int(s)) for a, e, s in rows}
    assert len(events) == len(rows), "an id repeats"
    return events, {(link["a"], link["b"]): link for link in links}


def _run(spark, tmp_path, paths, core_days):
    records, failures = _module("export").records([str(p) for p in paths])
    assert not failures
    source = tmp_path / "records.jsonl"
    _write(source, records)
    figures = _module("zhdedup_spark").run(spark, str(source), str(tmp_path / "out"), core_days)
    events, _ = _output(tmp_path / "out")
    windowed = {article: event for article, (event, _) in events.items()}
    # Every record once, in input order.
    assert list(events) == [r["id"] for r in records]
    one_run = zhdedup.cluster(records)
    single = {article: one_run.cluster_of(article) for article in one_run.ids}
    return figures, _same_event_pairs(windowed), _same_event_pairs(single)


def test_the_sample_in_spark_is_one_runs_clustering(spark, tmp_path):
    figures, windowed, single = _run(spark, tmp_path, [SAMPLE], core_days=1)
    assert figures["windows"] > 1
    assert single and windowed == single


def test_the_corpus_in_spark_agrees_with_one_run(spark, tmp_path):
    if not CORPUS.is_dir():
        pytest.skip(f"SKIPPED: no shared corpus at {CORPUS}")
    figures, windowed, single = _run(spark, tmp_path, [CORPUS], core_days=30)
    found = len(windowed & single)
    precision, recall = found / len(windowed), found / len(single)
    f1 = 2 * precision * recall / (precision + recall)
    print(f"corpus in Spark: {figures}; pairwise agreement with one run F1 {f1:.5f}")
    # Measured 0.99986: copies further apart than the margins are not paired.
    assert f1 >= 0.999


def test_a_vector_column_is_weighed_as_one_run_weighs_it(spark, tmp_path):
    records, failures = _module("export").records([str(SAMPLE)])
    assert not failures and len(records) == 8
    # As in test_vectors: the quake (2, 3) and its later piece (5) alike,
    # the meeting's reports (0, 1, 6) apart; 4 and 7 have none (null, and
    # no key at all).
    given = {2: [0.3, -0.2, 0.9], 3: [0.3, -0.2, 0.9], 5: [0.3, -0.19, 0.9],
             0: [1.0, 0.0, 0.0], 1: [0.0, 1.0, 0.0], 6: [0.0, 0.0, 1.0], 4: None}
    rows = [{**r, "vector": given[i]} if i in given else r for i, r in enumerate(records)]
    vectors = {records[i]["id"]: v for i, v in given.items() if v is not None}
    _write(tmp_path / "records.jsonl", rows)
    one_run = zhdedup.cluster(records, model=E5, vectors=vectors)
    plain = zhdedup.cluster(records, model=E5)
    assert one_run.clusters != plain.clusters
    expected = {a: (one_run.cluster_of(a), one_run.story_of(a)) for a in one_run.ids}
    threshold = json.loads(E5.read_text(encoding="utf-8"))["event_threshold"]
    expected_links = {(link["a"], link["b"]): link for link in one_run.links
                      if link["score"] >= threshold}
    # JSON Lines, and Parquet (a typed list column with nulls).
    spark.read.json(str(tmp_path / "records.jsonl")).write.parquet(str(tmp_path / "records.parquet"))
    for source in ("records.jsonl", "records.parquet"):
        out = tmp_path / f"out-{source}"
        figures = _module("zhdedup_spark").run(spark, str(tmp_path / source), str(out),
                                               core_days=1, settings={"model": str(E5)})
        assert figures["windows"] > 1 and figures["vectors"] == 6
        events, links = _output(out)
        assert list(events) == [r["id"] for r in records]
        assert events == expected
        assert links.keys() == expected_links.keys()
        close(links, expected_links)
        assert any(link["evidence"]["vector_similarity"] is not None for link in links.values())
    # Without a model that weighs vectors the library's error stops the job
    # on the driver, before any window is scored.
    with pytest.raises(ValueError, match=r"score\(\): the model does not weigh vectors"):
        _module("zhdedup_spark").run(spark, str(tmp_path / "records.jsonl"), str(tmp_path / "no"),
                                     core_days=1)
    # A column of nulls is no vectors: the built-in model clusters as before.
    _write(tmp_path / "nulls.jsonl", [{**r, "vector": None} for r in records])
    figures = _module("zhdedup_spark").run(spark, str(tmp_path / "nulls.jsonl"),
                                           str(tmp_path / "nulls"), core_days=1)
    builtin = zhdedup.cluster(records)
    assert figures["vectors"] == 0
    assert _output(tmp_path / "nulls")[0] == {a: (builtin.cluster_of(a), builtin.story_of(a))
                                              for a in builtin.ids}


def test_epoch_numbers_follow_the_librarys_rule():
    millis = _module("zhdedup_spark")._millis
    # Seconds below 10^11 in magnitude, milliseconds from there up.
    assert millis(1_604_362_923) == 1_604_362_923_000
    assert millis(1_604_362_923_000) == 1_604_362_923_000
    assert millis(99_999_999_999) == 99_999_999_999_000
    assert millis(100_000_000_000) == 100_000_000_000
    assert millis("2020-11-03T00:22:03Z") == 1_604_362_923_000


def test_export_reads_in_batches_in_the_loaders_order():
    export = _module("export")
    failures = []
    batched = list(export.each_record([str(SAMPLE)], failures, batch=2))
    whole = zhdedup.Loader().load([str(SAMPLE)])
    assert not failures and not whole.failures
    assert [r["id"] for r in batched] == [a.source for a in whole.articles]
    assert [r["title"] for r in batched] == [a.title for a in whole.articles]
    assert len(batched) > 2
