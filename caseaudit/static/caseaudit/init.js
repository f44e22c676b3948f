import { initAll } from '../govuk-frontend/govuk/govuk-frontend.min.js';
initAll();
