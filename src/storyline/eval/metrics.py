"""The figures every scorer reports, computed one way."""

from __future__ import annotations


def precision_recall_f1(
    system_correct: int, system: int, gold_correct: int, gold: int
) -> dict[str, float]:
    """P over the system's items, R over the gold's (they differ under one-to-many matching)."""
    precision = system_correct / system if system else 0.0
    recall = gold_correct / gold if gold else 0.0
    return {"precision": precision, "recall": recall, "f1": f1(precision, recall)}


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
