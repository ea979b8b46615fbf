"""Clustering in parts: frequencies counted per part and merged, pairs scored
per time window with the whole's counts, and one grouping, as the Spark job
(python/spark/zhdedup_spark.py) does."""

import pickle

import pytest

import zhdedup

from test_batch import generated


def test_merged_frequencies_are_the_whole_archives():
    records = generated()
    whole = zhdedup.frequencies(records)
    assert whole.articles == len(records)
    half = len(records) // 2
    merged = zhdedup.frequencies(records[:half])
    merged.merge(zhdedup.frequencies(records[half:]))
    assert merged == whole
    assert merged.to_bytes() == whole.to_bytes()
    assert zhdedup.Frequencies.from_bytes(whole.to_bytes()) == whole
    assert pickle.loads(pickle.dumps(whole)) == whole
    empty = zhdedup.Frequencies()
    empty.merge(whole)
    assert empty == whole and len(empty) == len(whole) > 0
    pruned = zhdedup.Frequencies.from_bytes(whole.to_bytes())
    pruned.prune()
    assert len(pruned) < len(whole) and pruned.articles == whole.articles


def test_frequencies_errors():
    records = generated()[:50]
    with pytest.raises(ValueError, match="bad frequencies"):
        zhdedup.Frequencies.from_bytes(b"not the counts")
    bigrams = zhdedup.frequencies(records, ngram=2)
    trigrams = zhdedup.frequencies(records)
    with pytest.raises(ValueError, match="other ngram"):
        trigrams.merge(bigrams)
    with pytest.raises(ValueError, match="other ngram"):
        zhdedup.cluster(records, frequencies=bigrams)
    with pytest.raises(TypeError, match="frequencies must be a zhdedup.Frequencies"):
        zhdedup.cluster(records, frequencies="counts")
    with pytest.raises(ValueError, match="frequencies: bad frequencies"):
        zhdedup.cluster(records, frequencies=b"junk")


def test_score_then_group_is_cluster():
    records = generated()[:2000]
    ids = [r["id"] for r in records]
    whole = zhdedup.cluster(records)
    pairs, links = zhdedup.score(records)
    assert pairs and all(0.02 <= s <= 1 for _, _, s in pairs)
    assert zhdedup.group(ids, pairs) == {"clusters": whole.clusters, "stories": whole.stories}
    # score's links are cluster's, less the within-event pairs below the
    # threshold that only cluster explains.
    threshold_links = [link for link in whole.links if link["score"] >= 0.25]
    assert links == threshold_links
    # Pairs name the earlier record first.
    position = {i: p for p, i in enumerate(ids)}
    assert all(position[a] < position[b] for a, b, _ in pairs)
    # The whole's own counts given back change nothing.
    again = zhdedup.cluster(records, frequencies=zhdedup.frequencies(records).to_bytes())
    assert again.clusters == whole.clusters and again.links == whole.links


def test_time_windows_stitched_are_one_run():
    records = generated()
    ids = [r["id"] for r in records]
    whole = zhdedup.cluster(records)
    counts = zhdedup.Frequencies()
    # Two windows cut at the median time, each widened by the 48-hour gap.
    times = sorted(r["published"] for r in records)
    cut, margin = times[len(times) // 2], 48 * 3600
    cores = [[r for r in records if r["published"] < cut], [r for r in records if r["published"] >= cut]]
    for core in cores:
        counts.merge(zhdedup.frequencies(core))
    counts = pickle.loads(pickle.dumps(counts))  # as shipped to executors
    published = {r["id"]: r["published"] for r in records}
    kept = []
    for window, (low, high) in enumerate([(None, cut + margin), (cut - margin, None)]):
        members = [
            r
            for r in records
            if (low is None or r["published"] >= low) and (high is None or r["published"] < high)
        ]
        pairs, _ = zhdedup.score(members, frequencies=counts)
        # Each pair from the window whose core holds its earlier article.
        owner = lambda a, b: int(min(published[a], published[b]) >= cut)  # noqa: E731
        kept += [p for p in pairs if owner(p[0], p[1]) == window]
    # Pairs in either order are the same pair; each once.
    assert len({frozenset(p[:2]) for p in kept}) == len(kept)
    stitched = zhdedup.group(ids, kept)
    assert stitched == {"clusters": whole.clusters, "stories": whole.stories}


@pytest.mark.parametrize(
    "ids, pairs, error, pattern",
    [
        (["a", "b"], [("a", "c", 0.5)], ValueError, r"^pairs\[0\]: 'c' is not among the ids$"),
        (["a", "b"], [("a", "a", 0.5)], ValueError, r"^pairs\[0\]: a pair of 'a' with itself$"),
        (["a", "b"], [("a", "b", 0.5), ("b", "a", 0.7)], ValueError, r"^pairs\[1\]: the pair \('b', 'a'\) repeats pairs\[0\]$"),
        (["a", "b"], [("a", "b", 1.5)], ValueError, r"^pairs\[0\]: score 1.5 is outside 0..=1$"),
        (["a", "b"], [("a", "b", float("nan"))], ValueError, r"^pairs\[0\]: score (?i:nan) is outside"),
        (["a", "b"], [("a", "b", "high")], TypeError, r"^pairs\[0\]: the score must be a number, got str$"),
        (["a", "b"], [("a", "b")], ValueError, r"^pairs\[0\]: expected an \(id_a, id_b, score\) triple, got tuple$"),
        (["a", "b"], ["abc"], ValueError, r"^pairs\[0\]: expected an \(id_a, id_b, score\) triple, got str$"),
        (["a", 1, "a"], [], ValueError, r"^ids\[2\]: 'a' repeats ids\[0\]$"),
        ([1.0], [], ValueError, r"^ids\[0\]: expected str or int, got float$"),
    ],
)
def test_group_errors_name_the_pair(ids, pairs, error, pattern):
    with pytest.raises(error, match=pattern):
        zhdedup.group(ids, pairs)


def test_group_with_mixed_ids_and_thresholds():
    # Average linkage: "c" joins {"a", 2} at the mean of its two pairs
    # (0.3), "d" the story at 0.1 over three pairs (0.033 >= 0.025).
    pairs = [("a", 2, 0.9), (2, "c", 0.3), ("a", "c", 0.3), ("c", "d", 0.1)]
    assert zhdedup.group(["a", 2, "c", "d"], pairs) == {
        "clusters": [["a", 2, "c"], ["d"]],
        "stories": [[0, 1]],
    }
    # A higher threshold splits "c" off; lists work as triples too.
    strict = zhdedup.group(["a", 2, "c", "d"], [list(p) for p in pairs], threshold=0.7, story_threshold=0.05)
    assert strict["clusters"] == [["a", 2], ["c"], ["d"]]
