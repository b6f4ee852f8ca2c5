/* The self-audit's tools: export, import, start again, the board report, the printable summary, last
 * year's audit and a team's files combined.
 *
 * Loaded after checklist.js by the audit's pages that offer these tools (the overview and the "check
 * your answers" step), and only there: the pages where people answer items stay light. It works through
 * the audit that checklist.js runs on the page (window.forumguideAudit: the answers document, the page's
 * elements and its messages), so both scripts always show and save the same answers.
 * Privacy: the only requests are the ones a person asks for (the board report, and the scripts a YAML
 * import or a team merge needs). Text from people or files reaches the page through textContent only.
 */
(function () {
  "use strict";

  function start(audit) {
    var data = audit.data;
    var S = audit.S;
    var A = audit.A;
    var ui = audit.ui;
    var el = audit.el;
    var byId = audit.byId;
    var on = audit.on;
    var items = audit.items;
    var itemById = audit.itemById;
    var ratingLabels = audit.ratingLabels;
    var labelOf = audit.labelOf;
    var current = audit.current;
    var setPrevious = audit.setPrevious;
    var showProblems = audit.showProblems;
    var showMessage = audit.showMessage;
    var problemText = audit.problemText;
    var percentText = audit.percentText;
    var gapRating = audit.gapRating;
    var download = audit.download;
    var dataNode = byId("fg-audit-data");

    // -- legal duties and guidelines (the check step) ----------------------------------------------------
    // Each duty or guideline lists the items that bear on it (data-framework-items, in checklist order):
    // how many of those that apply are fully in place, and which are gaps (anything less, or not yet
    // answered), as the board report's section on them counts.
    var topRating = data.scale[data.scale.length - 1].id;
    var frameworkRows = Array.prototype.slice.call(document.querySelectorAll("[data-framework-items]"));

    function showFrameworks(result) {
      var given = audit.doc().answers;
      frameworkRows.forEach(function (row) {
        var ids = row.getAttribute("data-framework-items").split(" ").filter(function (id) {
          return itemById[id] && result.not_in_profile.indexOf(id) === -1 && result.not_applicable.indexOf(id) === -1;
        });
        var gaps = ids.filter(function (id) {
          return (given[id] || {}).rating !== topRating;
        });
        var standing = row.querySelector('[data-role="standing"]');
        standing.textContent = "";
        row.classList.toggle("fg-audit-frameworks__gap", gaps.length > 0);
        if (!ids.length) {
          standing.textContent = "no related item applies to your forum.";
          return;
        }
        standing.appendChild(document.createTextNode((ids.length - gaps.length) + " of " + ids.length + " related item" +
          (ids.length === 1 ? "" : "s") + " " + ratingLabels[topRating].toLowerCase() + (gaps.length ? ". Gaps: " : ".")));
        gaps.forEach(function (id, i) {
          standing.appendChild(el("a", { href: audit.itemHref(id) }, itemById[id].question));
          standing.appendChild(document.createTextNode(" (" + (result.critical_gaps.indexOf(id) !== -1 ? "critical gap, " : "") +
            labelOf((given[id] || {}).rating).toLowerCase() + ")" + (i === gaps.length - 1 ? "." : "; ")));
        });
      });
    }
    if (frameworkRows.length) audit.onRefresh(showFrameworks);

    // -- where to carry on (the overview) ------------------------------------------------------------------
    // Once something is entered, the overview's first button leads to the first step not yet complete.
    var resume = byId("fg-audit-resume");
    var startWith = resume ? { href: resume.href, text: resume.textContent } : null;
    function showResume() {
      var open = data.steps.filter(function (step) {
        var tag = document.querySelector('.fg-audit-tasks [data-task="' + step.task + '"]');
        return tag && tag.getAttribute("data-state") !== "done";
      });
      var next = open[0] || data.steps[data.steps.length - 1];
      var started = A.hasContent(audit.doc());
      resume.href = started ? new URL(next.url, audit.siteRoot).href : startWith.href;
      resume.textContent = started ? (open.length ? "Continue with " : "Go on to ") + next.title.charAt(0).toLowerCase() + next.title.slice(1) : startWith.text;
    }
    if (resume) audit.onRefresh(showResume);

    // Scripts that only one action needs are added to the page when that action is first used, so that the
    // page stays light: the YAML reader (js-yaml) when a file that is not JSON is imported (most imports
    // are the JSON this page exports), the team merge when several files are combined.
    var lazyScripts = {};

    function loadScript(url, globalName) {
      if (!lazyScripts[globalName]) {
        lazyScripts[globalName] = new Promise(function (resolve) {
          if (window[globalName] || !url) {
            resolve(window[globalName] || null);
            return;
          }
          var tag = el("script", { src: new URL(url, window.location.href).href });
          tag.addEventListener("load", function () {
            resolve(window[globalName] || null);
          });
          tag.addEventListener("error", function () {
            delete lazyScripts[globalName]; // try again next time
            resolve(null);
          });
          document.head.appendChild(tag);
        });
      }
      return lazyScripts[globalName];
    }

    function loadYamlReader() {
      return loadScript(dataNode.getAttribute("data-yaml-reader"), "jsyaml");
    }

    function loadMerge() {
      return loadScript(dataNode.getAttribute("data-merge-script"), "forumguideMerge");
    }

    function unreadable() {
      return { error: "The file could not be read." };
    }

    /* The text of a chosen file → a promise of {doc} or {error}: JSON at once, anything else through the
       YAML reader (A.parse explains when the reader could not be loaded). */
    function parseFile(text) {
      var parsed = A.parse(text);
      if (!parsed.error || !text.trim() || /^\s*[[{]/.test(text.replace(/^\ufeff/, ""))) {
        return Promise.resolve(parsed);
      }
      return loadYamlReader().then(function (yaml) {
        return A.parse(text, yaml);
      });
    }

    // -- export -----------------------------------------------------------------------------------------
    function outgoing() {
      var out = A.normalise(data, audit.doc());
      out.guidance_version = data.guidance_version;
      return out;
    }

    /* The document to send or save, or null after showing what must be corrected first. */
    function checkedOutgoing(title) {
      var out = outgoing();
      var checked = A.check(data, out);
      if (checked.errors.length) {
        audit.showAllErrors();
        showProblems("error", title, ["Correct these first. Your answers are still saved in this browser."], checked.errors, { link: true });
        return null;
      }
      return out;
    }

    function slug(text) {
      return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40).replace(/-+$/, "");
    }

    function fileName(prefix, extension) {
      var doc = audit.doc();
      var name = slug(doc.forum || doc.organisation || "");
      return prefix + (name ? "-" + name : "") + (A.isDate(doc.date) ? "-" + doc.date : "") + "." + extension;
    }


    on("fg-audit-export", "click", function () {
      var out = checkedOutgoing("Your answers were not exported");
      if (!out) return;
      var name = fileName("forumguide-answers", "json");
      download(new Blob([JSON.stringify(out, null, 2) + "\n"], { type: "application/json" }), name);
      showMessage("success", "Answers exported", ["Your browser saved them as " + name + " (usually in your downloads folder). " +
        "Import the file here to carry on, or use it with the command line."]);
    });

    // -- import -----------------------------------------------------------------------------------------
    on("fg-audit-import", "click", function () {
      ui.importFile.click();
    });

    on("fg-audit-import-file", "change", function () {
      var file = ui.importFile.files && ui.importFile.files[0];
      ui.importFile.value = "";
      if (!file) return;
      var name = file.name;
      var refused = "“" + name + "” was not imported";
      var unchanged = "Your saved answers are unchanged.";
      if (file.size > data.max_file_bytes) {
        showMessage("error", refused, ["The file is larger than " + data.max_file_bytes / 1000 + " kB, too large for an answers file. " + unchanged]);
        return;
      }
      file.text().then(parseFile, unreadable).then(function (parsed) {
        if (parsed.error) {
          showMessage("error", refused, [parsed.error, unchanged]);
          return;
        }
        var checked = A.check(data, parsed.doc);
        if (checked.errors.length) {
          var count = checked.errors.length;
          showProblems("error", refused, ["It has " + count + " problem" + (count === 1 ? "" : "s") + ", listed below. Correct them in the file and import it again. " +
            unchanged], checked.errors);
          return;
        }
        var ask = A.hasContent(audit.doc()) ? confirmStep("Replace your current answers?",
          "Importing “" + name + "” replaces all your answers, on every page of the audit, with the answers in the file. Export your current answers first if you may need them.",
          "Replace my answers", "Keep my answers") : Promise.resolve(true);
        ask.then(function (yes) {
          if (!yes) {
            showMessage("info", "Nothing was imported", [unchanged]);
            return;
          }
          var result = audit.replace(current(parsed.doc));
          var answered = data.items.length - result.not_in_profile.length - result.unanswered.length;
          var lines = ["Imported the answers in “" + name + "”: " + answered + " item" + (answered === 1 ? "" : "s") + " answered."];
          if (checked.warnings.length) {
            lines.push("Please note:");
          }
          showProblems(checked.warnings.length ? "warning" : "success", "Answers imported", lines, checked.warnings, { link: true });
        });
      });
    });

    // -- confirmation ----------------------------------------------------------------------------------
    function confirmStep(title, text, yesLabel, noLabel) {
      var dialog = ui.dialog;
      var opener = document.activeElement;
      if (!dialog || typeof dialog.showModal !== "function") {
        return Promise.resolve(window.confirm(title + "\n\n" + text));
      }
      byId("fg-audit-dialog-title").textContent = title;
      byId("fg-audit-dialog-text").textContent = text;
      var yes = byId("fg-audit-dialog-yes");
      var no = byId("fg-audit-dialog-no");
      yes.textContent = yesLabel;
      no.textContent = noLabel;
      return new Promise(function (resolve) {
        function finish(answer) {
          yes.removeEventListener("click", onYes);
          no.removeEventListener("click", onNo);
          dialog.removeEventListener("close", onClose);
          if (dialog.open) dialog.close();
          if (opener && typeof opener.focus === "function" && document.contains(opener)) opener.focus();
          resolve(answer);
        }
        function onYes() {
          finish(true);
        }
        function onNo() {
          finish(false);
        }
        function onClose() {
          finish(false); // Escape, or the dialog closed some other way
        }
        yes.addEventListener("click", onYes);
        no.addEventListener("click", onNo);
        dialog.addEventListener("close", onClose);
        dialog.showModal();
        no.focus(); // the safe choice first
      });
    }

    on("fg-audit-reset", "click", function () {
      confirmStep("Delete all your answers?",
        "This deletes the forum profile, every rating, note and action of your audit (on all its pages) from this browser. " +
        "Export your answers first if you may need them. This cannot be undone.",
        "Delete my answers", "Keep my answers").then(function (yes) {
        if (!yes) return;
        audit.clear();
        showMessage("success", "All answers deleted", ["The page is empty again. Start with the forum profile."]);
      });
    });

    // -- board report -------------------------------------------------------------------------------
    var serviceKnown = null; // null: not asked yet; true/false once /api/status has answered

    function reportService() {
      if (serviceKnown !== null) return Promise.resolve(serviceKnown);
      return fetch(new URL("api/status", audit.siteRoot), { method: "GET", cache: "no-store", credentials: "same-origin" }).then(function (response) {
        if (!response.ok) return false;
        return response.json().then(function (body) {
          return Boolean(body && body.service === "forumguide" && body.report === true);
        }, function () {
          return false;
        });
      }, function () {
        return null; // unreachable: ask again next time
      }).then(function (present) {
        serviceKnown = present === null ? null : present;
        return Boolean(present);
      });
    }

    function staticHelp() {
      var command = el("pre");
      command.appendChild(el("code", {}, "forumguide report " + fileName("forumguide-answers", "json") + " -o report.pdf"));
      showProblems("info", "The board report needs the report service", [
        "This copy of the site has no report service, so it cannot make the PDF here. Your answers have not been sent anywhere.",
        "To make the board report on a computer with forumguide installed (see its README), export your answers and run:",
        command,
        "Or print a summary of your answers from this browser; to keep it as a file, choose “Save as PDF” as the printer."
      ], null, { button: { label: "Print a summary", action: printSummary } });
    }

    var busy = false;
    on("fg-audit-report", "click", function () {
      if (busy) return;
      var out = checkedOutgoing("The board report cannot be made yet");
      if (!out) return;
      busy = true;
      ui.reportButton.setAttribute("aria-disabled", "true");
      showMessage("progress", "Making your board report…", ["This usually takes a few seconds."]);
      reportService().then(function (present) {
        if (!present) {
          staticHelp();
          return null;
        }
        return fetch(new URL("api/report", audit.siteRoot), {
          method: "POST",
          cache: "no-store",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(audit.previous() ? { current: out, previous: audit.previous() } : out)
        }).then(handleReport, function () {
          showMessage("error", "The report service could not be reached", [
            "Check your connection and try again, or export your answers and make the report with the command line."]);
        });
      }).then(function () {
        busy = false;
        ui.reportButton.removeAttribute("aria-disabled");
      });
    });

    function handleReport(response) {
      if (response.ok) {
        return response.blob().then(function (blob) {
          var name = fileName("board-report", "pdf");
          download(new Blob([blob], { type: "application/pdf" }), name);
          showMessage("success", "Board report downloaded", ["Your browser saved it as " + name + ". The report service kept no copy of your answers."]);
        });
      }
      return response.json().then(function (body) {
        return body;
      }, function () {
        return {};
      }).then(function (body) {
        var message = body && typeof body.message === "string" ? body.message : "";
        if (response.status === 400) {
          var problems = (body && Array.isArray(body.problems) ? body.problems : []).filter(function (p) {
            return p && p.severity !== "warning";
          }).map(function (p) {
            return { field: String(p.field || ""), message: String(p.message || p.text || "") };
          });
          showProblems("error", "The report service could not use your answers", [message || "The answers were refused."], problems, { link: true });
        } else if (response.status === 503) {
          var wait = response.headers.get("Retry-After");
          showMessage("error", "The report service is busy", [message || "Please try again shortly.",
            wait && /^\d+$/.test(wait) ? "Try again in about " + wait + " seconds." : ""].filter(Boolean));
        } else if (response.status === 413) {
          showMessage("error", "Your answers are too large to send", [message]);
        } else {
          showMessage("error", "The report could not be made", [message || "The report service answered with an error (HTTP " + response.status + ")."]);
        }
      });
    }

    // -- printable summary ---------------------------------------------------------------------------
    function buildPrintSummary() {
      var doc = audit.doc();
      var result = S.score(data, doc);
      var box = ui.print;
      box.textContent = "";
      box.appendChild(el("h1", {}, "Self-audit summary" + (doc.forum ? ": " + doc.forum : "")));
      var about = el("dl");
      var method = data.assessment.filter(function (m) {
        return m.id === doc.assessment;
      })[0] || data.assessment[0];
      [["Organisation", doc.organisation], ["Forum", doc.forum], ["Assessors", doc.assessors.join("; ")],
        ["How the audit was done", method.label], ["Date of the audit", doc.date], ["Guidance version", data.guidance_version]].forEach(function (row) {
        about.appendChild(el("dt", {}, row[0]));
        about.appendChild(el("dd", {}, row[1] || "Not given"));
      });
      box.appendChild(about);

      box.appendChild(el("h2", {}, "Scores"));
      var scores = el("dl");
      scores.appendChild(el("dt", {}, "Overall"));
      scores.appendChild(el("dd", {}, percentText(result.overall, result)));
      data.aims.forEach(function (aim) {
        scores.appendChild(el("dt", {}, aim.label));
        scores.appendChild(el("dd", {}, percentText(result.aims[aim.id], null)));
      });
      result.areas.forEach(function (area) {
        scores.appendChild(el("dt", {}, "Theory area " + area.number + ": " + area.name));
        scores.appendChild(el("dd", {}, percentText(area, null)));
      });
      box.appendChild(scores);
      box.appendChild(el("p", {}, ui.progressText.textContent));

      box.appendChild(el("h2", {}, "Critical gaps"));
      if (result.critical_gaps.length) {
        var gaps = el("ul");
        result.critical_gaps.forEach(function (id) {
          gaps.appendChild(el("li", {}, itemById[id].question + " (" + gapRating(result, id) + ")"));
        });
        box.appendChild(gaps);
      } else {
        box.appendChild(el("p", {}, "None."));
      }

      var excluded = {};
      result.not_in_profile.forEach(function (id) {
        excluded[id] = true;
      });
      data.areas.forEach(function (area) {
        box.appendChild(el("h2", {}, "Theory area " + area.number + ": " + area.name));
        var list = el("dl", { "class": "fg-audit-print__items" });
        items.forEach(function (it) {
          if (it.data.theory_area !== area.number || excluded[it.data.id]) return;
          var entry = doc.answers[it.data.id] || {};
          list.appendChild(el("dt", {}, it.question + (it.data.critical ? " (safety-critical)" : "")));
          list.appendChild(el("dd", {}, "Rating: " + (entry.rating ? ratingLabels[entry.rating] || entry.rating : "not answered yet")));
          if (entry.reason) list.appendChild(el("dd", {}, "Why it does not apply: " + entry.reason));
          if (entry.notes) list.appendChild(el("dd", {}, "Notes: " + entry.notes));
          if (entry.owner || entry.due) {
            list.appendChild(el("dd", {}, "Action: " + [entry.owner ? "owner " + entry.owner : "", entry.due ? "due " + entry.due : ""].filter(Boolean).join(", ")));
          }
        });
        box.appendChild(list);
      });
      if (result.not_in_profile.length) {
        box.appendChild(el("h2", {}, "Left out by the forum profile"));
        var left = el("ul");
        result.not_in_profile.forEach(function (id) {
          left.appendChild(el("li", {}, itemById[id].question));
        });
        box.appendChild(left);
      }
      box.appendChild(el("p", {}, "Scores follow the method on this site's “How scoring works” page; the checklist and scoring are the project's " +
        "interpretation of the research, not clinical advice. For the full board report, run: forumguide report answers.json -o report.pdf"));
    }

    function printSummary() {
      if (ui.print) buildPrintSummary();
      window.print();
    }

    on("fg-audit-print-button", "click", printSummary);
    // Printing a page that has the summary's box prints the summary (audit.css: fg-audit-print-summary);
    // the other pages print as they are.
    if (ui.print) {
      window.addEventListener("beforeprint", buildPrintSummary);
      document.documentElement.classList.add("fg-audit-print-summary");
    }


    on("fg-audit-previous-load", "click", function () {
      ui.previousFile.click();
    });
    on("fg-audit-previous-file", "change", function () {
      var file = ui.previousFile.files && ui.previousFile.files[0];
      ui.previousFile.value = "";
      if (!file) return;
      readAnswersFile(file).then(function (read) {
        if (read.problems) {
          showProblems("error", "“" + file.name + "” was not loaded as your last audit", read.lines.concat(["Your answers are unchanged."]), read.problems);
          return;
        }
        try {
          window.localStorage.setItem(audit.previousKey, JSON.stringify(A.normalise(data, read.doc)));
        } catch (exc) { /* kept for this visit only */ }
        setPrevious(read.doc);
        showProblems(read.warnings.length ? "warning" : "success", "Last audit loaded", ["“" + file.name + "” is kept beside your answers, not mixed with them. " +
          "The board report will show the change since then."].concat(read.warnings.length ? ["Please note:"] : []), read.warnings);
      });
    });
    on("fg-audit-previous-remove", "click", function () {
      try {
        window.localStorage.removeItem(audit.previousKey);
      } catch (exc) { /* nothing stored */ }
      setPrevious(null);
      showMessage("success", "Last audit removed", ["Your own answers are unchanged."]);
    });

    /* A file → {doc, warnings} when it is a sound answers file, else {problems, lines}. */
    function readAnswersFile(file) {
      if (file.size > data.max_file_bytes) {
        return Promise.resolve({ problems: [], lines: ["The file is larger than " + data.max_file_bytes / 1000 + " kB, too large for an answers file."] });
      }
      return file.text().then(parseFile, unreadable).then(function (parsed) {
        if (parsed.error) return { problems: [], lines: [parsed.error] };
        var checked = A.check(data, parsed.doc);
        if (checked.errors.length) {
          return { problems: checked.errors, lines: ["It has " + checked.errors.length + " problem" + (checked.errors.length === 1 ? "" : "s") + ", listed below."] };
        }
        return { doc: parsed.doc, warnings: checked.warnings };
      });
    }


    // -- a team's files combined -----------------------------------------------------------------------
    var combined = null;

    on("fg-audit-merge-load", "click", function () {
      ui.mergeFile.click();
    });

    on("fg-audit-merge-file", "change", function () {
      var files = Array.prototype.slice.call(ui.mergeFile.files || []);
      ui.mergeFile.value = "";
      if (!files.length) return;
      if (files.length < 2) {
        showMessage("error", "Choose at least two files", ["Combining needs the answers files of two or more assessors. Nothing was changed."]);
        return;
      }
      Promise.all([loadMerge(), Promise.all(files.map(readAnswersFile))]).then(function (loaded) {
        var M = loaded[0];
        var reads = loaded[1];
        if (!M) {
          showMessage("error", "The files could not be combined", ["This page could not load the part that combines files. Check the connection and try again. Your answers are unchanged."]);
          return;
        }
        var bad = [];
        reads.forEach(function (read, i) {
          if (read.problems) {
            bad.push(el("p", {}, "“" + files[i].name + "”: " + read.lines.join(" ")));
            if (read.problems.length) {
              var list = el("ul");
              read.problems.forEach(function (problem) {
                list.appendChild(el("li", {}, problemText(problem)));
              });
              bad.push(list);
            }
          }
        });
        if (bad.length) {
          showProblems("error", "The files were not combined", ["Correct these files and choose them again. Your answers are unchanged."].concat(bad), null);
          return;
        }
        var rule = (document.querySelector('input[name="fg-audit-rule"]:checked') || { value: "lowest" }).value;
        combined = M.merge(data, reads.map(function (read, i) {
          return { file: files[i].name, answers: current(read.doc) };
        }), rule);
        var check = A.check(data, combined.answers);
        if (check.errors.length) {
          showProblems("error", "The combined answers break a limit of the answers file", ["Shorten the text in one of the files and combine them again. Your answers are unchanged."], check.errors);
          combined = null;
          return;
        }
        showCombined(files, rule);
      });
    });

    function showCombined(files, rule) {
      var box = ui.mergeResult;
      var found = combined.disagreements;
      box.textContent = "";
      box.appendChild(el("h3", { id: "fg-audit-merge-heading" }, "Combined " + files.length + " files: " + found.length + " disagreement" + (found.length === 1 ? "" : "s")));
      box.appendChild(el("p", {}, "Sources: " + combined.answers.merge.sources.map(function (s) {
        return s.name + " (" + s.file + ")";
      }).join("; ") + "."));
      if (found.length) {
        var list = el("ul", { "class": "fg-audit-merge-list" });
        found.forEach(function (d) {
          var question = d.question ? data.profile.filter(function (q) {
            return q.id === d.question;
          })[0] : null;
          var name = d.item ? (itemById[d.item] ? itemById[d.item].question : d.item) : "Forum profile: " + (question ? question.question : d.question);
          var said = d.views.map(function (v) {
            var value = Array.isArray(v.value) ? v.value.join(", ") : v.value;
            return v.by + ": " + (d.item ? labelOf(value).toLowerCase() : value || "not answered");
          }).join("; ");
          var chosen = d.chosen === null ? "left unanswered, to settle" : "taken: " + (d.item ? labelOf(d.chosen).toLowerCase() : [].concat(d.chosen).join(", "));
          list.appendChild(el("li", {}, name + " — " + said + " (" + chosen + ")"));
        });
        box.appendChild(list);
      } else {
        box.appendChild(el("p", {}, "The assessors agreed on every answer."));
      }
      box.appendChild(el("p", {}, rule === "lowest" ? "Where they disagreed, the lowest rating given was taken." :
        "Where they disagreed, the item is left unanswered: settle it together and rate it on the item's page (“Check your answers” lists each one)."));
      var use = el("button", { type: "button", "class": "md-button md-button--primary" }, "Use the combined answers");
      var cancel = el("button", { type: "button", "class": "md-button" }, "Cancel");
      use.addEventListener("click", function () {
        var ask = A.hasContent(audit.doc()) ? confirmStep("Replace your current answers?", "The combined answers replace all your answers, on every page of the audit. Export your current answers first if you may need them.",
          "Replace my answers", "Keep my answers") : Promise.resolve(true);
        ask.then(function (yes) {
          if (!yes) return;
          audit.replace(A.normalise(data, combined.answers));
          combined = null;
          box.hidden = true;
          showMessage("success", "Combined answers in use", ["The disagreements are marked on their items and listed under “Check your answers”. The board report names the assessors and shows them."]);
        });
      });
      cancel.addEventListener("click", function () {
        combined = null;
        box.hidden = true;
      });
      var buttons = el("p", { "class": "fg-audit-actions" });
      buttons.appendChild(use);
      buttons.appendChild(document.createTextNode(" "));
      buttons.appendChild(cancel);
      box.appendChild(buttons);
      box.hidden = false;
      box.focus();
    }
  }

  // checklist.js makes the audit live first (it is loaded before this script) and says when it is ready.
  if (window.forumguideAudit) {
    start(window.forumguideAudit);
  } else {
    document.addEventListener("forumguide-audit-ready", function () {
      start(window.forumguideAudit);
    }, { once: true });
  }
})();
