// StakeEasy's own script: Alpine components (CSP build: registered here, referenced by name) and
// the drag-and-drop glue. Everything works without it; it only makes things smoother.
document.addEventListener("alpine:init", () => {
  // A flash message that can be dismissed; success and undo messages fade after a while.
  window.Alpine.data("flash", () => ({
    init() {
      const kind = this.$el.className;
      if (!kind.includes("flash-error")) {
        const hasUndo = this.$el.querySelector("form") !== null;
        this.timer = setTimeout(() => this.dismiss(), hasUndo ? 20000 : 6000);
      }
    },
    dismiss() {
      clearTimeout(this.timer);
      this.$el.remove();
    },
  }));

  // A disclosure whose open state only the browser needs (inline forms on list rows).
  window.Alpine.data("disclosure", () => ({
    open: false,
    toggle() { this.open = !this.open; },
    close() { this.open = false; },
    isOpen() { return this.open; },
    isClosed() { return !this.open; },
  }));
});

// Drag-and-drop ordering: any <tbody data-sortable> becomes sortable; on drop, the enclosing form
// (which lists the ids in order as hidden inputs) is submitted once, through htmx when present.
function initSortables(root) {
  if (typeof window.Sortable === "undefined") return;
  root.querySelectorAll("[data-sortable]").forEach((list) => {
    if (list._sortable) return;
    list._sortable = window.Sortable.create(list, {
      handle: "[data-drag-handle]",
      animation: 150,
      delayOnTouchOnly: true,
      delay: 150,
      onEnd(evt) {
        if (evt.oldIndex === evt.newIndex) return;
        const form = document.getElementById(list.dataset.sortable);
        if (!form) return;
        form.querySelectorAll("input[name=order]").forEach((el) => el.remove());
        list.querySelectorAll("[data-id]").forEach((row) => {
          const input = document.createElement("input");
          input.type = "hidden";
          input.name = "order";
          input.value = row.dataset.id;
          form.appendChild(input);
        });
        form.requestSubmit();
      },
    });
  });
}

document.addEventListener("DOMContentLoaded", () => initSortables(document));
document.addEventListener("htmx:after:swap", () => initSortables(document));

// ---- Poker sessions (app/play): the running timer's clock --------------------------------------
// The server draws the elapsed time; this only ticks it between requests. data-seconds is the time
// at the table when the page was drawn, data-running "no" during a break (then the clock stands still).
document.addEventListener("alpine:init", () => {
  window.Alpine.data("playClock", () => ({
    label: "",
    init() {
      const base = Number(this.$el.dataset.seconds) || 0;
      const startedAt = Date.now();
      const running = this.$el.dataset.running === "yes";
      const show = () => {
        const total = base + (running ? Math.floor((Date.now() - startedAt) / 1000) : 0);
        const h = Math.floor(total / 3600);
        const m = String(Math.floor((total % 3600) / 60)).padStart(2, "0");
        const s = String(total % 60).padStart(2, "0");
        this.label = `${h}:${m}:${s}`;
      };
      show();
      if (running) this.timer = setInterval(show, 1000);
    },
    destroy() {
      clearInterval(this.timer);
    },
  }));
});

// ---- Poker sessions (app/play): a session form is not lost offline ----------------------------------
// <form x-data="formDraft" data-draft="KEY">: what is typed is kept in localStorage under KEY until the
// form is saved (an htmx answer below 400), and put back when the page is opened again (not over a
// re-rendered form with errors, data-draft-keep: that one shows the latest input). csrf_token is never
// stored. A restored form shows its [data-draft-note] with a Discard button (back to the server's values).
document.addEventListener("alpine:init", () => {
  window.Alpine.data("formDraft", () => ({
    clean: true,
    init() {
      this.key = `stakeeasy-draft:${this.$el.dataset.draft}`;
      const stored = this.read();
      if (stored && this.$el.dataset.draftKeep !== "yes") this.restore(stored);
      this.$el.addEventListener("input", () => this.save());
      this.$el.addEventListener("change", () => this.save());
      this.$el.addEventListener("htmx:after:request", (evt) => {
        const response = evt.detail && evt.detail.ctx && evt.detail.ctx.response;
        if (response && response.status < 400) this.forget();
      });
    },
    fields() {
      return Array.from(this.$root.elements).filter((el) => el.name && el.name !== "csrf_token" && el.type !== "file");
    },
    read() {
      try {
        return JSON.parse(window.localStorage.getItem(this.key) || "null");
      } catch (_error) {
        return null;  // storage off (private mode) or a damaged entry: nothing to restore
      }
    },
    save() {
      const values = {};
      this.fields().forEach((el) => {
        values[el.name] = el.type === "checkbox" ? el.checked : el.value;
      });
      try {
        window.localStorage.setItem(this.key, JSON.stringify(values));
      } catch (_error) { /* storage full or off: the form still works */ }
    },
    restore(values) {
      let changed = false;
      this.fields().forEach((el) => {
        if (!(el.name in values)) return;
        if (el.type === "checkbox") {
          changed = changed || el.checked !== values[el.name];
          el.checked = Boolean(values[el.name]);
        } else if (el.value !== values[el.name]) {
          el.value = values[el.name];
          changed = true;
        }
      });
      this.clean = !changed;
    },
    forget() {
      try { window.localStorage.removeItem(this.key); } catch (_error) { /* nothing stored */ }
      this.clean = true;
    },
    discard() {
      this.forget();
      this.$root.reset();  // back to the values the server drew ($el is the clicked button here)
    },
  }));
});

// ---- Installable app (app/pwa): the service worker, and the dashboard's figures kept for offline -------
// The dashboard's #dashboard-figures carries its headline figures (data-offline-figures, formatted by the
// server); they are kept in localStorage with the time they were seen and the page's viewer tag (an opaque
// per-player value in <meta name="stakeeasy-viewer">, "" when logged out). Any page with a different tag —
// logged out, or another player — forgets them, and so does the log-out button, so one player never sees
// another's figures. The offline page (templates/pwa/offline.html) lists them, labelled as not current.
(() => {
  const KEY = "stakeeasy-offline-dashboard";

  function read() {
    try {
      return JSON.parse(window.localStorage.getItem(KEY) || "null");
    } catch (_error) {
      return null;  // storage off (private mode) or a damaged entry
    }
  }
  function forget() {
    try { window.localStorage.removeItem(KEY); } catch (_error) { /* nothing stored */ }
  }
  function viewer() {
    const meta = document.querySelector('meta[name="stakeeasy-viewer"]');
    return meta ? meta.content : null;  // null: a page that does not know (the offline page)
  }
  function remember() {
    const section = document.querySelector("[data-offline-figures]");
    const tag = viewer();
    if (!section || !tag) return;
    let figures;
    try {
      figures = JSON.parse(section.dataset.offlineFigures);
    } catch (_error) {
      return;
    }
    if (!Array.isArray(figures) || figures.length === 0) {
      forget();  // nothing to show (a new or reset account): no older figures either
      return;
    }
    try {
      window.localStorage.setItem(KEY, JSON.stringify({ viewer: tag, seenAt: new Date().toISOString(), figures }));
    } catch (_error) { /* storage full or off: offline shows nothing */ }
  }
  function showOffline(box) {
    const saved = read();
    const figures = saved && Array.isArray(saved.figures) ? saved.figures : [];
    if (figures.length === 0) return;  // the "nothing saved" text stays
    const list = box.querySelector("[data-offline-list]");
    figures.forEach(([label, value]) => {
      const card = document.createElement("div");
      card.className = "card";
      const title = document.createElement("h2");
      title.textContent = String(label);
      const figure = document.createElement("p");
      figure.className = "figure";
      figure.textContent = String(value);
      card.append(title, figure);
      list.append(card);
    });
    const time = box.querySelector("[data-offline-time]");
    const seenAt = new Date(saved.seenAt);
    time.dateTime = Number.isNaN(seenAt.getTime()) ? "" : seenAt.toISOString();
    time.textContent = Number.isNaN(seenAt.getTime()) ? "an unknown time" : seenAt.toLocaleString();
    list.hidden = false;
    box.querySelector("[data-offline-stamp]").hidden = false;
    box.querySelector("[data-offline-empty]").hidden = true;
  }

  // Session-form drafts (formDraft above) belong to the player who typed them: logging out removes
  // them, and so does another player logging in on this browser. A page without a player (the login
  // page after an expired session) keeps them, so a draft survives signing in again.
  const DRAFT_OWNER = "stakeeasy-draft-owner";
  function forgetDrafts() {
    try {
      Object.keys(window.localStorage)
        .filter((key) => key.startsWith("stakeeasy-draft:"))
        .forEach((key) => window.localStorage.removeItem(key));
      window.localStorage.removeItem(DRAFT_OWNER);
    } catch (_error) { /* storage off: nothing stored */ }
  }
  function claimDrafts(tag) {
    if (!tag) return;
    try {
      const owner = window.localStorage.getItem(DRAFT_OWNER);
      if (owner !== null && owner !== tag) forgetDrafts();
      window.localStorage.setItem(DRAFT_OWNER, tag);
    } catch (_error) { /* storage off */ }
  }

  document.addEventListener("submit", (evt) => {
    if (evt.target.matches("[data-forget-offline]")) {
      forget();
      forgetDrafts();
    }
  });
  document.addEventListener("htmx:after:swap", remember);  // a quick action brings fresh figures
  document.addEventListener("DOMContentLoaded", () => {
    const tag = viewer();
    const saved = read();
    if (tag !== null && saved && saved.viewer !== tag) forget();
    claimDrafts(tag);
    remember();
    const box = document.querySelector("[data-offline-dashboard]");
    if (box) showOffline(box);
    const link = document.querySelector("link[rel=manifest][data-service-worker]");
    if (link && "serviceWorker" in navigator) {
      navigator.serviceWorker.register(link.dataset.serviceWorker).catch(() => { /* no worker: no offline page */ });
    }
  });
})();
