/* The self-audit score in the browser: a twin of forumguide.scoring.score (src/forumguide/scoring.py).
 *
 * Pure: no DOM, no storage, no network. `score(data, answers)` takes the scoring data
 * (forumguide.scoring.scoring_data, published as data/scoring.json and embedded in the audit page)
 * and one answers document, and returns the same dict as the Python function. It does the same
 * arithmetic in the same order, so the floating-point results are identical; tests/test_checklist_parity.py
 * runs both on the same answers files and compares them. Change the two together.
 *
 * Browser: window.forumguideScore. Node: require("./checklist-score.js").
 */
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module && module.exports) {
    module.exports = api;
  } else {
    root.forumguideScore = api;
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var LISTS = ["critical_gaps", "unanswered", "unanswered_critical", "dont_know", "not_applicable", "not_in_profile"];

  function own(object, key) {
    return object !== null && typeof object === "object" && Object.prototype.hasOwnProperty.call(object, key);
  }

  /* An item applies unless the profile answers a question it depends on with none of the listed
     options. An unanswered profile question never excuses an item. */
  function applies(item, profile) {
    var conditions = item.applies_if || {};
    var questions = Object.keys(conditions);
    for (var q = 0; q < questions.length; q++) {
      var allowed = conditions[questions[q]];
      var given = own(profile, questions[q]) ? profile[questions[q]] : null;
      if (given === null || given === undefined || (Array.isArray(given) && given.length === 0)) {
        continue;
      }
      var chosen = Array.isArray(given) ? given : [given];
      var any = false;
      for (var c = 0; c < chosen.length; c++) {
        if (allowed.indexOf(chosen[c]) !== -1) {
          any = true;
          break;
        }
      }
      if (!any) {
        return false;
      }
    }
    return true;
  }

  /* Whole percent, halves rounded up (Python: math.floor(percent + 0.5)). */
  function displayPercent(percent) {
    return percent === null ? null : Math.floor(percent + 0.5);
  }

  function empty() {
    return { earned: 0, possible: 0, rated: 0, applicable: 0, blank: 0 };
  }

  /* Percent of the answered items, and the range it could reach once the blanks (`blank`, their
     total weight) are answered: all at the bottom of the scale, or all at the top. */
  function finish(acc) {
    var percent = acc.possible ? (100 * acc.earned) / acc.possible : null;
    var whole = acc.possible + acc.blank;
    var low = whole ? (100 * acc.earned) / whole : null;
    var high = whole ? (100 * (acc.earned + acc.blank)) / whole : null;
    return {
      earned: acc.earned,
      possible: acc.possible,
      rated: acc.rated,
      applicable: acc.applicable,
      blank: acc.blank,
      percent: percent,
      display: displayPercent(percent),
      range: { low: displayPercent(low), high: displayPercent(high) }
    };
  }

  /* Every answer an item can be given, in the order shown: the scale, "don't know", "not applicable". */
  function ratingIds(data) {
    return data.scale.map(function (r) {
      return r.id;
    }).concat([data.dont_know.id, data.not_applicable.id]);
  }

  function bandFor(data, display) {
    if (display === null) {
      return null;
    }
    var chosen = null;
    for (var i = 0; i < data.bands.length; i++) {
      if (display >= data.bands[i].min) {
        chosen = data.bands[i];
      }
    }
    return chosen ? { id: chosen.id, label: chosen.label } : null;
  }

  /* Score one answers document (already checked) against scoring data. */
  function score(data, answers) {
    var values = new Map();
    var top = -Infinity;
    var gapRatings = new Set();
    data.scale.forEach(function (r) {
      values.set(r.id, r.value);
      top = Math.max(top, r.value);
      if (r.critical_gap) gapRatings.add(r.id);
    });
    var dontKnow = data.dont_know.id;
    values.set(dontKnow, data.scale[0].value);
    gapRatings.add(dontKnow);
    var na = data.not_applicable.id;
    var profile = own(answers, "profile") ? answers.profile : {};
    var given = own(answers, "answers") ? answers.answers : {};

    var overall = empty();
    var areas = new Map();
    data.areas.forEach(function (a) {
      areas.set(a.number, empty());
    });
    var aims = {};
    data.aims.forEach(function (aim) {
      aims[aim.id] = empty();
    });
    var lists = {};
    LISTS.forEach(function (name) {
      lists[name] = [];
    });

    data.items.forEach(function (item) {
      if (!applies(item, profile)) {
        lists.not_in_profile.push(item.id);
        return;
      }
      var entry = own(given, item.id) ? given[item.id] : {};
      var rating = own(entry, "rating") ? entry.rating : undefined;
      var buckets = [overall, areas.get(item.theory_area)].concat(item.aims.map(function (a) {
        return aims[a];
      }));
      if (rating === na && !item.critical) {
        lists.not_applicable.push(item.id);
        return;
      }
      buckets.forEach(function (acc) {
        acc.applicable += 1;
      });
      if (typeof rating !== "string" || !values.has(rating)) {
        lists.unanswered.push(item.id);
        buckets.forEach(function (acc) {
          acc.blank += item.weight;
        });
        if (item.critical) {
          lists.unanswered_critical.push(item.id);
          lists.critical_gaps.push(item.id);
        }
        return;
      }
      var earned = (item.weight * values.get(rating)) / top;
      buckets.forEach(function (acc) {
        acc.earned += earned;
        acc.possible += item.weight;
        acc.rated += 1;
      });
      if (rating === dontKnow) {
        lists.dont_know.push(item.id);
      }
      if (item.critical && gapRatings.has(rating)) {
        lists.critical_gaps.push(item.id);
      }
    });

    var resultOverall = finish(overall);
    var complete = overall.rated * 100 >= data.completeness.min_answered_percent * overall.applicable;
    var result = {
      overall: resultOverall,
      band: complete ? bandFor(data, resultOverall.display) : null,
      areas: data.areas.map(function (a) {
        var done = finish(areas.get(a.number));
        return {
          number: a.number,
          name: a.name,
          earned: done.earned,
          possible: done.possible,
          rated: done.rated,
          applicable: done.applicable,
          blank: done.blank,
          percent: done.percent,
          display: done.display,
          range: done.range
        };
      }),
      aims: {}
    };
    data.aims.forEach(function (aim) {
      result.aims[aim.id] = finish(aims[aim.id]);
    });
    LISTS.forEach(function (name) {
      result[name] = lists[name];
    });
    result.complete = complete;
    result.answered = overall.rated;
    result.applicable = overall.applicable;
    result.range = resultOverall.range;
    return result;
  }

  return { score: score, applies: applies, displayPercent: displayPercent, bandFor: bandFor, ratingIds: ratingIds };
});
