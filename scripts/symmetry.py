#!/usr/bin/env python3
"""Measure how symmetric Normalizer::fold is across scripts.

For every corpus paragraph x and each OpenCC conversion v (s2t, s2tw, s2hk,
t2s), compares fold(x) with fold(v(x)) and reports the share of characters that
differ. Variants are made with OpenCC itself: the Debian C++ CLI (1.1.6) and,
when installed, the Python package opencc 1.4.2.

Usage (from the project root, with the shared corpus beside it):
    cargo build --release --bin zhdedup
    python3 scripts/symmetry.py ../shared/corpus/raw [SAMPLE_EVERY]
"""
import collections
import difflib
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ZHDEDUP = os.path.join(ROOT, "target", "release", "zhdedup")
# Debian's C++ CLI by full path: `pip install opencc` puts its own `opencc`
# script (OpenCC 1.4.2) earlier on PATH.
CPP_OPENCC = "/usr/bin/opencc"


def run(cmd, stdin=None):
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, check=True).stdout


def fold(lines):
    out = run([ZHDEDUP, "fold"], "\n".join(lines) + "\n").split("\n")
    return out[: len(lines)]


def mismatches(a, b, examples):
    if a == b:
        return 0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    bad = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            bad += max(i2 - i1, j2 - j1)
            examples[(a[i1:i2], b[j1:j2])] += 1
    return bad


def main():
    corpus = sys.argv[1]
    every = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    paragraphs = run([ZHDEDUP, "inspect", "--quiet", "--paragraphs", corpus]).split("\n")
    paragraphs = [p for i, p in enumerate(paragraphs) if p and i % every == 0]
    base = fold(paragraphs)
    total = sum(len(p) for p in base)
    print(f"{len(paragraphs)} paragraphs, {total} folded characters")
    engines = []
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "in.txt")
        with open(src, "w", encoding="utf-8") as f:
            f.write("\n".join(paragraphs) + "\n")
        for config in ["s2t", "s2tw", "s2hk", "t2s"]:
            out = os.path.join(tmp, config + ".txt")
            subprocess.run([CPP_OPENCC, "-c", config + ".json", "-i", src, "-o", out], check=True)
            with open(out, encoding="utf-8") as f:
                engines.append((f"C++ OpenCC 1.1.6 {config}", f.read().split("\n")[: len(paragraphs)]))
    try:
        import opencc  # noqa: PLC0415

        for config in ["s2t", "s2tw", "s2hk", "t2s"]:
            converter = opencc.OpenCC(config)
            engines.append((f"Python OpenCC 1.4.2 {config}", [converter.convert(p) for p in paragraphs]))
    except ImportError:
        print("(Python opencc not installed: pip install opencc==1.4.2)")
    for name, variants in engines:
        folded = fold(variants)
        examples = collections.Counter()
        bad = sum(mismatches(a, b, examples) for a, b in zip(base, folded))
        top = ", ".join(f"{a}/{b}×{n}" for (a, b), n in examples.most_common(6))
        print(f"{name:<28} mismatched characters {bad:>6} = {100 * bad / max(total, 1):.4f}%  {top}")


if __name__ == "__main__":
    main()
