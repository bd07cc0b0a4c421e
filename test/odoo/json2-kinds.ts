import type { OdooErrorKind } from '../../src/odoo/errors.js';

/**
 * The kind each recorded JSON-2 error of Odoo 19.0 must map to, one line per recording, with
 * the HTTP status and Python class (or HTML page) it comes from.
 */
export const EXPECTED_JSON2_KINDS: Readonly<Record<string, OdooErrorKind>> = {
  // 403 AccessError from record rules
  'odoo19/error_json2_access_alice_read_other_users_order.json': 'access',
  // 403 AccessError from access rights
  'odoo19/error_json2_access_carol_sale_order.json': 'access',
  // 401 "Invalid apikey"
  'odoo19/error_json2_api_key_other_scope.json': 'authentication',
  // 422 UnprocessableEntity "cannot call res.partner.create with ids"
  'odoo19/error_json2_api_model_with_ids.json': 'invalid_request',
  // 422 UserError
  'odoo19/error_json2_apikeys_generate_disabled.json': 'user_error',
  // 422 ValidationError
  'odoo19/error_json2_apikeys_generate_without_expiry.json': 'validation',
  // 401 "Invalid apikey"
  'odoo19/error_json2_archived_user_api_key.json': 'authentication',
  // 422 UnprocessableEntity "got an unexpected keyword argument"
  'odoo19/error_json2_bad_argument_name.json': 'invalid_request',
  // 500 ValueError
  'odoo19/error_json2_bad_domain_operator.json': 'invalid_request',
  // 400 BadRequest
  'odoo19/error_json2_body_not_json.json': 'invalid_request',
  // 403 AccessError
  'odoo19/error_json2_doc_bearer_not_allowed.json': 'access',
  // 500 TypeError
  'odoo19/error_json2_domain_not_a_list.json': 'invalid_request',
  // 401 "Invalid apikey"
  'odoo19/error_json2_expired_api_key.json': 'authentication',
  // 404 NotFound "Did you mean POST …?"
  'odoo19/error_json2_get_instead_of_post.json': 'invalid_request',
  // 500 ValueError
  'odoo19/error_json2_groups_id_renamed.json': 'invalid_request',
  // 422 UnprocessableEntity "missing a required argument"
  'odoo19/error_json2_missing_argument.json': 'invalid_request',
  // 401 "User not authenticated": the header did not reach Odoo, so not the key's fault
  'odoo19/error_json2_missing_authorization.json': 'transport',
  // 404 NotFound "Did you mean POST …?"
  'odoo19/error_json2_missing_method_in_path.json': 'invalid_request',
  // 404 MissingError
  'odoo19/error_json2_missing_record_write.json': 'missing_record',
  // 401 "Invalid apikey"
  'odoo19/error_json2_password_as_bearer.json': 'authentication',
  // 422 UnprocessableEntity "missing a required argument"
  'odoo19/error_json2_positional_args.json': 'invalid_request',
  // 403 AccessError "Private methods …"
  'odoo19/error_json2_private_method.json': 'access',
  // 401 "Invalid apikey"
  'odoo19/error_json2_revoked_api_key.json': 'authentication',
  // 403 AccessError on a restricted field
  'odoo19/error_json2_search_read_misspelt_domain.json': 'access',
  // 500 TypeError
  'odoo19/error_json2_search_read_misspelt_domain_with_fields.json': 'invalid_request',
  // 403 AccessDenied
  'odoo19/error_json2_session_and_other_users_key.json': 'authentication',
  // 403 HTML page: a proxy added a session cookie
  'odoo19/error_json2_session_cookie_and_database_header.json': 'transport',
  // 401 "Missing "Authorization" …": the header did not reach Odoo
  'odoo19/error_json2_session_cookie_without_sec_headers.json': 'transport',
  // 404 HTML page "No database is selected"
  'odoo19/error_json2_unknown_database_header.json': 'invalid_request',
  // 500 ValueError
  'odoo19/error_json2_unknown_field_in_domain.json': 'invalid_request',
  // 500 ValueError
  'odoo19/error_json2_unknown_field_in_fields.json': 'invalid_request',
  // 404 NotFound "The method … does not exist"
  'odoo19/error_json2_unknown_method.json': 'invalid_request',
  // 404 NotFound "the model … does not exist"
  'odoo19/error_json2_unknown_model.json': 'invalid_request',
  // 422 UserError
  'odoo19/error_json2_user_error_unlink_confirmed_order.json': 'user_error',
  // 401 "Invalid apikey"
  'odoo19/error_json2_wrong_api_key.json': 'authentication',
  // 415 HTML page: a proxy changed the Content-Type
  'odoo19/error_json2_wrong_content_type.json': 'transport',
};
