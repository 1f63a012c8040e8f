/*
 * Keyboard shortcuts for reviewers (progressive enhancement: every action is also a
 * link, a checkbox or a button).
 *
 * Review queue ([data-queue]): j / k (or the arrow keys inside the list) move between
 * ideas, o opens the current one (Enter works too: it is a link), x selects it,
 * ? opens the list of shortcuts. Idea page: j / n next idea in the queue, k / p previous.
 *
 * Single-character shortcuts can be switched off in the shortcuts dialog (WCAG 2.1.4);
 * the choice is kept in this browser. They never fire while typing in a field or with
 * Ctrl, Alt or Meta held.
 */
(function () {
    "use strict";
    var STORAGE_KEY = "intranet.queueShortcuts";

    function enabled() {
        try { return window.localStorage.getItem(STORAGE_KEY) !== "off"; } catch (e) { return true; }
    }

    function setEnabled(on) {
        try { window.localStorage.setItem(STORAGE_KEY, on ? "on" : "off"); } catch (e) { /* private mode */ }
    }

    function typing(target) {
        if (!target || !target.closest) { return false; }
        return Boolean(target.isContentEditable ||
            target.closest("input, textarea, select, [contenteditable], dialog"));
    }

    function rows(queue) {
        return Array.prototype.slice.call(queue.querySelectorAll("tbody tr"))
            .filter(function (row) { return row.querySelector("th a"); });
    }

    function currentIndex(list) {
        var active = document.activeElement;
        for (var i = 0; i < list.length; i += 1) {
            if (list[i].contains(active)) { return i; }
        }
        return -1;
    }

    function focusRow(list, index) {
        if (!list.length) { return; }
        index = Math.max(0, Math.min(list.length - 1, index));
        list.forEach(function (row, i) { row.classList.toggle("is-current", i === index); });
        var link = list[index].querySelector("th a");
        link.focus();
        list[index].scrollIntoView({ block: "nearest" });
    }

    function setUpDialog() {
        var dialog = document.getElementById("shortcuts-dialog");
        var opener = document.querySelector("[data-shortcuts-open]");
        if (!dialog || typeof dialog.showModal !== "function") { return null; }
        var toggle = dialog.querySelector("input[type=checkbox]");
        if (opener) {
            opener.hidden = false;
            opener.addEventListener("click", function () { dialog.showModal(); });
        }
        if (toggle) {
            toggle.checked = enabled();
            toggle.addEventListener("change", function () { setEnabled(toggle.checked); });
        }
        return dialog;
    }

    function onQueueKey(queue, dialog, event) {
        var list = rows(queue);
        var index = currentIndex(list);
        var key = event.key;
        var inList = index !== -1;
        if (key === "?" && dialog) { dialog.showModal(); return true; }
        if (!enabled() && !(inList && (key === "ArrowDown" || key === "ArrowUp"))) { return false; }
        if (key === "j" || (inList && key === "ArrowDown")) { focusRow(list, index + 1); return true; }
        if (key === "k" || (inList && key === "ArrowUp")) { focusRow(list, index === -1 ? 0 : index - 1); return true; }
        if (!inList) { return false; }
        if (key === "o") { list[index].querySelector("th a").click(); return true; }
        if (key === "x") {
            var box = list[index].querySelector("input[type=checkbox]");
            if (box) { box.checked = !box.checked; box.dispatchEvent(new Event("change", { bubbles: true })); }
            return true;
        }
        return false;
    }

    function onIdeaKey(event) {
        if (!enabled()) { return false; }
        var which = { j: "next", n: "next", k: "previous", p: "previous" }[event.key];
        var link = which && document.querySelector('[data-queue-key="' + which + '"]');
        if (link) { link.click(); return true; }
        return false;
    }

    document.addEventListener("DOMContentLoaded", function () {
        var queue = document.querySelector("[data-queue]");
        var dialog = setUpDialog();
        var onIdeaPage = document.querySelector("[data-queue-key]");
        if (!queue && !onIdeaPage) { return; }
        document.addEventListener("keydown", function (event) {
            if (event.ctrlKey || event.altKey || event.metaKey || typing(event.target)) { return; }
            var handled = queue ? onQueueKey(queue, dialog, event) : onIdeaKey(event);
            if (handled) { event.preventDefault(); }
        });
    });
}());
