/* Statistics (plugins/stats). Enhancement only: every page works without it.
   - fills the sidebar counter and "Tin đọc nhiều" from so-lieu.json, which
     `make stats` rewrites without rebuilding the pages;
   - refreshes an article's views and rating from its group's file,
     bai-viet/<xx>.json (the page names it in data-stats-file);
   - sends the rating form in the background and thanks the reader. */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script && script.getAttribute("data-base");
  if (!base || !window.fetch) { return; }

  function getJson(url) {
    return fetch(url, { credentials: "omit" }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    });
  }

  function setField(root, name, value) {
    var node = root.querySelector('[data-stats-field="' + name + '"]');
    if (node && typeof value === "string") { node.textContent = value; }
  }

  var counter = document.querySelector("[data-stats-counter]");
  var mostRead = document.querySelector("[data-stats-most-read]");
  if (counter || mostRead) {
    getJson(base + "so-lieu.json").then(function (data) {
      if (counter) {
        ["total", "today", "online", "online_at"].forEach(function (name) { setField(counter, name, data[name]); });
        var when = counter.querySelector("[data-stats-when]");
        if (when) { when.hidden = !data.online_at; }
        counter.hidden = false;
      }
      if (mostRead && data.most_read && data.most_read.length) {
        var items = document.createDocumentFragment();
        data.most_read.forEach(function (entry) {
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = entry.url;
          link.textContent = entry.title;
          item.appendChild(link);
          items.appendChild(item);
        });
        mostRead.replaceChildren(items);
      }
    }).catch(function () {
      if (counter) { counter.hidden = false; }  // the numbers of the last build
    });
  }

  var article = document.querySelector("[data-stats-article]");
  if (article) {
    var slug = article.getAttribute("data-stats-article");
    var file = article.getAttribute("data-stats-file");
    if (slug && file) {
      getJson(base + file).then(function (group) {
        var data = group[slug];
        if (data) {
          setField(article, "views", data.views);
          setField(article, "rating", data.rating);
        }
      }).catch(function () { /* keep the numbers of the last build */ });
    }
  }

  var form = document.querySelector("[data-stats-rating]");
  if (form && window.URLSearchParams && window.FormData) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var thanks = form.querySelector("[data-stats-thanks]");
      var query = new URLSearchParams(new FormData(form)).toString();
      fetch(form.action + "?" + query, { credentials: "omit", cache: "no-store" }).then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        thanks.textContent = "Cảm ơn bạn đã đánh giá";
      }).catch(function () {
        thanks.textContent = "Chưa gửi được đánh giá, xin bạn thử lại sau.";
      });
    });
  }
})();
