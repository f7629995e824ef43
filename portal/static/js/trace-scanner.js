/* Camera scanning for /trace/, as progressive enhancement: the typed form works without it.
 * Shown only where the browser has the BarcodeDetector API and a camera API; the camera is
 * asked for only after the button is pressed, and stopped as soon as a code is read, when
 * the reader stops it, or when the page is hidden. Messages go to the page's live region. */
(function () {
  "use strict";
  var root = document.querySelector("[data-trace-scanner]");
  var media = navigator.mediaDevices;
  if (!root || !("BarcodeDetector" in window) || !media || !media.getUserMedia) {
    return;
  }
  var WANTED = ["ean_13", "ean_8", "upc_a", "upc_e", "itf"];

  window.BarcodeDetector.getSupportedFormats().then(function (supported) {
    var formats = WANTED.filter(function (format) { return supported.indexOf(format) !== -1; });
    if (formats.length) {
      enable(new window.BarcodeDetector({ formats: formats }));
    }
  }).catch(function () { /* no scanner: the typed form stays */ });

  function enable(detector) {
    var form = root.closest("form");
    var input = form.querySelector("input[name=code]");
    var start = root.querySelector("[data-scan-start]");
    var stop = root.querySelector("[data-scan-stop]");
    var video = root.querySelector("[data-scan-video]");
    var status = document.getElementById(root.dataset.status);
    var stream = null;
    var timer = null;

    function say(message) {
      status.textContent = message;
    }

    function end() {
      clearTimeout(timer);
      if (stream) {
        stream.getTracks().forEach(function (track) { track.stop(); });
      }
      stream = null;
      video.srcObject = null;
      video.hidden = true;
      stop.hidden = true;
      start.hidden = false;
    }

    function scan() {
      if (!stream) {
        return;
      }
      detector.detect(video).then(function (codes) {
        var code = codes.length ? codes[0].rawValue : "";
        if (!stream) {
          return;
        }
        if (!code) {
          timer = setTimeout(scan, 200);
          return;
        }
        end();
        input.value = code;
        say(root.dataset.msgFound.replace("%s", code));
        if (form.requestSubmit) {
          form.requestSubmit();
        } else {
          form.submit();
        }
      }).catch(function () {
        timer = setTimeout(scan, 400);
      });
    }

    start.addEventListener("click", function () {
      say(root.dataset.msgStarting);
      media.getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false })
        .then(function (camera) {
          stream = camera;
          video.srcObject = camera;
          video.hidden = false;
          start.hidden = true;
          stop.hidden = false;
          stop.focus();
          return video.play();
        })
        .then(function () {
          say(root.dataset.msgScanning);
          scan();
        })
        .catch(function (error) {
          end();
          var denied = error && (error.name === "NotAllowedError" || error.name === "SecurityError");
          say(denied ? root.dataset.msgDenied : root.dataset.msgFailed);
          input.focus();
        });
    });

    stop.addEventListener("click", function () {
      end();
      say(root.dataset.msgStopped);
      start.focus();
    });

    document.addEventListener("visibilitychange", function () {
      if (document.hidden) {
        end();
      }
    });
    window.addEventListener("pagehide", end);
    root.hidden = false;
  }
})();
