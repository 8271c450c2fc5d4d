/** A loopback address (IPv4, IPv4-mapped IPv6 or ::1), as socket addresses and MediaMTX's `ip` give it. */
export function isLoopback(address: string): boolean {
  return address === '::1' || /^(::ffff:)?127\./.test(address);
}
