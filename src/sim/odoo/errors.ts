import type { SimResponse } from '../kit/http-sim.js';

/**
 * A Python exception as Odoo would raise it inside a JSON-RPC call. It is turned into the JSON-RPC
 * error body at the route and never leaves the simulator.
 */
export class OdooException extends Error {
  constructor(
    /** Dotted Python class name, e.g. `odoo.exceptions.AccessDenied`. */
    readonly pythonName: string,
    message: string,
  ) {
    super(message);
  }
}

export const accessDenied = () => new OdooException('odoo.exceptions.AccessDenied', 'Access Denied');
export const userError = (message: string) => new OdooException('odoo.exceptions.UserError', message);
export const validationError = (message: string) => new OdooException('odoo.exceptions.ValidationError', message);
export const missingError = (model: string, ids: number[], uid: number) =>
  new OdooException(
    'odoo.exceptions.MissingError',
    `Record does not exist or has been deleted.\n(Record: ${model}(${ids.map((i) => `${i},`).join(' ')}), User: ${uid})`,
  );
export const valueError = (message: string) => new OdooException('builtins.ValueError', message);

/**
 * Odoo's JSON-RPC error envelope (odoo/http.py `_handle_error` → `serialize_exception`): HTTP 200,
 * `error.code` 200 and message "Odoo Server Error" for any server exception, the exception in `data`.
 * AccessDenied carries no stack frames in `debug`: Odoo strips its traceback so credentials checks leak nothing.
 */
export function jsonRpcError(id: unknown, err: OdooException): SimResponse {
  const debug =
    err.pythonName === 'odoo.exceptions.AccessDenied'
      ? `${err.pythonName}: ${err.message}\n`
      : `Traceback (most recent call last):\n  File "/usr/lib/python3/dist-packages/odoo/http.py", line 1770, in _serve_db\n    return service_model.retrying(self._serve_ir_http, self.env)\n${err.pythonName}: ${err.message}\n`;
  return {
    status: 200,
    body: {
      jsonrpc: '2.0',
      id: id ?? null,
      error: {
        code: 200,
        message: 'Odoo Server Error',
        data: { name: err.pythonName, debug, message: err.message, arguments: [err.message], context: {} },
      },
    },
  };
}

const WERKZEUG: Record<number, [string, string]> = {
  400: ['Bad Request', 'The browser (or proxy) sent a request that this server could not understand.'],
  404: [
    'Not Found',
    'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.',
  ],
  429: ['Too Many Requests', 'This user has exceeded an allotted request count. Try again later.'],
  500: [
    'Internal Server Error',
    'The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.',
  ],
  502: ['Bad Gateway', 'The proxy server received an invalid response from an upstream server.'],
  503: [
    'Service Unavailable',
    'The server is temporarily unable to service your request due to maintenance downtime or capacity problems.  Please try again later.',
  ],
  504: ['Gateway Timeout', 'The connection to an upstream server timed out.'],
};

/** Non-200 statuses come from werkzeug (or the proxy in front of Odoo) as small HTML pages, not JSON-RPC. */
export function odooFaultResponse(status: number): SimResponse {
  const [title, text] = WERKZEUG[status] ?? [`HTTP ${status}`, ''];
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: `<!doctype html>\n<html lang=en>\n<title>${status} ${title}</title>\n<h1>${title}</h1>\n<p>${text}</p>\n`,
  };
}
