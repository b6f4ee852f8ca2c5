"""The page generator on its own: records → Markdown, without MkDocs."""

from __future__ import annotations

import html
import re
import subprocess
import sys

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forumguide.records.load import load_guidance
from forumguide.site import citations, pages
from forumguide.site.mdsafe import md_html, md_paragraphs, md_text

from conftest import PAPER, RELEASE, ROOT, scoring_yaml_for_small_projects, vocabulary_yaml_for_small_projects

HOSTILE = "{{ 7*7 }} {% if 1 %}x{% endif %} <script>alert(1)</script> **bold** [link](https://example.invalid) `code` :smile:"

SMALL = {
    "guidance/release.yaml": RELEASE,
    "guidance/evidence/paper.yaml": PAPER.rstrip(" ") + '    DOI: "10.1000/xyz(1)_2"\n',
    "guidance/evidence/forum-host-1.yaml": """
        id: forum-host-1
        kind: interview
        source_ref: null
        role: forum-host
        participant: 1
        """,
    "guidance/cmos/cmo-2.yaml": """
        id: cmo-2
        number: "2"
        theory_area: 1
        title: Engagement brings more engagement
        summary: A summary.
        context: A context.
        mechanism_resource: A resource.
        mechanism_reasoning: A reasoning.
        outcomes:
          - text: Fewer people come back
            kind: unintended
            tags: [engagement]
        context_tags: [engagement]
        evidence: [ref-1, forum-host-1]
        """,
    "guidance/recommendations/rec-reply.yaml": """
        id: rec-reply
        title: Reply to every first post
        what: Reply.
        why: Because.
        how: [Do it.]
        audience: [moderators]
        cmos: [cmo-1, cmo-2]
        aim: promote-benefit
        """,
    "checklist/scoring.yaml": scoring_yaml_for_small_projects(),
    "checklist/items/safety-reply.yaml": """
        id: safety-reply
        theory_area: 1
        order: 1
        title: Do moderators reply to first posts
        question: Do moderators reply to first posts?
        fully_in_place: Always.
        evidence_examples: [A rota]
        recommendations: [rec-reply]
        aims: [limit-harm]
        weight: 2
        critical: true
        """,
}


@pytest.fixture
def small(project):
    root = project(SMALL)
    return root, load_guidance(root)


def hostile_project(project):
    cmo = SMALL["guidance/cmos/cmo-2.yaml"].replace(
        "title: Engagement brings more engagement", f"title: '{HOSTILE}'"
    )
    return project(
        {**SMALL, "guidance/cmos/cmo-2.yaml": cmo.replace("summary: A summary.", f"summary: '{HOSTILE}'")}
    )


def text_of(markdown_text: str) -> str:
    """What a reader sees: the Markdown rendered as a site engine would, tags removed, entities decoded."""
    rendered = markdown.markdown(markdown_text, extensions=["attr_list", "def_list", "tables", "admonition"])
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


# -- escaping -------------------------------------------------------------------------------------------


def test_record_text_is_shown_literally_after_markdown():
    assert text_of(md_text(HOSTILE)) == HOSTILE


def test_record_text_contains_no_template_or_markup_syntax():
    out = str(md_text(HOSTILE))
    for syntax in ("{{", "{%", "<script", "**", "[link]", "`"):
        assert syntax not in out


@pytest.mark.parametrize(
    "start", ["- item", "+ item", "1. item", "2) item", "> quote", ": def", "# heading", "=== rule"]
)
def test_text_cannot_open_a_markdown_block(start):
    assert text_of(f"{md_text(start)}\n") == start


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1))
def test_any_text_survives_markdown_unchanged(text):
    expected = " ".join(text.split())
    if expected:
        assert text_of(str(md_text(text))).strip() == expected


def test_paragraphs_split_on_blank_lines():
    assert [str(p) for p in md_paragraphs("One\nline.\n\nTwo.")] == ["One line.", "Two."]


def test_html_from_citeproc_keeps_tags_and_encodes_text():
    out = str(md_html("Tan, Y. <i>et al.</i> ‘A *study* {{ x }}’ &amp; more"))
    assert "<i>et al.</i>" in out and "&amp;" in out
    assert "*" not in out and "{{" not in out


# -- citations ------------------------------------------------------------------------------------------


def test_references_come_from_citeproc_in_one_style(guidance):
    bib = citations.bibliography_for(guidance)
    ref = str(bib.html("ref-68"))
    assert ref.startswith("Tan, Y.T. <i>et al.</i> (2021)")
    assert "<i>J Affect Disord</i>" in ref


def test_truncated_author_list_is_shortened_by_the_style(guidance):
    # ref-11 lists three authors and then "others": it must not read as a complete list of three.
    ref = str(citations.bibliography_for(guidance).html("ref-11"))
    assert ref.startswith("Poole, R. <i>et al.</i>")
    assert "Simpson" not in ref


def test_sources_without_csl_data_show_their_title(guidance):
    assert str(citations.bibliography_for(guidance).html("forum-host-1")) == "Forum host 1 (interview)"


def test_bibliography_is_formatted_once_per_model(guidance):
    assert citations.bibliography_for(guidance) is citations.bibliography_for(guidance)


# -- the pages --------------------------------------------------------------------------------------------


def test_every_record_gets_a_page(guidance):
    built = pages.build_pages(guidance)
    expected = {f"cmos/{c.id}.md" for c in guidance.cmos} | {f"evidence/{e.id}.md" for e in guidance.evidence}
    expected |= {f"theory-areas/{t.id}.md" for t in guidance.theory_areas}
    expected |= {f"recommendations/{r.id}.md" for r in guidance.recommendations}
    expected |= {
        "theory-areas/index.md",
        "cmos/index.md",
        "evidence/index.md",
        "recommendations/index.md",
        "checklist/index.md",
        "map.md",
    }
    assert expected <= set(built)


def test_generated_pages_opt_out_of_macros(small):
    _, g = small
    for path, text in pages.build_pages(g).items():
        assert text.startswith("---\nrender_macros: false\n"), path
        assert "render_macros: true" not in text.split("\n---\n", 1)[0], path


def test_cmo_page_links_to_each_source_and_back_up(small):
    _, g = small
    page = pages.build_pages(g)["cmos/cmo-2.md"]
    assert "](../evidence/ref-1.md)" in page
    assert "](../evidence/forum-host-1.md)" in page
    assert "](../theory-areas/safety.md)" in page


def test_an_interview_is_named_by_the_words_the_vocabulary_gives_its_role(project):
    vocabulary = vocabulary_yaml_for_small_projects().replace("label: Forum host", "label: Community host")
    g = load_guidance(project({**SMALL, "guidance/vocabulary.yaml": vocabulary}))
    built = pages.build_pages(g)
    assert built["evidence/forum-host-1.md"].split("\n# ", 1)[1].startswith("Community host 1 (interview)\n")
    assert "Community host 1" in built["cmos/cmo-2.md"] and "Forum host" not in built["cmos/cmo-2.md"]


def test_outcomes_are_marked_in_words(small):
    _, g = small
    page = pages.build_pages(g)["cmos/cmo-2.md"]
    assert "Unintended:" in page and "Intended:" in pages.build_pages(g)["cmos/cmo-1.md"]


def test_evidence_page_links_back_to_everything_resting_on_it(small):
    _, g = small
    page = pages.build_pages(g)["evidence/ref-1.md"]
    for target in (
        "../cmos/cmo-1.md",
        "../cmos/cmo-2.md",
        "../recommendations/rec-reply.md",
        "../checklist/index.md#safety-reply",
    ):
        assert f"]({target})" in page


def test_recommendation_page_says_it_is_an_interpretation_and_derives_its_evidence(small):
    _, g = small
    page = pages.build_pages(g)["recommendations/rec-reply.md"]
    assert "Project interpretation" in page
    assert "[CMO 1](../cmos/cmo-1.md)" in page
    assert "](../evidence/ref-1.md)" in page
    assert "](../checklist/index.md#safety-reply)" in page


def test_checklist_items_are_anchored_by_id(small):
    _, g = small
    page = pages.build_pages(g)["checklist/index.md"]
    assert "{: #safety-reply }" in page


def test_doi_link_is_percent_encoded(small):
    _, g = small
    page = pages.build_pages(g)["evidence/paper.md"]
    assert "(<https://doi.org/10.1000/xyz%281%29_2>){: .fg-url }" in page


def _linked(files: dict[str, str | None]) -> dict[str, str | None]:
    """SMALL with CMO 2 stating that it leads to CMO 1."""
    cmo = (
        SMALL["guidance/cmos/cmo-2.yaml"].rstrip(" ")
        + """        leads_to:
          - cmo: cmo-1
            kind: unintended
            why: Fewer returning members thin out the forum.
        """
    )
    return {**SMALL, "guidance/cmos/cmo-2.yaml": cmo, **files}


def test_map_nodes_link_to_cmo_pages_with_relative_urls(project):
    g = load_guidance(project(_linked({})))
    assert '<a href="../cmos/cmo-1/"' in pages.build_pages(g)["map.md"]
    assert '<a href="cmos/cmo-1.html"' in pages.build_pages(g, directory_urls=False)["map.md"]


def test_map_has_a_text_alternative_listing_every_link(guidance):
    page = pages.build_pages(guidance)["map.md"]
    table = page.split("## All links as a table", 1)[1]
    rows = [line for line in table.splitlines() if line.startswith("| [CMO")]
    assert len(rows) == len(guidance.relations()) > 0


def test_hostile_record_text_stays_text(project):
    g = load_guidance(hostile_project(project))
    built = pages.build_pages(g)
    page = built["cmos/cmo-2.md"]
    assert "{{" not in page and "{%" not in page and "<script" not in page
    assert HOSTILE in text_of(page.split("---\n", 2)[2])
    svgs = re.findall(r'<div class="fg-map-figure">(.*?)</div>', built["map.md"])
    assert svgs and not any("<script" in svg for svg in svgs)
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in svg for svg in svgs)


def test_counts_and_references_for_hand_written_pages(small):
    root, g = small
    values = pages.site_variables(g, root)
    assert values["counts"]["cmos"] == 2
    assert "The paper" in str(values["paper"]["reference"])
    assert "Test guidance" in str(values["guidance_reference"])


def test_open_data_files(small):
    root, g = small
    files = pages.open_data_files(g, root)
    assert {"data/forumguide.json", "data/references.json", "schema/cmo.schema.json"} <= set(files)


# -- the command -----------------------------------------------------------------------------------------


def test_pages_command_writes_markdown_without_importing_mkdocs(tmp_path):
    out = tmp_path / "out"
    script = (
        "import sys\n"
        "from forumguide.cli import main\n"
        f"code = main(['pages', {str(out)!r}, '--path', {str(ROOT)!r}])\n"
        "loaded = sorted(m for m in sys.modules if m == 'mkdocs' or m.startswith(('mkdocs.', 'material', 'mkdocs_')))\n"
        "print(code, loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "0 []"
    assert (out / "cmos" / "cmo-12.md").is_file()
    assert (out / "map.md").is_file()
    assert (out / "data" / "forumguide.json").is_file()
