package dev.databases.sample;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * HTTP/1.1 on one TCP connection, written by hand: each request is sent the moment the
 * previous response has been read in full, as a browser on a keep-alive connection does,
 * and each read waits at most a given time. Nothing pools, retries or opens a second
 * connection behind the test's back, which a library client may do.
 */
final class KeepAliveClient implements Closeable {

	private final Socket socket;

	private final OutputStream out;

	private final InputStream in;

	private final String host;

	/**
	 * Connect.
	 * @param baseUrl such as {@code http://localhost:8080}
	 * @param readTimeout how long any one read may wait for the server
	 * @throws IOException when the connection cannot be made
	 */
	KeepAliveClient(String baseUrl, Duration readTimeout) throws IOException {
		URI uri = URI.create(baseUrl);
		this.host = uri.getHost() + ":" + uri.getPort();
		this.socket = new Socket();
		this.socket.setTcpNoDelay(true);
		this.socket.setSoTimeout(Math.toIntExact(readTimeout.toMillis()));
		this.socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
		this.out = this.socket.getOutputStream();
		this.in = new BufferedInputStream(this.socket.getInputStream());
	}

	/**
	 * Send a request and read its whole response.
	 * @param method such as {@code GET}
	 * @param path such as {@code /notes}
	 * @param json the body, sent as {@code application/json}, or {@code null} for none
	 * @return the response's status code and body
	 * @throws java.net.SocketTimeoutException when the server is silent for longer than
	 * the read timeout
	 * @throws IOException when the connection fails or the response is malformed
	 */
	Response send(String method, String path, @Nullable String json) throws IOException {
		StringBuilder request = new StringBuilder(method).append(' ')
			.append(path)
			.append(" HTTP/1.1\r\nHost: ")
			.append(this.host)
			.append("\r\nAccept: application/json\r\n");
		byte[] body = (json != null) ? json.getBytes(StandardCharsets.UTF_8) : new byte[0];
		if (json != null) {
			request.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
		}
		request.append("\r\n");
		// One write for head and body: the server gets the request in one segment.
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		bytes.writeBytes(request.toString().getBytes(StandardCharsets.US_ASCII));
		bytes.writeBytes(body);
		this.out.write(bytes.toByteArray());
		this.out.flush();
		return read();
	}

	private Response read() throws IOException {
		String status = line();
		String[] parts = status.split(" ", 3);
		if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
			throw new IOException("Not an HTTP status line: " + status);
		}
		int code = Integer.parseInt(parts[1]);
		long length = -1;
		boolean chunked = false;
		for (String header = line(); !header.isEmpty(); header = line()) {
			int colon = header.indexOf(':');
			String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
			String value = header.substring(colon + 1).strip();
			if (name.equals("content-length")) {
				length = Long.parseLong(value);
			}
			else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
				chunked = true;
			}
		}
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		if (chunked) {
			for (int size = Integer.parseInt(chunkSize(line()), 16); size > 0; size = Integer
				.parseInt(chunkSize(line()), 16)) {
				body.writeBytes(exactly(size));
				line();
			}
			// Trailers, if any, end with an empty line.
			while (!line().isEmpty()) {
				// skip
			}
		}
		else if (length >= 0) {
			body.writeBytes(exactly(Math.toIntExact(length)));
		}
		else {
			throw new IOException("A keep-alive response needs a Content-Length or chunks: " + status);
		}
		return new Response(code, body.toString(StandardCharsets.UTF_8));
	}

	private static String chunkSize(String line) {
		int semicolon = line.indexOf(';');
		return ((semicolon < 0) ? line : line.substring(0, semicolon)).strip();
	}

	private byte[] exactly(int length) throws IOException {
		byte[] bytes = this.in.readNBytes(length);
		if (bytes.length < length) {
			throw new EOFException("Connection closed after " + bytes.length + " of " + length + " bytes");
		}
		return bytes;
	}

	private String line() throws IOException {
		StringBuilder line = new StringBuilder();
		for (int b = this.in.read(); b != '\n'; b = this.in.read()) {
			if (b < 0) {
				throw new EOFException("Connection closed by the server");
			}
			if (b != '\r') {
				line.append((char) b);
			}
		}
		return line.toString();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/**
	 * A response.
	 * @param status its status code
	 * @param body its body, decoded as UTF-8
	 */
	record Response(int status, String body) {
	}

}
