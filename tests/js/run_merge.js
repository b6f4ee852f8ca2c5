// Runs the browser's team merge in node for the parity tests (tests/test_init_merge.py).
// stdin: {"data": scoring data, "cases": [{"sources": [{"file", "answers"}, ...], "rule": "lowest"}, ...]}
// stdout: [{"answers": merged document, "details": [...]}, ...]
"use strict";
const path = require("path");
const { merge } = require(path.join(__dirname, "..", "..", "docs", "assets", "javascripts", "checklist-merge.js"));

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const { data, cases } = JSON.parse(input);
  const out = cases.map((c) => {
    const result = merge(data, c.sources, c.rule);
    return { answers: result.answers, details: result.details };
  });
  process.stdout.write(JSON.stringify(out));
});
