// Runs the browser checklist's pure functions in node for the parity tests (tests/test_checklist_parity.py).
// stdin: {"data": scoring data, "documents": [answers, ...]}
// stdout: [{"score": result or null, "check": {"errors": [...], "warnings": [...]}, "upgraded": doc or null}, ...]
"use strict";
const path = require("path");
const scripts = path.join(__dirname, "..", "..", "docs", "assets", "javascripts");
const { score } = require(path.join(scripts, "checklist-score.js"));
const answers = require(path.join(scripts, "checklist-answers.js"));
const schema = JSON.parse(require("fs").readFileSync(path.join(__dirname, "..", "..", "schema", "answers.schema.json"), "utf8"));

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const { data, documents } = JSON.parse(input);
  const out = documents.map((doc) => {
    const check = answers.check(data, doc, { schema });
    // The score of a refused file too, when it can be computed: score() must stay safe on it (a critical
    // item marked not applicable, say), and the shared cases check that it does.
    let result = null;
    try {
      result = score(data, doc);
    } catch (exc) {
      result = null;
    }
    const upgraded = check.errors.length ? null : answers.upgrade(data, doc).doc;
    return { check, score: result, upgraded };
  });
  process.stdout.write(JSON.stringify(out));
});
