// Upload progress for the org admin's upload form (progressive enhancement: without this script the form posts
// as it is). Sends the same multipart form, token first, with XMLHttpRequest to show a <progress> bar, then
// follows the server's answer: the upload's page when it was received, the server's message when not.
(function () {
    'use strict';
    var form = document.querySelector('form[data-upload]');
    if (!form || !window.XMLHttpRequest || !window.FormData) {
        return;
    }

    var progress = form.querySelector('progress');
    var message = form.querySelector('[role=status]');
    var button = form.querySelector('button[type=submit]');

    function say(text) {
        if (message) {
            message.textContent = text;
        }
    }

    form.addEventListener('submit', function (event) {
        var file = form.querySelector('input[type=file]');
        if (!file || !file.files || file.files.length === 0) {
            return; // the browser's own "required" message applies
        }

        event.preventDefault();
        var data = new FormData(form);
        var token = form.querySelector('input[name=__RequestVerificationToken]');
        var xhr = new XMLHttpRequest();
        xhr.open('POST', form.getAttribute('action'));
        if (token) {
            xhr.setRequestHeader('RequestVerificationToken', token.value);
        }

        xhr.upload.addEventListener('progress', function (e) {
            if (e.lengthComputable && progress) {
                progress.value = Math.floor((e.loaded / e.total) * 100);
            }
        });
        xhr.addEventListener('load', function () {
            if (xhr.status >= 200 && xhr.status < 300 && xhr.responseURL && xhr.responseURL.indexOf('/org/sources/uploads/') >= 0) {
                window.location.assign(xhr.responseURL);
                return;
            }

            // Show the server's own explanation (its page's error list) in this page.
            var reason = form.getAttribute('data-failed');
            try {
                var doc = new DOMParser().parseFromString(xhr.responseText, 'text/html');
                var item = doc.querySelector('#upload-error li');
                if (item && item.textContent) {
                    reason = item.textContent;
                }
            } catch (ignored) {
                // keep the generic message
            }

            finish();
            say(reason);
        });
        xhr.addEventListener('error', function () {
            finish();
            say(form.getAttribute('data-failed'));
        });

        function finish() {
            if (button) {
                button.disabled = false;
            }

            if (progress) {
                progress.hidden = true;
            }
        }

        if (button) {
            button.disabled = true;
        }

        if (progress) {
            progress.value = 0;
            progress.hidden = false;
        }

        say(form.getAttribute('data-sending'));
        xhr.send(data);
    });
}());
