// Start GOV.UK Frontend's components (its ES module, served from the npm package).
import { initAll } from "/static/govuk/govuk-frontend.min.js";

initAll();
