"""Check every record and report all problems at once, in words a content editor understands.

Pure checks over records already read (`read.read_sources`); `records.load` is the entry point that
reads, checks and builds the model.

Three passes, each collecting rather than stopping: files that cannot be read (YAML syntax, size,
anchors), records that break their schema, and cross-references between records (unknown and
duplicate ids, coverage). Each problem names the file, the line and the field.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jsonschema

from . import frameworks, model, schemas
from .paths import schema_dir
from .problems import Problem, Report
from .read import COLLECTIONS, SINGLETONS, Sources
from .yamlsource import Document, field_name

# -- schema errors in plain words ----------------------------------------------------------------

_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a set of fields",
    "null": "empty (null)",
}


def _type_words(expected: Any) -> str:
    names = expected if isinstance(expected, list) else [expected]
    return " or ".join(_TYPE_WORDS.get(n, n) for n in names)


def _actual_words(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {_short(value)}"
    if isinstance(value, list):
        return "a list"
    return "a set of fields"


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= limit else text[: limit - 4] + '…"'


def schema_message(error: jsonschema.ValidationError) -> tuple[tuple, str]:
    """(path of the field, plain sentence) for one schema error."""
    path = tuple(error.absolute_path)
    v, value, sch = error.validator, error.instance, error.schema
    hint = ""
    if isinstance(sch, dict) and sch.get("description") and v in {"pattern", "enum", "format", "const"}:
        hint = f" Expected: {sch['description']}"
    if v == "required":
        missing = [name for name in error.validator_value if name not in (value or {})]
        name = missing[0] if missing else "?"
        return (*path, name), f"The required field '{name}' is missing."
    if v == "additionalProperties":
        extra = sorted(set(value) - set(sch.get("properties", {})))
        name = extra[0] if extra else "?"
        return (
            *path,
            name,
        ), f"The field '{name}' is not known for this kind of record (check its spelling, or remove it)."
    if v == "type":
        return path, f"This should be {_type_words(error.validator_value)}, but it is {_actual_words(value)}."
    if v == "enum":
        options = ", ".join(str(o) for o in error.validator_value)
        return path, f"{_short(value)} is not allowed here; use one of: {options}."
    if v == "const":
        return path, f"{_short(value)} is not allowed here; it must be {error.validator_value!r}."
    if v == "pattern":
        return path, f"{_short(value)} is not in the expected form.{hint}"
    if v == "format":
        return path, f"{_short(value)} is not a valid {error.validator_value}.{hint}"
    if v == "minLength":
        return (
            path,
            "This must not be empty."
            if error.validator_value == 1
            else f"This needs at least {error.validator_value} characters.",
        )
    if v == "maxLength":
        return (
            path,
            f"This is too long: at most {error.validator_value} characters are allowed (it has {len(value)}).",
        )
    if v == "minItems":
        return (
            path,
            f"This list needs at least {error.validator_value} entr{'y' if error.validator_value == 1 else 'ies'}.",
        )
    if v == "maxItems":
        return path, f"This list allows at most {error.validator_value} entries."
    if v == "uniqueItems":
        dupes = [x for x, n in Counter(map(repr, value)).items() if n > 1]
        return path, f"This list names the same entry more than once ({', '.join(dupes)})."
    if v in {"minimum", "maximum"}:
        word = "at least" if v == "minimum" else "at most"
        return path, f"{_short(value)} is out of range: it must be {word} {error.validator_value}."
    if v == "false" or sch is False:
        return path, "This field does not belong on this kind of record."
    return path, error.message


def schema_problems(doc: Document, validator: jsonschema.Draft202012Validator) -> list[Problem]:
    problems = []
    for error in validator.iter_errors(doc.data):
        # anyOf/oneOf report a summary; the most relevant branch error reads better. A branch for another
        # type of value ("should be text" for a list) explains nothing when a branch for this type exists.
        if error.validator in {"anyOf", "oneOf"} and error.context:
            fitting = [e for e in error.context if not (e.validator == "type" and not e.relative_path)]
            error = jsonschema.exceptions.best_match(fitting or error.context)
        path, message = schema_message(error)
        problems.append(Problem(doc.file, doc.line_of(path), field_name(path), message))
    # Same field+line reported by several branches: keep one.
    return list(dict.fromkeys(problems))


VOCABULARY = next(s.file for s in SINGLETONS if s.key == "vocabulary")  # guidance/vocabulary.yaml


# -- the whole check -----------------------------------------------------------------------------


def check_sources(sources: Sources) -> Report:
    """Check every record read from a project; the report holds the model when there is no error."""
    report = Report()
    problems = report.problems
    folder = schema_dir(sources.root)
    for message in schemas.check_schemas(folder):
        problems.append(Problem("schema/", None, "(schema)", message))
    for missing in sources.missing:
        problems.append(Problem(missing.file, None, "(files)", missing.message))
    for exc in sources.unreadable:
        problems.append(Problem(exc.file, exc.line, "(whole file)", exc.message))

    valid: dict[str, list[tuple[dict, Document]]] = {}
    for coll in COLLECTIONS:
        valid[coll.key] = []
        docs = sources.documents.get(coll.key, [])
        if not docs:
            continue
        check_doc = schemas.validator(folder, coll.schema)
        for doc in docs:
            problems.extend(_duplicate_key_problems(doc))
            found = schema_problems(doc, check_doc)
            problems.extend(found)
            if not found:
                valid[coll.key].append((doc.data, doc))
            if isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str):
                stem = Path(doc.file).stem
                if doc.data["id"] != stem:
                    problems.append(
                        Problem(
                            doc.file,
                            doc.line_of(("id",)),
                            "id",
                            f"The id '{doc.data['id']}' does not match the file name; name the file {doc.data['id']}.yaml.",
                        )
                    )

    singles: dict[str, dict | None] = {}
    for single in SINGLETONS:
        doc = sources.singletons.get(single.key)
        singles[single.key] = None
        if doc is None:
            continue
        problems.extend(_duplicate_key_problems(doc))
        found = schema_problems(doc, schemas.validator(folder, single.schema))
        problems.extend(found)
        if not found:
            singles[single.key] = doc.data

    problems.extend(_duplicate_ids(valid))
    built = {
        key: _unique([model.BUILDERS[key](data, doc.file) for data, doc in pairs])
        for key, pairs in valid.items()
    }
    relations = frameworks.relation_meanings(schemas.schema(folder, "crosswalk.schema.json"))
    guidance = model.guidance_from(built, singles, relations)
    docs_by_file = {doc.file: doc for pairs in valid.values() for _, doc in pairs}
    docs_by_file.update(
        {doc.file: doc for key, doc in sources.singletons.items() if singles.get(key) is not None}
    )
    # Records that exist but failed their own checks still exist: references to them are not
    # reported again, and coverage checks wait until the collection is clean (no follow-on noise).
    present = {Path(e.file).stem for e in sources.unreadable}
    incomplete = {
        Path(e.file).parts[0] + "/" + Path(e.file).parts[1]
        for e in sources.unreadable
        if len(Path(e.file).parts) > 2
    }
    for coll in COLLECTIONS:
        for doc in sources.documents.get(coll.key, []):
            present.add(Path(doc.file).stem)
            if doc.file not in docs_by_file:
                incomplete.add(coll.folder)
    if singles.get("vocabulary") is None:
        incomplete.add(
            VOCABULARY
        )  # missing or broken: reported as such, not again for every value it should list
    problems.extend(cross_reference_problems(guidance, docs_by_file, present, incomplete))
    problems.sort(key=lambda p: (p.severity != "error", p.file, p.line or 0, p.field))
    if not report.errors:
        report.guidance = guidance
    return report


def _unique(records: list) -> list:
    seen: set[str] = set()
    out = []
    for r in records:
        if r.id not in seen:
            seen.add(r.id)
            out.append(r)
    return out


def _duplicate_key_problems(doc: Document) -> Iterable[Problem]:
    for path, line in doc.duplicate_keys:
        yield Problem(
            doc.file,
            line,
            field_name(path),
            f"The field '{path[-1]}' is written twice in the same place; only the last one would count. Keep one.",
        )


def _duplicate_ids(valid: dict[str, list[tuple[dict, Document]]]) -> Iterable[Problem]:
    where: dict[str, list[Document]] = defaultdict(list)
    for pairs in valid.values():
        for data, doc in pairs:
            where[data["id"]].append(doc)
    for record_id, docs in where.items():
        if len(docs) > 1:
            others = ", ".join(d.file for d in docs)
            for doc in docs:
                yield Problem(
                    doc.file,
                    doc.line_of(("id",)),
                    "id",
                    f"The id '{record_id}' is used by more than one record ({others}); every id must be unique.",
                )


def _line(docs: dict[str, Document], file: str, path: tuple) -> int:
    doc = docs.get(file)
    return doc.line_of(path) if doc else 1


def cross_reference_problems(
    g: model.Guidance,
    docs: dict[str, Document],
    present: set[str] = frozenset(),
    incomplete: set[str] = frozenset(),
) -> list[Problem]:
    """Unknown and duplicate references. `present` holds ids of records that exist but failed their
    schema; `incomplete` the folders with such records, whose coverage is not judged yet (and VOCABULARY
    when that file is missing or broken, so values are not checked against it)."""
    vocabulary_ok = VOCABULARY not in incomplete
    out: list[Problem] = []

    def add(file: str, path: tuple, message: str, severity: str = "error") -> None:
        out.append(Problem(file, _line(docs, file, path), field_name(path), message, severity))

    areas = Counter(t.number for t in g.theory_areas)
    for t in g.theory_areas:
        if areas[t.number] > 1:
            add(t.file, ("number",), f"Theory area number {t.number} is used by more than one theory area.")
        if not g.cmos_in_area(t.number) and "guidance/cmos" not in incomplete:
            add(
                t.file,
                ("number",),
                f"No CMO belongs to theory area {t.number}; every theory area needs at least one CMO.",
            )
        for i, ev in enumerate(t.evidence):
            if ev not in g.evidence_by_id and ev not in present:
                add(
                    t.file,
                    ("evidence", i),
                    f"'{ev}' is not the id of any evidence record in guidance/evidence/.",
                )

    numbers = Counter(c.number for c in g.cmos)
    for c in g.cmos:
        if numbers[c.number] > 1:
            add(c.file, ("number",), f"CMO number {c.number} is used by more than one CMO.")
        if c.theory_area not in g.theory_area_by_number:
            add(c.file, ("theory_area",), f"There is no theory area number {c.theory_area}.")
        for i, ev in enumerate(c.evidence):
            if ev not in g.evidence_by_id and ev not in present:
                add(
                    c.file,
                    ("evidence", i),
                    f"'{ev}' is not the id of any evidence record in guidance/evidence/.",
                )
        for i, tag in enumerate(c.context_tags):
            if vocabulary_ok and tag not in g.vocabulary:
                add(c.file, ("context_tags", i), f"The tag '{tag}' is not in {VOCABULARY}.")
        for j, outcome in enumerate(c.outcomes):
            for i, tag in enumerate(outcome.tags):
                if vocabulary_ok and tag not in g.vocabulary:
                    add(c.file, ("outcomes", j, "tags", i), f"The tag '{tag}' is not in {VOCABULARY}.")
        targets = Counter(r.cmo for r in c.leads_to)
        for i, relation in enumerate(c.leads_to):
            if relation.cmo == c.id:
                add(c.file, ("leads_to", i, "cmo"), f"{c.label} cannot lead to itself; name another CMO.")
            elif relation.cmo not in g.cmo_by_id and relation.cmo not in present:
                add(
                    c.file,
                    ("leads_to", i, "cmo"),
                    f"'{relation.cmo}' is not the id of any CMO in guidance/cmos/.",
                )
            if targets[relation.cmo] > 1:
                add(
                    c.file,
                    ("leads_to", i, "cmo"),
                    f"'{relation.cmo}' is named more than once; state each link once.",
                )

    refs = Counter(e.source_ref for e in g.evidence if e.source_ref is not None)
    people = Counter((e.role, e.participant) for e in g.interviews)
    for e in g.evidence:
        if e.source_ref is not None and refs[e.source_ref] > 1:
            add(
                e.file,
                ("source_ref",),
                f"Reference number {e.source_ref} is used by more than one evidence record.",
            )
        if e.kind == "interview" and people[(e.role, e.participant)] > 1:
            add(e.file, ("participant",), f"{e.title} is recorded more than once.")
        if (
            e.kind != "synthesis"
            and "guidance/cmos" not in incomplete
            and not g.cmos_citing(e.id)
            and not g.areas_citing(e.id)
        ):
            add(
                e.file,
                ("id",),
                "No CMO or theory area cites this source. That is expected for the paper's "
                "background references; check it is not a citation you meant to attach.",
                "warning",
            )
    _guidance_for_practice_problems(g, add, present, incomplete)
    _topic_problems(g, add, present)
    if vocabulary_ok:
        _term_problems(g, add)
    frameworks.check_references(
        g.frameworks,
        g.crosswalks,
        set(g.item_by_id),
        g.recommendations,
        add,
        present,
        "checklist/items" not in incomplete,
    )
    return out


def _term_problems(g: model.Guidance, add) -> None:
    """Audiences, recommendation aims and the kinds, types and roles of sources must be values
    guidance/vocabulary.yaml lists: the vocabulary is the one list of them (the schemas only ask for
    text), so an unknown value is reported here, naming the values allowed."""
    where = VOCABULARY
    uses = [
        (
            "audiences",
            "an audience",
            g.audiences,
            [(r.file, ("audience", i), a) for r in g.recommendations for i, a in enumerate(r.audience)],
        ),
        (
            "recommendation_aims",
            "a recommendation aim",
            g.recommendation_aims,
            [(r.file, ("aim",), r.aim) for r in g.recommendations],
        ),
        (
            "evidence_kinds",
            "a kind of source",
            g.evidence_kinds,
            [(e.file, ("kind",), e.kind) for e in g.evidence],
        ),
        (
            "evidence_types",
            "a type of publication",
            g.evidence_types,
            [(e.file, ("type",), e.csl_type) for e in g.evidence if e.csl_type is not None],
        ),
        (
            "interview_roles",
            "a role of interview participants",
            g.interview_roles,
            [(e.file, ("role",), e.role) for e in g.evidence if e.role is not None],
        ),
    ]
    for key, what, terms, used in uses:
        if not terms:  # the list itself is missing or empty: the schema says so once, not once per record
            continue
        allowed = ", ".join(terms)
        for file, path, value in used:
            if value not in terms:
                add(
                    file,
                    path,
                    f"'{value}' is not {what} listed in {where} ({key}); use one of: {allowed}. "
                    "A new value is added there first, with its label.",
                )
    for key, _, _, _ in uses:
        seen: set[str] = set()
        for i, term in enumerate(g.vocabulary_written.get(key, [])):
            if term["id"] in seen:
                add(
                    where,
                    (key, i, "id"),
                    f"'{term['id']}' is listed more than once in {key}; list each value once.",
                )
            seen.add(term["id"])


def _topic_problems(g: model.Guidance, add, present: set[str]) -> None:
    """Unknown ids, and order numbers or titles used twice (the home page lists topics in order)."""
    known = (
        ("cmos", g.cmo_by_id, "CMO in guidance/cmos/"),
        ("recommendations", g.recommendation_by_id, "recommendation in guidance/recommendations/"),
        ("checklist_items", g.item_by_id, "checklist item in checklist/items/"),
    )
    orders = Counter(t.order for t in g.topics)
    titles = Counter(t.title.casefold() for t in g.topics)
    for t in g.topics:
        for attribute, ids, what in known:
            for i, record_id in enumerate(getattr(t, attribute)):
                if record_id not in ids and record_id not in present:
                    add(t.file, (attribute, i), f"'{record_id}' is not the id of any {what}.")
        if orders[t.order] > 1:
            add(
                t.file,
                ("order",),
                f"Order {t.order} is used by more than one topic; give each topic its own place.",
            )
        if titles[t.title.casefold()] > 1:
            add(t.file, ("title",), f"The title '{t.title}' is used by more than one topic.")


def _upgrade_problems(g: model.Guidance, add) -> None:
    """The map from earlier versions' item ids: targets must exist, changed items keep their id, and the
    earlier major versions must be earlier than this one."""
    here = "checklist/scoring.yaml"
    major = g.version.split(".")[0]
    for u, upgrade in enumerate(g.scoring.get("upgrades", [])):
        if major.isdigit() and int(upgrade["from_major"]) >= int(major):
            add(
                here,
                ("upgrades", u, "from_major"),
                f"Upgrades are for earlier versions; this is version {g.version}.",
            )
        for i, change in enumerate(upgrade["items"]):
            where = ("upgrades", u, "items", i)
            kind, targets = change["change"], change.get("to", [])
            if kind in ("renamed", "replaced") and not targets:
                add(here, (*where, "to"), f"A {kind} item names its new item ids in 'to'.")
            if kind == "renamed" and len(targets) > 1:
                add(here, (*where, "to"), "A renamed item has one new id; use 'replaced' for several.")
            if kind in ("changed", "removed") and targets:
                add(here, (*where, "to"), f"A {kind} item has no 'to'.")
            if kind == "changed" and change["id"] not in g.item_by_id:
                add(
                    here,
                    (*where, "id"),
                    f"'{change['id']}' is not a checklist item; a changed item keeps its id.",
                )
            if kind in ("renamed", "replaced", "removed") and change["id"] in g.item_by_id:
                add(
                    here, (*where, "id"), f"'{change['id']}' is still a checklist item, so it was not {kind}."
                )
            for j, target in enumerate(targets):
                if target not in g.item_by_id:
                    add(here, (*where, "to", j), f"'{target}' is not a checklist item in checklist/items/.")


def _guidance_for_practice_problems(g: model.Guidance, add, present: set[str], incomplete: set[str]) -> None:
    """Recommendations, checklist items and the scoring model: references and coverage.

    Coverage is judged only once recommendations or items exist, so the foundation (CMOs and
    evidence alone) validates on its own."""
    for r in g.recommendations:
        for i, cmo_id in enumerate(r.cmos):
            if cmo_id not in g.cmo_by_id and cmo_id not in present:
                add(r.file, ("cmos", i), f"'{cmo_id}' is not the id of any CMO in guidance/cmos/.")
    orders: dict[tuple[int, int], list] = defaultdict(list)
    titles = Counter(item.title.casefold() for item in g.checklist)
    profile = {q["id"]: {o["id"] for o in q["options"]} for q in (g.scoring or {}).get("profile", [])}
    for item in g.checklist:
        orders[(item.theory_area, item.order)].append(item)
        if titles[item.title.casefold()] > 1:
            add(
                item.file,
                ("title",),
                f"The title '{item.title}' is used by more than one checklist item; titles name items "
                "in the report and the action plan, so each must be different.",
            )
        if item.theory_area not in g.theory_area_by_number:
            add(item.file, ("theory_area",), f"There is no theory area number {item.theory_area}.")
        for i, rec_id in enumerate(item.recommendations):
            if rec_id not in g.recommendation_by_id and rec_id not in present:
                add(
                    item.file,
                    ("recommendations", i),
                    f"'{rec_id}' is not the id of any recommendation in guidance/recommendations/.",
                )
        if g.scoring is None:
            continue
        for question, allowed in item.applies_if.items():
            if question not in profile:
                add(
                    item.file,
                    ("applies_if", question),
                    f"'{question}' is not a profile question in checklist/scoring.yaml "
                    f"(the questions are: {', '.join(profile)}).",
                )
                continue
            for i, option in enumerate(allowed):
                if option not in profile[question]:
                    add(
                        item.file,
                        ("applies_if", question, i),
                        f"'{option}' is not an answer to the profile question '{question}'.",
                    )
        aims = [a["id"] for a in g.scoring["aims"]]
        for i, aim in enumerate(item.aims):
            if aim not in aims:
                add(
                    item.file,
                    ("aims", i),
                    f"'{aim}' is not an aim in checklist/scoring.yaml (the aims are: {', '.join(aims)}).",
                )
        weights = [w["value"] for w in g.scoring["weights"]]
        if item.weight not in weights:
            add(
                item.file,
                ("weight",),
                f"{item.weight} is not a weight in checklist/scoring.yaml (the weights are: "
                f"{', '.join(map(str, weights))}).",
            )
        lower = [r["id"] for r in g.scoring["scale"][:-1]]
        for rating in item.levels:
            if rating not in lower:
                add(
                    item.file,
                    ("levels", rating),
                    f"'{rating}' is not a rating below the top of the scale; levels describe "
                    f"{', '.join(lower)} (the top rating is described by fully_in_place).",
                )
    if g.scoring is not None:
        _upgrade_problems(g, add)
    for (area, order), items in orders.items():
        if len(items) > 1:
            for item in items:
                add(
                    item.file,
                    ("order",),
                    f"Order {order} in theory area {area} is used by more than one item "
                    f"({', '.join(i.id for i in items)}).",
                )
    if g.checklist and g.scoring is None:
        add("checklist/scoring.yaml", (), "The checklist has items but checklist/scoring.yaml is missing.")

    judged = not incomplete.intersection({"guidance/cmos", "guidance/recommendations", "checklist/items"})
    if judged and g.recommendations:
        for c in g.cmos:
            if not g.recommendations_for_cmo(c.id):
                add(
                    c.file,
                    ("id",),
                    f"No recommendation rests on {c.label}; every CMO needs at least one (in guidance/recommendations/).",
                )
    if judged and g.checklist:
        for c in g.cmos:
            if g.recommendations_for_cmo(c.id) and not any(
                g.items_for_recommendation(r.id) for r in g.recommendations_for_cmo(c.id)
            ):
                add(
                    c.file,
                    ("id",),
                    f"No checklist item checks {c.label} (through its recommendations); every CMO needs at least one item.",
                )
        for r in g.recommendations:
            if not g.items_for_recommendation(r.id):
                add(r.file, ("id",), "No checklist item checks this recommendation.", "warning")
