/**
 * A UDP proxy on 127.0.0.1 that loses packets on demand: put in front of coturn's UDP port, it
 * gives a browser test real packet loss on the relayed media path (the browsers see the loss in
 * their own stats, as on a bad network), with no root, netem or browser flag needed.
 *
 * One listening socket for the clients; per client address an upstream socket (127.0.0.1:0) to
 * the target, whose replies go back to that client through the listening socket. Each packet,
 * either way, is dropped with probability `rate`.
 */
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';

export interface UdpLossProxy {
  port: number;
  /** Drop each packet (either direction) with this probability, 0..1; 0 (the start) drops none. */
  setLoss(rate: number): void;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

const bound = (socket: Socket): Promise<number> =>
  new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, HOST, () => {
      socket.off('error', reject);
      resolve((socket.address() as AddressInfo).port);
    });
  });

/** Send, unless the socket is closed meanwhile (a packet in flight at close()). */
const send = (socket: Socket, msg: Buffer, port: number, host: string): void => {
  try {
    socket.send(msg, port, host, () => undefined);
  } catch {
    // closed: the packet is lost, as any other
  }
};

const closeSocket = (socket: Socket): Promise<void> =>
  new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // already closed
    }
  });

export async function startUdpLossProxy(targetHost: string, targetPort: number): Promise<UdpLossProxy> {
  let loss = 0;
  const dropped = () => loss > 0 && Math.random() < loss;
  const listener = createSocket('udp4');
  const upstreams = new Map<string, Promise<Socket>>();
  listener.on('error', () => undefined);

  const upstreamFor = (client: AddressInfo): Promise<Socket> => {
    const key = `${client.address}:${client.port}`;
    let up = upstreams.get(key);
    if (!up) {
      const socket = createSocket('udp4');
      socket.on('error', () => undefined);
      socket.on('message', (msg) => {
        if (!dropped()) send(listener, msg, client.port, client.address);
      });
      up = bound(socket).then(() => socket);
      upstreams.set(key, up);
    }
    return up;
  };

  listener.on('message', (msg, client) => {
    if (dropped()) return;
    upstreamFor(client).then(
      (socket) => send(socket, msg, targetPort, targetHost),
      () => undefined,
    );
  });
  const port = await bound(listener);

  return {
    port,
    setLoss(rate) {
      if (!(rate >= 0 && rate <= 1)) throw new Error(`loss rate ${rate} is not within 0..1`);
      loss = rate;
    },
    async close() {
      // The listener first (synchronously): no new client, so no new upstream, after this.
      const closing = [closeSocket(listener), ...[...upstreams.values()].map((u) => u.then(closeSocket, () => undefined))];
      upstreams.clear();
      await Promise.all(closing);
    },
  };
}
