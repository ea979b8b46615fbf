"""Bad records and bad settings: each a clear error naming where and what."""

import datetime

import pytest

import zhdedup

GOOD = {"title": "示例市议会三读通过票价法案", "text": "示例市议会今天三读通过票价法案。"}


def fails(records, pattern, error=ValueError, **settings):
    with pytest.raises(error) as caught:
        zhdedup.cluster(records, **settings)
    message = str(caught.value)
    import re

    assert re.search(pattern, message), message
    return message


@pytest.mark.parametrize(
    "bad, pattern",
    [
        ({"title": "无编号"}, r"^record 1: id: missing"),
        ({"id": None, "title": "空编号"}, r"^record 1: id: missing"),
        ({"id": 1.5, "title": "小数"}, r"^record 1: id: expected str or int, got float"),
        ({"id": True, "title": "布尔"}, r"^record 1: id: expected str or int, got bool"),
        ({"id": 2**70, "title": "太大"}, r"^record 1: id: int out of the 64-bit range"),
        ({"id": "a", "title": "重复"}, r"^record 1 \(id 'a'\): id: duplicate of record 0"),
        ({"id": 7}, r"^record 1 \(id 7\): title, text: no title and no text"),
        ({"id": 7, "title": "  ", "text": ""}, r"^record 1 \(id 7\): title, text: no title and no text"),
        ({"id": 7, "title": 5}, r"^record 1 \(id 7\): title: expected str, got int"),
        ({"id": 7, "title": "t", "text": 5}, r"^record 1 \(id 7\): text: expected str or a list of str, got int"),
        ({"id": 7, "title": "t", "text": ["一", b"x"]}, r"^record 1 \(id 7\): text: item 1: expected str, got bytes"),
        ({"id": 7, "title": "t", "paragraphs": "一段"}, r"^record 1 \(id 7\): paragraphs: expected a list of str, got str"),
        ({"id": 7, "title": "t", "outlet": 3}, r"^record 1 \(id 7\): outlet: expected str, got int"),
        ({"id": 7, "title": "t", "url": ["u"]}, r"^record 1 \(id 7\): url: expected str, got list"),
        ({"id": 7, "title": "t", "published": "yesterday"}, r"^record 1 \(id 7\): published: bad json_field time \"yesterday\""),
        ({"id": 7, "title": "t", "published": "2024-13-45"}, r"^record 1 \(id 7\): published: bad json_field time"),
        ({"id": 7, "title": "t", "published": [2024]}, r"^record 1 \(id 7\): published: expected datetime, ISO 8601 str or int epoch seconds, got list"),
        ({"id": 7, "title": "t", "published": True}, r"^record 1 \(id 7\): published: expected datetime, str or int, got bool"),
        ({"id": 7, "title": "t", "published": 2**80}, r"^record 1 \(id 7\): published: epoch number out of the 64-bit range"),
        ({"id": 7, "title": "t", "published": float("inf")}, r"^record 1 \(id 7\): published: inf is not a time"),
        ({"id": 7, "title": "t", "published": 10**17}, r"^record 1 \(id 7\): published: bad json_field time"),
        ({"id": 7, "title": "t", "html": "<div>" * 300 + "深"}, r"^record 1 \(id 7\): html: HTML nests deeper than 256"),
        ({"id": "s", "title": "\ud800"}, r"^record 1 \(id 's'\): title: not valid Unicode"),
    ],
)
def test_each_bad_record_names_record_and_field(bad, pattern):
    fails([{"id": "a", **GOOD}, bad], pattern)


def test_not_a_mapping():
    fails([{"id": 1, **GOOD}, ["id", 2]], r"^record 1: expected a mapping .* got list")
    fails([{"id": 1, **GOOD}, "text"], r"^record 1: expected a mapping .* got str")
    with pytest.raises(TypeError):
        zhdedup.cluster(5)


def test_the_first_bad_record_is_named_and_the_rest_counted():
    records = [{"id": i, **GOOD} for i in range(5)]
    records[1] = {"id": 1, "text": ""}
    records[3] = {"id": 3, "title": "t", "published": "never"}
    records[4] = {"id": 4}
    fails(records, r"^record 1 \(id 1\): title, text: no title and no text \(and 2 more bad records\)$")


def test_an_aware_datetime_out_of_range_is_an_error_not_a_crash():
    far = datetime.datetime(9999, 12, 31, 23, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=-10)))
    fails([{"id": 1, **GOOD, "published": far}], r"^record 0 \(id 1\): published: ")


@pytest.mark.parametrize(
    "settings, error, pattern",
    [
        ({"threshold": 1.5}, ValueError, r"threshold must be in 0..=1"),
        ({"threshold": 0.2, "story_threshold": 0.5}, ValueError, r"story threshold is above"),
        ({"threshold": "high"}, TypeError, r"threshold must be a number"),
        ({"gap": 0}, ValueError, r"max_gap_hours must be positive"),
        ({"gap": float("nan")}, ValueError, r"max_gap_hours must be positive"),
        ({"threads": -1}, ValueError, r"threads must be an int >= 0, got -1"),
        ({"threads": 1.5}, TypeError, r"threads must be an int"),
        ({"ngram": 9}, ValueError, r"ngram must be 1 to 8"),
        ({"blocking_terms": 0}, ValueError, r"blocking_terms must be 1 to 256"),
        ({"max_distance": 16}, ValueError, r"max_distance must be at most 15"),
        ({"copy_coverage": 2}, ValueError, r"copy_coverage must be in 0..=1"),
        ({"signals": {"colour": False}}, ValueError, r"unknown signal \"colour\""),
        ({"signals": ["copies"]}, TypeError, r"signals must be a dict"),
        ({"utc_offset_minutes": 24 * 60}, ValueError, r"utc_offset_minutes must be within"),
        ({"model": "/no/such/model.json"}, FileNotFoundError, r"model /no/such/model.json"),
        ({"tresh": 0.3}, TypeError, r"unexpected keyword argument 'tresh'"),
    ],
)
def test_bad_settings(settings, error, pattern):
    # Settings are checked before any record is read.
    fails([{"id": 1, **GOOD}], pattern, error, **settings)


def test_a_model_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    fails([{"id": 1, **GOOD}], r"not a model file", model=bad)
    # The empty batch with settings that are all valid.
    assert zhdedup.cluster([], threshold=0.5, story_threshold=0.2, gap=24, threads=2).clusters == []


def test_a_model_file_is_used(tmp_path):
    from conftest import REPO
    import json

    model = json.loads((REPO / "src" / "cluster" / "model.json").read_text(encoding="utf-8"))
    records = [
        {"id": 1, "title": "花蓮外海地震 全台有感", "text": "氣象署表示，震央位於花蓮外海。"},
        {"id": 2, "title": "花莲外海地震 全台有感", "text": "气象署表示，震央位于花莲外海。"},
    ]
    assert zhdedup.cluster(records).clusters == [[1, 2]]
    # The same model with a bias that no evidence overcomes links nothing.
    model["bias"] = -100.0
    path = tmp_path / "strict.json"
    path.write_text(json.dumps(model), encoding="utf-8")
    assert zhdedup.cluster(records, model=path).clusters == [[1], [2]]
    assert zhdedup.cluster(records, model=str(path)).links == []
