import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../src/odoo/http.js';
import {
  isJson2Missing,
  json2ErrorKind,
  readJson2Error,
  type Json2ErrorContext,
} from '../../src/odoo/json2-errors.js';
import { EXPECTED_JSON2_KINDS } from './json2-kinds.js';
import {
  fakeSecret,
  fileName,
  loadJson2Recordings,
  modelAndMethod,
  recordedHeader,
  type Json2Recording,
} from './json2-recordings.js';

const errorRecordings = loadJson2Recordings().filter((recording) =>
  fileName(recording).startsWith('error_json2_'),
);

function recording(name: string): Json2Recording {
  const found = errorRecordings.find((candidate) => fileName(candidate) === name);
  if (found === undefined) {
    throw new Error(`No recording ${name}`);
  }
  return found;
}

/** Builds the response as the HTTP layer returns it, with the body as the text Odoo sent. */
function responseOf(recorded: Json2Recording): HttpResponse {
  const body = recorded.response.body;
  return {
    status: recorded.response.status,
    contentType: recorded.response.headers['Content-Type'] ?? '',
    location: undefined,
    setCookies: [],
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

function contextOf(recorded: Json2Recording): Json2ErrorContext {
  const call = modelAndMethod(recorded.request.path) ?? { model: 'res.partner', method: 'read' };
  const token = (recordedHeader(recorded, 'Authorization') ?? '').replace(/^Bearer /, '');
  return {
    ...call,
    path: recorded.request.path,
    origin: 'http://127.0.0.1:8069',
    db: recordedHeader(recorded, 'X-Odoo-Database') ?? 'odoo19',
    credential: { login: 'alice@example.com', apiKey: fakeSecret(token) },
  };
}

function errorOf(name: string) {
  const recorded = recording(name);
  return readJson2Error(responseOf(recorded), contextOf(recorded));
}

function odooMessage(recorded: Json2Recording): string {
  return (recorded.response.body as { message: string }).message;
}

describe('JSON-2 errors of Odoo 19.0', () => {
  it('table lists every recorded error', () => {
    const files = errorRecordings.map((recorded) => recorded.file).sort();
    expect(Object.keys(EXPECTED_JSON2_KINDS).sort()).toEqual(files);
  });

  it.each(errorRecordings.map((recorded) => [recorded.file, recorded] as const))(
    'classifies %s',
    (file, recorded) => {
      const error = readJson2Error(responseOf(recorded), contextOf(recorded));
      expect(error.kind).toBe(EXPECTED_JSON2_KINDS[file]);
      expect(error.httpStatus).toBe(recorded.response.status);
      expect(error.message).not.toContain('Traceback');
      if (typeof recorded.response.body === 'object') {
        expect(error.odooName).toBe((recorded.response.body as { name: string }).name);
      }
    },
  );

  it('keeps Odoo message outside 401s', () => {
    for (const recorded of errorRecordings) {
      const body = recorded.response.body;
      if (typeof body !== 'object' || recorded.response.status === 401) {
        continue;
      }
      const error = readJson2Error(responseOf(recorded), contextOf(recorded));
      expect(error.message, recorded.file).toBe(odooMessage(recorded));
    }
  });

  it('no recorded error means JSON-2 is missing', () => {
    for (const recorded of errorRecordings) {
      expect(isJson2Missing(responseOf(recorded)), recorded.file).toBe(false);
    }
  });
});

describe('JSON-2 key messages', () => {
  it('expired key asks for a new key', () => {
    const error = errorOf('error_json2_expired_api_key.json');
    expect(error.kind).toBe('authentication');
    expect(error.message).toContain('"Invalid apikey"');
    expect(error.message).toContain('has expired');
    expect(error.message).toContain(
      'avatar › Preferences or My Profile › Account Security › New API Key',
    );
    expect(error.message).toContain('expiry date, of at most 90 days');
    expect(error.message).toContain('connect again');
    expect(error.message).toContain('alice@example.com');
    expect(error.message).toContain('"odoo19"');
  });

  it('revoked, scoped and archived keys name those causes', () => {
    for (const name of [
      'error_json2_revoked_api_key.json',
      'error_json2_api_key_other_scope.json',
      'error_json2_archived_user_api_key.json',
      'error_json2_wrong_api_key.json',
    ]) {
      const error = errorOf(name);
      expect(error.message, name).toContain('was revoked');
      expect(error.message, name).toContain('scope');
      expect(error.message, name).toContain('archived');
      expect(error.message, name).toContain('New API Key');
    }
  });

  it('password is named as not a key', () => {
    const error = errorOf('error_json2_password_as_bearer.json');
    expect(error.kind).toBe('authentication');
    expect(error.message).toContain('The credential is not an API key');
    expect(error.message).toContain('not passwords');
    expect(error.message).toContain('New API Key');
    expect(error.message).not.toContain('fake-alice-password');
  });

  it('missing header blames the proxy', () => {
    for (const name of [
      'error_json2_missing_authorization.json',
      'error_json2_session_cookie_without_sec_headers.json',
    ]) {
      const error = errorOf(name);
      expect(error.kind, name).toBe('transport');
      expect(error.message, name).toContain('without the Authorization header');
      expect(error.message, name).toContain(odooMessage(recording(name)));
      expect(error.message, name).toContain('proxy');
    }
  });

  it('session user mismatch keeps Odoo text', () => {
    const error = errorOf('error_json2_session_and_other_users_key.json');
    expect(error.kind).toBe('authentication');
    expect(error.message).toBe('Session user does not match the used apikey.');
  });
});

describe('JSON-2 HTML answers', () => {
  it('unknown database names ODOO_DB', () => {
    const error = errorOf('error_json2_unknown_database_header.json');
    expect(error.kind).toBe('invalid_request');
    expect(error.message).toContain('does not serve the database "no_such_db"');
    expect(error.message).toContain('Set ODOO_DB');
    expect(error.message).toContain('/json/2/sale.order/search_count');
  });

  it('wrong Content-Type names the header', () => {
    const error = errorOf('error_json2_wrong_content_type.json');
    expect(error.kind).toBe('transport');
    expect(error.message).toContain('HTTP 415');
    expect(error.message).toContain('application/json');
  });

  it('cookie and database header name the cookie', () => {
    const error = errorOf('error_json2_session_cookie_and_database_header.json');
    expect(error.kind).toBe('transport');
    expect(error.message).toContain('session_id cookie');
    expect(error.message).toContain('HTTP 403');
  });

  it('other HTML page is a transport error', () => {
    const response: HttpResponse = {
      status: 502,
      contentType: 'text/html',
      location: undefined,
      setCookies: [],
      body: '<html><title>502 Bad Gateway</title></html>',
    };
    const error = readJson2Error(response, contextOf(recording('error_json2_wrong_api_key.json')));
    expect(error.kind).toBe('transport');
    expect(error.message).toContain('"502 Bad Gateway"');
  });
});

describe('isJson2Missing', () => {
  const page = (status: number, body: string): HttpResponse => ({
    status,
    contentType: 'text/html',
    location: undefined,
    setCookies: [],
    body,
  });

  it('proxy 404 page means missing', () => {
    expect(isJson2Missing(page(404, '<html><title>404 Not Found</title></html>'))).toBe(true);
  });

  it('other statuses are not missing', () => {
    expect(isJson2Missing(page(502, '<html><title>502 Bad Gateway</title></html>'))).toBe(false);
    expect(isJson2Missing(page(405, 'Method Not Allowed'))).toBe(false);
  });
});

describe('json2ErrorKind', () => {
  it('500 with an unlisted class is a server error', () => {
    expect(json2ErrorKind(500, 'odoo.addons.x.MyError', 'boom')).toBe('server');
  });

  it('500 ValueError is an invalid request', () => {
    expect(json2ErrorKind(500, 'builtins.ValueError', 'Invalid field')).toBe('invalid_request');
  });

  it('422 keeps user and validation errors', () => {
    expect(json2ErrorKind(422, 'odoo.exceptions.UserError', 'No')).toBe('user_error');
    expect(json2ErrorKind(422, 'odoo.exceptions.ValidationError', 'No')).toBe('validation');
    expect(json2ErrorKind(422, 'werkzeug.exceptions.UnprocessableEntity', 'x')).toBe(
      'invalid_request',
    );
  });

  it('403 tells AccessDenied from AccessError', () => {
    expect(json2ErrorKind(403, 'odoo.exceptions.AccessDenied', 'x')).toBe('authentication');
    expect(json2ErrorKind(403, 'odoo.exceptions.AccessError', 'x')).toBe('access');
  });

  it('404 tells MissingError from NotFound', () => {
    expect(json2ErrorKind(404, 'odoo.exceptions.MissingError', 'x')).toBe('missing_record');
    expect(json2ErrorKind(404, 'werkzeug.exceptions.NotFound', 'x')).toBe('invalid_request');
  });

  it('503 with an Odoo class follows the class', () => {
    expect(json2ErrorKind(503, 'odoo.exceptions.UserError', 'x')).toBe('user_error');
  });
});
