package io.eco2.tests.support;

import io.eco2.testkit.Await;
import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One HTTP/1.x connection over a plain socket, for requests no HTTP client would send: broken framing,
 * duplicate headers, odd versions, bytes trickled one by one, a reader that never reads. Blocking; for test
 * threads only. Every read waits at most {@link Await#timeout()}.
 */
public final class RawHttp implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout((int) Await.timeout().toMillis());
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  public static RawHttp connect(int port) {
    return connect(port, 0);
  }

  /** A connection whose receive buffer is {@code receiveBuffer} bytes (0: the system's default). */
  public static RawHttp connect(int port, int receiveBuffer) {
    try {
      Socket s = new Socket();
      if (receiveBuffer > 0) {
        // Must be set before connecting for the TCP window to follow it.
        s.setReceiveBufferSize(receiveBuffer);
      }
      s.connect(new InetSocketAddress("127.0.0.1", port), (int) Await.timeout().toMillis());
      return new RawHttp(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A request head with {@code Host} and the given extra header lines, and a body (may be empty). */
  public static byte[] request(String method, String target, String headers, byte[] body) {
    String head = method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n" + headers
      + (body.length > 0 ? "Content-Length: " + body.length + "\r\n" : "") + "\r\n";
    return concat(head.getBytes(StandardCharsets.ISO_8859_1), body);
  }

  /** A JSON submit with the given body bytes, exactly as given. */
  public static byte[] submit(byte[] body) {
    return request("POST", "/api/v1/scan", "Content-Type: application/json\r\n", body);
  }

  public static byte[] concat(byte[] a, byte[] b) {
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  public RawHttp send(String ascii) {
    return send(ascii.getBytes(StandardCharsets.ISO_8859_1));
  }

  public RawHttp send(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends, returning false instead of failing when the server has closed the connection. */
  public boolean trySend(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Bytes that can be read without blocking. */
  public int available() {
    try {
      return in.available();
    } catch (IOException e) {
      return 0;
    }
  }

  /** Reads whatever arrives next (at least one byte); fails when the server closed the connection. */
  public String readSome() {
    byte[] buf = new byte[8192];
    try {
      int n = in.read(buf);
      if (n < 0) {
        throw new AssertionError("the server closed the connection");
      }
      return new String(buf, 0, n, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads one response (Content-Length or chunked body; a body without either lasts until the close). */
  public Response read() {
    try {
      String statusLine = line();
      if (statusLine == null) {
        throw new AssertionError("the server closed the connection without a response");
      }
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (String l = line(); l != null && !l.isEmpty(); l = line()) {
        int colon = l.indexOf(':');
        headers.computeIfAbsent(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(l.substring(colon + 1).trim());
      }
      Response head = new Response(statusLine, headers, new byte[0]);
      byte[] body;
      if (head.header("content-length") != null) {
        body = in.readNBytes(Integer.parseInt(head.header("content-length")));
      } else if ("chunked".equalsIgnoreCase(head.header("transfer-encoding"))) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
          b.write(in.readNBytes(size));
          line();
        }
        line();
        body = b.toByteArray();
      } else {
        body = in.readAllBytes();
      }
      return new Response(statusLine, headers, body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads until the server closes the connection (end of stream or reset) and returns what arrived; fails
   * when it is still open after {@link Await#timeout()}.
   */
  public byte[] readUntilClosed() {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        all.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the connection is still open after " + Await.timeout().toSeconds()
        + " s; received: " + new String(all.toByteArray(), StandardCharsets.UTF_8));
    } catch (SocketException e) {
      // reset by the server: closed too
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return all.toByteArray();
  }

  /** Asserts the server closes the connection with nothing more sent. */
  public void assertClosed() {
    byte[] rest = readUntilClosed();
    assertThat(new String(rest, StandardCharsets.ISO_8859_1)).as("bytes after the response").isEmpty();
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /** One response as it came off the wire. */
  public record Response(String statusLine, Map<String, List<String>> headers, byte[] body) {

    public int status() {
      return Integer.parseInt(statusLine.split(" ")[1]);
    }

    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null ? null : values.get(0);
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * Asserts a well-formed HTTP/1.1 status line, the status, and the contract's error body with the code;
     * returns the detail.
     */
    public String assertApiError(int status, String code) {
      assertThat(statusLine).as("status line").matches("HTTP/1\\.[01] \\d{3} .*");
      assertThat(status()).as("status of %s", bodyText()).isEqualTo(status);
      assertThat(header("content-type")).as("Content-Type of %s", bodyText()).startsWith("application/json");
      JsonObject json = new JsonObject(bodyText());
      assertThat(json.fieldNames()).as("fields of %s", bodyText()).containsExactlyInAnyOrder("detail", "code");
      assertThat(json.getString("code")).as("code of %s", bodyText()).isEqualTo(code);
      assertThat(json.getString("detail")).as("detail of %s", bodyText()).isNotBlank();
      return json.getString("detail");
    }
  }
}
