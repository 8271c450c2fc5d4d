/**
 * A minimal socket.io client for the load generator: engine.io v4 + socket.io v5 packets over one raw `ws`
 * WebSocket, so 10,000 viewers fit in a couple of load processes (the official client costs several times
 * more CPU and memory per socket). Speaks only what the benchmark needs: connect to a namespace with `auth`,
 * events, acknowledgements, ping/pong.
 */
import WebSocket from 'ws';

export interface WireHandlers {
  /** A server event; `raw` is the JSON array text (parse it only if you need to). */
  onEvent?(name: string, data: unknown): void;
  onConnect?(): void;
  onError?(message: string): void;
  onClose?(): void;
}

export class WireClient {
  private ws: WebSocket;
  private nextAck = 1;
  private readonly acks = new Map<number, (args: unknown[]) => void>();
  connected = false;

  constructor(
    url: string,
    private readonly nsp: string,
    auth: Record<string, unknown>,
    private readonly handlers: WireHandlers,
  ) {
    this.ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, {
      perMessageDeflate: false,
    });
    this.ws.on('message', (buf: Buffer) => this.onMessage(buf.toString(), auth));
    this.ws.on('error', (e: Error) => this.handlers.onError?.(e.message));
    this.ws.on('close', () => {
      this.connected = false;
      this.handlers.onClose?.();
    });
  }

  private onMessage(s: string, auth: Record<string, unknown>) {
    const prefix = `${this.nsp},`;
    switch (s[0]) {
      case '0': // engine.io open: connect to the namespace
        this.ws.send(`40${prefix}${JSON.stringify(auth)}`);
        return;
      case '2': // ping
        this.ws.send('3');
        return;
      case '1':
        this.ws.close();
        return;
      case '4':
        break;
      default:
        return;
    }
    // socket.io packet: 4 + type + "/nsp," + [ackId] + JSON
    const type = s[1];
    const body = s.startsWith(prefix, 2) ? s.slice(2 + prefix.length) : s.slice(2);
    if (type === '0') {
      this.connected = true;
      this.handlers.onConnect?.();
    } else if (type === '4') {
      this.handlers.onError?.(body);
    } else if (type === '2') {
      const i = body.indexOf('[');
      const arr = JSON.parse(body.slice(i)) as [string, unknown];
      this.handlers.onEvent?.(arr[0], arr[1]);
    } else if (type === '3') {
      const i = body.indexOf('[');
      const id = Number(body.slice(0, i));
      const cb = this.acks.get(id);
      this.acks.delete(id);
      cb?.(JSON.parse(body.slice(i)) as unknown[]);
    }
  }

  emit(event: string, payload: unknown, ack?: (result: unknown) => void) {
    if (ack) {
      const id = this.nextAck++;
      this.acks.set(id, (args) => ack(args[0]));
      this.ws.send(`42${this.nsp},${id}${JSON.stringify([event, payload])}`);
    } else {
      this.ws.send(`42${this.nsp},${JSON.stringify([event, payload])}`);
    }
  }

  ask<T = Record<string, unknown>>(event: string, payload: unknown): Promise<T> {
    return new Promise((resolve) => this.emit(event, payload, (r) => resolve(r as T)));
  }

  close() {
    this.ws.terminate();
  }
}

/** Connects and resolves once the namespace accepted the socket (rejects on a refusal or a closed socket). */
export function connectWire(
  url: string,
  nsp: string,
  auth: Record<string, unknown>,
  onEvent?: WireHandlers['onEvent'],
): Promise<WireClient> {
  return new Promise((resolve, reject) => {
    const c: WireClient = new WireClient(url, nsp, auth, {
      onEvent,
      onConnect: () => resolve(c),
      onError: (m) => reject(new Error(m)),
      onClose: () => reject(new Error('closed')),
    });
  });
}
