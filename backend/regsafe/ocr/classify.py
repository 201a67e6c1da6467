"""Which kind of document a page's text looks like (issue 13, bad input): an ID card
uploaded where the diploma belongs is said so, instead of answering with empty fields.
Pure: the reading-order text in, a kind (or None) out, from the fixed wording each kind
prints."""

from __future__ import annotations

from regsafe.ocr.fields import DocumentKind

# Words each kind prints; the strong ones identify it alone.
_WORDS: dict[DocumentKind, tuple[tuple[str, int], ...]] = {
    DocumentKind.ID_CARD: (
        ("公民身份号码", 3),
        ("居民身份证", 3),
        ("签发机关", 2),
        ("有效期限", 1),
        ("民族", 1),
        ("住址", 1),
    ),
    DocumentKind.DIPLOMA: (
        ("毕业证书", 3),
        ("学位证书", 3),
        ("准予毕业", 3),
        ("授予", 1),
        ("学位", 1),
        ("校名", 2),
        ("在本校", 2),
    ),
    DocumentKind.QUALIFICATION_CERTIFICATE: (
        ("注册安全工程师", 3),
        ("职业资格证书", 3),
        ("成绩合格证明", 3),
        ("管理号", 2),
        ("资格", 1),
    ),
}
_ENOUGH = 3


def looks_like(text: str) -> DocumentKind | None:
    """The kind whose words the text holds most (at least one strong word's worth)."""
    flat = "".join(text.split())
    scores = {
        kind: sum(weight for word, weight in words if word in flat)
        for kind, words in _WORDS.items()
    }
    best = max(scores, key=lambda k: scores[k])
    if scores[best] < _ENOUGH:
        return None
    if sum(1 for s in scores.values() if s == scores[best]) > 1:
        return None  # a tie says nothing
    return best


KIND_NAMES: dict[DocumentKind, str] = {
    DocumentKind.ID_CARD: "居民身份证",
    DocumentKind.DIPLOMA: "学历证书",
    DocumentKind.QUALIFICATION_CERTIFICATE: "职业资格证书",
}
