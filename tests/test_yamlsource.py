import pytest

from forumguide.records.yamlsource import SourceError, parse_text


def test_every_value_keeps_its_line():
    doc = parse_text("id: x\noutcomes:\n  - text: a\n    kind: intended\n")
    assert doc.line_of(("outcomes", 0, "kind")) == 4
    assert doc.line_of(("outcomes", 0, "missing")) == 3


def test_dates_stay_text_as_in_json():
    assert parse_text("date: 2026-01-31").data == {"date": "2026-01-31"}


@pytest.mark.parametrize("text", ["a: &x [1]\nb: *x\n", "a: &x 1\nb: *x\n", "- &x {k: v}\n- *x\n"])
def test_anchors_and_aliases_are_refused(text):
    with pytest.raises(SourceError, match="anchors and aliases"):
        parse_text(text)


def test_billion_laughs_is_refused_quickly():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    with pytest.raises(SourceError):
        parse_text(bomb)


@pytest.mark.parametrize(
    "text", ["x: !!python/object/apply:os.system ['true']", "x: !!binary aGk=", "!!set {a, b}"]
)
def test_only_plain_json_values_are_allowed(text):
    with pytest.raises(SourceError, match="tag"):
        parse_text(text)


def test_syntax_error_names_the_line():
    with pytest.raises(SourceError) as info:
        parse_text("id: x\ntitle: [unclosed\nother: 1\n")
    assert info.value.line == 3
    assert "not valid YAML" in info.value.message


def test_duplicate_keys_are_recorded_not_hidden():
    doc = parse_text("id: a\nid: b\n")
    assert doc.duplicate_keys == [(("id",), 2)]


def test_oversized_text_is_refused():
    with pytest.raises(SourceError, match="larger than"):
        parse_text("x: " + "a" * 1_100_000)


def test_deep_nesting_is_refused():
    with pytest.raises(SourceError, match="nested"):
        parse_text("[" * 100 + "]" * 100)
    with pytest.raises(SourceError, match="nest"):  # libyaml's own limit may speak first
        parse_text("[" * 20000 + "]" * 20000)


def test_a_field_name_with_a_line_break_stays_on_one_line():
    from forumguide.records.yamlsource import field_name

    assert field_name(("answers", "item-1", "notes")) == "answers.item-1.notes"
    assert (
        "\n" not in field_name(("organisation", 0, "\n"))
        and field_name(("organisation", 0, "\n")) == "organisation[0]['\\n']"
    )
