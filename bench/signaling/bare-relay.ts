/**
 * The floor of the signaling bench: the least a socket.io relay can do. `join` puts the socket in a
 * room and answers with its socket id; `signal` forwards `data` to the socket id in `to`; `leave`
 * leaves. No validation, no limits, no identities. Same engine settings as our server (websocket
 * heartbeat, largest frame), so the difference is what our server does per message.
 * Run as a script: `node --import tsx bench/signaling/bare-relay.ts PORT`; prints `listening PORT`.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.argv[2] ?? 0);
const httpServer = createServer();
const io = new Server(httpServer, { serveClient: false, maxHttpBufferSize: 256 * 1024, pingInterval: 5000, pingTimeout: 8000 });

io.on('connection', (socket) => {
  socket.on('join', (p: { room: string }, ack: (r: unknown) => void) => {
    void socket.join(p.room);
    ack({ ok: true, id: socket.id });
  });
  socket.on('signal', (p: { to: string; data: unknown }) => {
    io.to(p.to).emit('signal', { from: socket.id, data: p.data });
  });
  socket.on('leave', (ack: (r: unknown) => void) => {
    for (const room of socket.rooms) if (room !== socket.id) void socket.leave(room);
    ack({ ok: true });
  });
});

httpServer.listen(port, '127.0.0.1', () => {
  const address = httpServer.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : port}`);
});
process.on('SIGTERM', () => io.close(() => process.exit(0)));
