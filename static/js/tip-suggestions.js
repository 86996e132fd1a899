// Tip suggestions while typing ("this may already answer it"); the page works without it.
//
// Markup contract:
//   <label for="topic">Topic</label>
//   <input id="topic" name="topic" data-tip-suggest="topic-tips">
//   <div id="topic-tips" class="tip-suggestions" aria-live="polite"></div>
//
// - Any <input> or <textarea> with data-tip-suggest="<id>" is watched; <id> names the container
//   that receives the suggestions. Several fields may share one container: the text of all of
//   them is sent together (e.g. a topic and a learning goal).
// - 300 ms after the last keystroke, GET /tips/suggest?q=<text> (same origin, cookies sent) and
//   put the returned HTML fragment in the container: a short list of up to five links to
//   published tips with escaped, <mark>-highlighted snippets, or nothing at all.
// - Give the container aria-live="polite" so screen readers hear new suggestions without losing
//   their place; the script adds it if missing. Links open in a new tab, so a half-written
//   booking form is never lost.
// - The fragment's URL comes from data-tip-suggest-url on the field (default /tips/suggest).
// - Out-of-order answers are dropped; a failed request leaves the container as it was.
(() => {
  const DELAY_MS = 300;
  const MIN_CHARS = 3;

  function textFor(containerId) {
    const fields = document.querySelectorAll(`[data-tip-suggest="${CSS.escape(containerId)}"]`);
    return Array.from(fields, (field) => field.value.trim()).filter(Boolean).join(" ");
  }

  function watch(field) {
    const containerId = field.dataset.tipSuggest;
    const container = document.getElementById(containerId);
    if (!container) return;
    if (!container.hasAttribute("aria-live")) container.setAttribute("aria-live", "polite");
    const url = field.dataset.tipSuggestUrl || "/tips/suggest";
    let timer = null;
    let latest = 0;
    let lastText = null;

    field.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const text = textFor(containerId);
        if (text === lastText) return;
        lastText = text;
        const ticket = ++latest;
        if (text.length < MIN_CHARS) {
          container.replaceChildren();
          return;
        }
        try {
          const response = await fetch(`${url}?q=${encodeURIComponent(text)}`, {
            credentials: "same-origin",
            headers: { Accept: "text/html" },
          });
          if (!response.ok || ticket !== latest) return;
          const html = await response.text();
          if (ticket !== latest) return;
          // Our own server's fragment, built from escaped text by its templates.
          container.innerHTML = html;
        } catch (_error) {
          // Offline or a server hiccup: keep what is shown; typing again retries.
        }
      }, DELAY_MS);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("input[data-tip-suggest], textarea[data-tip-suggest]").forEach(watch);
  });
})();
