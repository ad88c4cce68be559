package dev.porthole.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.porthole.proxy.ProxyRegistry.NewProxy;
import dev.porthole.proxy.ProxyRegistry.ProxyUpdate;
import dev.porthole.proxy.ToxicRequest;
import dev.porthole.sockets.Protocol;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Returns request bodies decoded the way Toxiproxy's Go decoder reads them: only the first JSON
 * value, unknown keys ignored, {@code null} meaning "not given", and a wrong type or an empty body
 * a 400 {@code bad request body: …} in Go's words. The dashboard's own routes read their bodies
 * here too ({@link #jsonObject}), with their own reasons.
 */
public final class RequestBodies {
  private RequestBodies() {}

  /**
   * Returns the request body as UTF-8 whatever charset the Content-Type names: JSON is UTF-8 (RFC
   * 8259) and Go's decoder ignores the parameter, so {@code charset=nope} is no reason to fail.
   */
  public static String text(Context ctx) {
    return new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8);
  }

  /** Returns the first JSON value of {@code body}. */
  static JsonNode parse(String body) {
    JsonNode node;
    try {
      node = firstValue(body);
    } catch (JsonEOFException e) {
      throw ApiError.badRequest("bad request body: unexpected EOF");
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest(
          "bad request body: invalid JSON: " + firstLine(e.getOriginalMessage()));
    }
    if (node == null) {
      throw ApiError.badRequest("bad request body: EOF");
    }
    return node;
  }

  /**
   * Returns the first JSON value of {@code body} as an object, for a dashboard route: "expected a
   * JSON object" when there is none or it is another value, "invalid JSON" when it does not parse.
   */
  public static JsonNode jsonObject(String body) {
    JsonNode node;
    try {
      node = firstValue(body);
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest("bad request body: invalid JSON");
    }
    if (node == null || !node.isObject()) {
      throw ApiError.badRequest("bad request body: expected a JSON object");
    }
    return node;
  }

  /** Returns the first JSON value of {@code body}, or null when it holds none (empty, blank). */
  private static JsonNode firstValue(String body) throws JsonProcessingException {
    if (body == null || body.isBlank()) {
      return null;
    }
    JsonNode node = Json.MAPPER.readTree(body);
    return node == null || node.isMissingNode() ? null : node;
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Returns {@code node} as an object, or the Go error for decoding it into {@code goType}. */
  static JsonNode object(JsonNode node, String goType) {
    if (!node.isObject()) {
      throw ApiError.badRequest(
          "bad request body: json: cannot unmarshal "
              + kind(node)
              + " into Go value of type "
              + goType);
    }
    return node;
  }

  static NewProxy newProxy(JsonNode node) {
    object(node, "proxy.Proxy");
    return new NewProxy(
        string(node, "Proxy", "name"),
        string(node, "Proxy", "listen"),
        string(node, "Proxy", "upstream"),
        bool(node, "Proxy", "enabled"),
        protocol(string(node, "Proxy", "protocol")));
  }

  static List<NewProxy> newProxies(JsonNode node) {
    if (!node.isArray()) {
      throw ApiError.badRequest(
          "bad request body: json: cannot unmarshal "
              + kind(node)
              + " into Go value of type []struct { Name string; Listen string; Upstream string;"
              + " Enabled *bool }");
    }
    List<NewProxy> out = new ArrayList<>();
    for (JsonNode entry : node) {
      out.add(newProxy(entry.isNull() ? Json.MAPPER.createObjectNode() : entry));
    }
    return out;
  }

  static ProxyUpdate proxyUpdate(JsonNode node) {
    object(node, "proxy.Proxy");
    return new ProxyUpdate(
        string(node, "Proxy", "listen"),
        string(node, "Proxy", "upstream"),
        bool(node, "Proxy", "enabled"));
  }

  static ToxicRequest toxicRequest(JsonNode node) {
    object(node, "toxics.ToxicWrapper");
    return new ToxicRequest(
        string(node, "ToxicWrapper", "name"),
        string(node, "ToxicWrapper", "type"),
        string(node, "ToxicWrapper", "stream"),
        number(node, "ToxicWrapper", "toxicity"),
        attributes(node));
  }

  /** Returns the {@code attributes} object as plain Java values, or null when not given. */
  static Map<String, Object> attributes(JsonNode node) {
    JsonNode a = node.get("attributes");
    if (a == null || a.isNull()) {
      return null;
    }
    if (!a.isObject()) {
      throw typeError(a, "ToxicWrapper", "attributes", "map[string]interface {}");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), raw(e.getValue()));
    }
    return out;
  }

  static Object raw(JsonNode v) {
    if (v.isNull()) {
      return null;
    }
    if (v.isIntegralNumber()) {
      return v.canConvertToLong() ? (Object) v.longValue() : v.bigIntegerValue();
    }
    if (v.isNumber()) {
      return v.doubleValue();
    }
    if (v.isTextual()) {
      return v.textValue();
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    return Json.MAPPER.convertValue(v, Object.class);
  }

  static String string(JsonNode node, String struct, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw typeError(v, struct, field, "string");
    }
    return v.textValue();
  }

  static Boolean bool(JsonNode node, String struct, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      throw typeError(v, struct, field, "bool");
    }
    return v.booleanValue();
  }

  static Double number(JsonNode node, String struct, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      throw typeError(v, struct, field, "float32");
    }
    return v.doubleValue();
  }

  private static Protocol protocol(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "tcp" -> Protocol.TCP;
      case "udp" -> Protocol.UDP;
      default -> throw ApiError.badRequest("protocol " + value + ": expected tcp or udp");
    };
  }

  private static ApiError typeError(JsonNode v, String struct, String field, String goType) {
    return ApiError.badRequest(
        "bad request body: json: cannot unmarshal "
            + kind(v)
            + " into Go struct field "
            + struct
            + "."
            + field
            + " of type "
            + goType);
  }

  private static String kind(JsonNode v) {
    if (v.isNumber()) {
      return "number";
    }
    if (v.isTextual()) {
      return "string";
    }
    if (v.isBoolean()) {
      return "bool";
    }
    if (v.isArray()) {
      return "array";
    }
    return v.isObject() ? "object" : "value";
  }
}
