/* Passkeys: the browser half of registering one and logging in with one.
 * The server (app/twofactor/passkey_views.py) makes the options and checks the
 * answers; this script only converts between JSON (base64url) and the
 * ArrayBuffers that navigator.credentials speaks, and posts the answer back. */
(function () {
  "use strict";

  function toBuffer(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) { base64 += "="; }
    var raw = atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes.buffer;
  }

  function toText(buffer) {
    var bytes = new Uint8Array(buffer);
    var raw = "";
    for (var i = 0; i < bytes.length; i++) { raw += String.fromCharCode(bytes[i]); }
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function post(url, token, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token, "Accept": "application/json" },
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error((data.error && data.error.message) || response.statusText); }
        return data;
      });
    });
  }

  function showError(root, error) {
    var box = root.querySelector("[data-passkey-error]");
    // The cancelled message comes from the page, so it is translated with the rest.
    box.textContent = error && error.name === "NotAllowedError"
      ? box.dataset.cancelled
      : String((error && error.message) || error);
    box.hidden = false;
  }

  function descriptors(list) {
    return (list || []).map(function (item) {
      return { type: item.type, id: toBuffer(item.id), transports: item.transports };
    });
  }

  function register(form) {
    var token = form.querySelector("[name=csrf_token]").value;
    var name = form.querySelector("[name=name]").value;
    post(form.dataset.optionsUrl, token).then(function (options) {
      options.challenge = toBuffer(options.challenge);
      options.user.id = toBuffer(options.user.id);
      options.excludeCredentials = descriptors(options.excludeCredentials);
      return navigator.credentials.create({ publicKey: options });
    }).then(function (credential) {
      var response = credential.response;
      return post(form.dataset.url, token, {
        name: name,
        credential: {
          id: credential.id,
          rawId: toText(credential.rawId),
          type: credential.type,
          response: {
            clientDataJSON: toText(response.clientDataJSON),
            attestationObject: toText(response.attestationObject),
            transports: response.getTransports ? response.getTransports() : []
          },
          clientExtensionResults: credential.getClientExtensionResults(),
          authenticatorAttachment: credential.authenticatorAttachment
        }
      });
    }).then(function (result) {
      window.location.assign(result.redirect);
    }).catch(function (error) { showError(form, error); });
  }

  function login(root) {
    var token = root.querySelector("[name=csrf_token]").value;
    post(root.dataset.optionsUrl, token).then(function (options) {
      options.challenge = toBuffer(options.challenge);
      options.allowCredentials = descriptors(options.allowCredentials);
      return navigator.credentials.get({ publicKey: options });
    }).then(function (credential) {
      var response = credential.response;
      return post(root.dataset.url, token, {
        id: credential.id,
        rawId: toText(credential.rawId),
        type: credential.type,
        response: {
          clientDataJSON: toText(response.clientDataJSON),
          authenticatorData: toText(response.authenticatorData),
          signature: toText(response.signature),
          userHandle: response.userHandle ? toText(response.userHandle) : null
        },
        clientExtensionResults: credential.getClientExtensionResults(),
        authenticatorAttachment: credential.authenticatorAttachment
      });
    }).then(function (result) {
      window.location.assign(result.redirect);
    }).catch(function (error) { showError(root, error); });
  }

  var supported = !!(window.PublicKeyCredential && navigator.credentials);
  var form = document.getElementById("passkey-register");
  if (form) {
    form.hidden = !supported;
    form.addEventListener("submit", function (event) { event.preventDefault(); register(form); });
  }
  var loginBox = document.getElementById("passkey-login");
  if (loginBox) {
    loginBox.hidden = !supported;
    loginBox.querySelector("button").addEventListener("click", function () { login(loginBox); });
  }
}());
