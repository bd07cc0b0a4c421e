import { isIP } from 'node:net';

/**
 * Returns the address that rate limits count a client by: the right-most entry of
 * `X-Forwarded-For`, or the socket's peer address when the header is absent, as on a local
 * run. On Cloud Run the container's socket always comes from Google's front end, which puts
 * the address it accepted the connection from last in `X-Forwarded-For`, after any entries
 * the client sent itself. Those earlier entries are whatever the client wrote, so they are
 * ignored. Google documents the header its load balancers pass as
 * `[<supplied-value>,]<client-ip>,<load-balancer-ip>`
 * (https://cloud.google.com/load-balancing/docs/https#x-forwarded-for_header). Requests to a
 * run.app URL are seen to arrive with the client's address as the last, usually only, entry;
 * Google does not document that case.
 *
 * NOTE: Behind an external Application Load Balancer the right-most entry is the load
 * balancer's own address, so all clients share one address there. The limits keyed by address
 * are sized to hold a whole company's traffic; per-client limits there belong in Cloud Armor.
 */
export function clientAddress(forwardedFor: string | undefined, socketAddress?: string): string {
  const forwarded = forwardedFor?.split(',').pop()?.trim();
  const address = forwarded !== undefined && isIP(forwarded) !== 0 ? forwarded : socketAddress;
  if (address === undefined || isIP(address) === 0) {
    return 'unknown';
  }
  return addressKey(address);
}

/**
 * Writes an IPv4 address as it is, and an IPv6 address as its /64 network: one IPv6 host
 * usually has a whole /64 and can send from any address in it. IPv4 addresses mapped into
 * IPv6 (`::ffff:192.0.2.1`, as Node reports IPv4 peers on a dual-stack socket) become IPv4.
 */
function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped !== null) {
    return mapped[1]!;
  }
  if (isIP(address) === 4) {
    return address;
  }
  return `${ipv6Groups(address).slice(0, 4).join(':')}::/64`;
}

/** Expands a valid IPv6 address into its eight groups, written without leading zeros. */
function ipv6Groups(address: string): string[] {
  const [head = '', tail] = address.toLowerCase().split('%')[0]!.split('::');
  const groupsOf = (part: string | undefined): string[] =>
    part === undefined || part === ''
      ? []
      : part.split(':').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group]));
  const left = groupsOf(head);
  const right = groupsOf(tail);
  const zeros = Array.from({ length: 8 - left.length - right.length }, () => '0');
  // An embedded IPv4 address fills the last two groups, which the /64 prefix leaves out.
  return [...left, ...zeros, ...right].map((group) => parseInt(group, 16).toString(16));
}
