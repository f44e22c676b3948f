import { initAll } from '../govuk-frontend/govuk/govuk-frontend.min.js';
import { scrollWideTables } from './wide-tables.js';
initAll();
scrollWideTables(document);
// Tables htmx brings in later (a page of results, an import's progress) too.
document.addEventListener('htmx:load', (event) => scrollWideTables(event.target));
