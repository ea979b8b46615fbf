"""Cluster an archive too large for one machine with Spark and zhdedup.

Events are local in time, so the archive is cut by publish time into windows
of ``core_days``, each widened by ``margin_days`` on both sides (at least the
clustering window of 48 hours, so every pair the library would score lies in
one widened window). The job has three steps:

1. **Frequencies.** Each window counts the document frequencies of its own
   articles (``zhdedup.frequencies``); the counts are merged on the driver
   and shipped to every executor, so that a window weighs terms, and so
   scores pairs, as one run over the whole archive would.
2. **Scores.** Each widened window is scored on an executor
   (``zhdedup.score``, with the records' vectors when they have them). A
   pair is kept from the one window whose core holds its earlier article,
   so every pair is counted once.
3. **Stitching.** The driver groups all the kept pairs at once
   (``zhdedup.group``: the same average linkage as one run, with ties
   broken by input order), so the windows join into one clustering
   deterministically.

What differs from one run: copies published further apart than the margins
(a single run links rare paragraphs across any gap) are not paired. On the
shared corpus that splits one recurring tracker (see DESIGN.md).

Usage::

    python python/spark/zhdedup_spark.py INPUT OUTPUT_DIR [--core-days 30]
        [--margin-days 3] [--model FILE] [--master local[2]]
        [--conf KEY=VALUE ...]

INPUT is Parquet (a directory or file ending in .parquet) or JSON Lines with
the columns ``id``, ``title``, ``text`` and optional ``outlet``,
``published`` (ISO 8601 string or timestamp), ``url`` and ``vector``: a
list of floats from any sentence-embedding model, one dimension for all,
null for a record without one. Vectors are weighed (as ``zhdedup.cluster``
weighs them) only with ``--model``, a model trained with such vectors
(``zhdedup train --vectors``); with another model a record with a vector
stops the job with the library's error, on the driver, after the terms are
counted and before any window is scored. The settings, the model's path
among them, travel to the executors with each task, and each executor reads
the model from that path: on a cluster it must be readable there (and on the
driver) at the same path. OUTPUT_DIR gets
``clusters.tsv`` (``id<TAB>event<TAB>story``, in input order, events and
stories numbered by their first article) and ``links.jsonl`` (every link
with its evidence).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import datetime, timezone

DAY_MS = 86_400_000
# An epoch number this large or larger is milliseconds (as in the library).
EPOCH_MS_FROM = 10**11
FIELDS = ("id", "title", "text", "outlet", "published", "url", "vector")


def _millis(published) -> int | None:
    """The publish time in UTC milliseconds, for choosing windows only (the
    library parses the time itself for scoring; the margins absorb a
    difference of a day)."""
    if published is None:
        return None
    if isinstance(published, datetime):
        moment = published if published.tzinfo else published.replace(tzinfo=timezone.utc)
        return int(moment.timestamp() * 1000)
    if isinstance(published, (int, float)):
        # The library's rule: epoch seconds below 10^11 in magnitude,
        # milliseconds otherwise.
        return int(published * 1000) if abs(published) < EPOCH_MS_FROM else int(published)
    text = str(published).strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        # The library will refuse or warn about it; here it is untimed.
        return None
    return _millis(moment)


def _record(row) -> dict:
    """A Spark row as the record dict zhdedup takes (empty fields dropped)."""
    data = row.asDict() if hasattr(row, "asDict") else dict(row)
    record = {k: data.get(k) for k in FIELDS if data.get(k) is not None}
    for key in ("text", "vector"):
        if isinstance(record.get(key), (list, tuple)):
            record[key] = list(record[key])
    return record


def _bare(record: dict) -> dict:
    """The record without its vector, for counting terms (which vectors do
    not change): the vectors stay out of the first shuffle."""
    if "vector" not in record:
        return record
    return {k: v for k, v in record.items() if k != "vector"}


def _peak_mib() -> int:
    """This process's peak resident memory in MiB (a Python worker's, on an
    executor; 0 where the platform does not say)."""
    try:
        import resource
    except ImportError:
        return 0
    # Kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def _windows(ms: int | None, core_ms: int, margin_ms: int, all_windows) -> list:
    """The widened windows that hold an article (untimed: every window, as
    one run pairs an untimed article with any other)."""
    if ms is None:
        return list(all_windows)
    core = ms // core_ms
    out = [core]
    if ms - core * core_ms < margin_ms:
        out.append(core - 1)
    if (core + 1) * core_ms - ms <= margin_ms:
        out.append(core + 1)
    return [w for w in out if w in all_windows]


def run(spark, input_path: str, output_dir: str, core_days: int = 30, margin_days: int = 3,
        settings: dict | None = None) -> dict:
    """Clusters the archive at ``input_path`` into ``output_dir`` with
    ``settings`` (the keyword settings of ``zhdedup.score``: ``model``, ...);
    returns figures (articles, those with a vector, windows, pairs, seconds
    per step)."""
    import zhdedup

    settings = dict(settings or {})
    if margin_days * 24 < settings.get("gap", 48):
        raise ValueError("margin_days must cover the clustering window (gap hours)")
    core_ms, margin_ms = core_days * DAY_MS, margin_days * DAY_MS
    timings = {}
    start = time.monotonic()
    if input_path.endswith(".parquet") or os.path.isdir(input_path):
        frame = spark.read.parquet(input_path)
    else:
        frame = spark.read.json(input_path)
    # The input order (a global sequence number) breaks ties as one run's
    # input order would.
    rows = frame.rdd.zipWithIndex().map(lambda r: (r[1], _record(r[0]))).map(
        lambda r: (r[0], r[1], _millis(r[1].get("published"))))
    rows = rows.cache()

    # 1. Frequencies, counted per window core and merged.
    def count(group):
        window, members = group
        members = sorted(members, key=lambda m: m[0])
        counted = zhdedup.frequencies([m[1] for m in members], **settings).to_bytes()
        return counted, sum(m[3] for m in members)

    cores = rows.map(lambda r: (None if r[2] is None else r[2] // core_ms,
                                (r[0], _bare(r[1]), r[2], "vector" in r[1])))
    counts, vectors = None, 0
    for part, with_vectors in cores.groupByKey().map(count).toLocalIterator():
        vectors += with_vectors
        part = zhdedup.Frequencies.from_bytes(part)
        if counts is None:
            counts = part
        else:
            counts.merge(part)
    counts.prune()
    all_windows = sorted(cores.keys().filter(lambda w: w is not None).distinct().collect())
    if not all_windows:
        all_windows = [None]
    if vectors:
        # Asked here, on the driver, before any window is scored: one record
        # with a vector, scored alone, raises the library's own error when
        # the model does not weigh vectors.
        zhdedup.score([rows.filter(lambda r: "vector" in r[1]).first()[1]], **settings)
    shipped = spark.sparkContext.broadcast(counts.to_bytes())
    timings["frequencies_s"] = time.monotonic() - start

    # 2. Scores per widened window; each pair from the window that owns it.
    start = time.monotonic()
    window_set = set(all_windows)

    def spread(row):
        return [(w, row) for w in _windows(row[2], core_ms, margin_ms, window_set)]

    def score(group):
        window, members = group
        members = sorted(members, key=lambda m: m[0])
        times = {m[1]["id"]: m[2] for m in members}
        frequencies = zhdedup.Frequencies.from_bytes(shipped.value)
        # Vectors (a record's `vector` key) are weighed when the model weighs
        # them, and refused by the library when it does not.
        pairs, links = zhdedup.score([m[1] for m in members], frequencies=frequencies, **settings)

        def owner(a, b):
            known = [t for t in (times[a], times[b]) if t is not None]
            return min(known) // core_ms if known else all_windows[0]

        kept = [(a, b, s) for a, b, s in pairs if owner(a, b) == window]
        kept_links = [link for link in links if owner(link["a"], link["b"]) == window]
        return kept, kept_links, (len(members), _peak_mib())

    scored = rows.flatMap(spread).groupByKey().map(score).cache()
    pairs, sizes, peaks = [], [], []
    for kept, _, (size, peak) in scored.toLocalIterator():
        pairs.extend(kept)
        sizes.append(size)
        peaks.append(peak)
    timings["score_s"] = time.monotonic() - start

    # 3. Stitching on the driver, in input order.
    start = time.monotonic()
    ordered = rows.map(lambda r: (r[0], r[1]["id"])).sortByKey().values().collect()
    groups = zhdedup.group(ordered, pairs, **settings)
    event_of, story_of = {}, {}
    for event, members in enumerate(groups["clusters"]):
        for member in members:
            event_of[member] = event
    for story, events in enumerate(groups["stories"]):
        for event in events:
            for member in groups["clusters"][event]:
                story_of[member] = story
    os.makedirs(output_dir, exist_ok=True)
    with open(os.path.join(output_dir, "clusters.tsv"), "w", encoding="utf-8") as out:
        for article in ordered:
            out.write(f"{article}\t{event_of[article]}\t{story_of[article]}\n")
    with open(os.path.join(output_dir, "links.jsonl"), "w", encoding="utf-8") as out:
        for _, links, _ in scored.toLocalIterator():
            for link in links:
                out.write(json.dumps(link, ensure_ascii=False) + "\n")
    timings["stitch_s"] = time.monotonic() - start
    return {"articles": len(ordered), "vectors": vectors, "windows": len(all_windows),
            "pairs": len(pairs), "events": len(groups["clusters"]), "largest_window": max(sizes),
            "worker_peak_mib": max(peaks), "driver_peak_mib": _peak_mib(), **timings}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--core-days", type=int, default=30)
    parser.add_argument("--margin-days", type=int, default=3)
    parser.add_argument("--model", metavar="FILE",
                        help="a model JSON file (zhdedup train); one trained with vectors "
                             "weighs the input's vector column")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE",
                        help="a Spark setting, e.g. spark.driver.memory=4g (repeatable)")
    args = parser.parse_args(argv)
    from pyspark.sql import SparkSession

    builder = (SparkSession.builder.master(args.master).appName("zhdedup")
               .config("spark.ui.enabled", "false"))
    for setting in args.conf:
        key, sep, value = setting.partition("=")
        if not sep:
            parser.error(f"--conf {setting}: expected KEY=VALUE")
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    try:
        settings = {"model": args.model} if args.model else {}
        figures = run(spark, args.input, args.output, args.core_days, args.margin_days,
                      settings)
    finally:
        spark.stop()
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
