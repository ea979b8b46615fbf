"""Vectors the user brings (a record's `vector` key, `vectors=` of `cluster`
and `score`), weighed by a model trained with them: what they change, that
both ways of giving them agree, that scoring then grouping is clustering,
that the command weighs them alike, and every bad one named."""

import array
import json
import math
import random
import re
import subprocess

import pytest

import zhdedup

from conftest import REPO, SAMPLE
from test_batch import generated
from test_sample import check_as_command, close, command_json, name

# A model trained with multilingual-e5-small vectors; any vectors of one
# dimension can be given to it (these tests invent small ones).
E5 = REPO / "eval" / "model-e5-small.json"
MODEL = json.loads(E5.read_text(encoding="utf-8"))


def sample():
    """The sample's articles: 0, 1 and 6 report one meeting, 2 and 3 one
    quake; 5 is a later piece about the quake that the model keeps apart."""
    return zhdedup.Loader().load(SAMPLE).articles


def cosine(x, y):
    dot = sum(a * b for a, b in zip(x, y))
    return dot / math.sqrt(sum(a * a for a in x) * sum(b * b for b in y))


def vector_feature(link):
    """The value the model weighed for the vectors: `0.5 + cos / 2`."""
    return next(c["value"] for c in link["evidence"]["contributions"] if c["feature"] == "vector")


def near(x, y):
    # The library computes in f32.
    return math.isclose(x, y, rel_tol=1e-5, abs_tol=1e-6)


def check_vector_evidence(link, x, y):
    """`vector_similarity` is the cosine of the two vectors, the feature
    `0.5 + cos / 2`, and the score the model's logistic over its
    contributions (so the vector counted with its weight)."""
    cos = cosine(x, y)
    assert near(link["evidence"]["vector_similarity"], cos), (link, cos)
    assert near(vector_feature(link), 0.5 + cos / 2), link
    logit = MODEL["bias"] + sum(c["logit"] for c in link["evidence"]["contributions"])
    assert near(link["score"], 1 / (1 + math.exp(-logit))), link


def test_without_vectors_the_model_gives_the_missing_value():
    clustering = zhdedup.cluster(sample(), model=E5)
    assert clustering.clusters == [[0, 1, 6], [2, 3], [4], [5], [7]]
    for link in clustering.links:
        assert link["evidence"]["vector_similarity"] is None
        assert near(vector_feature(link), MODEL["missing_vector"])


def test_vectors_make_unrelated_articles_one_event():
    # 3 (the quake) and 5 (a later piece on it) look identical: 5 joins.
    same = [0.3, -0.2, 0.9]
    clustering = zhdedup.cluster(sample(), model=E5, vectors={3: same, 5: same})
    assert clustering.clusters == [[0, 1, 6], [2, 3, 5], [4], [7]]
    link = clustering.explain(3, 5)
    assert link["score"] >= MODEL["event_threshold"]
    check_vector_evidence(link, same, same)
    assert near(link["evidence"]["vector_similarity"], 1.0)
    # 2 has no vector: its links weigh the model's missing value.
    assert clustering.explain(2, 3)["evidence"]["vector_similarity"] is None
    assert near(vector_feature(clustering.explain(2, 3)), MODEL["missing_vector"])


def test_orthogonal_vectors_split_one_event():
    vectors = {0: [1, 0, 0], 1: [0, 1, 0], 6: [0, 0, 1]}
    clustering = zhdedup.cluster(sample(), model=E5, vectors=vectors)
    assert clustering.clusters == [[0], [1], [2, 3], [4], [5], [6], [7]]
    assert clustering.explain(0, 1) is None and clustering.explain(0, 6) is None


def test_a_cosine_between_is_weighed_as_such():
    # Not unit length: the library normalises; cos = 12 / 15 = 0.8.
    x, y = [3.0, 0.0], [4.0, 3.0]
    before = zhdedup.cluster(sample(), model=E5).explain(2, 3)
    clustering = zhdedup.cluster(sample(), model=E5, vectors={2: x, 3: y})
    link = clustering.explain(2, 3)
    check_vector_evidence(link, x, y)
    assert near(link["evidence"]["vector_similarity"], 0.8)
    # 0.8 is below the missing value's cosine (0.89): a weaker link.
    assert link["score"] < before["score"]


def test_no_vectors_is_the_command_with_the_same_model(zhdedup_bin):
    command = command_json(zhdedup_bin, "--model", E5)
    articles = sample()
    # No vectors, an empty mapping and vectors all None are one run.
    runs = [
        zhdedup.cluster(articles, model=E5),
        zhdedup.cluster(articles, model=E5, vectors={}),
        zhdedup.cluster(articles, model=E5, vectors={a.id: None for a in articles}),
    ]
    for clustering in runs:
        check_as_command(clustering, command)


def test_vectors_are_the_commands(zhdedup_bin, tmp_path):
    """`cluster(vectors=)` weighs vectors as `zhdedup cluster --vectors
    FILE` does: the same clusters, and the same links with the same
    evidence (the cosine, `vector_similarity`, to f32 precision)."""
    articles = sample()
    rng = random.Random(3)
    # The quake's reports (2, 3) and its later piece (5) alike, the
    # meeting's (0, 1, 6) alike but 6 turned away; 4 has none.
    quake, meeting = [rng.gauss(0, 1) for _ in range(8)], [rng.gauss(0, 1) for _ in range(8)]
    vectors = {}
    for article in articles:
        if article.id == 4:
            continue
        centre = quake if article.id in (2, 3, 5) else meeting
        if article.id == 6:
            centre = [-c for c in centre]
        vectors[article.id] = [c + rng.gauss(0, 0.05) for c in centre]
    file = tmp_path / "vectors.jsonl"
    file.write_text(
        "".join(json.dumps({"path": name(a), "vector": vectors[a.id]}) + "\n" for a in articles if a.id in vectors),
        encoding="utf-8",
    )
    command = command_json(zhdedup_bin, "--model", E5, "--vectors", file)
    clustering = zhdedup.cluster(articles, model=E5, vectors=vectors)
    # The vectors changed the clustering: 5 joins the quake, 6 leaves the
    # meeting.
    assert clustering.clusters == [[0, 1], [2, 3, 5], [4], [6], [7]]
    links = check_as_command(clustering, command)
    similarities = [link["evidence"]["vector_similarity"] for link in links]
    assert len(links) == 4 and None not in similarities
    for link in links:
        check_vector_evidence(link, vectors[link["a"]], vectors[link["b"]])


def event_of(record_id):
    """The event of a generated record (see test_batch.generated)."""
    if isinstance(record_id, int):
        return record_id // 4
    return int(record_id[1:].split("-")[0])


def invented_vectors(records, dimension=12, seed=5):
    """Nearby vectors for the reports of one event, but a direction of its
    own for the first report of every 10th event, and none for every 9th
    record."""
    rng = random.Random(seed)
    base = {}
    vectors = {}
    for i, record in enumerate(records):
        event = event_of(record["id"])
        if i % 9 == 4:
            continue
        centre = base.setdefault(event, [rng.gauss(0, 1) for _ in range(dimension)])
        if event % 10 == 0 and record["id"] == event * 4:
            centre = [rng.gauss(0, 1) for _ in range(dimension)]
        vectors[record["id"]] = [c + rng.gauss(0, 0.1) for c in centre]
    return vectors


def mates_in_order(ids, records):
    order = {r["id"]: i for i, r in enumerate(records)}
    return sorted(ids, key=order.__getitem__)


def whole(clustering):
    return clustering.clusters, clustering.stories, clustering.links


@pytest.fixture(scope="module")
def batch():
    records = generated()[:1500]
    vectors = invented_vectors(records)
    keyed = [{**r, "vector": vectors.get(r["id"])} for r in records]
    return records, vectors, keyed


def test_the_key_and_the_mapping_agree(batch):
    records, vectors, keyed = batch
    by_mapping = zhdedup.cluster(records, model=E5, vectors=vectors)
    by_key = zhdedup.cluster(keyed, model=E5)
    assert whole(by_key) == whole(by_mapping)
    # Tuples and array.array values, and the mapping given as items of
    # another Mapping type, read the same.
    others = {k: (tuple(v) if i % 2 else array.array("d", v)) for i, (k, v) in enumerate(vectors.items())}
    assert whole(zhdedup.cluster(records, model=E5, vectors=others)) == whole(by_mapping)
    # Part as keys, the rest in the mapping.
    half = [{**r, "vector": vectors.get(r["id"])} if i % 2 else r for i, r in enumerate(records)]
    rest = {r["id"]: vectors[r["id"]] for i, r in enumerate(records) if i % 2 == 0 and r["id"] in vectors}
    assert whole(zhdedup.cluster(half, model=E5, vectors=rest)) == whole(by_mapping)


def test_vectors_change_the_clustering_as_given(batch):
    records, vectors, _ = batch
    clustering = zhdedup.cluster(records, model=E5, vectors=vectors)
    plain = zhdedup.cluster(records, model=E5)
    assert clustering.clusters != plain.clusters
    # The first report of every 10th event, its vector pointing elsewhere,
    # stands alone when its event's other reports have vectors (one
    # without weighs the missing value, and may keep it). Only events the
    # words alone keep whole count: which those are is the model's say.
    split = 0
    for record_id in vectors:
        if isinstance(record_id, int) and record_id % 4 == 0 and event_of(record_id) % 10 == 0:
            mates = [r["id"] for r in records if event_of(r["id"]) == event_of(record_id)]
            whole_by_words = plain.clusters[plain.cluster_of(record_id)] == mates_in_order(mates, records)
            if len(mates) > 1 and all(m in vectors for m in mates) and whole_by_words:
                assert clustering.clusters[clustering.cluster_of(record_id)] == [record_id]
                split += 1
    assert split >= 10
    checked = 0
    for link in clustering.links:
        x, y = vectors.get(link["a"]), vectors.get(link["b"])
        if x is None or y is None:
            assert link["evidence"]["vector_similarity"] is None
            assert near(vector_feature(link), MODEL["missing_vector"])
        else:
            check_vector_evidence(link, x, y)
            checked += 1
    assert checked > 100


def test_threads_give_one_answer_with_vectors(batch):
    records, vectors, _ = batch
    one = zhdedup.cluster(records, model=E5, vectors=vectors, threads=1)
    two = zhdedup.cluster(records, model=E5, vectors=vectors, threads=2)
    assert whole(one) == whole(two)


def test_tables_and_numpy():
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    pa = pytest.importorskip("pyarrow")
    # String ids: a pyarrow column holds one type.
    records = [{**r, "id": str(r["id"])} for r in generated()[:300]]
    vectors = {str(k): v for k, v in invented_vectors(generated()[:300]).items()}
    expected = whole(zhdedup.cluster(records, model=E5, vectors=vectors))
    # A DataFrame column of numpy arrays, None where a record has none.
    frame = pd.DataFrame(records)
    frame["vector"] = [None if vectors.get(i) is None else np.array(vectors[i]) for i in frame["id"]]
    assert whole(zhdedup.cluster(frame, model=E5)) == expected
    # NaN for none; float32 arrays (the library rounds to f32 as numpy does).
    frame["vector"] = [
        float("nan") if vectors.get(i) is None else np.array(vectors[i], dtype=np.float32)
        for i in frame["id"]
    ]
    assert whole(zhdedup.cluster(frame, model=E5)) == expected
    # A pyarrow list column with nulls (a column holds one type: text as
    # str, one paragraph a line, which reads as the list).
    rows = [
        {**r, "text": r["text"] if isinstance(r["text"], str) else "\n".join(r["text"]),
         "vector": vectors.get(r["id"])}
        for r in records
    ]
    assert whole(zhdedup.cluster(pa.Table.from_pylist(rows), model=E5)) == expected
    # A pandas Series as the mapping, values numpy arrays.
    series = pd.Series({k: np.array(v) for k, v in vectors.items()}, dtype=object)
    assert whole(zhdedup.cluster(records, model=E5, vectors=series)) == expected
    # Values taken from a pyarrow column are list scalars.
    column = pa.array(list(vectors.values()))
    scalars = dict(zip(vectors, column))
    assert whole(zhdedup.cluster(records, model=E5, vectors=scalars)) == expected


def test_frequencies_and_group_take_no_vectors(batch):
    records, vectors, keyed = batch
    assert zhdedup.frequencies(keyed) == zhdedup.frequencies(records)
    hint = r"unexpected keyword argument 'vectors' \(cluster\(\) and score\(\) weigh vectors\)"
    with pytest.raises(TypeError, match=hint):
        zhdedup.frequencies(records, vectors=vectors)
    with pytest.raises(TypeError, match=hint):
        zhdedup.group([r["id"] for r in records], [], vectors=vectors)


def check_score_then_group(records, ids, vectors):
    """`score` with `vectors` then `group` is `cluster` with them: the same
    clusters and stories, the links at the event threshold, and every link
    of `cluster` (from 0.02) among the pairs with its score. Returns the
    pairs."""
    clustering = zhdedup.cluster(records, model=E5, vectors=vectors)
    pairs, links = zhdedup.score(records, model=E5, vectors=vectors)
    grouped = zhdedup.group(ids, pairs, model=E5)
    assert grouped == {"clusters": clustering.clusters, "stories": clustering.stories}
    threshold = MODEL["event_threshold"]
    assert links == [link for link in clustering.links if link["score"] >= threshold]
    scores = {(a, b): s for a, b, s in pairs}
    for link in clustering.links:
        # Pairs below 0.02 weigh nothing in clustering; score leaves them out.
        if link["score"] >= 0.02:
            assert scores[link["a"], link["b"]] == link["score"], link
    for a, b, s in pairs:
        explained = clustering.explain(a, b)
        assert explained is None or explained["score"] == s
    return pairs


def test_score_then_group_is_cluster_on_the_sample():
    articles = sample()
    ids = [a.id for a in articles]
    same = [0.3, -0.2, 0.9]
    plain = {p[:2]: p[2] for p in zhdedup.score(articles, model=E5)[0]}
    # 3 and 5 alike: 5 joins the quake, the pair scores far above its words.
    joined = {p[:2]: p[2] for p in check_score_then_group(articles, ids, {3: same, 5: same})}
    assert joined[3, 5] >= MODEL["event_threshold"] > plain[3, 5]
    # The meeting's reports turned apart: below the threshold.
    apart = check_score_then_group(articles, ids, {0: [1, 0, 0], 1: [0, 1, 0], 6: [0, 0, 1]})
    apart = {p[:2]: p[2] for p in apart}
    assert apart.get((0, 1), 0) < MODEL["event_threshold"] <= plain[0, 1]


def test_score_then_group_is_cluster_on_a_batch(batch):
    records, vectors, keyed = batch
    ids = [r["id"] for r in records]
    # Every 9th record has no vector.
    assert 0 < len(records) - len(vectors) < len(records) // 5
    pairs = check_score_then_group(records, ids, vectors)
    assert zhdedup.score(keyed, model=E5) == zhdedup.score(records, model=E5, vectors=vectors)
    # Every pair of two records with vectors scores otherwise without them.
    plain = {p[:2]: p[2] for p in zhdedup.score(records, model=E5)[0]}
    weighed = {p[:2]: p[2] for p in pairs}
    both = [k for k in weighed.keys() & plain.keys() if k[0] in vectors and k[1] in vectors]
    assert len(both) > 300 and all(weighed[k] != plain[k] for k in both)


RECORDS = [
    {"id": "a", "title": "示例市议会三读通过票价法案", "text": "示例市议会今天三读通过票价法案。"},
    {"id": 7, "title": "示例市地铁票价明年调整", "text": "示例市地铁公司宣布明年调整票价。"},
]


def fails(pattern, records=RECORDS, error=ValueError, **settings):
    """`cluster` and `score` both raise `error` matching `pattern`, in which
    FUNCTION stands for the function's name."""
    settings.setdefault("model", E5)
    for function in ("cluster", "score"):
        with pytest.raises(error) as caught:
            getattr(zhdedup, function)(records, **settings)
        message = str(caught.value)
        assert re.search(pattern.replace("FUNCTION", function), message), message


def keyed(vector_a, vector_7):
    return [{**RECORDS[0], "vector": vector_a}, {**RECORDS[1], "vector": vector_7}]


@pytest.mark.parametrize(
    "vector, reason",
    [
        ([], r"empty"),
        ([0, 0.0, -0.0], r"all zeros \(a vector needs a direction\)"),
        ([1.0, float("nan")], r"item 1: nan is not finite"),
        ([float("-inf"), 1.0], r"item 0: -inf is not finite"),
        ([1.0, 1e300], r"item 1: 1e\+300 is beyond the 32-bit float range"),
        ([1.0, "2"], r"item 1: expected a number, got str"),
        ([1.0, None], r"item 1: expected a number, got NoneType"),
        ([[1.0], [2.0]], r"item 0: expected a number, got list"),
        ("1,2", r"expected a sequence of numbers, got str"),
        (b"\x01\x02", r"expected a sequence of numbers, got bytes"),
        ({"x": 1.0}, r"expected a sequence of numbers, got dict"),
        (1.5, r"expected a sequence of numbers, got float"),
        ([1.0, 2.0, 3.0], r"3 values, but record 0 \(id 'a'\) has 2"),
    ],
)
def test_each_bad_vector_names_record_and_reason(vector, reason):
    # As a key, and in the mapping.
    fails(rf"^record 1 \(id 7\): vector: {reason}$", keyed([1.0, 0.5], vector))
    fails(rf"^record 1 \(id 7\): vectors: {reason}$", vectors={"a": [1.0, 0.5], 7: vector})


def test_a_numpy_array_of_two_dimensions_is_no_vector():
    np = pytest.importorskip("numpy")
    fails(r"^record 0 \(id 'a'\): vectors: item 0: expected a number, got list$", vectors={"a": np.ones((2, 2))})
    fails(r"^record 0 \(id 'a'\): vectors: item 1: nan is not finite$", vectors={"a": np.array([1.0, np.nan])})


def test_a_vector_given_both_ways():
    fails(
        r"^record 0 \(id 'a'\): vectors: the record has a vector already \(its `vector` key\)",
        keyed([1.0, 0.0], None),
        vectors={"a": [0.0, 1.0]},
    )
    # None in the mapping gives none: no conflict.
    zhdedup.cluster(keyed([1.0, 0.0], None), model=E5, vectors={"a": None})
    zhdedup.score(keyed([1.0, 0.0], None), model=E5, vectors={"a": None})


def test_a_repeated_id_in_the_mapping():
    pd = pytest.importorskip("pandas")
    series = pd.Series([[1.0, 0.0], [0.0, 1.0]], index=[7, 7])
    fails(r"^record 1 \(id 7\): vectors: given twice$", vectors=series)


@pytest.mark.parametrize(
    "vectors, pattern",
    [
        ({"zz": [1.0]}, r"^vectors: id 'zz' names no record$"),
        # 7 and "7" are different ids.
        ({"7": [1.0]}, r"^vectors: id '7' names no record$"),
        ({8: [1.0]}, r"^vectors: id 8 names no record$"),
        ({1.5: [1.0]}, r"^vectors: key 1.5: expected str or int, got float$"),
        ({True: [1.0]}, r"^vectors: key True: expected str or int, got bool$"),
    ],
)
def test_mapping_ids_name_records(vectors, pattern):
    fails(pattern, vectors=vectors)


def test_vectors_need_a_model_that_weighs_them():
    pattern = (
        r"^FUNCTION\(\): the model does not weigh vectors \(record 1 \(id 7\) has one\): "
        r"give a model trained with vectors \(model=\)$"
    )
    fails(pattern, vectors={7: [1.0, 2.0]}, model=None)
    fails(pattern, keyed(None, [1.0, 2.0]), model=REPO / "src" / "cluster" / "model.json")
    # Without vectors the built-in model clusters as always.
    assert zhdedup.cluster(keyed(None, None)).clusters == zhdedup.cluster(RECORDS).clusters
    assert zhdedup.cluster(RECORDS, vectors={}).clusters == zhdedup.cluster(RECORDS).clusters
    assert zhdedup.score(keyed(None, None)) == zhdedup.score(RECORDS, vectors={}) == zhdedup.score(RECORDS)


def test_vectors_must_be_a_mapping():
    fails(r"^FUNCTION\(\): vectors must be a mapping of record id to a sequence of numbers, got list$", error=TypeError, vectors=[[1.0]])
