// A Print button for pages worth keeping on paper (recovery codes); hidden without JS.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
