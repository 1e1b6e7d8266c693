/**
 * The bundle's version, shared by the SuiteScripts (health action) and the middleware (compatibility check).
 * Its source is the project card, suitecloud.project.json ("version"): `npm run build:suitescripts` writes the
 * line below from it (scripts/project-card.js). Change the card, not this line.
 */
export const BUNDLE_VERSION = '0.1.0';

/** The RESTlet API version this bundle speaks. Bumped only on breaking contract changes. */
export const RESTLET_API_VERSION = 1;
