/* The answers file in the browser: check it and write it in a fixed order.
 *
 * Pure: no DOM, no storage, no network. The answers file (schema/answers.schema.json, format
 * "forumguide-answers/1") is the contract between this page, the command line and the report service.
 * `check` applies the rules of forumguide.answers.check_document that matter to a person importing a
 * file: the format string, field types and lengths, dates, known profile questions and options, known
 * checklist items, valid ratings, and a reason for every "not applicable". As in Python, any schema
 * problem stops the check before the meaning checks, and a different guidance version is a warning.
 * Field names and limits are read from the answers schema itself (data.answers_schema; the page embeds it),
 * so no limit is typed twice. tests/test_checklist_parity.py checks that it accepts and refuses the same
 * files as Python.
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
  // The parts of an answer in the order files are written; every one is described by the schema.
  var ANSWER_PARTS = ["rating", "reason", "notes", "evidence", "owner", "due", "target"];

  /* What the checks need from the answers schema (schema/answers.schema.json, which the page embeds with
     the scoring data as data.answers_schema): field names and size limits. No limit is typed here;
     tests/test_checklist_parity.py fails if one is. */
  function rules(schema) {
    var p = schema.properties;
    var answer = p.answers.additionalProperties.properties;
    var profileValue = p.profile.additionalProperties.anyOf; // one option id, or a list of them
    return {
      top: Object.keys(p),
      required: schema.required,
      parts: Object.keys(answer),
      targetParts: Object.keys(answer.target.properties),
      limits: {
        organisation: p.organisation.maxLength, forum: p.forum.maxLength, assessment: p.assessment.maxLength, assessor: p.assessors.items.maxLength,
        assessors: p.assessors.maxItems, profileQuestions: p.profile.maxProperties, profileValue: profileValue[0].maxLength,
        profileList: profileValue[1].maxItems, profileListValue: profileValue[1].items.maxLength,
        answers: p.answers.maxProperties, rating: answer.rating.maxLength,
        notes: answer.notes.maxLength, reason: answer.reason.maxLength, owner: answer.owner.maxLength,
        evidence: answer.evidence.maxItems, evidenceItem: answer.evidence.items.maxLength,
        targetRating: answer.target.properties.rating.maxLength
      },
      merge: p.merge
    };
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

  /* A small JSON Schema check for the machine-written `merge` record: the keywords its schema uses
     (type, enum, required, additionalProperties, properties, items, minItems, maxItems, maxLength,
     anyOf, oneOf). Calls error(path, message) for the first problem on each branch. */
  function schemaCheck(schema, value, path, error) {
    function type(v) {
      if (v === null) return "null";
      if (Array.isArray(v)) return "array";
      return typeof v === "object" ? "object" : typeof v;
    }
    function fits(s, v) {
      var found = [];
      schemaCheck(s, v, path, function (where, message) {
        found.push([where, message]);
      });
      return found;
    }
    if (schema.anyOf || schema.oneOf) {
      var options = schema.anyOf || schema.oneOf;
      var passing = options.filter(function (s) {
        return fits(s, value).length === 0;
      }).length;
      if (schema.anyOf ? passing === 0 : passing !== 1) {
        // As in Python: the problems of the branch made for the value's own type, when there is one.
        var branch = schema.anyOf ? options.filter(function (s) {
          return s.type === type(value);
        })[0] : null;
        if (branch) {
          schemaCheck(branch, value, path, error);
        } else {
          error(path, "This does not have the form the answers file expects here (" + kind(value) + ").");
        }
        return;
      }
    }
    var expected = schema.type;
    if (expected && (Array.isArray(expected) ? expected : [expected]).indexOf(type(value)) === -1) {
      error(path, "This should be " + ({ object: "a mapping", array: "a list", string: "text", "null": "empty" }[expected] || expected) +
        ", but it is " + kind(value) + ".");
      return;
    }
    if (schema["enum"] && schema["enum"].indexOf(value) === -1) {
      error(path, quote(value) + " is not allowed here. Use one of: " + schema["enum"].join(", ") + ".");
      return;
    }
    if (typeof value === "string" && schema.maxLength && length(value) > schema.maxLength) {
      error(path, "This is too long: at most " + schema.maxLength + " characters are allowed (it has " + length(value) + ").");
    }
    if (Array.isArray(value)) {
      if (schema.maxItems !== undefined && value.length > schema.maxItems) error(path, "This list allows at most " + schema.maxItems + " entries.");
      if (schema.minItems !== undefined && value.length < schema.minItems) error(path, "This list needs at least " + schema.minItems + " entries.");
      if (schema.items) {
        value.forEach(function (v, i) {
          schemaCheck(schema.items, v, path.concat([i]), error);
        });
      }
    }
    if (type(value) === "object") {
      (schema.required || []).forEach(function (name) {
        if (!own(value, name)) error(path.concat([name]), "The required field '" + name + "' is missing.");
      });
      Object.keys(value).forEach(function (name) {
        if (schema.properties && own(schema.properties, name)) {
          schemaCheck(schema.properties[name], value[name], path.concat([name]), error);
        } else if (schema.additionalProperties === false) {
          error(path.concat([name]), "The field '" + name + "' is not known here (check its spelling, or remove it).");
        }
      });
    }
  }

  /* Check an answers document against the answers schema (data.answers_schema) and the scoring data.
     options.draft: an audit still being filled in (the page's own saved copy), where an empty date and
     a "not applicable" still waiting for its reason are allowed.
     Returns {errors: [{field, message}], warnings: [{field, message}]}. */
  function check(data, doc, options) {
    var draft = Boolean(options && options.draft);
    var R = rules(data.answers_schema);
    var LIMITS = R.limits, TOP = R.top;
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
    R.required.forEach(function (name) {
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
    ["organisation", "forum", "assessment"].forEach(function (name) {
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
              text(["profile", q, i], option, LIMITS.profileListValue);
            });
            var seen = {};
            value.forEach(function (option) {
              var key = JSON.stringify(option);
              if (seen[key]) error(["profile", q], "This list names the same answer more than once (" + quote(option) + ").");
              seen[key] = true;
            });
          } else if (typeof value !== "string" && value !== null) {
            error(["profile", q], "This should be an answer (text) or a list of answers, but it is " + kind(value) + ".");
          } else if (value !== null) {
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
            error(["answers", id], "This should be a mapping (" + R.parts.join(", ") + "), but it is " + kind(answer) + ".");
            return;
          }
          Object.keys(answer).forEach(function (part) {
            if (R.parts.indexOf(part) === -1) {
              error(["answers", id, part], "The field '" + part + "' is not known in an answer (use " + R.parts.join(", ") + ").");
            }
          });
          ["rating", "notes", "reason", "owner"].forEach(function (part) {
            if (own(answer, part) && !(part === "rating" && answer[part] === null)) text(["answers", id, part], answer[part], LIMITS[part]);
          });
          if (own(answer, "due") && text(["answers", id, "due"], answer.due) && !isDate(answer.due)) {
            error(["answers", id, "due"], quote(answer.due) + " is not a valid date. Write it as year-month-day, for example 2027-03-31.");
          }
          if (own(answer, "evidence")) {
            if (!Array.isArray(answer.evidence)) {
              error(["answers", id, "evidence"], "This should be a list of document names or links, but it is " + kind(answer.evidence) + ".");
            } else {
              if (answer.evidence.length > LIMITS.evidence) error(["answers", id, "evidence"], "This list allows at most " + LIMITS.evidence + " entries.");
              answer.evidence.forEach(function (entry, i) {
                if (text(["answers", id, "evidence", i], entry, LIMITS.evidenceItem) && entry.length === 0) {
                  error(["answers", id, "evidence", i], "This must not be empty.");
                }
              });
            }
          }
          if (own(answer, "target")) {
            var target = answer.target;
            if (!isObject(target)) {
              error(["answers", id, "target"], "This should be a mapping (rating and date), but it is " + kind(target) + ".");
            } else {
              Object.keys(target).forEach(function (part) {
                if (R.targetParts.indexOf(part) === -1) {
                  error(["answers", id, "target", part], "The field '" + part + "' is not known in a target (use " + R.targetParts.join(" and ") + ").");
                }
              });
              if (own(target, "rating")) text(["answers", id, "target", "rating"], target.rating, LIMITS.targetRating);
              if (own(target, "date") && text(["answers", id, "target", "date"], target.date) && !isDate(target.date)) {
                error(["answers", id, "target", "date"], quote(target.date) + " is not a valid date. Write it as year-month-day, for example 2027-06-30.");
              }
            }
          }
        });
      }
    }
    if (own(doc, "merge")) schemaCheck(R.merge, doc.merge, ["merge"], error);
    if (errors.length) {
      return { errors: errors, warnings: warnings };
    }

    // -- the meaning, against the scoring data ---------------------------------------------------------
    var version = doc.guidance_version, current = data.guidance_version;
    var up = upgrade(data, doc);
    if (version !== current) {
      var sameMajor = version.split(".")[0] === current.split(".")[0];
      add(warnings, ["guidance_version"], "These answers were made against guidance version " + version +
        "; this is version " + current + ". " + (sameMajor ? "Wording may have changed; scores are comparable." :
        up.known ? "Its items and scoring differ: the answers were read with this version's changes, and the items " +
          "noted need answering again before the scores can be relied on." :
        "Items, weights or the answer scale may have changed: review the answers before relying on the scores."));
    }
    up.notes.forEach(function (note) {
      add(warnings, note.path, note.message);
    });
    doc = up.doc;
    if (own(doc, "assessment")) {
      var methods = data.assessment.map(function (m) {
        return m.id;
      });
      if (methods.indexOf(doc.assessment) === -1) {
        error(["assessment"], quote(doc.assessment) + " is not a way of doing the audit." + suggest(doc.assessment, methods) +
          " Use one of: " + methods.join(", ") + ".");
      }
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
      if (value === null) return; // not answered yet
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
    var ratings = scoring.ratingIds(data).slice(0, -1); // the scale and "don't know"
    var values = {};
    data.scale.forEach(function (r) {
      values[r.id] = r.value;
    });
    var na = data.not_applicable.id;
    Object.keys(doc.answers).forEach(function (id) {
      var answer = doc.answers[id];
      if (!own(items, id)) {
        error(["answers", id], "There is no checklist item '" + id + "'." + suggest(id, Object.keys(items)) +
          " Its answer cannot be scored; correct the id or remove the answer.");
        return;
      }
      var rating = own(answer, "rating") && answer.rating !== null ? answer.rating : undefined;
      if (rating !== undefined && ratings.indexOf(rating) === -1 && rating !== na) {
        error(["answers", id, "rating"], quote(rating) + " is not a rating." + suggest(rating, ratings.concat([na])) +
          " Use one of: " + ratings.concat([na]).join(", ") + ".");
      }
      if (rating === na && items[id].critical) {
        error(["answers", id, "rating"], criticalNotApplicableMessage(data, items[id]));
      } else if (rating === na && !String(own(answer, "reason") ? answer.reason : "").trim() && !draft) {
        error(["answers", id, "reason"], "'Not applicable' needs a written reason: say why this does not apply to your forum.");
      }
      if (!scoring.applies(items[id], doc.profile) && (rating || answer.notes)) {
        add(warnings, ["answers", id], "This item does not apply to the forum profile you gave; the answer is kept but not scored.");
      }
      var target = isObject(answer.target) && own(answer.target, "rating") ? answer.target.rating : undefined;
      if (target !== undefined && !own(values, target)) {
        error(["answers", id, "target", "rating"], quote(target) + " is not a rating to aim for." + suggest(target, Object.keys(values)) +
          " Use one of: " + Object.keys(values).join(", ") + ".");
      } else if (target !== undefined && own(values, rating) && values[target] <= values[rating]) {
        add(warnings, ["answers", id, "target", "rating"], "The target is not above the current rating, so the roadmap shows no step for this item.");
      }
    });
    if (isObject(doc.merge) && Array.isArray(doc.merge.disagreements)) {
      doc.merge.disagreements.forEach(function (d, i) {
        if (own(d, "item") ? !own(items, d.item) : !own(questions, d.question)) {
          add(warnings, ["merge", "disagreements", i], "This disagreement names an item or profile question this guidance does " +
            "not have; the report leaves it out.");
        }
      });
    }
    return { errors: errors, warnings: warnings };
  }

  /* Why a safety-critical item cannot be "not applicable", and which profile answer to change instead
     (Python: forumguide.answers.critical_not_applicable_message). */
  function criticalNotApplicableMessage(data, item) {
    var na = data.not_applicable.label;
    var questions = Object.keys(item.applies_if || {});
    if (!questions.length) {
      return "This item is safety-critical and applies to every forum, so it cannot be marked '" + na + "'. Rate it: '" +
        data.scale[0].label + "' if nothing is done yet, or '" + data.dont_know.label + "'.";
    }
    var named = questions.map(function (q) {
      var found = data.profile.filter(function (p) {
        return p.id === q;
      })[0];
      return "'" + (found ? found.question : q) + "' (" + q + ")";
    }).join(" and ");
    return "This item is safety-critical, so it cannot be marked '" + na + "'. It applies because of your forum profile: " +
      "if it truly does not apply, change your answer to " + named + " instead. Otherwise rate it ('" + data.dont_know.label + "' is allowed).";
  }

  /* Answers made against an earlier major version, read as this version's answers (Python:
     forumguide.answers.upgrade): items renamed, replaced, changed or removed are mapped as the scoring
     data's upgrades say. Returns {doc, notes: [{path, message}], known: whether a mapping exists}. */
  function upgrade(data, doc) {
    var major = String(doc.guidance_version || "").split(".")[0];
    var steps = (data.upgrades || []).filter(function (u) {
      return u.from_major === major;
    });
    if (!steps.length || major === data.guidance_version.split(".")[0]) {
      return { doc: doc, notes: [], known: false };
    }
    var out = JSON.parse(JSON.stringify(doc));
    var given = out.answers;
    var notes = [];
    var version = data.guidance_version;
    function kept(answer) {
      var copy = {};
      ["notes", "owner", "due"].forEach(function (part) {
        if (own(answer, part)) copy[part] = answer[part];
      });
      return copy;
    }
    steps[0].items.forEach(function (change) {
      var old = change.id;
      if (!own(doc.answers, old)) return; // only answers as written: not ones this loop has just carried over
      var answer = JSON.parse(JSON.stringify(doc.answers[old]));
      delete given[old];
      var where = ["answers", old];
      if (change.change === "renamed") {
        if (!own(given, change.to[0])) given[change.to[0]] = answer;
        notes.push({ path: where, message: "In guidance " + version + " this item is '" + change.to[0] + "'; the answer was carried over." });
      } else if (change.change === "replaced") {
        change.to.forEach(function (id) {
          if (!own(given, id)) given[id] = kept(answer);
        });
        notes.push({ path: where, message: "In guidance " + version + " this item is replaced by " + change.to.join(", ") +
          ". Answer them again; the notes, owner and due date were copied." });
      } else if (change.change === "changed") {
        var rest = kept(answer);
        if (Object.keys(rest).length) given[old] = rest;
        notes.push({ path: where, message: "This item changed in guidance " + version + ": rate it again (the notes are kept)." });
      } else {
        notes.push({ path: where, message: "This item is no longer in guidance " + version + "; its answer is not used." });
      }
    });
    return { doc: out, notes: notes, known: true };
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
      assessment: own(doc, "assessment") ? doc.assessment : data.assessment[0].id,
      date: own(doc, "date") ? doc.date : "",
      profile: {},
      answers: {}
    };
    if (isObject(doc.merge)) out.merge = doc.merge;
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
        var empty = value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0) ||
          (isObject(value) && Object.keys(value).length === 0);
        if (!empty) entry[part] = value;
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
      assessment: data.assessment[0].id, date: date || "", profile: {}, answers: {} };
  }

  /* Whether a person has entered anything (the date and version alone do not count). */
  function hasContent(doc) {
    return Boolean(doc.organisation || doc.forum || (doc.assessors && doc.assessors.length) ||
      Object.keys(doc.profile || {}).length || Object.keys(doc.answers || {}).length);
  }

  /* Text of a file → {doc} or {error: a sentence for a person}. JSON always; YAML when `yaml` (js-yaml) is
     given, read as the command line reads it: dates stay text (the core schema), and anchors and aliases
     are refused (forumguide.yamlsource). */
  function parse(text, yaml) {
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (!text.trim()) {
      return { error: "The file is empty." };
    }
    try {
      return { doc: JSON.parse(text) };
    } catch (exc) {
      var looksYaml = /^\s*(#|format\s*:|---)/.test(text);
      if (!yaml) {
        if (looksYaml) {
          return { error: "This looks like a YAML answers file, and this page could not load its YAML reader. Import the JSON " +
            "file this page exports, or use the command line (forumguide report answers.yaml -o report.pdf)." };
        }
        return { error: "The file is not valid JSON, so it may be damaged or incomplete (" + exc.message + ")." };
      }
      if (!looksYaml && /^\s*[[{]/.test(text)) {
        return { error: "The file is not valid JSON, so it may be damaged or incomplete (" + exc.message + ")." };
      }
      try {
        var doc = yaml.load(text, {
          schema: yaml.CORE_SCHEMA,
          listener: function (event, state) {
            if (event === "close" && state.anchor !== null && state.anchor !== undefined) {
              throw new Error("anchors and aliases (& and *) are not allowed");
            }
          }
        });
        if (doc === null || doc === undefined) return { error: "The file is empty." };
        return { doc: doc };
      } catch (yamlError) {
        var where = yamlError.mark ? " on line " + (yamlError.mark.line + 1) : "";
        var reason = yamlError.reason || yamlError.message;
        return { error: "The file is not valid YAML" + where + ": " + reason + ". It may be damaged or incomplete." };
      }
    }
  }

  return { FORMAT: FORMAT, check: check, upgrade: upgrade, normalise: normalise, emptyDocument: emptyDocument, hasContent: hasContent,
    parse: parse, isDate: isDate };
});
