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
