"""Sentences written for the weak codes' kinds, one module per tagging round (POSITIVES: the code is proposed;
NEGATIVES: it is not); tests/test_weak_code_kinds_rounds.py runs them all."""
