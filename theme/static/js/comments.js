// Comments: send the form in place, and show "comments are paused" instead
// of the form when the intake service does not answer. Without this script
// the form posts normally and the service redirects back to the article.
(function () {
  "use strict";
  var section = document.getElementById("binh-luan");
  var form = section && section.querySelector(".comment-form");
  var paused = section && section.querySelector(".comment-paused");
  if (!form || !paused || !window.fetch) {
    return;
  }
  var api = form.getAttribute("data-api");
  var result = form.querySelector(".comment-result");
  var image = form.querySelector(".captcha-image");
  var sound = form.querySelector(".captcha-sound");
  var download = form.querySelector(".captcha-download");

  function pause() {
    form.hidden = true;
    paused.hidden = false;
  }

  function newCaptcha() {
    var stamp = "?t=" + Date.now();
    image.src = api + "/ma-xac-thuc.png" + stamp;
    sound.src = api + "/ma-xac-thuc.wav" + stamp;
    download.href = sound.src;
    form.elements.ma_xac_thuc.value = "";
  }

  function checkHealth() {
    fetch(api + "/health", { cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : { ok: false };
      })
      .then(function (data) {
        if (!data.ok) {
          pause();
        }
      })
      .catch(pause);
  }

  // Ask the service only when the reader comes near the comments, not on
  // every page view.
  if (window.IntersectionObserver) {
    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) {
        observer.disconnect();
        checkHealth();
      }
    }, { rootMargin: "400px 0px" });
    observer.observe(section);
  } else {
    checkHealth();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    result.classList.remove("is-error");
    result.textContent = "Đang gửi bình luận…";
    fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    })
      .then(function (response) {
        return response.json().catch(function () {
          if (response.status === 413) {
            // nginx's own limit answers in plain text
            return { ok: false, message: "Nội dung gửi lên quá lớn. Hãy rút gọn bình luận rồi gửi lại.", field: "noi_dung" };
          }
          throw new Error("no answer from the comments service");
        });
      })
      .then(function (data) {
        if (data.ok) {
          form.reset();
        }
        newCaptcha();
        result.textContent = data.message;
        result.classList.toggle("is-error", !data.ok);
        var field = data.field && form.elements[data.field];
        if (!data.ok && field && field.offsetParent !== null) {
          field.focus();
        }
      })
      .catch(pause)
      .then(function () {
        button.disabled = false;
      });
  });
})();
