"""The board report PDF: its text, structure, metadata, determinism and refusal of outside resources."""

from __future__ import annotations

import copy
import io
import itertools
import json
import re

import pytest
import yaml
from pypdf import PdfReader

from forumguide.audit.scoring import score, scoring_data
from forumguide.cli import main
from forumguide.report import board_pdf

from conftest import ROOT

pytestmark = pytest.mark.slow  # renders PDFs

EXAMPLE = yaml.safe_load((ROOT / "examples" / "northbrook-2026.yaml").read_text())
PREVIOUS = yaml.safe_load((ROOT / "examples" / "northbrook-2025.yaml").read_text())


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture(scope="module")
def report(guidance):
    return board_pdf(guidance, EXAMPLE, PREVIOUS)


@pytest.fixture(scope="module")
def report_text(report):
    return re.sub(r"\s+", " ", text_of(report))


def test_cover_names_organisation_forum_assessors_date_and_version(report_text):
    assert "Northbrook Peer Support Forum" in report_text
    assert "Northbrook Wellbeing Trust (fictional)" in report_text
    assert "Priya Shah" in report_text
    assert "14 October 2026" in report_text
    assert "version 2.0" in report_text


def _page_text(pdf: bytes, number: int) -> str:
    return re.sub(r"\s+", " ", PdfReader(io.BytesIO(pdf)).pages[number - 1].extract_text())


def test_page_one_is_the_summary_a_trustee_can_act_on(report, guidance):
    from forumguide.audit.actions import plan

    data = scoring_data(guidance)
    result, before = score(data, EXAMPLE), score(data, PREVIOUS)
    first = _page_text(report, 1)
    # The header block: who, what, when, how, against which guidance.
    for text in (
        "Northbrook Peer Support Forum",
        "Northbrook Wellbeing Trust (fictional)",
        "Audit of 14 October 2026",
        "; ".join(EXAMPLE["assessors"]),
        f"guidance version {guidance.version}",
    ):
        assert text in first, text
    # Page 1 has no running header (the masthead says it all) but keeps its page number.
    assert re.search(r"page 1 of \d+", first), first[-200:]
    # The score and band, the change since the last audit, the critical gaps.
    assert f"{result['overall']['display']}% {result['band']['label']}" in first
    change = result["overall"]["display"] - before["overall"]["display"]
    assert (
        f"Since the audit of 9 October 2025: {before['overall']['display']}% → {result['overall']['display']}% (+{change} points)"
        in first
    )
    assert f"Critical gaps ({len(result['critical_gaps'])})" in first
    for item_id in result["critical_gaps"]:
        assert f"CRITICAL GAP {guidance.item_by_id[item_id].title}" in first
    # The decisions box: owners and dates for the gaps, the N/A items to confirm, the actions to fund.
    box = first[first.index("Decisions for the board") :]
    assert "critical gap" in box
    assert f"Confirm that {len(result['not_applicable'])} items do not apply" in box
    for item_id in result["not_applicable"]:
        assert guidance.item_by_id[item_id].title in box
    fund = [a for a in plan(guidance, data, EXAMPLE, result) if a.rating and not a.critical_gap][:3]
    assert "Accept or fund the top priority actions." in box
    for action in fund:
        assert action.title in box


def test_an_unfinished_audit_says_incomplete_on_page_one_and_asks_for_the_rest(guidance):
    answers = copy.deepcopy(EXAMPLE)
    for item_id in list(answers["answers"])[:20]:
        del answers["answers"][item_id]
    data = scoring_data(guidance)
    result = score(data, answers)
    assert not result["complete"]
    first = _page_text(board_pdf(guidance, answers), 1)
    assert f"Incomplete: {result['answered']} of {result['applicable']} answered" in first
    assert f"Score so far: {result['range']['low']}–{result['range']['high']}%" in first
    assert f"Agree when the {len(result['unanswered'])} unanswered items will be answered" in first
    assert not any(band["label"] in first.split("Decisions")[0] for band in data["bands"])


def test_summary_has_scores_band_subscores_and_critical_gap(report_text, guidance):
    result = score(scoring_data(guidance), EXAMPLE)
    assert f"{result['overall']['display']}%" in report_text
    assert result["band"]["label"] in report_text
    assert f"Limiting harm {result['aims']['limit-harm']['display']}%" in report_text
    assert f"Promoting benefit {result['aims']['promote-benefit']['display']}%" in report_text
    for item_id in result["critical_gaps"]:
        assert f"CRITICAL GAP {guidance.item_by_id[item_id].title}" in report_text


def test_change_since_previous_audit_per_area_and_item(report_text, guidance):
    data = scoring_data(guidance)
    before, after = score(data, PREVIOUS), score(data, EXAMPLE)
    assert "Change since the last audit" in report_text
    change = after["overall"]["display"] - before["overall"]["display"]
    assert f"({'+' if change > 0 else ''}{change} points)" in report_text
    values = {r["id"]: r["value"] for r in data["scale"]}
    labels = {r["id"]: r["label"].lower() for r in data["scale"]}
    old, new = PREVIOUS["answers"], EXAMPLE["answers"]
    declined = [
        i
        for i in new
        if i in old
        and new[i].get("rating") in values
        and old[i].get("rating") in values
        and values[new[i]["rating"]] < values[old[i]["rating"]]
    ]
    improved = [
        i
        for i in new
        if i in old
        and new[i].get("rating") in values
        and old[i].get("rating") in values
        and values[new[i]["rating"]] > values[old[i]["rating"]]
    ]
    assert declined and improved
    assert f"Declined ({len(declined)}):" in report_text and f"Improved ({len(improved)}):" in report_text
    first = declined[0]
    title = guidance.item_by_id[first].title
    assert f"{title} ({labels[old[first]['rating']]} → {labels[new[first]['rating']]})" in report_text
    # ... and the item's entry under "Results by theory area" shows its previous rating.
    assert f"(was {labels[old[first]['rating']]})" in report_text


def test_action_plan_ranks_rated_gaps_and_collapses_unanswered_items_into_one_line(report_text, guidance):
    from forumguide.audit.actions import plan

    data = scoring_data(guidance)
    actions = plan(guidance, data, EXAMPLE, score(data, EXAMPLE))
    plan_text = report_text[report_text.index("Action plan") : report_text.index("Appendix A")]
    rated = [a for a in actions if a.rating]
    blank = [a for a in actions if not a.rating]
    assert rated and blank
    for number, action in enumerate(rated, 1):
        assert f"{number}. {'CRITICAL GAP ' if action.critical_gap else ''}{action.title}" in plan_text
    assert f"{len(rated) + 1}. " not in plan_text
    line = plan_text[plan_text.index(f"Not yet answered ({len(blank)}):") :]
    for action in blank:
        assert action.title in line[:2000]
    owners = {
        a["owner"] for i, a in EXAMPLE["answers"].items() if a.get("owner") and a.get("rating") != "fully"
    }
    for owner in owners:
        assert f"owner: {owner}" in plan_text


def test_not_applicable_reasons_and_references_are_shown(report_text):
    reason = EXAMPLE["answers"]["connection-carers-space"]["reason"]
    assert re.sub(r"\s+", " ", reason)[:60] in report_text
    assert "Appendix A: how the scores are computed" in report_text
    assert "References" in report_text


def test_pages_are_numbered_with_running_headers(report):
    reader = PdfReader(io.BytesIO(report))
    total = len(reader.pages)
    second = reader.pages[1].extract_text()
    assert f"page 2 of {total}" in second
    assert "Northbrook Wellbeing Trust (fictional)" in second


def test_pdf_is_tagged_with_title_author_and_language(report):
    reader = PdfReader(io.BytesIO(report))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]).startswith("en")
    assert reader.metadata.title.startswith("Forum self-audit: board report")
    assert "Priya Shah" in reader.metadata.author


def test_same_answers_give_the_same_pdf(guidance, report):
    assert board_pdf(guidance, EXAMPLE, PREVIOUS) == report


HOSTILE = [
    "<script>alert('x')</script>",
    "<img src=http://example.com/tracker.png>",
    "<link rel=attachment href=file:///etc/passwd>",
    "background: url(http://example.com/x)",
    "{{ 7*7 }} {% raw %}",
]


def test_free_text_is_text_and_nothing_is_fetched(guidance, monkeypatch):
    from forumguide.report import pdf as render

    fetched: list[str] = []
    original = render._assets_only_fetcher

    def spying_fetcher():
        fetcher = original()
        inner = fetcher.fetch

        def fetch(url, headers=None):
            fetched.append(url)
            return inner(url, headers)

        fetcher.fetch = fetch
        return fetcher

    monkeypatch.setattr(render, "_assets_only_fetcher", spying_fetcher)
    answers = copy.deepcopy(EXAMPLE)
    answers["organisation"] = HOSTILE[0]
    for item_id, text in zip(list(answers["answers"])[:5], HOSTILE, strict=True):
        answers["answers"][item_id]["notes"] = text
    pdf = board_pdf(guidance, answers)
    text = re.sub(r"\s+", "", text_of(pdf))  # lines may wrap inside a long string
    for hostile in HOSTILE:
        assert re.sub(r"\s+", "", hostile) in text
    assert fetched == []
    reader = PdfReader(io.BytesIO(pdf))
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})


def test_the_fetcher_refuses_outside_urls_and_local_files():
    from forumguide.report.pdf import _assets_only_fetcher

    fetcher = _assets_only_fetcher()
    for url in ["http://example.com/x.png", "file:///etc/passwd", "https://fonts.googleapis.com/css"]:
        with pytest.raises(ValueError, match="no outside resources"):
            fetcher.fetch(url)


def test_cli_writes_report_actions_and_blank_checklist(tmp_path):
    out = tmp_path / "r.pdf"
    assert (
        main(["report", str(ROOT / "examples/northbrook-2026.yaml"), "-o", str(out), "--path", str(ROOT)])
        == 0
    )
    assert out.read_bytes().startswith(b"%PDF")
    csv_out = tmp_path / "a.csv"
    assert (
        main(
            ["actions", str(ROOT / "examples/northbrook-2026.yaml"), "-o", str(csv_out), "--path", str(ROOT)]
        )
        == 0
    )
    lines = csv_out.read_text().splitlines()
    assert lines[0].startswith("Priority,Item,Title,Theory area,Question")
    assert "moderation-risk-response-time" in lines[1] and "critical gap" in lines[1]
    xlsx = tmp_path / "a.xlsx"
    assert (
        main(
            [
                "actions",
                str(ROOT / "examples/northbrook-2026.yaml"),
                "--format",
                "xlsx",
                "-o",
                str(xlsx),
                "--path",
                str(ROOT),
            ]
        )
        == 0
    )
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx).active
    assert sheet["B2"].value == "moderation-risk-response-time"
    blank = tmp_path / "blank.pdf"
    assert main(["checklist-pdf", "-o", str(blank), "--path", str(ROOT)]) == 0
    assert "Not applicable" in text_of(blank.read_bytes())


# -- issue 12: evidence, targets, team audits, and the other PDFs' layout ---------------------------------


def test_assessors_are_separated_by_semicolons(report_text, report):
    names = "; ".join(EXAMPLE["assessors"])
    assert names in report_text
    assert PdfReader(io.BytesIO(report)).metadata.author == names


def test_evidence_is_printed_as_text_and_never_linked(report_text, guidance):
    for document in EXAMPLE["answers"]["safety-risk-procedure"]["evidence"]:
        assert document in report_text
    answers = copy.deepcopy(EXAMPLE)
    answers["answers"]["safety-anonymity"]["evidence"] = [
        "https://example.org/policy.pdf",
        "file:///etc/passwd",
    ]
    pdf = board_pdf(guidance, answers)
    text = text_of(pdf)
    assert "https://example.org/policy.pdf" in re.sub(r"\s+", "", text)
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annotation in page.get("/Annots") or []:
            assert "/URI" not in annotation.get_object().get("/A", {}), "evidence must not become a live link"


def test_roadmap_compares_current_and_target_scores_by_area(report_text, guidance):
    from forumguide.audit.roadmap import roadmap, targets_met

    data = scoring_data(guidance)
    plan = roadmap(data, EXAMPLE)
    assert "Roadmap" in report_text
    section = report_text[report_text.index("Roadmap The targets") :]
    later = score(data, targets_met(data, EXAMPLE))
    now = score(data, EXAMPLE)
    assert (
        f"would be {later['overall']['display']}%" in section
        and f"against {now['overall']['display']}% now" in section
    )
    for area_now, area_then in zip(now["areas"], later["areas"], strict=True):
        assert (
            f"{area_now['number']}. {area_now['name']} {area_now['display']}% {area_then['display']}%"
            in section
        )
    targeted = [i for i, a in EXAMPLE["answers"].items() if a.get("target")]
    assert len(plan["steps"]) == len(targeted)
    first = plan["steps"][0]
    assert section.index(guidance.item_by_id[first["item"]].title) < section.index(
        guidance.item_by_id[plan["steps"][-1]["item"]].title
    )
    assert later["overall"]["display"] > now["overall"]["display"]


def test_a_merged_file_names_its_sources_and_shows_disputed_items(guidance):
    from forumguide.audit.merge import Source, merge

    data = scoring_data(guidance)
    a, b = copy.deepcopy(EXAMPLE), copy.deepcopy(EXAMPLE)
    a["assessors"], b["assessors"] = (
        ["Priya Shah (Head of Digital Services)"],
        ["Tom Okafor (Moderation Lead)"],
    )
    b["answers"]["safety-anonymity"]["rating"] = "planned"
    merged = merge(data, [Source("a.yaml", a), Source("b.yaml", b)], "unresolved").answers
    text = re.sub(r"\s+", " ", text_of(board_pdf(guidance, merged)))
    assert "Where the assessors disagreed" in text
    assert (
        "combine 2 assessments: Priya Shah (Head of Digital Services); Tom Okafor (Moderation Lead)" in text
    )
    title = guidance.item_by_id["safety-anonymity"].title
    labels = {r["id"]: r["label"].lower() for r in data["scale"]}
    assert (
        f"{title} — Priya Shah (Head of Digital Services): {labels[a['answers']['safety-anonymity']['rating']]}; "
        f"Tom Okafor (Moderation Lead): {labels['planned']}. Still to settle"
    ) in text
    merged["answers"]["safety-anonymity"]["rating"] = "partly"  # the team settles it
    text = re.sub(r"\s+", " ", text_of(board_pdf(guidance, merged)))
    assert f"Settled as {labels['partly']}" in text


def _body_lines(page) -> list[tuple[float, str]]:
    """(height, text) of each piece of body text, top first; the running header and footer left out."""
    height = float(page.mediabox.height)
    found = []

    def visit(text, cm, tm, font, size):
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and 0.08 * height < y < 0.93 * height:
            found.append((y / height, text.strip()))

    page.extract_text(visitor_text=visit)
    return sorted(found, key=lambda f: -f[0])


def _page_fill(page) -> float:
    """How far down the page the body text reaches (0 = empty, 1 = full)."""
    lines = _body_lines(page)
    return 1 - lines[-1][0] if lines else 0.0


def _starts_a_part(page) -> bool:
    """Whether the page opens with the heading its running header names (a part that starts a page)."""
    header = re.search(r" · ([^\n]+)", page.extract_text())
    lines = _body_lines(page)
    return bool(header and lines and header.group(1).strip().startswith(lines[0][1][:20]))


@pytest.fixture(scope="module")
def guidance_document(guidance):
    from forumguide.report.documents import guidance_pdf

    return PdfReader(io.BytesIO(guidance_pdf(guidance)))


def test_guidance_pdf_has_a_printed_contents_page_with_page_numbers(guidance_document, guidance):
    contents = re.sub(r"\s+", " ", guidance_document.pages[1].extract_text())
    assert contents.startswith("Contents") or "Contents" in contents[:80]
    for area in guidance.theory_areas:
        match = re.search(rf"{area.number}\. {re.escape(area.name)}[ .]*(\d+)", contents)
        assert match, area.name
        page = guidance_document.pages[int(match.group(1)) - 1].extract_text()
        assert f"{area.number}. {area.name}" in page
    assert re.search(r"Evidence[ .]*\d+", contents)


def test_guidance_pdf_leaves_no_page_mostly_blank_before_its_section_goes_on(guidance_document):
    pages = guidance_document.pages
    for number, (page, following) in enumerate(itertools.pairwise(pages[2:]), 3):
        if not _starts_a_part(following):
            assert _page_fill(page) > 0.6, f"page {number} is mostly blank"


def test_running_headers_name_the_section_each_page_starts_in(guidance_document):
    headers = [re.search(r"version [\d.]+ · ([^\n]+)", p.extract_text()) for p in guidance_document.pages[1:]]
    sections = [h.group(1).strip() for h in headers if h]
    assert sections[0] == "Contents"
    # A page that begins with the end of area 1 is headed by area 1, not by the area that starts lower down.
    assert sections.count("1. Mental health self-efficacy") >= 2


def test_blank_checklist_explains_the_ratings_before_the_profile(guidance):
    from forumguide.report.documents import blank_checklist_pdf

    first = re.sub(r"\s+", " ", PdfReader(io.BytesIO(blank_checklist_pdf(guidance))).pages[0].extract_text())
    data = scoring_data(guidance)
    assert first.index("How to rate each item") < first.index("Forum profile")
    for rating in data["scale"]:
        assert f"{rating['label']} {rating['description']}" in first
    assert re.search(r"Date\s*Forum profile", first) is None or first.index("How to rate") < first.index(
        "Forum profile"
    )


def test_the_board_report_has_no_near_empty_page_and_headers_name_the_section_a_page_starts_in(report):
    pages = PdfReader(io.BytesIO(report)).pages
    for number, page in enumerate(pages[:-1], 1):
        assert _page_fill(page) > 0.6, f"page {number} is mostly blank"
    seen = _page_text(report, 1)
    for number, page in enumerate(pages[1:], 2):
        header = re.search(r"\(fictional\) · ([^\n]+)", page.extract_text()).group(1).strip()
        lines = _body_lines(page)
        starts_here = lines and lines[0][1].startswith(header[:20])
        assert starts_here or header in seen, (
            f"page {number} is headed {header!r}, a section that starts later"
        )
        seen += " " + re.sub(r"\s+", " ", page.extract_text())


def test_a_report_without_names_says_so_once_and_its_headers_have_no_stray_comma(guidance, report_text):
    pdf = board_pdf(guidance, {**EXAMPLE, "forum": "", "organisation": ""})
    assert "Unnamed forum" in _page_text(pdf, 1)
    header = _page_text(pdf, 2)
    assert "Unnamed forum · " in header and "Unnamed forum," not in header
    # Who made the audit reads naturally without a name, and points at no name that is not there.
    text = re.sub(r"\s+", " ", text_of(pdf))
    assert "This is a self-assessment made by the organisation that runs the forum, against" in text
    assert not re.search(r"named (above|below)|\{organisation\}", text)
    assert f"This is a self-assessment made by {EXAMPLE['organisation']}, against" in report_text


def test_page_one_holds_the_whole_decisions_box_for_an_audit_with_many_gaps(guidance):
    """Every critical item only planned, ten items not applicable, eight 'don't know', and last year's
    audit: the box still ends on page 1, and page 2 is not left near-empty behind it."""
    data = scoring_data(guidance)
    answers = copy.deepcopy(EXAMPLE)
    general = [i["id"] for i in data["items"] if not i["critical"] and not i["applies_if"]]
    for i in data["items"]:
        if i["critical"]:
            answers["answers"][i["id"]] = {"rating": "planned"}
    for item_id in general[:10]:
        answers["answers"][item_id] = {
            "rating": "not-applicable",
            "reason": "A reason long enough to take a line or two "
            "when it is printed in full on the first page of the report, as a board would read it.",
        }
    for item_id in general[10:18]:
        answers["answers"][item_id] = {"rating": "dont-know"}
    pdf = board_pdf(guidance, answers, PREVIOUS)
    first, second = _page_text(pdf, 1), _page_text(pdf, 2)
    assert "Decisions for the board" in first
    assert "Ask for the 8 items rated “Don't know” to be found out" in first
    assert "each with its reason under “Results by theory area”" in first  # ten reasons would not fit: names
    assert "Agree an owner and a date for the" in first and "none has both yet" in first
    assert _page_fill(PdfReader(io.BytesIO(pdf)).pages[1]) > 0.6, second[:200]


def _at_length(phrase: str, length: int) -> str:
    """Words, `length` characters long: a name or reason as long as the answers schema allows."""
    text = ((phrase + " ") * (length // len(phrase) + 1))[:length]
    return text[:-1] + "s" if text.endswith(" ") else text


def _worst_case_answers(guidance, not_applicable: int) -> dict:
    """An unfinished team audit with everything page 1 can show, every name and reason at the length
    the answers schema allows: all safety-critical items apply, two left unanswered after the team
    disagreed and the rest rated below fully in place with a long owner; not-applicable, "don't know"
    and partly-in-place items, each with a long owner; most of the rest unanswered and disputed."""
    from forumguide.audit.answers import read_answers_text

    schema = json.loads((ROOT / "schema" / "answers.schema.json").read_text())["properties"]
    item = schema["answers"]["additionalProperties"]["properties"]
    data = scoring_data(guidance)
    owner = _at_length("Head of Digital Services and Online Community", item["owner"]["maxLength"])
    answers = {
        **copy.deepcopy(EXAMPLE),
        "organisation": _at_length("Northbrook Wellbeing Trust", schema["organisation"]["maxLength"]),
        "forum": _at_length("Northbrook Peer Support Forum", schema["forum"]["maxLength"]),
        "assessors": [
            _at_length(f"Assessor {n} (Lived Experience Advisor)", schema["assessors"]["items"]["maxLength"])
            for n in range(schema["assessors"]["maxItems"])
        ],
        "assessment": "peer-review",
    }
    answers["profile"]["audience"] = ["adults", "carers", "young-people"]
    critical = [i["id"] for i in data["items"] if i["critical"]]
    general = [i["id"] for i in data["items"] if not i["critical"] and not i["applies_if"]]
    given = {
        i: {"rating": "not-in-place" if n % 2 else "planned", "owner": owner} for n, i in enumerate(critical)
    }
    given[critical[2]]["due"] = "2027-01-31"
    reason = _at_length("The forum has no such part and does not plan one", item["reason"]["maxLength"])
    given |= {i: {"rating": "not-applicable", "reason": reason} for i in general[:not_applicable]}
    given |= {i: {"rating": "dont-know", "owner": owner, "due": "2027-09-30"} for i in general[12:20]}
    given |= {i: {"rating": "partly", "owner": owner, "due": "2027-06-30"} for i in general[20:30]}
    disputed = critical[:2] + general[30:]
    for i in disputed:
        given.pop(i, None)
    answers["answers"] = given
    sources = [_at_length(f"Team {n} of assessors", 300) for n in range(3)]
    answers["merge"] = {
        "rule": "unresolved",
        "sources": [{"name": s} for s in sources],
        "disagreements": [
            {
                "item": i,
                "views": [{"by": sources[0], "value": "fully"}, {"by": sources[1], "value": "planned"}],
                "chosen": None,
            }
            for i in disputed
        ],
    }
    checked = read_answers_text(yaml.safe_dump(answers, allow_unicode=True), ROOT, data)
    assert checked.ok, [p.message for p in checked.problems]  # within the schema's limits
    return checked.data


@pytest.mark.parametrize("not_applicable", [2, 12], ids=["na-with-reasons", "na-as-names"])
def test_page_one_holds_the_summary_and_decisions_in_the_worst_case_and_drops_nothing(
    guidance, not_applicable
):
    """Unfinished, disputed, all eight critical gaps, last year's audit, and every name at its longest:
    page 1 still ends with the whole decisions box, page 2 starts with what follows it, and whatever page 1
    gives in part is given in full further on."""
    from forumguide.report.context import report_context

    answers = _worst_case_answers(guidance, not_applicable)
    data = scoring_data(guidance)
    context = report_context(guidance, data, answers, PREVIOUS)
    result = context["result"]
    assert not result["complete"] and len(result["critical_gaps"]) == 8 and context["disputes"]
    pdf = board_pdf(guidance, answers, PREVIOUS)
    reader = PdfReader(io.BytesIO(pdf))
    first = _page_text(pdf, 1)
    assert f"Incomplete: {result['answered']} of {result['applicable']} answered" in first
    assert "Since the audit of 9 October 2025:" in first
    assert f"Critical gaps ({len(result['critical_gaps'])})" in first
    for item_id in result["critical_gaps"]:
        assert guidance.item_by_id[item_id].title in first, item_id
    box = first[first.index("Decisions for the board") :]
    for decision in context["decisions"]:  # every ask and every line under it, on page 1
        assert re.sub(r"\s+", " ", decision.ask) in box, decision.ask
        for line in decision.items:
            assert re.sub(r"\s+", " ", line) in box, line
    assert "Ask the assessors to settle the" in box and "disputed items" in box
    assert _body_lines(reader.pages[1])[0][1].startswith("About this audit")
    # Nothing dropped: the names, owners and reasons that page 1 shortens are in full further on.
    rest = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages[1:]))
    running = re.sub(r"\s+", " ", f"{context['header'].forum}, {context['header'].organisation}")
    rest = re.sub(re.escape(running) + r" · .*? · page \d+ of \d+ ?", "", rest)  # running header and footer
    for name in [answers["forum"], answers["organisation"], *answers["assessors"]]:
        assert name in rest, name[:40]
    assert answers["answers"][result["critical_gaps"][2]]["owner"] in rest
    for item_id in result["not_applicable"]:
        assert f"Reason not applicable: {answers['answers'][item_id]['reason']}" in rest
    # Still a tagged PDF.
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
