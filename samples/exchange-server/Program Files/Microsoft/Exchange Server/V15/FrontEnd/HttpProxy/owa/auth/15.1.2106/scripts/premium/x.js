/* Bulwark sample: a benign script in the versioned owa/auth folder (decoy). Not a web shell. */
(function () {
    "use strict";
    window.owaLogonHelpers = {
        focusUserName: function () {
            var field = document.getElementById("username");
            if (field) { field.focus(); }
        }
    };
})();
