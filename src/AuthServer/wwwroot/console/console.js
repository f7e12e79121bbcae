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

// Passkeys (WebAuthn): the server's options go to the browser's authenticator; its answer is posted with the form.
document.addEventListener("DOMContentLoaded", () => {
  const supported = window.PublicKeyCredential && PublicKeyCredential.parseCreationOptionsFromJSON;
  for (const form of document.querySelectorAll("form[data-options-handler]")) {
    const button = form.querySelector("button.passkey-create, button.passkey-get");
    if (!supported || !button) continue;
    const unsupported = form.querySelector(".passkey-unsupported");
    if (unsupported) unsupported.hidden = true;
    button.hidden = false;
    button.addEventListener("click", async () => {
      const body = new FormData();
      body.append("__csrf", form.querySelector("input[name=__csrf]").value);
      const url = new URL(form.action, location.href);
      url.searchParams.set("handler", form.dataset.optionsHandler);
      try {
        const response = await fetch(url, { method: "POST", body, credentials: "same-origin" });
        const options = await response.json();
        const credential = button.classList.contains("passkey-create")
          ? await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) })
          : await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
        form.querySelector("input[name=credential]").value = JSON.stringify(credential.toJSON());
      } catch {
        form.querySelector("input[name=credential]").value = "";
      }
      form.submit();
    });
  }
});
