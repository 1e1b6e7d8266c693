/**
 * The bundle's version, shared by the SuiteScripts (health action) and the middleware (compatibility check).
 * Kept equal to package.json's version; a unit test enforces it.
 */
export const BUNDLE_VERSION = '0.1.0';

/** The RESTlet API version this bundle speaks. Bumped only on breaking contract changes. */
export const RESTLET_API_VERSION = 1;
