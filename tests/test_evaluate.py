"""nlp.evaluate: micro scores of code sets."""


def test_micro_prf_counts_every_predicted_code():
    from nlp.evaluate import micro_prf

    gold = [{"sip", "mobila_team"}, set(), {"halsosamtal"}]
    pred = [{"sip"}, {"okand_kod"}, {"halsosamtal", "sip"}]
    P, R, F = micro_prf(gold, pred)
    assert (P, R) == (0.5, 2 / 3)
    assert abs(F - 2 * P * R / (P + R)) < 1e-12
    assert micro_prf([set()], [set()]) == (0.0, 0.0, 0.0)
