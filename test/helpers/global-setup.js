'use strict';
// Runs once in jest's own process before any suite. When suites run in band (one worker, as on a 2-core machine),
// they share this process: a suite whose set-up timed out before it could stop its servers leaves timers behind,
// and when one of them later loads a module, jest refuses with "the Jest environment has been torn down". Node would
// end the whole run on that error, losing every later suite's result. The suite that left the timer has already
// failed (its hook timed out), so here that one error is reported on stderr and the run goes on; any other error
// still ends the process as Node does by default.
const TORN_DOWN = 'Jest environment has been torn down';

function lateWorkOfFinishedSuite(reason) {
  const message = reason instanceof Error ? reason.message : String(reason);
  if (!message.includes(TORN_DOWN)) return false;
  process.stderr.write(`late work of a finished suite ignored: ${message.split('\n')[0]}\n`);
  return true;
}

module.exports = async function globalSetup() {
  process.on('unhandledRejection', (reason) => {
    if (!lateWorkOfFinishedSuite(reason)) throw reason;
  });
  process.on('uncaughtException', (error) => {
    if (!lateWorkOfFinishedSuite(error)) {
      process.stderr.write(`${error instanceof Error && error.stack ? error.stack : String(error)}\n`);
      process.exit(1);
    }
  });
};
