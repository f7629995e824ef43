/* Camera scanning for /trace/, as progressive enhancement: the typed form works without it.
 * The browser's BarcodeDetector reads the codes where it knows the retail formats (Chrome on
 * Android, macOS); elsewhere (iOS Safari, WeChat, Firefox) the vendored ZXing decoder does,
 * loaded only when the camera button is pressed. Both are used through one `detect(video)`.
 * The camera is asked for only after the button is pressed, and stopped as soon as a code is
 * read, when the reader stops it, or when the page is hidden. Messages go to the live region. */
(function () {
  "use strict";
  var root = document.querySelector("[data-trace-scanner]");
  var media = navigator.mediaDevices;
  if (!root || !media || !media.getUserMedia || !window.Promise) {
    return;
  }
  // Retail barcodes and Code 128 (used for GS1-128 and batch labels).
  var WANTED = ["ean_13", "ean_8", "upc_a", "upc_e", "code_128", "itf"];
  var FALLBACK_WIDTH = 640; // frames are scaled down to this before ZXing reads them

  nativeDetector().then(function (detector) {
    enable(detector || libraryDetector(root.dataset.decoderSrc));
  });

  function nativeDetector() {
    if (!("BarcodeDetector" in window)) {
      return Promise.resolve(null);
    }
    return window.BarcodeDetector.getSupportedFormats().then(function (supported) {
      var formats = WANTED.filter(function (format) { return supported.indexOf(format) !== -1; });
      if (!formats.length) {
        return null;
      }
      var detector = new window.BarcodeDetector({ formats: formats });
      return {
        prepare: function () { return Promise.resolve(); },
        detect: function (video) {
          return detector.detect(video).then(function (codes) {
            return codes.length ? codes[0].rawValue : "";
          });
        }
      };
    }).catch(function () { return null; });
  }

  /* ZXing (portal/static/vendor/zxing-library.min.js, see scripts/vendor_js.py): a frame is
   * drawn on a canvas and read as EAN-13, EAN-8, UPC-A/E or Code 128. */
  function libraryDetector(src) {
    var loading = null;
    var reader = null;
    var zxing = null;
    var canvas = document.createElement("canvas");
    var context = canvas.getContext("2d", { willReadFrequently: true });

    function prepare() {
      if (!loading) {
        loading = new Promise(function (resolve, reject) {
          var script = document.createElement("script");
          script.src = src;
          script.onload = resolve;
          script.onerror = function () { loading = null; reject(new Error("decoder not loaded")); };
          document.head.appendChild(script);
        }).then(function () {
          zxing = window.ZXing;
          var formats = zxing.BarcodeFormat;
          var hints = new Map();
          hints.set(zxing.DecodeHintType.POSSIBLE_FORMATS, [
            formats.EAN_13, formats.EAN_8, formats.UPC_A, formats.UPC_E, formats.CODE_128
          ]);
          hints.set(zxing.DecodeHintType.TRY_HARDER, true);
          reader = new zxing.MultiFormatReader();
          reader.setHints(hints);
        });
      }
      return loading;
    }

    function detect(video) {
      var width = video.videoWidth;
      var height = video.videoHeight;
      if (!reader || !width || !height) {
        return Promise.resolve("");
      }
      var scale = Math.min(1, FALLBACK_WIDTH / width);
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var source = new zxing.HTMLCanvasElementLuminanceSource(canvas);
      try {
        var bitmap = new zxing.BinaryBitmap(new zxing.HybridBinarizer(source));
        return Promise.resolve(reader.decodeWithState(bitmap).getText());
      } catch (notFound) { // ZXing throws when a frame holds no readable code
        return Promise.resolve("");
      }
    }

    return { prepare: prepare, detect: detect };
  }

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
      detector.detect(video).then(function (code) {
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
      var camera = media.getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false });
      Promise.all([camera, detector.prepare()])
        .then(function (ready) {
          stream = ready[0];
          video.srcObject = stream;
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
          camera.then(function (opened) { stream = stream || opened; end(); }, end);
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
