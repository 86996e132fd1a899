// The booking form shows the room for an in-person session and the link for an online one.
// Without this script both fields show, each labelled with the format it is for.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector(".booking-form");
  if (!form) return;
  const radios = form.querySelectorAll('input[name="format"][type="radio"]');
  const fields = form.querySelectorAll("[data-format]");
  if (!radios.length || !fields.length) return;
  const show = () => {
    const chosen = form.querySelector('input[name="format"]:checked');
    fields.forEach((input) => {
      const wrapper = input.closest(".field");
      if (wrapper) wrapper.hidden = !chosen || input.dataset.format !== chosen.value;
    });
  };
  radios.forEach((radio) => radio.addEventListener("change", show));
  show();
});
