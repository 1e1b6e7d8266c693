/** Types of stale-build.js (the `ledgerbridge` command's stale-build check). */
export interface StaleOutput {
  /** What is stale: "dist/ (<project>)" or the compiled SuiteScripts' folder. */
  output: string;
  /** The newest source (relative to the root) changed after the output was built; undefined when the output is missing. */
  source: string | undefined;
}
export function findStaleBuild(root: string): StaleOutput[];
export function staleBuildMessage(stale: readonly StaleOutput[]): string;
