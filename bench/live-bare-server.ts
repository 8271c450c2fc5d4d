/**
 * The comparison for bench/live-fanout.ts: a bare socket.io server with nothing in it but rooms. A control
 * socket sends `relay {showId, event, payload}` and the server broadcasts that one event to the show's room —
 * one message per event per viewer, no database, no coalescing. Run by the benchmark in its own process.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.env.PORT ?? process.argv[2] ?? 3291);
const http = createServer();
const io = new Server(http, { path: '/socket.io', serveClient: false, maxHttpBufferSize: 16 * 1024 });
const nsp = io.of('/live');
nsp.on('connection', (socket) => {
  const showId = (socket.handshake.auth as { showId?: string }).showId;
  if (showId) void socket.join(`show:${showId}`);
  socket.on('relay', (msg: { showId: string; event: string; payload: unknown }, ack?: (r: unknown) => void) => {
    nsp.to(`show:${msg.showId}`).emit(msg.event, msg.payload);
    ack?.({ ok: true });
  });
});
http.listen(port, '127.0.0.1', () => {
  if (process.send) process.send('ready');
  else console.log(`bare socket.io server on ${port}`);
});
process.on('SIGTERM', () => {
  io.close();
  process.exit(0);
});
