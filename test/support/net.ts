// Reachability from the outside: whether a listener answers on a given address, to prove the
// sandbox is not reachable on the machine's network address.
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';

/** True when a TCP connection to host:port is accepted; false when refused or unanswered. */
export function acceptsConnections(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    // Refusal on a local address is immediate; the timeout only bounds a firewall that drops.
    socket.setTimeout(5_000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** This machine's first non-loopback IPv4 address, if it has a network interface. */
export function externalAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((a) => a && !a.internal && a.family === 'IPv4')?.address;
}
