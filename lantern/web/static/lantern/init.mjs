// Start GOV.UK Frontend's components (its ES module, served from the npm package).
import { initAll } from "/static/govuk/govuk-frontend.min.js";

// A table too wide for the screen scrolls in its box (.lantern-table-container), which keyboard users
// can then focus to scroll. The box can always be focused without JavaScript; with it, only while it
// needs scrolling, so that it is no extra stop for the Tab key on a wide screen.
const tableContainers = new ResizeObserver((entries) => {
  for (const { target } of entries) {
    if (target.scrollWidth > target.clientWidth) {
      target.setAttribute("tabindex", "0");
    } else {
      target.removeAttribute("tabindex");
    }
  }
});

function start(scope) {
  initAll({ scope });
  for (const container of scope.querySelectorAll(".lantern-table-container")) {
    tableContainers.observe(container);
  }
}

start(document);

// Content that htmx swaps into the page (search results, or the search form with its errors) is started
// too: an error summary then takes the focus, as it does when a page loads.
document.addEventListener("htmx:afterSettle", (event) => {
  if (event.detail.elt instanceof Element && event.detail.elt.isConnected) {
    start(event.detail.elt);
  }
});

// An htmx request that was redirected (to sign in again, when the session has ended) got a whole page,
// not part of one: go to that page instead of putting it inside this one.
document.addEventListener("htmx:beforeSwap", (event) => {
  const { xhr, requestConfig } = event.detail;
  if (!xhr.responseURL || !requestConfig) {
    return;
  }
  const requested = new URL(requestConfig.path, window.location.href);
  const answered = new URL(xhr.responseURL);
  if (answered.pathname !== requested.pathname) {
    event.detail.shouldSwap = false;
    window.location.assign(answered.href);
  }
});
