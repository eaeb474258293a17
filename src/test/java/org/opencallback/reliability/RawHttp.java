package org.opencallback.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A bare HTTP/1.1 client over a socket: sends exactly the bytes it is given (invalid escapes,
 * invalid UTF-8 in the target, any method and header), so the server's own parsing is what is tested.
 */
final class RawHttp {
  private RawHttp() {}

  record Reply(int status, Map<String, String> headers, String body) {}

  /** Sends one request with {@code Connection: close}; null when the server closed without answering. */
  static Reply send(int port, String method, byte[] target, Map<String, String> headers, byte[] body)
      throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      head.writeBytes(method.getBytes(StandardCharsets.ISO_8859_1));
      head.write(' ');
      head.writeBytes(target);
      head.writeBytes(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n".getBytes(StandardCharsets.ISO_8859_1));
      for (Map.Entry<String, String> header : headers.entrySet()) {
        head.writeBytes((header.getKey() + ": " + header.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
      }
      if (body != null && !headers.containsKey("Transfer-Encoding")) {
        head.writeBytes(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      }
      head.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
      OutputStream out = socket.getOutputStream();
      try {
        out.write(head.toByteArray());
        if (body != null) {
          out.write(body);
        }
        out.flush();
      } catch (SocketException e) {
        // the server may answer (413) and close before reading a large body: read what it said
      }
      byte[] raw;
      try {
        raw = readAll(socket.getInputStream());
      } catch (SocketException e) {
        return null;
      }
      return parse(raw);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      all.write(buffer, 0, n);
    }
    return all.toByteArray();
  }

  private static Reply parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      return null;
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = dechunk(body);
    }
    return new Reply(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  private static byte[] dechunk(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < body.length) {
      int lineEnd = indexOf(body, i);
      if (lineEnd < 0) {
        break;
      }
      String sizeText = new String(body, i, lineEnd - i, StandardCharsets.ISO_8859_1).split(";")[0].trim();
      int size = sizeText.isEmpty() ? 0 : Integer.parseInt(sizeText, 16);
      if (size == 0) {
        break;
      }
      out.write(body, lineEnd + 2, Math.min(size, body.length - lineEnd - 2));
      i = lineEnd + 2 + size + 2;
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] body, int from) {
    for (int i = from; i + 1 < body.length; i++) {
      if (body[i] == '\r' && body[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
