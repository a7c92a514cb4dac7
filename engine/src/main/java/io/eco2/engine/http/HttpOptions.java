package io.eco2.engine.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code http} configuration section: where the HTTP server listens and what it accepts.
 *
 * <p>A data object in the Vert.x style: the {@code DEFAULT_*} constants are the only source of the
 * defaults (the configuration schema, {@code conf/application.yaml} and the README table are checked
 * against them); {@link #HttpOptions(JsonObject)} reads the section, keeping the default of any key that is
 * absent, and {@link #toJson()} writes it back.
 */
public final class HttpOptions {

  /** {@code http.host}: every interface. */
  public static final String DEFAULT_HOST = "0.0.0.0";
  /** {@code http.port}. */
  public static final int DEFAULT_PORT = 8080;
  /** {@code http.instances}: 0 means one server instance per CPU core. */
  public static final int DEFAULT_INSTANCES = 0;
  /** {@code http.max-body-bytes}: 16 KiB, far above any scan request. */
  public static final int DEFAULT_MAX_BODY_BYTES = 16384;
  /** {@code http.api-keys}: none, so no authentication. */
  public static final List<String> DEFAULT_API_KEYS = List.of();
  /** {@code http.management-port}: the operations routes stay on {@code http.port}. */
  public static final int DEFAULT_MANAGEMENT_PORT = -1;
  /** {@code http.cors.allowed-origins}: no CORS. */
  public static final List<String> DEFAULT_CORS_ALLOWED_ORIGINS = List.of();

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private int instances = DEFAULT_INSTANCES;
  private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
  private List<String> apiKeys = DEFAULT_API_KEYS;
  private FrontDoorOptions frontDoor = new FrontDoorOptions();
  private int managementPort = DEFAULT_MANAGEMENT_PORT;
  private List<String> corsAllowedOrigins = DEFAULT_CORS_ALLOWED_ORIGINS;

  public HttpOptions() {
  }

  public HttpOptions(HttpOptions other) {
    this(other.toJson());
  }

  /** Reads the {@code http} section; absent keys keep their defaults. */
  public HttpOptions(JsonObject json) {
    host = json.getString("host", host);
    port = json.getInteger("port", port);
    instances = json.getInteger("instances", instances);
    maxBodyBytes = json.getInteger("max-body-bytes", maxBodyBytes);
    apiKeys = strings(json.getJsonArray("api-keys"), apiKeys);
    frontDoor = new FrontDoorOptions(json);
    managementPort = json.getInteger("management-port", managementPort);
    corsAllowedOrigins = strings(json.getJsonObject("cors", new JsonObject()).getJsonArray("allowed-origins"), corsAllowedOrigins);
  }

  public JsonObject toJson() {
    return new JsonObject().put("host", host).put("port", port).put("instances", instances)
      .put("max-body-bytes", maxBodyBytes).put("api-keys", new JsonArray(apiKeys)).mergeIn(frontDoor.toJson())
      .put("management-port", managementPort)
      .put("cors", new JsonObject().put("allowed-origins", new JsonArray(corsAllowedOrigins)));
  }

  static List<String> strings(JsonArray array, List<String> fallback) {
    if (array == null) {
      return fallback;
    }
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(String.valueOf(v)));
    return List.copyOf(out);
  }

  public String getHost() { return host; }
  public HttpOptions setHost(String host) { this.host = Objects.requireNonNull(host); return this; }

  public int getPort() { return port; }
  public HttpOptions setPort(int port) { this.port = port; return this; }

  public int getInstances() { return instances; }
  public HttpOptions setInstances(int instances) { this.instances = instances; return this; }

  /** The server instances to deploy: {@link #getInstances()}, or one per CPU core when it is 0. */
  public int effectiveInstances() {
    return instances > 0 ? instances : Runtime.getRuntime().availableProcessors();
  }

  public int getMaxBodyBytes() { return maxBodyBytes; }
  public HttpOptions setMaxBodyBytes(int maxBodyBytes) { this.maxBodyBytes = maxBodyBytes; return this; }

  /** The connection guards: {@code header-timeout-ms}, {@code body-timeout-ms}, {@code idle-timeout-seconds}, {@code max-connections}. */
  public FrontDoorOptions getFrontDoor() { return frontDoor; }
  public HttpOptions setFrontDoor(FrontDoorOptions frontDoor) { this.frontDoor = Objects.requireNonNull(frontDoor); return this; }

  /** The port of the operations routes' own server; -1 = they stay on {@link #getPort()}, 0 = any free port. */
  public int getManagementPort() { return managementPort; }
  public HttpOptions setManagementPort(int port) { this.managementPort = port; return this; }

  /** Browser origins granted CORS (exact match); empty = no CORS. */
  public List<String> getCorsAllowedOrigins() { return corsAllowedOrigins; }
  public HttpOptions setCorsAllowedOrigins(List<String> origins) { this.corsAllowedOrigins = List.copyOf(origins); return this; }

  /** Bearer tokens accepted on {@code /api/v1/*}; empty means no authentication. */
  public List<String> getApiKeys() { return apiKeys; }
  public HttpOptions setApiKeys(List<String> apiKeys) { this.apiKeys = List.copyOf(apiKeys); return this; }
}
