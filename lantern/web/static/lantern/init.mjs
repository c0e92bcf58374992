// Start GOV.UK Frontend's components (its ES module, served from the npm package).
import { initAll } from "/static/govuk/govuk-frontend.min.js";

initAll();

// Content that htmx swaps into the page (search results, or the search form with its errors) gets its
// components started too: an error summary then takes the focus, as it does when a page loads.
document.addEventListener("htmx:afterSettle", (event) => {
  if (event.detail.elt instanceof Element && event.detail.elt.isConnected) {
    initAll(event.detail.elt);
  }
});
