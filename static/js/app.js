// Small behaviours htmx does not cover: catching up after a dropped socket, keeping unsent
// text across reloads, and saying plainly when something did not reach the server.
(function () {
  "use strict";

  // --- live socket: reconnect with the last sequence seen, so the server replays what we missed
  function liveRoot() { return document.querySelector("[data-live-url]"); }

  function setStatus(state, text) {
    var el = document.getElementById("live-status");
    if (el) { el.dataset.state = state; el.textContent = text; }
  }

  document.addEventListener("htmx:ws:before:connection", function (evt) {
    var root = liveRoot();
    if (!root) return;
    evt.detail.connection.url = new URL(root.dataset.liveUrl + "?after=" + root.dataset.lastSeq,
      location.href).href.replace(/^http/, "ws");
  });
  document.addEventListener("htmx:ws:after:connection", function () { setStatus("live", "Live"); });
  document.addEventListener("htmx:ws:close", function (evt) {
    setStatus("offline", evt.detail.code === 4403 || evt.detail.code === 4404 ? "Closed" : "Reconnecting…");
  });
  document.addEventListener("htmx:ws:after:message:incoming", function (evt) {
    var root = liveRoot();
    var data;
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
      var url = new URL(location.href);
      url.searchParams.set("panel", id === "room-body" ? "room_body" : id);
      htmx.ajax("GET", url.pathname + url.search, {target: "#" + id, swap: "outerMorph"}).finally(function () {
        delete pendingRefresh[id];
        var el = document.getElementById(id);
        var root = liveRoot();
        if (el && root && attempts > 1 && Number(el.dataset.seq) < Number(root.dataset.lastSeq)) refresh(id, attempts - 1);
      });
    }, delay);
  }

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
  var socket = null;
  document.addEventListener("htmx:ws:after:connection", function (evt) { socket = evt.detail.connection.socket; });
  function sayEditing(target, label) {
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
      left.textContent = seconds <= 0 ? "time is up" :
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

  // --- drafts: what someone is writing survives a dropped connection and a reload
  function draftKey(form) { return form && form.dataset.draftKey; }

  document.addEventListener("input", function (evt) {
    var form = evt.target.closest && evt.target.closest("form[data-draft-key]");
    if (form && evt.target.name === "text") {
      try { localStorage.setItem(draftKey(form), evt.target.value); } catch (e) { /* storage full or off */ }
    }
  });

  function restoreDrafts(scope) {
    (scope || document).querySelectorAll("form[data-draft-key]").forEach(function (form) {
      var key = draftKey(form);
      var area = form.querySelector("textarea[name=text]");
      try {
        // Posted: forget the draft once; what is typed next in this form is a new draft.
        if (form.hasAttribute("data-posted")) {
          localStorage.removeItem(key);
          form.removeAttribute("data-posted");
          return;
        }
        var saved = localStorage.getItem(key);
        if (area && saved && !area.value) {
          area.value = saved;
          var details = form.closest("details");
          if (details) details.open = true;
        }
      } catch (e) { /* storage off: nothing to restore */ }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { restoreDrafts(document); });
  document.addEventListener("htmx:after:swap", function () { restoreDrafts(document); });

  // --- a post that never reached the server: keep the text, say so, let them send again
  document.addEventListener("htmx:error", function (evt) {
    var source = evt.detail && evt.detail.ctx && evt.detail.ctx.sourceElement;
    var form = source && (source.closest ? source.closest("form") : null);
    var status = form && form.querySelector(".form-status");
    if (status) status.textContent = "Not sent: the connection dropped. Your text is kept; press the button again.";
  });
})();
