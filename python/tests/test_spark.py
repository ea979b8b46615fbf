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

SPARK = REPO / "python" / "spark"
CORPUS = REPO.parent / "shared" / "corpus" / "raw"


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


def _run(spark, tmp_path, paths, core_days):
    records, failures = _module("export").records([str(p) for p in paths])
    assert not failures
    source = tmp_path / "records.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                      encoding="utf-8")
    figures = _module("zhdedup_spark").run(spark, str(source), str(tmp_path / "out"), core_days)
    rows = [line.split("\t") for line in
            (tmp_path / "out" / "clusters.tsv").read_text(encoding="utf-8").splitlines()]
    windowed = {article: int(event) for article, event, _ in rows}
    # Every record once, in input order.
    assert [r[0] for r in rows] == [r["id"] for r in records]
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
