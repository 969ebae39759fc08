/* Enhancements only: every page works without this file.
   - today's date in the header, in the reader's browser (the built HTML
     stays the same whatever day it is built);
   - "Chia sẻ…" (the system share sheet), "Sao chép liên kết" and
     "In bài viết" buttons on articles; the share block is shown only when
     one of them works. */
(function () {
  "use strict";

  var today = document.querySelector("[data-today]");
  if (today && window.Intl) {
    var text = new Intl.DateTimeFormat("vi-VN", {
      weekday: "long", day: "2-digit", month: "2-digit", year: "numeric",
      timeZone: "Asia/Ho_Chi_Minh"
    }).format(new Date());
    today.textContent = text.charAt(0).toUpperCase() + text.slice(1);
    today.hidden = false;
  }

  var status = document.querySelector(".copy-status");
  var block = document.querySelector(".share");
  function reveal(button) {
    button.parentNode.hidden = false;
    block.hidden = false;
  }

  var share = document.querySelector(".js-share");
  if (share && navigator.share) {
    share.addEventListener("click", function () {
      navigator.share({
        title: share.getAttribute("data-title"),
        url: new URL(share.getAttribute("data-url"), location.href).href
      }).catch(function () {});  // closing the share sheet is not an error
    });
    reveal(share);
  }

  var copy = document.querySelector(".js-copy");
  if (copy && navigator.clipboard) {
    copy.addEventListener("click", function () {
      var url = new URL(copy.getAttribute("data-url"), location.href).href;
      navigator.clipboard.writeText(url).then(function () {
        status.textContent = "Đã sao chép liên kết bài viết.";
      }, function () {
        status.textContent = "Không sao chép được, hãy chép địa chỉ trên thanh địa chỉ.";
      });
    });
    reveal(copy);
  }

  var print = document.querySelector(".js-print");
  if (print && window.print) {
    print.addEventListener("click", function () { window.print(); });
    reveal(print);
  }
})();
