"""The model owns the data: cross-references and the checklist's order are built once, in the model,
and agree with what a plain scan of the records gives."""

from forumguide.audit.scoring import scoring_data


def test_the_checklist_order_is_the_scoring_datas_and_each_areas(guidance):
    order = [i.id for i in guidance.items_in_order]
    assert order == [i["id"] for i in scoring_data(guidance)["items"]]
    assert order == [i.id for a in guidance.theory_areas for i in guidance.index.items_by_area[a.number]]
    assert [(i.theory_area, i.order) for i in guidance.items_in_order] == sorted(
        (i.theory_area, i.order) for i in guidance.checklist
    )


def test_backlinks_agree_with_a_scan_of_the_records(guidance):
    g = guidance
    for e in g.evidence:
        assert g.cmos_citing(e.id) == [c for c in g.cmos if e.id in c.evidence]
        assert g.areas_citing(e.id) == [t for t in g.theory_areas if e.id in t.evidence]
        cited_by = {
            r.id
            for r in g.recommendations
            if any(e.id in g.cmo_by_id[c].evidence for c in r.cmos if c in g.cmo_by_id)
        }
        assert [r.id for r in g.recommendations_citing(e.id)] == [
            r.id for r in g.recommendations if r.id in cited_by
        ]
    for c in g.cmos:
        assert g.recommendations_for_cmo(c.id) == [r for r in g.recommendations if c.id in r.cmos]
        assert g.index.areas_of_cmo[c.id].number == c.theory_area
    for r in g.recommendations:
        assert {i.id for i in g.items_for_recommendation(r.id)} == {
            i.id for i in g.checklist if r.id in i.recommendations
        }


def test_typed_fields_hold_what_the_records_say(guidance):
    rec = next(r for r in guidance.recommendations if r.beyond_paper)
    assert rec.what and rec.why and rec.how and rec.audience
    assert all(a in guidance.audiences for a in rec.audience)  # every audience has its words
    assert [guidance.weight_label(w["value"]) for w in guidance.scoring["weights"]] == [
        w["label"] for w in guidance.scoring["weights"]
    ]
    paper = guidance.evidence_by_id["marshall-2024"]
    assert paper.doi and paper.csl["DOI"] == paper.doi and "kind" not in paper.csl
