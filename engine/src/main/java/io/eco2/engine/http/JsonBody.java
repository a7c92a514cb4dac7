package io.eco2.engine.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.eco2.engine.api.RequestRejected;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads a request body as RFC 8259 JSON, strictly: the bytes must be valid UTF-8 (no invalid, overlong or
 * surrogate sequences), and the text one JSON object and nothing else — no comments, no trailing data, no
 * duplicate member names, no single quotes or other leniencies. Anything else is refused with 400
 * {@code INVALID_JSON} naming the byte offset at fault, never replaced or repaired.
 *
 * <p>Vert.x's own decoder is lenient (it accepts comments) and decodes invalid UTF-8 into replacement
 * characters, which would store input the client never sent; hence this reader, on Jackson's strict
 * streaming parser (the one Vert.x itself uses).
 */
public final class JsonBody {

  private static final JsonFactory STRICT = JsonFactory.builder()
    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
    .build();

  private JsonBody() {
  }

  /** The body as a JSON object, or a {@link RequestRejected} 400 {@code INVALID_JSON} naming the byte at fault. */
  public static JsonObject parseObject(Buffer body) {
    byte[] bytes = body == null ? new byte[0] : body.getBytes();
    checkUtf8(bytes);
    try (JsonParser parser = STRICT.createParser(bytes)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw invalid(0, "the body is empty; a JSON object is required");
      }
      if (first != JsonToken.START_OBJECT) {
        throw invalid(offset(parser.currentTokenLocation()), "the body must be a JSON object, not " + describe(first));
      }
      JsonObject object = readObject(parser);
      JsonToken trailing = parser.nextToken();
      if (trailing != null) {
        throw invalid(offset(parser.currentTokenLocation()), "unexpected data after the JSON object");
      }
      return object;
    } catch (JsonProcessingException e) {
      throw invalid(offset(e.getLocation()), firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw invalid(0, "the body could not be read: " + e.getMessage());
    }
  }

  /** Fails with the offset of the first byte that is not part of a valid UTF-8 sequence. */
  static void checkUtf8(byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(Math.max(16, bytes.length));
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      throw invalid(in.position(), String.format("the body is not valid UTF-8 (byte 0x%02x)", bytes[in.position()] & 0xff));
    }
  }

  private static JsonObject readObject(JsonParser parser) throws IOException {
    JsonObject object = new JsonObject();
    for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
      String name = parser.currentName();
      object.put(name, readValue(parser, parser.nextToken()));
    }
    return object;
  }

  private static JsonArray readArray(JsonParser parser) throws IOException {
    JsonArray array = new JsonArray();
    for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
      array.add(readValue(parser, t));
    }
    return array;
  }

  private static Object readValue(JsonParser parser, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT: return readObject(parser);
      case START_ARRAY: return readArray(parser);
      case VALUE_STRING: return parser.getText();
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT: return parser.getNumberValue();
      case VALUE_TRUE: return true;
      case VALUE_FALSE: return false;
      case VALUE_NULL: return null;
      default: throw invalid(offset(parser.currentTokenLocation()), "unexpected " + describe(t));
    }
  }

  private static String describe(JsonToken t) {
    switch (t) {
      case START_ARRAY: return "an array";
      case VALUE_STRING: return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT: return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE: return "a boolean";
      case VALUE_NULL: return "null";
      default: return t.asString() == null ? t.name() : "'" + t.asString() + "'";
    }
  }

  private static long offset(JsonLocation location) {
    return location == null ? 0 : Math.max(0, location.getByteOffset());
  }

  private static RequestRejected invalid(long offset, String why) {
    return new RequestRejected(ApiError.INVALID_JSON, "body is not valid JSON at byte " + offset + ": " + why);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return io.eco2.engine.http.impl.FramingRules.printable(nl < 0 ? s : s.substring(0, nl), 200);
  }
}
