import { Injectable } from '@nestjs/common';
import type { Server } from 'socket.io';

/**
 * The process's one socket.io server (made by the live gateway on the API's port, with the Redis adapter when
 * REDIS_URL is set), handed to the other features that add a namespace to it (messages). A feature registers in
 * onModuleInit; it is called once the server exists.
 */
@Injectable()
export class SocketServerHost {
  private server: Server | null = null;
  private readonly waiting: ((io: Server) => void)[] = [];

  publish(io: Server): void {
    this.server = io;
    for (const cb of this.waiting.splice(0)) cb(io);
  }

  onServer(cb: (io: Server) => void): void {
    if (this.server) cb(this.server);
    else this.waiting.push(cb);
  }
}
