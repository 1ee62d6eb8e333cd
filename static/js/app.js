// Small behaviours htmx does not cover: catching up after a dropped socket, keeping unsent
// text across reloads, and saying plainly when something did not reach the server.
(function () {
  "use strict";

  // --- live socket: reconnect with the last sequence seen, so the server replays what we missed.
  // Back-off doubles from 0.5 s and, with its ±25 % jitter, never waits more than 5 s; the
  // browser saying it is online again, or the page being shown again, reconnects at once.
  htmx.config.ws = {reconnectDelay: 500, reconnectMaxDelay: 4000, reconnectJitter: 0.25};
  var connection = null;
  var lastHeard = 0;
  var dropped = false;

  function liveRoot() { return document.querySelector("[data-live-url]"); }

  // What this script says, in the page's language (base.html: web/templating.js_text).
  var TEXT = (function () {
    var el = document.getElementById("ui-text");
    try { return el ? JSON.parse(el.textContent) : {}; } catch (e) { return {}; }
  })();
  function t(english) { return TEXT[english] || english; }

  function setStatus(state, text) {
    var el = document.getElementById("live-status");
    if (el) { el.dataset.state = state; el.textContent = text; }
  }

  var calmTimer = null;
  function wentLive() {
    clearTimeout(calmTimer);
    if (dropped) {
      setStatus("live", t("Back online: you are up to date."));
      document.body.dataset.live = "again";
      calmTimer = setTimeout(function () { setStatus("live", t("Live")); delete document.body.dataset.live; }, 4000);
    } else {
      setStatus("live", t("Live"));
    }
    dropped = false;
  }

  function wentOffline(text) {
    clearTimeout(calmTimer);
    delete document.body.dataset.live;
    dropped = true;
    setStatus("offline", text || t("Connection lost. Reconnecting… what you type is kept."));
  }

  // A fresh socket now, through the extension's own "page shown again" path (it starts one
  // when it has none). The old socket is no longer the extension's, so its late events are ignored.
  function reconnectNow() {
    var c = connection;
    if (!c || document.hidden) return;
    clearTimeout(c.timer);
    var old = c.socket;
    c.socket = null;
    if (old) { try { old.close(); } catch (e) { /* already closed */ } }
    document.dispatchEvent(new Event("visibilitychange"));
  }

  document.addEventListener("htmx:ws:before:connection", function (evt) {
    var root = liveRoot();
    if (!root) return;
    connection = evt.detail.connection;
    evt.detail.connection.url = new URL(root.dataset.liveUrl + "?after=" + root.dataset.lastSeq,
      location.href).href.replace(/^http/, "ws");
  });
  document.addEventListener("htmx:ws:after:connection", function (evt) {
    connection = evt.detail.connection;
    lastHeard = Date.now();
    wentLive();
  });
  document.addEventListener("htmx:ws:close", function (evt) {
    if (evt.detail.code === 4403 || evt.detail.code === 4404) { setStatus("offline", t("Closed: you are no longer in this room.")); return; }
    if (!document.hidden) wentOffline();
  });
  window.addEventListener("offline", function () { wentOffline(t("You are offline. What you type is kept; it reconnects by itself.")); });
  window.addEventListener("online", function () {
    if (!connection) return;
    if (connection.socket && connection.socket.readyState === WebSocket.OPEN) ping(1500); else reconnectNow();
  });

  // A socket can look open after the network went away (a sleeping phone, another Wi-Fi):
  // quiet for 20 s, it is asked for a pong, and replaced if none comes; a socket still
  // connecting after 5 s is replaced too.
  function ping(wait) {
    var c = connection;
    if (!c || !c.socket || c.socket.readyState !== WebSocket.OPEN) return;
    var asked = Date.now();
    try { c.socket.send(JSON.stringify({type: "ping"})); } catch (e) { /* closing anyway */ }
    setTimeout(function () {
      if (connection === c && lastHeard < asked && !document.hidden) { wentOffline(); reconnectNow(); }
    }, wait);
  }
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && Date.now() - lastHeard > 5000) ping(2000);
  });
  var connectingSince = 0;
  setInterval(function () {
    var c = connection;
    if (!c || document.hidden || !c.socket) { connectingSince = 0; return; }
    if (c.socket.readyState === WebSocket.CONNECTING) {
      connectingSince = connectingSince || Date.now();
      if (Date.now() - connectingSince > 5000) { connectingSince = 0; reconnectNow(); }
      return;
    }
    connectingSince = 0;
    if (c.socket.readyState === WebSocket.OPEN && Date.now() - lastHeard > 20000) ping(4000);
  }, 1000);

  document.addEventListener("htmx:ws:after:message:incoming", function (evt) {
    var root = liveRoot();
    var data;
    lastHeard = Date.now();
    try { data = JSON.parse(evt.detail.message.data); } catch (e) { return; }
    if (data.type === "reload") { location.reload(); return; }
    if (root && typeof data.seq === "number" && data.seq > Number(root.dataset.lastSeq)) {
      root.dataset.lastSeq = String(data.seq);
      // A reconnect made by the extension itself (tab shown again) reuses this URL.
      evt.detail.connection.url = evt.detail.connection.url.replace(/after=\d+/, "after=" + data.seq);
    }
    resortThreads();
    if (data.type) {
      document.body.dispatchEvent(new CustomEvent("room:" + data.type, {detail: data}));
      refreshFor(data.type);
    }
    if (data.type === "editing") expireEditingNotice();
  });

  // Events that change what this viewer may do (phase, roles) or that feed a panel built for
  // this viewer (the workbench) make the page fetch its own fresh copy of that part, merged in
  // by morphing so that text being typed stays.
  // A refresh fetched before a live event but answered after it would hide that event, so each
  // refreshed part says which sequence it reflects (data-seq) and is fetched again if behind.
  var pendingRefresh = {};
  function refreshFor(type) {
    document.querySelectorAll("[data-refresh-on]").forEach(function (el) {
      var on = el.dataset.refreshOn.split(" ");
      if (el.id && (on.indexOf(type) >= 0 || on.indexOf("*") >= 0)) refresh(el.id, 3);
    });
  }
  function refresh(id, attempts) {
    if (pendingRefresh[id]) return;
    var el = document.getElementById(id);
    var delay = Number(el && el.dataset.refreshDelay) || 250;
    pendingRefresh[id] = setTimeout(function () {
      // A part with an address of its own (data-refresh-url) is fetched from it; any other
      // part is the page's own block of that name.
      var url = new URL((el && el.dataset.refreshUrl) || location.href, location.href);
      if (!(el && el.dataset.refreshUrl)) url.searchParams.set("panel", id === "room-body" ? "room_body" : id);
      htmx.ajax("GET", url.pathname + url.search, {target: "#" + id, swap: "outerMorph"}).finally(function () {
        delete pendingRefresh[id];
        var el = document.getElementById(id);
        var root = liveRoot();
        if (el && root && attempts > 1 && Number(el.dataset.seq) < Number(root.dataset.lastSeq)) refresh(id, attempts - 1);
      });
    }, delay);
  }

  // Parts that change with time alone (the dashboard: a room falls quiet, its charts move on)
  // are fetched again every data-refresh-timed seconds while the page is shown.
  var timedAt = {};
  setInterval(function () {
    if (document.hidden) return;
    var now = Date.now();
    document.querySelectorAll("[data-refresh-timed]").forEach(function (el) {
      if (!el.id) return;
      timedAt[el.id] = timedAt[el.id] || now;
      if (now - timedAt[el.id] < (Number(el.dataset.refreshTimed) || 60) * 1000) return;
      timedAt[el.id] = now;
      refresh(el.id, 1);
    });
  }, 1000);

  var editingTimer = null;
  function expireEditingNotice() {
    clearTimeout(editingTimer);
    editingTimer = setTimeout(function () {
      var el = document.getElementById("editing");
      if (el) el.textContent = "";
    }, 20000);
  }

  // Rapporteurs tell the room what they are editing, over the socket (the server only relays
  // it from rapporteurs and organisers).
  function sayEditing(target, label) {
    var socket = connection && connection.socket;
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({type: "editing", target: target, label: label}));
    }
  }
  document.addEventListener("focusin", function (evt) {
    var form = evt.target.closest && evt.target.closest("form[data-editing]");
    if (form && evt.target.tagName === "TEXTAREA") sayEditing(form.dataset.editing, form.dataset.label);
  });
  document.addEventListener("focusout", function (evt) {
    var form = evt.target.closest && evt.target.closest("form[data-editing]");
    if (form && evt.target.tagName === "TEXTAREA") sayEditing(null, null);
  });

  // The room's countdown, from the end time the server sent.
  setInterval(function () {
    document.querySelectorAll(".countdown[data-ends-at]").forEach(function (el) {
      var left = el.querySelector(".left");
      if (!left || !el.dataset.endsAt) return;
      var seconds = Math.round((Date.parse(el.dataset.endsAt) - Date.now()) / 1000);
      left.textContent = seconds <= 0 ? t("time is up") :
        Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
      el.classList.toggle("ending", seconds > 0 && seconds <= 60);
    });
  }, 1000);

  // "Show the room's changes": the working text with what the room struck and inserted.
  document.addEventListener("change", function (evt) {
    if (evt.target.id === "show-changes") document.body.classList.toggle("hide-changes", !evt.target.checked);
  });

  // Threads sorted by support re-sort when counts change; newest-first order is kept by the
  // upsert swap itself.
  function resortThreads() {
    document.querySelectorAll('ol.thread[data-sort="support"]').forEach(function (list) {
      var items = Array.prototype.slice.call(list.children);
      function support(li) {
        var n = li.querySelector(".support-n");
        return n ? Number(n.dataset.support) : 0;
      }
      var sorted = items.slice().sort(function (a, b) {
        return support(b) - support(a) || Number(b.dataset.created) - Number(a.dataset.created);
      });
      if (sorted.some(function (li, i) { return li !== items[i]; })) {
        sorted.forEach(function (li) { list.appendChild(li); });
      }
    });
  }

  // --- one's own comment keeps its "Your comment" line, not a support or report button (both
  // are refused for one's own comment), when the socket's copy for everyone replaces it
  var ownActions = {};
  function keepOwnComments() {
    document.querySelectorAll("li.comment[data-own]").forEach(function (li) {
      var actions = li.querySelector(":scope > article .comment-actions");
      if (actions) ownActions[li.id] = actions.outerHTML;
    });
    Object.keys(ownActions).forEach(function (id) {
      var li = document.getElementById(id);
      var actions = li && !li.hasAttribute("data-own") && li.querySelector(":scope > article .comment-actions");
      if (!actions) return;
      actions.insertAdjacentHTML("afterend", ownActions[id]);
      actions.remove();
      li.setAttribute("data-own", "");
      htmx.process(li);
    });
  }
  // Watched on the DOM itself, in the observer's microtask: the author's copy is seen before
  // any later task (the socket's copy for everyone) can replace it, and a copy swapped in after
  // its message event has been handled is still caught. Its own changes end the recursion.
  new MutationObserver(keepOwnComments).observe(document.body, { childList: true, subtree: true });

  // --- budgets in the controls: no "+" while no priority dots are left, nor on a decided
  // amendment (rendered data-decided, or decided live: its status is no longer pending)
  function decidedStatus(form) {
    var item = form.closest("li.amendment");
    var status = item && item.querySelector(".astatus");
    return status && !status.classList.contains("status-pending") ? status : null;
  }
  function applyDotBudget() {
    var left = document.getElementById("dots-left");
    if (!left) return;
    var none = Number(left.dataset.left) <= 0;
    document.querySelectorAll("button[data-add-dot]").forEach(function (b) {
      var form = b.closest("form");
      var decided = form && (form.hasAttribute("data-decided") || decidedStatus(form));
      b.disabled = none || !!decided;
      if (decided) b.setAttribute("aria-describedby", decided.id || "astatus-" + form.querySelector("[name=target_id]").value);
      else if (none) b.setAttribute("aria-describedby", "dots-left");
      else b.removeAttribute("aria-describedby");
    });
  }
  // An amendment decided while the page is open: as a reload would show it, the dots on it can
  // be taken back and no more added, and it offers no dots to one who placed none there.
  function settleDecidedDots() {
    document.querySelectorAll("li.amendment form.dots").forEach(function (form) {
      if (!decidedStatus(form)) return;
      form.setAttribute("data-decided", "");
      if (Number(form.dataset.dots) <= 0 && !form.contains(document.activeElement)) form.remove();
    });
    applyDotBudget();
  }
  document.addEventListener("DOMContentLoaded", applyDotBudget);
  document.addEventListener("htmx:after:swap", applyDotBudget);
  document.body.addEventListener("room:amendment_decided", function () { setTimeout(settleDecidedDots, 0); });

  // --- drafts: every field of a form being written (text, rationale, type, signing choice)
  // survives a dropped connection and a reload, until it is sent
  function draftKey(form) { return form && form.dataset.draftKey; }
  // A workbench draft keeps the version it was written against, so that saving it after a
  // reload is still checked against what others saved meanwhile.
  function draftFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && (el.type !== "hidden" || el.classList.contains("base-version")) &&
        el.type !== "submit" && el.type !== "button";
    });
  }
  function readDraft(key) {
    var saved = localStorage.getItem(key);
    if (!saved) return null;
    try {
      var data = JSON.parse(saved);
      if (data && typeof data === "object") return data;
    } catch (e) { /* a draft from before fields were kept: just the text */ }
    return {text: saved};
  }

  function saveDraft(form) {
    var data = {};
    draftFields(form).forEach(function (el) {
      if (el.type === "radio") { if (el.checked) data[el.name] = el.value; }
      else if (el.type === "checkbox") data[el.name] = el.checked;
      else data[el.name] = el.value;
    });
    try { localStorage.setItem(draftKey(form), JSON.stringify(data)); } catch (e) { /* storage full or off */ }
  }
  function onEdit(evt) {
    var form = evt.target.closest && evt.target.closest("form[data-draft-key]");
    if (form && evt.target.name) saveDraft(form);
  }
  document.addEventListener("input", onEdit);
  document.addEventListener("change", onEdit);

  function restoreDrafts(scope) {
    (scope || document).querySelectorAll("form[data-draft-key]").forEach(function (form) {
      var key = draftKey(form);
      try {
        // Posted: forget the draft once; what is typed next in this form is a new draft.
        if (form.hasAttribute("data-posted")) {
          localStorage.removeItem(key);
          form.removeAttribute("data-posted");
          return;
        }
        var saved = readDraft(key);
        if (!saved) return;
        var restored = false;
        draftFields(form).forEach(function (el) {
          if (!(el.name in saved) || el === document.activeElement) return;
          if (el.type === "radio") { if (el.checked !== (saved[el.name] === el.value)) { el.checked = saved[el.name] === el.value; restored = true; } }
          else if (el.type === "checkbox") { if (el.checked !== !!saved[el.name]) { el.checked = !!saved[el.name]; restored = true; } }
          else if (el.value !== saved[el.name] && saved[el.name] !== "") { el.value = saved[el.name]; restored = true; }
        });
        var details = form.closest("details");
        if (restored && details) details.open = true;
      } catch (e) { /* storage off: nothing to restore */ }
    });
  }

  // Accepted and sent on to another page (joining a room): that form's draft is done with.
  document.addEventListener("htmx:after:request", function (evt) {
    var ctx = evt.detail && evt.detail.ctx;
    var form = ctx && ctx.sourceElement && ctx.sourceElement.closest && ctx.sourceElement.closest("form[data-draft-key]");
    if (form && ctx.hx && ctx.hx.redirect && ctx.response.status < 400) {
      try { localStorage.removeItem(draftKey(form)); } catch (e) { /* storage off */ }
    }
  });

  document.addEventListener("DOMContentLoaded", function () { restoreDrafts(document); });
  document.addEventListener("htmx:after:swap", function () { restoreDrafts(document); });
  document.addEventListener("htmx:after:process", function (evt) {
    if (evt.target.matches && evt.target.matches("form[data-draft-key]")) restoreDrafts(evt.target.parentNode);
  });

  // --- a replace starts from the paragraph's current text; an insert starts empty
  document.addEventListener("change", function (evt) {
    var form = evt.target.closest && evt.target.closest("form.amendment-form");
    if (!form || evt.target.name !== "kind") return;
    var area = form.querySelector("textarea[name=text]");
    var current = area && area.dataset.current;
    if (!area || current === undefined) return;
    if (evt.target.value === "replace" && !area.value.trim()) area.value = current;
    else if (evt.target.value !== "replace" && area.value === current) area.value = "";
    saveDraft(form);
  });

  // --- after posting, focus moves to what was posted (its form stays ready for the next one).
  // Listened for on htmx:after:process: the answer replaces the form, and events on the
  // replaced element no longer reach the document.
  document.addEventListener("htmx:after:process", function (evt) {
    var form = evt.target.matches && evt.target.matches("form[data-new-item]") ? evt.target : null;
    if (!form) return;
    var id = form.dataset.newItem;
    form.removeAttribute("data-new-item");
    keepFocus = {id: id, until: Date.now() + 5000};
    setTimeout(refocus, 0);  // the new item is upserted right after the form
  });
  // The room's own echo of that item over the socket replaces it, and focus with it: put it back.
  var keepFocus = null;
  function refocus() {
    if (!keepFocus || Date.now() > keepFocus.until) { keepFocus = null; return; }
    var item = document.getElementById(keepFocus.id);
    if (!item || item === document.activeElement) return;
    if (document.activeElement && document.activeElement !== document.body && !item.contains(document.activeElement)) {
      keepFocus = null;  // they moved on
      return;
    }
    item.setAttribute("tabindex", "-1");
    item.focus();
  }
  document.addEventListener("htmx:ws:after:message:incoming", function () { setTimeout(refocus, 0); });

  // --- an export written in a worker thread (export/routes.py): once it is, the fragment that
  // replaced its progress bar names the file; going there downloads it and the page stays.
  document.addEventListener("htmx:after:process", function (evt) {
    var done = evt.target.matches && evt.target.matches("[data-download]") ? evt.target : null;
    if (!done) return;
    var file = done.dataset.download;
    done.removeAttribute("data-download");
    location.href = file;
  });

  // --- a form sent back with problems: focus goes to the first field that needs attention
  document.addEventListener("htmx:after:process", function (evt) {
    var root = evt.target;
    var bad = root.querySelector && (root.matches("[aria-invalid=true]") ? root : root.querySelector("[aria-invalid=true]"));
    if (bad) bad.focus();
  });

  // --- a refusal appears next to what was tapped, not at the top of a long page
  document.addEventListener("htmx:before:request", function (evt) {
    var source = evt.detail && evt.detail.ctx && evt.detail.ctx.sourceElement;
    var form = source && source.closest && source.closest("form");
    var box = form && form.querySelector(".form-error");
    if (box) box.remove();
  });
  document.addEventListener("htmx:after:swap", function (evt) {
    var ctx = evt.detail && evt.detail.ctx;
    var flash = document.getElementById("flash");
    var target = ctx && (typeof ctx.target === "string" ? document.querySelector(ctx.target) : ctx.target);
    if (!flash || target !== flash || !flash.textContent.trim()) return;
    var source = ctx.sourceElement;
    var form = source && source.closest && source.closest("form");
    if (!form || !form.isConnected) return;
    var lines = Array.prototype.map.call(flash.querySelectorAll(".notice-box > p:not(:has(a)), .notice-box li"),
      function (el) { return el.textContent.trim(); }).filter(Boolean);
    var box = document.createElement("p");
    box.className = "form-error";
    box.setAttribute("role", "alert");
    box.textContent = lines.join(" ") || flash.textContent.trim();
    form.appendChild(box);
    flash.innerHTML = "";
  });
  document.addEventListener("click", function (evt) {
    var notice = evt.target.closest && evt.target.closest("#flash, #poll-notice");
    if (notice) setTimeout(function () { notice.innerHTML = ""; }, 0);
  });

  // --- a post that never reached the server: keep the text, say so, let them send again
  document.addEventListener("htmx:error", function (evt) {
    var source = evt.detail && evt.detail.ctx && evt.detail.ctx.sourceElement;
    var form = source && (source.closest ? source.closest("form") : null);
    var status = form && form.querySelector(".form-status");
    if (status) status.textContent = t("Not sent: the connection dropped. Your text is kept; press the button again.");
  });
})();
