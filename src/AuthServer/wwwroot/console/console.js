// AuthServer console: small enhancements over pages that work without JavaScript.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // Copy buttons: shown only when the clipboard can be written.
  for (const button of document.querySelectorAll("button.copy[data-copy]")) {
    if (!navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      const field = document.getElementById(button.dataset.copy);
      const note = button.parentElement.querySelector(".copied");
      try {
        await navigator.clipboard.writeText(field.value);
        if (note) note.textContent = "Copied.";
      } catch {
        field.select();
        if (note) note.textContent = "Select the text and copy it.";
      }
    });
  }

  // Revoke: the button works once the typed name matches.
  for (const input of document.querySelectorAll("input[data-must-match]")) {
    const button = document.querySelector(`button[data-enabled-by="${input.id}"]`);
    if (!button) continue;
    const update = () => { button.disabled = input.value.trim() !== input.dataset.mustMatch; };
    input.addEventListener("input", update);
    update();
  }

  // Inline rename: the name becomes a field; Enter saves (through the plain form), Escape cancels.
  for (const details of document.querySelectorAll("details.rename")) {
    const form = details.querySelector("form");
    const cell = details.parentElement;
    const name = cell.querySelector(".key-name");
    const field = form.querySelector("input[name=name]");
    details.hidden = true;
    const edit = document.createElement("button");
    edit.type = "button";
    edit.className = "rename-button";
    edit.textContent = "Rename";
    edit.setAttribute("aria-label", `Rename ${name.textContent}`);
    cell.append(edit);
    edit.addEventListener("click", () => {
      const inline = document.createElement("input");
      inline.className = "rename-inline";
      inline.value = name.textContent;
      inline.maxLength = field.maxLength;
      inline.setAttribute("aria-label", "New name: Enter saves, Escape cancels");
      name.hidden = true;
      edit.hidden = true;
      cell.prepend(inline);
      inline.focus();
      inline.select();
      inline.addEventListener("keydown", (event) => {
        if (event.key === "Enter") {
          event.preventDefault();
          field.value = inline.value;
          form.requestSubmit();
        } else if (event.key === "Escape") {
          inline.remove();
          name.hidden = false;
          edit.hidden = false;
          edit.focus();
        }
      });
    });
  }
});
