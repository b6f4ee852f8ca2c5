"""The "How scoring works" page: its figures come from the scoring data, not from typing."""

from forumguide.audit.scoring import score, scoring_data
from forumguide.site import pages, scoring_page


def test_worked_example_matches_the_scoring_function(guidance):
    example = scoring_page.worked_example(guidance)
    data = scoring_data(guidance)
    counted = [r for r in example["rows"] if r["counted"]]
    assert len(example["rows"]) == 4 and len(counted) == 3
    assert int(example["possible"]) == sum(r["weight"] for r in counted)
    # recompute independently from the item questions shown
    ids = {guidance.item_by_id[i["id"]].question: i for i in data["items"]}
    labels = {r["label"]: r["id"] for r in data["scale"]} | {
        data["not_applicable"]["label"]: data["not_applicable"]["id"]
    }
    answers = {
        "profile": {},
        "answers": {ids[r["question"]]["id"]: {"rating": labels[r["rating"]]} for r in example["rows"]},
    }
    result = score({**data, "items": [ids[r["question"]] for r in example["rows"]]}, answers)
    assert example["display"] == result["overall"]["display"]


def test_page_shows_scale_bands_critical_items_and_example(guidance):
    page = pages.build_pages(guidance)["scoring.md"]
    data = scoring_data(guidance)
    for rating in data["scale"]:
        assert rating["label"] in page
    for band in data["bands"]:
        assert band["label"] in page
    assert f"{sum(1 for i in data['items'] if i['critical'])} items are marked safety-critical" in page
    assert f"**{scoring_page.worked_example(guidance)['display']}%**" in page
    assert page.startswith("---\nrender_macros: false\n---")


def test_page_explains_meaning_aims_per_item_completeness_and_critical_gaps(guidance):
    page = pages.build_pages(guidance)["scoring.md"]
    data = scoring_data(guidance)
    assert "## What a score means, and what it does not" in page
    assert "It describes practices, not outcomes." in page
    for method in data["assessment"]:
        assert method["label"].lower() in page
    assert (
        f"No band is given until at least {data['completeness']['min_answered_percent']}% of the applicable items"
        in page
    )
    assert '"Incomplete: X of Y answered"' in page
    assert "“Not in place”, “Planned” or “Don't know”, or is not\nyet answered" in page
    assert 'can never be marked "Not applicable"' in page
    labels = {a["id"]: a["label"] for a in data["aims"]}
    for item in data["items"]:  # one row per item, with the aims it names
        title = guidance.item_by_id[item["id"]].title
        row = next(line for line in page.splitlines() if line.startswith(f"| [{title}]("))
        assert f"| {'; '.join(labels[a] for a in item['aims'])} | {item['weight']} |" in row
