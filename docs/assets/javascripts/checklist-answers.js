/* The answers file in the browser: check it and write it in a fixed order.
 *
 * Pure: no DOM, no storage, no network. The answers file (schema/answers.schema.json, format
 * "forumguide-answers/1") is the contract between this page, the command line and the report service.
 * `check` applies the rules of forumguide.answers.check_document that matter to a person importing a
 * file: the format string, field types and lengths, dates, known profile questions and options, known
 * checklist items, valid ratings, and a reason for every "not applicable". As in Python, any schema
 * problem stops the check before the meaning checks, and a different guidance version is a warning.
 * tests/test_checklist_parity.py checks that it accepts and refuses the same files as Python.
 *
 * Browser: window.forumguideAnswers (load checklist-score.js first). Node: require("./checklist-answers.js").
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module && module.exports) {
    module.exports = factory(require("./checklist-score.js"));
  } else {
    root.forumguideAnswers = factory(root.forumguideScore);
  }
})(typeof self !== "undefined" ? self : this, function (scoring) {
  "use strict";

  var FORMAT = "forumguide-answers/1";
  var TOP = ["format", "guidance_version", "organisation", "forum", "assessors", "date", "profile", "answers"];
  var ANSWER_PARTS = ["rating", "notes", "reason", "owner", "due"];

  /* The size limits of an answers file, read from the answers schema itself (schema/answers.schema.json,
     which the page embeds with the scoring data as data.answers_schema): no limit is typed here.
     tests/test_checklist_parity.py fails if one is. */
  function limitsOf(schema) {
    var fields = schema.properties;
    var profileAnswer = fields.profile.additionalProperties.anyOf; // one option id, or a list of them
    var parts = fields.answers.additionalProperties.properties;
    var limits = {
      organisation: fields.organisation.maxLength, forum: fields.forum.maxLength,
      assessors: fields.assessors.maxItems, assessor: fields.assessors.items.maxLength,
      profileQuestions: fields.profile.maxProperties, profileValue: profileAnswer[0].maxLength,
      profileList: profileAnswer[1].maxItems, answers: fields.answers.maxProperties
    };
    Object.keys(parts).forEach(function (part) {
      limits[part] = parts[part].maxLength;
    });
    return limits;
  }

  function own(object, key) {
    return isObject(object) && Object.prototype.hasOwnProperty.call(object, key);
  }

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  /* Length in characters (code points), as JSON Schema counts it. */
  function length(text) {
    return Array.from(text).length;
  }

  function quote(value) {
    var text = typeof value === "string" ? value : JSON.stringify(value);
    if (text === undefined) {
      text = String(value);
    }
    return "'" + (text.length > 60 ? text.slice(0, 57) + "..." : text) + "'";
  }

  function kind(value) {
    if (value === null) return "empty (null)";
    if (Array.isArray(value)) return "a list";
    if (typeof value === "object") return "a mapping";
    if (typeof value === "string") return "text";
    if (typeof value === "number") return "a number";
    if (typeof value === "boolean") return "true or false";
    return typeof value;
  }

  /* A calendar date written YYYY-MM-DD (JSON Schema's "date" format). */
  function isDate(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!m) return false;
    var year = Number(m[1]), month = Number(m[2]), day = Number(m[3]);
    if (year < 1 || month < 1 || month > 12 || day < 1) return false;
    var days = new Date(Date.UTC(2024, month, 0)).getUTCDate(); // days in that month in a leap year
    if (month === 2 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) days = 28;
    return day <= days;
  }

  function field(path) {
    var out = "";
    path.forEach(function (part) {
      if (typeof part === "number") {
        out += "[" + part + "]";
      } else {
        out += out ? "." + part : String(part);
      }
    });
    return out || "(whole file)";
  }

  /* Close matches, as Python's difflib suggests them: here, the option sharing the longest prefix. */
  function suggest(word, options) {
    if (typeof word !== "string") return "";
    var best = null, bestScore = 0;
    options.forEach(function (option) {
      var n = 0;
      while (n < word.length && n < option.length && word[n] === option[n]) n++;
      if (n > bestScore) {
        best = option;
        bestScore = n;
      }
    });
    return best && bestScore >= Math.min(4, Math.ceil(word.length / 2)) ? " Did you mean '" + best + "'?" : "";
  }

  /* Check an answers document. options.draft: an audit still being filled in (the page's own saved
     copy), where an empty date and a "not applicable" still waiting for its reason are allowed.
     Returns {errors: [{field, message}], warnings: [{field, message}]}. */
  function check(data, doc, options) {
    var draft = Boolean(options && options.draft);
    var LIMITS = limitsOf(data.answers_schema);
    var errors = [], warnings = [];
    function add(list, path, message) {
      list.push({ field: field(path), message: message });
    }
    function error(path, message) {
      add(errors, path, message);
    }

    if (!isObject(doc) || doc.format !== FORMAT) {
      error(["format"], "This is not a forumguide answers file: it should have \"format\": \"" + FORMAT + "\". " +
        "Export answers from this page, or start from a file in the project's examples/ folder.");
      return { errors: errors, warnings: warnings };
    }

    // -- the schema --------------------------------------------------------------------------------
    TOP.forEach(function (name) {
      if (!own(doc, name)) error([name], "The required field '" + name + "' is missing.");
    });
    Object.keys(doc).forEach(function (name) {
      if (TOP.indexOf(name) === -1) error([name], "The field '" + name + "' is not known in an answers file (check its spelling, or remove it).");
    });
    function text(path, value, max) {
      if (typeof value !== "string") {
        error(path, "This should be text, but it is " + kind(value) + ".");
        return false;
      }
      if (max && length(value) > max) {
        error(path, "This is too long: at most " + max + " characters are allowed (it has " + length(value) + ").");
        return false;
      }
      return true;
    }
    if (own(doc, "guidance_version") && text(["guidance_version"], doc.guidance_version) &&
        !/^[0-9]+\.[0-9]+$/.test(doc.guidance_version)) {
      error(["guidance_version"], quote(doc.guidance_version) + " is not a guidance version such as '1.0'.");
    }
    ["organisation", "forum"].forEach(function (name) {
      if (own(doc, name)) text([name], doc[name], LIMITS[name]);
    });
    if (own(doc, "assessors")) {
      if (!Array.isArray(doc.assessors)) {
        error(["assessors"], "This should be a list of names, but it is " + kind(doc.assessors) + ".");
      } else {
        if (doc.assessors.length > LIMITS.assessors) error(["assessors"], "This list allows at most " + LIMITS.assessors + " entries.");
        doc.assessors.forEach(function (name, i) {
          if (text(["assessors", i], name, LIMITS.assessor) && name.length === 0) error(["assessors", i], "This must not be empty.");
        });
      }
    }
    if (own(doc, "date") && text(["date"], doc.date) && !isDate(doc.date) && !(draft && doc.date === "")) {
      error(["date"], doc.date === "" ? "Enter the date of the audit." :
        quote(doc.date) + " is not a valid date. Write it as year-month-day, for example 2026-10-14.");
    }
    if (own(doc, "profile")) {
      if (!isObject(doc.profile)) {
        error(["profile"], "This should be a mapping of profile questions to answers, but it is " + kind(doc.profile) + ".");
      } else {
        var questionIds = Object.keys(doc.profile);
        if (questionIds.length > LIMITS.profileQuestions) error(["profile"], "The profile has too many questions.");
        questionIds.forEach(function (q) {
          var value = doc.profile[q];
          if (Array.isArray(value)) {
            if (value.length > LIMITS.profileList) error(["profile", q], "This list allows at most " + LIMITS.profileList + " entries.");
            value.forEach(function (option, i) {
              text(["profile", q, i], option, LIMITS.profileValue);
            });
            var seen = {};
            value.forEach(function (option) {
              var key = JSON.stringify(option);
              if (seen[key]) error(["profile", q], "This list names the same answer more than once (" + quote(option) + ").");
              seen[key] = true;
            });
          } else if (typeof value !== "string") {
            error(["profile", q], "This should be an answer (text) or a list of answers, but it is " + kind(value) + ".");
          } else {
            text(["profile", q], value, LIMITS.profileValue);
          }
        });
      }
    }
    if (own(doc, "answers")) {
      if (!isObject(doc.answers)) {
        error(["answers"], "This should be a mapping of checklist items to answers, but it is " + kind(doc.answers) + ".");
      } else {
        var answerIds = Object.keys(doc.answers);
        if (answerIds.length > LIMITS.answers) error(["answers"], "There are too many answers (at most " + LIMITS.answers + ").");
        answerIds.forEach(function (id) {
          var answer = doc.answers[id];
          if (!isObject(answer)) {
            error(["answers", id], "This should be a mapping (rating, notes, reason, owner, due), but it is " + kind(answer) + ".");
            return;
          }
          Object.keys(answer).forEach(function (part) {
            if (ANSWER_PARTS.indexOf(part) === -1) {
              error(["answers", id, part], "The field '" + part + "' is not known in an answer (use rating, notes, reason, owner or due).");
            }
          });
          ["rating", "notes", "reason", "owner"].forEach(function (part) {
            if (own(answer, part)) text(["answers", id, part], answer[part], LIMITS[part]);
          });
          if (own(answer, "due") && text(["answers", id, "due"], answer.due) && !isDate(answer.due)) {
            error(["answers", id, "due"], quote(answer.due) + " is not a valid date. Write it as year-month-day, for example 2027-03-31.");
          }
        });
      }
    }
    if (errors.length) {
      return { errors: errors, warnings: warnings };
    }

    // -- the meaning, against the scoring data ---------------------------------------------------------
    var version = doc.guidance_version, current = data.guidance_version;
    if (version !== current) {
      var sameMajor = version.split(".")[0] === current.split(".")[0];
      add(warnings, ["guidance_version"], "These answers were made against guidance version " + version +
        "; this is version " + current + ". " + (sameMajor ? "Wording may have changed; scores are comparable." :
        "Items, weights or the answer scale may have changed: review the answers before relying on the scores."));
    }

    var questions = {};
    data.profile.forEach(function (q) {
      questions[q.id] = q;
    });
    Object.keys(doc.profile).forEach(function (q) {
      if (!own(questions, q)) {
        error(["profile", q], "'" + q + "' is not a profile question." + suggest(q, Object.keys(questions)) +
          " The questions are: " + Object.keys(questions).join(", ") + ".");
        return;
      }
      var value = doc.profile[q];
      var options = questions[q].options.map(function (o) {
        return o.id;
      });
      if (Array.isArray(value) && !questions[q].multiple) error(["profile", q], "'" + q + "' takes one answer, not a list.");
      (Array.isArray(value) ? value : [value]).forEach(function (option, i) {
        if (options.indexOf(option) === -1) {
          error(Array.isArray(value) ? ["profile", q, i] : ["profile", q], quote(option) + " is not an answer to '" + q + "'." +
            suggest(option, options) + " Use one of: " + options.join(", ") + ".");
        }
      });
    });

    var items = {};
    data.items.forEach(function (item) {
      items[item.id] = item;
    });
    var ratings = data.scale.map(function (r) {
      return r.id;
    });
    var na = data.not_applicable.id;
    Object.keys(doc.answers).forEach(function (id) {
      var answer = doc.answers[id];
      if (!own(items, id)) {
        error(["answers", id], "There is no checklist item '" + id + "'." + suggest(id, Object.keys(items)) +
          " Its answer cannot be scored; correct the id or remove the answer.");
        return;
      }
      var rating = own(answer, "rating") ? answer.rating : undefined;
      if (rating !== undefined && ratings.indexOf(rating) === -1 && rating !== na) {
        error(["answers", id, "rating"], quote(rating) + " is not a rating." + suggest(rating, ratings.concat([na])) +
          " Use one of: " + ratings.concat([na]).join(", ") + ".");
      }
      if (rating === na && !String(own(answer, "reason") ? answer.reason : "").trim() && !draft) {
        error(["answers", id, "reason"], "'Not applicable' needs a written reason: say why this does not apply to your forum.");
      }
      if (!scoring.applies(items[id], doc.profile) && (rating || answer.notes)) {
        add(warnings, ["answers", id], "This item does not apply to the forum profile you gave; the answer is kept but not scored.");
      }
    });
    return { errors: errors, warnings: warnings };
  }

  /* The document in the order the schema lists its fields, profile questions and items in checklist
     order, and empty optional fields left out. Nothing else is changed, so writing a normalised
     document and reading it back gives the same document. */
  function normalise(data, doc) {
    var out = {
      format: FORMAT,
      guidance_version: own(doc, "guidance_version") ? doc.guidance_version : data.guidance_version,
      organisation: own(doc, "organisation") ? doc.organisation : "",
      forum: own(doc, "forum") ? doc.forum : "",
      assessors: Array.isArray(doc.assessors) ? doc.assessors.slice() : [],
      date: own(doc, "date") ? doc.date : "",
      profile: {},
      answers: {}
    };
    var profile = isObject(doc.profile) ? doc.profile : {};
    var order = data.profile.map(function (q) {
      return q.id;
    });
    Object.keys(profile).forEach(function (q) {
      if (order.indexOf(q) === -1) order.push(q);
    });
    order.forEach(function (q) {
      if (!own(profile, q)) return;
      var value = profile[q];
      if (value === "" || value === null || (Array.isArray(value) && value.length === 0)) return;
      out.profile[q] = Array.isArray(value) ? value.slice() : value;
    });
    var answers = isObject(doc.answers) ? doc.answers : {};
    var ids = data.items.map(function (item) {
      return item.id;
    });
    Object.keys(answers).forEach(function (id) {
      if (ids.indexOf(id) === -1) ids.push(id);
    });
    ids.forEach(function (id) {
      if (!own(answers, id) || !isObject(answers[id])) return;
      var entry = {};
      ANSWER_PARTS.forEach(function (part) {
        var value = answers[id][part];
        if (value !== undefined && value !== null && value !== "") entry[part] = value;
      });
      Object.keys(answers[id]).forEach(function (part) {
        if (ANSWER_PARTS.indexOf(part) === -1) entry[part] = answers[id][part];
      });
      if (Object.keys(entry).length) out.answers[id] = entry;
    });
    return out;
  }

  /* A new, empty audit. */
  function emptyDocument(data, date) {
    return { format: FORMAT, guidance_version: data.guidance_version, organisation: "", forum: "", assessors: [],
      date: date || "", profile: {}, answers: {} };
  }

  /* Whether a person has entered anything (the date and version alone do not count). */
  function hasContent(doc) {
    return Boolean(doc.organisation || doc.forum || (doc.assessors && doc.assessors.length) ||
      Object.keys(doc.profile || {}).length || Object.keys(doc.answers || {}).length);
  }

  /* Text of a file → {doc} or {error: a sentence for a person}. */
  function parse(text) {
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (!text.trim()) {
      return { error: "The file is empty." };
    }
    try {
      return { doc: JSON.parse(text) };
    } catch (exc) {
      if (/^\s*(#|format\s*:|---)/.test(text)) {
        return { error: "This looks like a YAML answers file. This page reads answers files in JSON, like the ones it " +
          "exports; the command line reads both (forumguide report answers.yaml -o report.pdf)." };
      }
      return { error: "The file is not valid JSON, so it may be damaged or incomplete (" + exc.message + ")." };
    }
  }

  return { FORMAT: FORMAT, check: check, normalise: normalise, emptyDocument: emptyDocument, hasContent: hasContent,
    parse: parse, isDate: isDate };
});
