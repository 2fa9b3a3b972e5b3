// The search page (/<lang>/search/): folds the query with memorialFold (the build's own rules,
// prepended to this file) and looks the words up in the shards the build wrote. No framework.
(function () {
  "use strict";
  var configElement = document.getElementById("search-config");
  if (!configElement) return;
  var config = JSON.parse(configElement.textContent);
  var form = document.querySelector("form.search");
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var PAGE = 20, MAX_SHARDS = 12;
  var cache = {};
  var results = [], shown = 0, sequence = 0, timer = 0;

  function load(path) {
    if (!cache[path]) {
      cache[path] = fetch(config.data + path).then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + path);
        return response.json();
      });
      cache[path].catch(function () { delete cache[path]; });
    }
    return cache[path];
  }

  // The shards that can hold keys equal to or starting with a word: the one whose prefix the
  // word starts with, and those whose prefix starts with the word. When there are too many of
  // the latter (a short word in a big archive, "Ли"), the word's own shard alone: it holds the
  // exact key.
  function shardsFor(word) {
    var own = "", wanted = [];
    config.shards.forEach(function (prefix) {
      if (word.indexOf(prefix) === 0) {
        if (prefix.length > own.length) own = prefix;
      } else if (prefix.indexOf(word) === 0) {
        wanted.push(prefix);
      }
    });
    if (wanted.length >= MAX_SHARDS) {
      if (!own) return null;  // too short a word for so big an archive
      wanted = [];
    }
    if (own) wanted.push(own);
    return wanted;
  }

  // For a second try when nothing was found: the shards of the word's two-letter group whose
  // prefix is one slip from the word's beginning, so a slip past the second letter is found
  // however finely the archive's shards are split.
  function nearShardsFor(word) {
    var near = shardsFor(word) || [];
    config.shards.forEach(function (prefix) {
      if (near.length >= MAX_SHARDS || near.indexOf(prefix) >= 0) return;
      if (prefix.length <= 2 || prefix.slice(0, 2) !== word.slice(0, 2)) return;
      for (var cut = prefix.length - 1; cut <= prefix.length + 1; cut++) {
        if (cut <= word.length && oneEditApart(prefix, word.slice(0, cut))) { near.push(prefix); return; }
      }
    });
    return near;
  }

  // At most one letter inserted, removed, replaced, or two neighbours swapped.
  function oneEditApart(a, b) {
    if (Math.abs(a.length - b.length) > 1) return false;
    var i = 0, j = 0, edits = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { i++; j++; continue; }
      if (++edits > 1) return false;
      if (a.length === b.length && a[i] === b[j + 1] && a[i + 1] === b[j]) { i += 2; j += 2; }
      else if (a.length > b.length) i++;
      else if (b.length > a.length) j++;
      else { i++; j++; }
    }
    return edits + (a.length - i) + (b.length - j) <= 1;
  }

  // Exact 6, prefix 4, one slip 2 (the surname bonus of 1 never lifts a match a level).
  function score(key, word) {
    if (key === word) return 6;
    if (key.indexOf(word) === 0) return 4;
    if (word.length < 4) return 0;
    if (oneEditApart(key, word)) return 2;
    for (var cut = word.length - 1; cut <= word.length + 1; cut++) {
      if (cut < key.length && oneEditApart(key.slice(0, cut), word)) return 2;
    }
    return 0;
  }

  // Case number -> best score of one word of the query. The query's first word scores 1 more
  // where it is the surname: "Bukeikhanov Alikhan" ranks the Bukeikhanovs first.
  function matches(word, shards, first) {
    var found = new Map();
    shards.forEach(function (shard) {
      Object.keys(shard).forEach(function (key) {
        var base = score(key, word);
        if (!base) return;
        var runs = shard[key];
        for (var r = 0; r < runs.length; r += 3) {
          var value = base + (first && runs[r + 2] ? 1 : 0);
          for (var n = runs[r], end = runs[r] + runs[r + 1]; n < end; n++) {
            if (!(found.get(n) >= value)) found.set(n, value);
          }
        }
      });
    });
    return found;
  }

  function setStatus(text) { status.textContent = text; }

  // Words of one letter say too little, unless the script writes a syllable in one (김).
  function searchable(word) { return word.length >= 2 || word.charCodeAt(0) > 0x7f; }

  function search(query) {
    var id = ++sequence;
    var words = memorialFold(query).filter(searchable);
    list.textContent = "";
    more.hidden = true;
    results = [];
    shown = 0;
    if (!words.length) {
      setStatus(query.trim() ? config.strings.searchHint : "");
      return Promise.resolve();
    }
    if (words.map(shardsFor).some(function (shards) { return !shards; })) {
      setStatus(config.strings.searchHint);
      return Promise.resolve();
    }
    setStatus(config.strings.searchLoading);
    return find(words, shardsFor).then(function (found) {
      if (found.length || !words.some(function (word) { return word.length >= 4; })) return found;
      return find(words, nearShardsFor);
    }).then(function (found) {
      if (id !== sequence) return;
      results = found;
      // Names one slip away are offered as similar, after the matches, never counted as found:
      // a name that is not in the archive must not read as found.
      var exact = found.filter(function (result) { return !result[2]; }).length;
      var similar = found.length - exact;
      setStatus(!found.length ? config.strings.searchNone
        : !similar ? config.strings.searchFound.replace("{n}", exact)
        : !exact ? config.strings.searchSimilar.replace("{n}", similar)
        : config.strings.searchFoundSimilar.replace("{n}", exact).replace("{similar}", similar));
      return showMore(id, false);
    }).catch(function () {
      if (id === sequence) setStatus(config.strings.searchFailed);
    });
  }

  // [score, case number, similar] of the cases that match every word, best first; `similar`
  // when a word matched only one slip away (a score under a prefix's 4).
  function find(words, shardsOf) {
    return Promise.all(words.map(function (word) {
      return Promise.all(shardsOf(word).map(function (prefix) { return load("k/" + encodeURIComponent(prefix) + ".json"); }));
    })).then(function (loaded) {
      var perWord = loaded.map(function (shards, index) { return matches(words[index], shards, index === 0); });
      perWord.sort(function (a, b) { return a.size - b.size; });
      var found = [];
      perWord[0].forEach(function (value, number) {
        var total = value, lowest = value;
        for (var w = 1; w < perWord.length; w++) {
          var other = perWord[w].get(number);
          if (other === undefined) return;
          total += other;
          lowest = Math.min(lowest, other);
        }
        found.push([total, number, lowest < 4]);
      });
      return found.sort(function (a, b) { return a[2] - b[2] || b[0] - a[0] || a[1] - b[1]; });
    });
  }

  // Shows the next results; `focus` (after "Show more") moves keyboard focus to the first new
  // one, as the button may hide itself.
  function showMore(id, focus) {
    var page = results.slice(shown, shown + PAGE);
    shown += page.length;
    more.disabled = true;
    var chunks = [];
    page.forEach(function (result) {
      var chunk = Math.floor(result[1] / config.chunk);
      if (chunks.indexOf(chunk) < 0) chunks.push(chunk);
    });
    return Promise.all(chunks.map(function (chunk) { return load("r/" + chunk + ".json"); })).then(function (loaded) {
      if (id !== sequence) return;
      var first = null;
      page.forEach(function (result) {
        var rows = loaded[chunks.indexOf(Math.floor(result[1] / config.chunk))];
        var row = rows[result[1] % config.chunk];
        var item = document.createElement("li");
        if (result[2]) item.className = "similar";
        var link = document.createElement("a");
        link.className = "name";
        link.href = config.cases + row[0] + "/";
        link.textContent = row[1];
        if (row[4]) link.lang = row[4];
        item.appendChild(link);
        [[row[2], "lifespan"], [row[3], "people"]].forEach(function (part) {
          if (!part[0]) return;
          var span = document.createElement("span");
          span.className = part[1];
          span.textContent = part[0];
          item.appendChild(document.createTextNode(" "));
          item.appendChild(span);
        });
        list.appendChild(item);
        first = first || link;
      });
      more.hidden = shown >= results.length;
      more.disabled = false;
      if (focus && first) first.focus();
    }, function (error) {
      if (id !== sequence) return;
      shown -= page.length;
      more.disabled = false;
      setStatus(config.strings.searchFailed);
    });
  }

  // The query in this page's address, and in the language links' (the search pages of the
  // other languages read it too): switching language keeps the search.
  function remember(query) {
    var suffix = query.trim() ? "?q=" + encodeURIComponent(query.trim()) : "";
    history.replaceState(null, "", location.pathname + suffix);
    document.querySelectorAll("nav.langs a[hreflang]").forEach(function (link) {
      link.href = link.href.split("?")[0] + suffix;
    });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { remember(input.value); search(input.value); }, 150);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    remember(input.value);
    search(input.value);
  });
  more.addEventListener("click", function () { if (!more.disabled) showMore(sequence, true); });

  var initial = new URLSearchParams(location.search).get("q");
  if (initial) {
    input.value = initial;
    remember(initial);
    search(initial);
  }
  window.memorialSearch = search;
})();
