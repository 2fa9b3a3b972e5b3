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

  // The shards that can hold keys equal to, starting with, or one letter from a word.
  function shardsFor(word) {
    var own = "", wanted = [];
    config.shards.forEach(function (prefix) {
      if (word.indexOf(prefix) === 0) {
        if (prefix.length > own.length) own = prefix;
      } else if (prefix.indexOf(word) === 0) {
        wanted.push(prefix);
      }
    });
    if (own) wanted.push(own);
    return wanted;
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

  function score(key, word) {
    if (key === word) return 3;
    if (key.indexOf(word) === 0) return 2;
    if (word.length < 4) return 0;
    if (oneEditApart(key, word)) return 1;
    for (var cut = word.length - 1; cut <= word.length + 1; cut++) {
      if (cut < key.length && oneEditApart(key.slice(0, cut), word)) return 1;
    }
    return 0;
  }

  // Case number -> best score of one word of the query.
  function matches(word, shards) {
    var found = new Map();
    shards.forEach(function (shard) {
      Object.keys(shard).forEach(function (key) {
        var base = score(key, word);
        if (!base) return;
        var runs = shard[key];
        for (var r = 0; r < runs.length; r += 3) {
          var value = base + (base === 3 && runs[r + 2] ? 1 : 0);
          for (var n = runs[r], end = runs[r] + runs[r + 1]; n < end; n++) {
            if (!(found.get(n) >= value)) found.set(n, value);
          }
        }
      });
    });
    return found;
  }

  function setStatus(text) { status.textContent = text; }

  function search(query) {
    var id = ++sequence;
    var words = memorialFold(query).filter(function (word) { return word.length >= 2; });
    list.textContent = "";
    more.hidden = true;
    results = [];
    shown = 0;
    if (!words.length) {
      setStatus(query.trim() ? config.strings.searchHint : "");
      return Promise.resolve();
    }
    var lookups = words.map(shardsFor);
    if (lookups.some(function (shards) { return shards.length > MAX_SHARDS; })) {
      setStatus(config.strings.searchHint);
      return Promise.resolve();
    }
    setStatus(config.strings.searchLoading);
    return Promise.all(lookups.map(function (shards) {
      return Promise.all(shards.map(function (prefix) { return load("k/" + encodeURIComponent(prefix) + ".json"); }));
    })).then(function (loaded) {
      if (id !== sequence) return;
      var perWord = loaded.map(function (shards, index) { return matches(words[index], shards); });
      perWord.sort(function (a, b) { return a.size - b.size; });
      perWord[0].forEach(function (value, number) {
        var total = value;
        for (var w = 1; w < perWord.length; w++) {
          var other = perWord[w].get(number);
          if (other === undefined) return;
          total += other;
        }
        results.push([total, number]);
      });
      results.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
      setStatus(results.length ? config.strings.searchFound.replace("{n}", results.length) : config.strings.searchNone);
      return showMore(id);
    }).catch(function () {
      if (id === sequence) setStatus(config.strings.searchFailed);
    });
  }

  function showMore(id) {
    var page = results.slice(shown, shown + PAGE);
    var chunks = [];
    page.forEach(function (result) {
      var chunk = Math.floor(result[1] / config.chunk);
      if (chunks.indexOf(chunk) < 0) chunks.push(chunk);
    });
    return Promise.all(chunks.map(function (chunk) { return load("r/" + chunk + ".json"); })).then(function (loaded) {
      if (id !== sequence) return;
      page.forEach(function (result) {
        var rows = loaded[chunks.indexOf(Math.floor(result[1] / config.chunk))];
        var row = rows[result[1] % config.chunk];
        var item = document.createElement("li");
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
      });
      shown += page.length;
      more.hidden = shown >= results.length;
    });
  }

  function remember(query) {
    var url = location.pathname + (query.trim() ? "?q=" + encodeURIComponent(query.trim()) : "");
    history.replaceState(null, "", url);
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
  more.addEventListener("click", function () { showMore(sequence); });

  var initial = new URLSearchParams(location.search).get("q");
  if (initial) {
    input.value = initial;
    search(initial);
  }
  window.memorialSearch = search;
})();
