"""to_pandas / to_arrow: one row per article, and the links as a table."""

import sys

import pytest

import zhdedup

RECORDS = [
    {"id": "x", "title": "花蓮外海地震 全台有感", "text": "氣象署表示，震央位於花蓮外海。"},
    {"id": "y", "title": "Markets wobble", "text": "Global markets wobbled."},
    {"id": "z", "title": "花莲外海地震 全台有感", "text": "气象署表示，震央位于花莲外海。"},
]


def test_to_pandas():
    pd = pytest.importorskip("pandas", reason="pandas is not installed")
    result = zhdedup.cluster(RECORDS)
    frame = result.to_pandas()
    assert list(frame.columns) == ["id", "cluster", "story"]
    assert frame["id"].tolist() == ["x", "y", "z"]
    assert frame["cluster"].tolist() == [0, 1, 0]
    assert isinstance(frame, pd.DataFrame)
    links = result.links_to_pandas()
    assert links[["a", "b"]].values.tolist() == [["x", "z"]]
    assert links["score"].iloc[0] == result.links[0]["score"]
    assert "花蓮/花莲" in links["shared_terms"].iloc[0]


def test_to_arrow():
    pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed")
    result = zhdedup.cluster(RECORDS)
    table = result.to_arrow()
    assert isinstance(table, pa.Table)
    assert table.column_names == ["id", "cluster", "story"]
    assert table.to_pydict()["cluster"] == [0, 1, 0]
    links = result.links_to_arrow().to_pylist()
    assert [(row["a"], row["b"]) for row in links] == [("x", "z")]


def test_a_missing_library_is_a_clear_import_error(monkeypatch):
    result = zhdedup.cluster(RECORDS)
    # `None` in sys.modules makes `import pandas` fail, installed or not.
    monkeypatch.setitem(sys.modules, "pandas", None)
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError, match=r"to_pandas\(\) needs pandas: pip install pandas"):
        result.to_pandas()
    with pytest.raises(ImportError, match=r"to_arrow\(\) needs pyarrow: pip install pyarrow"):
        result.to_arrow()
