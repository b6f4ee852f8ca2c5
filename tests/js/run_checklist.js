// Runs the browser checklist's pure functions in node for the parity tests (tests/test_checklist_parity.py).
// stdin: {"data": scoring data, "documents": [answers, ...]}
// stdout: [{"score": result or null, "check": {"errors": [...], "warnings": [...]}}, ...]
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
    return { check, score: check.errors.length ? null : score(data, doc) };
  });
  process.stdout.write(JSON.stringify(out));
});
