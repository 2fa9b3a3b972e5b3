// "Cite this case": the citation stays plain, selectable text; this adds a copy button and the
// CSL-JSON and BibTeX downloads, made here from the page's own citation_* and Dublin Core tags
// (the fields Zotero reads), so that they cannot disagree with the page and cost the pages
// nothing: as data: links, they were a quarter of every case page's bytes.
(function () {
  "use strict";
  function meta(name) {
    var element = document.querySelector('meta[name="' + name + '"]');
    return element && element.content ? element.content : null;
  }

  // The citation as the tags give it: null for what the page does not say.
  function fields(actions) {
    var date = meta("citation_date");
    return {
      id: actions.getAttribute("data-file"),
      genre: actions.getAttribute("data-genre"),
      title: meta("citation_title"),
      exhibition: meta("DC.relation.ispartof"),
      publisher: meta("citation_publisher"),
      archive: meta("citation_archive"),
      archiveRef: meta("citation_archive_location"),
      language: meta("citation_language"),
      url: meta("citation_public_url"),
      date: date ? date.split("/").map(function (part) { return parseInt(part, 10); }) : null
    };
  }

  // One CSL-JSON item in an array, as citeproc and Zotero import it.
  function csl(c) {
    var item = { id: c.id, type: "webpage" };
    [["title", c.title], ["container-title", c.exhibition], ["publisher", c.publisher], ["genre", c.genre],
     ["archive", c.archive], ["archive_location", c.archiveRef], ["language", c.language], ["URL", c.url]]
      .forEach(function (pair) { if (pair[1]) item[pair[0]] = pair[1]; });
    if (c.date) item.issued = { "date-parts": [c.date] };
    return JSON.stringify([item], null, 2) + "\n";
  }

  // BibTeX's special characters as TeX writes them.
  function tex(value) {
    return value.replace(/[\\{}%&$#_^~]/g, function (character) {
      if (character === "\\") return "\\textbackslash{}";
      if (character === "^" || character === "~") return "\\" + character + "{}";
      return "\\" + character;
    });
  }

  var months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

  // One @misc entry; the title in double braces keeps its capitals.
  function bibtex(c) {
    var text = "@misc{" + c.id + ",\n";
    function field(name, value, open, close) {
      if (value) text += "  " + name + " = " + (open || "{") + tex(value) + (close || "}") + ",\n";
    }
    field("title", c.title, "{{", "}}");
    field("howpublished", c.exhibition);
    field("publisher", c.publisher);
    field("type", c.genre);
    field("note", [c.archive, c.archiveRef].filter(Boolean).join(", "));
    if (c.date) {
      text += "  year = {" + c.date[0] + "},\n";
      if (c.date.length > 1) text += "  month = " + months[c.date[1] - 1] + ",\n";
      if (c.date.length > 2) text += "  day = {" + c.date[2] + "},\n";
    }
    text += "  language = {" + c.language + "},\n";
    return text + "  url = {" + c.url + "}\n}\n";
  }

  var formats = {
    csl: { make: csl, suffix: ".json", type: "application/vnd.citationstyles.csl+json" },
    bibtex: { make: bibtex, suffix: ".bib", type: "application/x-bibtex" }
  };
  Array.prototype.forEach.call(document.querySelectorAll(".cite-actions[data-file]"), function (actions) {
    var citation = fields(actions);
    Array.prototype.forEach.call(actions.querySelectorAll("a[data-format]"), function (link) {
      var format = formats[link.getAttribute("data-format")];
      if (!format) return;
      link.href = "data:" + format.type + ";charset=utf-8," + encodeURIComponent(format.make(citation));
      link.download = citation.id + format.suffix;
      link.type = format.type;
    });
    actions.hidden = false;
  });

  var buttons = document.querySelectorAll("button[data-copy]");
  Array.prototype.forEach.call(buttons, function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) return;
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = button.getAttribute("data-done");
        setTimeout(function () { button.textContent = label; }, 2000);
      }, function () {
        var range = document.createRange();
        range.selectNodeContents(source);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      });
    });
  });
})();
