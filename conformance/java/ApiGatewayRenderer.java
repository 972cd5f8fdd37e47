/*
 * The reference side of kproxy's conformance suite: renders API Gateway mapping templates with the Java
 * stack API Gateway itself uses — Apache Velocity 1.7, Jayway JsonPath ("JSONPath for Java" in AWS's
 * mapping-template reference, over its default json-smart provider) and commons-lang's
 * StringEscapeUtils — so that the emulator's velocityjs rendering can be compared with it.
 *
 * Protocol (one JVM renders a whole batch): every stdin line is one case, a JSON object whose string
 * values are all base64 of UTF-8 (so the envelope is plain ASCII and no JSON parser can alter a value):
 *   {"id": "...", "template": b64, "body": b64,
 *    "path": [[b64 name, b64 value], ...], "querystring": [...], "header": [...],
 *    "context": [[b64 dotted key, b64 value], ...]}
 * Every stdout line answers one case, in order:
 *   {"id": "...", "ok": true, "output": b64 of the rendered text's UTF-8 bytes, "status": b64|null}
 *   {"id": "...", "ok": false, "error": b64 of the exception}
 * The output is encoded with String.getBytes(UTF_8), as a Java service sends text: an unpaired surrogate
 * becomes '?'.
 *
 * What AWS documents is implemented as documented (see the comments at each function). Where AWS is
 * silent, this follows behaviour recorded from real API Gateway deployments, and says so:
 *   - `$input.json(x)` of a path that is absent renders `""`, and `$input.path(x)` gives "" (AWS's own
 *     Kinesis tutorial defaults ShardCount with `#if($input.path('$.ShardCount') == '') 5 #else ...`);
 *   - a reference whose value is null renders as nothing (not as its own text, Velocity's default);
 *   - an empty payload is read as `{}`.
 * Where neither says anything, the choice is marked ASSUMPTION.
 */

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.InvalidJsonException;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JsonSmartJsonProvider;
import com.jayway.jsonpath.spi.mapper.JsonSmartMappingProvider;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.UnsupportedEncodingException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.minidev.json.JSONArray;
import net.minidev.json.JSONStyle;
import net.minidev.json.JSONValue;
import net.minidev.json.parser.DepthRestoringParser;
import net.minidev.json.parser.JSONParser;
import net.minidev.json.parser.ParseException;
import org.apache.commons.lang.StringEscapeUtils;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;
import org.apache.velocity.app.event.EventCartridge;
import org.apache.velocity.app.event.ReferenceInsertionEventHandler;
import org.apache.velocity.runtime.RuntimeConstants;

public final class ApiGatewayRenderer {
  private ApiGatewayRenderer() {}

  /**
   * Jayway's default provider (json-smart, permissive mode, objects in document order), parsing with
   * upstream json-smart's depth bookkeeping (see DepthRestoringParser).
   */
  public static final class Provider extends JsonSmartJsonProvider {
    @Override
    public Object parse(String json) throws InvalidJsonException {
      try {
        return new DepthRestoringParser(JSONParser.MODE_PERMISSIVE).parse(json, JSONValue.defaultReader.DEFAULT_ORDERED);
      } catch (ParseException e) {
        throw new InvalidJsonException(e);
      }
    }
  }

  private static final Configuration JSON_PATH =
      Configuration.builder().jsonProvider(new Provider()).mappingProvider(new JsonSmartMappingProvider()).build();

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static String unb64(Object value) {
    return utf8(Base64.getDecoder().decode((String) value));
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** JSON text of a value as json-smart writes it (the style Jayway's provider uses for objects). */
  static String toJson(Object value) {
    return JSONValue.toJSONString(value, JSONStyle.LT_COMPRESS);
  }

  /** `$input`: the payload and the method request's parameters. */
  public static final class Input {
    private final String body;
    private final Map<String, Object> params;
    private final Map<String, String> path;
    private final Map<String, String> querystring;
    private final Map<String, String> header;
    private DocumentContext document;

    Input(String body, Map<String, String> path, Map<String, String> querystring, Map<String, String> header) {
      this.body = body;
      this.path = path;
      this.querystring = querystring;
      this.header = header;
      this.params = new LinkedHashMap<>();
      params.put("path", path);
      params.put("querystring", querystring);
      params.put("header", header);
    }

    private DocumentContext document() {
      if (document == null) {
        // Recorded behaviour: a request without a body is read as `{}`.
        String text = body.trim().isEmpty() ? "{}" : body;
        document = JsonPath.using(JSON_PATH).parse(text);
      }
      return document;
    }

    /** `$input.body`: "Returns the raw request payload as a string." */
    public String getBody() {
      return body;
    }

    /**
     * `$input.json(x)`: "evaluates a JSONPath expression and returns the results as a JSON string".
     * Recorded behaviour: a path that matches nothing renders `""`.
     */
    public String json(String expression) {
      try {
        return toJson(document().read(expression));
      } catch (PathNotFoundException e) {
        return "\"\"";
      }
    }

    /**
     * `$input.path(x)`: "Takes a JSONPath expression string (x) and returns a JSON object representation
     * of the result", the parsed value itself. A path that matches nothing gives "", as AWS's Kinesis
     * tutorial relies on (`#if($input.path('$.ShardCount') == '') 5 ...`) and as `$input.json` renders it.
     */
    public Object path(String expression) {
      try {
        return document().read(expression);
      } catch (PathNotFoundException e) {
        return "";
      }
    }

    /** `$input.params()`: "Returns a map of all the request parameters" (path, querystring, header). */
    public Map<String, Object> params() {
      return params;
    }

    /**
     * `$input.params(x)`: "Returns the value of a method request parameter from the path, query string,
     * or header value (searched in that order)". Header names match case-insensitively, as HTTP header
     * names do. Recorded behaviour: "" when the request has no such parameter.
     */
    public String params(String name) {
      if (path.containsKey(name)) return path.get(name);
      if (querystring.containsKey(name)) return querystring.get(name);
      for (Map.Entry<String, String> entry : header.entrySet()) {
        if (entry.getKey().equalsIgnoreCase(name)) return entry.getValue();
      }
      return "";
    }
  }

  /**
   * `$util`. ASSUMPTION for every function: a non-string argument is converted with String.valueOf (JSON
   * text for the objects and arrays `$input.path` returns), and a null argument gives null, which renders
   * as nothing.
   */
  public static final class Util {
    private static String text(Object value) {
      return value == null ? null : String.valueOf(value);
    }

    /**
     * "Escapes the characters in a string using JavaScript string rules. This function will turn any
     * regular single quotes (') into escaped ones (\'). However, the escaped single quotes are not valid
     * in JSON." — commons-lang's StringEscapeUtils.escapeJavaScript.
     */
    public String escapeJavaScript(Object value) {
      return StringEscapeUtils.escapeJavaScript(text(value));
    }

    /** "Encodes the data into a base64-encoded string" (of its UTF-8 bytes: the default character set). */
    public String base64Encode(Object value) {
      String s = text(value);
      return s == null ? null : Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** "Decodes the data from a base64-encoded string" (as UTF-8 text). */
    public String base64Decode(Object value) {
      String s = text(value);
      return s == null ? null : utf8(Base64.getDecoder().decode(s));
    }

    /** 'Converts a string into "application/x-www-form-urlencoded" format' (java.net.URLEncoder, UTF-8). */
    public String urlEncode(Object value) throws UnsupportedEncodingException {
      String s = text(value);
      return s == null ? null : URLEncoder.encode(s, "UTF-8");
    }

    /** 'Decodes an "application/x-www-form-urlencoded" string' (java.net.URLDecoder, UTF-8). */
    public String urlDecode(Object value) throws UnsupportedEncodingException {
      String s = text(value);
      return s == null ? null : URLDecoder.decode(s, "UTF-8");
    }

    /** 'Takes "stringified" JSON and returns an object representation of the result.' */
    public Object parseJson(Object value) {
      String s = text(value);
      return s == null ? null : JsonPath.using(JSON_PATH).parse(s).read("$");
    }
  }

  /** Recorded behaviour: a reference whose value is null renders as nothing. */
  public static final class NullRendersEmpty implements ReferenceInsertionEventHandler {
    @Override
    public Object referenceInsert(String reference, Object value) {
      return value == null ? "" : value;
    }
  }

  private static Map<String, String> pairs(Object list) {
    Map<String, String> map = new LinkedHashMap<>();
    if (list == null) return map;
    for (Object item : (List<?>) list) {
      List<?> pair = (List<?>) item;
      map.put(unb64(pair.get(0)), unb64(pair.get(1)));
    }
    return map;
  }

  /** `$context`: nested maps from dotted keys (`identity.sourceIp`), plus `responseOverride`. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> context(Object list) {
    Map<String, Object> context = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : pairs(list).entrySet()) {
      String[] keys = entry.getKey().split("\\.");
      Map<String, Object> node = context;
      for (int i = 0; i < keys.length - 1; i++) {
        node = (Map<String, Object>) node.computeIfAbsent(keys[i], k -> new LinkedHashMap<String, Object>());
      }
      String value = entry.getValue();
      // requestTimeEpoch is a number; everything else is text.
      node.put(keys[keys.length - 1], keys[keys.length - 1].equals("requestTimeEpoch") ? (Object) Long.valueOf(value) : value);
    }
    Map<String, Object> override = new LinkedHashMap<>();
    override.put("header", new LinkedHashMap<String, Object>());
    context.put("responseOverride", override);
    return context;
  }

  private static String quoted(String id) {
    return JSONValue.toJSONString(id);
  }

  public static void main(String[] args) throws Exception {
    VelocityEngine engine = new VelocityEngine();
    engine.setProperty(RuntimeConstants.RUNTIME_LOG_LOGSYSTEM_CLASS, "org.apache.velocity.runtime.log.NullLogChute");
    engine.init();
    Util util = new Util();

    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isEmpty()) continue;
      Map<?, ?> request = (Map<?, ?>) JSONValue.parse(line);
      String id = (String) request.get("id");
      StringBuilder answer = new StringBuilder("{\"id\":").append(quoted(id));
      try {
        Input input = new Input(
            unb64(request.get("body")),
            pairs(request.get("path")),
            pairs(request.get("querystring")),
            pairs(request.get("header")));
        Map<String, Object> context = context(request.get("context"));
        VelocityContext velocity = new VelocityContext();
        velocity.put("input", input);
        velocity.put("util", util);
        velocity.put("context", context);
        velocity.put("stageVariables", new LinkedHashMap<String, String>());
        EventCartridge events = new EventCartridge();
        events.addEventHandler(new NullRendersEmpty());
        events.attachToContext(velocity);
        StringWriter rendered = new StringWriter();
        engine.evaluate(velocity, rendered, id, unb64(request.get("template")));
        Object status = ((Map<?, ?>) context.get("responseOverride")).get("status");
        answer.append(",\"ok\":true,\"output\":").append(quoted(b64(rendered.toString())));
        answer.append(",\"status\":").append(status == null ? "null" : quoted(b64(String.valueOf(status))));
      } catch (Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null) cause = cause.getCause();
        answer.append(",\"ok\":false,\"error\":").append(quoted(b64(e + (cause != e ? " caused by " + cause : ""))));
      }
      out.write(answer.append('}').toString());
      out.write('\n');
    }
    out.flush();
  }
}
