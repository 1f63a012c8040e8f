// Filter panels (<details data-open-wide>) start open on wide screens, where there is
// room beside the results; on a phone they stay closed unless the page opened them
// (filters applied). Without this script they simply start as the server rendered them.
(function () {
    "use strict";
    if (!window.matchMedia("(min-width: 50rem)").matches) { return; }
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
        details.open = true;
    });
}());
