"""Normalizer: fold and t2s, as the library's."""

import pytest

import zhdedup


def test_fold_makes_variants_equal():
    n = zhdedup.Normalizer()
    assert n.fold("普丁與蘇利文會晤") == n.fold("普京与沙利文会晤")
    assert n.fold("「ＡＢＣ」１２３") == '"abc"123'
    once = n.fold("裏面的衞生")
    assert n.fold(once) == once
    assert n.fold("") == "" and n.fold("  \u3000 ") == ""


def test_fold_mapped_gives_character_indices():
    n = zhdedup.Normalizer()
    original = "\u3000普丁說"
    folded, origin = n.fold_mapped(original)
    assert folded == "普京说"
    # 普京 comes from 普丁 (characters 1-2), 说 from 說 (character 3).
    assert origin == [1, 1, 3]


def test_t2s_is_opencc_t2s():
    n = zhdedup.Normalizer()
    assert n.t2s("王毅見俄外長：推動全球治理") == "王毅见俄外长：推动全球治理"
    # Nothing but the script changes: width and punctuation stay.
    assert n.t2s("「ＡＢＣ」") == "「ＡＢＣ」"


def test_vocabulary():
    n = zhdedup.Normalizer()
    assert ("普丁", "普京") in n.vocabulary()
    custom = zhdedup.Normalizer({"甲公司": "乙公司"}, builtin_vocabulary=False)
    assert custom.vocabulary() == [("甲公司", "乙公司")]
    assert custom.fold("甲公司") == "乙公司"
    assert custom.fold("普丁") == "普丁"
    assert zhdedup.Normalizer([("甲公司", "乙公司")]).fold("甲公司") == "乙公司"
    with pytest.raises(ValueError, match="empty side"):
        zhdedup.Normalizer({"": "x"})
    with pytest.raises(TypeError):
        zhdedup.Normalizer(5)
