import { describe, expect, it } from 'vitest';
import { classifyJsonRpcError, classifyOdooErrorKind } from '../../src/odoo/classify.js';
import { EXPECTED_KINDS } from './expected-kinds.js';
import { loadRecordings, recordedError, type Recording } from './recordings.js';

const recordingsWithErrors = loadRecordings().filter(
  (recording) => recordedError(recording) !== undefined,
);

function errorOf(recording: Recording) {
  const error = recordedError(recording);
  if (error === undefined) {
    throw new Error(`${recording.file} has no JSON-RPC error`);
  }
  return error;
}

describe('classifyJsonRpcError on recorded errors', () => {
  it('table lists every recorded error', () => {
    const files = recordingsWithErrors.map((recording) => recording.file).sort();
    expect(Object.keys(EXPECTED_KINDS).sort()).toEqual(files);
  });

  it.each(recordingsWithErrors.map((recording) => [recording.file, recording] as const))(
    'classifies %s',
    (file, recording) => {
      const error = errorOf(recording);
      const classified = classifyJsonRpcError(error, { httpStatus: recording.response.status });
      expect(classified.kind).toBe(EXPECTED_KINDS[file]);
      expect(classified.message).toBe(error.data.message);
      expect(classified.odooName).toBe(error.data.name);
      expect(classified.httpStatus).toBe(200);
    },
  );

  it('leaves the traceback out', () => {
    const recording = recordingsWithErrors[0] as Recording;
    const classified = classifyJsonRpcError(errorOf(recording), {});
    expect(classified.message).not.toContain('Traceback');
  });
});

describe('classifyOdooErrorKind', () => {
  it('code 100 means session expired', () => {
    expect(classifyOdooErrorKind(100, '', 'Session expired')).toBe('session_expired');
  });

  it('unknown class is a server error', () => {
    expect(classifyOdooErrorKind(200, 'odoo.addons.x.MyError', 'boom')).toBe('server');
  });

  it('missing class is a server error', () => {
    expect(classifyOdooErrorKind(0, '', 'Odoo Server Error')).toBe('server');
  });

  it('other psycopg2 errors are server errors', () => {
    const message = 'could not serialize access due to concurrent update';
    expect(classifyOdooErrorKind(200, 'psycopg2.errors.SerializationFailure', message)).toBe(
      'server',
    );
  });

  it('database server down is a server error', () => {
    const message = 'connection to server at "127.0.0.1", port 5432 failed: Connection refused';
    expect(classifyOdooErrorKind(200, 'psycopg2.OperationalError', message)).toBe('server');
  });

  it('other UserError stays a user error', () => {
    const message = 'You can not delete a sent quotation or a confirmed sales order.';
    expect(classifyOdooErrorKind(200, 'odoo.exceptions.UserError', message)).toBe('user_error');
  });

  it('a malformed date is an invalid request', () => {
    const message = 'invalid input syntax for type timestamp: "December 2026"';
    expect(classifyOdooErrorKind(200, 'psycopg2.errors.InvalidDatetimeFormat', message)).toBe(
      'invalid_request',
    );
    expect(classifyOdooErrorKind(200, 'psycopg2.errors.DatetimeFieldOverflow', message)).toBe(
      'invalid_request',
    );
  });

  it('other bare Exception is a server error', () => {
    expect(classifyOdooErrorKind(200, 'builtins.Exception', 'Something broke')).toBe('server');
  });
});

describe('classifyJsonRpcError messages', () => {
  it('falls back to the top-level message', () => {
    const classified = classifyJsonRpcError({ code: 100, message: 'Odoo Session Expired' }, {});
    expect(classified.message).toBe('Odoo Session Expired');
  });

  it('error without any message still explains', () => {
    const classified = classifyJsonRpcError({}, {});
    expect(classified.message).toBe('Odoo returned an error without a message.');
  });

  it('keeps the model and method', () => {
    const error = { code: 200, data: { name: 'odoo.exceptions.AccessError', message: 'No' } };
    const classified = classifyJsonRpcError(error, { model: 'sale.order', method: 'read' });
    expect(classified.model).toBe('sale.order');
    expect(classified.method).toBe('read');
  });
});
