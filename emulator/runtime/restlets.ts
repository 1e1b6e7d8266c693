/**
 * The RestletRunner (seam in emulator/http/restlet-runner.ts): resolves a script/deploy pair from a RESTlet URL
 * and runs the entry point for the HTTP method (reference 3.3, 1.4).
 *
 * - script/deploy: the script's numeric internal id or its scriptid; the deployment's number within the script
 *   (1, 2 …) or its scriptid. Only deployed, RELEASED or TESTING deployments of active RESTlets resolve.
 * - get/delete receive requestParams (the URL query as an object of strings; whether NetSuite includes script
 *   and deploy there is UNCONFIRMED, so they are passed through as given). post/put receive requestBody: parsed
 *   JSON for application/json, the raw string otherwise (application/xml is passed as a string: UNCONFIRMED).
 * - The answer's Content-Type follows the request's (text/plain when none). An object returned for text/plain
 *   is INVALID_RETURN_DATA_FORMAT. A method with no entry point answers 405; an error the script lets escape
 *   answers 400 with NetSuite's error body, `{"error":{"code","message"}}` for JSON (the message is the
 *   serialized SuiteScriptError as NetSuite logs it; whether the HTTP body embeds it is UNCONFIRMED).
 */
import type { RestletInvocation, RestletOutcome, RestletRunner } from '../http/restlet-runner';
import type { DeploymentDef, ScriptDef } from './discovery';
import { describeError, isSuiteScriptError } from './errors';
import { loadScript, type ScriptHost } from './runner';

const ENTRY: Record<string, string> = { GET: 'get', POST: 'post', PUT: 'put', DELETE: 'delete' };
const SUPPORTED_TYPES = ['application/json', 'application/xml', 'text/plain'];

function mediaType(contentType: string | null): string | null {
  if (!contentType) return null;
  return contentType.split(';')[0]?.trim() ?? null;
}

function errorBody(type: string, code: string, message: string): string {
  if (type === 'application/json') return JSON.stringify({ error: { code, message } });
  if (type === 'application/xml') {
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    return `<error><code>${esc(code)}</code><message>${esc(message)}</message></error>`;
  }
  return `error code: ${code}\nerror message: ${message}`;
}

export class LocalRestletRunner implements RestletRunner {
  constructor(private readonly host: ScriptHost) {}

  private find(script: string, deploy: string): { def: ScriptDef; dep: DeploymentDef } | null {
    const s = script.trim().toLowerCase();
    const d = deploy.trim().toLowerCase();
    const def = this.host.scripts.find((x) => x.scriptType === 'Restlet' && (x.internalId === s || x.scriptId === s));
    if (!def || def.isInactive) return null;
    const dep = def.deployments.find((x) => String(x.number) === d || x.deployId === d);
    if (!dep || !dep.isDeployed || (dep.status !== 'RELEASED' && dep.status !== 'TESTING')) return null;
    return { def, dep };
  }

  resolve(script: string, deploy: string): { scriptId: string; deployId: string } | null {
    const hit = this.find(script, deploy);
    return hit ? { scriptId: hit.def.scriptId, deployId: hit.dep.deployId } : null;
  }

  async invoke(invocation: RestletInvocation): Promise<RestletOutcome> {
    return this.invokeSync(invocation);
  }

  invokeSync(invocation: RestletInvocation): RestletOutcome {
    const requestType = mediaType(invocation.contentType);
    const responseType = requestType && SUPPORTED_TYPES.includes(requestType) ? requestType : 'text/plain';
    const answer = (status: number, body: string, unitsUsed = 0, type = responseType): RestletOutcome => ({
      status,
      contentType: type,
      body,
      unitsUsed,
    });
    const hit = this.find(invocation.script, invocation.deploy);
    if (!hit) {
      return answer(400, errorBody(responseType, 'SSS_INVALID_SCRIPTLET_ID', 'That Suitelet is invalid, disabled, or no longer exists.'));
    }
    const hasBody = invocation.method === 'POST' || invocation.method === 'PUT';
    if (hasBody && (!requestType || !SUPPORTED_TYPES.includes(requestType))) {
      // 415 (reference 1.4); the body code is UNCONFIRMED.
      return answer(415, errorBody('text/plain', 'UNSUPPORTED_MEDIA_TYPE', `Content-Type ${invocation.contentType ?? '(none)'} is not supported; use application/json, application/xml or text/plain.`), 0, 'text/plain');
    }
    if (!hasBody && invocation.body !== '') {
      return answer(400, errorBody(responseType, 'INVALID_REQUEST', `A ${invocation.method} request must not have a body.`));
    }
    const entryPoint = ENTRY[invocation.method] ?? '';
    const spec = { script: hit.def, deployment: hit.dep, entryPoint, executionContext: 'RESTLET' };
    let loaded;
    try {
      loaded = loadScript(this.host, spec);
    } catch (e) {
      const { code, message } = describeError(e);
      return answer(400, errorBody(responseType, code, message));
    }
    if (typeof loaded.entry[entryPoint] !== 'function') {
      // 405 (reference 1.4, 3.3); the body code is UNCONFIRMED.
      return answer(405, errorBody(responseType, 'METHOD_NOT_ALLOWED', `The RESTlet ${hit.def.scriptId} has no ${entryPoint} entry point.`));
    }
    let argument: unknown;
    if (hasBody) {
      if (requestType === 'application/json') {
        try {
          argument = JSON.parse(invocation.body);
        } catch (e) {
          return answer(400, errorBody(responseType, 'SyntaxError', `Invalid JSON in the request body: ${(e as Error).message}`));
        }
      } else {
        argument = invocation.body;
      }
    } else {
      argument = { ...invocation.query };
    }
    let value: unknown;
    let units = 0;
    try {
      const run = loaded.run(spec, (fn, exec) => {
        try {
          return fn(argument);
        } finally {
          units = exec.meter.used;
        }
      });
      value = run.value;
    } catch (e) {
      const { code, message } = describeError(e);
      return answer(400, errorBody(responseType, code, isSuiteScriptError(e) ? JSON.stringify(e) : message), units);
    }
    if (value === undefined || value === null) return answer(200, '', units);
    if (typeof value === 'string') return answer(200, value, units);
    if (responseType === 'application/json') return answer(200, JSON.stringify(value), units);
    return answer(400, errorBody(responseType, 'INVALID_RETURN_DATA_FORMAT', `The RESTlet returned ${typeof value}, which does not match Content-Type ${responseType}.`), units);
  }
}
