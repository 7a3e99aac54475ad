// Passkeys (WebAuthn) for the sign-in and security pages. Served as a file: the portal's content security
// policy allows no inline script. Without JavaScript or WebAuthn the passkey controls stay hidden.
(function () {
    "use strict";
    if (!window.PublicKeyCredential || !PublicKeyCredential.parseCreationOptionsFromJSON) {
        return;
    }

    function token(form) {
        var input = form.querySelector("input[name=__RequestVerificationToken]");
        return input ? input.value : "";
    }

    async function options(url, form) {
        var response = await fetch(url, {
            method: "POST",
            credentials: "same-origin",
            headers: { "RequestVerificationToken": token(form) }
        });
        if (!response.ok) {
            throw new Error("options: HTTP " + response.status);
        }
        return response.json();
    }

    function wire(buttonId, formId, create) {
        var button = document.getElementById(buttonId);
        var form = document.getElementById(formId);
        if (!button || !form) {
            return;
        }
        var container = form.closest("[data-passkey-signin]") || form;
        container.hidden = false;
        button.addEventListener("click", async function () {
            button.disabled = true;
            try {
                var json = await options(button.dataset.options, form);
                var credential = create
                    ? await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(json) })
                    : await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(json) });
                form.querySelector("input[name=CredentialJson]").value = JSON.stringify(credential);
                form.submit();
            } catch (e) {
                button.disabled = false;
                var note = form.querySelector(".passkey-error") || document.createElement("p");
                note.className = "passkey-error errors";
                note.setAttribute("role", "alert");
                note.textContent = e && e.name === "NotAllowedError"
                    ? button.dataset.cancelled
                    : button.dataset.failed + " " + (e && e.message ? e.message : e);
                form.appendChild(note);
            }
        });
    }

    wire("passkey-signin", "passkey-form", false);
    wire("passkey-add", "passkey-add-form", true);
})();
