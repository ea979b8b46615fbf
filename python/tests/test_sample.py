"""The Python API gives the Rust library's answers on the sample archive
(tests/fixtures/sample): the structure we know, and exactly what the
`zhdedup` command prints for the same folder."""

import json
import math
import subprocess

import zhdedup

from conftest import SAMPLE


def sample_clustering():
    loaded = zhdedup.Loader().load(SAMPLE)
    return loaded, zhdedup.cluster(loaded.articles)


def name(article):
    """An article's file name (`name:line` for JSON Lines), as the command's
    output names the sample's articles."""
    base = article.path.rsplit("/", 1)[-1]
    return base if article.line is None else f"{base}:{article.line}"


def by_name(loaded, clustering):
    """Each article's name -> cluster index."""
    return {name(article): clustering.cluster_of(article.id) for article in loaded.articles}


def test_loader_reads_every_sample_file():
    loaded = zhdedup.Loader().load(SAMPLE)
    assert loaded.failures == []
    assert loaded.files == 7
    assert [a.id for a in loaded.articles] == list(range(8))
    formats = {a.path.rsplit("/", 1)[-1]: a.format for a in loaded.articles}
    assert formats["b_traditional_big5.txt"] == "plain_text"
    assert formats["exports.jsonl"] == "json_lines"
    big5 = next(a for a in loaded.articles if a.path.endswith("big5.txt"))
    assert big5.encoding == "Big5"
    assert big5.to_dict()["title"] == big5.title


def test_known_structure_of_the_sample():
    loaded, clustering = sample_clustering()
    names = by_name(loaded, clustering)
    # The Brazil meeting in three outlets and two scripts is one event; the
    # Hualien quake in Big5 and GB18030 another; the rest stand alone.
    groups = {}
    for name, cluster in names.items():
        groups.setdefault(cluster, set()).add(name)
    assert sorted(map(sorted, groups.values())) == [
        ["a_simplified_jekyll.md", "a_traditional_rss.md", "exports.jsonl:1"],
        ["b_simplified_gb18030.md", "b_traditional_big5.txt"],
        ["c_hexo_earlier_meeting.md"],
        ["d_dateline_crlf.md"],
        ["exports.jsonl:2"],
    ]
    # Every article is in exactly one cluster, and every cluster in one story.
    placed = [i for c in clustering.clusters for i in c]
    assert sorted(placed) == list(range(8))
    assert sorted(e for s in clustering.stories for e in s) == list(range(5))
    # The Traditional and Simplified quake reports share 花蓮 as each writes it.
    quake = [a.id for a in loaded.articles if a.path.rsplit("/", 1)[-1].startswith("b_")]
    link = clustering.explain(*quake)
    terms = {(t["a"], t["b"]) for t in link["evidence"]["shared_terms"]}
    assert any("花莲" in a + b and "花蓮" in a + b for a, b in terms), terms


def test_same_clusters_as_the_command(zhdedup_bin):
    tsv = subprocess.run(
        [zhdedup_bin, "cluster", "--quiet", SAMPLE], check=True, capture_output=True, text=True
    ).stdout
    rows = [line.split("\t") for line in tsv.splitlines()[1:]]
    expected = {path: int(cluster) for path, cluster in rows}
    loaded, clustering = sample_clustering()
    # The command numbers clusters as the library does; so do we.
    assert by_name(loaded, clustering) == expected


def close(x, y, path="link"):
    """Equal JSON-like values, floats to f32 precision (the command writes an
    f32 widened to f64, the bindings its shortest form)."""
    if isinstance(x, float) or isinstance(y, float):
        assert math.isclose(x, y, rel_tol=1e-6, abs_tol=1e-7), (path, x, y)
    elif isinstance(x, dict):
        assert isinstance(y, dict) and x.keys() == y.keys(), (path, x, y)
        for key in x:
            close(x[key], y[key], f"{path}.{key}")
    elif isinstance(x, list):
        assert isinstance(y, list) and len(x) == len(y), (path, x, y)
        for i, (a, b) in enumerate(zip(x, y)):
            close(a, b, f"{path}[{i}]")
    else:
        assert x == y, (path, x, y)


def command_json(zhdedup_bin, *args):
    """What `zhdedup cluster --format json ARGS` prints for the sample."""
    out = subprocess.run(
        [zhdedup_bin, "cluster", "--quiet", "--format", "json", *args, SAMPLE],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


def check_as_command(clustering, command):
    """`clustering` has the command's clusters and, within each, its links
    and their evidence (floats to f32 precision); returns those links. The
    command lists each cluster's own links; its ids are the loader's, which
    are the Article ids the bindings name articles by."""
    assert clustering.clusters == [[a["id"] for a in c["articles"]] for c in command["clusters"]]
    key = lambda link: (link["a"], link["b"])  # noqa: E731
    expected = sorted((link for c in command["clusters"] for link in c["links"]), key=key)
    ours = [
        link
        for link in clustering.links
        if clustering.cluster_of(link["a"]) == clustering.cluster_of(link["b"])
    ]
    close(sorted(ours, key=key), expected)
    return expected


def test_same_links_and_evidence_as_the_command(zhdedup_bin):
    _, clustering = sample_clustering()
    expected = check_as_command(clustering, command_json(zhdedup_bin))
    assert len(expected) == 4
    for link in expected:
        close(clustering.explain(link["a"], link["b"]), link)
        # explain names the pair either way round.
        close(clustering.explain(link["b"], link["a"]), link)
