package dev.databases;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * A TCP proxy on the loopback interface, between a pool and a database server, that a test
 * can cut, restore or pause: the portable stand-in for Toxiproxy that the Vert.x SQL
 * client's {@code ProxyServer} pioneered.
 * <p>
 * It listens on 127.0.0.1 only. {@link #cut()} closes the listening socket and resets
 * every connection (the network path is gone: new connections are refused);
 * {@link #restore()} listens again on the same port; {@link #pause()} turns it into a
 * black hole that accepts connections but forwards nothing until {@link #resume()}.
 * It also records the local port of every connection it opened to the server, so that a
 * test can find exactly its own sessions in {@code pg_stat_activity} (column
 * {@code client_port}) or MariaDB's process list (column {@code HOST}).
 */
final class LoopbackProxy implements AutoCloseable {

	private final InetSocketAddress target;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private final Set<Integer> upstreamPorts = ConcurrentHashMap.newKeySet();

	private final Object pauseLock = new Object();

	private volatile int port;

	private volatile @Nullable ServerSocket server;

	private volatile boolean paused;

	private volatile boolean closed;

	private LoopbackProxy(InetSocketAddress target) {
		this.target = target;
	}

	/**
	 * Start a proxy to {@code host:port} on a free loopback port.
	 * @param host the server's host
	 * @param port the server's port
	 * @return the running proxy
	 */
	static LoopbackProxy start(String host, int port) {
		LoopbackProxy proxy = new LoopbackProxy(new InetSocketAddress(host, port));
		// Below Linux's ephemeral range (32768-60999): a port taken from it may, while the
		// proxy is cut, become the client port of some outgoing connection, and restore()
		// could then not listen on it again ("Address already in use", seen in CI).
		java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
		IllegalStateException last = null;
		for (int attempt = 0; attempt < 50; attempt++) {
			try {
				proxy.listen(20_000 + random.nextInt(12_000));
				return proxy;
			}
			catch (IllegalStateException ex) {
				last = ex;
			}
		}
		throw last;
	}

	/** The port the proxy listens on; the same after {@link #restore()}. */
	int port() {
		return this.port;
	}

	/** The proxy's host, always the loopback address. */
	String host() {
		return "127.0.0.1";
	}

	/** The local ports of every connection the proxy opened to the server, in the server's view the client ports. */
	Set<Integer> upstreamPorts() {
		return Set.copyOf(this.upstreamPorts);
	}

	/** Connections currently open through the proxy (each counts its two sockets once). */
	int openConnections() {
		return this.sockets.size() / 2;
	}

	/**
	 * Cut the network path: stop listening and reset every open connection, so that both
	 * sides see the connection drop and new connections are refused.
	 */
	synchronized void cut() {
		ServerSocket listening = this.server;
		this.server = null;
		closeQuietly(listening);
		for (Socket socket : this.sockets) {
			try {
				// A linger of zero sends RST, as a dropped route or a crashed server would.
				socket.setSoLinger(true, 0);
			}
			catch (SocketException ex) {
				// Already closed.
			}
			closeQuietly(socket);
		}
		this.sockets.clear();
		synchronized (this.pauseLock) {
			this.pauseLock.notifyAll();
		}
	}

	/**
	 * Listen again on the same port after {@link #cut()}. The kernel may refuse the port for
	 * a moment after the cut (CI saw "Address already in use" once on a port outside the
	 * ephemeral range), so the bind is tried again until {@link #RESTORE_WITHIN} has passed.
	 */
	synchronized void restore() {
		if (this.server != null) {
			return;
		}
		long deadline = System.nanoTime() + RESTORE_WITHIN.toNanos();
		while (true) {
			try {
				listen(this.port);
				return;
			}
			catch (IllegalStateException ex) {
				if (System.nanoTime() > deadline) {
					throw ex;
				}
				java.util.concurrent.locks.LockSupport.parkNanos(RESTORE_POLL.toNanos());
			}
		}
	}

	/** How long {@link #restore()} tries to listen on the port again. */
	private static final java.time.Duration RESTORE_WITHIN = java.time.Duration.ofSeconds(5);

	private static final java.time.Duration RESTORE_POLL = java.time.Duration.ofMillis(20);

	/** Keep every connection open but forward nothing, and accept new ones without answering: a black hole. */
	void pause() {
		this.paused = true;
	}

	/** Forward again after {@link #pause()}. */
	void resume() {
		synchronized (this.pauseLock) {
			this.paused = false;
			this.pauseLock.notifyAll();
		}
	}

	@Override
	public void close() {
		this.closed = true;
		cut();
	}

	private void listen(int requestedPort) {
		ServerSocket listening;
		try {
			listening = new ServerSocket();
			listening.setReuseAddress(true);
			listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), 100);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot listen on 127.0.0.1:" + requestedPort, ex);
		}
		this.port = listening.getLocalPort();
		this.server = listening;
		Thread acceptor = new Thread(() -> accept(listening), "loopback-proxy-accept-" + this.port);
		acceptor.setDaemon(true);
		acceptor.start();
	}

	private void accept(ServerSocket listening) {
		while (!listening.isClosed()) {
			Socket client;
			try {
				client = listening.accept();
			}
			catch (IOException ex) {
				return;
			}
			Thread connector = new Thread(() -> connect(client), "loopback-proxy-connect-" + this.port);
			connector.setDaemon(true);
			connector.start();
		}
	}

	private void connect(Socket client) {
		this.sockets.add(client);
		if (!awaitResumed(client)) {
			return;
		}
		Socket upstream = new Socket();
		try {
			client.setTcpNoDelay(true);
			upstream.setTcpNoDelay(true);
			upstream.connect(this.target, 5000);
		}
		catch (IOException ex) {
			closeQuietly(upstream);
			closeQuietly(client);
			this.sockets.remove(client);
			return;
		}
		this.upstreamPorts.add(upstream.getLocalPort());
		this.sockets.add(upstream);
		if (client.isClosed()) {
			// Cut while connecting.
			closeQuietly(upstream);
			this.sockets.remove(upstream);
			return;
		}
		pump(client, upstream, "up");
		pump(upstream, client, "down");
	}

	private void pump(Socket from, Socket to, String direction) {
		Thread pump = new Thread(() -> {
			byte[] buffer = new byte[16 * 1024];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					if (!awaitResumed(from)) {
						break;
					}
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// The other side or a cut closed the connection.
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
				this.sockets.remove(from);
				this.sockets.remove(to);
			}
		}, "loopback-proxy-" + direction + "-" + this.port);
		pump.setDaemon(true);
		pump.start();
	}

	/** Wait while paused; {@code false} if the socket was closed meanwhile. */
	private boolean awaitResumed(Socket socket) {
		synchronized (this.pauseLock) {
			while (this.paused && !socket.isClosed() && !this.closed) {
				try {
					this.pauseLock.wait(100);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
		}
		return !socket.isClosed();
	}

	private static void closeQuietly(@Nullable AutoCloseable closeable) {
		if (closeable == null) {
			return;
		}
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// Closing is best effort.
		}
	}

}
