/*
 * Aide numérique: the city's chat widget.
 *
 * Embedded with one tag, no build step, no dependency, no third-party request:
 *   <script src="https://assistant.example/widget/widget.js" data-server="https://assistant.example"
 *           data-color="#7d1a3b" data-color-text="#fff" defer></script>
 *
 * Attributes: data-server (the Rasa server; default: where this file comes from),
 * data-color / data-color-text (the city's colours; text colour corrected for
 * contrast), data-title, data-kiosk ("true" or a number of idle seconds before
 * the conversation is wiped: shared touch kiosks), data-open ("true": open at load).
 *
 * It talks to Rasa over HTTP (bot/web/channel.py, Rasa's REST protocol): one
 * POST per message, the answer in the response. See README "The web widget".
 * Bot text is always inserted as text nodes, never as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript ||
    document.querySelector('script[src*="widget.js"][data-server]') ||
    document.querySelector('script[src*="widget.js"]');
  if (!script || window.__aidenumWidget) { return; }
  window.__aidenumWidget = true;

  var data = script.dataset;
  var scriptUrl = new URL(script.src, document.baseURI);
  var SERVER = (data.server || scriptUrl.origin).replace(/\/+$/, "");
  var ENDPOINT = SERVER + "/webhooks/web/webhook";
  var HELD_ENDPOINT = SERVER + "/webhooks/web/messages";
  /* A conseiller may take the conversation over: poll every 5 s while held (doubling up to 60 s
   * while nothing comes); after an answer of the assistant, look a few times (5, 10, 20, 40 s). */
  var HOLD_POLL_MS = 5000;
  var HOLD_POLL_MAX_MS = 60000;
  var WATCH_POLLS = 4;
  var MAX_CHARS = 1000;
  var KIOSK = data.kiosk !== undefined && data.kiosk !== "false";
  var KIOSK_SECONDS = KIOSK ? (parseInt(data.kiosk, 10) || 120) : 0;
  var SENDER_KEY = "aidenum.sender";
  var HISTORY_KEY = "aidenum.history";
  var OPEN_KEY = "aidenum.open";
  var REQUEST_TIMEOUT_MS = 60000;

  var config = {
    service_name: data.title || "Aide numérique",
    notice: "Vos messages sont gardés pour vous répondre et préparer votre rendez-vous. " +
      "Ne donnez jamais de mot de passe ni de code.",
    human_request: "Je veux parler à un conseiller"
  };

  /* ---------------------------------------------------------------- storage */

  function store(kind) {
    try {
      var s = window[kind];
      s.setItem("aidenum.probe", "1");
      s.removeItem("aidenum.probe");
      return s;
    } catch (e) {
      var memory = {};
      return {
        getItem: function (k) { return k in memory ? memory[k] : null; },
        setItem: function (k, v) { memory[k] = String(v); },
        removeItem: function (k) { delete memory[k]; }
      };
    }
  }
  var local = store("localStorage");
  var session = store("sessionStorage");

  function randomHex(bytes) {
    var b = new Uint8Array(bytes);
    crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
  }

  function newSender() {
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    var id = "web:" + h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
    local.setItem(SENDER_KEY, id);
    return id;
  }

  function loadHistory() {
    try {
      var saved = JSON.parse(session.getItem(HISTORY_KEY) || "null");
      if (saved && Array.isArray(saved.messages)) { return saved; }
    } catch (e) { /* a damaged entry: start again */ }
    return { messages: [], replies: [] };
  }

  var state = {
    sender: local.getItem(SENDER_KEY) || newSender(),
    history: loadHistory(),
    queue: [],
    busy: false,
    attempts: 0,
    retryTimer: null,
    generation: 0,
    pollTimer: null,
    pollDelay: 5000,
    watching: 0,
    open: false
  };

  /* What survives a page load: the visible text, not the DOM nodes. */
  function saveHistory() {
    state.history.messages = state.history.messages.slice(-200);
    session.setItem(HISTORY_KEY, JSON.stringify({
      messages: state.history.messages.map(function (m) {
        return { who: m.who, text: m.text, payload: m.payload, pending: !!m.pending, id: m.id, name: m.name };
      }),
      replies: state.history.replies || [],
      hold: state.history.hold || null
    }));
  }

  /* ----------------------------------------------------------------- colours */

  function rgbOf(value) {
    if (!value) { return null; }
    var probe = document.createElement("span");
    probe.style.color = value;
    if (!probe.style.color) { return null; }
    document.body.appendChild(probe);
    var m = getComputedStyle(probe).color.match(/[\d.]+/g);
    probe.remove();
    return m ? [+m[0], +m[1], +m[2]] : null;
  }
  function luminance(rgb) {
    var c = rgb.map(function (v) {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
  function contrast(a, b) {
    var la = luminance(a), lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }
  function css(rgb) { return "rgb(" + rgb.map(Math.round).join(",") + ")"; }
  var WHITE = [255, 255, 255], BLACK = [0, 0, 0], BUBBLE = [241, 242, 244];

  /* The text on the city's colour: the requested one if readable (>= 4.5:1), else black or white. */
  function readableOn(bg, wanted) {
    if (wanted && contrast(bg, wanted) >= 4.5) { return wanted; }
    return contrast(bg, WHITE) >= contrast(bg, BLACK) ? WHITE : BLACK;
  }
  /* The city's colour darkened until it is readable as text on light backgrounds. */
  function accentOn(bg, color) {
    var c = color.slice();
    for (var i = 0; i < 40 && contrast(c, bg) < 4.5; i++) {
      c = c.map(function (v) { return v * 0.9; });
    }
    return c;
  }

  function applyColours(root) {
    var color = rgbOf(data.color) || [29, 79, 145];
    var onColor = readableOn(color, rgbOf(data.colorText));
    root.style.setProperty("--aidenum-color", css(color));
    root.style.setProperty("--aidenum-on-color", css(onColor));
    root.style.setProperty("--aidenum-accent", css(accentOn(BUBBLE, color)));
  }

  /* --------------------------------------------------------------------- DOM */

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; }
      else if (k === "className") { node.className = attrs[k]; }
      else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }
  function srOnly(text) { return el("span", { className: "aidenum-sr", text: text }); }

  var ICON = '<svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">' +
    '<path fill="currentColor" d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z"/></svg>';

  var ui = {};

  function build() {
    var link = el("link", { rel: "stylesheet", href: new URL("widget.css", scriptUrl).href });
    document.head.appendChild(link);

    ui.root = el("aside", { className: "aidenum" + (KIOSK ? " aidenum--kiosk" : ""), lang: "fr", dir: "ltr",
      "aria-label": "Discussion avec l'assistant" });
    applyColours(ui.root);

    ui.launcher = el("button", { type: "button", className: "aidenum-launcher", "aria-expanded": "false",
      "aria-controls": "aidenum-panel", "aria-haspopup": "dialog" });
    ui.launcher.innerHTML = ICON; // a constant of this file, not bot text
    ui.launcher.appendChild(el("span", { text: "Une question ?" }));
    ui.launcher.appendChild(srOnly(" Discuter avec l'assistant"));

    ui.title = el("h2", { id: "aidenum-title", className: "aidenum-title", text: config.service_name });
    ui.close = el("button", { type: "button", className: "aidenum-close", "aria-label": "Fermer la discussion",
      title: "Fermer la discussion" }, [el("span", { "aria-hidden": "true", text: "×" })]);
    ui.human = el("button", { type: "button", className: "aidenum-tool", text: "Parler à un conseiller" });
    ui.clear = el("button", { type: "button", className: "aidenum-tool", text: "Effacer la conversation" });
    var header = el("div", { className: "aidenum-header" }, [
      el("div", { className: "aidenum-heading" }, [ui.title, ui.close]),
      el("div", { className: "aidenum-tools" }, [ui.human, ui.clear])
    ]);

    ui.notice = el("p", { id: "aidenum-notice", className: "aidenum-notice" });
    var intro = "Bonjour ! Posez votre question sur le numérique : e-mail, démarches en ligne, téléphone, arnaques… " +
      "Je peux aussi vous donner un rendez-vous avec un conseiller.";
    if (KIOSK) {
      intro += " Sur cette borne, la conversation s'efface après " + Math.max(1, Math.round(KIOSK_SECONDS / 60)) +
        " minute(s) sans activité.";
    }
    ui.intro = el("p", { className: "aidenum-intro", text: intro });
    ui.log = el("div", { className: "aidenum-log", role: "log", "aria-live": "polite", "aria-label": "Messages de la conversation" });
    ui.replies = el("div", { className: "aidenum-replies", role: "group", "aria-label": "Réponses proposées" });
    ui.body = el("div", { className: "aidenum-body" }, [ui.notice, ui.intro, ui.log, ui.replies]);

    ui.typing = el("p", { className: "aidenum-status", role: "status" });
    ui.alert = el("p", { className: "aidenum-alert", role: "status" });
    ui.holder = el("p", { className: "aidenum-holder", role: "status" });
    ui.holder.hidden = true;

    ui.input = el("textarea", { id: "aidenum-input", className: "aidenum-input", rows: "2", maxlength: String(MAX_CHARS),
      autocomplete: "off", enterkeyhint: "send", placeholder: "Écrivez votre message" });
    ui.send = el("button", { type: "submit", className: "aidenum-send", text: "Envoyer" });
    ui.form = el("form", { className: "aidenum-form" }, [
      el("label", { for: "aidenum-input", className: "aidenum-sr", text: "Votre message (Entrée pour envoyer)" }),
      ui.input, ui.send
    ]);

    ui.panel = el("div", { id: "aidenum-panel", className: "aidenum-panel", role: "dialog",
      "aria-labelledby": "aidenum-title", "aria-describedby": "aidenum-notice" },
      [header, ui.holder, ui.body, ui.typing, ui.alert, ui.form]);
    ui.panel.hidden = true;

    ui.root.appendChild(ui.panel);
    ui.root.appendChild(ui.launcher);
    document.body.appendChild(ui.root);
    renderNotice();
  }

  /* Text with links: URLs, e-mail addresses and French phone numbers become
   * links; markdown [title](https://...) too. Everything else is a text node. */
  var LINKS = /\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)|(https?:\/\/[^\s<>"]+|www\.[^\s<>"]+)|([\w.+-]+@[\w-]+(?:\.[\w-]+)+)|((?:\+33\s?|\b0)[1-9](?:[ .]?\d{2}){4}\b)/g;

  function linkTo(href, label) {
    var external = /^https?:/.test(href);
    var a = el("a", { href: href, className: "aidenum-link" }, [label]);
    if (external) {
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.appendChild(srOnly(" (nouvelle fenêtre)"));
    }
    return a;
  }

  function appendRichText(parent, text, linkify) {
    String(text).split("\n").forEach(function (line, i) {
      if (i > 0) { parent.appendChild(el("br")); }
      if (!linkify) { parent.appendChild(document.createTextNode(line)); return; }
      var last = 0, m;
      LINKS.lastIndex = 0;
      while ((m = LINKS.exec(line))) {
        var whole = m[0], href, label = whole, trail = "";
        if (m[1]) { href = m[2]; label = m[1]; }
        else if (m[3]) {
          var cut = whole.match(/[.,;:!?)»]+$/);
          if (cut) { trail = cut[0]; whole = whole.slice(0, -trail.length); label = whole; }
          href = /^www\./.test(whole) ? "https://" + whole : whole;
        } else if (m[4]) { href = "mailto:" + whole; }
        else { href = "tel:" + whole.replace(/[ .]/g, "").replace(/^0/, "+33"); }
        parent.appendChild(document.createTextNode(line.slice(last, m.index)));
        parent.appendChild(linkTo(href, label));
        if (trail) { parent.appendChild(document.createTextNode(trail)); }
        last = m.index + m[0].length;
      }
      parent.appendChild(document.createTextNode(line.slice(last)));
    });
  }

  function renderNotice() {
    ui.notice.textContent = "";
    appendRichText(ui.notice, config.notice, true);
  }

  function messageNode(msg) {
    var who = msg.who === "user" ? "user" : "bot";
    var node = el("div", { className: "aidenum-msg aidenum-msg--" + who, "data-who": who });
    node.appendChild(srOnly(who === "user" ? "Vous : " : (msg.name ? msg.name + " : " : "L'assistant : ")));
    if (msg.name) { node.appendChild(el("span", { className: "aidenum-meta", text: msg.name })); }
    var body = el("p", { className: "aidenum-text" });
    appendRichText(body, msg.text, who === "bot");
    node.appendChild(body);
    if (msg.pending) {
      node.classList.add("aidenum-msg--pending");
      node.appendChild(el("span", { className: "aidenum-meta", text: "Pas encore envoyé" }));
    }
    msg.node = node;
    return node;
  }

  function renderAll() {
    ui.log.textContent = "";
    state.history.messages.forEach(function (m) { ui.log.appendChild(messageNode(m)); });
    renderReplies();
  }

  function renderReplies() {
    ui.replies.textContent = "";
    (state.history.replies || []).forEach(function (b) {
      var button = el("button", { type: "button", className: "aidenum-reply", text: b.title });
      button.addEventListener("click", function () {
        send(b.payload, b.title);
        ui.input.focus();
      });
      ui.replies.appendChild(button);
    });
    ui.replies.hidden = !ui.replies.childNodes.length;
  }

  var reducedMotion = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : { matches: false };
  function scrollToEnd() {
    ui.body.scrollTo({ top: ui.body.scrollHeight, behavior: reducedMotion.matches ? "auto" : "smooth" });
  }

  function addMessage(msg) {
    state.history.messages.push(msg);
    ui.log.appendChild(messageNode(msg));
    saveHistory();
    scrollToEnd();
  }


  /* ---------------------------------------------------------------- status */

  function setTyping(on) {
    ui.typing.textContent = "";
    if (on) {
      ui.typing.appendChild(el("span", { className: "aidenum-dots", "aria-hidden": "true" }, [el("i"), el("i"), el("i")]));
      ui.typing.appendChild(document.createTextNode("L'assistant écrit…"));
    }
    ui.typing.classList.toggle("aidenum-status--on", !!on);
  }

  function setAlert(text) {
    ui.alert.textContent = text || "";
    ui.alert.classList.toggle("aidenum-alert--on", !!text);
  }

  var OFFLINE = "Pas de connexion Internet. Votre message sera envoyé dès le retour de la connexion.";
  function retryText(seconds) {
    return "Le service ne répond pas. Votre message n'est pas perdu : nouvel essai dans " + seconds + " seconde" +
      (seconds > 1 ? "s" : "") + ".";
  }

  /* -------------------------------------------------------------- messaging */

  function send(payload, shown) {
    var text = String(payload || "").trim();
    if (!text) {
      setAlert("Écrivez d'abord votre message.");
      return;
    }
    if (text.length > MAX_CHARS) { text = text.slice(0, MAX_CHARS); }
    /* The same id on every retry: the server answers a message once (bot/web/deliveries.py). */
    var msg = { who: "user", text: shown || text, payload: text, pending: true, id: randomHex(16) };
    state.history.replies = [];
    renderReplies();
    addMessage(msg);
    state.queue.push(msg);
    touch();
    pump();
  }

  /* One request at a time, in order: Rasa must see the messages in the order they were written. */
  function pump() {
    if (state.busy || !state.queue.length || state.retryTimer) { return; }
    if (navigator.onLine === false) {
      setTyping(false);
      setAlert(OFFLINE);
      return; // the "online" event resumes
    }
    var msg = state.queue[0], generation = state.generation;
    state.busy = true;
    setTyping(true);
    post(msg.payload, msg.id).then(function (answer) {
      if (generation !== state.generation) { return; }
      state.busy = false;
      state.queue.shift();
      state.attempts = 0;
      setTyping(false);
      setAlert("");
      delivered(msg);
      showAnswer(answer);
      pump();
    }, function (error) {
      if (generation !== state.generation) { return; }
      state.busy = false;
      setTyping(false);
      if (error.retry) {
        scheduleRetry();
      } else {
        state.queue.shift();
        delivered(msg);
        showAnswer(error.messages || [{ text: "Je n'ai pas pu envoyer ce message. Réessayez, s'il vous plaît." }]);
        pump();
      }
    });
  }

  function delivered(msg) {
    msg.pending = false;
    if (msg.node) {
      msg.node.classList.remove("aidenum-msg--pending");
      var meta = msg.node.querySelector(".aidenum-meta");
      if (meta) { meta.remove(); }
    }
    saveHistory();
  }

  /* Back off 1, 2, 4... up to 30 seconds; "online" retries at once. */
  function scheduleRetry() {
    var seconds = Math.min(30, Math.pow(2, state.attempts));
    state.attempts += 1;
    setAlert(navigator.onLine === false ? OFFLINE : retryText(seconds));
    state.retryTimer = setTimeout(function () {
      state.retryTimer = null;
      pump();
    }, seconds * 1000);
  }

  function retryNow() {
    if (state.retryTimer) { clearTimeout(state.retryTimer); state.retryTimer = null; }
    state.attempts = 0;
    setAlert("");
    pump();
  }

  function post(text, messageId) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS) : null;
    return fetch(ENDPOINT, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: state.sender, message: text, message_id: messageId }),
      credentials: "omit",
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      clearTimeout(timer);
      /* 409: the same message is still being answered. */
      if (response.status >= 500 || response.status === 429 || response.status === 408 || response.status === 409) {
        throw { retry: true };
      }
      return response.json().catch(function () { return []; }).then(function (body) {
        if (!response.ok) { throw { retry: false, messages: Array.isArray(body) ? body : null }; }
        return Array.isArray(body) ? body : [];
      });
    }, function () {
      clearTimeout(timer);
      throw { retry: true }; // the network, not the message
    });
  }

  /* ------------------------------------------------- a conseiller answers */

  function renderHolder() {
    var hold = state.history.hold;
    ui.holder.hidden = !(hold && hold.by);
    ui.holder.textContent = hold && hold.by ? hold.by + " vous répond (conseiller numérique)." : "";
  }

  function schedulePoll(delay) {
    clearTimeout(state.pollTimer);
    state.pollTimer = setTimeout(poll, delay);
  }

  function startHold(by) {
    var hold = state.history.hold || { after: 0 };
    hold.by = by || "Un conseiller";
    state.history.hold = hold;
    state.pollDelay = HOLD_POLL_MS;
    saveHistory();
    renderHolder();
    schedulePoll(0);
  }

  function stopHold() {
    if (state.history.hold) { state.history.hold.by = null; }
    clearTimeout(state.pollTimer);
    saveHistory();
    renderHolder();
  }

  function watch() {
    /* After the assistant answered: a few polls, in case a conseiller takes over. */
    state.watching = WATCH_POLLS;
    state.pollDelay = HOLD_POLL_MS;
    schedulePoll(HOLD_POLL_MS);
  }

  function poll() {
    var generation = state.generation;
    var hold = state.history.hold || { after: 0 };
    var url = HELD_ENDPOINT + "?sender=" + encodeURIComponent(state.sender) + "&after=" + (hold.after || 0);
    fetch(url, { headers: { Accept: "application/json" } }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (body) {
      if (generation !== state.generation) { return; } /* the conversation was wiped meanwhile */
      var wasHeld = !!(state.history.hold && state.history.hold.by);
      var messages = Array.isArray(body.messages) ? body.messages : [];
      var current = state.history.hold || { after: 0 };
      messages.forEach(function (m) {
        if (typeof m.text !== "string" || typeof m.id !== "number" || m.id <= (current.after || 0)) { return; }
        current.after = m.id;
        addMessage({ who: "bot", text: m.text, name: m.from === "conseiller" ? String(m.name || "") : "" });
      });
      state.history.hold = current;
      if (body.held) {
        current.by = String(body.by || "Un conseiller");
        state.watching = 0;
        state.pollDelay = messages.length ? HOLD_POLL_MS : Math.min(state.pollDelay * 2, HOLD_POLL_MAX_MS);
        saveHistory();
        renderHolder();
        schedulePoll(state.pollDelay);
        return;
      }
      current.by = null;
      saveHistory();
      renderHolder();
      if (!wasHeld && state.watching > 0) {
        state.watching -= 1;
        state.pollDelay = state.pollDelay * 2;
        schedulePoll(state.pollDelay);
      }
    }).catch(function () {
      if (generation !== state.generation) { return; }
      state.pollDelay = Math.min((state.pollDelay || HOLD_POLL_MS) * 2, HOLD_POLL_MAX_MS);
      if ((state.history.hold && state.history.hold.by) || state.watching > 0) { schedulePoll(state.pollDelay); }
    });
  }

  function showAnswer(messages) {
    var replies = [];
    var held = null;
    messages.forEach(function (m) {
      if (m && m.custom && m.custom.hold) { held = String(m.custom.hold.by || "Un conseiller"); return; }
      var text = typeof m.text === "string" ? m.text : "";
      if (m.image) { text += (text ? "\n" : "") + "Image : " + m.image; }
      if (text) { addMessage({ who: "bot", text: text }); }
      if (Array.isArray(m.buttons) && m.buttons.length) {
        replies = m.buttons.filter(function (b) { return b && b.title && b.payload; })
          .map(function (b) { return { title: String(b.title), payload: String(b.payload) }; });
      }
    });
    state.history.replies = replies;
    saveHistory();
    renderReplies();
    scrollToEnd();
    if (held) { startHold(held); } else { if (state.history.hold && state.history.hold.by) { stopHold(); } watch(); }
  }

  /* ----------------------------------------------------------- open / close */

  function focusables() {
    return Array.prototype.filter.call(
      ui.panel.querySelectorAll("button, [href], textarea, input, [tabindex]:not([tabindex='-1'])"),
      function (n) { return !n.disabled && !n.hidden && n.offsetParent !== null; });
  }

  function open(moveFocus) {
    state.open = true;
    ui.panel.hidden = false;
    ui.launcher.setAttribute("aria-expanded", "true");
    ui.root.classList.add("aidenum--open");
    session.setItem(OPEN_KEY, "1");
    scrollToEnd();
    if (moveFocus !== false) { ui.input.focus(); }
    touch();
  }

  function close() {
    state.open = false;
    ui.panel.hidden = true;
    ui.launcher.setAttribute("aria-expanded", "false");
    ui.root.classList.remove("aidenum--open");
    session.removeItem(OPEN_KEY);
    ui.launcher.focus();
  }

  /* Wipe what this browser shows and start a new conversation id (shared kiosks). */
  function clearConversation(announce) {
    state.generation += 1;
    state.queue = [];
    state.busy = false;
    if (state.retryTimer) { clearTimeout(state.retryTimer); state.retryTimer = null; }
    state.attempts = 0;
    state.sender = newSender();
    state.history = { messages: [], replies: [] };
    clearTimeout(state.pollTimer);
    state.watching = 0;
    saveHistory();
    renderAll();
    renderHolder();
    setTyping(false);
    setAlert(announce || "");
  }

  /* Kiosk: after KIOSK_SECONDS without a touch or a key, the next person finds a blank widget. */
  var idleTimer = null;
  function touch() {
    if (!KIOSK) { return; }
    clearTimeout(idleTimer);
    idleTimer = setTimeout(function () {
      if (!state.open && !state.history.messages.length) { return; } // nothing to wipe
      var focusWasInside = ui.panel.contains(document.activeElement);
      clearConversation("");
      if (state.open) {
        state.open = false;
        ui.panel.hidden = true;
        ui.launcher.setAttribute("aria-expanded", "false");
        ui.root.classList.remove("aidenum--open");
        session.removeItem(OPEN_KEY);
        if (focusWasInside) { ui.launcher.focus(); }
      }
    }, KIOSK_SECONDS * 1000);
  }

  function wire() {
    ui.launcher.addEventListener("click", function () {
      if (state.open) { close(); } else { open(); }
    });
    ui.close.addEventListener("click", close);
    ui.human.addEventListener("click", function () {
      send(config.human_request);
      ui.input.focus();
    });
    ui.clear.addEventListener("click", function () {
      clearConversation("Conversation effacée. Vous pouvez poser une nouvelle question.");
      ui.input.focus();
    });
    ui.form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = ui.input.value;
      if (!text.trim()) { setAlert("Écrivez d'abord votre message."); ui.input.focus(); return; }
      ui.input.value = "";
      send(text);
    });
    ui.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        ui.form.requestSubmit ? ui.form.requestSubmit() : ui.send.click();
      }
    });
    ui.panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        close();
        return;
      }
      // When the panel covers the whole screen (phones, 200 % zoom), Tab stays inside it.
      if (event.key === "Tab" && ui.panel.getBoundingClientRect().width >= window.innerWidth - 1) {
        var items = focusables();
        if (!items.length) { return; }
        var first = items[0], last = items[items.length - 1];
        if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
        else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
      }
    });
    ["pointerdown", "keydown", "input"].forEach(function (type) {
      document.addEventListener(type, touch, true);
    });
    window.addEventListener("online", retryNow);
    window.addEventListener("offline", function () {
      setTyping(false);
      setAlert(OFFLINE);
    });
    window.addEventListener("storage", function (event) {
      // Another tab started a new conversation: follow it.
      if (event.key === SENDER_KEY && event.newValue) { state.sender = event.newValue; }
    });
  }

  function loadConfig() {
    return fetch(new URL("config.json", scriptUrl).href, { credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : {}; })
      .then(function (c) {
        if (c.notice) { config.notice = c.notice; renderNotice(); }
        if (c.human_request) { config.human_request = c.human_request; }
        if (c.service_name && !data.title) { config.service_name = c.service_name; ui.title.textContent = c.service_name; }
      })
      .catch(function () { /* the defaults above stay */ });
  }

  function start() {
    build();
    wire();
    renderAll();
    loadConfig();
    // Messages typed before a reload and never delivered are sent now.
    state.history.messages.forEach(function (m) { if (m.pending) { state.queue.push(m); } });
    if (session.getItem(OPEN_KEY) === "1") { open(false); }
    else if (data.open === "true") { open(false); }
    if (!navigator.onLine) { setAlert(OFFLINE); }
    pump();
    touch();
    if (state.history.hold && state.history.hold.by) { startHold(state.history.hold.by); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
