/* A team's answers files combined in the browser: the twin of forumguide.merge (Python).
 *
 * Pure: no DOM, no storage, no network. `merge(data, sources, rule)` takes checked answers documents
 * ({file, answers} each) and returns {answers, disagreements, details}, where answers is the merged
 * document with its `merge` record (sources, rule, disagreements), exactly as `forumguide merge`
 * writes it. tests/test_checklist_parity.py runs both on the same files and compares the results.
 * The rules are described in src/forumguide/merge.py.
 *
 * Browser: window.forumguideMerge. Node: require("./checklist-merge.js").
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module && module.exports) {
    module.exports = factory();
  } else {
    root.forumguideMerge = factory();
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var RULES = ["lowest", "unresolved"];
  var FIRST_GIVEN = ["owner", "due", "target"];

  function own(object, key) {
    return object !== null && typeof object === "object" && Object.prototype.hasOwnProperty.call(object, key);
  }

  function unique(values) {
    var seen = {}, out = [];
    values.forEach(function (v) {
      var key = JSON.stringify(v);
      if (!seen[key]) {
        seen[key] = true;
        out.push(v);
      }
    });
    return out;
  }

  /* Each source's name: its assessors, or its file name when it names none; made unique. */
  function sourceNames(sources) {
    var names = [];
    sources.forEach(function (s) {
      var name = s.name || (s.answers.assessors || []).join("; ") || s.file;
      if (names.indexOf(name) !== -1) name = name + " (" + s.file + ")";
      names.push(name);
    });
    return names;
  }

  function versionKey(version) {
    return version.split(".").map(Number);
  }

  function newerVersion(a, b) {
    var x = versionKey(a), y = versionKey(b);
    for (var i = 0; i < Math.max(x.length, y.length); i++) {
      if ((x[i] || 0) !== (y[i] || 0)) return (x[i] || 0) > (y[i] || 0) ? a : b;
    }
    return a;
  }

  function profileValue(value) {
    return value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0) ? null : value;
  }

  function asSetKey(value) {
    return JSON.stringify((Array.isArray(value) ? value : [value]).slice().sort());
  }

  function disagreement(views, chosen, key, id) {
    var out = {};
    out[key] = id;
    out.views = views.map(function (v) {
      return { by: v[0], value: v[1] };
    });
    out.chosen = chosen;
    return out;
  }

  function mergeProfile(data, sources, names, rule, result) {
    var profile = {};
    data.profile.forEach(function (question) {
      var views = sources.map(function (s, i) {
        return [names[i], profileValue((s.answers.profile || {})[question.id])];
      });
      var given = views.map(function (v) {
        return v[1];
      }).filter(function (v) {
        return v !== null;
      });
      if (!given.length) return;
      if (unique(given.map(asSetKey)).length === 1) {
        profile[question.id] = given[0];
        return;
      }
      var chosen = null;
      if (rule === "lowest" && question.multiple) {
        var all = {};
        given.forEach(function (v) {
          (Array.isArray(v) ? v : [v]).forEach(function (o) {
            all[o] = true;
          });
        });
        chosen = question.options.map(function (o) {
          return o.id;
        }).filter(function (id) {
          return all[id];
        });
      }
      if (chosen !== null) profile[question.id] = chosen;
      result.disagreements.push(disagreement(views, chosen, "question", question.id));
    });
    return profile;
  }

  /* The lowest rating on the scale; "don't know" counts as the bottom (it scores so), a definite
     rating winning a tie. null when no rating is on the scale. */
  function lowest(data, ratings) {
    var order = {};
    data.scale.forEach(function (r) {
      order[r.id] = [r.value, 0];
    });
    if (data.dont_know) order[data.dont_know.id] = [data.scale[0].value, 1];
    var best = null;
    ratings.forEach(function (r) {
      if (!own(order, r)) return;
      if (best === null || order[r][0] < order[best][0] || (order[r][0] === order[best][0] && order[r][1] < order[best][1])) best = r;
    });
    return best;
  }

  /* One text when every source that wrote something wrote the same; else each, headed by its source. */
  function combinedText(views) {
    var written = views.map(function (v) {
      return [v[0], (v[1] || "").trim()];
    }).filter(function (v) {
      return v[1];
    });
    if (!written.length) return null;
    if (unique(written.map(function (v) {
      return v[1];
    })).length === 1) return written[0][1];
    return written.map(function (v) {
      return v[0] + ": " + v[1];
    }).join("\n\n");
  }

  function mergeItem(data, itemId, entries, rule, result) {
    var answer = {};
    var na = data.not_applicable.id;
    var views = entries.map(function (e) {
      return [e[0], own(e[1], "rating") ? e[1].rating : null];
    });
    var given = unique(views.map(function (v) {
      return v[1];
    }).filter(function (r) {
      return r !== null && r !== undefined;
    }));
    var rating = given.length === 1 ? given[0] : null;
    if (given.length > 1) {
      rating = rule === "lowest" ? lowest(data, given) : null;
      result.disagreements.push(disagreement(views, rating, "item", itemId));
    }
    if (rating !== null) answer.rating = rating;
    if (rating === na) {
      var reason = combinedText(entries.filter(function (e) {
        return e[1].rating === rating;
      }).map(function (e) {
        return [e[0], e[1].reason || ""];
      }));
      if (reason) answer.reason = reason;
    }
    var notes = combinedText(entries.map(function (e) {
      var text = e[1].notes || "";
      // A "not applicable" reason the merged rating does not use is kept in the notes, not lost.
      if (rating !== na && e[1].rating === na && (e[1].reason || "").trim()) {
        text = (text + "\n(Rated “" + data.not_applicable.label + "” because: " + e[1].reason.trim() + ")").trim();
      }
      return [e[0], text];
    }));
    if (notes) answer.notes = notes;
    var evidence = unique([].concat.apply([], entries.map(function (e) {
      return e[1].evidence || [];
    })));
    if (evidence.length) answer.evidence = evidence;
    FIRST_GIVEN.forEach(function (part) {
      var partViews = entries.filter(function (e) {
        var v = e[1][part];
        return v !== undefined && v !== null && v !== "" && !(typeof v === "object" && !Object.keys(v).length);
      }).map(function (e) {
        return [e[0], e[1][part]];
      });
      if (!partViews.length) return;
      answer[part] = partViews[0][1];
      if (unique(partViews.map(function (v) {
        return v[1];
      })).length > 1) {
        result.details.push({ item: itemId, part: part, views: partViews });
      }
    });
    return answer;
  }

  /* One answers document from several checked ones ({file, answers[, name]}), with every disagreement. */
  function merge(data, sources, rule) {
    rule = rule || "lowest";
    if (RULES.indexOf(rule) === -1) throw new Error("Unknown rule '" + rule + "': use one of " + RULES.join(", ") + ".");
    if (sources.length < 2) throw new Error("Merging needs at least two answers files.");
    var names = sourceNames(sources);
    var result = { answers: null, disagreements: [], details: [] };
    function first(key) {
      for (var i = 0; i < sources.length; i++) {
        if (sources[i].answers[key]) return sources[i].answers[key];
      }
      return "";
    }
    var assessors = unique([].concat.apply([], sources.map(function (s) {
      return s.answers.assessors || [];
    })));
    var dates = sources.map(function (s) {
      return s.answers.date;
    }).filter(Boolean).sort();
    var versions = sources.map(function (s) {
      return s.answers.guidance_version;
    }).filter(Boolean);
    var profile = mergeProfile(data, sources, names, rule, result);

    var answers = {};
    var ids = data.items.map(function (item) {
      return item.id;
    });
    sources.forEach(function (s) {
      Object.keys(s.answers.answers || {}).forEach(function (id) {
        if (ids.indexOf(id) === -1) ids.push(id);
      });
    });
    ids.forEach(function (id) {
      var entries = sources.map(function (s, i) {
        return [names[i], (s.answers.answers || {})[id] || {}];
      });
      if (!entries.some(function (e) {
        return Object.keys(e[1]).length;
      })) return;
      var answer = mergeItem(data, id, entries, rule, result);
      if (Object.keys(answer).length) answers[id] = answer;
    });

    result.answers = {
      format: sources[0].answers.format || "forumguide-answers/1",
      guidance_version: versions.length ? versions.reduce(newerVersion) : data.guidance_version,
      organisation: first("organisation"),
      forum: first("forum"),
      assessors: assessors
    };
    if (first("assessment")) result.answers.assessment = first("assessment");
    Object.assign(result.answers, {
      date: dates.length ? dates[dates.length - 1] : "",
      profile: profile,
      answers: answers,
      merge: {
        rule: rule,
        sources: sources.map(function (s, i) {
          return { name: names[i], file: s.file };
        }),
        disagreements: result.disagreements
      }
    });
    return result;
  }

  return { RULES: RULES, merge: merge, sourceNames: sourceNames };
});
