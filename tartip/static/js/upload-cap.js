// Photo inputs carry the server's caps (signals.forms.MultiplePhotoInput): a photo over the size
// cap, or more photos than allowed, is refused here before anything is uploaded, with the limit
// said beside the input. The server checks again. The report form shrinks photos before it
// checks them (report-form.js), so its input is left to that script.
(function () {
  "use strict";

  function sayBeside(input, text) {
    var note = input.parentNode.querySelector(".upload-cap");
    if (!note) {
      note = document.createElement("p");
      note.className = "upload-cap message message--error";
      note.setAttribute("role", "alert");
      input.parentNode.appendChild(note);
    }
    note.textContent = text;
    note.hidden = !text;
  }

  function check(input) {
    var files = Array.prototype.slice.call(input.files);
    var maxFiles = parseInt(input.dataset.maxFiles, 10) || Infinity;
    var maxBytes = parseInt(input.dataset.maxBytes, 10) || Infinity;
    if (files.length > maxFiles) {
      input.value = "";
      sayBeside(input, input.dataset.tooManyText);
      return;
    }
    var refused = files.filter(function (file) { return file.size > maxBytes; });
    if (!refused.length) { sayBeside(input, ""); return; }
    if (typeof DataTransfer === "undefined") {
      input.value = "";
    } else {
      var kept = new DataTransfer();
      files.forEach(function (file) { if (file.size <= maxBytes) { kept.items.add(file); } });
      input.files = kept.files;
    }
    var names = refused.map(function (file) { return file.name; }).join(", ");
    sayBeside(input, names + ": " + input.dataset.tooLargeText);
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) { return; }
    if (input.closest("[data-shrinking-text]")) { return; }
    check(input);
  });
})();
