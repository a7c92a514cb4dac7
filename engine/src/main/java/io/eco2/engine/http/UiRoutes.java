package io.eco2.engine.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * What an API surface module may ship for people and tools, served from the class path (the jar) when
 * present: a demo page under {@code /ui/} (resources in {@value #UI_ROOT}, {@code /} serving its
 * {@code index.html}; {@code ui.enabled}) and the API's OpenAPI document at {@code /openapi.yaml}
 * (resource {@value #OPENAPI_RESOURCE}). Nothing is fetched from elsewhere; a module without them adds no
 * route.
 */
public final class UiRoutes {

  /** The class-path folder of the demo page. */
  public static final String UI_ROOT = "eco2-ui";
  /** The class-path resource of the OpenAPI document. */
  public static final String OPENAPI_RESOURCE = "eco2-api/openapi.yaml";
  private static final int UI_MAX_AGE_SECONDS = 300;

  private final boolean ui;
  private final Buffer openApi;

  private UiRoutes(boolean ui, Buffer openApi) {
    this.ui = ui;
    this.openApi = openApi;
  }

  /** Looks for the resources once, off the event loop. */
  public static Future<UiRoutes> load(Vertx vertx, boolean uiEnabled, ClassLoader loader) {
    return vertx.executeBlocking(() -> new UiRoutes(uiEnabled && loader.getResource(UI_ROOT + "/index.html") != null,
      read(loader, OPENAPI_RESOURCE)));
  }

  private static Buffer read(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      return in == null ? null : Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  /** Whether the demo page is served. */
  public boolean servesUi() {
    return ui;
  }

  /** Whether {@code /openapi.yaml} is served. */
  public boolean servesOpenApi() {
    return openApi != null;
  }

  public void mount(Router router) {
    if (openApi != null) {
      router.get("/openapi.yaml").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/yaml; charset=utf-8").end(openApi));
    }
    if (ui) {
      StaticHandler files = StaticHandler.create(UI_ROOT).setMaxAgeSeconds(UI_MAX_AGE_SECONDS).setIndexPage("index.html")
        .setDirectoryListing(false);
      router.get("/").handler(ctx -> ctx.reroute("/ui/index.html"));
      router.get("/ui/*").handler(files);
    }
  }
}
