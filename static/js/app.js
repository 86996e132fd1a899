// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();

  // The menu: open on a wide screen (its button hidden), a menu button on a phone.
  const menu = document.querySelector("[data-menu]");
  const wide = window.matchMedia("(min-width: 48rem)");
  const groups = () => document.querySelectorAll("[data-nav-group][open]");
  const fit = () => {
    if (!menu) return;
    menu.classList.toggle("is-wide", wide.matches);
    menu.open = wide.matches;
    groups().forEach((group) => { group.open = false; });
  };
  fit();
  wide.addEventListener("change", fit);

  // Escape closes an open group (or the phone menu) and gives the focus back to its button.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !menu) return;
    const open = [...groups()].pop() || (!wide.matches && menu.open ? menu : null);
    if (!open) return;
    open.open = false;
    open.querySelector("summary").focus();
  });
  // A click or a focus outside closes the groups, and on a phone the menu.
  const outside = (event) => {
    groups().forEach((group) => { if (!group.contains(event.target)) group.open = false; });
    if (menu && !wide.matches && menu.open && !menu.contains(event.target)) menu.open = false;
  };
  document.addEventListener("click", outside);
  document.addEventListener("focusin", outside);

  // Stacked tables keep their table roles: some browsers drop them when a cell becomes a block.
  document.querySelectorAll("table.stack").forEach((table) => {
    table.setAttribute("role", "table");
    table.querySelectorAll("thead, tbody").forEach((part) => part.setAttribute("role", "rowgroup"));
    table.querySelectorAll("tr").forEach((row) => row.setAttribute("role", "row"));
    table.querySelectorAll("td").forEach((cell) => cell.setAttribute("role", "cell"));
    table.querySelectorAll("th").forEach((cell) => {
      cell.setAttribute("role", cell.getAttribute("scope") === "row" ? "rowheader" : "columnheader");
    });
  });
});
