// Security keys and passkeys (WebAuthn): adding one on the keys page, and the second step of
// sign-in with one. Each form marked data-security-keys="register" or "sign-in" asks the server
// for options, lets the browser and the authenticator answer them, and posts the answer back.
// Binary fields travel as base64url in both directions. Messages come translated from the
// form's data attributes; without WebAuthn the form's fallback text stays and its button hidden.
(function () {
  "use strict";

  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    var binary = atob(base64 + "===".slice((base64.length + 3) % 4));
    return Uint8Array.from(binary, function (character) { return character.charCodeAt(0); });
  }

  function toText(buffer) {
    var binary = String.fromCharCode.apply(null, new Uint8Array(buffer));
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function withIds(descriptors) {
    return (descriptors || []).map(function (descriptor) {
      return Object.assign({}, descriptor, { id: toBytes(descriptor.id) });
    });
  }

  function creationOptions(options) {
    return Object.assign({}, options, {
      challenge: toBytes(options.challenge),
      user: Object.assign({}, options.user, { id: toBytes(options.user.id) }),
      excludeCredentials: withIds(options.excludeCredentials),
    });
  }

  function requestOptions(options) {
    return Object.assign({}, options, {
      challenge: toBytes(options.challenge),
      allowCredentials: withIds(options.allowCredentials),
    });
  }

  function credentialJSON(credential) {
    var response = credential.response;
    var answer = { clientDataJSON: toText(response.clientDataJSON) };
    if (response.attestationObject) {
      answer.attestationObject = toText(response.attestationObject);
      answer.transports = response.getTransports ? response.getTransports() : [];
    } else {
      answer.authenticatorData = toText(response.authenticatorData);
      answer.signature = toText(response.signature);
      answer.userHandle = response.userHandle ? toText(response.userHandle) : null;
    }
    return {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || null,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: answer,
    };
  }

  function post(form, url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": form.querySelector("input[name=csrfmiddlewaretoken]").value,
      },
      body: JSON.stringify(body || {}),
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.error || form.dataset.msgFailed); }
        return data;
      }, function () { throw new Error(form.dataset.msgFailed); });
    });
  }

  function ceremony(form) {
    var registering = form.dataset.securityKeys === "register";
    return post(form, form.dataset.optionsUrl).then(function (options) {
      return registering
        ? navigator.credentials.create({ publicKey: creationOptions(options) })
        : navigator.credentials.get({ publicKey: requestOptions(options) });
    }).then(function (credential) {
      var body = { credential: credentialJSON(credential) };
      if (registering) { body.name = form.elements.namedItem("name").value; }
      return post(form, form.dataset.verifyUrl, body);
    });
  }

  function message(form, error) {
    if (error.name === "NotAllowedError" || error.name === "AbortError") {
      return form.dataset.msgCancelled;
    }
    if (error.name === "InvalidStateError") { return form.dataset.msgKnown; }
    return error.name === "Error" && error.message ? error.message : form.dataset.msgFailed;
  }

  document.querySelectorAll("form[data-security-keys]").forEach(function (form) {
    if (!window.PublicKeyCredential || !navigator.credentials) { return; }
    var button = form.querySelector("button[type=submit]");
    var status = form.querySelector("[data-security-keys-status]");
    form.querySelector("[data-security-keys-unsupported]").hidden = true;
    button.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      button.disabled = true;
      status.textContent = form.dataset.msgWaiting;
      ceremony(form).then(function (result) {
        window.location.assign(result.next);
      }, function (error) {
        status.textContent = message(form, error);
        button.disabled = false;
      });
    });
  });
})();
