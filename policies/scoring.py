"""Drift scores: one number per environment pair and category, for dashboards and trends.

score = 100 * max(0, 1 - P / (w_error * S)), where P is the sum of the severity weights of the
unwaived findings (policy `weights`) and S the number of aligned subjects (union of identities)
in that pair and category. Every subject carrying one error scores 0; no finding scores 100.
The overall score is the lowest pair score: a gate cares about the worst environment.
"""

from __future__ import annotations

from collections import defaultdict

from parity.align.diff import EnvIndex, PairDiff
from parity.model import CATEGORY_OF_KIND
from parity.model.findings import Finding, PairScore, Score, Severity

CATEGORIES = ("config", "dependencies", "images", "secrets", "data", "collection")


def _formula(penalty: float, subjects: int, w_error: float) -> float:
    if penalty <= 0:
        return 100.0
    return round(100.0 * max(0.0, 1.0 - penalty / (w_error * max(subjects, 1))), 1)


def score(
    findings: list[Finding],
    envs: list[str],
    reference: str,
    pairs: dict[str, PairDiff],
    indexes: dict[str, EnvIndex],
    sources: dict[str, int],
    weights: dict[Severity, float],
) -> Score:
    """Scores for each environment (the reference is scored against the policy alone)."""
    w_error = weights.get(Severity.ERROR, 10.0) or 10.0
    penalty: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for f in findings:
        if not f.waived:
            penalty[f.environment][f.category] += weights.get(f.severity, 0.0)
    out = []
    for env in envs:
        subjects: dict[str, int] = defaultdict(int)
        if env in pairs:
            for kind, n in pairs[env].subjects.items():
                subjects[CATEGORY_OF_KIND[kind]] += n
        else:
            for (kind, _scope), recs in indexes[env].groups.items():
                subjects[CATEGORY_OF_KIND[kind]] += len(recs)
        subjects["collection"] = sources.get(env, 0)
        cats = {c: _formula(penalty[env][c], subjects[c], w_error) for c in CATEGORIES}
        for c in penalty[env]:
            cats.setdefault(c, _formula(penalty[env][c], subjects[c], w_error))
        total = _formula(sum(penalty[env].values()), sum(subjects.values()), w_error)
        out.append(PairScore(environment=env, reference=reference, score=total, categories=cats))
    overall = min((p.score for p in out), default=100.0)
    return Score(overall=overall, pairs=out)
