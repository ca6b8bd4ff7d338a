// Bayview Bank demo page: the BankDesk embed snippet plus the demo controls.
// (A separate file, not an inline script: the page's CSP is script-src 'self'.)

// 1. The embed snippet a bank puts on its pages. The stub queues calls made
//    before /widget.js has loaded; the widget runs them, in order, when it starts.
(function (w) {
  var b = (w.BankDesk =
    w.BankDesk ||
    function () {
      (b.q = b.q || []).push(arguments);
    });
})(window);

(function () {
  "use strict";
  var LANG_KEY = "bayview:lang";
  var SIGNED_IN_KEY = "bayview:signedIn";

  function storedLang() {
    try {
      return new window.URLSearchParams(window.location.search).get("lang") || localStorage.getItem(LANG_KEY) || undefined;
    } catch {
      return undefined;
    }
  }

  var settings = { inbox: "website", locale: storedLang(), title: "Bayview Bank 湾景银行" };
  window.BankDesk("boot", settings);

  // 2. Demo controls (a real bank would call `identify` from its signed-in pages,
  //    with an identityHash computed on its own server).
  function ready(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }

  ready(function () {
    var signIn = document.getElementById("demo-signin");
    var signOut = document.getElementById("demo-signout");
    var status = document.getElementById("demo-status");
    var lang = document.getElementById("lang");

    function say(text, tone) {
      status.textContent = text || "";
      if (tone) status.setAttribute("data-tone", tone);
      else status.removeAttribute("data-tone");
    }

    function showSignedIn(name) {
      signIn.hidden = true;
      signOut.hidden = false;
      say("Signed in as " + name + " (verified customer)");
    }

    // The demo phone: one-time codes for actions that need a step-up are "texted" to
    // the demo customer's registered number, shown here (GET /api/v1/demo/phone).
    var phone = document.getElementById("demo-phone");
    var phoneTexts = document.getElementById("demo-phone-texts");
    var phoneNumber = document.getElementById("demo-phone-number");
    var phoneTimer = null;
    var phoneSeen = "";
    function watchPhone(userId) {
      window.clearInterval(phoneTimer);
      phone.hidden = !userId;
      phoneTexts.textContent = "";
      phoneSeen = "";
      if (!userId) return;
      function poll() {
        fetch("/api/v1/demo/phone?userId=" + encodeURIComponent(userId), { headers: { accept: "application/json" } })
          .then(function (res) {
            return res.ok ? res.json() : null;
          })
          .then(function (body) {
            if (!body || !Array.isArray(body.texts)) return;
            var sig = JSON.stringify(body.texts);
            if (sig === phoneSeen) return;
            phoneSeen = sig;
            phoneTexts.textContent = "";
            body.texts.forEach(function (t) {
              var li = document.createElement("li");
              var when = document.createElement("time");
              when.dateTime = t.at;
              when.textContent = new Date(t.at).toLocaleTimeString();
              var text = document.createElement("p");
              text.textContent = t.text;
              li.append(when, text);
              phoneTexts.append(li);
              phoneNumber.textContent = t.to;
            });
          })
          .catch(function () {
            /* the next poll tries again */
          });
      }
      poll();
      phoneTimer = window.setInterval(poll, 2000);
    }

    function identify(userId, quiet) {
      signIn.disabled = true;
      return fetch("/api/v1/demo/identity?userId=" + encodeURIComponent(userId), { headers: { accept: "application/json" } })
        .then(function (res) {
          if (res.status === 404) throw new Error("unavailable");
          if (!res.ok) throw new Error("HTTP " + res.status);
          return res.json();
        })
        .then(function (who) {
          if (!who || !who.userId || !who.identityHash) throw new Error("unexpected answer");
          // A new conversation, so the account tools answer (the demo customer's seeded fraud case waits for an agent).
          window.BankDesk("identify", {
            userId: who.userId,
            identityHash: who.identityHash,
            name: who.name,
            email: who.email,
            newConversation: !quiet,
          });
          try {
            window.sessionStorage.setItem(SIGNED_IN_KEY, who.userId);
          } catch {
            /* private mode */
          }
          showSignedIn(who.name || who.userId);
          watchPhone(who.userId);
          if (!quiet) window.BankDesk("open");
        })
        .catch(function (err) {
          signIn.disabled = err.message === "unavailable";
          try {
            window.sessionStorage.removeItem(SIGNED_IN_KEY);
          } catch {
            /* ignore */
          }
          say(
            err.message === "unavailable"
              ? "Demo sign-in is not available on this server — chat continues as a guest."
              : "Could not sign in (" + err.message + ").",
            "warn",
          );
        });
    }

    signIn.addEventListener("click", function () {
      identify("C-1001", false);
    });

    signOut.addEventListener("click", function () {
      try {
        window.sessionStorage.removeItem(SIGNED_IN_KEY);
      } catch {
        /* ignore */
      }
      // Signing out ends the chat session on this device, then starts a fresh guest one.
      window.BankDesk("shutdown");
      window.BankDesk("boot", settings);
      signOut.hidden = true;
      signIn.hidden = false;
      signIn.disabled = false;
      watchPhone(null);
      say("Signed out");
    });

    var remembered = null;
    try {
      remembered = window.sessionStorage.getItem(SIGNED_IN_KEY);
    } catch {
      /* ignore */
    }
    if (remembered) identify(remembered, true);

    if (settings.locale) lang.value = settings.locale;
    lang.addEventListener("change", function () {
      settings.locale = lang.value;
      try {
        localStorage.setItem(LANG_KEY, lang.value);
      } catch {
        /* ignore */
      }
      window.BankDesk("setLocale", lang.value);
    });

    Array.prototype.forEach.call(document.querySelectorAll(".js-open-chat"), function (el) {
      el.addEventListener("click", function () {
        window.BankDesk("open");
      });
    });
  });
})();
