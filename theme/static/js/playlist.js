/* Songs list (/ca-khuc/): turns the native players into a playlist.
   Shows the "play" and "next" buttons, plays the next song when one ends,
   and keeps one song playing at a time. Without this script every song
   still has its own native player. */
(function () {
  "use strict";
  var list = document.querySelector("[data-playlist]");
  var controls = document.querySelector("[data-playlist-controls]");
  if (!list || !controls) { return; }
  var items = Array.prototype.slice.call(list.querySelectorAll("[data-song]"));
  var audios = items.map(function (item) { return item.querySelector("audio"); });
  if (!audios.length) { return; }
  var playButton = controls.querySelector("[data-playlist-play]");
  var nextButton = controls.querySelector("[data-playlist-next]");
  var status = controls.querySelector("[data-playlist-status]");
  var current = 0;

  function titleOf(index) {
    return items[index].querySelector("[data-song-title]").textContent.trim();
  }

  function update() {
    var playing = !audios[current].paused;
    playButton.textContent = playing ? "Tạm dừng" : "Phát danh sách";
    status.textContent = (playing ? "Đang phát: " : "Bài hiện tại: ") + titleOf(current);
    items.forEach(function (item, index) {
      if (index === current) { item.setAttribute("aria-current", "true"); } else { item.removeAttribute("aria-current"); }
    });
  }

  function play(index) {
    current = index;
    var result = audios[index].play();
    if (result && result.catch) {
      result.catch(function () { update(); });
    }
    update();
  }

  audios.forEach(function (audio, index) {
    audio.addEventListener("play", function () {
      current = index;
      audios.forEach(function (other) { if (other !== audio && !other.paused) { other.pause(); } });
      update();
    });
    audio.addEventListener("pause", update);
    audio.addEventListener("ended", function () {
      if (index + 1 < audios.length) { play(index + 1); } else { update(); }
    });
  });

  playButton.addEventListener("click", function () {
    if (audios[current].paused) { play(current); } else { audios[current].pause(); }
  });
  nextButton.addEventListener("click", function () {
    audios[current].pause();
    play((current + 1) % audios.length);
  });

  controls.hidden = false;
  update();
}());
