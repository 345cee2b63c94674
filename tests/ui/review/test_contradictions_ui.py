"""A bench result that contradicts the model is flagged on the element with a one-click, undoable
fix; a threat whose control a passing check verified offers "mitigated" in one click."""

from __future__ import annotations


def _privileged_threat(review):
    return next(
        t for t in review.service.threats if t.target == "worker" and t.rule.endswith("PRIVILEGED")
    )


def test_privileged_container_with_a_passing_5_4_is_flagged_and_fixed(
    host_window, review, import_bench, settle
):
    import_bench(review)  # docker-bench 1.6.0: 5.4 "privileged containers are not used" passed
    host_window.scene.select_ids(["worker"])  # the model says privileged: true
    bar = review.threats_panel.contradictions
    assert not bar.isHidden()
    flagged = {(c.property_name, c.fix) for c in bar.contradictions}
    assert ("privileged", False) in flagged
    text = " ".join(c.message for c in bar.contradictions)
    assert "The model says privileged: true" in text and "5.4" in text
    # the threat itself is verified by the same check: its likelihood is lowered
    threat = _privileged_threat(review)
    assert threat.verified and threat.likelihood == 1
    index = next(i for i, c in enumerate(bar.contradictions) if c.property_name == "privileged")
    bar.buttons[index].click()
    settle(review.service)
    document = host_window.document
    assert document.model.element("worker").properties["privileged"] is False
    assert ("privileged", False) not in {(c.property_name, c.fix) for c in bar.contradictions}
    assert not any(
        t.target == "worker" and t.rule == "DOCKER-CONTAINER-PRIVILEGED"
        for t in review.service.threats
    )
    document.undo_stack.undo()  # one undo step restores the model
    settle(review.service)
    assert document.model.element("worker").properties["privileged"] is True
    assert ("privileged", False) in {(c.property_name, c.fix) for c in bar.contradictions}


def test_an_element_without_contradictions_shows_no_flag(host_window, review, import_bench):
    import_bench(review)
    host_window.scene.select_ids(["kernel"])
    assert review.threats_panel.contradictions.isHidden()


def test_verified_threat_offers_mitigated_in_one_click(host_window, review, import_bench, settle):
    import_bench(review)
    panel = review.threats_panel
    host_window.scene.select_ids(["worker"])
    threat = _privileged_threat(review)
    panel.select_threats([threat.id])
    offer = panel.triage.verified_button
    assert not offer.isHidden()
    assert threat.status == "open"  # offered, not forced
    offer.click()
    settle(review.service)
    entry = host_window.document.model.triage[threat.id]
    assert entry.status == "mitigated" and "passing check" in entry.note and "5.4" in entry.note
    panel.select_threats([threat.id])
    assert offer.isHidden()  # nothing left to offer
