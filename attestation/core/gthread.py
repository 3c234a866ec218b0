"""gunicorn's threaded worker, taking new connections only while it has a free thread.

The stock worker accepts every connection it can, busy or not, and the kernel wakes whichever
worker it likes: at 1,000 draws at once one worker took three quarters of them while the other
idled (bench/run.py; gunicorn issues #908 and #3433). This one stops listening while its
threads are all taken by requests and by new connections whose request has not arrived yet,
so further connections wait in the kernel's queue for a worker with room. Connections it
already holds (keep-alive) are served as before.

Behind nginx (README: deploying) a connection arrives with its request; exposed directly, a
client that connects and sends nothing holds a thread's place until it goes away."""

import errno
import selectors
from functools import partial

from gunicorn.workers import gthread


class ThreadWorker(gthread.ThreadWorker):
    def init_process(self):
        self.taken = 0  # requests in the pool + new connections not yet read from
        self.listening = True
        super().init_process()

    def accept(self, server, listener):
        """gunicorn's own, counting the new connection as taking a thread's place."""
        try:
            sock, client = listener.accept()
        except OSError as e:  # the other worker was quicker, or the client gave up
            if e.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        conn = gthread.TConn(self.cfg, sock, client, server)
        with self._lock:
            self.nr_conns += 1
            self.taken += 1
            self.poller.register(
                conn.sock, selectors.EVENT_READ, partial(self.on_client_socket_readable, conn)
            )
            self._listen_or_not()

    def enqueue_req(self, conn):
        with self._lock:
            if conn.initialized:  # a keep-alive connection's next request
                self.taken += 1
            self._listen_or_not()
        super().enqueue_req(conn)

    def finish_request(self, fs):
        super().finish_request(fs)
        with self._lock:
            self.taken -= 1
            self._listen_or_not()

    def _listen_or_not(self):
        room = self.taken < self.cfg.threads
        if room == self.listening or not self.alive:
            return
        self.listening = room
        for sock in self.sockets:
            if room:
                # Possibly from a pool thread: epoll wakes the main loop if it is waiting.
                acceptor = partial(self.accept, sock.getsockname())
                self.poller.register(sock, selectors.EVENT_READ, acceptor)
            else:
                self.poller.unregister(sock)
