/** Who may sign in: listed addresses, and addresses in listed domains. */
export interface Allowlist {
  emails: readonly string[];
  emailDomains: readonly string[];
  /**
   * Require the hosted-domain claim to match a listed domain. Set for Google, where any
   * account can carry any email, and only `hd` proves the account belongs to the Workspace.
   */
  requireHostedDomain: boolean;
}

export interface AllowlistSubject {
  email: string;
  hostedDomain?: string | undefined;
}

/** Returns why a person is not allowed, or undefined when they are. */
export function allowlistRefusal(
  allowlist: Allowlist,
  person: AllowlistSubject,
): string | undefined {
  const email = person.email.toLowerCase();
  if (allowlist.emails.includes(email)) {
    return undefined;
  }
  const domain = email.slice(email.lastIndexOf('@') + 1);
  if (!allowlist.emailDomains.includes(domain)) {
    return `${email} is not on this server's list of allowed people or domains`;
  }
  // A Workspace with alias domains signs every account with its primary domain as `hd`.
  const hostedDomain = person.hostedDomain ?? '';
  if (allowlist.requireHostedDomain && !allowlist.emailDomains.includes(hostedDomain)) {
    const found = hostedDomain === '' ? 'none' : `"${hostedDomain}"`;
    return `${email} is not an account of an allowed Google Workspace (hosted domain: ${found})`;
  }
  return undefined;
}
